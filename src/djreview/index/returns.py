"""What a project function, method or property returns, in a coarse kind (DJR402, DJR401).

`mark_safe(f'<a href="{file.canonical_url}">')` is safe when `canonical_url` is a property
returning `reverse(...)`; `f"{thumb.img_tag()}"` when `img_tag()` returns
`mark_safe(f"<img{flatatt(attrs)}>")`; `"%s" % row.total()` when `total()` returns a `len()`.
Those definitions usually live in another module than the text being built, so the kind is
an index fact, read from the stdlib tree when the file is indexed:

    "safe"    escaped or code-made text: format_html(), escape(), render_to_string(), a
              template's render(), reverse(), static(), flatatt(), mark_safe() of anything
              (DJR402 judges that call where it is), a literal
    "literal" text made only of literals and numbers (joined, `%`, `.format()`, f-strings):
              code-made and free of quotes a caller did not write, so safe in SQL too (DJR401)
    "number"  len(), int(), a .count(), arithmetic and comparisons of numbers, a bool, a
              row's `.id`/`.pk`
    (absent)  anything else: unknown

A return of another project function's call (`return helper(x)`, `return self.other()`) is
kept as a deferral ("call:<ref>", "self:<name>") that the index resolves across modules
(`ProjectIndex.returns_kind`), and so is a module function's parameter ("param:<position>:<name>"),
which a call that passes a literal there binds (taiga's `_build_sql_for_type(user, "task", "tasks_task")`). Only statements are walked (if/try/with blocks, not loops or
nested functions) and only the returned expressions and the simple assignments of the names
they return, so the pass costs little more than reading the return statements.
"""

from __future__ import annotations

import ast
from collections.abc import Callable

from djreview.index.lookups import TRANSLATIONS
from djreview.index.nodes import Nodes, all_nodes
from djreview.index.prefilter import called_name

SAFE = "safe"
NUMBER = "number"
PROPERTY = "@"  # prefix of a property's entry: read as an attribute, not called
PARAM = "param:"  # a module function's parameter returned (or formatted in) as it came
LITERAL = "literal"  # text made of literals and numbers only: safe in HTML, and in SQL too (DJR401)

# Calls whose result is escaped or built from code (by the callee's name).
_SAFE_CALLS = frozenset(
    {
        "format_html",
        "format_html_join",
        "escape",
        "conditional_escape",
        "render_to_string",
        "render",
        "reverse",
        "reverse_lazy",
        "admin_reverse",
        "static",
        "flatatt",
        "urlencode",
        "quote",
        "quote_plus",
        "iri_to_uri",
        "escape_uri_path",
        "json_script",
        "escapejs",
        "date_format",
        "number_format",
        "avoid_wrapping",
        "build_absolute_uri",
        "get_full_path",
        "slugify",
    }
)
_MARKING = frozenset({"mark_safe", "SafeString", "SafeText"})
# Translations: given a literal, the developers' text in another language.
_TRANSLATIONS = frozenset({"_", "gettext", "gettext_lazy", "ugettext", "ugettext_lazy", "pgettext", "pgettext_lazy"})
_NUMBER_CALLS = frozenset({"len", "int", "float", "round", "abs", "sum", "count", "Decimal", "ord", "bool"})
_BOOL_CALLS = frozenset({"hasattr", "isinstance", "issubclass", "callable", "exists"})
_PROPERTY_DECORATORS = frozenset({"property", "cached_property"})
_MAX_DEPTH = 8


def _blocks(body: list[ast.stmt]):
    """Statements through if/try/with blocks (not loops, not nested functions or classes)."""
    for stmt in body:
        yield stmt
        if isinstance(stmt, ast.If):
            yield from _blocks(stmt.body)
            yield from _blocks(stmt.orelse)
        elif isinstance(stmt, ast.Try):
            for block in (stmt.body, *(h.body for h in stmt.handlers), stmt.orelse, stmt.finalbody):
                yield from _blocks(block)
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            yield from _blocks(stmt.body)


