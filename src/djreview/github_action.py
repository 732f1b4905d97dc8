"""The step the GitHub Action runs: ``python -m djreview.github_action``.

It runs the review once, as JSON, through the command line in this process (so `args` means
exactly what it means to `djreview`), then reports it in every way GitHub shows one:
annotations (GitHub keeps at most 10 of each type per step, so a notice says how many were
left out), a job summary with the counts and every finding, the step outputs `findings` and
`sarif-file`, and a SARIF file for code scanning on request.

Inputs arrive as environment variables, never pasted into a script (action.yml maps each one):
INPUT_PATHS and INPUT_ARGS (split like a shell would, with shlex), INPUT_CHANGED_SINCE,
INPUT_FAIL_ON_FINDINGS (default true), INPUT_SARIF (default false). GitHub's own variables
say where to write: GITHUB_STEP_SUMMARY, GITHUB_OUTPUT, GITHUB_WORKSPACE (annotation and SARIF
paths are relative to it), RUNNER_TEMP (the SARIF file and djreview's cache go there, not into
the checkout).

Exit status: 0 no findings, or findings with fail-on-findings false; 1 findings; 2 an input
djreview cannot use or an error of djreview itself, whatever fail-on-findings says.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import sys
import tempfile
import traceback
import uuid
from collections import Counter
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import quote

from djreview.finding import Edit, Finding, Fix
from djreview.report.github import LEVELS
from djreview.report.github import _data as escape_data
from djreview.report.github import render as render_annotations

# GitHub shows at most this many annotations of each type (error, warning, notice) per step
ANNOTATIONS_PER_TYPE = 10
# GitHub refuses a step summary above 1 MiB; stop listing findings a little before
SUMMARY_LIMIT = 1024 * 1024 - 16 * 1024
# options that would change what the review prints or make it write files: the action owns those
OWNED_OPTIONS = frozenset(
    {
        "--format",
        "--output-file",
        "-o",
        "--fix",
        "--diff",
        "--unsafe-fixes",
        "--add-noqa",
        "--write-baseline",
        "--show-settings",
        "--show-fixes",
        "--help",
        "-h",
        "--version",
    }
)
TRUE = frozenset({"true", "yes", "on", "1"})
FALSE = frozenset({"false", "no", "off", "0", ""})


class InputError(Exception):
    """An input the action cannot use: one line, exit 2."""


@dataclass(frozen=True)
class Inputs:
    paths: list[str]
    args: list[str]
    changed_since: str
    fail_on_findings: bool
    sarif: bool


def _flag(name: str, value: str | None, default: bool) -> bool:
    if value is None or not value.strip():
        return default
    word = value.strip().lower()
    if word in TRUE:
        return True
    if word in FALSE:
        return False
    raise InputError(f"input {name} must be true or false, not {value!r}")


def _words(name: str, value: str) -> list[str]:
    try:
        return shlex.split(value)
    except ValueError as exc:  # an unclosed quote
        raise InputError(f"input {name} cannot be split into words: {exc}") from None


def read_inputs(environ) -> Inputs:
    args = _words("args", environ.get("INPUT_ARGS", ""))
    for word in args:
        option = word.split("=", 1)[0]
        if option in OWNED_OPTIONS:
            raise InputError(
                f"input args: {option} is not for the action, which runs the review as JSON and "
                "reports it as annotations, a job summary and SARIF (see the action's inputs)"
            )
    return Inputs(
        paths=_words("paths", environ.get("INPUT_PATHS", "")) or ["."],
        args=args,
        changed_since=environ.get("INPUT_CHANGED_SINCE", "").strip(),
        fail_on_findings=_flag("fail-on-findings", environ.get("INPUT_FAIL_ON_FINDINGS"), True),
        sarif=_flag("sarif", environ.get("INPUT_SARIF"), False),
    )


def review_argv(inputs: Inputs, environ) -> list[str]:
    """The command line of the one review: JSON, the user's options, then the paths after `--`
    (a path may start with a dash)."""
    argv = ["--format", "json", *inputs.args]
    if inputs.changed_since:
        argv += ["--changed-since", inputs.changed_since]
    chosen = {word.split("=", 1)[0] for word in inputs.args}
    if environ.get("RUNNER_TEMP") and not chosen & {"--cache-dir", "--no-cache"}:
        # the cache stays out of the checkout (a later build or upload step would pick it up)
        argv += ["--cache-dir", str(Path(environ["RUNNER_TEMP"]) / "djreview-cache")]
    return [*argv, "--", *inputs.paths]


def run_review(argv: list[str]) -> tuple[int, str, str]:
    """Run `djreview ARGV` in this process: its exit status, what it printed on stdout (the
    JSON) and on stderr (notes, or its one-line error)."""
    from djreview.cli import main

    out, err = io.StringIO(), io.StringIO()
    status: int = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(argv)
        except SystemExit as done:
            status = done.code if isinstance(done.code, int) else (0 if done.code is None else 2)
    return status, out.getvalue(), err.getvalue()


def _build(cls, data: dict):
    return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})


def finding_of(data: dict) -> Finding:
    """A Finding back from its JSON object (whose "message" is the message and the hint)."""
    message, hint = data["message"], data.get("hint") or ""
    if hint and message.endswith(" " + hint):
        message = message[: -len(hint) - 1]
    fix = None
    if data.get("fix"):
        edits = tuple(_build(Edit, e) for e in data["fix"].get("edits", ()))
        fix = Fix(data["fix"]["description"], data["fix"]["applicability"], edits)
    return replace(_build(Finding, {**data, "fix": None}), message=message, hint=hint, fix=fix)


def relative_to(root: Path, path: str) -> str:
    """`path` (relative to the current folder, as djreview prints it) relative to `root`, with
    forward slashes, as annotations and SARIF want it; unchanged when outside `root`."""
    absolute = os.path.normpath(os.path.join(os.getcwd(), path))
    # getcwd() names the real folder; the workspace may be named through a link (macOS's /tmp)
    for base in dict.fromkeys((os.path.normpath(root), os.path.realpath(root))):
        try:
            rel = os.path.relpath(absolute, base)
        except ValueError:  # another drive, on Windows
            continue
        if rel != os.pardir and not rel.startswith(os.pardir + os.sep):
            return rel.replace(os.sep, "/")
    return path


def rooted(findings: list[Finding], root: Path) -> list[Finding]:
    out = []
    for f in findings:
        fix = f.fix
        if fix is not None:
            fix = replace(fix, edits=tuple(replace(e, path=relative_to(root, e.path)) for e in fix.edits))
        out.append(replace(f, path=relative_to(root, f.path), fix=fix))
    return out


def level(f: Finding) -> str:
    return LEVELS.get(f.severity, "warning")


def split_annotations(findings: list[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(shown as annotations, not shown): at most 10 of each type, in order. When some are
    cut, the notice that says so takes one of the 10 notice slots."""
    counts = Counter(level(f) for f in findings)
    cut = any(n > ANNOTATIONS_PER_TYPE for n in counts.values())
    budget = Counter({lvl: ANNOTATIONS_PER_TYPE for lvl in set(LEVELS.values())})
    if cut:
        budget["notice"] -= 1
    shown, hidden = [], []
    for f in findings:
        if budget[level(f)] > 0:
            budget[level(f)] -= 1
            shown.append(f)
        else:
            hidden.append(f)
    return shown, hidden


