"""DJR102's fix: a loop rewritten into one bulk_update() or bulk_create() call.

Used only by ``djr102_save_in_loop``. The rewrite is offered (as an unsafe fix) only when the
loop is simple enough that the new code writes the same rows and values as the old one, save
for what the bulk calls skip (``save()`` and the pre_save/post_save signals) and for the
writes now happening together. Every check here answers "could the result differ?"; any doubt
gives None, and the finding keeps its suggestion.

Three shapes are rewritten, always a plain ``for`` statement (no ``else:``, not ``async``)
whose body holds simple statements only, with no comment inside:

- UPDATE: ``row.<field> = <expr>`` lines, then ``row.save()`` or
  ``row.save(update_fields=[...])`` as the last statement -> the loop without the save, then
  ``Model.objects.bulk_update(rows, [fields])``;
- INSERT: the one statement ``Model.<manager>.create(<keywords>)`` ->
  ``Model.<manager>.bulk_create([Model(<keywords>) for <target> in <iterable>])``;
- INSERT: ``obj = Model(<keywords>)`` then ``obj.save()`` -> the same comprehension.
"""

from __future__ import annotations

import functools
import io
import re
import tokenize
from dataclasses import dataclass

import libcst as cst

from djreview import orm
from djreview.fix_spec import INDENT
from djreview.syntax import dotted, literal_string
from djreview.values import Instance, ModelClass, Queryset, RelatedManager
from djreview.walk import children

# -- what the model and its manager must be ------------------------------------------------

_FIELD_PREFIXES = (
    "django.db.models.",
    "django.db.models.fields.",
    "django.db.models.fields.related.",
    "django.db.models.fields.json.",
    "django.db.models.fields.files.",
    "django.contrib.gis.db.models.",
)
# Django fields whose pre_save() returns the attribute as it is: writing the attribute with
# bulk_update() stores what save() would have stored.
_PLAIN_FIELDS = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "BigIntegerField",
        "BinaryField",
        "BooleanField",
        "CharField",
        "CommaSeparatedIntegerField",
        "DecimalField",
        "DurationField",
        "EmailField",
        "FilePathField",
        "FloatField",
        "GenericIPAddressField",
        "IPAddressField",
        "IntegerField",
        "JSONField",
        "NullBooleanField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
        "UUIDField",
        "ForeignKey",
        "OneToOneField",
    }
)
_DATE_FIELDS = frozenset({"DateField", "DateTimeField", "TimeField"})  # auto_now: save() sets them
_FILE_FIELDS = frozenset({"FileField", "ImageField"})  # save() stores a newly assigned file
_NO_COLUMN = frozenset({"ManyToManyField"})
_POSTGRES_FIELDS = frozenset(
    {
        "ArrayField",
        "HStoreField",
        "IntegerRangeField",
        "BigIntegerRangeField",
        "DecimalRangeField",
        "DateTimeRangeField",
        "DateRangeField",
        "CICharField",
        "CIEmailField",
        "CITextField",
    }
)
# Methods through which a model could write itself other than save(): an override of any of
# them (in the model or a mixin of the project) is logic the bulk calls would skip.
_SAVE_METHODS = ("save", "save_base", "_save_table", "_do_update", "_do_insert")
_UPDATE_MANAGER_METHODS = ("get_queryset", "bulk_update", "update", "filter", "using")
_CREATE_MANAGER_METHODS = ("get_queryset", "bulk_create", "create")


def _field_kind(field) -> str | None:
    """The class name of a model field Django ships, else None (a custom field, or another
    class-level call such as a FieldTracker, which may patch save())."""
    kind = field.kind
    if kind in orm.GENERIC_FK or kind in orm.GENERIC_RELATION:
        return "generic"
    for prefix in _FIELD_PREFIXES:
        if kind.startswith(prefix):
            name = kind[len(prefix) :]
            if name in _PLAIN_FIELDS or name in _DATE_FIELDS or name in _FILE_FIELDS or name in _NO_COLUMN:
                return name
    if kind.startswith("django.contrib.postgres.fields.") and kind.rsplit(".", 1)[-1] in _POSTGRES_FIELDS:
        return "postgres"
    return None


