#!/usr/bin/env python3
"""Benchmark djreview against peer Django linters on real code bases.

Standard library only; psutil is used when importable (otherwise process-tree
memory is sampled straight from /proc on Linux). The warm, changed and scaling
modes live in cache_and_scaling.py beside this file.

Modes (``--mode``, or ``--all`` for every one of them):

  cold     (default) every tool without a cache, side by side, on each corpus
  warm     djreview again on an unchanged copy of the corpus, with its cache
  changed  the same after a fresh edit of one file (a body edit; a new model field),
           compared with a --no-cache run of the edited copy
  scaling  djreview cold on 1x, 2x, 4x copies of a corpus (``--scales``)

In the cold mode, for every corpus it counts .py files and lines, then runs each tool
``--repeat`` times and reports the median wall time, CPU time, peak memory of
the whole process tree and the number of findings:

  djreview  ``djreview --format json [--no-cache] PATH``   (``--djreview-cmd``)
  flake8    ``/tmp/peers/bin/flake8 --select DJ PATH``     (``--flake8``)
  ruff      ``/tmp/peers/bin/ruff check --select DJ --no-cache PATH`` (``--ruff``)

Exit status 1 means "findings" for all three tools, not failure.

Examples::

  python3 benchmarks/run.py --all --write            # every number of RESULTS.md (about 16 min)
  python3 benchmarks/run.py --all --corpus django --repeat 1   # a quick check of every mode
  python3 benchmarks/run.py                          # cold: all corpora found, all tools
  python3 benchmarks/run.py --only flake8,ruff --write
  python3 benchmarks/run.py --corpus django --corpus mine=/src/myproj --repeat 5
  python3 benchmarks/run.py --djreview-cmd ".venv/bin/djreview --format json --no-cache"

See benchmarks/README.md for fetching the corpora and creating the peer venv.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import re
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

try:  # optional
    import psutil  # type: ignore
except Exception:  # pragma: no cover - psutil is optional
    psutil = None

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS_MD = HERE / "RESULTS.md"
CORPUS_ROOT = Path(os.environ.get("DJREVIEW_CORPUS_ROOT", "/tmp/corpus"))
PEERS = Path(os.environ.get("DJREVIEW_PEERS", "/tmp/peers"))

# name -> path of the package directory that is analysed (see fetch_corpora.sh)
DEFAULT_CORPORA: list[tuple[str, Path]] = [
    ("django", CORPUS_ROOT / "django" / "django"),
    ("wagtail", CORPUS_ROOT / "wagtail" / "wagtail"),
    ("pretix", CORPUS_ROOT / "pretix" / "pretix"),
    ("django-cms", CORPUS_ROOT / "django-cms"),  # cms/ + menus/
    ("django-oscar", CORPUS_ROOT / "django-oscar" / "oscar"),
    ("django-allauth", CORPUS_ROOT / "django-allauth" / "allauth"),
    ("django-filer", CORPUS_ROOT / "django-filer" / "filer"),
]

TOOLS = ("djreview", "flake8", "ruff")
SKIP_DIRS = {"__pycache__", ".git", ".tox", ".venv", "node_modules"}


# --------------------------------------------------------------------------
# corpus statistics
# --------------------------------------------------------------------------

def count_py(path: Path) -> tuple[int, int]:
    """Return (number of .py files, number of lines) below *path*.

    A line is a newline-terminated line, plus a last line without newline.
    """
    files = lines = 0
    for root, dirs, names in os.walk(path):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS]
        for n in names:
            if not n.endswith(".py"):
                continue
            files += 1
            with open(os.path.join(root, n), "rb") as fh:
                data = fh.read()
            lines += data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)
    return files, lines


# --------------------------------------------------------------------------
# measurement
# --------------------------------------------------------------------------

def _proc_children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # ppid is the 2nd field after the parenthesised command name
        rest = stat[stat.rfind(b")") + 2:].split()
        kids.setdefault(int(rest[1]), []).append(int(entry))
    return kids


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _tree_rss_proc(pid: int) -> int:
    """Sum of RSS (bytes) of *pid* and all its descendants, read from /proc."""
    kids = _proc_children_map()
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo.extend(kids.get(p, ()))
        try:
            with open(f"/proc/{p}/statm", "rb") as fh:
                total += int(fh.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def _tree_rss_psutil(proc) -> int:
    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


_HZ = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_busy_seconds() -> float | None:
    """System-wide non-idle CPU seconds since boot (all cores), from /proc/stat."""
    try:
        with open("/proc/stat") as fh:
            f = [int(x) for x in fh.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    # user nice system idle iowait irq softirq steal guest guest_nice
    return (sum(f[:8]) - f[3] - f[4]) / _HZ


def self_cpu_seconds() -> float:
    t = os.times()
    return t.user + t.system


def wait_idle(max_wait: float, threshold: float = 0.3) -> float:
    """Wait (at most *max_wait* s) for a 1 s window in which other processes use
    fewer than *threshold* cores. Returns the cores busy in the last window."""
    deadline = time.monotonic() + max_wait
    busy = 0.0
    while True:
        a = cpu_busy_seconds()
        if a is None:
            return 0.0
        time.sleep(1.0)
        busy = (cpu_busy_seconds() or a) - a
        if busy < threshold or time.monotonic() >= deadline:
            return busy


def sampler_kind() -> str:
    if psutil is not None:
        return "psutil"
    if os.path.isdir("/proc/self"):
        return "/proc"
    return "none"


@dataclass
class Run:
    rc: int
    wall: float
    cpu: float  # user+sys of the whole tree (from wait4)
    tree_peak: int  # bytes, sampled sum of RSS over the process tree
    single_peak: int  # bytes, largest single process (ru_maxrss from wait4)
    samples: int
    others: float  # mean number of cores used by *other* processes during the run
    stdout: str
    stderr: str


def measure(argv: list[str], cwd: str, interval: float, timeout: float | None) -> Run:
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    kind = sampler_kind() if interval > 0 else "none"
    busy0, self0 = cpu_busy_seconds(), self_cpu_seconds()
    t0 = time.perf_counter()
    # own process group, so that a timeout or ^C can stop the tool's workers too
    proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                            start_new_session=True)

    timed_out = []

    def on_timeout() -> None:
        timed_out.append(True)
        kill_tree()

    def kill_tree() -> None:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except OSError:
            pass

    done = threading.Event()
    peak = [0, 0]  # bytes, number of samples

    def sample() -> None:
        ps = None
        if kind == "psutil":
            try:
                ps = psutil.Process(proc.pid)
            except psutil.Error:
                return
        while not done.is_set():
            rss = _tree_rss_psutil(ps) if ps is not None else _tree_rss_proc(proc.pid)
            if rss > peak[0]:
                peak[0] = rss
            peak[1] += 1
            done.wait(interval)

    th = None
    if kind != "none":
        th = threading.Thread(target=sample, daemon=True)
        th.start()
    timer = None
    if timeout:
        timer = threading.Timer(timeout, on_timeout)
        timer.start()
    # wait4 (not Popen.wait) gives the rusage of the child *including* its
    # waited-for descendants: ru_maxrss is then the largest single process.
    try:
        _, status, ru = os.wait4(proc.pid, 0)
    except BaseException:
        kill_tree()
        done.set()
        raise
    wall = time.perf_counter() - t0
    busy1, self1 = cpu_busy_seconds(), self_cpu_seconds()
    done.set()
    if timer:
        timer.cancel()
    if th:
        th.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode("utf-8", "replace")
    stderr = err.read().decode("utf-8", "replace")
    if timed_out:
        stderr += f"\n[run.py: killed after the {timeout:g} s timeout]"
    out.close()
    err.close()
    single = ru.ru_maxrss * 1024  # Linux reports KiB
    cpu = ru.ru_utime + ru.ru_stime
    others = 0.0
    if busy0 is not None and busy1 is not None and wall > 0:
        # busy time of everything else: not the tool's tree, not this script's sampler
        others = max(0.0, (busy1 - busy0) - cpu - (self1 - self0)) / wall
    return Run(
        rc=proc.returncode,
        wall=wall,
        cpu=cpu,
        # the tree sum is never below its largest process: short runs finish
        # between two samples, so fall back on the exact single-process peak
        tree_peak=max(peak[0], single),
        single_peak=single,
        samples=peak[1],
        others=others,
        stdout=stdout,
        stderr=stderr,
    )


def make_runner(cwd: str, interval: float, timeout: float | None, idle_wait: float):
    """measure() with fixed settings: ``runner(argv) -> Run``, waiting for an idle machine
    first when *idle_wait* > 0."""
    def runner(argv: list[str]) -> Run:
        if idle_wait > 0:
            wait_idle(idle_wait)
        return measure(argv, cwd, interval, timeout)
    return runner


def describe(run: Run, findings: str) -> str:
    """One progress line's worth of a run."""
    return (f"{run.wall:7.2f}s rc={run.rc} tree={mib(run.tree_peak)}MiB "
            f"single={mib(run.single_peak)}MiB findings={findings} others={run.others:.2f}")


