"""`djreview --add-noqa`: silence today's findings where they are, with a noqa comment naming
the code on each reported line (merged into one already there), written as safely as `--fix` writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial

from djreview.fixes import FixResult, rewrite
from djreview.noqa import CommentPlaces, add_codes
from djreview.source import split_lines
from djreview.templates.names import DJANGO_SUFFIXES as TEMPLATE_SUFFIXES
from djreview.templates.noqa import with_template_noqa


@dataclass
class NoqaResult:
    lines: int = 0  # lines given a new or a longer noqa comment
    files: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files left alone, and why


def add_noqa(findings: list, reviewed: dict[str, str] | None, within: list[str]) -> NoqaResult:
    """Write a `# noqa` for each finding's code on the line that silences it (noqa.py): the
    finding's line, or the end of the multi-line string or backslash continuation it is in."""
    wanted: dict[str, dict[int, list[str]]] = {}
    for f in findings:
        codes = wanted.setdefault(f.path, {}).setdefault(f.line, [])
        if f.code not in codes:
            codes.append(f.code)
    out, fixes = NoqaResult(), FixResult()
    for path, by_line in sorted(wanted.items()):
        count = [0]

        def change(text: str, by_line=by_line, count=count) -> str:
            return _with_noqa(text, by_line, count)

        if path.endswith(TEMPLATE_SUFFIXES):  # a DJR101 in a template: {# noqa: DJR101 #}
            done = rewrite(path, partial(with_template_noqa, by_line, count), fixes, True, None, within, python=False)
        else:
            done = rewrite(path, change, fixes, True, reviewed, within)
        if done is not None:
            out.files.append(path)
            out.lines += count[0]
    out.skipped = fixes.skipped
    return out


def _with_noqa(text: str, by_line: dict[int, list[str]], count: list[int]) -> str:
    places = CommentPlaces(text)
    codes: dict[int, list[str]] = {}
    for line, names in by_line.items():
        target = codes.setdefault(places.line_for(line), [])
        target += [c for c in names if c not in target]
    lines = split_lines(text, keepends=True)
    for number, names in codes.items():
        if not 0 < number <= len(lines):
            continue
        physical = lines[number - 1]
        body = physical.rstrip("\r\n")
        new = add_codes(body, sorted(names))
        if new != body:
            lines[number - 1] = new + physical[len(body) :]
            count[0] += 1
    return "".join(lines)