def _maybe_auto_now(field) -> bool:
    """A date field the index cannot show is free of auto_now/auto_now_add."""
    return _field_kind(field) in _DATE_FIELDS and (not field.editable or field.dynamic)


def _plain_model(index, info) -> bool:
    """A concrete model of the project, no multi-table or proxy parent (bulk_create refuses
    them), every base seen, no write method overridden, only Django's own fields."""
    if info.abstract or info.proxy or info.parents or not info.bases_known:
        return False
    if any(index.class_defines(info.qualname, m) for m in _SAVE_METHODS):
        return False
    return all(_field_kind(f) is not None for f in info.fields)


def _usable_manager(index, info, name: str, methods: tuple[str, ...]) -> bool:
    """`Model.<name>` exists and behaves like Django's Manager for the bulk call: its classes
    are the project's (or Django's) and override none of `methods`."""
    declared = info.managers.get(name)
    if declared is None:  # Django adds `objects` only to a model that declares no manager
        return name == "objects" and not info.managers
    for part in declared.split("|"):
        if part in orm.MANAGER_BASES or part in orm.QUERYSET_BASES:
            continue
        if index.class_kind(part) not in ("manager", "queryset"):
            return False  # a class we cannot read
        if any(index.class_defines(part, m) for m in methods):
            return False
    return True


def _column(info, name: str) -> tuple[str, object] | None:
    """The concrete field that `obj.<name>` writes, as bulk_update() names it, with its facts."""
    if name in ("pk", "id"):
        return None
    by_name = {f.name: f for f in info.fields}
    field = by_name.get(name)
    if field is None and name.endswith("_id"):
        field = by_name.get(name[:-3])
        if field is None or _field_kind(field) not in ("ForeignKey", "OneToOneField"):
            return None
    if field is None:
        return None
    kind = _field_kind(field)
    if kind is None or kind in _NO_COLUMN or kind == "generic" or field.primary_key:
        return None
    return field.name, field


# -- what the loop may compute ----------------------------------------------------------------

# Calls that only compute a value: they cannot write, and read no table. Builtins count only
# when the file does not define a function of that name; others by their qualified name.
_PURE_BUILTINS = frozenset(
    {
        "str",
        "int",
        "float",
        "bool",
        "len",
        "min",
        "max",
        "abs",
        "round",
        "sum",
        "sorted",
        "tuple",
        "list",
        "dict",
        "set",
        "frozenset",
        "repr",
        "format",
        "divmod",
        "any",
        "all",
        "isinstance",
    }
)
_PURE_QUALIFIED = frozenset(
    {
        "django.utils.text.slugify",
        "django.template.defaultfilters.slugify",
        "django.utils.timezone.now",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.date.today",
        "datetime.timedelta",
        "datetime.date",
        "datetime.datetime",
        "decimal.Decimal",
        "uuid.uuid4",
    }
)
# Methods of strings, dicts, dates and decimals (`get` only as dict.get(key[, default])).
_PURE_METHODS = frozenset(
    {
        "strip",
        "lstrip",
        "rstrip",
        "lower",
        "upper",
        "title",
        "capitalize",
        "casefold",
        "replace",
        "split",
        "rsplit",
        "join",
        "format",
        "startswith",
        "endswith",
        "get",
        "isoformat",
        "zfill",
        "encode",
        "decode",
        "quantize",
    }
)
# Reads on another model's querysets and managers (the loop writes one table only).
_READS = (orm.QUERYSET_RETURNING | orm.VALUES_METHODS | orm.INSTANCE_RETURNING) - {
    "create",
    "select_for_update",
    "iterator",
    "extra",
}