def stderr_tail(run: Run, lines: int = 5) -> str:
    return " / ".join(run.stderr.strip().splitlines()[-lines:])[:600]


# --------------------------------------------------------------------------
# tools
# --------------------------------------------------------------------------

def resolve_cmd(cmd: str) -> list[str]:
    """Split *cmd*; if its program is not on PATH, try the repo's .venv/bin."""
    argv = shlex.split(cmd)
    prog = argv[0]
    if "/" in prog:
        p = Path(prog)
        if not p.is_absolute():
            # relative to the repository root first, then the cwd
            cand = REPO / p
            p = cand if cand.exists() else p.resolve()
        argv[0] = str(p)
    elif shutil.which(prog) is None:
        cand = REPO / ".venv" / "bin" / prog
        if cand.exists():
            argv[0] = str(cand)
    return argv


def available(argv: list[str]) -> bool:
    prog = argv[0]
    return (os.path.isfile(prog) and os.access(prog, os.X_OK)) or shutil.which(prog) is not None


def tool_version(argv: list[str]) -> str:
    try:
        cp = subprocess.run(argv[:1] + ["--version"], capture_output=True, text=True, timeout=60)
    except Exception as exc:  # noqa: BLE001
        return f"unavailable ({exc.__class__.__name__})"
    text = (cp.stdout or cp.stderr).strip()
    text = " ".join(text.split())
    if cp.returncode != 0:
        return f"`--version` failed (rc={cp.returncode}): {text[:200]}"
    return text


