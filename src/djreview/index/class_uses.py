"""Where a module uses classes, and how: the audience of a form or a serializer.

DJR302 and DJR305 judge a form or serializer by who sees it. A ModelForm that only a
`ModelAdmin` uses is for staff; a serializer only ever called as `X(data=request.data)` and
read through `.is_valid()`/`.validated_data`/`.save()` (never `.data`) validates input and never writes its
fields out. The facts here are per module, with no knowledge of which names are forms or
serializers (the index resolves the references, project.py `class_audience`):

    ref -> uses, each "<how>@<owner>" where owner is the enclosing top-level class or function
    ("" at module level) and how is one of
      input   a call with `data=` (and an instance or none), whose result is never read
              through `.data`
      output  a call whose result may be written out, or a reference we cannot follow
      read    a call given no `data` (`S(obj).data`): written out, never saved
      unbound a call given no positional argument, `data`, `files` or `instance`
              (`ShareForm(initial=...)`): a form only rendered (the index counts it as
              output for serializers)
      base    the class is a base of the owner (its uses count for this class too)
      field   a call in the owner's class body (a nested serializer or form field)
      doc     a schema annotation's `request=`/`request_body=` (documents input) or
              `responses=` (documents what the view answers, which it builds itself)
      view-input  a view's `serializer_class` that the view's own methods only call with `data=`
              (input if DRF's bases write nothing out: APIView, GenericAPIView, ViewSet)
      view-dropped:<handlers>  a view's `serializer_class` whose handlers (`post`, ...) drop
              the response's data (`response.data = None`): input if DRF's bases have no
              other handler (openwisp-radius's FreeRADIUS post-auth `CreateAPIView`)
    An `<action>_serializer_class` whose action method only validates with its serializer
    (`self.get_serializer(instance=..., data=...)`, `.is_valid()`, `.save()`) is input
    (waldur's per-action serializers).
"""

from __future__ import annotations

import ast

from djreview.index.nodes import all_nodes, child_nodes
from djreview.index.prefilter import called_name

# What writes a serializer's fields out; any other attribute of a data-only serializer
# (`.is_valid()`, `.validated_data`, `.save()`, `.errors`, a method of its own) does not.
_OUTPUT_ATTRS = frozenset({"data", "to_representation"})
_DOC_KEYWORDS = frozenset({"request", "request_body", "request_serializer"})
_KNOWN = ("django.", "rest_framework.", "builtins.", "typing.")


def wanted(text: str) -> bool:
    """Only files that may name a form or a serializer are walked (the walk costs a pass):
    `XSerializer`, `XForm`, `self.get_serializer`. A class named otherwise has its uses
    missed, so it counts as output: reported, never wrongly exempted."""
    return "erializer" in text or "Form" in text


def class_uses(tree: ast.Module, ref) -> dict[str, tuple[str, ...]]:
    found: dict[str, set[str]] = {}
    _Walker(ref, found).walk_body(tree.body, "", None)
    return {name: tuple(sorted(uses)) for name, uses in found.items()}


def _documents_a_response(parent, parents) -> bool:
    """`@swagger_auto_schema(responses={201: S})` or `@extend_schema(responses=S)`: a schema
    annotation documenting the answer, which the view writes itself (Thunderstore's service
    account view returns a dict); the view's own use of `S` is judged where it is."""
    if isinstance(parent, ast.Dict):
        parent = parents.get(parent)
    return isinstance(parent, ast.keyword) and parent.arg == "responses"