def _model_of(value) -> str | None:
    if isinstance(value, (ModelClass, Queryset, Instance)):
        return value.model
    if isinstance(value, RelatedManager):
        return value.target or "?"
    return None


def _expression_ok(ctx, scopes, expr: cst.CSTNode, model: str, row: str | None) -> bool:
    """Does evaluating `expr` before, rather than between, the writes give the same value, and
    write nothing? It may read other tables, never the written model's; with `row` (an UPDATE
    loop's variable) it must not hand the row object to a call, which could change or save it."""
    flow = ctx.flow
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Await, cst.Yield, cst.NamedExpr, cst.Lambda)):
            return False
        if isinstance(node, cst.Call) and not _call_ok(ctx, scopes, node, model, row):
            return False
        if isinstance(node, (cst.Name, cst.Attribute, cst.Subscript, cst.Call)):
            value = flow.infer(node)
            if _model_of(value) == model and not (isinstance(node, cst.Name) and isinstance(value, Instance)):
                return False  # the written table read again, or a relation to it loaded
        stack.extend(_operands(node))
    return True


def _operands(node: cst.CSTNode) -> list[cst.CSTNode]:
    """Children that are evaluated: not an attribute's name, not a keyword argument's name."""
    if isinstance(node, cst.Attribute):
        return [node.value]
    if isinstance(node, cst.Arg):
        return [node.value]
    return children(node)


def _call_ok(ctx, scopes, call: cst.Call, model: str, row: str | None) -> bool:
    if any(arg.star for arg in call.args):
        return False
    if row is not None and any(_hands_over(arg.value, row) for arg in call.args):
        return False
    func, flow = call.func, ctx.flow
    if flow.qualify(func) in _PURE_QUALIFIED and (dotted(func) or [""])[0] in ctx.facts.imports:
        return True
    if isinstance(func, cst.Name):
        return (
            func.value in _PURE_BUILTINS
            and func.value not in ctx.facts.imports
            and _free_in_scopes(scopes, ctx.module, func.value, module_level=True)
        )
    if not isinstance(func, cst.Attribute):
        return False
    method = func.attr.value
    receiver = flow.infer(func.value)
    if isinstance(receiver, Instance):
        return False  # a model method: it may save, or read anything
    target = _model_of(receiver)
    if target is not None:
        return target != model and method in _READS
    if row is not None and _hands_over(func.value, row):
        return False
    if method == "get" and (not 1 <= len(call.args) <= 2 or any(a.keyword for a in call.args)):
        return False  # not dict.get(): perhaps a query
    return method in _PURE_METHODS


def _hands_over(expr: cst.CSTNode, row: str) -> bool:
    """Does `expr` pass the object `row` itself on (not just one of its attributes)?"""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name) and node.value == row:
            return True
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name):
            continue  # `row.price`: a value read from the row, not the row
        stack.extend(_operands(node))
    return False


# -- the shape of the loop ------------------------------------------------------------------


def _simple_for(loop: cst.CSTNode) -> list[cst.BaseSmallStatement] | None:
    """The small statements of a plain `for` loop's body, or None for any other loop."""
    if not isinstance(loop, cst.For) or loop.asynchronous is not None or loop.orelse is not None:
        return None
    if not isinstance(loop.body, cst.IndentedBlock):
        return None
    smalls: list[cst.BaseSmallStatement] = []
    for line in loop.body.body:
        if not isinstance(line, cst.SimpleStatementLine):
            return None
        smalls.extend(line.body)
    return smalls


def _has_comment(module: cst.Module, loop: cst.For) -> bool:
    """A comment anywhere from `for` to the end of the last line of the body, which the
    rewrite would lose or move (lines before the loop and after its body are kept)."""
    bare = loop.with_changes(leading_lines=(), body=loop.body.with_changes(footer=()))
    code = module.code_for_node(bare)
    try:
        return any(t.type == tokenize.COMMENT for t in tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError):
        return True


