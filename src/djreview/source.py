"""Reading a source file the way Python does: encoding cookie, BOM, any line endings."""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
import warnings
from dataclasses import dataclass

from djreview.compile_errors import compile_error


@dataclass
class Source:
    text: str | None = None
    tree: ast.Module | None = None
    error: str | None = None  # why the file could not be read or compiled
    line: int = 1
    column: int = 1


def load(data: bytes, compile_check: bool = True) -> Source:
    """Decode and compile-check `data`; a file Python rejects gets an error, not an exception."""
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
        text = data.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as exc:
        return Source(error=f"cannot decode file: {exc}")
    if text.startswith("\ufeff"):
        text = text[1:]
    return _compiled(text, data) if compile_check else Source(text=text)


def load_text(text: str, compile_check: bool = True) -> Source:
    """Like load(), for text already decoded (an editor's buffer): no encoding cookie applies."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return _compiled(text, text) if compile_check else Source(text=text)


def parse_tree(text: str) -> ast.Module | None:
    """The stdlib tree of text indexing already accepted (a review's prefilter), or None."""
    parsed = _parsed(text, text)
    return parsed if isinstance(parsed, ast.Module) else None


def _compiled(text: str, code: bytes | str) -> Source:
    """`text` with the tree of `code` (the bytes when there are any, so the cookie applies),
    or the reason Python rejects it."""
    parsed = _parsed(text, code)
    if isinstance(parsed, Source):
        return parsed
    rejected = compile_error(parsed, text)  # what the parser lets through (`return` outside a function)
    if rejected is not None:
        return _syntax_error(text, rejected)
    return Source(text=text, tree=parsed)


def _parsed(text: str, code: bytes | str) -> ast.Module | Source:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes is not ours to print
            return ast.parse(code)
    except SyntaxError as exc:
        return _syntax_error(text, exc)
    except (ValueError, RecursionError, MemoryError) as exc:
        return Source(text=text, error=f"cannot compile file: {exc or type(exc).__name__}")


def _syntax_error(text: str, exc: SyntaxError) -> Source:
    detail = exc.msg or "invalid syntax"
    lines = split_lines(text)
    line = lines[exc.lineno - 1] if exc.lineno and 0 < exc.lineno <= len(lines) else ""
    # PEP 701 (Python 3.12) lifted the f-string limits (backslashes, comments and the same
    # quotes inside the braces); PEP 695 added `type X = ...` and `def f[T]()`, `class C[T]`:
    # the project may well target 3.12
    newer = None
    if sys.version_info < (3, 12) and (detail.startswith("f-string") or _PEP_695.match(line)):
        newer = "3.12"
    elif sys.version_info < (3, 14) and detail.startswith("multiple exception types must be parenthesized"):
        newer = "3.14"  # PEP 758: `except A, B:` (ocw-studio, which requires 3.14)
    if newer is not None:
        running = f"{sys.version_info.major}.{sys.version_info.minor}"
        detail += f"{NEWER_SYNTAX}{newer}; djreview runs on Python {running} here: run it on {newer} to read this file)"
    return Source(text=text, error=f"syntax error: {detail}", line=exc.lineno or 1, column=exc.offset or 1)


# How a parse error's message begins the hint that a newer Python reads the file (the run's
# summary counts those files, engine.py).
NEWER_SYNTAX = " (valid from Python "

# A type alias statement or a generic function or class (PEP 695, Python 3.12).
_PEP_695 = re.compile(r"\s*(?:type\s+\w+\s*(?:\[[^=]*\])?\s*=|(?:async\s+)?def\s+\w+\s*\[|class\s+\w+\s*\[)")


# Where Python's parser ends a line. str.splitlines() also splits on \f, \v, \x1c-\x1e, \x85,
# \u2028 and \u2029, which the parser reads as part of a line (a form feed in indentation, any of
# them in a comment or a string): line numbers from such a split drift from the tree's.
LINE_END = re.compile(r"\r\n|\r|\n")
_LINE_WITH_END = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def split_lines(text: str, keepends: bool = False) -> list[str]:
    """`text`'s lines as the parser counts them (line N is item N - 1), like splitlines()."""
    if keepends:
        return _LINE_WITH_END.findall(text)
    lines = LINE_END.split(text) if "\r" in text else text.split("\n")  # split() is 8x faster
    if lines[-1] == "":
        lines.pop()  # a final line break ends the last line, it does not start one
    return lines


def line_starts(text: str) -> list[int]:
    """The offset in `text` where each line starts."""
    return [0, *(m.end() for m in LINE_END.finditer(text))]


# Python's own suggestion at the end of a SyntaxError ("invalid syntax. Perhaps you forgot a
# comma?", "Missing parentheses in call to 'print'. Did you mean print(...)?").
_SUGGESTION = re.compile(r"(.*?[.!?]) ((?:Perhaps|Maybe|Did you mean)\b.*)", re.DOTALL)


def split_suggestion(error: str) -> tuple[str, str]:
    """`error` as (what is wrong, what to do): the hint is the suggestion Python itself made,
    if any, so that message + " " + hint is `error` unchanged."""
    match = _SUGGESTION.fullmatch(error)
    return (match.group(1), match.group(2)) if match else (error, "")


def char_column(line: str, byte_offset: int) -> int:
    """The stdlib parser's column (a UTF-8 byte offset into the line) in characters, as libcst
    and editors count it."""
    if line.isascii():
        return byte_offset
    return len(line.encode("utf-8")[:byte_offset].decode("utf-8", "replace"))
