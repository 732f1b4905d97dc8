"""`# noqa` comments: a finding on a line that carries one for its code is not reported.

A finding on a line that cannot end with a comment (inside a multi-line string, or a line
continued by a backslash) is silenced by a `# noqa` at the end of the first line after it
that can: where `djreview --add-noqa` writes it."""

from __future__ import annotations

import contextlib
import io
import re
import tokenize

from djreview.finding import Finding
from djreview.source import split_lines

_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_SPLIT = re.compile(r"[,\s]+")
# f-strings (3.12) and t-strings (3.14) come as several tokens, from a START to an END
_STRING_STARTS = {getattr(tokenize, n) for n in ("FSTRING_START", "TSTRING_START") if hasattr(tokenize, n)}
_STRING_ENDS = {getattr(tokenize, n) for n in ("FSTRING_END", "TSTRING_END") if hasattr(tokenize, n)}


def _codes(match: re.Match) -> list[str] | None:
    """The codes a `# noqa` match names, or None for a bare `# noqa` (every code)."""
    codes = match.group("codes")
    return [c.upper() for c in _SPLIT.split(codes) if c] if codes else None


def _silences(line: str, code: str) -> bool:
    match = _NOQA.search(line)
    if not match:
        return False
    codes = _codes(match)
    return codes is None or any(code.startswith(c) for c in codes)


def suppressed(finding: Finding, lines: list[str]) -> bool:
    """`# noqa` (every code), `# noqa: DJR101` or `# noqa: DJR101, DJR2` (codes or prefixes)
    on the finding's first line."""
    return 0 < finding.line <= len(lines) and _silences(lines[finding.line - 1], finding.code)


class NoqaComments:
    """The `# noqa` comments of one file: on the finding's line, or on the line where a
    comment for it can go (tokenized only when the file mentions noqa at all)."""

    def __init__(self, text: str, lines: list[str]):
        self.text, self.lines = text, lines
        self._places: CommentPlaces | None = None

    def suppresses(self, finding: Finding) -> bool:
        if suppressed(finding, self.lines):
            return True
        if "noqa" not in self.text.lower():
            return False
        if self._places is None:
            self._places = CommentPlaces(self.text)
        line = self._places.line_for(finding.line)
        return line != finding.line and 0 < line <= len(self.lines) and _silences(self.lines[line - 1], finding.code)


class CommentPlaces:
    """Which physical line can end with a comment for a given line: the line itself, unless
    its end is inside a multi-line string or it is continued by a backslash; then the line
    where that string or continuation ends."""

    def __init__(self, text: str):
        self.moved: dict[int, int] = {}  # line -> the next line to try
        # not Python after all: comments stay on their own line
        with contextlib.suppress(tokenize.TokenError, SyntaxError):
            self._read(text)

    def _read(self, text: str) -> None:
        opened: list[int] = []
        previous_end = 0
        for token in tokenize.generate_tokens(io.StringIO(text, newline=None).readline):
            kind, (start, _), (end, _) = token.type, token.start, token.end
            if kind in _STRING_STARTS:
                opened.append(start)
            elif kind in _STRING_ENDS and opened:
                start = opened.pop()
            if kind == tokenize.STRING or (kind in _STRING_ENDS and not opened):
                for line in range(start, end):  # a string spanning lines: its end line
                    self.moved[line] = end
            elif not opened and previous_end and start > previous_end and kind not in (tokenize.DEDENT,):
                # a token on a later line with no NEWLINE/NL between: a backslash continuation
                for line in range(previous_end, start):
                    self.moved.setdefault(line, line + 1)
            if kind in (tokenize.NEWLINE, tokenize.NL, tokenize.COMMENT) and not opened:
                previous_end = 0
            elif not opened:
                previous_end = end

    def line_for(self, line: int) -> int:
        seen = set()
        while line in self.moved and line not in seen:
            seen.add(line)
            line = self.moved[line]
        return line


def unknown_codes(display: str, text: str, known: frozenset[str] | tuple[str, ...]) -> list[str]:
    """A note per `# noqa: DJR…` naming a code or prefix that is no djreview code (a typo
    silences nothing). Other tools' codes (E501) are theirs."""
    if "noqa" not in text.lower():
        return []
    notes = []
    for number, line in enumerate(split_lines(text), 1):
        match = _NOQA.search(line)
        for code in (match and _codes(match)) or []:
            if code.startswith("DJR") and not any(k.startswith(code) for k in known):
                notes.append(
                    f"{display}:{number}: warning: `# noqa: {code}` names no djreview code (see `djreview rules`)"
                )
    return notes


def add_codes(line: str, codes: list[str]) -> str:
    """`line` (without its line ending) with a `# noqa` that silences `codes`: merged into an
    existing `# noqa: X` (`# noqa: X, DJR101`), unchanged under a bare `# noqa` or when every
    code is already named, else appended."""
    match = _NOQA.search(line)
    if match is None:
        return f"{line.rstrip()}  # noqa: {', '.join(codes)}"
    named = _codes(match)
    if named is None:
        return line
    missing = [c for c in codes if not any(c.startswith(n) for n in named)]
    if not missing:
        return line
    if match.group("codes"):
        end = match.end("codes")
        return f"{line[:end]}, {', '.join(missing)}{line[end:]}"
    return line  # unreachable: a match without codes is a bare noqa