def _target_names(target: cst.BaseExpression) -> list[str] | None:
    """Names bound by a loop target made of names only (`row`, `a, b`, `(a, (b, c))`)."""
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        names: list[str] = []
        for element in target.elements:
            if not isinstance(element, cst.Element):
                return None
            inner = _target_names(element.value)
            if inner is None:
                return None
            names.extend(inner)
        return names
    return None


@functools.cache
def _binding() -> tuple[type[cst.CSTNode], ...]:
    """The node types that can bind a name (a function: libcst is only loaded when used)."""
    return (
        cst.Assign,
        cst.AnnAssign,
        cst.AugAssign,
        cst.For,
        cst.CompFor,
        cst.NamedExpr,
        cst.AsName,
        cst.Del,
        cst.Global,
        cst.Nonlocal,
        cst.ImportAlias,
        cst.FunctionDef,
        cst.ClassDef,
        cst.ImportStar,
        cst.Match,
    )


def _binds(statements, name: str) -> bool:
    """Is `name` bound (assigned, imported, declared global, a def...) by these statements of
    one scope? Conservative: any form of binding counts; nested functions' bodies do not."""
    stack = list(statements)
    while stack:
        node = stack.pop()
        if isinstance(node, _binding()) and _binds_directly(node, name):
            return True
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            stack.extend(d.decorator for d in node.decorators)
            continue
        if isinstance(node, cst.Lambda):
            continue
        stack.extend(children(node))
    return False


def _binds_directly(node: cst.CSTNode, name: str) -> bool:
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return node.name.value == name
    if isinstance(node, (cst.ImportStar, cst.Match)):
        return True  # names we cannot list
    if isinstance(node, (cst.Global, cst.Nonlocal)):
        return any(n.name.value == name for n in node.names)
    if isinstance(node, cst.ImportAlias):
        if node.asname is not None:
            return False  # its AsName child binds
        return (dotted(node.name) or [""])[0] == name
    if isinstance(node, cst.Assign):
        targets = [t.target for t in node.targets]
    elif isinstance(node, cst.AsName):
        targets = [node.name]
    else:
        targets = [node.target]  # type: ignore[attr-defined]
    return any(isinstance(sub, cst.Name) and sub.value == name for t in targets for sub in [t, *_descendants(t)])


def _descendants(node: cst.CSTNode):
    stack = list(children(node))
    while stack:
        current = stack.pop()
        yield current
        stack.extend(children(current))


def _free_in_scopes(scopes, module: cst.Module, name: str, module_level: bool) -> bool:
    """`name` is bound by no enclosing function (and, with `module_level`, by no module-level
    statement but imports), so anywhere in the loop's function it is the same object: the
    module's, or the builtin."""
    for scope in scopes:
        if not isinstance(scope, cst.FunctionDef):
            continue  # the module is checked below; a class body is not seen from its methods
        if _is_param(scope, name):
            return False
        if _binds(scope.body.body if isinstance(scope.body, cst.IndentedBlock) else [scope.body], name):
            return False
    if not module_level:
        return True
    return not _binds([s for s in module.body if not _is_import(s)], name)


def _is_param(scope: cst.FunctionDef, name: str) -> bool:
    params = scope.params
    every = [*params.posonly_params, *params.params, *params.kwonly_params]
    every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
    return any(p.name.value == name for p in every)


def _is_import(stmt: cst.CSTNode) -> bool:
    return isinstance(stmt, cst.SimpleStatementLine) and all(
        isinstance(s, (cst.Import, cst.ImportFrom)) and not isinstance(s.names, cst.ImportStar) for s in stmt.body
    )