class _Function:
    def __init__(
        self,
        func: ast.FunctionDef | ast.AsyncFunctionDef,
        callee: Callable[[str, str | None], str | None],
        binds: bool = False,
    ):
        self.func = func
        self.callee = callee
        # a module function's parameters are kept as "param:<position>:<name>", for a call that
        # passes literals to bind (taiga's `_build_sql_for_type(user, "task", "tasks_task")`)
        self.binds = binds
        self.returns: list[ast.expr | None] = []
        self.assigns: list[ast.stmt] = []
        self.loops: list[ast.stmt] = []
        for stmt in _blocks(func.body):
            if isinstance(stmt, ast.Return):
                self.returns.append(stmt.value)
            elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
                self.assigns.append(stmt)
            elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
                self.loops.append(stmt)  # walked only for a function whose returns look known
        self.followed: set[str] = set()  # local names the returns were followed through
        self._values: dict[str, list[ast.expr]] | None = None
        self.other: set[str] = set()  # names bound by other statements (`a.b, c = ...`): not followed
        self.params: set[str] = set()

    def values(self) -> dict[str, list[ast.expr]]:
        """The simple assignments of the function's names, read when a return names one."""
        if self._values is None:
            args = self.func.args
            self.params = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)}
            self._values = {}
            for stmt in self.assigns:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]  # type: ignore[attr-defined]
                value = stmt.value  # type: ignore[attr-defined]
                for target in targets:
                    if isinstance(target, ast.Name) and value is not None:
                        self._values.setdefault(target.id, []).append(value)
                    else:
                        self.other.update(n.id for n in all_nodes(target) if isinstance(n, ast.Name))
        return self._values

    def kinds(self) -> set[str] | None:
        if not self.returns:
            return None
        found: set[str] = set()
        for value in self.returns:
            kinds = self.kind(value, 0, set())
            if kinds is None:
                return None
            found |= kinds
        for loop in self.loops:
            for node in all_nodes(loop):
                if isinstance(node, ast.Return):
                    return None  # a return inside a loop: not read
                if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store) and node.id in self.followed:
                    return None  # a name followed is also bound in a loop
        return found

    def kind(self, node: ast.expr | None, depth: int, busy: set[str]) -> set[str] | None:
        """The kinds a value may have ({"safe"}, {"number"}, deferrals), None when unknown."""
        if depth > _MAX_DEPTH:
            return None
        if node is None:
            return {LITERAL}
        if isinstance(node, ast.Constant):
            return {NUMBER} if isinstance(node.value, (int, float)) else {LITERAL}
        if isinstance(node, ast.Name):
            return self.name(node.id, depth, busy)
        if isinstance(node, ast.Compare):
            return {NUMBER}  # a bool
        if isinstance(node, ast.Attribute) and node.attr in ("id", "pk"):
            return {NUMBER}  # a row's key: `Permission.objects.get(...).id` (a UUID has no quote either)
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "settings"
            and node.attr.isupper()
        ):
            return {SAFE}  # `settings.SENTRY_DSN`: the deployment's own value, no visitor's
        if isinstance(node, ast.Dict) and all(k is None or isinstance(k, ast.Constant) for k in node.keys):
            # mitxonline's `get_refine_oidc_settings()`: a dict of settings, as JSON for a page
            kinds = self.all_of(node.values, depth, busy)
            return None if kinds is None else {SAFE if kinds - {NUMBER, LITERAL} else LITERAL}
        if isinstance(node, (ast.List, ast.Tuple)) and not any(isinstance(e, ast.Starred) for e in node.elts):
            # money-to-prisoners' chart `columns` property: a list of literal dicts, as JSON
            kinds = self.all_of(node.elts, depth, busy)
            return None if kinds is None else {SAFE if kinds - {NUMBER, LITERAL} else LITERAL}
        if isinstance(node, ast.BoolOp):
            return self.all_of(node.values, depth, busy)
        if isinstance(node, ast.UnaryOp):
            return {NUMBER} if isinstance(node.op, ast.Not) else self.kind(node.operand, depth + 1, busy)
        if isinstance(node, ast.IfExp):
            return self.all_of([node.body, node.orelse], depth, busy)
        if isinstance(node, ast.BinOp):
            right = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
            kinds = self.all_of([node.left, *right], depth, busy)
            if kinds is None or kinds == {NUMBER}:
                return kinds
            # text joined (+) or formatted (%) from safe parts is safe; other operators on text: unknown
            return _text_of(kinds) if isinstance(node.op, (ast.Add, ast.Mod)) else None
        if isinstance(node, ast.JoinedStr):
            values = [v.value for v in node.values if isinstance(v, ast.FormattedValue)]
            kinds = self.all_of(values, depth, busy)
            return None if kinds is None else _text_of(kinds)
        if isinstance(node, ast.Call):
            return self.call(node, depth, busy)
        return None

    def all_of(self, nodes, depth: int, busy: set[str]) -> set[str] | None:
        found: set[str] = set()
        for node in nodes:
            kinds = self.kind(node, depth + 1, busy)
            if kinds is None:
                return None
            found |= kinds
        return found

    def name(self, name: str, depth: int, busy: set[str]) -> set[str] | None:
        if name in ("None", "True", "False"):
            return {LITERAL}
        values = self.values()
        if name in self.params and self.binds and name not in values and name not in self.other:
            return {f"{PARAM}{self.position(name)}:{name}"}
        if name in busy or name in self.params or name in self.other or name not in values:
            return None
        busy.add(name)
        self.followed.add(name)
        try:
            return self.all_of(values[name], depth, busy)
        finally:
            busy.discard(name)

    def position(self, name: str) -> int:
        """The parameter's position (-1: keyword-only)."""
        args = self.func.args
        positional = [a.arg for a in (*args.posonlyargs, *args.args)]
        return positional.index(name) if name in positional else -1

    def call(self, node: ast.Call, depth: int, busy: set[str]) -> set[str] | None:
        func = node.func
        name = called_name(func)
        if name is None:
            return None
        if name == "format" and isinstance(func, ast.Attribute):
            # `sql.format(table=table_name, id=user.id)`: text made of its template and its values
            kinds = self.all_of([func.value, *node.args, *(k.value for k in node.keywords)], depth, busy)
            return None if kinds is None else _text_of(kinds)
        if name in _MARKING:
            # marked safe where it is built: DJR402 judges that call there, so its callers
            # take the result as the HTML it says it is (easy-thumbnails' `thumb.tag()`)
            return {SAFE}
        if name in _SAFE_CALLS:
            return {SAFE}
        if name in _TRANSLATIONS and node.args and all(isinstance(a, ast.Constant) for a in node.args):
            return {LITERAL}  # `gettext("Date")`: the developers' text, translated
        if name in _NUMBER_CALLS or name in _BOOL_CALLS:
            return {NUMBER}
        if name == "str" and node.args:
            kinds = self.kind(node.args[0], depth + 1, busy)
            return kinds if kinds is not None else None
        if isinstance(func, ast.Name):
            ref = self.callee(func.id, None)
            return {f"call:{ref}"} if ref else None
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            if func.value.id in ("self", "cls"):
                return {f"self:{func.attr}"}
            ref = self.callee(func.value.id, func.attr)  # `utils.helper()`, `Model.method()`
            return {f"call:{ref}"} if ref else None
        return None