@contextlib.contextmanager
def commands_stopped():
    """Text printed inside is never read as a workflow command: file names and messages come
    from the repository under review, and a file name may hold a newline and `::`."""
    token = uuid.uuid4().hex
    _flush()
    print(f"::stop-commands::{token}", flush=True)
    try:
        yield
    finally:
        _flush()
        print(f"::{token}::", flush=True)


def _flush() -> None:
    sys.stdout.flush()
    sys.stderr.flush()


def print_annotations(findings: list[Finding], summary_written: bool) -> list[Finding]:
    """Print the annotations GitHub will show, a notice about the rest, and the rest as plain
    lines in a folded group of the log. Returns the findings shown as annotations."""
    shown, hidden = split_annotations(findings)
    if shown:
        print(render_annotations(SimpleNamespace(findings=shown)))
    if hidden:
        where = "the job summary lists them all" if summary_written else "the log below lists them"
        note = (
            f"{len(hidden)} of {len(findings)} djreview findings are not shown as annotations "
            f"(GitHub shows at most {ANNOTATIONS_PER_TYPE} of each type per step): {where}."
        )
        print(f"::notice title=djreview::{escape_data(note)}")
        print(f"::group::djreview: the {len(hidden)} findings not shown as annotations")
        with commands_stopped():
            for f in hidden:
                print(f"{f.path}:{f.line}:{f.column}: {f.code} {f.text}")
        print("::endgroup::")
    return shown


# -- the job summary --------------------------------------------------------------------------

MARKDOWN_SPECIAL = "\\`*_[]<>|~&!#"


CODE_SPAN = re.compile(r"(`[^`]+`)")


def md(text: str) -> str:
    """Text inside a Markdown table cell: one line, `code` spans kept (djreview's messages quote
    code that way; nothing inside one is markup, but a `|` would still end the cell) and, outside
    them, every character that could start markup, a link, HTML or a new cell escaped."""
    parts = CODE_SPAN.split(" ".join(text.splitlines()))
    return "".join(
        part.replace("|", "\\|") if i % 2 else "".join("\\" + c if c in MARKDOWN_SPECIAL else c for c in part)
        for i, part in enumerate(parts)
    )


