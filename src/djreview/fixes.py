"""Apply a finding's edits to source text (used by the page tests; `--fix` builds on it)."""

from __future__ import annotations

from djreview.finding import Edit


def _offset(line_starts: list[int], line: int, column: int) -> int:
    return line_starts[line - 1] + column - 1


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits; an edit overlapping an earlier-applied one is skipped."""
    line_starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            line_starts.append(i + 1)
    spans = sorted(
        {(_offset(line_starts, e.line, e.column), _offset(line_starts, e.end_line, e.end_column), e.replacement)
         for e in edits},  # the same edit from two findings is applied once
        key=lambda s: (s[0], s[1], s[2]),
    )
    out, cursor = [], 0
    for start, end, replacement in spans:
        if start < cursor:
            continue  # overlaps: left for the next run
        out.append(text[cursor:start])
        out.append(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)
