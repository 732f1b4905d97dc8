"""Resources a run may hold: pool workers die with the main process, and a single huge file
is skipped with a note instead of being parsed (issue 13 item 19)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from djreview.editor import review_text
from djreview.engine import Settings, run
from tests.helpers import ALL_CODES, AUTHOR_AND_BOOK, SRC, TAG_WITHOUT_STR, djreview, write_project

MANY_MODELS = "from django.db import models\n" + "".join(
    f"""

class Item{i}(models.Model):
    name = models.CharField(max_length=100)
    owner = models.ForeignKey("Item{max(i - 1, 0)}", on_delete=models.CASCADE)
"""
    for i in range(60)
)


def _children(pid: int) -> set[int]:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.add(int(entry))
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="finds the workers through /proc")
def test_pool_workers_die_with_the_main_process(tmp_path):
    write_project(tmp_path, {f"app{i}/models.py": MANY_MODELS for i in range(120)})
    (tmp_path / "manage.py").write_text("")
    main = subprocess.Popen(
        [sys.executable, "-m", "djreview", "--no-cache", "-j", "2", "."],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": SRC},
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and main.poll() is None and time.monotonic() < deadline:
            workers = _children(main.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the run never started its pool"
        time.sleep(0.3)  # let them take work
        main.send_signal(signal.SIGKILL)
        main.wait()
        deadline = time.monotonic() + 5
        while any(_running(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        left = [w for w in workers if _running(w)]
        assert left == [], f"workers outlived the main process: {left}"
    finally:
        main.kill()
        for worker in workers | _children(main.pid):
            if _running(worker):  # only when the test failed: leave nothing behind
                os.kill(worker, signal.SIGKILL)


def _huge(models: str, size: int) -> str:
    """`models` padded to about `size` bytes with comment lines (cheap to parse, so the tests
    that lift the limit stay fast)."""
    return models + ("# " + "padding " * 12 + "\n") * (size // 99)


def test_a_file_over_max_file_size_is_skipped_with_a_note(tmp_path, monkeypatch):
    from djreview import worker

    read, original = [], worker.read
    monkeypatch.setattr(worker, "read", lambda path: read.append(Path(path).name) or original(path))
    write_project(
        tmp_path,
        {
            "pyproject.toml": '[tool.djreview]\nmax-file-size = "2KiB"\n',
            "shop/models.py": AUTHOR_AND_BOOK,  # DJR201 at 14:14
            "shop/big.py": _huge(TAG_WITHOUT_STR, 4000),  # DJR202 if it were reviewed
        },
    )
    result = djreview("--no-cache", "--format", "concise", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert [line.split(" ")[:2] for line in result.stdout.splitlines() if "DJR" in line] == [
        ["shop/models.py:14:14:", "DJR201"]
    ]
    assert "djreview: shop/big.py: skipped, 4 KiB is over max-file-size (2 KiB)" in result.stderr
    assert "models.py" in read and "big.py" not in read  # never read, so never parsed


def test_the_default_limit_applies_and_the_setting_lifts_it(tmp_path, monkeypatch):
    write_project(tmp_path, {"shop/big.py": _huge(TAG_WITHOUT_STR, 300 * 1024)})
    monkeypatch.chdir(tmp_path)
    default = run(["."], Settings(codes=ALL_CODES, jobs=1))
    assert default.findings == [] and default.notes == [
        "shop/big.py: skipped, 300 KiB is over max-file-size (256 KiB); raise max-file-size in [tool.djreview] to review it"
    ]
    cache = tmp_path / ".djreview_cache"
    for _ in range(2):  # cold, then warm: a cached file is still measured against the limit
        lifted = run(["."], Settings(codes=ALL_CODES, jobs=1, max_file_size=0, cache_dir=cache))
        assert [(f.code, f.line) for f in lifted.findings] == [("DJR202", 5)] and lifted.notes == []
        again = run(["."], Settings(codes=ALL_CODES, jobs=1, cache_dir=cache))
        assert again.findings == [] and (again.notes, again.files) == (default.notes, default.files)


def test_the_editor_path_skips_a_huge_buffer(tmp_path):
    write_project(tmp_path, {"shop/models.py": AUTHOR_AND_BOOK, "manage.py": ""})
    text = _huge(TAG_WITHOUT_STR, 4000)
    result = review_text(tmp_path / "shop/big.py", text, Settings(codes=ALL_CODES, max_file_size=2048))
    assert result.findings == [] and "skipped, 4 KiB is over max-file-size (2 KiB)" in result.notes[0]
    small = review_text(tmp_path / "shop/tag.py", TAG_WITHOUT_STR, Settings(codes=ALL_CODES, max_file_size=2048))
    assert [(f.code, f.line) for f in small.findings] == [("DJR202", 5)]


@pytest.mark.parametrize(
    ("value", "size"), [(4096, 4096), ("512KiB", 512 * 1024), ("1 MB", 1_000_000), ("0", 0), ("300kb", 300_000)]
)
def test_max_file_size_values(tmp_path, value, size):
    from djreview.config import load

    (tmp_path / "pyproject.toml").write_text(f"[tool.djreview]\nmax-file-size = {value!r}\n".replace("'", '"'))
    assert load(tmp_path / "pyproject.toml").max_file_size == size


def test_a_bad_max_file_size_is_one_line_and_exit_2(tmp_path):
    write_project(tmp_path, {"pyproject.toml": '[tool.djreview]\nmax-file-size = "big"\n', "a.py": ""})
    result = djreview("--format", "concise", ".", cwd=tmp_path, env={"DJREVIEW_DEBUG": ""})
    assert result.returncode == 2
    assert "max-file-size must be a size" in result.stderr and len(result.stderr.strip().splitlines()) == 1
