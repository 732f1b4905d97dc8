"""Command line: ``djreview [OPTIONS] [PATH]...``, ``djreview rule CODE``, ``djreview rules``.

Exit status: 0 no findings, 1 findings, 2 usage or internal error (one line, no traceback).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from djreview import __version__
from djreview.report import FORMATS

SUBCOMMANDS = ("check", "rule", "rules")
MACHINE_FORMATS = frozenset({"json", "sarif", "gitlab", "github"})


class _DefaultToCheck(click.Group):
    """`djreview backend/` means `djreview check backend/`, and `djreview --help` is the review's
    help: reviewing is what the command is for. Errors are one line, never a usage block."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in SUBCOMMANDS and args[0] != "--version"):
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def main(self, args=None, prog_name=None, **extra):  # type: ignore[override]
        extra.pop("standalone_mode", None)
        try:
            return super().main(args, prog_name or "djreview", standalone_mode=False, **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.ClickException as exc:
            click.echo(f"djreview: error: {exc.format_message()}", err=True)
            sys.exit(2)
        except (click.exceptions.Abort, KeyboardInterrupt):
            click.echo("djreview: interrupted", err=True)
            sys.exit(130)
        except Exception as exc:  # a bug of djreview's: one line, exit 2, never "findings found"
            if os.environ.get("DJREVIEW_DEBUG"):
                raise
            where = _innermost_frame(exc)
            click.echo(
                f"djreview: internal error: {type(exc).__name__}: {exc} ({where}); "
                "set DJREVIEW_DEBUG=1 for the traceback, and please report it",
                err=True,
            )
            sys.exit(2)


def _innermost_frame(exc: BaseException) -> str:
    import traceback

    frames = traceback.extract_tb(exc.__traceback__)
    return f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"


class _ReviewCommand(click.Command):
    """The review, shown as what it is: `djreview [OPTIONS] [PATHS]...`."""

    def format_usage(self, ctx, formatter):
        formatter.write_usage("djreview", "[OPTIONS] [PATHS]...")

    def format_epilog(self, ctx, formatter):
        formatter.write_paragraph()
        with formatter.section("Other commands"):
            formatter.write_dl(
                [
                    ("djreview rules", "List every rule: code, name, category, fixable."),
                    ("djreview rule CODE", "Print the page of one rule."),
                    ("djreview --version", "Print the version."),
                ]
            )


def _split(values: tuple[str, ...]) -> list[str]:
    return [c.strip() for v in values for c in v.split(",") if c.strip()]


def _pairs(values: tuple[str, ...], sep: str, option: str) -> dict[str, str]:
    out = {}
    for value in values:
        key, found, rest = value.partition(sep)
        if not found or not key or not rest:
            raise click.UsageError(f"{option} takes KEY{sep}VALUE, not {value!r}")
        out[key.strip()] = rest.strip()
    return out


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="djreview")
def main() -> None:
    """Review a Django codebase the way an expert Django reviewer would."""


