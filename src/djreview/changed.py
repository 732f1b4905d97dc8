"""`--changed-since REF`: keep only findings on lines a pull request added or changed.

A pull request's changes are the difference between the merge-base of REF and HEAD and the
working tree, as GitHub shows them: lines that only REF's branch changed are not the branch's.
`A...B` names the merge-base of A and B explicitly; `A..B` compares with A's tip.

git is asked in a form the user's configuration cannot change (prefixes, colour, external diff
tools, relative paths, rename detection, path quoting are all set on the command line), and its
output is read as bytes: file names with spaces or any encoding survive.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

_HUNK = re.compile(rb"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
_OCTAL = re.compile(rb"\\([0-7]{3}|.)")
_ESCAPES = {b"a": b"\a", b"b": b"\b", b"f": b"\f", b"n": b"\n", b"r": b"\r", b"t": b"\t", b"v": b"\v"}

# every option that a git config key could otherwise change
_DIFF = [
    "-c",
    "core.quotePath=true",
    "diff",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--no-relative",
    "--find-renames",
    "--unified=0",
    "--src-prefix=a/",
    "--dst-prefix=b/",
]


class ChangedError(Exception):
    """git could not answer (not a repository, unknown ref): the message says which."""


def _git(args: list[str], cwd: Path) -> bytes:
    env = {k: v for k, v in os.environ.items() if k not in ("GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS")}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, env=env)
    except OSError as exc:
        raise ChangedError(f"cannot run git: {exc}") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ChangedError(lines[-1] if lines else f"git {args[0]} failed")
    return done.stdout


def _commit(ref: str, cwd: Path) -> str:
    try:
        return _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], cwd).decode().strip()
    except ChangedError:
        raise ChangedError(f"cannot resolve git ref {ref!r} to a commit") from None


def _merge_base(a: str, b: str, cwd: Path) -> str:
    first, second = _commit(a, cwd), _commit(b, cwd)
    try:
        return _git(["merge-base", first, second], cwd).decode().strip()
    except ChangedError:
        raise ChangedError(f"{a!r} and {b!r} have no common ancestor") from None


def base_commit(ref: str, cwd: Path) -> str:
    """The commit the working tree is compared with: `A...B` and a lone REF mean a merge-base
    (B defaults to HEAD), `A..B` means A itself."""
    if "..." in ref:
        a, _, b = ref.partition("...")
        return _merge_base(a or "HEAD", b or "HEAD", cwd)
    if ".." in ref:
        return _commit(ref.partition("..")[0] or "HEAD", cwd)
    return _merge_base(ref, "HEAD", cwd)


def _unquote(name: bytes) -> bytes:
    """A path as git prints it in a patch header: C-quoted when it holds unusual bytes, and
    followed by a tab when it holds a space."""
    if name.endswith(b"\t"):
        name = name[:-1]
    if not (name.startswith(b'"') and name.endswith(b'"') and len(name) >= 2):
        return name

    def one(match: re.Match) -> bytes:
        body = match.group(1)
        if len(body) == 3:
            return bytes([int(body, 8)])
        return _ESCAPES.get(body, body)

    return _OCTAL.sub(one, name[1:-1])


def _new_path(header: bytes, top: Path) -> str | None:
    name = _unquote(header)
    if name == b"/dev/null" or not name.startswith(b"b/"):
        return None
    return os.path.normpath(os.fsdecode(os.path.join(os.fsencode(top), name[2:])))


def repository_of(path: Path) -> Path:
    """The work tree holding `path` (a file or folder the user asked to review)."""
    folder = path if path.is_dir() else path.parent
    try:
        out = _git(["rev-parse", "--show-toplevel"], folder.resolve())
    except ChangedError as exc:
        raise ChangedError(f"{path} is not in a git repository ({exc})") from None
    return Path(os.fsdecode(out.rstrip(b"\n")))


def changed_lines(ref: str, where: Path) -> dict[str, set[int] | None]:
    """Absolute path -> changed line numbers of the working tree since `ref`; None: every line
    (a file git does not track yet)."""
    top = repository_of(where)
    base = base_commit(ref, top)
    out: dict[str, set[int] | None] = {}
    current: str | None = None
    for line in _git([*_DIFF, base, "--"], top).split(b"\n"):
        if line.startswith(b"+++ "):
            current = _new_path(line[4:], top)
            if current is not None:
                out.setdefault(current, set())
        elif current is not None:
            match = _HUNK.match(line)
            if match:
                start, count = int(match.group(1)), int(match.group(2) or b"1")
                out[current].update(range(start, start + count))  # type: ignore[union-attr]
    untracked = _git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name"], top)
    for name in untracked.split(b"\0"):
        if name:
            out[os.path.normpath(os.path.join(str(top), os.fsdecode(name)))] = None
    return out


def keep_changed(findings: list, changes: dict[str, set[int] | None]) -> list:
    """The findings on changed lines; a finding in a template (DJR101) also when the line its
    fix edits in the view changed (the queryset that lost its select_related)."""
    kept = []
    for f in findings:
        if _changed(changes, f.path, f.line) or any(
            e.path != f.path and _changed(changes, e.path, e.line) for e in (f.fix.edits if f.fix else ())
        ):
            kept.append(f)
    return kept


def _changed(changes: dict[str, set[int] | None], path: str, line: int) -> bool:
    lines = changes.get(os.path.realpath(path), set())
    return lines is None or line in lines
