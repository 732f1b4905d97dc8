"""`djreview models`: what the index understood of a project, so that silence is never taken
for a clean bill. Every model with its kind and shape, then the classes that look like models
but whose bases the index could not follow (and why): the first thing to run when a finding
seems missing, and what a bug report quotes."""

from __future__ import annotations

from collections.abc import Callable

from djreview.index.project import ModelInfo, ProjectIndex

_FORWARD = ("fk", "o2o", "m2m", "gfk", "generic_relation")


def _kind(info: ModelInfo) -> str:
    if info.assumed:
        return "assumed"
    return "abstract" if info.abstract else "proxy" if info.proxy else "concrete"


def _reason(base: str) -> str:
    if base == "<dynamic>":
        return "dynamic base (not a plain name)"
    return "not found in the project or its Python environment"


def describe(index: ProjectIndex) -> dict:
    """The JSON object `djreview models --format json` prints."""
    models = []
    for info in sorted(index.project_models(), key=lambda m: (m.app_label, m.name, m.qualname)):
        forward = sum(1 for rel in info.relations.values() if rel.kind in _FORWARD)
        models.append(
            {
                "app": info.app_label,
                "name": info.name,
                "qualname": info.qualname,
                "path": info.path,
                "line": info.line,
                "kind": _kind(info),
                "fields": len(info.fields),
                "relations": forward,
                "reverse_relations": len(info.relations) - forward,
                "managers": sorted(info.managers),
            }
        )
    unresolved = []
    for qual, bases in sorted(index.unresolved_classes().items()):
        cls, module = index.classes[qual], index.class_module[qual]
        for base in bases:
            unresolved.append(
                {"qualname": qual, "path": module.path, "line": cls.line, "base": base, "reason": _reason(base)}
            )
    return {"models": models, "unresolved": unresolved}


def summary(models: int, unresolved: int, where: str = "`djreview models` lists them") -> str:
    """One line on how much of the project the index understood."""
    line = f"{models} model(s)"
    if unresolved:
        line += f"; {unresolved} class(es) with unresolved bases: {where}"
    return line


def render_text(data: dict, echo: Callable[[str], None]) -> None:
    app = None
    for model in data["models"]:
        if model["app"] != app:
            app = model["app"]
            echo(f"{app}")
        shape = f"{model['fields']} fields, {model['relations']} relations"
        if model["reverse_relations"]:
            shape += f" (+{model['reverse_relations']} reverse)"
        managers = f", managers: {', '.join(model['managers'])}" if model["managers"] else ""
        echo(f"  {model['name']:<28} {model['kind']:<9} {shape}{managers}  {model['path']}:{model['line']}")
    if data["unresolved"]:
        echo("")
        echo("Classes that look like models but whose bases could not be followed:")
        for item in data["unresolved"]:
            echo(f"  {item['qualname']}  {item['path']}:{item['line']}  base {item['base']}: {item['reason']}")
    echo("")
    classes = len({item["qualname"] for item in data["unresolved"]})
    echo(summary(len(data["models"]), classes, "listed above") + ".")
