"""GitLab Code Quality report (a JSON array), for merge request widgets."""

from __future__ import annotations

import hashlib
import json

SEVERITIES = {"error": "critical", "warning": "major", "info": "info"}


def fingerprint(f, line_text: str) -> str:
    """Stable across unrelated edits: code, path and the flagged line's text, not its number."""
    key = f"{f.code}\0{f.path}\0{line_text.strip()}"
    # surrogateescape: a file name that is not valid UTF-8 still has a fingerprint
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def render(report, line_text) -> str:
    seen: dict[str, int] = {}
    issues = []
    for f in report.findings:
        base = fingerprint(f, line_text(f))
        seen[base] = seen.get(base, 0) + 1
        issues.append(
            {
                "description": f"{f.code} {f.text}",
                "check_name": f"{f.code} {f.name}",
                "fingerprint": base if seen[base] == 1 else f"{base}-{seen[base]}",
                "severity": SEVERITIES.get(f.severity, "major"),
                "location": {"path": f.path, "lines": {"begin": f.line, "end": f.end_line}},
            }
        )
    return json.dumps(issues, indent=2)
