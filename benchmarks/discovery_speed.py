"""How much respecting .gitignore costs file discovery (issue 13 item 4).

For each corpus, a copy is made under a temporary folder, turned into a git work tree with a
typical Django project's .gitignore at its top (with --nested, also one .gitignore in every
package folder: the worst case, every folder has patterns to check), and `discovery.discover()` is timed with
`respect-gitignore` on and off, against `git ls-files -co --exclude-standard` (git's own answer,
which the file list must equal). Nothing is written into the repository or the corpus.

    python benchmarks/discovery_speed.py [--repeat 7] [--nested] [--corpus-root /tmp/corpus] [NAME ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from functools import partial
from pathlib import Path

from djreview.discovery import discover
from djreview.paths import PathRules

CORPORA = {
    "django": "django/django",
    "wagtail": "wagtail/wagtail",
    "pretix": "pretix/pretix",
    "django-oscar": "django-oscar/oscar",
}

TOP_GITIGNORE = """\
__pycache__/
*.py[cod]
*.egg-info/
build/
dist/
.env
.venv/
node_modules/
/media/
/static/CACHE/
local_settings.py
*.gen.py
"""
NESTED_GITIGNORE = "*.tmp\n/scratch/\n!keep.tmp\n"


def make_tree(source: Path, into: Path, nested: bool) -> Path:
    tree = into / (source.name + ("-nested" if nested else ""))
    shutil.copytree(source, tree, symlinks=True)
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    (tree / ".gitignore").write_text(TOP_GITIGNORE)
    for folder, _dirs, files in os.walk(tree) if nested else ():
        if "__init__.py" in files and folder != str(tree):
            Path(folder, ".gitignore").write_text(NESTED_GITIGNORE)
    return tree


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def git_files(tree: Path) -> set[str]:
    out = subprocess.run(
        ["git", "-C", str(tree), "ls-files", "-co", "--exclude-standard", "-z", "--", "*.py"],
        check=True,
        capture_output=True,
    ).stdout
    return {str(tree / name) for name in out.decode().split("\0") if name}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*", default=list(CORPORA))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--corpus-root", default="/tmp/corpus")
    parser.add_argument("--nested", action="store_true", help="also a .gitignore in every package folder (worst case)")
    args = parser.parse_args()
    print("| corpus | .py files | folders | gitignore off | gitignore on | on/off | git ls-files | same files as git |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.names:
            tree = make_tree(Path(args.corpus_root) / CORPORA[name], Path(tmp), args.nested)
            folders = sum(1 for _ in os.walk(tree))
            off = PathRules(root=str(tree), respect_gitignore=False)
            on = PathRules(root=str(tree), respect_gitignore=True)
            t_off, _ = timed(partial(discover, [str(tree)], off), args.repeat)
            t_on, found = timed(partial(discover, [str(tree)], on), args.repeat)
            t_git, listed = timed(partial(git_files, tree), args.repeat)
            ours = {str(p) for p in found}  # type: ignore[union-attr]
            print(
                f"| {name} | {len(ours)} | {folders} | {t_off * 1000:.1f} ms | {t_on * 1000:.1f} ms "
                f"| {t_on / t_off:.2f} | {t_git * 1000:.1f} ms | {'yes' if ours == listed else 'NO'} |"
            )


if __name__ == "__main__":
    main()