def djreview_supports(argv: list[str], flag: str) -> bool:
    """Does the help of the configured command line (or of the program) mention *flag*?"""
    for probe in (argv + ["--help"], argv[:1] + ["check", "--help"], argv[:1] + ["--help"]):
        try:
            cp = subprocess.run(probe, capture_output=True, text=True, timeout=60,
                                stdin=subprocess.DEVNULL)
        except Exception:  # noqa: BLE001
            continue
        if re.search(re.escape(flag) + r"\b", cp.stdout + cp.stderr):
            return True
    return False


def count_djreview(run: Run) -> str:
    try:
        data = json.loads(run.stdout)
    except ValueError:
        return "?"
    summ = data.get("summary") if isinstance(data, dict) else None
    if isinstance(summ, dict) and "findings" in summ:
        val = summ["findings"]
        text = str(len(val) if isinstance(val, list) else val)
        errors = summ.get("errors")
        if isinstance(errors, int) and errors:
            text += f" ({errors} errors)"
        return text
    if isinstance(data, dict) and isinstance(data.get("findings"), list):
        return str(len(data["findings"]))
    return "?"


def count_flake8(run: Run) -> str:
    return str(sum(1 for line in run.stdout.splitlines() if line.strip()))


_RUFF_FOUND = re.compile(r"Found (\d+) errors?")


