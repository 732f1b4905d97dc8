"""The size above which a file is skipped, never read into a parser.

Parsing cost grows faster than a file: measured with `djreview --no-cache -j1` on a project of
one generated file (benchmarks/RESULTS-limits.md), a 256 KiB models.py costs 5.8 s and
178 MB, a 1 MiB one 33 s and 635 MB; a 1 MiB list literal beside a model 20 s and 790 MB.
No Python file of Django, Wagtail, pretix, django-oscar, django-cms, django-allauth or
django-filer is over 375 KB, and only three test modules are over 256 KiB. A file over the
limit (`max-file-size` in [tool.djreview]) is skipped with a note, not a finding.
"""

from __future__ import annotations

import re

DEFAULT_MAX_FILE_SIZE = 256 * 1024
_UNITS = {"": 1, "b": 1, "k": 1000, "kb": 1000, "kib": 1024, "m": 1000**2, "mb": 1000**2, "mib": 1024**2}
_SIZE = re.compile(r"\s*([0-9]+)\s*([a-z]*)\s*", re.IGNORECASE)


def parse_size(value: object) -> int | None:
    """Bytes from 262144, "256KiB", "1 MB" or "300kb" (0: no limit); None if not a size."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = _SIZE.fullmatch(value)
    if match is None or match.group(2).lower() not in _UNITS:
        return None
    return int(match.group(1)) * _UNITS[match.group(2).lower()]


def _kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB"


def skipped_note(display: str, size: int, limit: int) -> str:
    return (
        f"{display}: skipped, {_kib(size)} is over max-file-size ({_kib(limit)}); "
        "raise max-file-size in [tool.djreview] to review it"
    )
