"""The code frame under a finding in the terminal: the whole statement that holds it (a
`ForeignKey(` call over six lines is shown whole), capped at MAX_LINES with an ellipsis."""

from __future__ import annotations

import ast
import warnings
from dataclasses import dataclass

from djreview.index.nodes import first_line

MAX_LINES = 8
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


@dataclass
class Frame:
    first: int  # the first line shown (1-based)
    last: int  # the last line shown
    cut_before: bool  # the statement starts above `first`
    cut_after: bool  # the statement goes on below `last`


def parse(lines: list[str]) -> ast.Module | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse("\n".join(lines))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # a DJR001 file: the lines around the error instead


def frame(lines: list[str], tree: ast.Module | None, line: int) -> Frame:
    """The lines to show for a finding on `line`: its statement, or the line either side."""
    start, end = statement_span(tree, line) if tree is not None else (line - 1, line + 1)
    start, end = max(1, min(start, line)), min(len(lines), max(end, line))
    if end - start < MAX_LINES:
        return Frame(start, end, False, False)
    first = start if line < start + MAX_LINES else line - MAX_LINES // 2
    last = min(end, first + MAX_LINES - 1)
    return Frame(first, last, first > start, last < end)


def statement_span(tree: ast.Module, line: int) -> tuple[int, int]:
    """The lines of the innermost statement holding `line`; of a compound statement (a class,
    a loop) only its header, up to the first statement of its body."""
    body: list[ast.stmt] = tree.body
    span = (line, line)
    while True:
        for stmt in body:
            first = first_line(stmt)
            if first <= line <= (stmt.end_lineno or stmt.lineno):
                break
        else:
            return span
        inner = [s for block in _BLOCKS for s in _statements(getattr(stmt, block, ()))]
        if not inner:
            return first, stmt.end_lineno or stmt.lineno
        header_end = max(stmt.lineno, min(s.lineno for s in inner) - 1)
        span = (first, header_end)
        if line <= header_end:
            return span
        body = inner


def _statements(block) -> list[ast.stmt]:
    """A block's statements; an except handler or a match case stands for its own body."""
    out: list[ast.stmt] = []
    for item in block:
        if isinstance(item, ast.stmt):
            out.append(item)
        else:  # ExceptHandler, match_case: their bodies
            out.extend(item.body)
    return out