def _model_expression(flow, expr: cst.BaseExpression, model: str) -> cst.BaseExpression | None:
    """For a query of `model` written as a chain on the class (`Book.objects.filter(...)[:10]`,
    not `.iterator()`, not `.values()`), the dotted expression naming the class (`Book`)."""
    value = flow.infer(expr)
    if not (isinstance(value, Queryset) and not value.values and not value.iterated and value.model == model):
        return None
    if not isinstance(expr, (cst.Call, cst.Subscript)):
        return None
    node: cst.BaseExpression = expr
    while True:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
            if node.func.attr.value == "iterator":
                return None
            node = node.func.value
        elif isinstance(node, cst.Subscript):
            node = node.value
        elif isinstance(node, cst.Attribute):  # `Book.objects`: the class is what it is read from
            root = flow.infer(node.value)
            ok = isinstance(root, ModelClass) and root.model == model and dotted(node.value) is not None
            return node.value if ok else None
        else:
            return None


def _wrap_for_comprehension(node: cst.BaseExpression, text: str) -> str:
    atoms = (
        cst.Name,
        cst.Attribute,
        cst.Call,
        cst.Subscript,
        cst.List,
        cst.Set,
        cst.Dict,
        cst.ListComp,
        cst.SetComp,
        cst.DictComp,
        cst.SimpleString,
        cst.ConcatenatedString,
        cst.FormattedString,
    )
    return text if isinstance(node, atoms) else f"({text})"


# -- the rewrites ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rewrite:
    code: str  # the bulk call, for the fix's description
    replacement: str  # the new text of the `for` statement; INDENT is the loop's indentation


def _loop_ok(ctx, loop, scopes) -> list[cst.BaseSmallStatement] | None:
    smalls = _simple_for(loop)
    if not smalls or isinstance(scopes[-1], cst.ClassDef) or _has_comment(ctx.module, loop):
        return None
    for node in _descendants(loop):
        if isinstance(node, (cst.Await, cst.Yield, cst.NamedExpr)):
            return None
    return smalls


def update(ctx, loop, call: cst.Call, owner, info, scopes, rows: str) -> Rewrite | None:
    """`for row in <rows>: row.f = ...; row.save()` -> the loop, then one bulk_update()."""
    smalls = _loop_ok(ctx, loop, scopes)
    if smalls is None or not _saves_its_row(ctx, loop, call, owner, info, smalls):
        return None
    row = loop.target.value
    ok, update_fields = _update_fields_argument(call)
    assigned = _assigned_columns(ctx, scopes, info, smalls[:-1], row) if ok else None
    if assigned is None:
        return None
    fields = _bulk_update_fields(info, update_fields if update_fields is not None else assigned)
    if fields is None or (update_fields is None and any(_maybe_auto_now(f) for f in info.fields)):
        return None  # save() would refresh an auto_now field that bulk_update() leaves alone
    listing = "[" + ", ".join(f'"{f}"' for f in fields) + "]"
    model_node = _model_expression(ctx.flow, loop.iter, info.qualname)
    if model_node is not None:  # a query written in the `for`: keep its rows in a list
        return _update_after_listing_query(ctx, loop, scopes, smalls, rows, model_node, listing)
    if update_fields is None:
        # bare save() writes every field as the object holds it: only rows fetched by this very
        # loop are known to hold nothing but what the loop assigns
        return None
    return _update_after_reiterating(ctx, loop, scopes, smalls, info, listing)


def _saves_its_row(ctx, loop, call: cst.Call, owner, info, smalls) -> bool:
    """The loop's last statement is `row.save(...)` on its own row, of a plain model whose
    default manager can bulk_update()."""
    if not isinstance(loop.target, cst.Name):
        return False
    row, last = loop.target.value, smalls[-1]
    if not (isinstance(last, cst.Expr) and last.value is call and isinstance(call.func, cst.Attribute)):
        return False
    if not (isinstance(call.func.value, cst.Name) and call.func.value.value == row):
        return False
    if not (isinstance(owner, Instance) and owner.loop is loop and owner.root == row and not owner.path):
        return False
    index = ctx.index
    return _plain_model(index, info) and _usable_manager(index, info, "objects", _UPDATE_MANAGER_METHODS)


