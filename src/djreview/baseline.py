"""`--baseline FILE`: adopt djreview on a legacy codebase and see only new findings.

An entry is (code, path, text of the flagged line): it survives edits elsewhere in the file
that shift line numbers, and a finding whose line is edited shows up again, as it should.
Paths are relative to the project root (the pyproject.toml's folder), so a baseline written
in one folder works from any other.
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from pathlib import Path

from djreview import __version__


class BaselineError(Exception):
    pass


def _key(f, line_text, root: Path) -> tuple[str, str, str]:
    full = os.path.realpath(os.path.dirname(os.path.abspath(f.path)))
    try:
        where = (Path(full).relative_to(root) / os.path.basename(f.path)).as_posix()
    except ValueError:  # outside the project: as it was named
        where = Path(f.path).as_posix()
    return (f.code, where, line_text(f).strip())


def write(path: Path, findings: list, line_text, root: Path) -> None:
    entries = [dict(zip(("code", "path", "line"), _key(f, line_text, root))) for f in findings]
    data = {"djreview": __version__, "findings": entries}
    text = json.dumps(data, indent=2) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write the baseline {path}: {exc.strerror or exc}") from None


def _read(path: Path) -> str:
    """The file's text; only a regular file is opened (a FIFO would block for ever)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise BaselineError(f"no baseline file {path} (create it with --write-baseline)") from None
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {path}: {exc.strerror or exc}") from None
    with open(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise BaselineError(f"the baseline {path} is not a regular file")
        try:
            return handle.read().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise BaselineError(f"cannot read the baseline {path}: {exc}") from None


def load(path: Path) -> Counter:
    text = _read(path)
    try:
        data = json.loads(text)
        entries = data["findings"]
        return Counter((e["code"], e["path"], e["line"]) for e in entries)
    except RecursionError:
        raise BaselineError(f"{path} is not a djreview baseline: it nests too deeply") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path} is not a djreview baseline: {exc}") from None


def new_findings(findings: list, known: Counter, line_text, root: Path) -> list:
    """Findings not in the baseline; each entry absorbs as many findings as it was recorded."""
    left = Counter(known)
    out = []
    for f in findings:
        key = _key(f, line_text, root)
        if left[key] > 0:
            left[key] -= 1
        else:
            out.append(f)
    return out