def count_ruff(run: Run) -> str:
    m = _RUFF_FOUND.search(run.stdout) or _RUFF_FOUND.search(run.stderr)
    if m:
        return m.group(1)
    if "All checks passed" in run.stdout + run.stderr:
        return "0"
    return "?"


COUNTERS = {"djreview": count_djreview, "flake8": count_flake8, "ruff": count_ruff}


# --------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------

@dataclass
class Result:
    corpus: str
    files: int
    lines: int
    tool: str
    argv: list[str]
    runs: list[Run] = field(default_factory=list)
    status: str = "ok"

    def med(self, attr: str) -> float:
        return statistics.median(getattr(r, attr) for r in self.runs)


def parse_corpora(specs: list[str]) -> list[tuple[str, Path]]:
    defaults = dict(DEFAULT_CORPORA)
    if not specs:
        return [(n, p) for n, p in DEFAULT_CORPORA if p.is_dir()]
    out = []
    for spec in specs:
        name, sep, path = spec.partition("=")
        if sep:
            out.append((name, Path(path).expanduser()))
        elif name in defaults:
            out.append((name, defaults[name]))
        else:
            raise SystemExit(f"unknown corpus {name!r}; use NAME=PATH (known: {', '.join(defaults)})")
    return out


def mib(n: int) -> str:
    return f"{n / 2**20:.0f}" if n else "n/a"


def fmt_kloc(v: float) -> str:
    return f"{v:.1f}" if v < 10 else f"{v:.0f}"


def fmt_table(results: list[Result]) -> str:
    head = ("| corpus | .py files | lines | tool | wall s (median) | wall min–max | CPU s | "
            "kLOC/s | peak RSS tree MiB | peak RSS 1 proc MiB | findings | other load | exit |")
    sep = "|---|--:|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"
    rows = [head, sep]
    for r in results:
        if not r.runs:
            rows.append(f"| {r.corpus} | {r.files} | {r.lines} | {r.tool} | – | – | – | – | – | – | – | – | {r.status} |")
            continue
        walls = [x.wall for x in r.runs]
        wall = r.med("wall")
        rcs = sorted({x.rc for x in r.runs})
        finds = sorted({COUNTERS[r.tool](x) for x in r.runs})
        status = r.status if r.status != "ok" else "rc=" + ",".join(map(str, rcs))
        # /proc/stat counts in clock ticks (10 ms): meaningless for very short runs
        others = f"{r.med('others'):.2f}" if wall >= 0.5 else "n/a"
        rows.append(
            f"| {r.corpus} | {r.files} | {r.lines} | {r.tool} | {wall:.2f} | "
            f"{min(walls):.2f}–{max(walls):.2f} | {r.med('cpu'):.2f} | "
            f"{fmt_kloc(r.lines / wall / 1000)} | {mib(int(r.med('tree_peak')))} | "
            f"{mib(int(r.med('single_peak')))} | {'/'.join(finds)} | {others} | {status} |"
        )
    return "\n".join(rows)


def machine_info() -> dict[str, str]:
    info = {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": str(os.cpu_count()),
        "python (run.py)": f"{platform.python_implementation()} {platform.python_version()} ({sys.executable})",
        "platform": platform.platform(),
    }
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as fh:
            kb = int(fh.readline().split()[1])
            info["memory"] = f"{kb / 2**20:.1f} GiB"
    except OSError:
        pass
    return info


MODES = ("cold", "warm", "changed", "scaling")


