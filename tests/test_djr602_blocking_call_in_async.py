"""DJR602 blocking-call-in-async: a call that blocks on I/O or sleeps in an `async def`."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

VIEWS = "shop/views.py"
HEAD = """import asyncio
import subprocess
import time
from pathlib import Path

import httpx
import requests
from asgiref.sync import sync_to_async
from django.core.mail import EmailMessage, send_mail


"""
MODELS = "from django.db import models\n\n\nclass Book(models.Model):\n    title = models.CharField(max_length=20)\n"


def blocking(review, body: str):
    return review({"shop/models.py": MODELS, VIEWS: HEAD + body}, select=("DJR602",))


def test_reports_time_sleep_and_replaces_it_with_asyncio_sleep(review):
    body = "async def wait(request):\n    time.sleep(0.5)\n"
    findings = blocking(review, body)
    assert codes_lines(findings) == [("DJR602", VIEWS, 13)]
    assert findings[0].text == (
        "`time.sleep(0.5)` sleeps in an async function: it blocks the event loop, and every other request it "
        "serves waits. Use `await asyncio.sleep(...)`."
    )
    assert findings[0].fix.applicability == "unsafe"
    assert "    await asyncio.sleep(0.5)\n" in fixed(HEAD + body, findings)


def test_reports_http_calls_and_session_methods(review):
    body = """async def fetch(request):
    r = requests.get("https://example.com")
    session = requests.Session()
    session.post("https://example.com")
    with requests.Session() as s:
        s.get("https://example.com")
    httpx.get("https://example.com")
    return r
"""
    findings = blocking(review, body)
    assert [f.line for f in findings] == [13, 15, 17, 18]
    assert "waits for an HTTP response" in findings[0].text
    assert findings[0].fix.applicability == "suggestion"


def test_reports_subprocess_files_paths_mail_and_urlopen(review):
    body = """import urllib.request


async def work(request):
    subprocess.run(["ls"])
    proc = subprocess.Popen(["ls"])
    proc.communicate()
    with open("data.txt") as fh:
        fh.read()
    Path("a.txt").read_text()
    base = Path(__file__).parent
    (base / "b.txt").write_text("x")
    send_mail("s", "b", "f", ["t"])
    EmailMessage("s").send()
    urllib.request.urlopen("https://example.com")
"""
    findings = blocking(review, body)
    assert [f.line for f in findings] == [16, 18, 19, 21, 23, 24, 25, 26]


def test_not_reported_for_names_that_do_no_io(review):
    body = """async def names(request):
    session = requests.Session()
    code = requests.codes.ok
    try:
        await asyncio.sleep(1)
    except requests.RequestException:
        pass
    async with httpx.AsyncClient() as client:
        await client.get("https://example.com")
    return session, code
"""
    assert blocking(review, body) == []


def test_not_reported_for_functions_handed_to_a_thread(review):
    body = """async def threaded(request):
    await asyncio.to_thread(time.sleep, 1)
    await sync_to_async(send_mail)("s", "b", "f", ["t"])
    await asyncio.get_running_loop().run_in_executor(None, lambda: requests.get("https://example.com"))

    def read():
        with open("data.txt") as fh:
            return fh.read()

    return await asyncio.to_thread(read)
"""
    assert blocking(review, body) == []


def test_not_reported_for_an_open_method_of_another_object_or_in_sync_code(review):
    body = """def sync_view(request):
    time.sleep(1)
    return open("data.txt")


async def other(request, storage):
    handle = storage.open("a.txt")
    request.session.get("x")
    return handle
"""
    assert blocking(review, body) == []


def test_reports_socket_and_session_held_on_self(review):
    body = """import socket


class Feed:
    def __init__(self):
        self.session = requests.Session()

    async def pull(self):
        conn = socket.socket()
        conn.connect(("example.com", 80))
        return self.session.get("https://example.com")
"""
    findings = blocking(review, body)
    assert [f.line for f in findings] == [21, 22]
    assert "waits on a socket" in findings[0].text


def test_a_file_whose_async_functions_name_nothing_that_blocks_is_never_parsed(review, parses):
    code = """import time


def backoff(attempt):
    time.sleep(2**attempt)


async def handler(request, view):
    return await view(request)
"""
    assert review({"shop/retry.py": code}, select=("DJR602",)) == [] and "shop/retry.py" not in parses


def test_a_session_built_outside_the_async_function_still_gets_it_reviewed(review):
    code = """import requests

session = requests.Session()


async def fetch(url):
    return session.get(url)
"""
    assert codes_lines(review({"shop/fetch.py": code}, select=("DJR602",))) == [("DJR602", "shop/fetch.py", 7)]


def test_a_coroutine_only_run_through_async_to_sync_runs_alone(review):
    """`async_to_sync(self.wait_for_signal)(5)` in a sync worker loop: the coroutine gets an
    event loop of its own, so its sleep blocks nobody else. The twin, also awaited by an
    async consumer, shares that consumer's loop."""
    body = """
from asgiref.sync import async_to_sync


class Worker:
    def run(self):
        async_to_sync(self.wait_for_signal)(5)
        async_to_sync(self.poll)(5)

    async def wait_for_signal(self, dt):
        time.sleep(dt)

    async def poll(self, dt):
        time.sleep(dt)


async def consume(worker):
    await worker.poll(1)
"""
    assert codes_lines(blocking(review, body)) == [("DJR602", VIEWS, 25)]


def test_a_coroutine_under_the_async_to_sync_decorator_and_those_it_awaits_run_alone(review):
    """venueless's command: `@async_to_sync` on `_force_reload`, which awaits a staggered send
    that sleeps between groups on purpose: both run on a loop of their own. The twin helper,
    also awaited by an async consumer, shares that consumer's loop and is reported."""
    body = """
from asgiref.sync import async_to_sync


class Reloader:
    def handle(self):
        self._force_reload(5)

    @async_to_sync
    async def _force_reload(self, dt):
        time.sleep(dt)
        await self._staggered_send(dt)
        await self._pause(dt)

    async def _staggered_send(self, dt):
        time.sleep(dt)

    async def _pause(self, dt):
        time.sleep(dt)


async def consume(reloader):
    await reloader._pause(1)
"""
    assert codes_lines(blocking(review, body)) == [("DJR602", VIEWS, 30)]