def _update_fields_argument(call: cst.Call) -> tuple[bool, list[str] | None]:
    """The save's arguments: (True, None) for a bare save(), (True, names) for update_fields
    given as a literal list of names, (False, None) for anything else."""
    if not call.args:
        return True, None
    if len(call.args) != 1 or call.args[0].keyword is None or call.args[0].keyword.value != "update_fields":
        return False, None
    value = call.args[0].value
    if not isinstance(value, (cst.List, cst.Tuple)) or not value.elements:
        return False, None
    names = [literal_string(e.value) if isinstance(e, cst.Element) else None for e in value.elements]
    if not all(names):
        return False, None
    return True, [n for n in names if n]


def _assigned_columns(ctx, scopes, info, statements, row: str) -> list[str] | None:
    """The attributes the statements before the save set, each `row.<attr> = <expr>` or
    `row.<attr> += <expr>` with an expression the rewrite may move, each a column (not a
    property, not a file field); None when a statement is anything else."""
    assigned: list[str] = []
    for small in statements:
        if isinstance(small, cst.Assign) and len(small.targets) == 1:
            target = small.targets[0].target
        elif isinstance(small, cst.AugAssign):
            target = small.target
        else:
            return None
        if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == row):
            return None
        if not _expression_ok(ctx, scopes, small.value, info.qualname, row):
            return None
        assigned.append(target.attr.value)
    for attr in assigned:
        column = _column(info, attr)
        if column is None or _field_kind(column[1]) in _FILE_FIELDS:
            return None
    return assigned or None


def _bulk_update_fields(info, names: list[str]) -> list[str] | None:
    """The column names bulk_update() must write for these attributes, in order, once each;
    None when one is not a plain column (a file field, or one that auto_now refreshes)."""
    fields: list[str] = []
    for name in names:
        column = _column(info, name)
        if column is None or _field_kind(column[1]) in _FILE_FIELDS or _maybe_auto_now(column[1]):
            return None
        if column[0] not in fields:
            fields.append(column[0])
    return fields


def _update_after_listing_query(ctx, loop, scopes, smalls, rows: str, model_node, listing: str) -> Rewrite | None:
    """`for row in Model.objects...:` -> `rows = list(<query>)`, the loop over it, then
    `Model.objects.bulk_update(rows, [...])`."""
    if _name_count(scopes[-1], rows) or not _free_in_scopes(scopes, ctx.module, "list", module_level=True):
        return None
    iterable, first = loop.iter, loop.body.body[0]
    src = ctx.spans([iterable, model_node, first, smalls[-2]])
    if src is None:
        return None
    iter_text = src.of(iterable)
    if isinstance(iterable, cst.Tuple):
        iter_text = f"({iter_text})"
    code = f"{src.of(model_node)}.objects.bulk_update({rows}, {listing})"
    body = src.text[src.start(first) : src.end(smalls[-2])]
    nl, row = ctx.module.default_newline, loop.target.value
    replacement = (
        f"{rows} = list({iter_text}){nl}{INDENT}for {row} in {rows}:{nl}{src.line_indent(first)}{body}"
        f"{nl}{INDENT}{code}"
    )
    return Rewrite(code, replacement)


def _update_after_reiterating(ctx, loop, scopes, smalls, info, listing: str) -> Rewrite | None:
    """`for row in rows:` over a name that holds the same rows after the loop -> the loop
    without its save, then `Model.objects.bulk_update(rows, [...])`."""
    rows_name = _reiterable_name(ctx, scopes, loop.iter, info.qualname)
    if rows_name is None:
        return None
    name, model_node = rows_name
    src = ctx.spans([loop, model_node, smalls[-2]])
    if src is None:
        return None
    code = f"{src.of(model_node)}.objects.bulk_update({name}, {listing})"
    replacement = src.text[src.start(loop) : src.end(smalls[-2])] + f"{ctx.module.default_newline}{INDENT}{code}"
    return Rewrite(code, replacement)


