"""Make the one-file projects behind the max-file-size default (benchmarks/RESULTS-limits.md).

    python benchmarks/huge_files.py /tmp/huge
    /usr/bin/time -f "%e s %M KB" djreview --no-cache -j1 --format concise /tmp/huge/models-1024k

Each project is `manage.py` and `app/models.py` of about the given size: `models-*` holds
models with a CharField, a ForeignKey and a ManyToManyField each; `list-*` holds one model
and then a list literal of tuples.
"""

from __future__ import annotations

import sys
from pathlib import Path

MODEL = """
class Model{i}(models.Model):
    name = models.CharField(max_length=100)
    parent = models.ForeignKey("Model{p}", on_delete=models.CASCADE)
    tags = models.ManyToManyField("Model{q}")

    def __str__(self):
        return self.name
"""
HEADER = "from django.db import models\n\n"
ONE_MODEL = HEADER + "class Shelf(models.Model):\n    label = models.CharField(max_length=10)\n\nDATA = [\n"


def models(size: int) -> str:
    parts, total, i = [HEADER], len(HEADER), 0
    while total < size:
        parts.append(MODEL.format(i=i, p=max(i - 1, 0), q=max(i - 2, 0)))
        total, i = total + len(parts[-1]), i + 1
    return "".join(parts)


def list_literal(size: int) -> str:
    parts, total, i = [ONE_MODEL], len(ONE_MODEL), 0
    while total < size:
        parts.append(f"    ({i}, 'item {i}', {i * 1.5}),\n")
        total, i = total + len(parts[-1]), i + 1
    return "".join(parts) + "]\n"


def main(out: Path) -> None:
    for kib in (256, 1024):
        for name, make in (("models", models), ("list", list_literal)):
            project = out / f"{name}-{kib}k"
            (project / "app").mkdir(parents=True, exist_ok=True)
            (project / "manage.py").write_text("")
            (project / "app" / "__init__.py").write_text("")
            (project / "app" / "models.py").write_text(make(kib * 1024))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
