"""Command line: ``djreview [OPTIONS] [PATH]...``, ``djreview rule CODE``, ``djreview rules``.

Exit status: 0 no findings, 1 findings, 2 usage or internal error (one line, no traceback).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import IO

import click

from djreview import __version__
from djreview.report import FORMATS

SUBCOMMANDS = ("check", "rule", "rules", "models")
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
                    ("djreview models [PATHS]", "List the models djreview understood, and the classes it could not."),
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


# Options the review and `djreview models` share.
_NO_CACHE = click.option("--no-cache", is_flag=True, help="Neither read nor write the index cache.")
_CACHE_DIR = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Where the index cache lives (default: .djreview_cache at the project root).",
)
_PYTHON = click.option(
    "--python",
    metavar="PATH",
    help="The project's virtualenv or its python: bases from installed packages are read there.",
)


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
@_NO_CACHE
@_CACHE_DIR
@click.option(
    "--query-rules-everywhere",
    is_flag=True,
    default=None,
    help="Also run the DJR1xx query rules on migrations and test modules.",
)
@click.option("--include-tests", is_flag=True, default=None, help="Review test modules with every rule.")
@_PYTHON
@click.option("-v", "--verbose", is_flag=True, help="Also say why a cache file was ignored.")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings and nothing else: no summary, notes or warnings.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (2 still means an error).")
@click.option(
    "--output-file",
    type=click.Path(dir_okay=False),
    metavar="PATH",
    help="Write the report to PATH instead of standard output.",
)
@click.option("--show-settings", is_flag=True, help="Print the settings the review would use, and exit.")
@click.option("--show-fixes", is_flag=True, help="List, per file, the fixes --fix applied or would apply.")
@click.option(
    "--add-noqa",
    is_flag=True,
    help="Write `# noqa: CODE` on each reported line (merged with an existing # noqa), and exit.",
)
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
    python,
    verbose,
    quiet,
    exit_zero,
    output_file,
    show_settings,
    show_fixes,
    add_noqa,
) -> None:
    """Review the Django code in PATHS (default: the current directory) the way an expert
    Django reviewer would: findings as flake8-style lines, or in a machine format."""
    from pathlib import Path

    from djreview import config as cfg
    from djreview.discovery import default_cache_folder
    from djreview.settings import settings_from

    paths = list(paths) or ["."]
    if no_cache:
        cache_folder = None
    elif cache_dir:
        cache_folder = Path(cache_dir)
    else:
        cache_folder = default_cache_folder(Path(paths[0]))
    try:
        config = cfg.config_for(Path(paths[0]), Path(config_path) if config_path else None)
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
        if python:
            config.python = python
        settings = settings_from(
            config, force_exclude=force_exclude, jobs=jobs, cache_dir=cache_folder, verbose=verbose
        )
    except cfg.ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    if write_baseline and not baseline_path:
        raise click.UsageError("--write-baseline needs --baseline FILE")
    if add_noqa and (do_fix or show_diff):
        raise click.UsageError("--add-noqa cannot be combined with --fix or --diff")
    with _Output(output_file) as out:
        if show_settings:
            _show_settings(out, config, settings, force_exclude)
            sys.exit(0)
        status = _review(
            out,
            paths,
            settings,
            fmt=fmt,
            quiet=quiet,
            changed_since=changed_since,
            baseline_path=baseline_path,
            write_baseline=write_baseline,
            root=config.root,
            do_fix=do_fix,
            unsafe_fixes=unsafe_fixes,
            show_diff=show_diff,
            statistics=statistics,
            show_fixes=show_fixes,
            add_noqa=add_noqa,
        )
    sys.exit(0 if exit_zero else status)


class _Output:
    """Where the report goes: standard output, or the --output-file (a file that cannot be
    opened or written is one line and exit 2)."""

    def __init__(self, path: str | None):
        self.path = path
        self.stream: IO[str] | None = None

    def __enter__(self) -> _Output:
        if self.path:
            try:
                self.stream = open(self.path, "w", encoding="utf-8")  # noqa: SIM115 - closed in __exit__
            except OSError as exc:
                raise click.UsageError(f"--output-file {self.path}: {exc.strerror or exc}") from None
        return self

    def __exit__(self, kind, exc, tb) -> None:
        if self.stream is None:
            return
        try:
            self.stream.close()
        except OSError as error:
            if kind is None or kind is SystemExit:
                raise click.UsageError(f"--output-file {self.path}: {error.strerror or error}") from None

    def echo(self, line: str = "", nl: bool = True) -> None:
        try:
            click.echo(line, file=self.stream, nl=nl)
        except OSError as exc:
            if self.stream is None:
                raise
            raise click.UsageError(f"--output-file {self.path}: {exc.strerror or exc}") from None

    def is_terminal(self) -> bool:
        return self.stream is None and sys.stdout.isatty()

    def console(self):
        from rich.console import Console

        return Console(file=self.stream) if self.stream is not None else Console()


def _review(out: _Output, paths, settings, *, fmt, quiet, changed_since, baseline_path, write_baseline, root, **asked):
    """The review, narrowed, fixed or silenced as asked, then reported: the exit status."""
    from djreview.discovery import MissingPath

    machine = fmt in MACHINE_FORMATS
    say = (lambda line: None) if quiet else (lambda line: click.echo(line, err=True))
    try:
        report = _run(paths, settings, fmt, quiet)
    except MissingPath as exc:
        raise click.UsageError(f"no such file or directory: {exc}") from None
    for note in report.notes:
        say(f"djreview: {note}")
    _warn_if_empty(report, paths, say)
    _narrow(report, changed_since, Path(paths[0]), baseline_path, write_baseline, root, say)
    if asked["add_noqa"]:
        return _add_noqa(report, paths, say)
    fixes = None
    if asked["show_diff"] or asked["do_fix"]:
        report, fixes = _fix(
            report, paths, settings, asked["unsafe_fixes"], write=asked["do_fix"] and not asked["show_diff"], out=out
        )
        if not quiet:
            for line in fixes.skipped:
                say(f"djreview: {line}")
            if fixes.summary:
                say(fixes.summary)
        if asked["show_diff"]:
            if asked["show_fixes"]:  # stdout holds the diff, a patch to apply: the list goes beside it
                _show_fixes(report, fixes, asked["unsafe_fixes"], lambda line: click.echo(line, err=True))
            return 1 if report.fix_diffs else 0
    footer: list[str] = []
    if fmt == "text" and not quiet:
        from djreview.models_report import summary

        footer.append(summary(report.models, report.unresolved) + ".")  # silence is not a clean bill
    if fmt == "text" and not quiet and not asked["do_fix"]:
        from djreview.report.text import fixable_line

        footer += [line for line in [fixable_line(report.findings, asked["unsafe_fixes"])] if line]
    _render(report, fmt, out, quiet, footer)
    # machine formats stay one parseable document: their counts and lists go to stderr
    extra = (lambda line: click.echo(line, err=True)) if machine else out.echo
    if asked["statistics"]:
        from djreview.report.text import render_statistics

        render_statistics(report, extra)
    if asked["show_fixes"]:
        _show_fixes(report, fixes, asked["unsafe_fixes"], extra)
    return 1 if report.findings else 0


def _run(paths, settings, fmt: str, quiet: bool):
    """engine.run with a progress display on stderr for a text run in a terminal."""
    from djreview import progress
    from djreview.engine import run

    if fmt != "text" or quiet or not progress.stderr_is_terminal():
        return run(paths, settings)
    with progress.ProgressDisplay() as display:
        return run(paths, settings, on_progress=display.update)


def _warn_if_empty(report, paths, say) -> None:
    """Nothing to review is more often a wrong path than a clean project."""
    where = " ".join(paths) if len(paths) <= 3 else f"the {len(paths)} paths given"
    if report.files == 0:
        say(f"djreview: warning: no Python file found in {where}")
    elif not report.has_models:
        say(f"djreview: warning: no Django model found in {where} or the rest of its project (is it a Django project?)")


def _add_noqa(report, paths, say) -> int:
    from djreview.add_noqa import add_noqa

    result = add_noqa(report.findings, report.digests, within=paths)
    for line in result.skipped:
        say(f"djreview: {line}")
    say(f"djreview: added # noqa to {result.lines} line(s) in {len(result.files)} file(s)")
    left = [f for f in report.findings if f.path not in set(result.files)]
    return 1 if left else 0


def _show_fixes(report, fixes, unsafe: bool, write) -> None:
    """The fixes per file: those --fix applied, or those it would apply."""
    from collections import Counter

    from djreview.fixes import chosen

    names = {f.code: f.name for f in report.findings}
    if fixes is not None:
        per_file, names = fixes.applied_in, {**fixes.names, **names}
        title = "Applied" if fixes.write else "Would apply"
    else:
        per_file = {}
        for f in report.findings:
            if chosen(f, unsafe):
                per_file.setdefault(f.path, Counter())[f.code] += 1
        title = "Would apply"
    total = sum(sum(c.values()) for c in per_file.values())
    if not total:
        write("No fixes " + ("applied." if title == "Applied" else "to apply."))
        return
    write(f"{title} {total} fix(es):")
    for path, counts in sorted(per_file.items()):
        write(f"- {path}:")
        for code, n in sorted(counts.items()):
            write(f"    {n} × {code} ({names.get(code, '')})")


def _show_settings(out: _Output, config, settings, force_exclude: bool) -> None:
    """What this run would use, resolved: files, codes, path rules, cache, workers."""
    rules = settings.paths
    jobs = settings.jobs or os.cpu_count() or 1
    lines = [
        f"config file: {config.path.resolve() if config.path else '(none)'}",
        f"root: {config.root}",
        f"enabled codes: {', '.join(settings.codes) or '(none)'}",
        f"exclude: {', '.join(rules.exclude) or '(none)'}",
        f"force-exclude: {str(force_exclude).lower()}",
        f"respect-gitignore: {str(rules.respect_gitignore).lower()}",
        "per-file-ignores: "
        + ("; ".join(f"{g} = {', '.join(c)}" for g, c in config.per_file_ignores.items()) or "(none)"),
        "severity: " + (", ".join(f"{c} = {lvl}" for c, lvl in config.severity.items()) or "(defaults)"),
        f"include-tests: {str(settings.include_tests).lower()}",
        f"query-rules-everywhere: {str(settings.query_rules_everywhere).lower()}",
        f"djr504-python-default: {str(config.djr504_python_default).lower()}",
        f"djr105-small-models: {', '.join(config.djr105_small_models) or '(none)'}",
        f"cache dir: {settings.cache_dir.resolve() if settings.cache_dir else '(none)'}",
        f"jobs: {jobs}" + (" (one per core; one process below 48 files)" if not settings.jobs else ""),
        f"line length: {config.line_length} ({config.line_length_from})",
    ]
    for line in lines:
        out.echo(line)


class _Fixed:
    """What the --fix or --diff rounds did, for the messages and --show-fixes."""

    def __init__(self) -> None:
        from collections import Counter

        self.skipped: list[str] = []
        self.summary = ""
        self.applied_in: dict[str, Counter] = {}  # path -> code -> fixes
        self.names: dict[str, str] = {}
        self.written: set[str] = set()
        self.write = False  # --fix (True) or --diff


def _fix(report, paths, settings, unsafe: bool, write: bool, out: _Output):
    """Apply fixes (or print their diff), re-review, and repeat while fixes still apply:
    a fix whose span overlapped another's is re-derived from the fixed file, up to 3 rounds."""
    from collections import Counter

    from djreview.engine import run
    from djreview.fixes import chosen, fix_files

    done = _Fixed()
    done.write = write
    applied: Counter = Counter()
    unchanged: set[str] = set()
    for _ in range(3 if write else 1):
        done.names.update({f.code: f.name for f in report.findings})
        result = fix_files(
            report.findings, unsafe, write, report.digests, within=paths, line_length=settings.line_length
        )
        for line in result.skipped:
            if line.partition(": ")[0] not in unchanged:  # said once, not once per round
                done.skipped.append(line)
        unchanged.update(line.partition(": ")[0] for line in result.skipped)
        done.written.update(result.written)
        applied.update(result.applied)
        for path, counts in result.applied_in.items():
            done.applied_in.setdefault(path, Counter()).update(counts)
        if not write:
            for diff in result.diffs:
                out.echo(diff, nl=False)
            report.fix_diffs = result.diffs
            return report, done
        if not result.applied:
            break
        report = run(paths, settings)
    left = Counter(f.code for f in report.findings if f.fix and f.fix.edits)
    fixed = ", ".join(f"{c} {n}" for c, n in sorted(applied.items())) or "none"
    rest = ", ".join(f"{c} {n}" for c, n in sorted(left.items()))
    unsafe_left = sum(1 for f in report.findings if chosen(f, True) and not chosen(f, False))
    done.summary = (
        f"djreview: applied {sum(applied.values())} fix(es) ({fixed}) to {len(done.written)} file(s)"
        + (f", left {len(unchanged - done.written)} file(s) unchanged" if unchanged - done.written else "")
        + f"; {sum(left.values())} fixable left"
        + (f" ({rest})" if rest else "")
        + (f", {unsafe_left} of them unsafe (--unsafe-fixes)" if unsafe_left else "")
    )
    return report, done