def _text_of(kinds: set[str]) -> set[str]:
    """The kind of text joined or formatted from parts of these kinds (deferrals kept)."""
    plain = {k for k in kinds if k not in (NUMBER, LITERAL, SAFE)}
    return plain | ({SAFE} if SAFE in kinds else {LITERAL})


def literal_constants(statements: list[ast.stmt], prefix: str = "") -> tuple[str, ...]:
    """Module-level names bound once, to a value made only of literals: strings, numbers,
    collections of them, and calls of a name given only literals (a namedtuple's
    `Status("Queued", "info")`, a translation). peering-manager's `TASK_STATUSES` mapping.
    Class attributes likewise, as "Class.NAME" (top-level classes; patchwork's
    `SubmitterFilter.param = "submitter"`, a model's `STATE_CHOICES`)."""
    bound: dict[str, int] = {}
    literal: set[str] = set()
    found: list[str] = []
    for stmt in statements:
        if isinstance(stmt, ast.ClassDef) and not prefix:
            found += literal_constants(stmt.body, f"{stmt.name}.")
    for stmt in statements:
        targets = (
            stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target] if isinstance(stmt, ast.AnnAssign) else []
        )
        for target in targets:
            if isinstance(target, ast.Name):
                bound[target.id] = bound.get(target.id, 0) + 1
                value = stmt.value  # type: ignore[attr-defined]
                if value is not None and _literal_only(value, 0, literal):
                    literal.add(target.id)
    return tuple(sorted(found + [prefix + name for name in literal if bound[name] == 1]))


