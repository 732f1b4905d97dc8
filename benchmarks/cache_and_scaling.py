"""The warm, changed and scaling modes of benchmarks/run.py (issue 5).

Not a script of its own: run.py imports it for ``--mode warm,changed,scaling`` or ``--all``
and lends it its measurement (``measure`` through ``make_runner``, ``count_py``,
``count_djreview``, ...). Standard library only.

warm     A copy of the corpus is made in a temporary folder, with a pyproject.toml at the
         copy's root so that djreview's cache (``.djreview_cache``) lives in the copy. A first
         run fills the cache (*cold, cache written*); then ``--repeat`` runs with nothing
         changed (*warm*). The corpus itself is never touched.
changed  On the same copy, before each of ``--repeat`` runs, one file gets a fresh edit:
         (a) a non-model module (the largest admin.py / views.py, or module of an admin/ or
         views/ package) gets a new function appended; (b) the largest models module gets a
         new field ``extra_bench_field_<i>`` right after its first ``class X(models.Model):``
         line. After each timed run, an untimed ``--no-cache`` run of the same edited tree
         must give the same stdout (the JSON findings) and exit status.
scaling  ``djreview --no-cache`` on a temporary project holding 1, 2, 4 (``--scales``) copies
         of a corpus side by side (NAME, NAME_2, ...), with a pyproject.toml at its root.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import run as bench  # run.py registers itself under this name when it is the script

MARKER = '[project]\nname = "djreview-bench-copy"\nversion = "0"\n'
COPY_IGNORE = shutil.ignore_patterns(*bench.SKIP_DIRS, ".djreview_cache", "*.pyc")
NOT_PLAIN = {"tests", "test", "migrations"}
# thresholds of issue 5
WARM_MAX, CHANGED_MAX, COLD_RATIO_MAX, MEMORY_MAX = 0.5, 1.0, 0.5, 2**30
LINEAR_TOLERANCE = 0.10  # how far the wall times of the scales may stray from a straight line


# --------------------------------------------------------------------------
# copies and edits
# --------------------------------------------------------------------------

def make_project(src: Path, root: Path, copies: int = 1) -> list[Path]:
    """Copy *src* *copies* times into the new folder *root*, as NAME, NAME_2, NAME_3, ...,
    and write a pyproject.toml there: *root* is then the project root djreview finds, and
    the one holding its cache. Returns the copies."""
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(MARKER)
    out = []
    for i in range(1, copies + 1):
        dest = root / (src.name if i == 1 else f"{src.name}_{i}")
        shutil.copytree(src, dest, ignore=COPY_IGNORE, symlinks=True)
        out.append(dest)
    return out


def plain_modules(tree: Path) -> list[Path]:
    """The .py files below *tree* that are neither tests nor migrations, largest first."""
    found = []
    for path in tree.rglob("*.py"):
        parts = path.relative_to(tree).parts
        if any(p in NOT_PLAIN or p in bench.SKIP_DIRS for p in parts[:-1]) or parts[-1].startswith("test"):
            continue
        found.append(path)
    return sorted(found, key=lambda p: (-p.stat().st_size, str(p)))


_MODEL_CLASS = re.compile(rb"^class \w+\(models\.Model\):[ \t]*(#[^\n]*)?$", re.M)


def pick_body_file(tree: Path) -> Path | None:
    """The largest admin or views module."""
    for path in plain_modules(tree):
        if path.name in ("admin.py", "views.py") or path.parent.name in ("admin", "views"):
            return path
    return None


def pick_model_file(tree: Path) -> Path | None:
    """The largest models module with a top-level ``class X(models.Model):``."""
    for path in plain_modules(tree):
        if (path.name == "models.py" or path.parent.name == "models") and _MODEL_CLASS.search(path.read_bytes()):
            return path
    return None


def add_function(path: Path, i: int) -> str:
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        data += b"\n"
    path.write_bytes(data + f"\n\ndef bench_added_{i}(request):\n    return None\n".encode())
    return "`def bench_added_<i>(request)` appended"


def add_model_field(path: Path, i: int) -> str:
    data = path.read_bytes()
    m = _MODEL_CLASS.search(data)
    line = f"\n    extra_bench_field_{i} = models.CharField(max_length=10, null=True)".encode()
    path.write_bytes(data[:m.end()] + line + data[m.end():])
    name = m.group(0).split(b"(")[0].split()[1].decode()
    return f"`extra_bench_field_<i> = models.CharField(...)` added to `{name}`"


VARIANTS = [  # (label, picks the file, edits it for repetition i)
    ("(a) body edit", pick_body_file, add_function),
    ("(b) new model field", pick_model_file, add_model_field),
]


# --------------------------------------------------------------------------
# warm and changed
# --------------------------------------------------------------------------

@dataclass
class Changed:
    label: str
    file: str  # relative to the copy
    edit: str
    runs: list = field(default_factory=list)
    identical: list = field(default_factory=list)  # per run: same stdout and rc as --no-cache


@dataclass
class CacheResult:
    corpus: str
    files: int
    lines: int
    cold: bench.Run | None = None  # the run that writes the cache
    warm: list = field(default_factory=list)
    warm_identical: list = field(default_factory=list)  # per warm run: same as the cold run
    changed: list = field(default_factory=list)
    status: str = "ok"


def same(a: bench.Run, b: bench.Run) -> bool:
    return a.rc == b.rc and a.stdout == b.stdout


def bench_cache(name: str, src: Path, cached: list[str], uncached: list[str], runner,
                modes: list[str], repeat: int, notes: list[str]) -> CacheResult:
    with tempfile.TemporaryDirectory(prefix=f"djreview-cache-{name}-") as tmp:
        (tree,) = make_project(src, Path(tmp) / "project")
        files, lines = bench.count_py(tree)
        res = CacheResult(name, files, lines)
        print(f"== cache {name}: copy {tree} ({files} files, {lines} lines)", file=sys.stderr)

        def timed(argv: list[str], what: str) -> bench.Run | None:
            run = runner(argv + [str(tree)])
            print(f"   {what:24s} " + bench.describe(run, bench.count_djreview(run)), file=sys.stderr)
            if run.rc not in (0, 1):
                res.status = f"FAILED rc={run.rc}"
                notes.append(f"djreview ({what}) on the copy of {name} exited {run.rc}: " + bench.stderr_tail(run))
                return None
            return run

        res.cold = timed(cached, "cold, cache written")
        if res.cold is None:
            return res
        if "warm" in modes:
            for i in range(repeat):
                run = timed(cached, f"warm {i + 1}")
                if run is None:
                    return res
                res.warm.append(run)
                res.warm_identical.append(same(run, res.cold))
        if "changed" in modes:
            for label, pick, edit in VARIANTS:
                target = pick(tree)
                if target is None:
                    notes.append(f"changed {label} on {name}: no file to edit, skipped")
                    continue
                ch = Changed(label, target.relative_to(tree.parent).as_posix(), "")
                for i in range(repeat):
                    ch.edit = edit(target, i)
                    run = timed(cached, f"changed {label[:3]} {i + 1}")
                    ref = timed(uncached, "  reference --no-cache")
                    if run is None or ref is None:
                        return res
                    ch.runs.append(run)
                    ch.identical.append(same(run, ref))
                res.changed.append(ch)
        return res


def yes_no(flags: list[bool]) -> str:
    if not flags:
        return "n/a"
    return "yes" if all(flags) else f"no ({flags.count(False)} of {len(flags)} differ)"


def _cells(runs: list) -> str:
    """wall median | wall min–max | CPU s | peak RSS tree MiB | findings, of *runs*."""
    walls = [r.wall for r in runs]
    cpu = statistics.median(r.cpu for r in runs)
    peak = int(statistics.median(r.tree_peak for r in runs))
    finds = "/".join(sorted({bench.count_djreview(r) for r in runs}))
    return (f"{statistics.median(walls):.2f} | {min(walls):.2f}–{max(walls):.2f} | {cpu:.2f} | "
            f"{bench.mib(peak)} | {finds}")


def fmt_cache(results: list[CacheResult]) -> str:
    rows = ["| corpus | .py files | lines | run | what changed | wall s (median) | wall min–max | CPU s | "
            "peak RSS tree MiB | findings | findings identical to a cold run |",
            "|---|--:|--:|---|---|--:|--:|--:|--:|--:|---|"]
    for r in results:
        head = f"| {r.corpus} | {r.files} | {r.lines}"
        if r.cold is not None:
            rows.append(f"{head} | cold, cache written (1 run) | nothing (no cache yet) | {_cells([r.cold])} | – |")
        if r.warm:
            rows.append(f"{head} | warm | nothing | {_cells(r.warm)} | {yes_no(r.warm_identical)} |")
        for ch in r.changed:
            rows.append(f"{head} | one file changed {ch.label} | `{ch.file}`: {ch.edit} | {_cells(ch.runs)} | "
                        f"{yes_no(ch.identical)} |")
        if r.status != "ok":
            rows.append(f"{head} | {r.status} | see Notes | – | – | – | – | – | – |")
    return "\n".join(rows)


def cache_section(results: list[CacheResult], cached: list[str], uncached: list[str]) -> str:
    return "\n".join([
        "## Warm and one-file-changed runs (with the cache)",
        "",
        "On a copy of each corpus in a temporary folder, with a `pyproject.toml` at the copy's root so",
        "that `.djreview_cache` lives in the copy. Command: `" + shlex.join(cached) + " PATH`.",
        "The first run fills the cache; *warm* runs follow with nothing changed (compared with that",
        "first run's output). Each *one file changed* run follows a fresh edit of one file (a new function",
        "name or field name each time, `<i>` = 0, 1, ...), and is compared with an untimed",
        "`" + shlex.join(uncached) + " PATH` of the same edited tree: *identical* means the same",
        "stdout (the JSON findings, byte for byte) and exit status. Wall times include start-up.",
        "",
        fmt_cache(results),
    ])


# --------------------------------------------------------------------------
# scaling
# --------------------------------------------------------------------------

@dataclass
class ScalePoint:
    copies: int
    files: int
    lines: int
    runs: list = field(default_factory=list)
    status: str = "ok"

    def wall(self) -> float:
        return statistics.median(r.wall for r in self.runs)


def bench_scaling(name: str, src: Path, scales: list[int], uncached: list[str], runner,
                  repeat: int, notes: list[str]) -> list[ScalePoint]:
    points = []
    for n in scales:
        with tempfile.TemporaryDirectory(prefix=f"djreview-scale-{n}x-") as tmp:
            root = Path(tmp) / "project"
            make_project(src, root, n)
            files, lines = bench.count_py(root)
            pt = ScalePoint(n, files, lines)
            print(f"== scaling {name} x{n}: {root} ({files} files, {lines} lines)", file=sys.stderr)
            for i in range(repeat):
                run = runner(uncached + [str(root)])
                print(f"   run {i + 1}: " + bench.describe(run, bench.count_djreview(run)), file=sys.stderr)
                pt.runs.append(run)
                if run.rc not in (0, 1):
                    pt.status = f"FAILED rc={run.rc}"
                    notes.append(f"scaling {name} x{n} exited {run.rc}: " + bench.stderr_tail(run))
                    break
            points.append(pt)
    return points


def linear_verdict(points: list[ScalePoint]) -> tuple[bool | None, str]:
    """(does the time grow linearly?, the numbers behind it); None when it cannot be said.

    With three scales or more: a straight line wall = a + b * lines (least squares) must come
    within LINEAR_TOLERANCE of every median wall time. With two, any line fits: the seconds
    per 1k lines of the larger may then exceed those of the smaller by at most that much
    (a lenient test, as the fixed start-up cost favours the larger)."""
    good = [p for p in points if p.status == "ok" and p.runs]
    if len(good) < 2:
        return None, "fewer than two scales measured"
    first, last = good[0], good[-1]
    text = (f"{last.copies}x has {last.lines / first.lines:.2f}x the lines of {first.copies}x and takes "
            f"{last.wall() / first.wall():.2f}x the time")
    if len(good) == 2:
        ratio = (last.wall() / last.lines) / (first.wall() / first.lines)
        return ratio <= 1 + LINEAR_TOLERANCE, (
            f"{text}; seconds per 1k lines {ratio:.2f}x those of {first.copies}x "
            f"(linear: at most {1 + LINEAR_TOLERANCE:.2f}x; measure three scales for a line fit)")
    xs, ys = [p.lines / 1000 for p in good], [p.wall() for p in good]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
    start = my - slope * mx
    worst = max(abs(start + slope * x - y) / y for x, y in zip(xs, ys))
    return worst <= LINEAR_TOLERANCE, (
        f"{text}; wall ≈ {start:.2f} s + {slope:.4f} s per 1k lines, at most {worst:.0%} off at any "
        f"scale (linear: at most {LINEAR_TOLERANCE:.0%})")


def marginal(a: ScalePoint, b: ScalePoint) -> float:
    """Extra seconds per extra 1k lines from *a* to *b*."""
    return (b.wall() - a.wall()) / (b.lines - a.lines) * 1000


def yes_no_na(flag: bool | None) -> str:
    return "n/a" if flag is None else ("yes" if flag else "no")


def scaling_section(name: str, src: Path, points: list[ScalePoint], uncached: list[str]) -> str:
    rows = ["| copies | .py files | lines | wall s (median) | wall min–max | CPU s | peak RSS tree MiB | findings | "
            "CPU util | s per 1k lines | marginal s per 1k lines |",
            "|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    met, text = linear_verdict(points)
    prev = None
    for p in points:
        if not p.runs or p.status != "ok":
            rows.append(f"| {p.copies} | {p.files} | {p.lines} | {p.status} | – | – | – | – | – | – | – |")
            continue
        wall, cpu = p.wall(), statistics.median(r.cpu for r in p.runs)
        extra = "–" if prev is None else f"{marginal(prev, p):.4f}"
        rows.append(f"| {p.copies} | {p.files} | {p.lines} | {_cells(p.runs)} | {cpu / wall:.2f} | "
                    f"{wall / p.lines * 1000:.4f} | {extra} |")
        prev = p
    return "\n".join([
        f"## Scaling: {name} copied {', '.join(f'{p.copies}x' for p in points)}, cold",
        "",
        f"N copies of `{src}` side by side in a temporary project (`{src.name}`, `{src.name}_2`, ...; the",
        "copies' own imports still name the first copy), with a `pyproject.toml` at its root. Command:",
        "`" + shlex.join(uncached) + " PROJECT`. *marginal*: the extra seconds per extra 1k lines",
        "from the row above (the fixed start-up cost makes *s per 1k lines* fall as the corpus grows).",
        "",
        *rows,
        "",
        f"Grows linearly: {yes_no_na(met)}. {text[0].upper()}{text[1:]}.",
    ])


# --------------------------------------------------------------------------
# issue 5 targets
# --------------------------------------------------------------------------

def targets_section(cold: list, caches: list[CacheResult], points: list[ScalePoint]) -> str:
    rows = ["| target | measured | met |", "|---|---|---|"]
    cores = os.cpu_count() or 1
    by = {(r.corpus, r.tool): r for r in cold if r.runs and r.status == "ok"}
    names = [r.corpus for r in cold if r.tool == "djreview" and (r.corpus, "djreview") in by]
    others = sorted((r for r in cold if r.tool == "djreview" and r.corpus != "django" and r.corpus in names),
                    key=lambda r: -r.lines)
    chosen = [n for n in names if n == "django"] + [r.corpus for r in others[:1]]
    for name in chosen:
        dj = by[(name, "djreview")]
        wall, cpu, peak = dj.med("wall"), dj.med("cpu"), int(dj.med("tree_peak"))
        fl = by.get((name, "flake8"))
        if fl is not None:
            ratio = wall / fl.med("wall")
            rows.append(f"| cold, {name}: wall ≤ ½ of `flake8 --select DJ` | {wall:.2f} s vs {fl.med('wall'):.2f} s "
                        f"({ratio:.2f}x) | {'yes' if ratio <= COLD_RATIO_MAX else 'no'} |")
        rows.append(f"| cold, {name}: peak memory < 1 GiB | {bench.mib(peak)} MiB (process tree) | "
                    f"{'yes' if peak < MEMORY_MAX else 'no'} |")
        util = cpu / wall
        rows.append(f"| cold, {name}: all {cores} cores busy (CPU util = CPU s / wall s) | {cpu:.2f} / {wall:.2f} = "
                    f"{util:.2f} of {cores} | {'yes' if util >= 0.75 * cores else 'no'} (≥ {0.75 * cores:.2f}) |")
    for c in caches:
        if c.warm:
            w = statistics.median(r.wall for r in c.warm)
            rows.append(f"| warm, {c.corpus}: < {WARM_MAX} s | {w:.2f} s, identical: {yes_no(c.warm_identical)} | "
                        f"{'yes' if w < WARM_MAX and all(c.warm_identical) else 'no'} |")
        for ch in c.changed:
            w = statistics.median(r.wall for r in ch.runs)
            rows.append(f"| one file changed {ch.label}, {c.corpus}: < {CHANGED_MAX:g} s, identical findings | "
                        f"{w:.2f} s, identical: {yes_no(ch.identical)} | "
                        f"{'yes' if w < CHANGED_MAX and all(ch.identical) else 'no'} |")
    if points:
        met, text = linear_verdict(points)
        rows.append(f"| scaling {points[0].copies}x → {points[-1].copies}x, cold: time grows linearly | {text} | "
                    f"{yes_no_na(met)} |")
    return "\n".join(["## Issue 5 targets", "", *rows])


# --------------------------------------------------------------------------
# entry point (called by run.py)
# --------------------------------------------------------------------------

def cache_corpora(specs: list[str]) -> list[tuple[str, Path]]:
    """--corpus if given, else django and the largest other default corpus found."""
    if specs:
        return bench.parse_corpora(specs)
    found = bench.parse_corpora([])
    django = [(n, p) for n, p in found if n == "django"]
    rest = sorted((c for c in found if c[0] != "django"), key=lambda c: -bench.count_py(c[1])[1])
    return django + rest[:1]


def scale_corpus(args) -> tuple[str, Path] | None:
    spec = args.scale_corpus or (args.corpus[0] if args.corpus else "django")
    return bench.parse_corpora([spec])[0]


def run_modes(modes: list[str], args, djreview: list[str], runner, cold: list,
              notes: list[str]) -> tuple[str, list[str], bool]:
    """Run the warm / changed / scaling *modes*; return the Markdown section of the issue 5
    targets (which also reads the *cold* results), the modes' sections, and whether every run
    succeeded."""
    cached = [a for a in djreview if a != "--no-cache"]
    uncached = cached + ["--no-cache"]
    sections: list[str] = []
    caches: list[CacheResult] = []
    points: list[ScalePoint] = []
    if "warm" in modes or "changed" in modes:
        for name, path in cache_corpora(args.corpus):
            if not path.is_dir():
                notes.append(f"corpus {name}: {path} missing, skipped")
                continue
            caches.append(bench_cache(name, path, cached, uncached, runner, modes, args.repeat, notes))
        sections.append(cache_section(caches, cached, uncached))
    if "scaling" in modes:
        name, path = scale_corpus(args)
        scales = sorted({int(x) for x in args.scales.split(",") if x.strip()})
        if not path.is_dir() or not scales or scales[0] < 1:
            notes.append(f"scaling: corpus {name} ({path}) missing or bad --scales {args.scales!r}, skipped")
        else:
            points = bench_scaling(name, path, scales, uncached, runner, args.repeat, notes)
            sections.append(scaling_section(name, path, points, uncached))
    ok = all(c.status == "ok" for c in caches) and all(p.status == "ok" for p in points)
    return targets_section(cold, caches, points), sections, ok
