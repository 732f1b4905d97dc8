"""Human output: rich in a terminal (message, hint, source context, fix as a diff), flake8-style lines
otherwise (message and hint as one sentence)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from djreview.finding import Finding
from djreview.source import split_lines


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
    """The fix's edits on the finding's own file, as - / + lines."""
    if f.fix is None or not f.fix.edits:
        return []
    out: list[str] = []
    for edit in f.fix.edits:
        if edit.path != f.path or edit.line > len(lines) or edit.end_line > len(lines):
            continue
        before = lines[edit.line - 1 : edit.end_line]
        text = "\n".join(before)
        start = edit.column - 1
        end = len(text) - len(before[-1]) + edit.end_column - 1
        after = (text[:start] + edit.replacement + text[end:]).split("\n")
        out += [f"- {line}" for line in before] + [f"+ {line}" for line in after]
    return out


def render_rich(report, console, quiet: bool = False, footer: list[str] | tuple[str, ...] = ()) -> None:
    from rich.markup import escape
    from rich.table import Table

    cache: dict[str, list[str]] = {}
    for f in report.findings:
        lines = cache.setdefault(f.path, _source_lines(f.path))
        colour = "red" if f.severity == "error" else "yellow"
        console.print(
            f"[bold]{escape(f.path)}:{f.line}:{f.column}[/bold] [{colour}]{f.code}[/{colour}] [dim]{f.name}[/dim]"
        )
        console.print(f"  {escape(f.message)}")
        if f.hint:
            console.print(f"  [blue]hint:[/blue] {escape(f.hint)}")
        for number in range(max(1, f.line - 1), min(len(lines), f.line + 1) + 1):
            marker = ">" if number == f.line else " "
            console.print(f"  [dim]{marker}{number:>5} |[/dim] {escape(lines[number - 1])}", highlight=False)
        if f.fix is not None:
            console.print(f"  [cyan]fix ({f.fix.applicability}):[/cyan] {escape(f.fix.description)}")
            for line in _fix_diff(f, lines):
                style = "red" if line.startswith("-") else "green"
                console.print(f"    [{style}]{escape(line)}[/{style}]", highlight=False)
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
