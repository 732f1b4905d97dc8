"""DJR602: a call that blocks on I/O or sleeps, written in an ``async def``.

An async view or consumer shares its thread with every other request the event loop serves:
a ``time.sleep``, an HTTP request with ``requests``, a subprocess, a file read or an e-mail
sent over SMTP there stops all of them until it returns. Reported inside an ``async def``'s
own body (rules/_async_scope.py), names resolved through the file's imports:

- ``time.sleep``; ``requests.get/post/put/patch/delete/head/options/request`` and the same
  methods of a ``requests.Session()`` (or sync ``httpx.Client()``) held in a name;
  ``httpx.get/post/...`` (the sync API); ``urllib.request.urlopen``;
- ``subprocess.run/call/check_call/check_output/getoutput/getstatusoutput`` and
  ``communicate()``/``wait()`` of a ``subprocess.Popen(...)`` held in a name;
- the built-in ``open()``; ``read_text/read_bytes/write_text/write_bytes/open`` of a
  ``pathlib.Path`` (built in the call, or held in a name);
- ``send_mail``, ``send_mass_mail``, ``mail_admins``, ``mail_managers``; ``send()`` of an
  ``EmailMessage``/``EmailMultiAlternatives`` held in a name or built in the call;
- ``socket.create_connection`` and ``connect/recv/send/sendall/accept`` of a
  ``socket.socket(...)`` held in a name.

Not reported: names that do no I/O (building a ``requests.Session()``, ``requests.codes``,
``requests.RequestException``), a function passed by reference (``asyncio.to_thread(time.sleep,
1)``, ``sync_to_async(send_mail)``) or called in a nested ``def``/``lambda`` handed to a thread,
``httpx.AsyncClient``, a method ``open``/``send`` of an object the file does not show to be
a path, an e-mail or a socket, and an ``async def`` the project only ever runs through
``async_to_sync(f)(...)`` (never awaited nor called otherwise): it runs on an event loop of
its own in a sync worker, where a blocking call blocks nobody else.
"""

from __future__ import annotations

import re

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit
from djreview.rule import Rule
from djreview.rules._async_scope import AsyncScope, async_bodies

_HTTP_VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})
# Qualified functions that block, with the kind of wait they are.
_BLOCKING = {
    "time.sleep": "sleep",
    "urllib.request.urlopen": "http",
    "urllib.urlopen": "http",
    "socket.create_connection": "socket",
    "builtins.open": "file",
    "io.open": "file",
    "codecs.open": "file",
    **{f"requests.{verb}": "http" for verb in _HTTP_VERBS},
    **{f"requests.api.{verb}": "http" for verb in _HTTP_VERBS},
    **{f"httpx.{verb}": "http" for verb in (*_HTTP_VERBS, "stream")},
    **{
        f"subprocess.{name}": "process"
        for name in ("run", "call", "check_call", "check_output", "getoutput", "getstatusoutput")
    },
    **{f"django.core.mail.{name}": "mail" for name in ("send_mail", "send_mass_mail", "mail_admins", "mail_managers")},
}
# Constructors of objects whose methods block, and those methods.
_HOLDERS = {
    "requests.Session": ("http", _HTTP_VERBS),
    "requests.session": ("http", _HTTP_VERBS),
    "requests.sessions.Session": ("http", _HTTP_VERBS),
    "httpx.Client": ("http", _HTTP_VERBS | {"stream", "send"}),
    "subprocess.Popen": ("process", frozenset({"communicate", "wait"})),
    "pathlib.Path": ("file", frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "open"})),
    "pathlib.PurePath": ("file", frozenset({"read_text", "read_bytes", "write_text", "write_bytes", "open"})),
    "socket.socket": ("socket", frozenset({"connect", "recv", "recv_into", "send", "sendall", "accept"})),
    "django.core.mail.EmailMessage": ("mail", frozenset({"send"})),
    "django.core.mail.EmailMultiAlternatives": ("mail", frozenset({"send"})),
    "django.core.mail.message.EmailMessage": ("mail", frozenset({"send"})),
    "django.core.mail.message.EmailMultiAlternatives": ("mail", frozenset({"send"})),
}
_HINTS = {
    "sleep": "Use `await asyncio.sleep(...)`.",
    "http": "Use an async HTTP client (`httpx.AsyncClient`, `aiohttp`), or run it in a thread with "
    "`await asyncio.to_thread(...)`.",
    "process": "Use `asyncio.create_subprocess_exec(...)`, or run it in a thread with `await asyncio.to_thread(...)`.",
    "file": "Run it in a thread with `await asyncio.to_thread(...)` (or use `aiofiles`).",
    "mail": "Run it in a thread with `await sync_to_async(...)(...)` or `await asyncio.to_thread(...)`, "
    "or hand it to a task queue.",
    "socket": "Use `asyncio.open_connection(...)`, or run it in a thread with `await asyncio.to_thread(...)`.",
}
_WAITS = {
    "sleep": "sleeps",
    "http": "waits for an HTTP response",
    "process": "waits for a subprocess",
    "file": "does file I/O",
    "mail": "sends e-mail over SMTP",
    "socket": "waits on a socket",
}


