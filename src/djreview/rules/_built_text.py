"""Is this text built from non-literal parts? Shared by DJR401 (SQL) and DJR402 (HTML).

Both rules ask the same question of an argument: was the text put together in code (an
f-string, `%`, `.format()`, `+`, `join`) with a part whose value may come from outside? A
name is followed to its assignments (and `+=`, `.append()`) in the enclosing function, and to
module constants and class attributes; literals, numbers and what the rule's `Policy` calls
safe (identifiers from code for SQL, escaped values for HTML) are not parts to worry about.

A text that is not built here at all (a parameter, a call's result passed on as is) is
*opaque*: the rules never report it, since the call that built it is elsewhere.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import libcst as cst

from djreview.syntax import binding_targets, dotted, literal_string
from djreview.walk import children

T = TypeVar("T")
# the literal text before and after each place a part fills in its template
Places = list[tuple[str, str]] | None
_MAX_DEPTH = 24  # nesting followed at most (names are guarded against cycles apart from this)
# str methods whose result is as literal (or as safe) as the string they are called on.
_STR_METHODS = frozenset(
    {
        "strip",
        "lstrip",
        "rstrip",
        "upper",
        "lower",
        "title",
        "capitalize",
        "replace",
        "dedent",
        "ljust",
        "rjust",
        "center",
        "expandtabs",
        "zfill",
        "removeprefix",
        "removesuffix",
        "decode",
        "encode",
    }
)
# str methods that cut a text into pieces (each as safe as the text).
_SPLITS = frozenset({"split", "rsplit", "splitlines", "partition", "rpartition"})
# Methods named for a yes-or-no answer: `is_secure()`, `has_perm()`, `can_edit()`
_PREDICATE = re.compile(r"^(is|has|can)_[a-z0-9_]+$")
_NUMBERS = frozenset(
    {"int", "float", "len", "bool", "abs", "round", "min", "max", "sum", "count", "Decimal", "ord", "hex", "oct"}
    | {"time", "monotonic", "perf_counter", "timestamp"}  # `time.time()`, `moment.timestamp()`
    | {"hasattr", "isinstance", "issubclass", "callable"}  # bools
)
# Methods whose result is made of their receiver and arguments only (a copy, an item, a piece
# of text): reading a parameter through them is still using the parameter as it came.
_PASS_THROUGH = frozenset({"copy", "get", "format", "join", "split", "rsplit", "splitlines"})
# Getters of stored configuration: called with literals, they return what someone saved.
_READS_STORED = re.compile(r"setting|config|pref|option", re.IGNORECASE)
_TRANSLATIONS = frozenset(
    {"_", "gettext", "gettext_lazy", "ugettext", "ugettext_lazy", "pgettext", "pgettext_lazy", "_lazy"}
)


@dataclass
class Parts:
    """A text as code builds it: `built` when an f-string/%/format/+/join makes it, with the
    parts whose value is not known to be safe."""

    built: bool = False
    unsafe: list[cst.CSTNode] = field(default_factory=list)
    opaque: list[cst.CSTNode] = field(default_factory=list)  # joined collections built elsewhere

    def add(self, other: Parts) -> None:
        self.built |= other.built
        self.unsafe += [n for n in other.unsafe if n not in self.unsafe]
        self.opaque += other.opaque


class Policy:
    """What a rule counts as a safe value besides literals and numbers."""

    def safe_call(self, name: str, call: cst.Call, analysis: BuiltText) -> bool:
        return False

    def safe_attribute(self, parts: list[str]) -> bool:
        return False

    def safe_name(self, name: str) -> bool:
        return False

    def quiet_slot(self, before: str, after: str) -> bool:
        """May a part of unknown origin stand between these two pieces of literal text without
        a finding, unless it comes from the request? (SQL: an identifier's or a clause's place,
        where code, not input, puts names.)"""
        return False


@dataclass
class _Bindings:
    """What a function (or the module) assigns to each name, read once."""

    values: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)
    appended: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)  # += / .append / .extend
    loop_iters: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)  # for NAME in ITER
    unpacked: dict[str, list[cst.BaseExpression]] = field(default_factory=dict)  # a, b = CALL
    opaque: set[str] = field(default_factory=set)  # parameters, other targets: value unknown
    # module only: every function and method of the module by name, and whether each name's
    # return values are all safe (filled as asked; None while being decided)
    functions: dict[str, list[cst.FunctionDef]] = field(default_factory=dict)
    returns_safe: dict[str, bool | None] = field(default_factory=dict)
    # module only: `self.NAME = value` in its methods, with the method (read when first asked)
    self_attrs: dict[str, list[tuple[cst.BaseExpression, cst.FunctionDef]]] | None = None
    # `self.<name>` being judged, by any BuiltText of the module (each method's is a new one):
    # `self.a = f(self.b)` and `self.b = g(self.a)` would otherwise recurse without end
    self_attrs_busy: set[str] = field(default_factory=set)
    # module only: the functions defined at its top level (the others are methods), and the
    # functions whose results are being judged for a call (a recursion is no proof)
    top_level: set[int] = field(default_factory=set)
    deciding: set[str] = field(default_factory=set)
    # module only: the class (by name) each method belongs to, and each class's bases as written
    owners: dict[int, str] = field(default_factory=dict)
    bases: dict[str, list[str]] = field(default_factory=dict)
    # function only: names its body binds to an unknown value (`with ... as x`, `x *= 2`): a
    # parameter among them is not the value its callers gave
    rebound: frozenset[str] = frozenset()

    def every_value(self, name: str) -> list[cst.BaseExpression]:
        """Everything `name` is given: assignments, additions, what a loop or an unpacking binds."""
        return [
            *self.values.get(name, ()),
            *self.appended.get(name, ()),
            *self.loop_iters.get(name, ()),
            *self.unpacked.get(name, ()),
        ]


def _bind(found: _Bindings, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
    if isinstance(target, cst.Name):
        if value is None:
            found.opaque.add(target.value)
        else:
            found.values.setdefault(target.value, []).append(value)
    elif (
        isinstance(target, (cst.Tuple, cst.List))
        and isinstance(value, (cst.Tuple, cst.List))
        and len(target.elements) == len(value.elements)
    ):
        for element, assigned in zip(target.elements, value.elements):  # a, b = escape(a), escape(b)
            _bind(found, element.value, assigned.value)
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            inner = element.value
            if isinstance(inner, cst.Name) and value is not None and isinstance(value, cst.Call):
                found.unpacked.setdefault(inner.value, []).append(value)
            else:
                _bind(found, inner, None)


def _collect(node: cst.CSTNode, found: _Bindings) -> None:
    """Every binding in `node`, not those of nested functions, classes and lambdas."""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(node, cst.Assign):
            for target in node.targets:
                _bind(found, target.target, node.value)
        elif isinstance(node, cst.AnnAssign):
            _bind(found, node.target, node.value)
        elif isinstance(node, cst.AugAssign) and isinstance(node.target, cst.Name):
            if isinstance(node.operator, cst.AddAssign):
                found.appended.setdefault(node.target.value, []).append(node.value)
            else:
                found.opaque.add(node.target.value)
        elif isinstance(node, cst.NamedExpr):
            _bind(found, node.target, node.value)
        elif isinstance(node, cst.For):
            _bind_loop(found, node.target, node.iter)
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            _bind(found, node.asname.name, None)
        elif isinstance(node, cst.ExceptHandler) and node.name is not None:
            _bind(found, node.name.name, None)
        elif isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                name = alias.asname.name if alias.asname else alias.name
                if isinstance(name, cst.Name):
                    found.opaque.add(name.value)
        elif isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and node.args:
                method = func.attr.value
                if method in ("append", "extend", "insert"):
                    value = node.args[-1].value
                    if method != "extend":
                        value = cst.List([cst.Element(value)])  # what is added, as a collection
                    found.appended.setdefault(func.value.value, []).append(value)
        stack.extend(reversed(children(node)))


def _bind_loop(found: _Bindings, target: cst.BaseExpression, iterable: cst.BaseExpression) -> None:
    """`for x in X`: x is an element of X; `for i, x in enumerate(X)`: i a number."""
    if isinstance(target, cst.Name):
        found.loop_iters.setdefault(target.value, []).append(iterable)
        return
    if (
        isinstance(target, cst.Tuple)
        and len(target.elements) == 2
        and isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Name)
        and iterable.func.value == "enumerate"
        and iterable.args
    ):
        number, element = target.elements[0].value, target.elements[1].value
        _bind(found, number, cst.Integer("0"))
        _bind_loop(found, element, iterable.args[0].value)
        return
    if _items_pair(target, iterable):
        for element in target.elements:  # type: ignore[attr-defined]
            found.loop_iters.setdefault(element.value.value, []).append(iterable)
        return
    _bind(found, target, None)


def _items_pair(target: cst.BaseExpression, iterable: cst.BaseExpression) -> bool:
    """`k, v` over `MAPPING.items()`: each is a key or a value of a named mapping."""
    return (
        isinstance(target, cst.Tuple)
        and len(target.elements) == 2
        and all(isinstance(e.value, cst.Name) for e in target.elements)
        and isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Attribute)
        and iterable.func.attr.value == "items"
        and isinstance(iterable.func.value, cst.Name)
        and not iterable.args
    )


def bindings_of(scope: cst.CSTNode) -> _Bindings:
    found = _Bindings()
    if isinstance(scope, cst.FunctionDef):
        _collect(scope.body, found)
        found.rebound = frozenset(found.opaque)
        params = scope.params
        for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
            found.opaque.add(param.name.value)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                found.opaque.add(star.name.value)
    elif isinstance(scope, cst.Module):
        for statement in scope.body:
            if isinstance(statement, cst.SimpleStatementLine):
                _collect(statement, found)
        _collect_functions(scope, found.functions, found)
        found.top_level = {id(s) for s in scope.body if isinstance(s, cst.FunctionDef)}
    return found


def _collect_functions(node: cst.CSTNode, found: dict[str, list[cst.FunctionDef]], module: _Bindings) -> None:
    """Functions and methods at module and class level (not nested in functions)."""
    body = node.body if isinstance(node, cst.Module) else getattr(getattr(node, "body", None), "body", ())
    for statement in body:
        if isinstance(statement, cst.FunctionDef):
            found.setdefault(statement.name.value, []).append(statement)
            if isinstance(node, cst.ClassDef):
                module.owners[id(statement)] = node.name.value
        elif isinstance(statement, cst.ClassDef):
            module.bases[statement.name.value] = [(dotted(b.value) or [""])[-1] for b in statement.bases]
            _collect_functions(statement, found, module)


def _family(module: _Bindings, name: str) -> set[str] | None:
    """The module's classes related to `name` by inheritance (its bases and subclasses, and
    theirs, among the module's classes): an instance's `self.x` may be set by any of them.
    None when the module does not define `name` at its top level or in a class."""
    if name not in module.bases:
        return None
    family = {name}
    grown = True
    while grown:
        grown = False
        for cls, bases in module.bases.items():
            related = cls in family or any(b in family for b in bases)
            new = ({cls} | {b for b in bases if b in module.bases}) - family
            if related and new:
                family |= new
                grown = True
    return family


def _attr_chain(node: cst.BaseExpression) -> list[str]:
    """The attribute names of `(...).a.b`, outermost last."""
    found: list[str] = []
    while isinstance(node, cst.Attribute):
        found.append(node.attr.value)
        node = node.value
    return found[::-1]


def _self_assignments(function: cst.FunctionDef, found: dict) -> None:
    """`self.NAME = value` (and `+=`, as unknown) in a method, not in nested functions."""
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        targets: list[tuple[cst.BaseExpression, cst.BaseExpression]] = []
        if isinstance(node, cst.Assign):
            targets = [(t.target, node.value) for t in node.targets]
        elif isinstance(node, (cst.AnnAssign, cst.AugAssign)) and node.value is not None:
            value = node.value if isinstance(node, cst.AnnAssign) else cst.Name("__unknown__")
            targets = [(node.target, value)]
        for target, value in targets:
            if isinstance(target, (cst.Tuple, cst.List)):
                for element in target.elements:  # `self.a, self.b = ...`: unknown values
                    _self_target(element.value, cst.Name("__unknown__"), function, found)
            else:
                _self_target(target, value, function, found)
        stack.extend(children(node))


def _self_target(target, value, function, found: dict) -> None:
    if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == "self":
        found.setdefault(target.attr.value, []).append((value, function))


def _returns(function: cst.FunctionDef) -> list[cst.BaseExpression | None]:
    """The values a function returns (None for a bare `return`), not those of nested functions."""
    found: list[cst.BaseExpression | None] = []
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            continue
        if isinstance(node, cst.Return):
            found.append(node.value)
        stack.extend(children(node))
    return found


class BuiltText:
    """The analysis of texts inside one function (or at module level) of one module."""

    def __init__(
        self,
        policy: Policy,
        function: cst.CSTNode | None,
        module: _Bindings,
        class_attrs: dict,
        known_safe: Callable[[cst.CSTNode], bool] | None = None,
        class_name: str | None = None,
    ):
        self.policy = policy
        # the enclosing class: `self.x`, `cls.x` and `ClassName.x` read its body's `x = ...`
        self.class_owners = frozenset({"self", "cls", *([class_name] if class_name else [])})
        self.class_name = class_name
        self.scope = function
        self.local = bindings_of(function) if function is not None else _Bindings()
        # where the value asked about is used (the rule's call): a name assigned more than once
        # is then read from the assignment that reaches it there, when one plainly does
        self.site: cst.CSTNode | None = None
        self._parents: dict[int, cst.CSTNode] | None = None
        self._nested_functions: dict[str, list[cst.FunctionDef]] | None = None
        self.module = module
        self.class_attrs = class_attrs
        self._busy: set[str] = set()
        self._asking_request: set[str] = set()
        # judging a part that sits where a value goes: no place inside it is quiet
        self._in_value = False
        # what the project index knows a call or attribute returns (a function of another module)
        self.known_safe = known_safe
        # the rule's question to the index about a parameter of this function: does every
        # call in the project give it a code-made value? (the analysis of the rule's own
        # function only: a helper judged inside it is asked nothing)
        self.given_by_callers: Callable[[cst.FunctionDef, str], bool] | None = None

    # -- texts ---------------------------------------------------------------------------
    def text(self, node: cst.CSTNode, depth: int = 0) -> Parts | None:
        """The parts of a text, or None when `node` is no text built or written here."""
        if depth > _MAX_DEPTH:
            return None
        if isinstance(node, cst.SimpleString):
            return Parts()
        if isinstance(node, cst.ConcatenatedString):
            left, right = self.text(node.left, depth), self.text(node.right, depth)
            if left is None or right is None:
                return None
            left.add(right)
            return left
        if isinstance(node, cst.FormattedString):
            parts = Parts(built=True)
            pieces = node.parts
            for i, piece in enumerate(pieces):
                if isinstance(piece, cst.FormattedStringExpression) and _numeric_spec(piece):
                    continue  # `{total:.2f}`, `{count:,}`: only a number formats so (text raises)
                if isinstance(piece, cst.FormattedStringExpression):
                    place = (_fstring_text(pieces[:i]), _fstring_text(pieces[i + 1 :]))
                    self._value_part(piece.expression, parts, depth, [place])
            return parts
        if isinstance(node, cst.BinaryOperation):
            return self._operation(node, depth)
        if isinstance(node, cst.Call):
            return self._call_text(node, depth)
        if isinstance(node, cst.Name):
            return self._name_text(node.value, depth)
        if isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name) and node.value.value == "self":
            value = self.class_attrs.get(node.attr.value)
            return self.text(value, depth + 1) if value is not None else None
        if (
            isinstance(node, cst.Attribute)
            and isinstance(node.value, cst.Name)
            and node.value.value in self.class_owners
            and node.attr.value in self.class_attrs
        ):
            return self.text(self.class_attrs[node.attr.value], depth + 1)  # `CreateDrawView.instructions`
        if isinstance(node, cst.IfExp):
            body, orelse = self.text(node.body, depth + 1), self.text(node.orelse, depth + 1)
            if body is None or orelse is None:
                return None
            body.add(orelse)
            return body
        return None

    def _operation(self, node: cst.BinaryOperation, depth: int) -> Parts | None:
        if isinstance(node.operator, cst.Modulo):
            left = self.text(node.left, depth + 1)
            if left is None:
                return None
            parts = Parts(built=True)
            parts.add(left)
            specs = _percent_specs(node.left)
            slots = _percent_slots(self._template(node.left))
            right = node.right
            if isinstance(right, cst.Tuple):
                for i, element in enumerate(right.elements):
                    if not (specs and i < len(specs) and specs[i][1] in _NUMERIC_CONVERSIONS):
                        places = [slots[i][1]] if slots is not None and i < len(slots) else None
                        self._value_part(element.value, parts, depth, places)
            elif isinstance(right, cst.Dict):
                numeric = {key for key, conversion in specs or () if conversion in _NUMERIC_CONVERSIONS}
                for item in right.elements:
                    if isinstance(item, cst.DictElement):
                        key = item.key.evaluated_value if isinstance(item.key, cst.SimpleString) else None
                        if key not in numeric:
                            keyed = [place for name, place in slots or () if name == key]
                            self._value_part(item.value, parts, depth, keyed if key is not None else None)
                    else:
                        parts.unsafe.append(item.value)
            elif not (specs and len(specs) == 1 and specs[0][1] in _NUMERIC_CONVERSIONS):
                places = [slots[0][1]] if slots is not None and len(slots) == 1 else None
                self._value_part(right, parts, depth, places)
            return parts
        if isinstance(node.operator, cst.Add):
            texts = self.text(node.left, depth + 1), self.text(node.right, depth + 1)
            if texts == (None, None):
                return None
            parts = Parts(built=True)
            for i, (side, found) in enumerate(zip((node.left, node.right), texts)):
                if found is None:
                    # the text beside it: `"... FROM " + table`, `name + " = %s"`
                    other = _added_text(node.right if i == 0 else node.left)
                    place = ("", other) if i == 0 else (other, "")
                    self._value_part(side, parts, depth, [place])
                else:
                    parts.add(found)
            return parts
        return None

    def _call_text(self, node: cst.Call, depth: int) -> Parts | None:
        func = node.func
        if isinstance(func, cst.Name) and func.value in _TRANSLATIONS:
            if node.args and all(self.text(a.value, depth + 1) == Parts() for a in node.args[:1]):
                return Parts()
            return None
        if isinstance(func, cst.Name) and func.value == "dedent" and node.args:
            return self.text(node.args[0].value, depth + 1)
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        if method == "dedent" and node.args:  # textwrap.dedent(text)
            return self.text(node.args[0].value, depth + 1)
        receiver = self.text(func.value, depth + 1)
        if receiver is None:
            return None
        if method in ("format", "format_map"):
            parts = Parts(built=True)
            parts.add(receiver)
            fields = _format_fields(self._template(func.value)) if method == "format" else None
            position = 0
            for arg in node.args:
                if arg.star == "**" and isinstance(arg.value, cst.Name) and self.safe(arg.value, depth + 1):
                    continue  # `**names` of a local dict of quoted identifiers
                if arg.star:  # **locals(), *values: not known to be safe
                    parts.unsafe.append(arg.value)
                    continue
                if arg.keyword is not None:
                    key: int | str = arg.keyword.value
                else:
                    key, position = position, position + 1
                places = fields.get(key) if fields is not None else None
                if places and all(numeric for _, _, numeric in places):
                    continue  # `"{:.2f}".format(total)`: only a number formats so
                around = [(before, after) for before, after, _ in places] if places else None
                self._value_part(arg.value, parts, depth, around)
            return parts
        if method == "join" and len(node.args) == 1:
            parts = Parts(built=True)
            parts.add(receiver)
            self._elements(node.args[0].value, parts, depth)
            return parts
        if method in _STR_METHODS:
            for arg in node.args:
                self._value_part(arg.value, receiver, depth)
            return receiver
        return None

    def _name_text(self, name: str, depth: int) -> Parts | None:
        if name in self._busy:
            return Parts()  # `sql = sql + "..."`: what the name held is judged where it was assigned
        local = self.local
        if name in local.opaque or name in local.unpacked or name in local.loop_iters:
            return None
        values = local.values.get(name)
        reached = self._reaching(name)
        if reached is not None:
            return self._at(reached[1], lambda: self.text(reached[0], depth + 1))
        scope = local
        if values is None:
            if name in local.appended:
                return None
            values, scope = self.module.values.get(name), self.module
            if values is None or name in self.module.opaque:
                return None
        if self.site is not None:  # every assignment counts: none is read from the use's place
            return self._at(None, lambda: self._name_text(name, depth))
        self._busy.add(name)
        try:
            found = [self.text(v, depth + 1) for v in values]
            known = [f for f in found if f is not None]
            if not known or (len(known) < len(found) and not any(f.built for f in known)):
                return None
            parts = Parts()
            for f in known:
                parts.add(f)
            for added in scope.appended.get(name, ()) if scope is local else ():
                if isinstance(added, (cst.List, cst.Tuple)):
                    continue  # `.append()` to a list the name also held: the join decides
                more = self.text(added, depth + 1)
                parts.built = True
                if more is None:
                    self._value_part(added, parts, depth)
                else:
                    parts.add(more)
            return parts
        finally:
            self._busy.discard(name)

    # -- the assignment that reaches a use -----------------------------------------------
    def _at(self, statement: cst.CSTNode | None, judge: Callable[[], T]) -> T:
        """Judge a value with its own assignment as the place its names are read at."""
        saved, self.site = self.site, statement
        try:
            return judge()
        finally:
            self.site = saved

    def _reaching(self, name: str) -> tuple[cst.BaseExpression, cst.CSTNode] | None:
        """(value, its statement) of the one plain assignment `name = value` that reaches the
        use at `self.site`: the nearest one before it in its block or an enclosing block, with
        nothing in between that may bind the name (a branch, a loop) and no loop around the
        use that binds it. `text = f"<b>{name}</b>"` then `text = escape(text)` leaves only the
        second. None when the name is bound once, or in other ways (`+=`, `.append()`, a loop
        variable), or when no single assignment is sure to reach: all assignments count then.
        A `.append()`/`+=` after the assignment and before the use makes it unsure too."""
        local = self.local
        if (
            self.site is None
            or len(local.values.get(name, ())) + len(local.appended.get(name, ())) < 2
            or name not in local.values
            or name in local.opaque
            or name in local.loop_iters
            or name in local.unpacked
        ):
            return None
        parents = self._parent_map()
        node: cst.CSTNode = self.site
        while True:
            parent = parents.get(id(node))
            if parent is None:
                return None
            if isinstance(parent, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                return None  # the top of the function: the name is bound after the use only
            if isinstance(parent, (cst.For, cst.While)) and _binds(parent, name):
                return None  # a loop around the use binds it: the last round's value reaches
            if isinstance(parent, cst.Try) and node is not parent.body and _binds(parent, name):
                return None  # a handler, else or finally after a body that may have bound it
            if _is_block(parent):
                body = list(parent.body)  # type: ignore[attr-defined]
                at = next((i for i, item in enumerate(body) if item is node), None)
                if at is not None:
                    for item in reversed(body[:at]):
                        found = _plain_assignment(item, name)
                        if found is not None:
                            return found, item
                        if _binds(item, name):
                            return None  # bound in a branch or a loop: maybe, maybe not
            node = parent

    def _site_of(self, value: cst.BaseExpression) -> cst.CSTNode | None:
        """The place of a value bound or added in this function (None: not in its tree)."""
        parents = self._parent_map()
        if id(value) in parents:
            return value
        if isinstance(value, cst.List) and len(value.elements) == 1 and id(value.elements[0].value) in parents:
            return value.elements[0].value  # `.append(x)`, kept as `[x]`
        return None

    def _parent_map(self) -> dict[int, cst.CSTNode]:
        if self._parents is None:
            self._parents = {}
            stack: list[cst.CSTNode] = [self.scope] if self.scope is not None else []
            while stack:
                node = stack.pop()
                for child in children(node):
                    self._parents[id(child)] = node
                    stack.append(child)
        return self._parents

    def _elements(self, node: cst.BaseExpression, parts: Parts, depth: int) -> None:
        """The elements of what `join` joins."""
        if depth > _MAX_DEPTH:
            parts.unsafe.append(node)
            return
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            for element in node.elements:
                if isinstance(element, cst.StarredElement):
                    self._elements(element.value, parts, depth + 1)
                else:
                    self._element(element.value, parts, depth)
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Multiply):
            self._elements(node.left, parts, depth + 1)  # ["%s"] * len(ids): the placeholder list
        elif isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
            self._elements(node.left, parts, depth + 1)  # ["<p>"] + items + ["</p>"]
            self._elements(node.right, parts, depth + 1)
        elif isinstance(node, (cst.GeneratorExp, cst.ListComp, cst.SetComp)):
            saved = self._bind_comprehension(node)
            try:
                self._element(node.elt, parts, depth)
            finally:
                self.local.values, self.local.opaque, self.local.loop_iters = saved
        elif isinstance(node, cst.Call) and _name(node.func) in ("list", "tuple", "sorted", "set") and node.args:
            self._elements(node.args[0].value, parts, depth + 1)
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "items"
            and isinstance(node.func.value, cst.Name)
            and not node.args
        ):
            # `NAMESPACES.items()` of a module's mapping of literals (capstone's XML namespaces),
            # not a local one: its keys count too, and only a constant's are known literals
            name = node.func.value.value
            local = name in self.local.values or name in self.local.opaque or name in self.local.loop_iters
            if local or not self.safe(node.func.value, depth + 1):
                parts.opaque.append(node)
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "values"
            and not node.args
        ):
            # `settings.DATABASE_SCHEMAS.values()`: a safe mapping's values (a dict's keys are not judged)
            if not self.safe(node.func.value, depth + 1):
                parts.opaque.append(node)
        elif isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute) and node.func.attr.value in _SPLITS:
            # "a\nb".split("\n"): the pieces of a text are as safe as the text
            if not self.safe(node.func.value, depth + 1):
                parts.opaque.append(node)
        elif isinstance(node, cst.Name) and (reached := self._reaching(node.value)) is not None:
            # `ids = ", ".join(ids)`: the list the name held before, where it was assigned
            value, statement = reached
            self._at(statement, lambda: self._elements(value, parts, depth + 1))
        elif isinstance(node, cst.Name) and node.value not in self._busy and self._is_local_list(node.value):
            self._busy.add(node.value)
            saved = self.site
            try:
                for value in [*self.local.values[node.value], *self.local.appended.get(node.value, ())]:
                    # each element is read where it was added (`links.append(...)`), not at the join
                    self.site = self._site_of(value)
                    self._elements(value, parts, depth + 1)
            finally:
                self.site = saved
                self._busy.discard(node.value)
        elif isinstance(node, cst.Name) and node.value not in self._busy and self._is_local_collection(node.value):
            # `ids = User.objects.values_list("id", flat=True)`: the elements of what it holds
            self._busy.add(node.value)
            try:
                for value in self.local.values[node.value]:
                    self._elements(value, parts, depth + 1)
            finally:
                self._busy.discard(node.value)
        elif isinstance(node, cst.Call) and _name(node.func) == "zip" and node.args:
            for arg in node.args:  # `zip(*rows)`: tuples of the rows' items
                self._elements(arg.value, parts, depth + 1)
        elif isinstance(node, cst.Subscript) and len(node.slice) == 1 and isinstance(node.slice[0].slice, cst.Index):
            # `list(zip(*rows))[0]`: one of the collection's items, itself made of its items
            self._elements(node.value, parts, depth + 1)
        elif isinstance(node, (cst.Attribute, cst.Call)) and self.safe(node, depth + 1):
            pass  # a collection the policy knows to be code's (a ModelAdmin's `list_display`, rows of keys)
        else:
            # A parameter, a call's result: joined as it was built elsewhere. The text is not
            # reported for it (like a text passed on as is), but a value made from it is unknown.
            parts.opaque.append(node)

    def _element(self, node: cst.BaseExpression, parts: Parts, depth: int) -> None:
        """One element of a joined collection: a text built here counts by its parts; a value
        that is no text built here (a slice, a call's result) was built elsewhere: opaque."""
        found = self.text(node, depth + 1)
        if found is not None:
            parts.add(found)
        elif not self.safe(node, depth + 1):
            parts.opaque.append(node)

    def _is_local_collection(self, name: str) -> bool:
        """A local bound only by plain assignments of calls (`list(qs.values_list("id"))`) or
        items (`rows[0]`), never added to nor rebound otherwise."""
        values = self.local.values.get(name)
        if not values or name in self.local.opaque or name in self.local.appended or name in self.local.loop_iters:
            return False
        return all(isinstance(v, (cst.Call, cst.Subscript)) for v in values)

    def _is_local_list(self, name: str) -> bool:
        values = self.local.values.get(name)
        if not values or name in self.local.opaque:
            return False
        return all(isinstance(v, (cst.List, cst.Tuple, cst.ListComp)) for v in values)

    def _bind_comprehension(self, node):
        """Bind a comprehension's loop variables to their collections (`"%s" for _ in ids`);
        returns what to restore."""
        saved = dict(self.local.values), set(self.local.opaque), dict(self.local.loop_iters)
        comp = node.for_in
        while comp is not None:
            counted = _enumerated(comp.target, comp.iter)
            for target in _names_in(comp.target):
                self.local.values.pop(target, None)
                self.local.loop_iters.pop(target, None)
                if isinstance(comp.target, cst.Name):
                    self.local.opaque.discard(target)
                    self.local.loop_iters[target] = [comp.iter]
                elif counted is not None and target == counted[0]:
                    self.local.opaque.discard(target)
                    self.local.values[target] = [cst.Integer("0")]  # `for i, x in enumerate(X)`
                elif counted is not None and target == counted[1]:
                    self.local.opaque.discard(target)
                    self.local.loop_iters[target] = [counted[2]]
                elif _items_pair(comp.target, comp.iter):
                    self.local.opaque.discard(target)
                    self.local.loop_iters[target] = [comp.iter]  # `for k, v in NAMESPACES.items()`
                else:
                    self.local.opaque.add(target)
            comp = comp.inner_for_in
        return saved

    # -- values --------------------------------------------------------------------------
    def _value_part(self, node: cst.BaseExpression, parts: Parts, depth: int, places: Places = None) -> None:
        """A part of a text; `places` are the literal texts around each place it fills, when
        the template is known (`?` stands for another part)."""
        if places and not self._in_value and all(self.policy.quiet_slot(*place) for place in places):
            found = self.text(node, depth + 1)
            if found is not None and found.built:
                parts.add(found)  # a text built here: each of its parts is judged in its own place
            elif not self.safe(node, depth + 1) and self.from_request(node, depth + 1):
                parts.unsafe.append(node)
            return
        saved, self._in_value = self._in_value, self._in_value or bool(places)
        try:
            if not self.safe(node, depth + 1):
                parts.unsafe.append(node)
        finally:
            self._in_value = saved

    def _template(self, node: cst.BaseExpression) -> str | None:
        """The literal text of a format: written there, or the one literal a name holds."""
        text = _literal_text(node)
        if text is not None or not isinstance(node, cst.Name):
            return text
        name = node.value
        local = self.local
        if name in local.opaque or name in local.appended or name in local.loop_iters:
            return None
        values = local.values.get(name)
        if values is None and name not in self.module.opaque:
            values = self.module.values.get(name)
        return _literal_text(values[0]) if values is not None and len(values) == 1 else None

    def from_request(self, node: cst.CSTNode, depth: int = 0) -> bool:
        """Does the value come from the request: `request.GET[...]`, `self.kwargs`, a view's
        URL arguments, or a local assigned from one of them?"""
        if depth > _MAX_DEPTH:
            return True
        if isinstance(node, (cst.Lambda, cst.FunctionDef, cst.ClassDef)):
            return False
        if isinstance(node, cst.Name):
            name = node.value
            if name == "request" or name in self._view_arguments():
                return True
            if name in self._asking_request:
                return False
            values = self.local.every_value(name)
            self._asking_request.add(name)
            try:
                return any(self.from_request(v, depth + 1) for v in values)
            finally:
                self._asking_request.discard(name)
        if isinstance(node, cst.Attribute):
            parts = dotted(node)
            if parts and len(parts) > 1 and parts[0] == "self" and parts[1] in ("request", "kwargs", "args"):
                return True
        return any(self.from_request(child, depth + 1) for child in children(node))

    def _view_arguments(self) -> frozenset[str]:
        """A view's parameters after `request` (`def detail(request, slug)`): the URL's."""
        scope = self.scope
        if not isinstance(scope, cst.FunctionDef):
            return frozenset()
        names = [p.name.value for p in _params(scope)]
        star = scope.params.star_arg
        if isinstance(star, cst.Param):
            names.append(star.name.value)
        if scope.params.star_kwarg is not None:
            names.append(scope.params.star_kwarg.name.value)
        if "request" not in names:
            return frozenset()
        return frozenset(names[names.index("request") + 1 :])

    def safe(self, node: cst.CSTNode, depth: int = 0) -> bool:
        """Is this value a literal, a number, or what the policy calls safe?"""
        if depth > _MAX_DEPTH:
            return False
        if isinstance(node, (cst.SimpleString, cst.Integer, cst.Float)):
            return True
        if isinstance(node, cst.Name):
            return node.value in ("None", "True", "False") or self._name_safe(node.value, depth)
        if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
            return all(not isinstance(e, cst.StarredElement) and self.safe(e.value, depth + 1) for e in node.elements)
        if isinstance(node, cst.Dict):
            return all(isinstance(e, cst.DictElement) and self.safe(e.value, depth + 1) for e in node.elements)
        if isinstance(node, cst.Subscript) and self._keys_name_numbers(node):
            return True  # `counts["insert_count"]`, `counts[attr] for attr in ("insert_count", ...)`
        if isinstance(node, cst.Subscript) and self.known_safe is not None and self.known_safe(node):
            return True  # an item the rule knows code made (a widget's `final_attrs["id"]`)
        if isinstance(node, cst.Subscript) and isinstance(
            node.value, (cst.Dict, cst.List, cst.Tuple, cst.Name, cst.Attribute, cst.Subscript, cst.Call)
        ):
            # {True: "yes", False: "no"}[value], `colors[op]` of a local dict of literals, an item
            # of what the policy calls safe (`settings.DATABASES["default"]["NAME"]` for SQL)
            return self.safe(node.value, depth + 1)
        if isinstance(node, cst.UnaryOperation):
            return self.safe(node.expression, depth + 1)
        if isinstance(node, (cst.DictComp, cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            # `{p.language: p.id for p in pages}`: what it holds is what each round makes
            saved = self._bind_comprehension(node)
            try:
                return self.safe(node.value if isinstance(node, cst.DictComp) else node.elt, depth + 1)
            finally:
                self.local.values, self.local.opaque, self.local.loop_iters = saved
        if isinstance(node, cst.Comparison):
            return True  # a bool
        if isinstance(node, cst.BooleanOperation):
            # `hasattr(o, "url") and o.get_absolute_url() or None`: one of its operands
            return self.safe(node.left, depth + 1) and self.safe(node.right, depth + 1)
        if isinstance(node, cst.IfExp):
            return self.safe(node.body, depth + 1) and self.safe(node.orelse, depth + 1)
        if isinstance(node, cst.BinaryOperation) and self._number(node, depth + 1):
            return True  # `8 + indent * level`: a number whatever `level` is
        if isinstance(node, cst.BinaryOperation) and not isinstance(node.operator, (cst.Add, cst.Modulo)):
            return self.safe(node.left, depth + 1) and self.safe(node.right, depth + 1)
        if isinstance(node, cst.Attribute):
            parts = dotted(node)
            if parts and (parts[-1] in ("pk", "id") or parts[-1].endswith("_id")):
                return True  # a row's key: a number (or a UUID)
            if parts and self.policy.safe_attribute(parts):
                return True
            own = parts and len(parts) == 2 and parts[0] in self.class_owners and parts[1] in self.class_attrs
            if own and self.safe(self.class_attrs[parts[1]], depth + 1):  # type: ignore[index]
                return True  # `self.template` where the class says `template = "<b>{}</b>"`; a
                # model's `stock = IntegerField()` is no value: the index's field kinds decide
            if not own and parts and len(parts) == 2 and parts[0] == "self" and self._self_attr_safe(parts[1]):
                return True  # `self.model_name = Model._meta.verbose_name` in __init__ (not a
                # field: its value is the row's, whatever the module's methods assign)
            if parts is None and self.policy.safe_attribute(["", *_attr_chain(node)]):
                return True  # `(Page if page else obj)._meta.verbose_name`
            if self.known_safe is not None and self.known_safe(node):
                return True  # a property of the project returning escaped text or a number
            if isinstance(node.value, cst.Name) and self._constant_item(node.value.value, depth):
                return True  # `status.colour` of `status = TASK_STATUSES.get(value)`: the constant's
        if isinstance(node, cst.Call):
            name = _name(node.func) or ""
            if name in _NUMBERS or name in ("get", "getattr") and self._number(node, depth + 1):
                return True
            if isinstance(node.func, cst.Attribute) and _PREDICATE.match(name):
                return True  # `request.is_secure()`, `user.has_perm(p)`: a method named for a bool
            if name == "str" and node.args:
                return self.safe(node.args[0].value, depth + 1)
            if self.policy.safe_call(name, node, self):
                return True
            func = node.func
            own = isinstance(func, cst.Name) or (
                isinstance(func, cst.Attribute)
                and isinstance(func.value, cst.Name)
                and func.value.value in ("self", "cls")
            )
            if isinstance(func, cst.Name) and name in self._nested():
                return self._nested_returns_safe(name)  # a function defined in this one
            if own and self._returns_safe(name):
                return True  # a function of this module whose every result is safe (`img_tag()`)
            if own and self._returns_safe_given(name, node, depth):
                return True  # `format_date(d, if_none="")` returns its text or a safe argument
            if self.known_safe is not None and self.known_safe(node):
                return True  # a project function or method (another module's) returning safe text
            if (
                isinstance(func, cst.Name)
                and all(self.safe(a.value, depth + 1) for a in node.args)
                and not _READS_STORED.search(name)
            ):
                # a function of nothing, literals or safe values: its result is code's, not input;
                # not a getter of stored settings (tendenci's `get_setting("module", "users", ...)`
                # returns what an administrator typed)
                return True
            if isinstance(func, cst.Attribute) and name == "get" and self.safe(func.value, depth + 1):
                # an item of a safe mapping, whatever its key (`TASK_STATUSES.get(value)`), or the default
                return all(self.safe(a.value, depth + 1) for a in node.args[1:])
            if isinstance(func, cst.Attribute) and name in _STR_METHODS and self.safe(func.value, depth + 1):
                return all(self.safe(a.value, depth + 1) for a in node.args)
            if isinstance(func, cst.Attribute) and name == "join" and len(node.args) == 1:
                joined = Parts()
                self._elements(node.args[0].value, joined, depth + 1)
                return not joined.unsafe and not joined.opaque and self.safe(func.value, depth + 1)
        found = self.text(node, depth + 1)
        return found is not None and not found.unsafe and not found.opaque

    def _constant_item(self, name: str, depth: int) -> bool:
        """Is the local `name` only ever an item of a module constant (`CONST.get(key)`,
        `CONST[key]`) that is safe through and through? peering-manager's
        `status = TASK_STATUSES.get(value)`, whose values are `Status("Queued", "info")`."""
        if name in self.local.opaque:
            return False
        bound = self.local.values.get(name, ())
        if not bound:
            return False
        for value in bound:
            if isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute) and value.func.attr.value == "get":
                mapping = value.func.value
            elif isinstance(value, cst.Subscript):
                mapping = value.value
            else:
                return False
            if not (isinstance(mapping, cst.Name) and mapping.value.isupper() and self.safe(mapping, depth + 1)):
                return False
        return True

    def _number(self, node: cst.BaseExpression, depth: int) -> bool:
        """Is this value sure to be a number? A numeric literal, a call that counts or converts
        (`len()`, `int()`), `getattr(obj, "indent", 10)` (the default says what it holds), a
        local holding only such values, and arithmetic with a number: `n + 1`, `a - b`, `x / 2`
        (text cannot be added to a number, nor subtracted or divided); `x * 2` only when `x` is
        one too (text times a number is text repeated)."""
        if depth > _MAX_DEPTH:
            return False
        if isinstance(node, (cst.Integer, cst.Float)):
            return True
        if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, (cst.Minus, cst.Plus)):
            return self._number(node.expression, depth + 1)
        if isinstance(node, cst.Call):
            name = _name(node.func) or ""
            if name in _NUMBERS and name not in ("min", "max"):
                return True
            if name == "get" and isinstance(node.func, cst.Attribute) and len(node.args) == 2:
                return self._number(node.args[1].value, depth + 1)  # `counts.get(state, 0)`: a tally
            return name == "getattr" and len(node.args) == 3 and self._number(node.args[2].value, depth + 1)
        if isinstance(node, cst.Name):
            if node.value in self._busy:
                return False
            local = self.local
            values = local.values.get(node.value)
            scope_values = values if values is not None else self.module.values.get(node.value)
            if not scope_values or node.value in local.opaque or node.value in local.appended:
                return False
            self._busy.add(node.value)
            try:
                return all(self._number(v, depth + 1) for v in scope_values)
            finally:
                self._busy.discard(node.value)
        if isinstance(node, cst.BinaryOperation):
            left, right = self._number(node.left, depth + 1), self._number(node.right, depth + 1)
            if isinstance(node.operator, cst.Multiply):
                return left and right
            if isinstance(node.operator, cst.Modulo):
                return left  # `text % n` formats text
            return left or right
        return False

    def _name_safe(self, name: str, depth: int) -> bool:
        if name in self._busy:
            return True  # a name built from itself: its other parts decide
        if self.policy.safe_name(name):
            return True
        local = self.local
        if any(self._made_safe(v, name) for v in local.values.get(name, ())):
            return True  # `name = escape(name)`: the function makes it safe itself
        if name in local.opaque:
            return self._given_by_callers(name)
        reached = self._reaching(name)
        if reached is not None:
            return self._at(reached[1], lambda: self.safe(reached[0], depth + 1))
        if self.site is not None:  # every assignment counts: none is read from the use's place
            return self._at(None, lambda: self._name_safe(name, depth))
        self._busy.add(name)
        try:
            if name in local.loop_iters or name in local.unpacked:
                if name in local.values or name in local.appended:
                    return False
                iters_safe = all(self._iterable_safe(i, depth) for i in local.loop_iters.get(name, ()))
                unpacked_safe = all(
                    isinstance(c, cst.Call) and self.policy.safe_call(_name(c.func) or "", c, self)
                    for c in local.unpacked.get(name, ())
                )
                return iters_safe and unpacked_safe
            values = local.values.get(name)
            if values is not None:
                return all(self.safe(v, depth + 1) for v in [*values, *local.appended.get(name, ())])
            if name in local.appended:
                return False
            values = self.module.values.get(name)
            if values is not None and name not in self.module.opaque:
                return all(self.safe(v, depth + 1) for v in values)
            # an imported constant of literals (`from .constants import TASK_STATUSES`)
            return self.known_safe is not None and self.known_safe(cst.Name(name))
        finally:
            self._busy.discard(name)

    def _given_by_callers(self, name: str) -> bool:
        """Is `name` a parameter of this function, never rebound in its body, that every call
        in the project gives a literal or a setting (capstone's `statement_timeout(timeout)`)?"""
        scope = self.scope
        if self.given_by_callers is None or not isinstance(scope, cst.FunctionDef):
            return False
        if not _passed_as_is(name, scope, self) or name in self.local.rebound:
            return False
        return self.given_by_callers(scope, name)

    def reads_data(self, node: cst.CSTNode, depth: int = 0) -> bool:
        """Does the value read an object's data (an attribute, an item of one, a method's
        result), directly or through a local? A parameter used as it came, and what plain
        functions make of parameters, do not: the function's callers decide what it is given."""
        if depth > _MAX_DEPTH:
            return True
        if depth and self.safe(node, depth + 1):
            return False  # a part of the value that is literal, a number or escaped
        if isinstance(node, cst.Attribute):
            return True
        if isinstance(node, cst.Subscript):
            return self.reads_data(node.value, depth + 1)
        if isinstance(node, cst.Call):
            func = node.func
            if isinstance(func, cst.Attribute) and (
                func.attr.value in _PASS_THROUGH or func.attr.value in _STR_METHODS
            ):
                receiver = func.value
                return self.reads_data(receiver, depth + 1) or any(
                    self.reads_data(a.value, depth + 1) for a in node.args
                )
            if isinstance(func, cst.Attribute):
                return True
            return any(self.reads_data(a.value, depth + 1) for a in node.args)
        if isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float)):
            return False
        if isinstance(node, cst.Name):
            name = node.value
            if name in self._busy:
                return False
            values = self.local.every_value(name)
            self._busy.add(name)
            try:
                return any(self._value_reads_data(v, depth + 1) for v in values)
            finally:
                self._busy.discard(name)
        if isinstance(node, (cst.GeneratorExp, cst.ListComp, cst.SetComp)):
            saved = self._bind_comprehension(node)
            try:
                return self.reads_data(node.elt, depth + 1)
            finally:
                self.local.values, self.local.opaque, self.local.loop_iters = saved
        return any(self.reads_data(child, depth + 1) for child in children(node))

    def _returns_safe(self, name: str) -> bool:
        """Does every function or method of the module called `name` return only safe values
        (`return render_to_string(...)`, `return mark_safe(f"<img{flatatt(attrs)}>")`)?"""
        module = self.module
        if name not in module.functions:
            return False
        if name in module.returns_safe:
            return bool(module.returns_safe[name])  # decided, or being decided (a recursion: no)
        module.returns_safe[name] = None
        verdict = self._every_return_safe(module.functions[name])
        module.returns_safe[name] = verdict
        return verdict

    def _every_return_safe(self, functions: list[cst.FunctionDef]) -> bool:
        """Does each of these functions return, and only safe values, each judged in itself?"""
        for function in functions:
            returns = _returns(function)
            inner = BuiltText(self.policy, function, self.module, self.class_attrs, self.known_safe, self.class_name)
            if not returns or any(value is None or not inner.safe(value) for value in returns):
                return False
        return True

    def _returns_safe_given(self, name: str, call: cst.Call, depth: int) -> bool:
        """Does every function of the module called `name` return safe values, or one of its
        parameters as it came, which this call gives a safe argument (or leaves at a safe
        default)? feincms: `format_date(d, if_none="")` returns `if_none` or a date."""
        module = self.module
        through_self = isinstance(call.func, cst.Attribute)  # `self.f()`: a method; `f()`: a function
        functions = [f for f in module.functions.get(name, ()) if (id(f) in module.top_level) != through_self]
        if not functions or name in module.opaque or name in module.deciding:
            return False  # not defined here (an import), or a recursion
        module.deciding.add(name)
        try:
            for function in functions:
                returns = _returns(function)
                if not returns:
                    return False
                inner = BuiltText(
                    self.policy, function, self.module, self.class_attrs, self.known_safe, self.class_name
                )
                for value in returns:
                    if value is None:
                        return False
                    if isinstance(value, cst.Name) and _passed_as_is(value.value, function, inner):
                        argument = _argument(call, function, value.value)
                        if argument is None or not self.safe(argument, depth + 1):
                            return False
                    elif not inner.safe(value):
                        return False
            return True
        finally:
            module.deciding.discard(name)

    def _nested(self) -> dict[str, list[cst.FunctionDef]]:
        """The functions defined inside this one (not inside those), by name."""
        if self._nested_functions is None:
            self._nested_functions = {}
            stack: list[cst.CSTNode] = [self.scope.body] if isinstance(self.scope, cst.FunctionDef) else []
            while stack:
                node = stack.pop()
                if isinstance(node, cst.FunctionDef):
                    self._nested_functions.setdefault(node.name.value, []).append(node)
                    continue
                if isinstance(node, (cst.ClassDef, cst.Lambda)):
                    continue
                stack.extend(children(node))
        return self._nested_functions

    def _nested_returns_safe(self, name: str) -> bool:
        """Does every definition of this inner function return only safe values (unfold's
        `format_response()` returning pygments' HTML)?"""
        key = f"<nested>.{name}"
        if key in self._busy:
            return False  # a recursion: no
        self._busy.add(key)
        try:
            return self._every_return_safe(self._nested()[name])
        finally:
            self._busy.discard(key)

    def _keys_name_numbers(self, node: cst.Subscript) -> bool:
        """Is the item's key a literal (or a loop variable over literals) that the policy's
        names call safe, each of them: `counts[attr] for attr in ("insert_count", "delete_count")`?"""
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return False
        key = node.slice[0].slice.value
        if isinstance(key, cst.SimpleString):
            keys: list[cst.BaseExpression] = [key]
        elif isinstance(key, cst.Name) and key.value not in self.local.values and key.value not in self.local.opaque:
            iters = self.local.loop_iters.get(key.value, ())
            if len(iters) != 1 or not isinstance(iters[0], (cst.Tuple, cst.List, cst.Set)):
                return False
            keys = [e.value for e in iters[0].elements]
        else:
            return False
        texts = [k.evaluated_value if isinstance(k, cst.SimpleString) else None for k in keys]
        return bool(texts) and all(isinstance(t, str) and self.policy.safe_name(t) for t in texts)

    def _self_attr_safe(self, name: str) -> bool:
        """Is every `self.<name> = value` of the module's methods safe, judged in its method
        (wagtail's lock: `self.model_name = (Page if self.is_page else object)._meta.verbose_name`)?
        Set nowhere in the module, or also set from outside: unknown."""
        module = self.module
        if module.self_attrs is None:
            module.self_attrs = {}
            for functions in module.functions.values():
                for function in functions:
                    _self_assignments(function, module.self_attrs)
        values = module.self_attrs.get(name)
        family = _family(module, self.class_name) if self.class_name else None
        if values and family:
            # geniza: a form field's `self.label`, judged by its own class's (and related
            # classes') assignments, not by an unrelated class of the module that sets a `label`
            values = [(v, f) for v, f in values if module.owners.get(id(f)) in family]
        if not values or name in module.self_attrs_busy:
            return False
        module.self_attrs_busy.add(name)
        try:
            return all(
                BuiltText(self.policy, function, module, self.class_attrs, self.known_safe).safe(value)
                for value, function in values
            )
        finally:
            module.self_attrs_busy.discard(name)

    def _value_reads_data(self, value: cst.BaseExpression, depth: int) -> bool:
        """A local's value: when it is text built here, only its unescaped parts count (an
        `<a href="{url}">{escape(page.title)}</a>` reads the page, but escapes what it reads)."""
        parts = self.text(value, depth + 1)
        if parts is not None and parts.built and not parts.opaque:
            return any(self.reads_data(p, depth + 1) for p in parts.unsafe)
        return self.reads_data(value, depth + 1)

    def _made_safe(self, value: cst.BaseExpression, name: str) -> bool:
        if not (isinstance(value, cst.Call) and value.args):
            return False
        first = value.args[0].value
        func = value.func
        # `name = escape(name)`, or a method of the name itself: `text = text.replace("<", "&lt;")`
        of_itself = (isinstance(first, cst.Name) and first.value == name) or (
            isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == name
        )
        return of_itself and self.policy.safe_call(_name(func) or "", value, self)

    def _iterable_safe(self, node: cst.BaseExpression, depth: int) -> bool:
        parts = Parts()
        self._elements(node, parts, depth + 1)
        return not parts.unsafe and not parts.opaque