def _reiterable_name(ctx, scopes, iterable, model: str):
    """`for row in rows:` where `rows` is assigned once in the function, from a queryset (or a
    list or sorted() of one): iterating it again after the loop gives the same objects. Returns
    the name and the model class expression at the root of that queryset."""
    if not isinstance(iterable, cst.Name):
        return None
    scope = scopes[-1]
    if not isinstance(scope, cst.FunctionDef) or not isinstance(scope.body, cst.IndentedBlock):
        return None
    name = iterable.value
    bindings = [n for n in _descendants(scope.body) if isinstance(n, _binding()) and _binds_directly(n, name)]
    if len(bindings) != 1 or not isinstance(bindings[0], cst.Assign) or len(bindings[0].targets) != 1:
        return None
    if not isinstance(bindings[0].targets[0].target, cst.Name):
        return None
    if _is_param(scope, name):
        return None
    value = bindings[0].value
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name) and value.func.value in ("list", "sorted"):
        if len(value.args) < 1 or value.args[0].star or value.args[0].keyword is not None:
            return None
        if not _free_in_scopes(scopes, ctx.module, value.func.value, module_level=True):
            return None
        mutated = re.compile(
            rf"(?<![\w.]){re.escape(name)}\s*(\.\s*(append|extend|insert|remove|pop|clear|sort|reverse)\b|\[)"
        )
        if mutated.search(ctx.module.code_for_node(scope)):
            return None  # a list changed between where it is built and the loop
        value = value.args[0].value
    model_node = _model_expression(ctx.flow, value, model)
    if model_node is None:
        return None
    head = (dotted(model_node) or [""])[0]
    if not head or not _free_in_scopes(scopes, ctx.module, head, module_level=False):
        return None  # the class must be the same object after the loop as where rows was built
    return name, model_node


def _name_count(root: cst.CSTNode, name: str) -> int:
    """How many times the variable `name` appears under `root` (read, assigned, declared
    global...; attribute names and keyword argument names are not variables)."""
    count, stack = 0, [root]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name) and node.value == name:
            count += 1
        stack.extend(_operands(node))
    return count


def _unused_elsewhere(scopes, loop: cst.For, names) -> bool:
    """No code of the loop's function (nested functions included; the whole module for a loop
    at module level) but the loop itself uses any of `names`."""
    return all(_name_count(scopes[-1], name) == _name_count(loop, name) for name in names)


def _comprehension_ok(ctx, loop, scopes, extra: tuple[str, ...] = ()) -> list[str] | None:
    """The loop's target becomes the comprehension's own: no other code may read it (nor the
    names in `extra`) after, or around, the loop."""
    names = _target_names(loop.target)
    if names is None or not _unused_elsewhere(scopes, loop, (*names, *extra)):
        return None
    return names


def _kwargs_ok(ctx, scopes, call: cst.Call, info, pk_fields: bool) -> bool:
    """`Model(...)` / `create(...)` arguments: keywords whose values can be computed up front
    (and, with `pk_fields`, not the primary key)."""
    for arg in call.args:
        if arg.keyword is None or arg.star:
            return False  # positional values, **kwargs: which fields they set is unknown
        if pk_fields:
            name = arg.keyword.value
            if name in ("pk", "id") or any(f.name == name and f.primary_key for f in info.fields):
                return False
        if not _expression_ok(ctx, scopes, arg.value, info.qualname, None):
            return False
    return True