def _narrow(report, changed_since, reviewed: Path, baseline_path, write_baseline, root: Path, say) -> None:
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
                say(f"djreview: wrote {len(report.findings)} finding(s) to {path}")
                report.findings = []
                return
            report.findings = baseline.new_findings(report.findings, baseline.load(path), line_text, root)
        except baseline.BaselineError as exc:
            raise click.UsageError(str(exc)) from None


def _render(report, fmt: str, out: _Output, quiet: bool = False, footer: list[str] | None = None) -> None:
    """The report in `fmt`; `footer`: lines a text report ends with (what is fixable)."""
    if fmt == "json":
        from djreview.report import json_format

        out.echo(json_format.render(report))
    elif fmt == "github":
        from djreview.report import github

        out.echo(github.render(report))
    elif fmt == "gitlab":
        from djreview.report import gitlab
        from djreview.report.text import line_text

        out.echo(gitlab.render(report, line_text))
    elif fmt == "sarif":
        from djreview.report import sarif
        from djreview.report.text import line_text

        out.echo(sarif.render(report, line_text))
    elif fmt == "concise":
        from djreview.report.text import render_concise

        render_concise(report, out.echo)
    elif out.is_terminal():
        from djreview.report.text import render_rich

        render_rich(report, out.console(), quiet=quiet, footer=footer or [])
    else:
        from djreview.report.text import render_plain

        render_plain(report, out.echo, quiet=quiet, footer=footer or [])


