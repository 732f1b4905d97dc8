#!/usr/bin/env python3
"""Latency of reviewing one file of a large project, as an editor does through flake8.

    python benchmarks/editor_latency.py PROJECT_DIR FILE [FILE...] [--repeat 5] [--write]

For each file: `flake8 --select DJR FILE` with a cold index (the project's .djreview_cache
removed first), warm (cache present, nothing changed: the file's findings come from the
cache) and warm with the file just edited (a comment appended before each run, so the file
is parsed and reviewed against the cached project index), next to flake8's own floor
(`--bare-flake8 PATH`: a flake8 installed without djreview, run with `--select E999`; flake8
runs every installed plugin whatever --select says, so the floor must come from another venv)
and `djreview FILE` warm. Medians of --repeat runs. --write appends a table to
benchmarks/RESULTS-editor.md.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _bin(name: str) -> str:
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else name


def _time(cmd: list[str], cwd: Path, before=None) -> float:
    if before:
        before()
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("files", nargs="+")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--bare-flake8", help="a flake8 without djreview installed, for the floor")
    args = parser.parse_args()
    project = args.project.resolve()
    cache = project / ".djreview_cache"
    flake8, djreview = _bin("flake8"), _bin("djreview")
    lines = sum(len(p.read_bytes().splitlines()) for p in project.rglob("*.py"))
    files = len(list(project.rglob("*.py")))

    def clear() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    rows = []
    for name in args.files:
        size = len((project / name).read_bytes().splitlines())
        cells = {}
        if args.bare_flake8:
            cells["flake8 alone (no djreview)"] = [
                _time([args.bare_flake8, "--isolated", "--select", "E999", name], project) for _ in range(args.repeat)
            ]
        cells["flake8 DJR cold"] = [_time([flake8, "--isolated", "--select", "DJR", name], project, clear)
                                    for _ in range(args.repeat)]
        _time([djreview, name], project)  # make sure the cache is warm
        cells["flake8 DJR warm"] = [_time([flake8, "--isolated", "--select", "DJR", name], project)
                                    for _ in range(args.repeat)]
        cells["djreview FILE warm"] = [_time([djreview, name], project) for _ in range(args.repeat)]
        # the editor's usual case: the file was just saved with an edit, so its findings must
        # be computed afresh (the rest of the project stays cached)
        original = (project / name).read_bytes()
        edits = iter(range(args.repeat))

        def edit() -> None:
            (project / name).write_bytes(original + f"\n# edit {next(edits)}\n".encode())

        try:
            cells["flake8 DJR warm, file just edited"] = [
                _time([flake8, "--isolated", "--select", "DJR", name], project, edit) for _ in range(args.repeat)
            ]
        finally:
            (project / name).write_bytes(original)
        rows.append((name, size, {k: statistics.median(v) for k, v in cells.items()}))
    header = ["file", "lines", *rows[0][2]]
    table = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for name, size, cells in rows:
        table.append(f"| `{name}` | {size} | " + " | ".join(f"{v:.2f} s" for v in cells.values()) + " |")
    text = "\n".join(table)
    print(f"project {project} ({files} files, {lines} lines), median of {args.repeat}\n{text}")
    if args.write:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        out = HERE / "RESULTS-editor.md"
        head = "" if out.exists() else "# Editor latency (one file of a large project, through flake8)\n\n"
        with out.open("a", encoding="utf-8") as handle:
            handle.write(f"{head}## {stamp}: `{project}` ({files} files, {lines} lines), median of {args.repeat}\n\n")
            handle.write(f"Command: `{' '.join(sys.argv)}`\n\n{text}\n\n")


if __name__ == "__main__":
    main()
