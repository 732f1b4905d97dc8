"""`--changed-since REF`: keep only findings on lines a pull request added or changed."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class ChangedError(Exception):
    """git could not answer (not a repository, unknown ref): the message says which."""


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ChangedError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        raise ChangedError((done.stderr.strip().splitlines() or ["git failed"])[-1])
    return done.stdout


def changed_lines(ref: str, cwd: Path) -> dict[str, set[int] | None]:
    """Absolute path -> changed line numbers of the working tree since `ref`; None: every line
    (a file git does not track yet)."""
    top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd)
    out: dict[str, set[int] | None] = {}
    current: str | None = None
    for line in _git(["diff", "--unified=0", "--no-color", "--no-ext-diff", ref, "--"], top).splitlines():
        if line.startswith("+++ "):
            name = line[4:]
            current = None if name == "/dev/null" else os.path.normpath(str(top / name[2:]))
            if current is not None:
                out.setdefault(current, set())
        elif current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                out[current].update(range(start, start + count))  # type: ignore[union-attr]
    for name in _git(["ls-files", "--others", "--exclude-standard"], top).splitlines():
        out[os.path.normpath(str(top / name))] = None
    return out


def keep_changed(findings: list, changes: dict[str, set[int] | None]) -> list:
    kept = []
    for f in findings:
        lines = changes.get(os.path.normpath(os.path.abspath(f.path)), set())
        if lines is None or f.line in lines:
            kept.append(f)
    return kept