@main.command(cls=_ReviewCommand)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="text: colour in a terminal, flake8-style lines otherwise; concise: lines only; "
    "json; github: Actions annotations; gitlab: Code Quality report; sarif: SARIF 2.1.0.",
)
@click.option("--select", multiple=True, help="Codes or prefixes to enable, e.g. DJR1,DJR202.")
@click.option("--extend-select", multiple=True, help="Codes or prefixes to enable on top of select.")
@click.option("--ignore", multiple=True, help="Codes or prefixes to disable.")
@click.option("--extend-ignore", multiple=True, help="Codes or prefixes to disable on top of ignore.")
@click.option(
    "--exclude",
    multiple=True,
    help="gitignore pattern of paths to skip, relative to the pyproject.toml's folder (repeatable; "
    "replaces the configured list).",
)
@click.option("--extend-exclude", multiple=True, help="Pattern of paths to skip on top of exclude.")
@click.option(
    "--force-exclude/--no-force-exclude",
    default=True,
    show_default=True,
    help="Skip excluded files even when they are named on the command line (as pre-commit does).",
)
@click.option(
    "--respect-gitignore/--no-respect-gitignore",
    default=None,
    help="Skip the files git ignores (default: on, or the respect-gitignore setting).",
)
@click.option(
    "--per-file-ignores",
    multiple=True,
    metavar="GLOB:CODES",
    help="Codes to ignore in matching files, e.g. 'legacy/*:DJR201,DJR202'.",
)
@click.option("--severity", multiple=True, metavar="CODE=LEVEL", help="Override a rule's severity.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    help="pyproject.toml to read (default: the nearest one above the first path).",
)
@click.option("--statistics", is_flag=True, help="Print the number of findings per code.")
@click.option(
    "--changed-since",
    metavar="REF",
    help="Report only findings on lines added or changed since the git REF (e.g. origin/main).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False),
    help="Report only findings not recorded in this baseline file.",
)
@click.option("--write-baseline", is_flag=True, help="Record today's findings in the --baseline file.")
@click.option("--fix", "do_fix", is_flag=True, help="Apply the safe fixes, then report what is left.")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix or --diff, also apply the unsafe fixes.")
@click.option(
    "--diff", "show_diff", is_flag=True, help="Print the diff of the fixes --fix would apply; change nothing."
)
@click.option("-j", "--jobs", type=click.IntRange(min=0), default=0, help="Worker processes (0: one per core).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the index cache.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Where the index cache lives (default: .djreview_cache at the project root).",
)
@click.option(
    "--query-rules-everywhere",
    is_flag=True,
    default=None,
    help="Also run the DJR1xx query rules on migrations and test modules.",
)
@click.option("--include-tests", is_flag=True, default=None, help="Review test modules with every rule.")
@click.option("-v", "--verbose", is_flag=True, help="Also say why a cache file was ignored.")
def check(
    paths,
    fmt,
    select,
    extend_select,
    ignore,
    extend_ignore,
    exclude,
    extend_exclude,
    force_exclude,
    respect_gitignore,
    per_file_ignores,
    severity,
    config_path,
    statistics,
    changed_since,
    baseline_path,
    write_baseline,
    do_fix,
    unsafe_fixes,
    show_diff,
    jobs,
    no_cache,
    cache_dir,
    query_rules_everywhere,
    include_tests,
    verbose,
) -> None:
    """Review the Django code in PATHS (default: the current directory) the way an expert
    Django reviewer would: findings as flake8-style lines, or in a machine format."""
    from pathlib import Path

    from djreview import config as cfg
    from djreview.discovery import MissingPath, project_root
    from djreview.engine import print_notes, run
    from djreview.rule import rule_codes
    from djreview.settings import Settings
    from djreview.worker import PARSE_ERROR

    paths = list(paths) or ["."]
    known = [PARSE_ERROR[0], *rule_codes()]
    try:
        pyproject = Path(config_path) if config_path else cfg.find_pyproject(Path(paths[0]))
        if config_path and not (pyproject and pyproject.is_file()):
            raise cfg.ConfigError(f"no such config file: {config_path}")
        config = cfg.load(pyproject)
        # the command line wins over pyproject.toml, key by key
        if select:
            config.select = [c.upper() for c in _split(select)]
        if extend_select:
            config.extend_select = [c.upper() for c in _split(extend_select)]
        if ignore:
            config.ignore = [c.upper() for c in _split(ignore)]
        if extend_ignore:
            config.extend_ignore += [c.upper() for c in _split(extend_ignore)]
        if exclude:
            config.exclude = list(exclude)
        config.extend_exclude += list(extend_exclude)
        if respect_gitignore is not None:
            config.respect_gitignore = respect_gitignore
        if config.path is None:
            config.folder = project_root(Path(paths[0]))
        if per_file_ignores:
            config.per_file_ignores = {
                g: [c.upper() for c in _split((codes,))]
                for g, codes in _pairs(per_file_ignores, ":", "--per-file-ignores").items()
            }
        if severity:
            config.severity = {c.upper(): lvl for c, lvl in _pairs(severity, "=", "--severity").items()}
        if query_rules_everywhere is not None:
            config.query_rules_everywhere = query_rules_everywhere
        if include_tests is not None:
            config.include_tests = include_tests
        cfg.check_codes(config, known)
    except cfg.ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    from djreview.discovery import default_cache_folder

    if no_cache:
        cache_folder = None
    elif cache_dir:
        cache_folder = Path(cache_dir)
    else:
        cache_folder = default_cache_folder(Path(paths[0]))
    settings = Settings(
        codes=cfg.enabled_codes(config, known),
        paths=cfg.path_rules(config, force_exclude),
        jobs=jobs,
        query_rules_everywhere=config.query_rules_everywhere,
        include_tests=config.include_tests,
        config=config,
        cache_dir=cache_folder,
        verbose=verbose,
        max_file_size=config.max_file_size,
    )
    if write_baseline and not baseline_path:
        raise click.UsageError("--write-baseline needs --baseline FILE")
    try:
        report = run(paths, settings)
    except MissingPath as exc:
        raise click.UsageError(f"no such file or directory: {exc}") from None
    print_notes(report)
    _narrow(report, changed_since, Path(paths[0]), baseline_path, write_baseline, config.root)
    if show_diff or do_fix:
        report = _fix(report, paths, settings, unsafe_fixes, write=do_fix and not show_diff)
        if show_diff:
            sys.exit(1 if report.fix_diffs else 0)
    _render(report, fmt)
    if statistics:
        from djreview.report.text import render_statistics

        # machine formats stay one parseable document: their counts go to stderr
        to_stderr = fmt in MACHINE_FORMATS
        render_statistics(report, lambda line: click.echo(line, err=to_stderr))
    sys.exit(1 if report.findings else 0)


