"""Command line: ``djreview [OPTIONS] [PATH]...``, ``djreview rule CODE``, ``djreview rules``.

Exit status: 0 no findings, 1 findings, 2 usage or internal error (one line, no traceback).
"""

from __future__ import annotations

import sys

import click

from djreview import __version__

SUBCOMMANDS = ("check", "rule", "rules")


class _DefaultToCheck(click.Group):
    """`djreview backend/` means `djreview check backend/`."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in SUBCOMMANDS and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _split_codes(values: tuple[str, ...]) -> list[str]:
    return [c.strip().upper() for v in values for c in v.split(",") if c.strip()]


def select_codes(select: list[str], ignore: list[str], known: list[str]) -> tuple[str, ...]:
    """Codes enabled by --select/--ignore prefixes; an unknown code is a usage error."""
    for code in [*select, *ignore]:
        if not any(k.startswith(code) for k in known):
            raise click.UsageError(f"unknown rule code or prefix {code!r} (see `djreview rules`)")
    chosen = [k for k in known if not select or any(k.startswith(s) for s in select)]
    return tuple(k for k in chosen if not any(k.startswith(i) for i in ignore))


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="djreview")
def main() -> None:
    """Review a Django codebase the way an expert Django reviewer would."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="text: colour in a terminal, flake8-style lines otherwise.")
@click.option("--select", multiple=True, help="Codes or prefixes to enable, e.g. DJR1,DJR202.")
@click.option("--ignore", multiple=True, help="Codes or prefixes to disable.")
@click.option("--exclude", multiple=True, help="Glob of paths to skip (repeatable).")
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (0: one per core).")
@click.option("--query-rules-everywhere", is_flag=True,
              help="Also run the DJR1xx query rules on migrations and test modules.")
@click.option("--include-tests", is_flag=True, help="Review test modules with every rule.")
def check(paths, fmt, select, ignore, exclude, jobs, query_rules_everywhere, include_tests) -> None:
    """Review PATHS (default: the current directory)."""
    from djreview.discovery import MissingPath
    from djreview.engine import PARSE_ERROR, Settings, print_notes, run
    from djreview.rule import all_rules

    known = [PARSE_ERROR[0], *all_rules()]
    codes = select_codes(_split_codes(select), _split_codes(ignore), known)
    settings = Settings(codes=codes, exclude=tuple(exclude), jobs=jobs,
                        query_rules_everywhere=query_rules_everywhere, include_tests=include_tests)
    try:
        report = run(list(paths) or ["."], settings)
    except MissingPath as exc:
        raise click.UsageError(f"no such file or directory: {exc}") from None
    print_notes(report)
    if fmt == "json":
        from djreview.report.json_format import render

        click.echo(render(report))
    elif sys.stdout.isatty():
        from rich.console import Console

        from djreview.report.text import render_rich

        render_rich(report, Console())
    else:
        from djreview.report.text import render_plain

        render_plain(report, click.echo)
    sys.exit(1 if report.findings else 0)


@main.command("rule")
@click.argument("code")
def rule_page(code: str) -> None:
    """Print the page of rule CODE."""
    from djreview.pages import page_path

    path = page_path(code)
    if path is None:
        raise click.UsageError(f"unknown rule code {code!r} (see `djreview rules`)")
    click.echo(path.read_text(encoding="utf-8"))


@main.command("rules")
def list_rules() -> None:
    """List every rule: code, name, category, fixable."""
    from djreview.rule import all_rules

    for code, rule in all_rules().items():
        click.echo(f"{code}  {rule.name:<22} {rule.category():<18} {'fixable' if rule.fixable else ''}".rstrip())
