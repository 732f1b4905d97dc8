"""Human output: rich in a terminal (message, hint, source context, fix as a diff), flake8-style lines
otherwise (message and hint as one sentence)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from djreview.finding import Finding
from djreview.source import split_lines
from djreview.templates.names import DJANGO_SUFFIXES as TEMPLATE_SUFFIXES


def plain_line(f: Finding) -> str:
    return f"{f.path}:{f.line}:{f.column}: {f.code} {f.text}"


def _summary_counts(report) -> list[tuple[str, str, int]]:
    names = {f.code: f.name for f in report.findings}
    counts = Counter(f.code for f in report.findings)
    return [(code, names[code], counts[code]) for code in sorted(counts)]


def render_statistics(report, write) -> None:
    """flake8-style counts, one line per code."""
    for code, name, n in _summary_counts(report):
        write(f"{n:<6} {code} {name}")


def render_concise(report, write) -> None:
    for f in report.findings:
        write(plain_line(f))


_LINES: dict[str, list[str]] = {}


def line_text(f: Finding) -> str:
    """The text of the finding's line (fingerprints and baselines match on it)."""
    lines = _LINES.setdefault(f.path, _source_lines(f.path))
    return lines[f.line - 1] if 0 < f.line <= len(lines) else ""


def render_plain(report, write, quiet: bool = False, footer: list[str] | tuple[str, ...] = ()) -> None:
    for f in report.findings:
        write(plain_line(f))
    if quiet:
        return
    counts = ", ".join(f"{code} {n}" for code, _, n in _summary_counts(report))
    write(
        f"Found {len(report.findings)} finding(s) in {report.files} file(s) "
        f"in {report.seconds:.2f}s" + (f" ({counts})" if counts else "") + "."
    )
    for line in footer:
        write(line)


def fixable_line(findings: list[Finding], unsafe: bool = False) -> str | None:
    """ "12 fixable with `--fix` (4 more with `--unsafe-fixes`)", or None when nothing is;
    with --unsafe-fixes already given, the unsafe ones count as fixable with --fix."""
    safe = sum(1 for f in findings if f.fix and f.fix.edits and f.fix.applicability == "safe")
    more = sum(1 for f in findings if f.fix and f.fix.edits and f.fix.applicability == "unsafe")
    if unsafe:
        safe, more = safe + more, 0
    if not safe and not more:
        return None
    return f"{safe} fixable with `--fix`" + (f" ({more} more with `--unsafe-fixes`)" if more else "")


def _source_lines(path: str) -> list[str]:
    try:
        return split_lines(Path(path).read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []


def _fix_diff(f: Finding, lines: list[str]) -> list[str]:
    """The fix's edits as - / + lines; an edit in another file (the view of a finding in a
    template) under that file's path and line."""
    if f.fix is None or not f.fix.edits:
        return []
    out: list[str] = []
    for edit in f.fix.edits:
        edited = lines if edit.path == f.path else _LINES.setdefault(edit.path, _source_lines(edit.path))
        if edit.line > len(edited) or edit.end_line > len(edited):
            continue
        if edit.path != f.path:
            out.append(f"@ {edit.path}:{edit.line}")
        before = edited[edit.line - 1 : edit.end_line]
        text = "\n".join(before)
        start = edit.column - 1
        end = len(text) - len(before[-1]) + edit.end_column - 1
        after = (text[:start] + edit.replacement + text[end:]).split("\n")
        out += [f"- {line}" for line in before] + [f"+ {line}" for line in after]
    return out


def _labelled(label: str, text: str, style: str):
    """`label text`, the text wrapping under itself, not under the label."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style=style, no_wrap=True)
    grid.add_column()
    grid.add_row(label, Text(text))
    return Padding(grid, (0, 0, 0, 2), expand=False)


def _print_finding(console, f: Finding, lines: list[str], tree) -> None:
    """The message and hint (wrapping under themselves), the statement that holds the finding
    in Python colours, the fix."""
    from rich.padding import Padding
    from rich.syntax import Syntax
    from rich.text import Text

    from djreview.report.frame import frame

    console.print(Padding(Text(f.message), (0, 0, 0, 2), expand=False))
    if f.hint:
        console.print(_labelled("hint:", f.hint, "blue"))
    if 0 < f.line <= len(lines):
        shown = frame(lines, tree, f.line)
        code = "\n".join(lines[shown.first - 1 : shown.last])
        if shown.cut_before:
            console.print("  [dim]…[/dim]")
        syntax = Syntax(
            code,
            "html+django" if f.path.endswith(TEMPLATE_SUFFIXES) else "python",  # a DJR101 in a template
            line_numbers=True,
            start_line=shown.first,
            highlight_lines={f.line},
            background_color="default",
            word_wrap=True,
        )
        console.print(Padding(syntax, (0, 0, 0, 2), expand=False))
        if shown.cut_after:
            console.print("  [dim]…[/dim]")
    if f.fix is not None:
        console.print(_labelled(f"fix ({f.fix.applicability}):", f.fix.description, "cyan"))
        for line in _fix_diff(f, lines):
            style = "red" if line.startswith("-") else "green" if line.startswith("+") else "dim"
            console.print(Padding(Text(line, style=style), (0, 0, 0, 4), expand=False))


def render_rich(report, console, quiet: bool = False, footer: list[str] | tuple[str, ...] = ()) -> None:
    from rich.markup import escape
    from rich.table import Table

    from djreview.report.frame import parse

    cache: dict[str, list[str]] = {}
    trees: dict[str, object] = {}
    for f in report.findings:
        lines = cache.setdefault(f.path, _source_lines(f.path))
        if f.path not in trees:
            trees[f.path] = parse(lines)
        colour = "red" if f.severity == "error" else "yellow"
        console.print(
            f"[bold]{escape(f.path)}:{f.line}:{f.column}[/bold] [{colour}]{f.code}[/{colour}] [dim]{f.name}[/dim]"
        )
        _print_finding(console, f, lines, trees[f.path])
        console.print()
    if quiet:
        return
    table = Table(title="djreview summary", show_edge=False)
    table.add_column("code")
    table.add_column("rule")
    table.add_column("findings", justify="right")
    for code, name, n in _summary_counts(report):
        table.add_row(code, name, str(n))
    console.print(table)
    console.print(f"{len(report.findings)} finding(s), {report.files} file(s) reviewed, {report.seconds:.2f}s")
    for line in footer:
        console.print(escape(line), highlight=False)
