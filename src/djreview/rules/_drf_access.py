"""What DJR303 (view-without-permissions) and DJR304 (list-without-pagination) share: which
files hold a DRF view, the view a top-level class is (the index's `drf_view`), and fix edits
that add a class attribute and the import it needs. Kept here so the two rules ask the index
the same questions and write the same code."""

from __future__ import annotations

import libcst as cst

from djreview.fix_spec import INDENT, NodeEdit


def holds_drf_views(facts, index) -> bool:
    """Does the file define a DRF view class (through the project's bases)?"""
    return any(cls.bases and index.class_kind(cls.qualname) == "drf-view" for cls in facts.classes)


_DRF_KEYS = ("DEFAULT_PERMISSION_CLASSES", "DEFAULT_PAGINATION_CLASS", "PAGE_SIZE", "DEFAULT_AUTHENTICATION_CLASSES")


def drf_default(index, key: str):
    """A REST_FRAMEWORK key as production gets it, or None when the index cannot tell. A
    dynaconf settings fragment (galaxy-ng, pulp plugins: `REST_FRAMEWORK__<KEY> = ...`,
    `"dynaconf_merge"` in INSTALLED_APPS) is merged with settings the index does not see."""
    if any(index.setting(f"REST_FRAMEWORK__{k}").state == "set" for k in _DRF_KEYS):
        return None
    apps = index.setting("INSTALLED_APPS")
    if apps.state == "set" and isinstance(apps.value, (list, tuple)) and "dynaconf_merge" in apps.value:
        return None
    value = index.drf_setting(key)
    return None if value.state == "unknown" else value


def view_of(ctx, node: cst.ClassDef):
    """The index's DrfView for a top-level class being visited, else None."""
    frame = ctx.flow.enclosing_class()
    if frame is None or frame.node is not node or not frame.top_level:
        return None
    return ctx.index.drf_view(frame.qualname)


def imported_name(ctx, module: str, name: str) -> tuple[str, tuple[NodeEdit, ...]]:
    """How the file can name `module.name`: a name it already imports (`IsAuthenticated`,
    `permissions.IsAuthenticated`), else the name and an edit adding the import."""
    for local, ref in ctx.facts.imports.items():
        if ref == f"{module}.{name}":
            return local, ()
        if ref == module:
            return f"{local}.{name}", ()
    line = f"from {module} import {name}"
    body = ctx.module.body
    imports = [s for s in body if _is_import(s)]
    if imports:
        last = imports[-1].body[-1]  # type: ignore[attr-defined]
        return name, (NodeEdit(last, f"\n{line}", "after"),)
    first = body[0] if body else None
    if first is None:
        return name, ()
    return name, (NodeEdit(first, f"{line}\n\n\n", "before"),)


def _is_import(stmt) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and any(
        isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body
    )


def class_attribute_edit(node: cst.ClassDef, text: str) -> NodeEdit | None:
    """An edit adding the statement `text` at the top of the class body (after its docstring)."""
    if not isinstance(node.body, cst.IndentedBlock) or not node.body.body:
        return None
    statements = list(node.body.body)
    first = statements[0]
    if _is_docstring(first) and len(statements) > 1:
        return NodeEdit(statements[1], f"{text}\n{INDENT}", "before", indent_like=statements[1])
    if _is_docstring(first):
        return NodeEdit(first.body[-1], f"\n{INDENT}{text}", "after", indent_like=first)  # type: ignore[attr-defined]
    return NodeEdit(first, f"{text}\n{INDENT}", "before", indent_like=first)


def _is_docstring(stmt) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def class_attribute(node: cst.ClassDef, name: str) -> cst.BaseExpression | None:
    """The value of `name = ...` in the class body, if it assigns it."""
    if not isinstance(node.body, cst.IndentedBlock):
        return None
    for stmt in node.body.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if (
                    isinstance(small, cst.Assign)
                    and len(small.targets) == 1
                    and isinstance(small.targets[0].target, cst.Name)
                    and small.targets[0].target.value == name
                ):
                    return small.value
    return None