def _capitalised(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return node.id[:1].isupper()
    return isinstance(node, ast.Attribute) and node.attr[:1].isupper()


class _Walker:
    def __init__(self, ref, found: dict[str, set[str]]):
        self.ref = ref
        self.found = found
        self.view_input = False  # the class being walked only validates with its serializer
        self.dropped = ""  # the class's handlers that drop their response's data ("post,put")
        self.methods: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = {}  # of the class walked

    def serializes_input_only(self, cls: ast.ClassDef) -> bool:
        """Do the class's methods call its own serializer (`self.get_serializer(...)`,
        `self.serializer_class(...)`), and only ever with `data=`, never reading `.data`?
        Asked only of a class that sets `serializer_class` (a view)."""
        if not any(
            isinstance(s, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "serializer_class" for t in s.targets)
            for s in cls.body
        ):
            return False
        calls = 0
        for method in cls.body:
            if not isinstance(method, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            own = [n for n in all_nodes(method) if isinstance(n, ast.Call) and _own_serializer(n.func)]
            if not own:
                continue
            parents: dict[ast.AST, ast.AST] = {}
            for node in all_nodes(method):
                for child in child_nodes(node):
                    parents[child] = node
            for call in own:
                if not self.input_call(call, parents, method):
                    return False
                calls += 1
        return calls > 0

    def add(self, node: ast.AST, how: str, owner: str) -> None:
        name = self.ref(node)
        if name and not name.startswith(_KNOWN):
            self.found.setdefault(name, set()).add(f"{how}@{owner}")

    def walk_body(self, body: list[ast.stmt], owner: str, func) -> None:
        for stmt in body:
            if isinstance(stmt, ast.ClassDef):
                inner = owner or stmt.name
                for base in stmt.bases:
                    if _capitalised(base):
                        self.add(base, "base", inner)
                    else:
                        self.expr(base, inner, None)
                for node in (*stmt.keywords, *stmt.decorator_list):
                    self.expr(node, owner, None)
                saved = self.view_input, self.dropped, self.methods
                self.view_input = self.serializes_input_only(stmt)
                self.methods = {m.name: m for m in stmt.body if isinstance(m, (ast.FunctionDef, ast.AsyncFunctionDef))}
                self.dropped = ",".join(sorted(h for h in _HANDLERS if _handler_drops(h, self.methods)))
                self.walk_body(stmt.body, inner, None)
                self.view_input, self.dropped, self.methods = saved
            elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for node in (*stmt.decorator_list, stmt.args):
                    self.expr(node, owner, None)
                self.walk_body(stmt.body, owner or stmt.name, stmt)
            else:
                in_class_body = func is None and owner != ""
                self.statement(stmt, owner, func, in_class_body)

    def statement(self, stmt: ast.stmt, owner: str, func, in_class_body: bool) -> None:
        blocks = ("body", "orelse", "finalbody", "handlers", "cases")
        if not any(getattr(stmt, name, None) for name in blocks):
            self.expr(stmt, owner, func, in_class_body)
            return
        # a compound statement (if/for/try/with): its blocks hold statements, maybe classes
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, name, None)
            if isinstance(inner, list) and inner and isinstance(inner[0], ast.stmt):
                self.walk_body(inner, owner, func)
        for handler in getattr(stmt, "handlers", ()):
            self.walk_body(handler.body, owner, func)
        for case in getattr(stmt, "cases", ()):
            self.walk_body(case.body, owner, func)
        for field, value in ast.iter_fields(stmt):
            if field in blocks:
                continue
            for node in value if isinstance(value, list) else [value]:
                if isinstance(node, ast.AST):
                    self.expr(node, owner, func)

    def expr(self, root: ast.AST, owner: str, func, in_class_body: bool = False) -> None:
        parents: dict[ast.AST, ast.AST] = {}
        stack = [root]
        while stack:
            node = stack.pop()
            children = list(child_nodes(node))
            for child in children:
                if isinstance(child, (ast.Name, ast.Attribute, ast.Call, ast.Dict)):
                    parents[child] = node  # the only nodes whose parent is asked
            if isinstance(node, (ast.Name, ast.Attribute)) and _capitalised(node) and isinstance(node.ctx, ast.Load):
                parent = parents.get(node)
                if isinstance(parent, ast.Attribute):
                    continue  # `forms.ModelForm`: the outer attribute is the reference
                self.reference(node, parent, parents, owner, func, in_class_body)
                if isinstance(node, ast.Attribute):
                    continue
            stack.extend(children)

    def reference(self, node, parent, parents, owner: str, func, in_class_body: bool) -> None:
        if isinstance(parent, ast.keyword) and parent.arg in _DOC_KEYWORDS:
            self.add(node, "doc", owner)
        elif (
            isinstance(parent, ast.Call)
            and parent.func is node
            and isinstance(parents.get(parent), ast.keyword)
            and parents[parent].arg in _DOC_KEYWORDS
        ):
            self.add(node, "doc", owner)  # `extend_schema(request=S())`: an instance documents it too
        elif _documents_a_response(parent, parents):
            self.add(node, "doc", owner)  # drf-yasg's `responses={201: S}`: the view builds the answer
        elif isinstance(parent, ast.Call) and parent.func is node:
            if in_class_body and parents.get(parent) is not None and _assigned_in_body(parent, parents):
                self.add(node, "field", owner)
            elif self.input_call(parent, parents, func, updates=True):
                # `X(data=...)`, or `X(obj, data=...)` saved and never read through `.data`
                self.add(node, "input", owner)
            elif _unbound(parent):
                self.add(node, "unbound", owner)  # `ShareForm(initial=...)`: rendered, never bound
            else:
                self.add(node, "output" if _may_save(parent) else "read", owner)
        elif (
            self.view_input
            and not self.dropped  # handlers that drop their data: judged by which (view-dropped)
            and in_class_body
            and isinstance(parent, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == "serializer_class" for t in parent.targets)
        ):
            self.add(node, "view-input", owner)  # the index checks the view's bases write nothing
        elif in_class_body and isinstance(parent, ast.Assign) and len(parent.targets) == 1:
            target = parent.targets[0]
            name = target.id if isinstance(target, ast.Name) else ""
            action = (
                self.methods.get(name.removesuffix("_serializer_class")) if name.endswith("_serializer_class") else None
            )
            if name == "serializer_class" and self.dropped:
                self.add(node, f"view-dropped:{self.dropped}", owner)
            elif action is not None and self.action_input_only(action):
                self.add(node, "input", owner)  # waldur's `change_password_serializer_class`
            else:
                self.add(node, "output", owner)
        else:
            self.add(node, "output", owner)

    def action_input_only(self, method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
        """Does the action call its serializer (`self.get_serializer(...)`) only with `data=`
        (an `instance=` too: an update), reading nothing but `.is_valid()`, `.save()`...?"""
        parents: dict[ast.AST, ast.AST] = {}
        own = []
        for node in all_nodes(method):
            for child in child_nodes(node):
                parents[child] = node
            if isinstance(node, ast.Call) and _own_serializer(node.func):
                own.append(node)
        return bool(own) and all(self.input_call(call, parents, method, updates=True) for call in own)

    def input_call(self, call: ast.Call, parents, func, updates: bool = False) -> bool:
        """`X(data=...)` whose result is only validated: `.is_valid()`, `.validated_data`...
        With `updates`, `X(instance=obj, data=...)` too (validated and saved, never written out)."""
        refused = (None,) if updates else ("instance", None)
        if len(call.args) > (1 if updates else 0) or any(k.arg in refused for k in call.keywords):
            return False  # with `updates`, the instance may come first: `X(obj, data=...)`
        if not any(k.arg == "data" for k in call.keywords):
            return False
        parent = parents.get(call)
        if isinstance(parent, ast.Attribute):
            return parent.attr not in _OUTPUT_ATTRS
        if isinstance(parent, ast.Assign) and func is not None and len(parent.targets) == 1:
            target = parent.targets[0]
            if isinstance(target, ast.Name):
                return _only_validated(func, target.id, parent)
        return False


def _unbound(call: ast.Call) -> bool:
    """A call given no positional argument and no `data`/`files` (nor `**kwargs` that may
    hold them): a form made so is only rendered, it can save nothing."""
    return not call.args and not any(k.arg in ("data", "files", "instance", None) for k in call.keywords)


def _may_save(call: ast.Call) -> bool:
    """Could the instance this call makes be saved? A serializer saves only what it was given
    as `data` (the second positional argument, or `**kwargs` that may hold it)."""
    return (
        len(call.args) > 1
        or any(isinstance(a, ast.Starred) for a in call.args)
        or any(k.arg in ("data", None) for k in call.keywords)
    )


_HANDLERS = ("get", "post", "put", "patch", "delete")


# The generic views' action each handler runs (`post()` calls `self.create()`): overriding the
# action overrides what the handler answers
_ACTIONS = {"post": "create", "put": "update", "patch": "partial_update", "delete": "destroy"}
_METHODS = dict[str, "ast.FunctionDef | ast.AsyncFunctionDef"]


def _handler_drops(handler: str, methods: _METHODS) -> bool:
    """Does the class's `handler` (or, not overridden, the action it runs: `create()` for
    `post`, `update()` for `patch` too when `partial_update()` is DRF's) drop its data?"""
    if handler in methods:
        return _drops_data(methods[handler])
    action = _ACTIONS.get(handler)
    if action == "partial_update" and action not in methods:
        action = "update"  # DRF's partial_update() calls self.update()
    return action in methods and _drops_data(methods[action])


def _drops_data(method: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """A handler that sets its response's data to None and returns that response, or returns
    only `Response()`s with no data (jumpserver's `create()` answering `Response(status=201)`):
    nothing a serializer made is written out."""
    dropped = {
        t.value.id
        for stmt in all_nodes(method)
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant) and stmt.value.value is None
        for t in stmt.targets
        if isinstance(t, ast.Attribute) and t.attr == "data" and isinstance(t.value, ast.Name)
    }
    returns = [n for n in all_nodes(method) if isinstance(n, ast.Return)]
    for ret in returns:
        value = ret.value
        if isinstance(value, ast.Name) and value.id in dropped:
            continue
        if (
            isinstance(value, ast.Call)
            and (called_name(value.func) or "").endswith("Response")
            and not value.args
            and all(k.arg not in ("data", None) for k in value.keywords)
        ):
            continue  # `Response(status=201)`
        return False
    return bool(returns)


def _own_serializer(func: ast.expr) -> bool:
    """`self.get_serializer`, `self.serializer_class`, `self.get_serializer_class()`."""
    if isinstance(func, ast.Call):
        func = func.func
        return isinstance(func, ast.Attribute) and func.attr == "get_serializer_class" and _is_self(func.value)
    return (
        isinstance(func, ast.Attribute) and func.attr in ("get_serializer", "serializer_class") and _is_self(func.value)
    )


def _is_self(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "self"


def _assigned_in_body(call: ast.Call, parents) -> bool:
    parent = parents.get(call)
    return isinstance(parent, (ast.Assign, ast.AnnAssign)) and parent.value is call


def _only_validated(func, name: str, assign: ast.Assign) -> bool:
    """Every use of `name` in the function, up to the line that binds it again, reads an input
    attribute of it (`serializer = DeviceSerializer(device)` later starts another value)."""
    parents: dict[ast.AST, ast.AST] = {}
    loads: list[ast.Name] = []
    stores: list[ast.Name] = []
    for node in all_nodes(func):
        for child in child_nodes(node):
            parents[child] = node
        if isinstance(node, ast.Name) and node.id == name and node is not assign.targets[0]:
            (loads if isinstance(node.ctx, ast.Load) else stores).append(node)
    later = [s.lineno for s in stores if s.lineno > assign.lineno]
    if len(later) != len(stores):
        return False  # bound before too (a loop?): which value a read sees is not followed
    until = min(later, default=None)
    for node in loads:
        if until is not None and node.lineno > until:
            continue
        parent = parents.get(node)
        if not (isinstance(parent, ast.Attribute) and parent.attr not in _OUTPUT_ATTRS):
            return False
    return True