def run_cold(corpora: list[tuple[str, Path]], tools: list[str], cmds: dict[str, list[str]],
             runner, args, notes: list[str]) -> list[Result]:
    """Each tool on each corpus, ``--warmup`` + ``--repeat`` times (the timed runs kept)."""
    results: list[Result] = []
    for name, path in corpora:
        if not path.is_dir():
            print(f"warning: corpus {name}: {path} is not a directory, skipped", file=sys.stderr)
            notes.append(f"corpus {name}: {path} missing, skipped")
            continue
        files, lines = count_py(path)
        print(f"== cold {name}: {path} ({files} files, {lines} lines)", file=sys.stderr)
        for t in tools:
            argv_t = cmds[t] + [str(path)]
            res = Result(name, files, lines, t, argv_t)
            for i in range(args.warmup + args.repeat):
                run = runner(argv_t)
                timed = i >= args.warmup
                print(f"   {t:8s} {'run' if timed else 'warmup'} {i + 1 - args.warmup if timed else i + 1}: "
                      + describe(run, COUNTERS[t](run)), file=sys.stderr)
                if run.rc not in (0, 1):
                    res.status = f"FAILED rc={run.rc}"
                    notes.append(f"{t} on {name} exited {run.rc}: " + stderr_tail(run))
                    print("     stderr:", stderr_tail(run), file=sys.stderr)
                    res.runs.append(run)
                    break
                if timed:
                    res.runs.append(run)
            if args.keep_output and res.runs:
                args.keep_output.mkdir(parents=True, exist_ok=True)
                (args.keep_output / f"{name}.{t}.stdout").write_text(res.runs[-1].stdout)
                (args.keep_output / f"{name}.{t}.stderr").write_text(res.runs[-1].stderr)
            results.append(res)
    return results