def _class_constant(parts: list[str]) -> bool:
    """An UPPER_CASE attribute of a class (a CapWords name on the way: `Job.DRAFT`,
    `models.Job.DRAFT`, an `IntegerChoices` member `Rule.Policy.CEL`), not of an object
    (`request.META`, `self.request.GET`)."""
    return (
        len(parts) >= 2
        and _UPPER.match(parts[-1]) is not None
        and any(p[:1].isupper() and not p.isupper() for p in parts[:-1])
    )


_UPPER = re.compile(r"^[A-Z][A-Z0-9_]*$")


def _is_block(node: cst.CSTNode) -> bool:
    """A node whose `body` is a sequence of statements run in order (not at import: naming a
    libcst node class loads libcst, which a run that builds no CST never needs)."""
    return isinstance(node, (cst.IndentedBlock, cst.SimpleStatementSuite, cst.SimpleStatementLine))


def _plain_assignment(item: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    """The value of `name = value` (one target, the name alone), else None."""
    if isinstance(item, cst.SimpleStatementLine) and len(item.body) == 1:
        item = item.body[0]
    if isinstance(item, cst.Assign) and len(item.targets) == 1:
        target = item.targets[0].target
        return item.value if isinstance(target, cst.Name) and target.value == name else None
    if isinstance(item, cst.AnnAssign) and item.value is not None:
        target = item.target
        return item.value if isinstance(target, cst.Name) and target.value == name else None
    return None


def _binds(node: cst.CSTNode, name: str) -> bool:
    """Does anything in `node` (not in a nested function, class or lambda) bind `name`?"""
    stack = [node]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            if node.name.value == name:
                return True
            continue
        if isinstance(node, cst.Lambda):
            continue
        targets: list[cst.BaseExpression] = binding_targets(node)
        if isinstance(node, cst.Del):
            targets = [node.target]
        elif (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value == name
            and node.func.attr.value in ("append", "extend", "insert")
        ):
            return True  # what `name` holds grows here
        elif isinstance(node, (cst.Global, cst.Nonlocal)) and any(n.name.value == name for n in node.names):
            return True
        if any(name in _names_in(t) for t in targets):
            return True
        stack.extend(children(node))
    return False


_PERCENT_SPEC = re.compile(
    r"%(?:\((?P<key>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conversion>[a-zA-Z%])"
)
_NUMERIC_CONVERSIONS = frozenset("diouxXeEfFgG")


def _percent_specs(node: cst.BaseExpression) -> list[tuple[str | None, str]] | None:
    """The `%` conversions of a literal format, in order: (key, conversion); None if unknown."""
    text = _literal_text(node)
    if text is None:
        return None
    found = [(m.group("key"), m.group("conversion")) for m in _PERCENT_SPEC.finditer(text)]
    return [spec for spec in found if spec[1] != "%"]


def _percent_slots(text: str | None) -> list[tuple[str | None, tuple[str, str]]] | None:
    """The `%` conversions of a format, in order: (key, (text before, text after))."""
    if text is None:
        return None
    found = [m for m in _PERCENT_SPEC.finditer(text) if m.group("conversion") != "%"]
    return [(m.group("key"), (text[: m.start()], text[m.end() :])) for m in found]


def _format_fields(text: str | None) -> dict[int | str, list[tuple[str, str, bool]]] | None:
    """`str.format` fields by position or name: for each place the field fills, the text
    before and after it (other fields as `?`) and whether its spec takes only numbers
    (`{:.2f}`); None when the format is unknown or does not parse."""
    if text is None:
        return None
    try:
        pieces = list(string.Formatter().parse(text))
    except ValueError:
        return None
    keys: list[int | str | None] = []
    auto = 0
    for _literal, field_name, _spec, _conversion in pieces:
        if field_name is None:
            keys.append(None)
            continue
        base = re.split(r"[.\[]", field_name, maxsplit=1)[0]
        if base == "":
            keys.append(auto)
            auto += 1
        else:
            keys.append(int(base) if base.isdigit() else base)
    fields: dict[int | str, list[tuple[str, str, bool]]] = {}
    for i, key in enumerate(keys):
        if key is None:
            continue
        before = "".join(p[0] + ("?" if k is not None else "") for p, k in zip(pieces[:i], keys[:i])) + pieces[i][0]
        after = "".join(p[0] + ("?" if k is not None else "") for p, k in zip(pieces[i + 1 :], keys[i + 1 :]))
        spec = pieces[i][2]
        numeric = bool(spec) and _NUMERIC_SPEC.match(spec or "") is not None
        fields.setdefault(key, []).append((before, after, numeric))
    return fields


def _added_text(node: cst.BaseExpression) -> str:
    """The text of one side of `+`, each part that is not a literal as `?`."""
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        return _added_text(node.left) + _added_text(node.right)
    text = _literal_text(node)
    return "?" if text is None else text


_NUMERIC_SPEC = re.compile(r"^[<>=^]?[+\- ]?#?0?\d*[,_]?(?:\.\d+)?[bdeEfFgGnoxX%]$|^[<>=^]?\d*[,_]$")


def _numeric_spec(piece: cst.FormattedStringExpression) -> bool:
    """A format spec only numbers take (`.2f`, `,`, `d`, `%`): a text there raises ValueError."""
    texts = [p.value for p in piece.format_spec or () if isinstance(p, cst.FormattedStringText)]
    if not texts or len(texts) != len(piece.format_spec or ()):
        return False  # no spec, or one with a nested expression (`{x:{width}}`)
    return _NUMERIC_SPEC.match("".join(texts)) is not None


def _fstring_text(pieces) -> str:
    """The literal text of f-string pieces, each expression as `?`."""
    return "".join(p.value if isinstance(p, cst.FormattedStringText) else "?" for p in pieces)


def _literal_text(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    if isinstance(node, cst.ConcatenatedString):
        left, right = _literal_text(node.left), _literal_text(node.right)
        return left + right if left is not None and right is not None else None
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value in _TRANSLATIONS
        and node.args
    ):
        return _literal_text(node.args[0].value)
    if (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "join"
        and len(node.args) == 1
        and isinstance(node.args[0].value, (cst.List, cst.Tuple))
    ):
        # " ".join(["SELECT ...", "GROUP BY ..."])
        separator = _literal_text(node.func.value)
        pieces = [_literal_text(e.value) for e in node.args[0].value.elements]
        if separator is None or any(p is None for p in pieces):
            return None
        return separator.join(p for p in pieces if p is not None)
    return None


def _params(function: cst.FunctionDef) -> list[cst.Param]:
    params = function.params
    return [*params.posonly_params, *params.params, *params.kwonly_params]


def _passed_as_is(name: str, function: cst.FunctionDef, inner: BuiltText) -> bool:
    """Is `name` a parameter of the function that it never rebinds?"""
    return (
        any(p.name.value == name for p in _params(function))
        and name not in inner.local.values
        and name not in inner.local.appended
        and name not in inner.local.loop_iters
        and name not in inner.local.unpacked
    )


def _argument(call: cst.Call, function: cst.FunctionDef, name: str) -> cst.BaseExpression | None:
    """What this call gives the parameter `name`: its keyword, its position (a method called
    through `self` or `cls` takes that one first), or the default; None when unknown (`*args`)."""
    if any(a.star for a in call.args):
        return None
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    params = function.params
    positional = [*params.posonly_params, *params.params]
    if isinstance(call.func, cst.Attribute) and positional and positional[0].name.value in ("self", "cls"):
        positional = positional[1:]
    given = [a.value for a in call.args if a.keyword is None]
    for i, param in enumerate(positional):
        if param.name.value == name:
            return given[i] if i < len(given) else param.default
    keyword_only = next((p for p in params.kwonly_params if p.name.value == name), None)
    return keyword_only.default if keyword_only is not None else None


def _enumerated(target: cst.BaseExpression, iterable: cst.BaseExpression) -> tuple[str, str, cst.BaseExpression] | None:
    """(counter, element, collection) of `i, x in enumerate(collection)`."""
    if not (
        isinstance(target, cst.Tuple)
        and len(target.elements) == 2
        and all(isinstance(e.value, cst.Name) for e in target.elements)
        and isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Name)
        and iterable.func.value == "enumerate"
        and iterable.args
    ):
        return None
    counter, element = (e.value.value for e in target.elements)  # type: ignore[attr-defined]
    return counter, element, iterable.args[0].value


