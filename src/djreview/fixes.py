"""Apply findings' edits: to text (the page tests), and to files (`--fix`, `--diff`)."""

from __future__ import annotations

import difflib
import io
import os
import re
import tempfile
import tokenize
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from djreview.cache.store import content_digest
from djreview.finding import Edit
from djreview.source import line_starts, split_lines
from djreview.wrap import Placed, wrap_fixed


def _offset(starts: list[int], line: int, column: int) -> int:
    return starts[line - 1] + column - 1


def apply_edits(text: str, edits: list[Edit]) -> str:
    """Apply non-overlapping edits; an edit overlapping an earlier-applied one is skipped."""
    return apply_edits_placed(text, edits)[0]


def apply_edits_placed(text: str, edits: list[Edit]) -> tuple[str, list[Placed]]:
    """apply_edits(), and where each applied replacement landed (for wrap.py)."""
    starts = line_starts(text)  # the parser's line breaks, lone CR included
    spans = sorted(
        {
            (_offset(starts, e.line, e.column), _offset(starts, e.end_line, e.end_column), e.replacement) for e in edits
        },  # the same edit from two findings is applied once
        key=lambda s: (s[0], s[1], s[2]),
    )
    out, cursor, placed, length = [], 0, [], 0
    for start, end, replacement in spans:
        if start < cursor:
            continue  # overlaps: left for the next run
        out.append(text[cursor:start])
        length += start - cursor
        placed.append(Placed(length, length + len(replacement), start, replacement))
        out.append(replacement)
        length += len(replacement)
        cursor = end
    out.append(text[cursor:])
    return "".join(out), placed


# -- applying fixes to files (djreview --fix / --diff) ---------------------------------------


@dataclass
class FixResult:
    applied: Counter = field(default_factory=Counter)  # code -> fixes applied
    diffs: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # files left alone, and why
    written: list[str] = field(default_factory=list)  # files rewritten
    applied_in: dict[str, Counter] = field(default_factory=dict)  # path -> code -> fixes applied


def chosen(finding, unsafe: bool) -> bool:
    fix = finding.fix
    return bool(fix and fix.edits and (fix.applicability == "safe" or (unsafe and fix.applicability == "unsafe")))


def _decode(data: bytes) -> tuple[str, str, bool]:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    bom = data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig" if bom else encoding)
    return text, ("utf-8" if encoding == "utf-8-sig" else encoding), bom


def _write_if_unchanged(path: Path, read: bytes, data: bytes) -> bool:
    """Write `data` to `path` (a real file, not a link), unless its content is no longer
    `read`: the content is compared again just before the write, so a save by another process
    in between is never overwritten.

    The new file is written beside it and renamed over it (atomic), keeping its mode and,
    where allowed, its owner. A file with hard links, or whose owner cannot be kept, is
    rewritten in place instead, so that it stays the same file."""
    st = path.stat()
    if st.st_nlink > 1:
        return _write_in_place(path, read, data)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".djreview")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, st.st_mode & 0o7777)
        if hasattr(os, "getuid") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                os.unlink(tmp)
                return _write_in_place(path, read, data)
        if path.read_bytes() != read:
            os.unlink(tmp)
            return False
        os.replace(tmp, path)
        return True
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_in_place(path: Path, read: bytes, data: bytes) -> bool:
    with open(path, "r+b") as handle:
        if handle.read() != read:
            return False
        handle.seek(0)
        handle.write(data)
        handle.truncate()
    return True


def _outside(path: str, within: list[str]) -> str | None:
    """Where `path` really is, when that is outside every folder or file in `within`."""
    real = os.path.realpath(path)
    for top in within:
        if real == top or real.startswith(top.rstrip(os.sep) + os.sep):
            return None
    return real


_CHAINED = re.compile(r"^\.(select_related|prefetch_related)\((.*)\)$")


def _merge_insertions(edits: list[Edit]) -> list[Edit]:
    """Two fixes appending .select_related("a") and .select_related("b") at one spot become
    one .select_related("a", "b"); the same edit twice (a loop in the view and one in its
    template both wanting "tags") is made once."""
    out: list[Edit] = []
    for edit in edits:
        if edit in out:
            continue
        match = _CHAINED.match(edit.replacement)
        for i, prev in enumerate(out):
            same_spot = (prev.line, prev.column, prev.end_line, prev.end_column) == (
                edit.line,
                edit.column,
                edit.end_line,
                edit.end_column,
            )
            earlier = _CHAINED.match(prev.replacement)
            if match and earlier and same_spot and earlier.group(1) == match.group(1):
                known = [a.strip() for a in earlier.group(2).split(",")]
                args = earlier.group(2) if match.group(2).strip() in known else earlier.group(2) + ", " + match.group(2)
                out[i] = Edit(
                    prev.path, prev.line, prev.column, prev.end_line, prev.end_column, f".{match.group(1)}({args})"
                )
                break
        else:
            out.append(edit)
    return out


