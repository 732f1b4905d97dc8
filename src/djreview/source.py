"""Reading a source file the way Python does: encoding cookie, BOM, any line endings."""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from dataclasses import dataclass


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


def _compiled(text: str, code: bytes | str) -> Source:
    """`text` with the tree of `code` (the bytes when there are any, so the cookie applies),
    or the reason Python rejects it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes is not ours to print
            tree = ast.parse(code)
    except SyntaxError as exc:
        detail = exc.msg or "invalid syntax"
        return Source(text=text, error=f"syntax error: {detail}", line=exc.lineno or 1, column=exc.offset or 1)
    except (ValueError, RecursionError, MemoryError) as exc:
        return Source(text=text, error=f"cannot compile file: {exc or type(exc).__name__}")
    return Source(text=text, tree=tree)


# Python's own suggestion at the end of a SyntaxError ("invalid syntax. Perhaps you forgot a
# comma?", "Missing parentheses in call to 'print'. Did you mean print(...)?").
_SUGGESTION = re.compile(r"(.*?[.!?]) ((?:Perhaps|Maybe|Did you mean)\b.*)", re.DOTALL)


def split_suggestion(error: str) -> tuple[str, str]:
    """`error` as (what is wrong, what to do): the hint is the suggestion Python itself made,
    if any, so that message + " " + hint is `error` unchanged."""
    match = _SUGGESTION.fullmatch(error)
    return (match.group(1), match.group(2)) if match else (error, "")