def _literal_only(node: ast.expr, depth: int, known: set[str] | frozenset[str] = frozenset()) -> bool:
    """`known`: names bound to literals before (`STATE_OK = 0` above `((STATE_OK, "ok"),)`)."""
    if depth > 6:
        return False
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.Name):
        return node.id in known
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return all(_literal_only(e, depth + 1, known) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(k is not None and _literal_only(k, depth + 1, known) for k in node.keys) and all(
            _literal_only(v, depth + 1, known) for v in node.values
        )
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and _record_or_translation(node.func.id):
        return (
            bool(node.args or node.keywords)
            and all(_literal_only(a, depth + 1, known) for a in node.args)
            and all(k.arg is not None and _literal_only(k.value, depth + 1, known) for k in node.keywords)
        )
    return False


def _record_or_translation(name: str) -> bool:
    """`Status(...)` (a namedtuple or another class: capitalised) or `_(...)`/`gettext(...)`; not
    `load_label()`, which may read anything."""
    return name[:1].isupper() or name in TRANSLATIONS


def _decorators(func: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    return {n for n in (called_name(d.func if isinstance(d, ast.Call) else d) for d in func.decorator_list) if n}


def return_kinds(
    statements: list[ast.stmt], callee: Callable[[str, str | None], str | None]
) -> dict[str, tuple[str, ...]]:
    """The kinds each function returns, by "name" (a module function) or "Class.name" (a method); a
    property's first kind prefixed with "@"; functions whose returns are unknown are left out."""
    found: dict[str, tuple[str, ...]] = {}

    def read(key: str, func: ast.FunctionDef | ast.AsyncFunctionDef, in_class: bool) -> None:
        kinds = _Function(func, callee, binds=not in_class).kinds()
        if not kinds:
            return
        ordered = tuple(sorted(kinds))
        if in_class and _decorators(func) & _PROPERTY_DECORATORS:
            ordered = (PROPERTY + ordered[0], *ordered[1:])
        found[key] = ordered

    for stmt in statements:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            read(stmt.name, stmt, False)
        elif isinstance(stmt, ast.ClassDef):
            for inner in stmt.body:
                if isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    read(f"{stmt.name}.{inner.name}", inner, True)
    return found


class Returns:
    """The index's answers: what a function (by reference) or any project member of a name
    returns, deferrals followed across modules (a cycle or an unknown step: unknown)."""

    def __init__(self, index):
        self.index = index
        self.by_ref: dict[str, tuple[str, ...]] = {}
        self.by_name: dict[str, list[tuple[str, tuple[str, ...]]]] = {}  # member -> (owner, kinds)
        self.field_names: set[str] = set()
        self.numeric_fields: dict[str, bool] = {}  # field name -> every model field of that name is a number
        # field name -> every model field of that name holds a number, a slug, a UUID or what a
        # plain validator admits (index/plain_values.py): no character HTML gives meaning to
        # (`placeholder.slot`, a SlugField, read through an untyped parameter)
        self.plain_fields: dict[str, bool] = {}
        self.annotations: dict[str, bool] = {}  # annotation name -> every value annotated so is a number
        # field name -> (some model field of that name holds a file, none is a relation): its
        # `.name` is then a stored file's (a str field has no `.name`; a relation's target might)
        self.file_fields: dict[str, tuple[bool, bool]] = {}
        plain_refs = {f"{m.module}.{name}" for m in index._every_module for name in m.plain_validators}
        for module in index._every_module:
            for name, numeric in module.annotations.items():
                self.annotations[name] = self.annotations.get(name, True) and numeric
            for name in module.literal_constants:
                self.by_ref.setdefault(f"{module.module}.{name}", (LITERAL,))
            for key, kinds in module.returns.items():
                self.by_ref.setdefault(f"{module.module}.{key}", kinds)
                owner, _, member = key.rpartition(".")
                if owner:
                    self.by_name.setdefault(member, []).append((f"{module.module}.{owner}", kinds))
            for cls in module.classes:
                for f in cls.fields:
                    self.field_names.add(f.name)
                    self.numeric_fields[f.name] = self.numeric_fields.get(f.name, True) and numeric_field(f.kind)
                    plain = (
                        numeric_field(f.kind)
                        or f.kind.rsplit(".", 1)[-1] in _PLAIN_FIELDS
                        or any(v == "<plain>" or (index.resolve(v) or v) in plain_refs for v in f.validators)
                    )
                    self.plain_fields[f.name] = self.plain_fields.get(f.name, True) and plain
                    file, plain = self.file_fields.get(f.name, (False, True))
                    relation = f.kind.endswith(("ForeignKey", "OneToOneField", "ManyToManyField", "Key"))
                    self.file_fields[f.name] = (
                        file or f.kind.endswith(("FileField", "ImageField")),
                        plain and not relation,
                    )
                for method in cls.methods:
                    if f"{cls.name}.{method}" not in module.returns:
                        # a method of that name whose returns are unknown
                        self.by_name.setdefault(method, []).append((cls.qualname, ()))
        self._memo: dict[str, str | None] = {}

    def kind_of_ref(self, ref: str, bound: tuple[tuple[str, str], ...] = ()) -> str | None:
        """What the function `ref` returns; `bound`: (position or name, kind) of the literal
        arguments a call passes, for a function that returns or formats its parameters."""
        ref = self.index.resolve(ref) or ref
        if ref not in self.by_ref:
            # `Clock.epoch` of a class its package re-exports: the class's home, then the member
            owner, _, member = ref.rpartition(".")
            home = self.index.resolve(owner) if owner else None
            if home and home != owner:
                ref = f"{home}.{member}"
        if bound:
            kinds = self.by_ref.get(ref)
            return self._combine(kinds, ref.rpartition(".")[0], dict(bound)) if kinds else None
        if ref not in self._memo:
            self._memo[ref] = None  # a recursion is unknown
            kinds = self.by_ref.get(ref)
            owner = ref.rpartition(".")[0]
            self._memo[ref] = self._combine(kinds, owner) if kinds else None
        return self._memo[ref]

    def kind_of_member(self, name: str, attribute: bool) -> str | None:
        """Every project method or property of this name returns the same coarse kind; for an
        attribute (`obj.url`), every one is a property and no model declares a field of that name."""
        found = self.by_name.get(name)
        if attribute and not found and (name in self.field_names or name in self.annotations):
            # a model field or a queryset annotation: a number when every one of that name is
            numbers = [self.numeric_fields.get(name, True), self.annotations.get(name, True)]
            if all(numbers):
                return NUMBER
            plain = self.plain_fields.get(name, True) and name not in self.annotations
            return SAFE if plain else None
        if not found or (attribute and (name in self.field_names or name in self.annotations)):
            return None
        verdicts = set()
        for owner, kinds in found:
            if not kinds or attribute != kinds[0].startswith(PROPERTY):
                return None
            verdicts.add(self._combine(kinds, owner))
        if len(verdicts) == 1:
            return verdicts.pop()
        if verdicts <= {NUMBER, LITERAL}:
            return LITERAL
        return SAFE if verdicts <= {SAFE, NUMBER, LITERAL} else None

    def _combine(self, kinds: tuple[str, ...], owner: str, bound: dict[str, str] | None = None) -> str | None:
        found = set()
        for kind in kinds:
            kind = kind.removeprefix(PROPERTY)
            if kind.startswith(PARAM):
                position, _, name = kind[len(PARAM) :].partition(":")
                given = bound or {}
                kind = given.get(position) or given.get(name) or ""
            elif kind.startswith("call:"):
                kind = self.kind_of_ref(kind[5:]) or ""
            elif kind.startswith("self:"):
                kind = self._self_kind(owner, kind[5:]) or ""
            if kind not in (SAFE, NUMBER, LITERAL):
                return None
            found.add(kind)
        if found == {NUMBER}:
            return NUMBER
        return LITERAL if found <= {NUMBER, LITERAL} else SAFE

    def _self_kind(self, owner: str, name: str) -> str | None:
        """`self.name()` inside class `owner`: its own or a project base's method."""
        for cls in self.index._class_mro(owner):
            if name in self.index.classes[cls].methods:
                return self.kind_of_ref(f"{cls}.{name}")
        return None


# Aggregates and functions whose value is a number (an annotation `usages=Count(...)`).
_NUMERIC_AGGREGATES = frozenset({"Count", "Sum", "Avg", "StdDev", "Variance", "Length", "Round", "Abs"})
_NUMERIC_WRAPPERS = frozenset({"Coalesce", "Greatest", "Least"})  # a number when every argument is
_NUMERIC_FIELDS = ("IntegerField", "FloatField", "DecimalField", "BooleanField", "AutoField")
# Django's fields whose form and model validation admit letters, digits, `-` and `_` only
_PLAIN_FIELDS = frozenset({"SlugField", "UUIDField"})


def numeric_field(kind: str) -> bool:
    return kind.rsplit(".", 1)[-1].endswith(_NUMERIC_FIELDS)


_ANNOTATING = ("annotate", "alias")


def annotation_kinds(nodes: Nodes, text: str) -> dict[str, bool]:
    """Names the module's querysets annotate -> whether every value given that name is a
    number (`usages=Coalesce(Subquery(qs.annotate(c=Count("*")).values("c")), Value(0))`)."""
    found: dict[str, bool] = {}
    if "annotate(" not in text:
        return found
    for node in nodes.of(ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr in _ANNOTATING:
            for keyword in node.keywords:
                if keyword.arg:
                    found[keyword.arg] = found.get(keyword.arg, True) and _numeric(keyword.value, 0)
    return found


def _numeric(node: ast.expr, depth: int) -> bool:
    if depth > 6 or not isinstance(node, ast.Call):
        return isinstance(node, ast.Constant) and isinstance(node.value, (int, float))
    name = called_name(node.func)
    if name in _NUMERIC_AGGREGATES:
        return True
    if name == "Value":
        return bool(node.args) and _numeric(node.args[0], depth + 1)
    if name in _NUMERIC_WRAPPERS:
        return bool(node.args) and all(_numeric(a, depth + 1) for a in node.args)
    if name in ("ExpressionWrapper", "Cast", "Func", "RawSQL", "Subquery"):
        output = next((k.value for k in node.keywords if k.arg == "output_field"), None)
        if isinstance(output, ast.Call) and numeric_field(called_name(output.func) or ""):
            return True
        if name == "Subquery" and node.args:
            return _subquery_numeric(node.args[0], depth + 1)
    return False


def _subquery_numeric(node: ast.expr, depth: int) -> bool:
    """`qs.annotate(c=Count("*")).values("c")`: the one value a subquery selects is a number."""
    selected: str | None = None
    numbers: set[str] = set()
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        method = node.func.attr
        if method in ("values", "values_list") and selected is None and len(node.args) == 1:
            arg = node.args[0]
            selected = arg.value if isinstance(arg, ast.Constant) and isinstance(arg.value, str) else ""
        elif method in ("annotate", "alias"):
            numbers.update(k.arg for k in node.keywords if k.arg and _numeric(k.value, depth + 1))
        node = node.func.value
    return bool(selected) and selected in numbers