def fix_files(
    findings: list,
    unsafe: bool,
    write: bool,
    reviewed: dict[str, str] | None = None,
    within: list[str] | None = None,
    line_length: int = 88,
) -> FixResult:
    """Apply the chosen fixes of `findings`, file by file. Edits only ever touch a file the
    user asked to review: the finding's own, or (a finding in a template) its view's. A file is left
    unchanged when its content is no longer what was reviewed (`reviewed`: display path ->
    content digest) or changes while it is fixed (another djreview --fix, an editor's save),
    when the result would not compile, when it is a symlink that leads outside the paths
    given (`within`), and when it cannot be written (the others are still fixed). A line a fix
    makes longer than `line_length` is wrapped as a formatter would (wrap.py)."""
    result = FixResult()
    by_path: dict[str, list] = {}
    for f in findings:
        if chosen(f, unsafe):
            # a finding in a template (DJR101) carries its fix in the view's file
            for path in dict.fromkeys(e.path for e in f.fix.edits):
                by_path.setdefault(path, []).append(f)
    for path, items in sorted(by_path.items()):
        edits = _merge_insertions([e for f in items for e in f.fix.edits if e.path == path])
        change = rewrite(path, partial(_apply_to, edits, line_length), result, write, reviewed, within)
        if change is None:
            continue
        result.applied.update(f.code for f in items)
        result.applied_in[path] = Counter(f.code for f in items)
        if not write:
            text, new = change
            diff = difflib.unified_diff(
                split_lines(text, keepends=True), split_lines(new, keepends=True), f"a/{path}", f"b/{path}"
            )
            result.diffs.append("".join(diff))
    return result


def _apply_to(edits: list[Edit], line_length: int, text: str) -> str:
    return wrap_fixed(text, *apply_edits_placed(text, edits), line_length)


def rewrite(
    path: str,
    change: Callable[[str], str],
    result: FixResult,
    write: bool,
    reviewed: dict[str, str] | None = None,
    within: list[str] | None = None,
    python: bool = True,
) -> tuple[str, str] | None:
    """Replace the text of `path` with `change(text)`, safely (what fix_files promises): the
    (old, new) texts when it was (or, without `write`, would be) rewritten, else None, with
    the reason in `result.skipped` when there is one. `python`: the result must compile (not
    so for a template)."""
    within = [os.path.realpath(p) for p in within] if within is not None else None
    elsewhere = _outside(path, within) if within is not None else None
    if elsewhere is not None:
        result.skipped.append(f"{path}: a link to {elsewhere}, outside the paths given; left unchanged")
        return None
    file = Path(os.path.realpath(path))
    try:
        data = file.read_bytes()
        text, encoding, bom = _decode(data)
    except (OSError, SyntaxError, UnicodeDecodeError, LookupError) as exc:
        result.skipped.append(f"{path}: {exc}")
        return None
    if reviewed is not None and reviewed.get(path) != content_digest(data):
        result.skipped.append(f"{path}: changed since it was reviewed; left unchanged (run djreview again)")
        return None
    new = change(text)
    if new == text:
        return None
    try:  # compile(), not ast.parse(): it also rejects a keyword argument given twice
        if python:
            compile(new, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        result.skipped.append(f"{path}: the fixed file would not compile ({exc}); left unchanged")
        return None
    if write:
        try:
            written = os.access(file, os.W_OK) and _write_if_unchanged(
                file, data, (("\ufeff" if bom else "") + new).encode(encoding)
            )
        except OSError as exc:
            result.skipped.append(f"{path}: cannot write it ({exc.strerror or exc}); left unchanged")
            return None
        if not written and not os.access(file, os.W_OK):
            result.skipped.append(f"{path}: not writable; left unchanged")
            return None
        if not written:
            result.skipped.append(f"{path}: changed while it was being fixed; left unchanged (run djreview again)")
            return None
        result.written.append(path)
    return text, new