def create(ctx, loop, call: cst.Call, info, scopes) -> Rewrite | None:
    """`for t in rows: Model.objects.create(...)` -> one bulk_create() of a comprehension."""
    smalls = _loop_ok(ctx, loop, scopes)
    if smalls is None or len(smalls) != 1:
        return None
    only = smalls[0]
    if not (isinstance(only, cst.Expr) and only.value is call):
        return None
    manager = call.func.value if isinstance(call.func, cst.Attribute) else None
    if not isinstance(manager, cst.Attribute):
        return None
    model_node = manager.value
    model = ctx.flow.infer(model_node)
    if not (isinstance(model, ModelClass) and model.model == info.qualname and dotted(model_node)):
        return None
    if not _plain_model(ctx.index, info):
        return None
    if not _usable_manager(ctx.index, info, manager.attr.value, _CREATE_MANAGER_METHODS):
        return None
    if not _kwargs_ok(ctx, scopes, call, info, pk_fields=False) or not _iterable_ok(ctx, loop, info):
        return None
    if _comprehension_ok(ctx, loop, scopes) is None:
        return None
    src = ctx.spans([loop.iter, loop.target, model_node, manager, call.func, call])
    if src is None:
        return None
    model_text = src.of(model_node)
    instance = model_text + src.text[src.end(call.func) : src.end(call)]
    iter_text = _wrap_for_comprehension(loop.iter, src.of(loop.iter))
    target = src.of(loop.target)
    code = f"{model_text}.{manager.attr.value}.bulk_create([{model_text}(...) for {target} in {iter_text}])"
    replacement = f"{src.of(manager)}.bulk_create([{instance} for {target} in {iter_text}])"
    return Rewrite(code, replacement)


def insert(ctx, loop, call: cst.Call, info, scopes) -> Rewrite | None:
    """`for t in rows: obj = Model(...); obj.save()` -> one bulk_create() of a comprehension."""
    smalls = _loop_ok(ctx, loop, scopes)
    if smalls is None or len(smalls) != 2:
        return None
    build, save = smalls
    if not (isinstance(save, cst.Expr) and save.value is call and not call.args):
        return None
    if not (isinstance(build, cst.Assign) and len(build.targets) == 1):
        return None
    if not isinstance(build.targets[0].target, cst.Name):
        return None
    variable = build.targets[0].target.value
    func = call.func
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == variable):
        return None
    ctor = build.value
    if not isinstance(ctor, cst.Call):
        return None
    model = ctx.flow.infer(ctor.func)
    if not (isinstance(model, ModelClass) and model.model == info.qualname and dotted(ctor.func)):
        return None
    if not _plain_model(ctx.index, info) or not _usable_manager(ctx.index, info, "objects", _CREATE_MANAGER_METHODS):
        return None
    if any(f.primary_key and f.kind not in orm.AUTO_FIELDS for f in info.fields):
        return None  # save() of a row whose own key is already set may UPDATE, not INSERT
    # save() of an object with its pk given may UPDATE an existing row; bulk_create() would not
    if not _kwargs_ok(ctx, scopes, ctor, info, pk_fields=True) or not _iterable_ok(ctx, loop, info):
        return None
    names = _comprehension_ok(ctx, loop, scopes, extra=(variable,))
    if names is None or variable in names:
        return None
    src = ctx.spans([loop.iter, loop.target, ctor, ctor.func])
    if src is None:
        return None
    model_text = src.of(ctor.func)
    iter_text = _wrap_for_comprehension(loop.iter, src.of(loop.iter))
    target = src.of(loop.target)
    code = f"{model_text}.objects.bulk_create([{model_text}(...) for {target} in {iter_text}])"
    replacement = f"{model_text}.objects.bulk_create([{src.of(ctor)} for {target} in {iter_text}])"
    return Rewrite(code, replacement)


def _iterable_ok(ctx, loop, info) -> bool:
    """Rows of the written model, read while the loop inserts more: a queryset fetches all its
    rows on the first iteration, before any insert, but `.iterator()` streams them."""
    value = ctx.flow.infer(loop.iter)
    if _model_of(value) != info.qualname:
        return True
    return isinstance(value, Queryset) and not value.iterated and not value.values
