"""`--add-noqa` in a template: `{# noqa: DJR101 #}` at the end of the reported line, or the
code added to the `{# noqa: ... #}` already there (lexer.py reads them back)."""

from __future__ import annotations

import re

from djreview.source import split_lines

_COMMENT = re.compile(r"\{#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?\s*#\}", re.IGNORECASE)


def with_template_noqa(by_line: dict[int, list[str]], count: list[int], text: str) -> str:
    """`text` with each line of `by_line` silenced for its codes; `count[0]` counts the lines changed."""
    lines = split_lines(text, keepends=True)
    for number, codes in sorted(by_line.items()):
        if not 0 < number <= len(lines):
            continue
        physical = lines[number - 1]
        body = physical.rstrip("\r\n")
        new = _silenced(body, sorted(codes))
        if new != body:
            lines[number - 1] = new + physical[len(body) :]
            count[0] += 1
    return "".join(lines)


def _silenced(line: str, codes: list[str]) -> str:
    match = _COMMENT.search(line)
    if match is None:
        return f"{line.rstrip()}{{# noqa: {', '.join(codes)} #}}"
    if match.group("codes") is None:
        return line  # a bare {# noqa #} silences every code
    named = [c.upper() for c in re.split(r"[,\s]+", match.group("codes")) if c]
    missing = [c for c in codes if not any(c.startswith(n) for n in named)]
    if not missing:
        return line
    end = match.end("codes")
    return f"{line[:end]}, {', '.join(missing)}{line[end:]}"
