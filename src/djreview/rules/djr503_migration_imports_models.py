"""DJR503: a migration's RunPython function that uses a model class imported from the
project or from django.contrib instead of the historical model `apps.get_model()` gives.

The imported class is today's model, not the model as of this migration: fields added by later
migrations are selected before their columns exist, and the migration breaks (or stops
importing) once the model changes or is removed. Only imports that a RunPython function uses
are reported (Django's generated `import shop.models` for a callable `default=` is fine), and
only names that are models (a `TextChoices` enum or a constant from a models module cannot be
replaced by `apps.get_model`), and only where the function does more with the class than read
its constants (`Survey.BY_QUESTION`, `Order.Status.PAID`: no query goes through it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from djreview import orm
from djreview.fix_spec import INDENT, FixSpec, NodeEdit
from djreview.index.migration_state import imported_names
from djreview.index.nodes import Nodes
from djreview.rule import Rule, stdlib_tree
from djreview.rules._migration_ops import ModuleFunctions, argument, operation
from djreview.syntax import dotted
from djreview.walk import descendants

# A model's exception classes: naming one runs no query.
_EXCEPTIONS = frozenset({"DoesNotExist", "MultipleObjectsReturned"})


def _model(index, ref: str) -> tuple[str, str] | None:
    """(app label, model name) when `ref` is a concrete model of the project or Django."""
    known = orm.DJANGO_MODELS.get(ref)
    if known is not None:
        label, concrete, abstract = known
        return (label, ref.rsplit(".", 1)[-1]) if concrete and not abstract else None
    qual = index.model_for(ref)
    info = index.model(qual) if qual else None
    if info is None or info.abstract:
        return None
    return info.app_label, info.name


@dataclass
class _Imported:
    """One model a migration imports: where, and the RunPython functions that use it."""

    local: str  # the name code uses: `Product`, or the dotted `shop.models.Product`
    label: str
    model: str
    statement: cst.CSTNode  # the import statement, reported
    alone: bool  # the statement imports nothing else: the fix may remove it
    functions: list[cst.FunctionDef] = field(default_factory=list)


class MigrationImportsModels(ModuleFunctions, Rule):
    code = "DJR503"
    name = "migration-imports-models"
    fixable = True
    triggers = ("RunPython",)
    skip_kinds = frozenset({"tests"})
    only_kinds = frozenset({"migrations"})

    def wants(self, text, facts, index, prefilter) -> bool:
        """Only a file that imports a model (anywhere: at the top or in a function) can report."""
        if not super().wants(text, facts, index, prefilter):
            return False
        if facts.migration is not None:  # the index read the file's imports
            imported = facts.migration.imported
        else:  # no `Migration` class: the stdlib tree, read the same way
            tree = stdlib_tree(prefilter)
            if tree is None:
                return True
            imported = imported_names(Nodes(tree))
        return any(_model(index, name) for name in imported)

    def start(self, ctx) -> None:
        super().start(ctx)
        self._run: list[str] = []  # functions handed to RunPython, forward or reverse
        self._module_imports: dict[str, cst.SimpleStatementLine] = {}  # `import a.b`: "a" -> line
        self._dotted: dict[str, _Imported] = {}  # "shop.models.Product" -> its use

    def visit_Call(self, node: cst.Call) -> None:
        if operation(self.ctx.flow.qualify(node.func)) != "RunPython":
            return
        for keyword, position in (("code", 0), ("reverse_code", 1)):
            given = argument(node, keyword, position).node
            if isinstance(given, cst.Name) and given.value in self._functions:
                self._run.append(given.value)

    def leave_Module(self, original_node: cst.Module) -> None:
        found: dict[int, _Imported] = {}
        module_imports = self._imports(original_node.body)
        for name in dict.fromkeys(self._run):
            function = self._functions[name]
            local_imports = self._imports(_body(function))
            bound = _bound_names(function)  # a name the function assigns is its own, not the import
            visible = {k: v for k, v in module_imports.items() if k not in bound}
            for used in self._uses(function, {**visible, **local_imports}):
                if function not in used.functions:
                    used.functions.append(function)
                found.setdefault(id(used), used)
        for used in found.values():
            self._report(used)

    def _imports(self, statements) -> dict[str, _Imported]:
        """The models `from X import Model` statements import, by the name code uses."""
        out: dict[str, _Imported] = {}
        for line in statements:
            if not isinstance(line, cst.SimpleStatementLine):
                continue
            for small in line.body:
                if isinstance(small, cst.Import):
                    for alias in small.names:  # `import shop.models`: uses are `shop.models.X`
                        self._module_imports.setdefault((dotted(alias.name) or [""])[0], line)
                if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
                    continue
                module = ".".join(dotted(small.module) or []) if small.module else ""
                if small.relative or not module:
                    continue
                for alias in small.names:
                    name = alias.name.value if isinstance(alias.name, cst.Name) else None
                    local = alias.evaluated_alias or name
                    model = self._model(f"{module}.{name}") if name else None
                    if model and local:
                        alone = len(line.body) == 1 and len(small.names) == 1
                        out[local] = _Imported(local, *model, line, alone)
        return out

    def _uses(self, function: cst.FunctionDef, imported: dict[str, _Imported]):
        seen: set[int] = set()
        attributes: set[int] = set()  # `x.Product`: the attribute is not the imported name
        constants: set[int] = set()  # `Survey.BY_QUESTION`, `Survey.Status.DRAFT`: a class constant, no query
        # no use: an annotation (`rows: shop.models.Product = apps.get_model(...)` is never
        # evaluated) and the import statement itself (`from shop.models import Product as P`)
        unused = {
            id(inner)
            for node in descendants(function)
            if isinstance(node, (cst.Annotation, cst.Import, cst.ImportFrom))
            for inner in descendants(node)
        }
        unused |= {id(inner) for stmt in _after_return(function) for inner in descendants(stmt)}
        registry = _registry_parameter(function)
        for node in descendants(function):
            if id(node) in unused:
                continue
            if registry and _hands_on_registry(node, registry):
                # `StaffGroup.create_reviewers(apps, schema_editor)`: a helper handed the
                # historical registry takes its models from it (manage.get.gov's UserGroup)
                constants.add(id(node.func.value))  # type: ignore[attr-defined]
            used = None
            if isinstance(node, cst.Name) and node.value in imported and id(node) not in attributes:
                if id(node) in constants:
                    continue
                used = imported[node.value]
            elif isinstance(node, cst.Attribute):
                attributes.add(id(node.attr))
                if node.attr.value.isupper() or node.attr.value in _EXCEPTIONS:
                    # `except User.DoesNotExist:` catches what a helper querying today's model
                    # raises; `Order.Status.PAID`, `shop.models.Order.PAID`: the class's constants
                    inner: cst.BaseExpression = node.value
                    while isinstance(inner, cst.Attribute):
                        constants.add(id(inner))
                        inner = inner.value
                    constants.add(id(inner))
                if id(node) in constants:
                    continue
                used = self._dotted_use(node)
            if used is not None and id(used) not in seen:
                seen.add(id(used))
                yield used

    def _dotted_use(self, node: cst.Attribute) -> _Imported | None:
        """`shop.models.Product` after `import shop.models`: reported at that import."""
        parts = dotted(node)
        statement = self._module_imports.get(parts[0]) if parts and len(parts) >= 3 else None
        model = self._model(".".join(parts)) if parts and statement is not None else None
        if model is None or statement is None or parts is None:
            return None
        key = ".".join(parts)
        if key not in self._dotted:
            self._dotted[key] = _Imported(key, *model, statement, False)
        return self._dotted[key]

    def _model(self, ref: str) -> tuple[str, str] | None:
        return _model(self.ctx.index, ref)

    def _report(self, used: _Imported) -> None:
        names = ", ".join(f.name.value for f in used.functions)
        shown = used.local.rsplit(".", 1)[-1]
        message = (
            f"RunPython function {names} uses {used.local}, today's model class, instead of the model as "
            "of this migration: fields added by later migrations are queried before their columns exist, "
            f"and the migration breaks once {shown} changes or is removed."
        )
        hint = (
            f'Use the historical model: `{shown} = apps.get_model("{used.label}", "{used.model}")` inside '
            f"{names}; custom managers and methods are not on it unless the manager sets use_in_migrations."
        )
        self.report(used.statement, message, self._fix(used), hint=hint)

    def _fix(self, used: _Imported) -> FixSpec | None:
        if "." in used.local:
            return None  # uses spelled `shop.models.Product`: rewriting them is left to the author
        edits: list[NodeEdit] = []
        for function in used.functions:
            params = function.params.params
            if not params or not isinstance(function.body, cst.IndentedBlock):
                return None
            apps = params[0].name.value
            line = f'{used.local} = {apps}.get_model("{used.label}", "{used.model}")'
            body = function.body.body
            if used.statement in body:  # imported inside the function: replace the import
                if not used.alone:
                    return None
                edits.append(NodeEdit(used.statement, f"{INDENT}{line}\n", "lines", indent_like=used.statement))
                continue
            first = body[1] if _is_docstring(body[0]) and len(body) > 1 else body[0]
            edits.append(NodeEdit(first, f"{line}\n{INDENT}", "before", indent_like=first))
        top_level = not any(used.statement in _body(f) for f in used.functions)
        if used.alone and top_level and not self._used_elsewhere(used):
            edits.append(NodeEdit(used.statement, "", "lines"))
        return FixSpec(f"use apps.get_model() for {used.local}", "unsafe", tuple(edits))

    def _used_elsewhere(self, used: _Imported) -> bool:
        """Is the imported name read outside the functions the fix rewrites?"""
        module = self.ctx.module
        inside = {id(n) for f in used.functions for n in descendants(f)}
        return any(
            isinstance(n, cst.Name) and n.value == used.local and id(n) not in inside and not _in(n, used.statement)
            for n in descendants(module)
        )


def _bound_names(function: cst.FunctionDef) -> set[str]:
    """Names the function binds (parameters, assignments, loop and `with` targets)."""
    bound = {p.name.value for p in function.params.params}
    for node in descendants(function.body):
        targets: list[cst.CSTNode] = []
        if isinstance(node, cst.Assign):
            targets = [t.target for t in node.targets]
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign, cst.For)):
            targets = [node.target]
        elif isinstance(node, cst.AsName):
            targets = [node.name]
        for target in targets:
            bound.update(n.value for n in descendants(target) if isinstance(n, cst.Name))
    return bound


def _in(node: cst.CSTNode, statement: cst.CSTNode) -> bool:
    return any(n is node for n in descendants(statement))


def _body(function: cst.FunctionDef):
    return function.body.body if isinstance(function.body, cst.IndentedBlock) else ()


def _is_docstring(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _registry_parameter(function: cst.FunctionDef) -> str | None:
    """The name RunPython's first argument (the historical app registry) has in `function`."""
    params = function.params.params
    return params[0].name.value if params else None


def _hands_on_registry(node: cst.CSTNode, registry: str) -> bool:
    """`Model.method(apps, ...)`: a method of the imported class called with the registry."""
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and isinstance(node.func.value, cst.Name)
        and any(isinstance(arg.value, cst.Name) and arg.value.value == registry for arg in node.args)
    )


def _after_return(function: cst.FunctionDef) -> list[cst.CSTNode]:
    """The statements of the function's body after a `return` of its own (acceslibre's
    migration that returns at once, its loop kept as dead code): they never run."""
    body = function.body.body if isinstance(function.body, cst.IndentedBlock) else ()
    for i, stmt in enumerate(body):
        if isinstance(stmt, cst.SimpleStatementLine) and any(isinstance(s, cst.Return) for s in stmt.body):
            return list(body[i + 1 :])
    return []