def _link(f: Finding, environ, root: Path) -> str:
    label = md(f"{f.path}:{f.line}")
    server, repo, sha = (environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    # a link only when the workspace is the repository's root, so the path is the repository's
    if not (server and repo and sha) or os.path.isabs(f.path) or not (root / ".git").exists():
        return label
    url = f"{server}/{quote(repo)}/blob/{quote(sha)}/{quote(f.path.encode('utf-8', 'surrogateescape'))}#L{f.line}"
    return f"[{label}]({url})"


def summary_markdown(findings: list[Finding], data: dict, inputs: Inputs, environ, root: Path) -> str:
    files = data.get("summary", {}).get("files", 0)
    scope = f", on lines changed since {md(inputs.changed_since)}" if inputs.changed_since else ""
    if not findings:
        return f"## djreview\n\nNo findings in {files} file(s){scope}.\n"
    lines = ["## djreview", "", f"**{len(findings)} finding(s)** in {files} file(s){scope}.", ""]
    names = {f.code: f.name for f in findings}
    lines += ["| code | rule | findings |", "|---|---|---:|"]
    for code, n in sorted(Counter(f.code for f in findings).items()):
        lines.append(f"| {md(code)} | {md(names[code])} | {n} |")
    lines += ["", "| file:line | code | message |", "|---|---|---|"]
    size = sum(len(line.encode("utf-8", "backslashreplace")) + 1 for line in lines)
    for listed, f in enumerate(findings):
        row = f"| {_link(f, environ, root)} | {md(f.code)} | {md(f.text)} |"
        size += len(row.encode("utf-8", "backslashreplace")) + 1
        if size > SUMMARY_LIMIT:
            lines += [
                "",
                f"{len(findings) - listed} more finding(s) are not listed: GitHub limits a step's "
                "summary to 1 MiB. The step's log and the SARIF file (input `sarif`) hold them all.",
            ]
            break
        lines.append(row)
    return "\n".join(lines) + "\n"


def append_to(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8", errors="backslashreplace", newline="\n") as out:
        out.write(text)


def set_outputs(path: str, values: dict[str, str]) -> None:
    """Step outputs in the delimiter form, which holds any value (newlines included)."""
    chunks = []
    for name, value in values.items():
        delimiter = f"ghadelimiter_{uuid.uuid4().hex}"
        chunks.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    append_to(path, "".join(chunks))


def write_sarif(findings: list[Finding], path: Path, root: Path) -> None:
    from djreview.report import sarif
    from djreview.report.text import line_text

    def text_of(f: Finding) -> str:  # the flagged line, read where the file is
        return line_text(replace(f, path=str(root / f.path)))

    path.write_text(sarif.render(SimpleNamespace(findings=findings), text_of) + "\n", encoding="utf-8")


def fail(line: str, status: int = 2, echo: bool = True) -> int:
    """Say why the step fails: the line in the log, and as an error annotation, which shows
    where the pull request's checks are read."""
    if echo:
        print(line, file=sys.stderr, flush=True)
    print(f"::error title=djreview::{escape_data(line)}", flush=True)
    return status


def main(environ=None) -> int:
    environ = os.environ if environ is None else environ
    # a file name that is not valid UTF-8 must not end the step with an encoding error
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    try:
        inputs = read_inputs(environ)
    except InputError as exc:
        return fail(f"djreview: error: {exc}")
    summary_path, output_path = environ.get("GITHUB_STEP_SUMMARY"), environ.get("GITHUB_OUTPUT")

    status, printed, said = run_review(review_argv(inputs, environ))
    if said:
        with commands_stopped():  # djreview's notes name the repository's files
            sys.stderr.write(said)
    if status not in (0, 1):
        if summary_path:
            append_to(
                summary_path, f"## djreview\n\ndjreview could not run (exit status {status}): see the step's log.\n"
            )
        lines = said.strip().splitlines()
        return fail(lines[-1] if lines else f"djreview: exit status {status}", status, echo=False)
    try:
        data = json.loads(printed)
        root = Path(environ.get("GITHUB_WORKSPACE") or os.getcwd())
        findings = rooted([finding_of(item) for item in data["findings"]], root)
    except (ValueError, KeyError, TypeError) as exc:
        return fail(f"djreview: internal error: the review's JSON could not be read: {exc!r}")

    shown = print_annotations(findings, summary_written=bool(summary_path))
    if summary_path:
        append_to(summary_path, summary_markdown(findings, data, inputs, environ, root))
    outputs = {"findings": str(len(findings))}
    if inputs.sarif:
        folder = Path(environ.get("RUNNER_TEMP") or tempfile.gettempdir())
        sarif_path = folder / "djreview.sarif"
        write_sarif(findings, sarif_path, root)
        outputs["sarif-file"] = str(sarif_path)
        print(f"djreview: wrote SARIF to {sarif_path}")
    if output_path:
        set_outputs(output_path, outputs)
    failing = bool(findings) and inputs.fail_on_findings
    print(
        f"djreview: {len(findings)} finding(s), {len(shown)} shown as annotations"
        + ("; fail-on-findings is true, so the step fails" if failing else "")
    )
    return 1 if failing else 0


def entry() -> None:
    """`python -m djreview.github_action`: a failure of the step itself (an unwritable summary
    or output file, a bug) is one line and exit 2, never a traceback's exit 1, which would read
    as "findings"."""
    try:
        status = main()
    except KeyboardInterrupt:
        print("djreview: interrupted", file=sys.stderr)
        status = 130
    except Exception as exc:
        if os.environ.get("DJREVIEW_DEBUG"):
            traceback.print_exc()
        status = fail(f"djreview: error: the GitHub Action step failed: {type(exc).__name__}: {exc}")
    sys.exit(status)


if __name__ == "__main__":
    entry()
