"""`# noqa` comments: a finding on a line that carries one for its code is not reported."""

from __future__ import annotations

import re

from djreview.finding import Finding

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)


def suppressed(finding: Finding, lines: list[str]) -> bool:
    """`# noqa` (every code), `# noqa: DJR101` or `# noqa: DJR101, DJR2` (codes or prefixes)
    on the finding's first line."""
    if finding.line > len(lines):
        return False
    match = _NOQA.search(lines[finding.line - 1])
    if not match:
        return False
    codes = match.group("codes")
    if not codes:
        return True
    return any(finding.code.startswith(c.upper()) for c in re.split(r"[,\s]+", codes) if c)