def _fix(report, paths, settings, unsafe: bool, write: bool):
    """Apply fixes (or print their diff), re-review, and repeat while fixes still apply:
    a fix whose span overlapped another's is re-derived from the fixed file, up to 3 rounds."""
    from collections import Counter

    from djreview.engine import run
    from djreview.fixes import chosen, fix_files

    applied: Counter = Counter()
    written: set[str] = set()
    unchanged: set[str] = set()
    for _ in range(3 if write else 1):
        result = fix_files(report.findings, unsafe, write, report.digests, within=paths)
        for line in result.skipped:
            if line.partition(": ")[0] not in unchanged:  # said once, not once per round
                click.echo(f"djreview: {line}", err=True)
        unchanged.update(line.partition(": ")[0] for line in result.skipped)
        written.update(result.written)
        applied.update(result.applied)
        if not write:
            for diff in result.diffs:
                click.echo(diff, nl=False)
            report.fix_diffs = result.diffs
            return report
        if not result.applied:
            break
        report = run(paths, settings)
    left = Counter(f.code for f in report.findings if f.fix and f.fix.edits)
    done = ", ".join(f"{c} {n}" for c, n in sorted(applied.items())) or "none"
    rest = ", ".join(f"{c} {n}" for c, n in sorted(left.items()))
    unsafe_left = sum(1 for f in report.findings if chosen(f, True) and not chosen(f, False))
    click.echo(
        f"djreview: applied {sum(applied.values())} fix(es) ({done}) to {len(written)} file(s)"
        + (f", left {len(unchanged - written)} file(s) unchanged" if unchanged - written else "")
        + f"; {sum(left.values())} fixable left"
        + (f" ({rest})" if rest else "")
        + (f", {unsafe_left} of them unsafe (--unsafe-fixes)" if unsafe_left else ""),
        err=True,
    )
    return report


def _narrow(report, changed_since, reviewed: Path, baseline_path, write_baseline, root: Path) -> None:
    """--changed-since and --baseline: the index saw the whole project; the report shrinks."""
    from pathlib import Path

    from djreview.report.text import line_text

    if changed_since:
        from djreview.changed import ChangedError, changed_lines, keep_changed

        try:
            report.findings = keep_changed(report.findings, changed_lines(changed_since, reviewed))
        except ChangedError as exc:
            raise click.UsageError(f"--changed-since {changed_since}: {exc}") from None
    if baseline_path:
        from djreview import baseline

        path = Path(baseline_path)
        try:
            if write_baseline:
                baseline.write(path, report.findings, line_text, root)
                click.echo(f"djreview: wrote {len(report.findings)} finding(s) to {path}", err=True)
                report.findings = []
                return
            report.findings = baseline.new_findings(report.findings, baseline.load(path), line_text, root)
        except baseline.BaselineError as exc:
            raise click.UsageError(str(exc)) from None


def _render(report, fmt: str) -> None:
    if fmt == "json":
        from djreview.report import json_format

        click.echo(json_format.render(report))
    elif fmt == "github":
        from djreview.report import github

        click.echo(github.render(report))
    elif fmt == "gitlab":
        from djreview.report import gitlab
        from djreview.report.text import line_text

        click.echo(gitlab.render(report, line_text))
    elif fmt == "sarif":
        from djreview.report import sarif
        from djreview.report.text import line_text

        click.echo(sarif.render(report, line_text))
    elif fmt == "concise":
        from djreview.report.text import render_concise

        render_concise(report, click.echo)
    elif sys.stdout.isatty():
        from rich.console import Console

        from djreview.report.text import render_rich

        render_rich(report, Console())
    else:
        from djreview.report.text import render_plain

        render_plain(report, click.echo)


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
    """List every code: code, name, category, fixable (DJR001, the tool's own, first)."""
    from djreview.rule import CATEGORIES, all_rules
    from djreview.worker import PARSE_ERROR

    rows = [(*PARSE_ERROR, CATEGORIES[PARSE_ERROR[0][3]], False)]
    rows += [(code, rule.name, rule.category(), rule.fixable) for code, rule in all_rules().items()]
    for code, name, category, fixable in rows:
        click.echo(f"{code}  {name:<22} {category:<18} {'fixable' if fixable else ''}".rstrip())