def _names_in(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for e in target.elements for n in _names_in(e.value)]
    return []


def shown(code: str) -> str:
    """A part's code as a message names it: on one line, at most 40 characters."""
    code = " ".join(code.split())
    return code if len(code) <= 40 else code[:37] + "..."


def _name(func: cst.BaseExpression) -> str | None:
    if isinstance(func, cst.Name):
        return func.value
    if isinstance(func, cst.Attribute):
        return func.attr.value
    return None


class FunctionStack:
    """Keeps the enclosing function of each node, and gives a `BuiltText` for it (made once
    per function, when first asked)."""

    policy: Policy

    def _reset(self, module: cst.Module) -> None:
        self._functions: list[cst.FunctionDef] = []
        self._analyses: dict[int, BuiltText] = {}
        self._module_bindings = bindings_of(module)

    def visit_Module(self, node: cst.Module) -> None:
        self._reset(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._functions.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._functions.pop()

    def function(self) -> cst.FunctionDef | None:
        return self._functions[-1] if self._functions else None

    def known_safe(self) -> Callable[[cst.CSTNode], bool] | None:
        """The rule's question to the project index about a call or attribute, if it asks one."""
        return None

    def given_by_callers(self) -> Callable[[cst.FunctionDef, str], bool] | None:
        """The rule's question to the project index about a parameter, if it asks one."""
        return None

    def analysis(self, class_attrs: dict | None = None, class_name: str | None = None) -> BuiltText:
        function = self.function()
        key = id(function)
        found = self._analyses.get(key)
        if found is None:
            found = BuiltText(
                self.policy, function, self._module_bindings, class_attrs or {}, self.known_safe(), class_name
            )
            found.given_by_callers = self.given_by_callers()
            self._analyses[key] = found
        return found


def parameter_given_code(index, function: cst.FunctionDef, name: str) -> bool:
    """Does every call of the function in the project give the parameter `name` a literal, a
    number or a setting, with a default (if any) of the same kind? A method's calls through an
    object do not pass `self`/`cls`."""
    params = function.params
    positional = [*params.posonly_params, *params.params]
    if positional and positional[0].name.value in ("self", "cls"):
        positional = positional[1:]
    param = next((p for p in _params(function) if p.name.value == name), None)
    if param is None or (param.default is not None and not _code_made_default(param.default)):
        return False
    position = next((i for i, p in enumerate(positional) if p.name.value == name), None)
    return index.arguments_code_made(function.name.value, position, name)


def _code_made_default(node: cst.BaseExpression) -> bool:
    if isinstance(node, (cst.Integer, cst.Float)) or literal_string(node) is not None:
        return True
    if isinstance(node, cst.Name):
        return node.value in ("None", "True", "False")
    parts = dotted(node) or []
    return len(parts) == 2 and parts[0] == "settings"  # `timeout=settings.DEFAULT_TIMEOUT`


def indexed_return_kind(ctx, node: cst.CSTNode, local: bool = False) -> str | None:
    """What the project index knows a call or attribute returns (index/returns.py): "safe"
    (escaped or code-made text), "literal" (text of literals and numbers only), "number", or None. A function by its reference (`helper()`,
    `utils.helper()`; a function of this module too when `local`), a method or property of
    another object by its name, when every project member of that name agrees
    (`file.canonical_url`, `rendition.img_tag()`)."""
    index, facts = ctx.index, ctx.facts
    if isinstance(node, cst.Call):
        func = node.func
        if isinstance(func, cst.Name):
            known = func.value in facts.imports or func.value in facts.aliases or func.value in facts.class_names
            if known or (local and func.value in facts.returns):
                return index.returns_kind(facts.qualify(func.value), _literal_arguments(node))
            return None
        if isinstance(func, cst.Attribute):
            base = func.value
            if isinstance(base, cst.Name) and (base.value in facts.imports or base.value in facts.aliases):
                return index.returns_kind(f"{facts.qualify(base.value)}.{func.attr.value}", _literal_arguments(node))
            return index.member_returns_kind(func.attr.value, False)
    elif isinstance(node, cst.Attribute):
        base = node.value
        if isinstance(base, cst.Name) and (base.value in facts.imports or base.value in facts.class_names):
            # `SubmitterFilter.param`, `Check.STATE_CHOICES`: a class constant of literals
            kind = index.returns_kind(f"{facts.qualify(base.value)}.{node.attr.value}")
            if kind is not None:
                return kind
        parts = dotted(node)
        if parts and _class_constant(parts) and (parts[0] in facts.imports or parts[0] in facts.class_names):
            # `models.Job.DRAFT` through the module, `Rule.Policy.CEL` of an inner IntegerChoices:
            # what the index knows of the class, or, for a class it does not hold, a constant
            # the code wrote (a computed one of a known class stays unknown)
            owner = index.resolve(".".join([facts.qualify(parts[0]), *parts[1:-1]]))
            kind = index.returns_kind(f"{owner}.{parts[-1]}")
            if kind is not None or owner in index.classes:
                return kind
            return "literal"
        return index.member_returns_kind(node.attr.value, True)
    elif isinstance(node, cst.Name) and node.value in facts.imports:
        return index.returns_kind(facts.qualify(node.value))  # a module constant of literals: "literal"
    return None


def _literal_arguments(call: cst.Call) -> tuple[tuple[str, str], ...]:
    """The call's literal arguments, by position ("0", "1"...) or keyword, as return kinds:
    a function that formats its parameters into its result is judged with them bound."""
    found = []
    position = 0
    for arg in call.args:
        if arg.star:
            break
        kind = _literal_kind(arg.value)
        if arg.keyword is not None:
            if kind:
                found.append((arg.keyword.value, kind))
            continue
        if kind:
            found.append((str(position), kind))
        position += 1
    return tuple(found)


def _literal_kind(value: cst.BaseExpression) -> str | None:
    if isinstance(value, (cst.Integer, cst.Float)):
        return "number"
    if isinstance(value, (cst.SimpleString, cst.ConcatenatedString)) and literal_string(value) is not None:
        return "literal"
    return None