def parse_modes(args, ap) -> list[str]:
    if args.all:
        return list(MODES)
    modes = [m.strip() for m in args.mode.split(",") if m.strip()]
    bad = [m for m in modes if m not in MODES]
    if bad or not modes:
        ap.error(f"unknown mode(s) in --mode: {', '.join(bad) or '(none)'}; choose among {', '.join(MODES)}")
    return [m for m in MODES if m in modes]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--mode", default="cold",
                    help="comma-separated modes among cold,warm,changed,scaling (default: %(default)s): "
                         "cold = every tool, no cache, side by side; warm = djreview again on an "
                         "unchanged copy with its cache; changed = the same after one edited file; "
                         "scaling = djreview cold on 1x, 2x, 4x copies of a corpus")
    ap.add_argument("--all", action="store_true",
                    help="every mode: reproduces every number of RESULTS.md (with --write)")
    ap.add_argument("--corpus", action="append", default=[], metavar="NAME[=PATH]",
                    help="corpus to run (repeatable). NAME alone picks a default corpus; "
                         "NAME=PATH any directory. Default: cold, every default corpus that exists; "
                         "warm/changed: django and the largest other one; scaling: see --scale-corpus.")
    ap.add_argument("--scale-corpus", default=None, metavar="NAME[=PATH]",
                    help="corpus copied 1x, 2x, 4x for the scaling mode "
                         "(default: the first --corpus, else django)")
    ap.add_argument("--scales", default="1,2,4",
                    help="numbers of copies for the scaling mode (default: %(default)s)")
    ap.add_argument("--djreview-cmd", default="djreview --format json",
                    help="djreview command line without the path (default: %(default)r; "
                         "if 'djreview' is not on PATH, .venv/bin/djreview of the repo is used)")
    ap.add_argument("--djreview-no-cache", choices=("auto", "yes", "no"), default="auto",
                    help="append --no-cache to the djreview command of the cold mode: auto = only if "
                         "`djreview --help` mentions it (default: %(default)s)")
    ap.add_argument("--flake8", default=f"{PEERS}/bin/flake8 --select DJ",
                    help="flake8 command line without the path (default: %(default)r)")
    ap.add_argument("--ruff", default=f"{PEERS}/bin/ruff check --select DJ --no-cache",
                    help="ruff command line without the path (default: %(default)r)")
    ap.add_argument("--only", default=",".join(TOOLS),
                    help="comma-separated tools of the cold mode, among djreview,flake8,ruff (default: all)")
    ap.add_argument("--repeat", type=int, default=3,
                    help="timed runs per cell (median kept); for changed, edits per variant (default: 3)")
    ap.add_argument("--warmup", type=int, default=0, help="untimed runs before the timed ones (cold mode)")
    ap.add_argument("--sample-ms", type=float, default=20.0,
                    help="RSS sampling interval in ms; 0 disables tree sampling (default: 20)")
    ap.add_argument("--wait-idle", type=float, default=0.0, metavar="SECONDS",
                    help="before each run wait up to SECONDS for the machine to be idle "
                         "(other processes using < 0.3 cores over 1 s); default 0 = don't wait")
    ap.add_argument("--timeout", type=float, default=1800.0, help="seconds per run before kill")
    ap.add_argument("--write", action="store_true", help=f"rewrite {RESULTS_MD}")
    ap.add_argument("--results", type=Path, default=RESULTS_MD, help="file written by --write")
    ap.add_argument("--note", action="append", default=[],
                    help="free-text note added to the Notes section of RESULTS.md (repeatable)")
    ap.add_argument("--keep-output", type=Path, default=None, metavar="DIR",
                    help="save each tool's stdout/stderr of the last run under DIR (cold mode)")
    args = ap.parse_args(argv)

    modes = parse_modes(args, ap)
    only = [t.strip() for t in args.only.split(",") if t.strip()] if "cold" in modes else []
    bad = [t for t in only if t not in TOOLS]
    if bad:
        ap.error(f"unknown tool(s) in --only: {', '.join(bad)}")
    cold_tools = list(only)
    if any(m != "cold" for m in modes) and "djreview" not in only:
        only.insert(0, "djreview")  # the other modes measure djreview alone
    corpora = parse_corpora(args.corpus)
    if not corpora and "cold" in modes:
        ap.error(f"no corpus found under {CORPUS_ROOT}; run benchmarks/fetch_corpora.sh or pass --corpus")

    cmds = {"djreview": resolve_cmd(args.djreview_cmd), "flake8": resolve_cmd(args.flake8),
            "ruff": resolve_cmd(args.ruff)}
    tools: list[str] = []
    versions: dict[str, str] = {}
    notes: list[str] = list(args.note)
    for t in only:
        if not available(cmds[t]):
            msg = f"{t}: `{cmds[t][0]}` not found, skipped"
            print("warning:", msg, file=sys.stderr)
            notes.append(msg)
            continue
        if t == "djreview" and args.djreview_no_cache != "no" and "--no-cache" not in cmds[t]:
            if args.djreview_no_cache == "yes" or djreview_supports(cmds[t], "--no-cache"):
                cmds[t].append("--no-cache")
        tools.append(t)
        versions[t] = tool_version(cmds[t])

    # run from an empty directory so that no tool picks up a config file from the cwd
    cwd = tempfile.mkdtemp(prefix="djreview-bench-")
    runner = make_runner(cwd, args.sample_ms / 1000.0, args.timeout, args.wait_idle)
    results: list[Result] = []
    sections: list[str] = []
    ok = True
    try:
        if "cold" in modes:
            results = run_cold(corpora, [t for t in tools if t in cold_tools], cmds, runner, args, notes)
            sections.append(cold_section(fmt_table(results)))
            print(fmt_table(results))
            ok = all(r.status == "ok" for r in results)
        extra = [m for m in modes if m != "cold"]
        if extra:
            if "djreview" not in tools:
                ap.error("the warm, changed and scaling modes need djreview")
            if HERE.as_posix() not in sys.path:
                sys.path.insert(0, HERE.as_posix())
            import cache_and_scaling  # noqa: PLC0415 - it imports this module

            targets, more, more_ok = cache_and_scaling.run_modes(extra, args, cmds["djreview"], runner,
                                                                 results, notes)
            sections = [targets, *sections, *more]
            ok = ok and more_ok
            for text in [*more, targets]:
                print("\n" + text)
    finally:
        shutil.rmtree(cwd, ignore_errors=True)

    if notes:
        print("\nNotes:\n" + "\n".join(f"- {n}" for n in notes))
    if args.write:
        write_results(args.results, sections, results, cmds, tools, versions, notes, args, modes)
        print(f"\nwrote {args.results}", file=sys.stderr)
    return 0 if ok else 1