@main.command("rule")
@click.argument("code")
def rule_page(code: str) -> None:
    """Print the page of rule CODE."""
    from djreview.pages import page_path, printed

    path = page_path(code)
    if path is None:
        raise click.UsageError(f"unknown rule code {code!r} (see `djreview rules`)")
    click.echo(printed(path.read_text(encoding="utf-8")))


@main.command("models")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@_NO_CACHE
@_CACHE_DIR
@_PYTHON
def list_models(paths, fmt: str, no_cache: bool, cache_dir: str | None, python: str | None) -> None:
    """List what the index understood of the project PATHS belong to: each model by app with
    its kind (concrete, abstract, proxy, assumed), fields, relations and managers, then the
    classes that look like models but whose bases could not be followed, and why."""
    import json
    from pathlib import Path

    from djreview import config as cfg
    from djreview.discovery import MissingPath, default_cache_folder
    from djreview.engine import learn
    from djreview.models_report import describe, render_text
    from djreview.settings import settings_from

    paths = list(paths) or ["."]
    try:
        config = cfg.config_for(Path(paths[0]), None)
        config.python = python or config.python
        folder = None if no_cache else Path(cache_dir) if cache_dir else default_cache_folder(Path(paths[0]))
        settings = settings_from(config, cache_dir=folder)
    except cfg.ConfigError as exc:
        raise click.UsageError(str(exc)) from None
    notes: list[str] = []
    try:
        data = describe(learn(paths, settings, notes))
    except MissingPath as exc:
        raise click.UsageError(f"no such file or directory: {exc}") from None
    for note in notes:
        click.echo(f"djreview: {note}", err=True)
    if fmt == "json":
        click.echo(json.dumps(data, indent=2))
    else:
        render_text(data, click.echo)


@main.command("rules")
def list_rules() -> None:
    """List every code: code, name, category, fixable, opt-in (DJR001, the tool's own, first)."""
    from djreview.rule import CATEGORIES, OPT_IN_CODES, PARSE_ERROR, all_rules

    rows = [(*PARSE_ERROR, CATEGORIES[PARSE_ERROR[0][3]], False)]
    rows += [(code, rule.name, rule.category(), rule.fixable) for code, rule in all_rules().items()]
    for code, name, category, fixable in rows:
        opt_in = "opt-in (--extend-select " + code + ")" if code in OPT_IN_CODES else ""
        click.echo(f"{code}  {name:<22} {category:<18} {'fixable' if fixable else '':<8} {opt_in}".rstrip())
