"""`--baseline FILE`: adopt djreview on a legacy codebase and see only new findings.

An entry is (code, path, text of the flagged line): it survives edits elsewhere in the file
that shift line numbers, and a finding whose line is edited shows up again, as it should.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from djreview import __version__


class BaselineError(Exception):
    pass


def _key(f, line_text) -> tuple[str, str, str]:
    return (f.code, f.path, line_text(f).strip())


def write(path: Path, findings: list, line_text) -> None:
    entries = [dict(zip(("code", "path", "line"), _key(f, line_text))) for f in findings]
    data = {"djreview": __version__, "findings": entries}
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def load(path: Path) -> Counter:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["findings"]
        return Counter((e["code"], e["path"], e["line"]) for e in entries)
    except FileNotFoundError:
        raise BaselineError(f"no baseline file {path} (create it with --write-baseline)") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path} is not a djreview baseline: {exc}") from None


def new_findings(findings: list, known: Counter, line_text) -> list:
    """Findings not in the baseline; each entry absorbs as many findings as it was recorded."""
    left = Counter(known)
    out = []
    for f in findings:
        key = _key(f, line_text)
        if left[key] > 0:
            left[key] -= 1
        else:
            out.append(f)
    return out