def cold_section(table: str) -> str:
    return "\n".join([
        "## Cold runs, side by side",
        "",
        "No cache: `djreview --no-cache`, flake8 (which has none), `ruff --no-cache`.",
        "",
        table,
        "",
        "Columns: *wall s* is the median elapsed time; *CPU s* is user+sys of the whole process tree",
        "(`wait4` rusage); *kLOC/s* is lines / median wall; *peak RSS tree* is the largest sampled sum",
        "of the RSS of the process and all its descendants (shared copy-on-write pages of forked",
        "workers are counted once per process, so this over-states real use a little); *peak RSS 1 proc*",
        "is `ru_maxrss` of the largest single process in the tree. *findings*: djreview",
        "`summary.findings` of its JSON output (with `summary.errors` when non-zero), flake8",
        "output lines, ruff's `Found N errors`; values differing between runs are joined by `/`.",
        "*other load*: median of the mean number of cores that other processes on the machine",
        "kept busy during the run (`/proc/stat` minus the tool and the sampler; n/a under 0.5 s); wall times with",
        "other load well above 0 are inflated. *exit* 1 means findings, not failure.",
    ])


def write_results(dest: Path, sections: list[str], results: list[Result], cmds: dict[str, list[str]],
                  tools: list[str], versions: dict[str, str], notes: list[str], args, modes: list[str]) -> None:
    info = machine_info()
    corpora = []
    seen = set()
    for r in results:
        if r.corpus not in seen:
            seen.add(r.corpus)
            corpora.append((r.corpus, r.argv[-1], r.files, r.lines))
    lines = [
        "# Benchmark results",
        "",
        "Generated by `benchmarks/run.py` (see `benchmarks/README.md`). Do not edit by hand;",
        "re-run the invocation below.",
        "",
        f"- date: {info.pop('date')}",
        "- invocation: `" + " ".join(shlex.quote(a) for a in
                                  [Path(sys.executable).name, "benchmarks/run.py", *sys.argv[1:]]) + "`",
        f"- modes: {', '.join(modes)}",
    ]
    lines += [f"- {k}: {v}" for k, v in info.items()]
    lines += [
        f"- runs per cell: {args.repeat} (median kept), warm-up runs: {args.warmup}, "
        f"wait for idle before each run: up to {args.wait_idle:g} s",
        f"- memory sampler: {sampler_kind() if args.sample_ms > 0 else 'off'}, every {args.sample_ms:g} ms",
        "",
        "## Tools",
        "",
    ]
    for t in tools:
        lines.append(f"- {t}: {versions.get(t, '?')}")
    lines += ["", "## Commands", "", "Run from an empty temporary directory (no config file in the cwd); "
              "`PATH` is the corpus directory.", "", "```"]
    for t in tools:
        lines.append(" ".join(shlex.quote(a) for a in cmds[t]) + " PATH")
    lines.append("```")
    if corpora:
        lines += ["", "## Corpora", "", "| corpus | path | .py files | lines |", "|---|---|--:|--:|"]
        for name, path, files, nlines in corpora:
            lines.append(f"| {name} | `{path}` | {files} | {nlines} |")
    for text in sections:
        lines += ["", text]
    if notes:
        lines += ["", "## Notes", ""] + [f"- {n}" for n in notes]
    dest.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    # cache_and_scaling.py does `import run`: let that be this very module, not a second copy
    sys.modules.setdefault("run", sys.modules[__name__])
    sys.exit(main())