# Every call the rule reports is spelled with one of these words (a module, a function or a
# method of an object it tracks); over-approximates, like every `wants`.
# what the rule follows from where it is built to where an async function uses it
_HELD = re.compile(r"\b(?:Session|Client|Popen|socket|Path|EmailMessage|EmailMultiAlternatives)\s*\(")
_BLOCKING_WORDS = re.compile(
    r"\b(?:time|sleep|requests|httpx|urllib|urlopen|subprocess|Popen|open|Path|pathlib|read_text|"
    r"write_text|read_bytes|write_bytes|send_mail|send_mass_mail|mail_admins|mail_managers|"
    r"EmailMessage|EmailMultiAlternatives|send|socket|create_connection|communicate|wait|Session|Client)\b"
)


class BlockingCallInAsync(AsyncScope, Rule):
    code = "DJR602"
    name = "blocking-call-in-async"
    fixable = True
    triggers = ("async def",)

    def wants(self, text, facts, index, prefilter) -> bool:
        """An async file that names nothing that blocks is not parsed (Django's own source has
        `async def` in 60 files, mostly `a*()` twins handing work to sync_to_async), nor one
        whose async functions name nothing that blocks, unless it holds a blocking object
        (a session, a process, a socket) in a name an async function may use."""
        if not (super().wants(text, facts, index, prefilter) and _BLOCKING_WORDS.search(text)):
            return False
        if _HELD.search(text):
            return True
        bodies = async_bodies(text, prefilter)
        return bodies is None or any(_BLOCKING_WORDS.search(body) for body in bodies)

    def start(self, ctx) -> None:
        super().start(ctx)
        self.start_scope()
        self.held: list[dict[str, str]] = [{}]  # name (or `self.attr`) -> constructor, per function
        self.shadowed = "def open(" in ctx.text or "open =" in ctx.text

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        if node.asynchronous is not None and self.ctx.index.runs_alone_on_its_loop(node.name.value):
            self._async_stack[-1] = False  # only run by async_to_sync(f)() on a loop of its own
        self.held.append({})

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(node)
        self.held.pop()

    # -- names that hold a session, a path, a process ------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind(target.target, node.value)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind(node.asname.name, node.item)

    def _bind(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        key = self._key(target)
        if key is None:
            return
        scope = self.held[0] if key.startswith("self.") else self.held[-1]  # attributes outlive the method
        holder = self._constructor(value)
        if holder is None:
            scope.pop(key, None)
        else:
            scope[key] = holder

    def _key(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Name):
            return node.value
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            return f"self.{node.attr.value}"
        return None

    def _held(self, node: cst.BaseExpression) -> str | None:
        key = self._key(node)
        if key is None:
            return None
        for scope in reversed(self.held):
            if key in scope:
                return scope[key]
        return None

    def _constructor(self, value: cst.BaseExpression) -> str | None:
        """The blocking class an expression builds: `requests.Session()`, `Path(x)`, `base / "x"`
        on a path, `Path(x).parent`."""
        if isinstance(value, cst.Call) and isinstance(value.func, (cst.Name, cst.Attribute)):
            qual = self.ctx.flow.qualify(value.func)
            if qual in _HOLDERS:
                return qual
            if qual and qual.rsplit(".", 1)[0] == "pathlib.Path" and isinstance(value.func, cst.Attribute):
                return "pathlib.Path"  # Path.home(), Path.cwd()
            return None
        if isinstance(value, cst.BinaryOperation) and isinstance(value.operator, cst.Divide):
            left = self._constructor(value.left) or self._held(value.left)
            return left if left == "pathlib.Path" else None
        if isinstance(value, cst.Attribute) and value.attr.value in ("parent", "absolute"):
            inner = self._constructor(value.value) or self._held(value.value)
            return inner if inner == "pathlib.Path" else None
        return self._held(value)

    # -- the calls -----------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if not self.on_event_loop or not isinstance(node.func, (cst.Name, cst.Attribute)):
            return
        func = node.func
        qual = self.ctx.flow.qualify(func)
        if isinstance(func, cst.Name) and func.value == "open" and qual == f"{self.ctx.facts.module}.open":
            qual = None if self.shadowed else "builtins.open"
        kind = _BLOCKING.get(qual or "")
        if kind is None and isinstance(func, cst.Attribute):
            holder = self._constructor(func.value)
            if holder is not None and func.attr.value in _HOLDERS[holder][1]:
                kind = _HOLDERS[holder][0]
        if kind is None:
            return
        call = self.ctx.module.code_for_node(node)
        shown = call if len(call) <= 60 and "\n" not in call else self.ctx.module.code_for_node(func) + "(...)"
        self.report(
            node,
            f"`{shown}` {_WAITS[kind]} in an async function: it blocks the event loop, and every other "
            "request it serves waits.",
            fix=self._fix(node, kind, qual),
            hint=_HINTS[kind],
        )

    def _fix(self, node: cst.Call, kind: str, qual: str | None) -> FixSpec:
        if kind == "sleep" and qual == "time.sleep" and self.ctx.facts.qualify("asyncio") == "asyncio":
            args = ", ".join(self.ctx.module.code_for_node(a).rstrip(", ") for a in node.args)
            return FixSpec("await asyncio.sleep(...)", "unsafe", (NodeEdit(node, f"await asyncio.sleep({args})"),))
        return FixSpec(_HINTS[kind], "suggestion")
