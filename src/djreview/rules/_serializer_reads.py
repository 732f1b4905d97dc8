"""DJR101 for DRF serializers: a field reads a relation of each row the view's queryset does
not load (issue 15, item 3).

The index pairs serializers with the views that feed them rows and says which relations each
field reads (index/drf_reads.py). This mixin reports them at the serializer line that reads
the relation: the method field's read, the `source=` field, the nested serializer field, or
the Meta.fields entry. The fix goes on the view's queryset: an edit when the view is in the
same file, else a suggestion naming the file and line (an edit only ever changes the file
under review).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit
from djreview.index.drf_reads import under_many
from djreview.syntax import literal_string

if TYPE_CHECKING:
    from djreview.context import FileContext


class SerializerReads:
    """Mixed into DJR101: `serializer_wants` for its `wants`, and a `leave_Module` hook."""

    ctx: FileContext
    report: Callable[..., None]

    def serializer_wants(self, facts, index) -> bool:
        return any(cls.serializer is not None and index.serializer_reads(cls.qualname) for cls in facts.classes)

    def leave_Module(self, node: cst.Module) -> None:
        facts = self.ctx.facts
        if not any(cls.serializer is not None for cls in facts.classes):
            return
        classes = {s.name.value: s for s in _top_classes(node)}
        for cls in facts.classes:
            if cls.serializer is None or cls.name not in classes:
                continue
            seen: set[tuple[str, ...]] = set()
            for read in self.ctx.index.serializer_reads(cls.qualname):
                if read.reach.path in seen:
                    continue  # two fields reading one relation: the first loads it for both
                seen.add(read.reach.path)
                self._report_read(classes[cls.name], cls.qualname, read, classes)

    # -- one finding per (field, relation) ------------------------------------------------------
    def _report_read(self, klass: cst.ClassDef, qual: str, read, classes) -> None:
        index = self.ctx.index
        reach = read.reach
        model = index.model(read.model)
        model_name = model.name if model else read.model.rsplit(".", 1)[-1]
        through_many = under_many(self.ctx.index, read.model, reach.path)
        path = "__".join(reach.path)
        lookup = index.lookup_path(read.model, path)
        inherited = read.declared_in != qual
        where = self._where(klass, read, inherited)
        dotted = ".".join(reach.path)
        if read.method:
            param = _row_param(klass, read.method) or "obj"
            subject = f"`{param}.{dotted}` in " + (" -> ".join(f"`{v}`" for v in reach.via) or f"`{read.method}()`")
        elif read.line == 0:  # a field ModelSerializer makes for a name in Meta.fields
            made = "nested by Meta.depth" if reach.how == "select" else "a PrimaryKeyRelatedField(many=True)"
            subject = f"`{read.field}` in Meta.fields ({made})"
        else:
            source = ".".join(read.source)
            subject = f"field `{read.field}`" + (f" (`{source}`)" if source != read.field else "")
        if inherited:
            subject += f" (inherited from {read.declared_in.rsplit('.', 1)[-1]})"
        views = ", ".join(f"{v.name} ({v.path}:{v.queryset_line})" for v in read.views)
        rows = f"every {model_name} that {views} serialize{'s' if len(read.views) == 1 else ''}"
        if reach.how == "query":
            message = (
                f"N+1 query: {subject} runs `.{reach.method}()` on `{path}` for {rows}, even with prefetch_related."
            )
            hint = (
                f'Prefetch the rows once with Prefetch("{path}", queryset=..., to_attr=...) on the view\'s queryset, '
                f"or annotate the value there."
            )
            fix = FixSpec(f'use Prefetch("{path}", ...) or an annotation', "suggestion")
            return self.report(where, message, fix, hint=hint)
        if reach.how == "annotate":
            message = f"N+1 query: {subject} counts `{path}` with `.{reach.method}()` for {rows}."
            hint = (
                f"Annotate it on the view's queryset, e.g. .annotate({lookup.split('__')[-1]}_count="
                f'Count("{lookup}")), and read the annotation.'
            )
            fix = FixSpec(f'annotate Count("{lookup}") on the queryset', "suggestion")
            return self.report(where, message, fix, hint=hint)
        method = "select_related" if reach.how == "select" and not through_many else "prefetch_related"
        message = f"N+1 query: {subject} loads `{path}` once for {rows}: the queryset does not {method}() it."
        edits = [self._edit(v, method, path, classes) for v in read.views]
        located = [e for e in edits if e is not None]
        if len(located) == len(edits):
            fix = FixSpec(f'add "{path}" to {method}() on the queryset of {_names(read.views)}', "safe", tuple(located))
        else:
            fix = FixSpec(f'add .{method}("{path}") to the queryset of {views}', "suggestion")
        self.report(where, message, fix, hint=f'Add .{method}("{path}") to the queryset of {views}.')

    # -- where it is reported ------------------------------------------------------------------
    def _where(self, klass: cst.ClassDef, read, inherited: bool) -> cst.CSTNode:
        if inherited:
            return klass.name
        if read.method:
            method = _method(klass, read.method)
            if method is not None:
                found = _attribute_read(method, _row_param(klass, read.method), read.reach.path[0])
                if found is not None:
                    return found
        if read.line == 0:
            found = _meta_field(klass, read.field)
            if found is not None:
                return found
        return _assigned(klass, read.field) or klass.name

    # -- the fix on a view in this file ----------------------------------------------------------
    def _edit(self, view, method: str, path: str, classes) -> NodeEdit | None:
        if view.path != self.ctx.facts.path or view.where not in ("queryset", "get_queryset"):
            return None
        klass = classes.get(view.view.rsplit(".", 1)[-1])
        if klass is None or f"{self.ctx.facts.module}.{klass.name.value}" != view.view:
            return None
        if view.where == "queryset":
            expr = _assigned_value(klass, "queryset")
        else:
            expr = _single_return(_method(klass, "get_queryset"))
        if not isinstance(expr, cst.Call):
            return None
        call: cst.BaseExpression = expr
        while isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
            if call.func.attr.value == method and call.args and all(literal_string(a.value) for a in call.args):
                return NodeEdit(call.args[-1], f', "{path}"', "after")
            call = call.func.value
        return NodeEdit(expr, f'.{method}("{path}")', "after")


def _names(views) -> str:
    return ", ".join(v.name for v in views)


def _top_classes(module: cst.Module):
    for stmt in module.body:
        if isinstance(stmt, cst.ClassDef):
            yield stmt


def _body(klass: cst.ClassDef):
    return klass.body.body if isinstance(klass.body, cst.IndentedBlock) else ()


def _method(klass: cst.ClassDef, name: str) -> cst.FunctionDef | None:
    return next((s for s in _body(klass) if isinstance(s, cst.FunctionDef) and s.name.value == name), None)


def _row_param(klass: cst.ClassDef, name: str) -> str | None:
    method = _method(klass, name)
    params = method.params.params if method is not None else ()
    return params[1].name.value if len(params) > 1 else None


def _assigns(klass: cst.ClassDef):
    for stmt in _body(klass):
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target = small.targets[0].target
                    if isinstance(target, cst.Name):
                        yield target, small.value


def _assigned(klass: cst.ClassDef, name: str) -> cst.CSTNode | None:
    return next((t for t, _ in _assigns(klass) if t.value == name), None)


def _assigned_value(klass: cst.ClassDef, name: str) -> cst.BaseExpression | None:
    return next((v for t, v in _assigns(klass) if t.value == name), None)


def _meta_field(klass: cst.ClassDef, field: str) -> cst.CSTNode | None:
    """The `"tags"` entry of Meta.fields (or the `fields` name for "__all__")."""
    meta = next((s for s in _body(klass) if isinstance(s, cst.ClassDef) and s.name.value == "Meta"), None)
    if meta is None:
        return None
    for target, value in _assigns(meta):
        if target.value != "fields":
            continue
        if isinstance(value, (cst.List, cst.Tuple)):
            for element in value.elements:
                if literal_string(element.value) == field:
                    return element.value
        return target
    return None


def _single_return(method: cst.FunctionDef | None) -> cst.BaseExpression | None:
    if method is None:
        return None
    returns = [
        small
        for stmt in _body(method)  # type: ignore[arg-type]
        if isinstance(stmt, cst.SimpleStatementLine)
        for small in stmt.body
        if isinstance(small, cst.Return)
    ]
    return returns[0].value if len(returns) == 1 else None


def _attribute_read(method: cst.FunctionDef, param: str | None, first: str) -> cst.CSTNode | None:
    """The first `obj.<first>` in the method body, in source order."""
    if param is None:
        return None
    found: list[cst.Attribute] = []

    class Finder(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> bool:
            if (
                not found
                and isinstance(node.value, cst.Name)
                and node.value.value == param
                and node.attr.value == first
            ):
                found.append(node)
            return not found

    method.body.visit(Finder())
    return found[0] if found else None
