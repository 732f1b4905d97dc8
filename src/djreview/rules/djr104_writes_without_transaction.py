"""DJR104: a function that writes to the database twice or more, not in one transaction.

Outside a transaction each write commits on its own (Django's autocommit): when the second
write fails, or the process dies between them, the first stays, and the data is half-changed
(an order without its items, a transfer debited and not credited). ``transaction.atomic()``
makes them one change.

Writes: ``save()`` (a form's or a serializer's too, not ``save(commit=False)``), ``create()``,
``get_or_create()``, ``update_or_create()``, ``update()`` of a queryset, ``delete()``,
``bulk_create()``/``bulk_update()``, and ``add``/``set``/``remove``/``clear`` on a related
manager. A call site counts once, in a loop too (DJR102 speaks about loops). Not writes: a
cache's or a storage's ``delete``/``set``, ``dict.update()``, a ``set.add()``, ``save()`` with a
positional argument (a file, an image).

In one transaction, so not reported:
- inside one ``with transaction.atomic():`` block, or a function decorated ``@transaction.atomic``
  (a class decorated with ``method_decorator(atomic, ...)`` too);
- a function every call of which in the project (tests aside) runs inside ``atomic()``, or in a
  function of which that holds, up to three callers up (ProjectIndex.only_called_in_transaction);
  a method's calls through ``self`` in an unrelated class are not its calls (two managers'
  ``commit()``);
- a view (a function taking ``request``, a method of a Django or DRF view class) when the
  production ``DATABASES`` set ``ATOMIC_REQUESTS``, unless it is ``@non_atomic_requests``; then
  a call from a view class's method also counts as inside a transaction for the callers rule;
- the ModelAdmin methods Django's admin calls inside its own ``atomic()`` (``save_model``,
  ``save_related``, ``save_formset``, ``delete_model``...).
An earlier ``get_or_create()`` does not count (a retry finds its row), nor the same row saved
again (a checkpoint), nor the same ``bulk_create(batch)`` written again (a batch flushed in a
loop and after it), nor writes each in its own ``atomic()`` block (or savepoints managed by hand), nor a write
alone in a ``try`` whose handler only logs (best effort by design), nor a function whose
writes are all deletes (a clean-up). Two writes that never run one after the other (the ``if`` and ``else`` branches, a ``try``
body and its handler, a branch that returns after its write) are not counted together.
Migrations run in a transaction already; tests and management commands (one-off scripts that
often commit progress on purpose) are not reviewed, nor functions only commands call.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from djreview.fix_spec import INDENT, FixSpec, NodeEdit
from djreview.index.nodes import all_nodes, child_nodes
from djreview.index.prefilter import dotted_names
from djreview.index.project import VIEW_BASES
from djreview.rule import Rule, stdlib_tree
from djreview.syntax import dotted, literal_string
from djreview.values import FormInstance, Instance, ModelClass, Queryset, RelatedManager, SelfRef
from djreview.walk import children, descendants

_MANAGER_WRITES = frozenset({"create", "get_or_create", "update_or_create"})
_DELETES = frozenset({"delete", "clear", "remove"})
_BULK = frozenset({"bulk_create", "bulk_update"})
_M2M = frozenset({"add", "set", "remove", "clear"})
_QUERYSET_STEPS = frozenset({"objects", "filter", "exclude", "all", "select_for_update"})
# Receivers of save()/delete() that are not rows: a session, a cache, a file store.
_NOT_ROWS = ("session", "cache", "storage", "redis", "client", "bucket", "file", "image", "thumbnail", "zip")
# Keywords of a save()/delete() that is not Django's (which takes `using`): a Redis pipeline.
_STORE_KEYWORDS = frozenset({"connection", "pipeline", "pipe"})
# ModelAdmin methods Django's admin runs inside its own transaction.atomic() (changeform_view,
# delete_view).
_ADMIN_ATOMIC = frozenset(
    {"save_model", "save_related", "save_formset", "delete_model", "construct_change_message", "response_add"}
)
# Calls that manage a transaction by hand (savepoints, autocommit off, commit/rollback).
_MANUAL_TRANSACTIONS = ("savepoint", "savepoint_commit", "savepoint_rollback", "set_autocommit", "set_rollback")
# Django's view classes (DRF's are asked of the index: a serializer's bases are DRF's too)


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SAVED_BY_DRF = ("create", "update")  # a serializer's, called by `serializer.save()`
_WRITE_METHODS = _MANAGER_WRITES | _BULK | _M2M | {"update", "save", "delete"}  # by name: maybe a write


def _writes_twice(node: ast.AST, index, owner: str, module: str) -> bool:
    """Before the CST: a function (not decorated atomic, not only called inside a transaction)
    with two call sites or more that may write, not all deletes nor `save(commit=False)`, one
    of them outside every `with atomic():` block (writes each in a transaction are never
    reported); a nested function's calls are its own, as the walk counts them."""
    if not isinstance(node, _FUNCTIONS) or any(_names_atomic(d) for d in node.decorator_list):
        return False
    methods: list[tuple[str, bool]] = []  # (method, inside an atomic block)
    stack: list[tuple[ast.AST, bool]] = [(child, False) for child in node.body]
    while stack:
        child, inside = stack.pop()
        if isinstance(child, _FUNCTIONS):
            continue
        if isinstance(child, (ast.With, ast.AsyncWith)) and any(
            _opens_transaction(i.context_expr) for i in child.items
        ):
            stack.extend((item, inside) for item in child.items)
            stack.extend((statement, True) for statement in child.body)
            continue
        if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute):
            method = child.func.attr
            positional = any(not isinstance(a, ast.Starred) for a in child.args)  # `*args` is not one
            uncommitted = any(
                k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
                for k in child.keywords
            )
            written = method in _WRITE_METHODS and not (method in ("update", "save", "delete") and positional)
            if written and not (method == "save" and uncommitted):
                methods.append((method, inside))
        stack.extend((grandchild, inside) for grandchild in child_nodes(child))
    if len(methods) < 2 or all(m == "delete" for m, _ in methods) or all(inside for _, inside in methods):
        return False
    if index.only_called_in_transaction(node.name, owner) or index.only_called_from_commands(node.name):
        return False
    return not (
        owner and node.name in _SAVED_BY_DRF and index.serializer_saved_in_transaction(f"{module}.{owner}", node.name)
    )


def _batch(call: cst.Call) -> bool:
    """`bulk_create(batch)`/`bulk_update(batch, ...)`: written again word for word, it flushes
    the rest of one batch (in a loop, then after it), not a second kind of row."""
    return isinstance(call.func, cst.Attribute) and call.func.attr.value in ("bulk_create", "bulk_update")


def _opens_transaction(expr: ast.expr) -> bool:
    """The stdlib twin of `_is_atomic`: `transaction.atomic()`, `atomic(using=...)`, a project
    context manager named for a transaction."""
    if isinstance(expr, ast.Call):
        expr = expr.func
    last = (dotted_names(expr) or [""])[-1].lower()
    return "atomic" in last or "transaction" in last


def _names_atomic(decorator: ast.expr) -> bool:
    """The stdlib twin of `_decorated(node, "atomic")`."""
    return any(
        isinstance(n, ast.Name) and n.id == "atomic" or isinstance(n, ast.Attribute) and n.attr == "atomic"
        for n in all_nodes(decorator)
    )


@dataclass
class _Write:
    call: cst.Call
    text: str  # the call as written, shortened
    transaction: int | None  # id of the outermost atomic block around it, None: autocommit
    row: str | None = None  # save()/delete() of a name: the row it writes (`payment`)
    delete: bool = False
    fetch_or_create: bool = False  # get_or_create(): a retry finds the row, nothing is half-done
    returned: bool = False  # `host = form.save()`: the row is the name its result is bound to


@dataclass
class _Function:
    node: cst.FunctionDef
    atomic: bool  # decorated, or covered by its callers / ATOMIC_REQUESTS / the admin
    writes: list[_Write]
    blocks: list[int]  # ids of the open atomic `with` blocks, outermost first
    built: dict[str, str | None] = field(default_factory=dict)  # `form = YearMonthForm(...)`: name -> class
    changes: list[tuple[int, str]] = field(default_factory=list)  # `host.owner = u`: (writes so far, "host")


def _is_atomic(expr: cst.BaseExpression) -> bool:
    """`transaction.atomic()`, `atomic(using=...)`, and the project's own transaction context
    managers (`rolledback_transaction()`, `transaction_with_retry()`)."""
    if isinstance(expr, cst.Call):
        expr = expr.func
    last = (dotted(expr) or [""])[-1].lower()
    return "atomic" in last or "transaction" in last


# Model signals Django sends inside its own atomic block: Collector.delete() sends pre_delete and
# post_delete in one, and the related managers' add()/remove()/set()/clear() send m2m_changed in one.
_SENT_IN_TRANSACTION = frozenset({"pre_delete", "post_delete", "m2m_changed"})
# Sent by the save itself, in whatever transaction the saving code runs: a view's, under ATOMIC_REQUESTS
_SENT_BY_SAVE = frozenset({"pre_save", "post_save"})


def _receives(node: cst.FunctionDef, sent: frozenset[str] = _SENT_IN_TRANSACTION) -> bool:
    """`@receiver(post_delete, sender=CustomField)`: its writes join the deletion's transaction
    (paperless-ngx's cleanup of saved views when a custom field is deleted)."""
    for decorator in node.decorators:
        call = decorator.decorator
        if not (isinstance(call, cst.Call) and (dotted(call.func) or [""])[-1] == "receiver" and call.args):
            continue
        signal = call.args[0].value
        signals = [e.value for e in signal.elements] if isinstance(signal, (cst.List, cst.Tuple)) else [signal]
        names = [(dotted(s) or [""])[-1] for s in signals]
        if names and all(name in sent for name in names):
            return True
    return False


def _decorated(node: cst.FunctionDef | cst.ClassDef, name: str) -> bool:
    """A decorator that is `name` or mentions it (`method_decorator(transaction.atomic, ...)`)."""
    for decorator in node.decorators:
        stack: list[cst.CSTNode] = [decorator.decorator]
        while stack:
            current = stack.pop()
            if isinstance(current, cst.Name) and current.value == name:
                return True
            if isinstance(current, cst.Attribute) and current.attr.value == name:
                return True
            stack.extend(children(current))
    return False


class WritesWithoutTransaction(Rule):
    code = "DJR104"
    name = "writes-without-transaction"
    fixable = True
    triggers = ("save(", "create(", "update(", "delete(", "bulk_", ".add(", ".set(", ".remove(", ".clear(")
    skip_kinds = frozenset({"migrations", "tests", "commands"})

    def wants(self, text, facts, index, prefilter) -> bool:
        """Only a file with a function or method that writes rows (the index's summaries:
        save, delete, create, bulk and queryset writes) is parsed: the triggers alone matched
        most of Django's source (`.update(` of dicts, `.add(` of sets) and doubled a cold run.
        A function whose only writes are M2M `add`/`set`/`remove`/`clear` is not seen."""
        if not super().wants(text, facts, index, prefilter):
            return False
        methods = (summary for cls in facts.classes for summary in cls.summaries.values())
        if not any(summary.writes for summary in (*facts.functions.values(), *methods)):
            return False
        tree = stdlib_tree(prefilter)
        if tree is None:
            return True
        owners = {  # a method -> its class's name
            id(stmt): cls.name
            for cls in all_nodes(tree)
            if isinstance(cls, ast.ClassDef)
            for stmt in cls.body
            if isinstance(stmt, _FUNCTIONS)
        }
        return any(_writes_twice(node, index, owners.get(id(node), ""), facts.module) for node in all_nodes(tree))

    def start(self, ctx) -> None:
        super().start(ctx)
        self.assigned: dict[int, str] = {}  # call -> the name its result (first item) is bound to
        self.functions: list[_Function] = []
        self.classes: list[cst.ClassDef] = []
        self.statements: list[cst.BaseStatement] = []  # the innermost statement being walked

    # -- scopes --------------------------------------------------------------------------------
    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.append(node)

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.classes.pop()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(_Function(node, self._covered(node), [], []))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        function = self.functions.pop()
        if not function.atomic and len(function.writes) >= 2:
            self._judge(function)

    def visit_Assign(self, node: cst.Assign) -> None:
        for assigned in node.targets:
            changed = assigned.target
            owner = _owner(changed.value) if isinstance(changed, (cst.Attribute, cst.Subscript)) else None
            if self.functions and owner is not None:
                self.functions[-1].changes.append((len(self.functions[-1].writes), owner))
        if len(node.targets) != 1 or not isinstance(node.value, cst.Call):
            return
        target: cst.BaseExpression = node.targets[0].target
        if isinstance(target, cst.Tuple) and target.elements:
            target = target.elements[0].value  # obj, created = get_or_create(...)
        if isinstance(target, cst.Name):
            self.assigned[id(node.value)] = target.value
            if self.functions and node.targets[0].target is target:
                self.functions[-1].built[target.value] = self.ctx.flow.qualify(node.value.func)
        elif isinstance(target, cst.Attribute) and (parts := dotted(target)):
            self.assigned[id(node.value)] = ".".join(parts)  # `cls._backend = create()`

    def visit_With(self, node: cst.With) -> None:
        if self.functions and any(_is_atomic(item.item) for item in node.items):
            self.functions[-1].blocks.append(id(node))

    def leave_With(self, node: cst.With) -> None:
        if self.functions and self.functions[-1].blocks and self.functions[-1].blocks[-1] == id(node):
            self.functions[-1].blocks.pop()

    def _in_method(self, node: cst.FunctionDef) -> cst.ClassDef | None:
        """The class whose method `node` is (not a function nested in a method)."""
        if not self.classes:
            return None
        cls = self.classes[-1]
        body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
        return cls if any(stmt is node for stmt in body) else None

    def _covered(self, node: cst.FunctionDef) -> bool:
        """Does every write of this function run in one transaction opened outside it?"""
        if _decorated(node, "atomic") or _receives(node):
            return True
        cls = self._in_method(node)
        if cls is not None and _decorated(cls, "atomic"):
            return True
        index = self.ctx.index
        if index.only_called_in_transaction(node.name.value, cls.name.value if cls is not None else ""):
            return True
        if index.only_called_from_commands(node.name.value):
            return True  # a helper only management commands drive: run offline, as they are
        if (
            cls is not None
            and node.name.value in _SAVED_BY_DRF
            and index.serializer_saved_in_transaction(self.ctx.flow.class_qualname(cls.name.value), node.name.value)
        ):
            return True  # a serializer's create()/update(), saved by views in atomic hooks
        bases = index.base_refs(self.ctx.flow.class_qualname(cls.name.value)) if cls is not None else ()
        if (
            cls is not None
            and node.name.value in _ADMIN_ATOMIC
            and index.is_admin_class(self.ctx.flow.class_qualname(cls.name.value))
        ):
            return True
        if _receives(node, _SENT_BY_SAVE) and index.atomic_requests():
            return True  # lookit's post_save receiver of a new user: users are saved in requests
        qual = self.ctx.flow.class_qualname(cls.name.value) if cls is not None else ""
        is_view = (
            cls is not None and (any(b.startswith(VIEW_BASES) for b in bases) or index.class_kind(qual) == "drf-view")
        ) or (
            cls is None
            and bool(node.params.params)
            and node.params.params[0].name.value == "request"
            and len(self.functions) == 0
        )
        if cls is not None and not is_view and index.atomic_requests() and index.unread_project_bases(qual):
            return True  # a base in a file the index cannot read: maybe a view, and a doubt raises nothing
        return is_view and not _decorated(node, "non_atomic_requests") and index.atomic_requests()

    # -- writes --------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if not self.functions:
            return
        function = self.functions[-1]
        if isinstance(node.func, cst.Attribute) and node.func.attr.value != "save":
            owner = _owner(node.func.value)  # `row.pend()`, `row.data["nodes"].append(x)`: it may change
            if owner is not None:
                function.changes.append((len(function.writes), owner))
        if function.atomic:
            return
        text = self._write(node)
        if text is None:
            return
        func = node.func
        method = func.attr.value if isinstance(func, cst.Attribute) else ""
        row = self.assigned.get(id(node))  # order = Order.objects.create(): the row `order`
        returned = method == "save" and row is not None
        if method in ("save", "delete") and _is_super(func):
            row, returned = "self", False  # `ret = super().save()` in save(): self's row, whatever it returns
        elif method in ("save", "delete") and isinstance(func, cst.Attribute):
            # `host = form.save()`: the row is `host`, saved again by `host.save()`
            row = row if returned else self.ctx.module.code_for_node(func.value)
        elif method == "update" and isinstance(func, cst.Attribute):
            row = self._one_row(func.value) or row
        transaction = function.blocks[0] if function.blocks else None
        function.writes.append(
            # a many-to-many `clear()`/`remove()` deletes link rows: with deletes, a clean-up
            _Write(node, text, transaction, row, method in _DELETES, method == "get_or_create", returned)
        )

    def _one_row(self, receiver: cst.BaseExpression) -> str | None:
        """`Process.objects.filter(pk=self.process_id)`: the one row a queryset `update()`
        writes, as `Process.objects[pk=self.process_id]`, so that writing it again is the same
        row (a checkpoint); a queryset held in a name (`batch.update(status="P")`, a send,
        `batch.update(status="S")`) writes the same rows each time; None for any other."""
        if isinstance(receiver, cst.Name):
            return f"{receiver.value}[*]"
        if not (isinstance(receiver, cst.Call) and isinstance(receiver.func, cst.Attribute)):
            return None
        if receiver.func.attr.value != "filter" or len(receiver.args) != 1:
            return None
        arg = receiver.args[0]
        if arg.keyword is None or arg.keyword.value not in ("pk", "id"):
            return None
        code = self.ctx.module.code_for_node
        value = arg.value
        if isinstance(value, cst.Attribute) and value.attr.value in ("pk", "id") and isinstance(value.value, cst.Name):
            # healthchecks' `n.save()`, a send, `Notification.objects.filter(id=n.id).update(...)`:
            # the row `n` written again, when `n` is a row of the manager's model
            row = self.ctx.flow.infer(value.value)
            manager = self.ctx.flow.infer(receiver.func.value)
            if isinstance(row, Instance) and getattr(manager, "model", None) == row.model:
                return value.value.value
            if isinstance(row, SelfRef) and getattr(manager, "model", None) == row.frame.qualname:
                return value.value.value  # WebODM's `self.save()`, then `Task.objects.filter(pk=self.id).update()`
        return f"{code(receiver.func.value)}[pk={code(value)}]"

    def _write(self, call: cst.Call) -> str | None:
        """The write as written (`Order.objects.create()`), or None when `call` is no write."""
        func = call.func
        if not isinstance(func, cst.Attribute):
            return None
        method = func.attr.value
        if method not in _WRITE_METHODS:
            return None  # most calls: the receiver's code and value are not worth computing
        positional = any(a.keyword is None and not a.star for a in call.args)
        receiver = func.value
        value = self.ctx.flow.infer(receiver)
        steps = _steps(receiver)
        shown = _shown(self.ctx.module.code_for_node(receiver))
        written = f"{shown}.{method}()"
        if method in _BULK:
            return written if isinstance(value, (Queryset, RelatedManager)) or "objects" in steps else None
        if method in _MANAGER_WRITES:
            if positional and not isinstance(value, (Queryset, RelatedManager)):
                return None
            if isinstance(value, (Queryset, RelatedManager)) or "objects" in steps:
                return written
            return None
        if method == "update":
            if positional:
                return None
            if isinstance(value, Queryset) or (not value and _QUERYSET_STEPS.intersection(steps)):
                return written
            return None
        if method in _M2M:
            return written if isinstance(value, RelatedManager) and value.target else None
        if method in ("save", "delete"):
            if positional or any(
                a.keyword is not None and a.keyword.value == "commit" and _false(a.value) for a in call.args
            ):
                return None
            if any(a.keyword is not None and a.keyword.value in _STORE_KEYWORDS for a in call.args):
                return None  # `job.save(connection=pipe)`: a Redis-backed object, no row
            if method == "save" and self._commit_false_in_kwargs(call):
                return None  # `kwargs["commit"] = False` then `super().save(*args, **kwargs)`
            if method == "save" and isinstance(receiver, cst.Name) and self.functions:
                built = self.functions[-1].built.get(receiver.value)
                if self.ctx.index.saves_nothing(built):
                    return None  # a plain Form whose save() returns dates: no row
            if isinstance(value, (Instance, FormInstance, Queryset, RelatedManager)):
                return written
            if isinstance(value, ModelClass) or (method == "save" and isinstance(value, Queryset)):
                return None
            if isinstance(receiver, cst.Attribute) and self._field_value(receiver):
                return None  # `user.avatar.delete()`: a FieldFile, a file in the storage
            last = (steps[-1] if steps else shown).lower()
            if any(word in last for word in _NOT_ROWS):
                return None
            return written
        return None

    def _commit_false_in_kwargs(self, call: cst.Call) -> bool:
        """`save(**kwargs)` where the function sets `kwargs["commit"] = False` first."""
        names = {a.value.value for a in call.args if a.star == "**" and isinstance(a.value, cst.Name)}
        if not names or not self.functions:
            return False
        stack: list[cst.CSTNode] = [self.functions[-1].node.body]
        while stack:
            node = stack.pop()
            if isinstance(node, cst.Assign) and _false(node.value):
                for target in node.targets:
                    item = target.target
                    if (
                        isinstance(item, cst.Subscript)
                        and isinstance(item.value, cst.Name)
                        and item.value.value in names
                        and len(item.slice) == 1
                        and isinstance(item.slice[0].slice, cst.Index)
                        and literal_string(item.slice[0].slice.value) == "commit"
                    ):
                        return True
            elif not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
                stack.extend(children(node))
        return False

    def _field_value(self, receiver: cst.Attribute) -> bool:
        """`row.<field>` where the field is no relation of the row's model, or (the row's
        model unknown: `user.profile.avatar`) a name only file fields of the project bear."""
        owner = self.ctx.flow.infer(receiver.value)
        if not isinstance(owner, Instance):
            return self.ctx.index.file_field_name(receiver.attr.value)
        info = self.ctx.index.model(owner.model)
        return info is not None and receiver.attr.value not in info.relations

    # -- judging -------------------------------------------------------------------------------
    def _judge(self, function: _Function) -> None:
        writes = function.writes
        made = [i for i, w in enumerate(writes) if w.fetch_or_create]
        if all(w.delete or w.fetch_or_create for w in writes) and all(
            i > made[-1] for i, w in enumerate(writes) if w.delete and made
        ):
            # a clean-up (after making sure some rows exist): stopped half-way, it leaves
            # nothing half-written, a retry ends it; not a delete before the rows that replace
            # what it deleted (hyperkitty's tags)
            return
        if self._bulk_upsert(writes):
            return
        if all(_self_selecting(w.call) for w in writes) and not _linked(writes):
            # each `update()` picks the rows not yet in the state it sets (MetaDeploy's scrub:
            # `filter(error__isnull=False).update(error=None)` on two tables): stopped half-way,
            # the next run picks up exactly what is left
            return
        body = self.ctx.module.code_for_node(function.node.body)
        if "in_atomic_block" in body:
            return  # checks that its caller opened a transaction
        if any(f"{name}(" in body for name in _MANUAL_TRANSACTIONS):
            return  # savepoints or commits by hand: the author manages the transaction
        paths = _Paths(function.node.body)
        optional = {id(w.call) for w in writes if _best_effort(paths, w, writes)}
        for i, write in enumerate(writes):
            if _undoes_and_raises(paths, write):
                continue  # `except: obj.delete(); raise`: it undoes the earlier write by hand
            if id(write.call) in optional:
                continue
            earlier = [
                w
                for w in writes[:i]
                if _may_precede(paths, w.call, write.call)
                and not w.fetch_or_create
                and id(w.call) not in optional
                # the same row again: a checkpoint
                and not (w.row is not None and w.row == write.row and not self._changed(function, w, write))
                and not (_batch(w.call) and self._same_code(w.call, write.call))  # a batch flushed again
                and not (
                    w.transaction is not None and write.transaction is not None and w.transaction != write.transaction
                )
                and not self._upsert(paths, w, write)
                and not _ensures_row(paths, w, write)
                and not _created_or_fetched(paths, w)
            ]
            if not earlier:
                continue
            if write.transaction is not None and any(w.transaction == write.transaction for w in earlier):
                continue
            first = earlier[0]
            self._report(function, paths, first, write)
            return

    @staticmethod
    def _changed(function: _Function, first: _Write, second: _Write) -> bool:
        """The same row again is a checkpoint; but a form's row given more values before it
        is saved again (`obj = form.save(); obj.owner = u; obj.save()`, or a method of it
        called: `obj.pend()`) is half-written when the second save fails: `save(commit=False)`
        makes it one write."""
        if not first.returned:
            return False
        start, end = function.writes.index(first), function.writes.index(second)
        row = first.row or ""
        return any(
            start < at <= end and (owner == row or owner.startswith(row + ".")) for at, owner in function.changes
        )

    def _bulk_upsert(self, writes: list[_Write]) -> bool:
        """`Mapping.objects.bulk_create(missing)` and `Mapping.objects.bulk_update(existing, ...)`:
        one table's rows created or updated in batches, disjoint rows each valid alone; a
        failure between them leaves rows the next sync writes (not a delete: rows replaced)."""
        receivers, methods = set(), set()
        for write in writes:
            func = write.call.func
            if not (isinstance(func, cst.Attribute) and func.attr.value in _BULK):
                return False
            receivers.add(self.ctx.module.code_for_node(func.value))
            methods.add(func.attr.value)
        return len(receivers) == 1 and methods == _BULK  # two batches created: two kinds of rows

    def _same_code(self, one: cst.Call, two: cst.Call) -> bool:
        code = self.ctx.module.code_for_node
        return code(one) == code(two)

    def _upsert(self, paths: _Paths, first: _Write, second: _Write) -> bool:
        """`done = qs.update(...)` then `if not done: create(...)`: one of the two writes the row."""
        name = self.assigned.get(id(first.call))
        func = first.call.func
        if name is None or not (isinstance(func, cst.Attribute) and func.attr.value == "update"):
            return False
        for node in paths.path(second.call):
            if isinstance(node, cst.If):
                test = node.test
                if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
                    test = test.expression
                if isinstance(test, cst.Name) and test.value == name:
                    return True
        return False

    def _report(self, function: _Function, paths: _Paths, first: _Write, write: _Write) -> None:
        name = function.node.name.value
        together = [w for w in function.writes]
        message = (
            f"{name}() writes to the database {len(together)} times outside one transaction: "
            f"{first.text} (line <line:first>) and {write.text} commit separately, so a failure between "
            f"them leaves the first change without the second."
        )
        hint = "Wrap the writes in `with transaction.atomic():` (or decorate the function with @transaction.atomic)."
        fix = self._fix(function, paths) or FixSpec("wrap the writes in `with transaction.atomic():`", "suggestion")
        self.report(write.call, message, fix, lines={"first": first.call}, hint=hint)

    def _fix(self, function: _Function, paths: _Paths) -> FixSpec | None:
        """`with transaction.atomic():` around the statements from the first write to the last,
        when they are consecutive statements of one block and `transaction` is imported."""
        imports = self.ctx.facts.imports
        if imports.get("transaction") == "django.db.transaction":
            opener = "transaction.atomic()"
        elif imports.get("atomic") == "django.db.transaction.atomic":
            opener = "atomic()"
        else:
            return None
        if any(w.transaction is not None for w in function.writes):
            return None
        block = _block_holding(paths, function.node.body, [w.call for w in function.writes])
        if block is None:
            return None
        inner, first, last = block
        statements = inner.body[first : last + 1]
        module = self.ctx.module
        lines = [f"{INDENT}with {opener}:\n"]
        for statement in statements:
            code = module.code_for_node(statement)
            lines.extend(f"{INDENT}    {line}" if line.strip() else line for line in code.splitlines(keepends=True))
        replacement = "".join(lines)
        if not replacement.endswith("\n"):
            replacement += "\n"
        edit = NodeEdit(
            statements[0], replacement, "lines", indent_like=statements[0], end_at=statements[-1], end_side="end"
        )
        return FixSpec(
            f"wrap the writes in `with {opener}:` (unsafe: an error now undoes the earlier writes too)",
            "unsafe",
            (edit,),
        )


def _owner(node: cst.BaseExpression) -> str | None:
    """The dotted name an item or call chain is on (`self.object.data["nodes"]`:
    "self.object.data"), None when it does not start at a name."""
    while isinstance(node, (cst.Subscript, cst.Call)):
        node = node.func if isinstance(node, cst.Call) else node.value
    parts = dotted(node)
    return ".".join(parts) if parts else None


def _false(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "False"


def _steps(node: cst.BaseExpression) -> list[str]:
    """`Book.objects.filter(x=1)` -> ["Book", "objects", "filter"]."""
    parts: list[str] = []
    while True:
        if isinstance(node, cst.Call):
            node = node.func
        elif isinstance(node, cst.Attribute):
            parts.append(node.attr.value)
            node = node.value
        elif isinstance(node, cst.Name):
            parts.append(node.value)
            break
        else:
            break
    return parts[::-1]


def _shown(code: str) -> str:
    code = " ".join(code.split())
    return code if len(code) <= 40 else code[:37] + "..."


class _Paths:
    """The path from a function body down to any node in it, from one walk recording each
    node's parent: judging n writes asks for n*n paths, and a search per path was quadratic
    in the body's size."""

    def __init__(self, body: cst.CSTNode):
        self.body = body
        self.parent: dict[int, cst.CSTNode] = {}
        stack = [body]
        while stack:
            node = stack.pop()
            for child in children(node):
                self.parent[id(child)] = node
                stack.append(child)

    def path(self, target: cst.CSTNode) -> list[cst.CSTNode]:
        """The nodes from the body down to `target` (both included), or [] when it is not there."""
        path = [target]
        node = target
        while node is not self.body:
            up = self.parent.get(id(node))
            if up is None:
                return []
            path.append(up)
            node = up
        return path[::-1]

    def holds(self, block: cst.CSTNode, target: cst.CSTNode) -> bool:
        return any(node is block for node in self.path(target))


def _undoes_and_raises(paths: _Paths, write: _Write) -> bool:
    """A write in an `except` handler that raises again: the compensation for a failure
    (`self.delete(); raise`), not a change that must land with the others."""
    for node in paths.path(write.call):
        if isinstance(node, cst.ExceptHandler) and isinstance(node.body, cst.IndentedBlock):
            last = node.body.body[-1] if node.body.body else None
            if isinstance(last, cst.SimpleStatementLine) and any(isinstance(s, cst.Raise) for s in last.body):
                return True
    return False


def _best_effort(paths: _Paths, write: _Write, writes: list[_Write]) -> bool:
    """The only write of a `try` whose handler goes on without returning or raising (it logs,
    or passes): its failure is tolerated by design (a history row, a counter), so nothing is
    half-done without it; inside `atomic()` the swallowed error would even break the
    transaction. A `try` holding several writes is a unit that may fail half-way."""
    for node in paths.path(write.call):
        if not isinstance(node, cst.Try) or not paths.holds(node.body, write.call):
            continue
        if any(w is not write and paths.holds(node.body, w.call) for w in writes):
            return False
        return any(_catches_write_errors(h) for h in node.handlers) and all(_goes_on(h) for h in node.handlers)
    return False


# Exceptions a failing write raises: a handler catching only `DoesNotExist` tolerates a lookup
# that finds nothing (`try: obj.link.delete() except Link.DoesNotExist: pass`), not the write.
_WRITE_ERRORS = frozenset({"Exception", "BaseException", "DatabaseError", "IntegrityError", "OperationalError"})


def _caught(handler: cst.ExceptHandler) -> list[str] | None:
    """The last names of the exceptions a handler catches (`IntegrityError`, `DoesNotExist`);
    None for a bare `except:`, which catches everything."""
    caught = handler.type
    if caught is None:
        return None
    items = [e.value for e in caught.elements] if isinstance(caught, cst.Tuple) else [caught]
    return [(dotted(item) or [""])[-1] for item in items]


def _catches_write_errors(handler: cst.ExceptHandler) -> bool:
    names = _caught(handler)
    return names is None or any(name in _WRITE_ERRORS for name in names)


def _goes_on(handler: cst.ExceptHandler) -> bool:
    stack: list[cst.CSTNode] = [handler.body]
    while stack:
        node = stack.pop()
        if isinstance(node, (cst.Return, cst.Raise)):
            return False
        if not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            stack.extend(children(node))
    return True


def _created_or_fetched(paths: _Paths, write: _Write) -> bool:
    """`try: row = Model.objects.create(...)` whose `except IntegrityError:` fetches the row
    another worker made (`Model.objects.get(...)`), or a `create()` in the `except
    Model.DoesNotExist:` of a `get()` through the same manager: a `get_or_create()` written by
    hand (socialhome's preview cache, joanie's course sync). A retry finds the row; nothing is
    half-done without the rest."""
    func = write.call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "create"):
        return False
    manager = dotted(func.value)
    if manager is None:
        return False
    for node in paths.path(write.call):
        if isinstance(node, cst.Try) and paths.holds(node.body, write.call):
            return any("IntegrityError" in (_caught(h) or ()) and _fetches(h.body, manager) for h in node.handlers)
        if isinstance(node, cst.Try):
            # `try: row = M.objects.get(...) except M.DoesNotExist: row = M.objects.create(...)`
            handler = next((h for h in node.handlers if paths.holds(h, write.call)), None)
            missing = handler is not None and bool({"DoesNotExist", "ObjectDoesNotExist"} & set(_caught(handler) or ()))
            if missing and _fetches(node.body, manager):
                return True
    return False


def _fetches(block: cst.CSTNode, manager: list[str]) -> bool:
    """Does the block `get()` a row through the manager that created it (`PreviewCache.objects`)?"""
    return any(
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "get"
        and dotted(node.func.value) == manager
        for node in descendants(block)
    )


def _ensures_row(paths: _Paths, write: _Write, later: _Write) -> bool:
    """`if obj is None: obj = Model.objects.create(...)`, `if not self.pk: self.save()`: the
    write only makes a row that is missing. On its own that row is a valid state, and a retry
    finds it (as `get_or_create()` does), so a failure after it leaves nothing half-written;
    unless the later write is part of making it (in the same `if`: a customer and its link)."""
    if write.row is None or write.delete:
        return False
    row = write.row.split(".")
    for node in paths.path(write.call):
        if (
            isinstance(node, cst.If)
            and paths.holds(node.body, write.call)
            and not paths.holds(node.body, later.call)
            and _tests_missing(node.test, row)
        ):
            return True
    return False


def _self_selecting(call: cst.Call) -> bool:
    """`qs.filter(error__isnull=False).update(error=None)`: a queryset `update()` each of whose
    fields its own filter or exclude looks up, so a rerun selects only the rows still to do."""
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "update"):
        return False
    updated = {a.keyword.value for a in call.args if a.keyword is not None}
    if not updated or len(updated) != len(call.args):
        return False
    looked_up: set[str] = set()
    chain = func.value
    while isinstance(chain, cst.Call) and isinstance(chain.func, cst.Attribute):
        if chain.func.attr.value in ("filter", "exclude"):
            looked_up |= {a.keyword.value.split("__")[0] for a in chain.args if a.keyword is not None}
        chain = chain.func.value
    return updated <= looked_up


def _linked(writes: list[_Write]) -> bool:
    """Does one update's filter name the rows another updates (concordia's unpublish action:
    `queryset.filter(published=True).update(...)`, then its assets `filter(item__in=queryset)`)?
    Then the two are one change, parent and children, not independent scrubs."""
    roots = set()
    for write in writes:
        node = write.call.func
        while isinstance(node, (cst.Attribute, cst.Call)):
            node = node.value if isinstance(node, cst.Attribute) else node.func
        if isinstance(node, cst.Name):
            roots.add(node.value)
    for write in writes:
        chain = write.call.func.value  # type: ignore[attr-defined]
        while isinstance(chain, cst.Call) and isinstance(chain.func, cst.Attribute):
            names = {n.value for a in chain.args for n in descendants(a.value) if isinstance(n, cst.Name)}
            if names & roots:
                return True
            chain = chain.func.value
    return False


def _is_super(func: cst.BaseExpression) -> bool:
    """`super().save` or `super(Job, self).save`: the method of the row `self`."""
    return (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Call)
        and isinstance(func.value.func, cst.Name)
        and func.value.func.value == "super"
    )


def _tests_missing(test: cst.BaseExpression, row: list[str]) -> bool:
    """`not row`, `row is None`, `not row.pk`, `row.id is None`, `row._state.adding`, and
    for an attribute `cls.backend`: `not hasattr(cls, "backend")`, `getattr(cls, "backend",
    None) is None` (rapidsms caches a mock backend on the class)."""
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        asked = _asks_attr(test.expression)
        if asked:
            return asked == row
    if (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Is)
    ):
        asked = _asks_attr(test.left)
        if asked:
            return asked == row
    if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
        tested = dotted(test.expression)
    elif (
        isinstance(test, cst.Comparison)
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].operator, cst.Is)
        and isinstance(test.comparisons[0].comparator, cst.Name)
        and test.comparisons[0].comparator.value == "None"
    ):
        tested = dotted(test.left)
    else:
        return dotted(test) == [*row, "_state", "adding"]
    return tested in (row, [*row, "pk"], [*row, "id"])


def _asks_attr(node: cst.BaseExpression) -> list[str] | None:
    """`hasattr(cls, "backend")` or `getattr(cls, "backend", None)` -> ["cls", "backend"]."""
    if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Name)):
        return None
    if node.func.value not in ("hasattr", "getattr") or len(node.args) < 2:
        return None
    owner, name = dotted(node.args[0].value), literal_string(node.args[1].value)
    return [*owner, name] if owner and name else None


def _may_precede(paths: _Paths, first: cst.Call, second: cst.Call) -> bool:
    """Can `second` run after `first` in one call of the function? Not when they sit in the
    two branches of one `if`, in a `try` body and one of its handlers (or two handlers), or when
    `first` is in a block (below where their paths part) that returns or raises after it, or
    that goes on to the next round of a loop around both (`continue`, `break`): the next round
    writes another item's rows."""
    one, two = paths.path(first), paths.path(second)
    common = 0
    while common < min(len(one), len(two)) and one[common] is two[common]:
        common += 1
    if common == 0 or common >= len(one) or common >= len(two):
        return True
    fork, a, b = one[common - 1], one[common], two[common]
    if isinstance(fork, cst.If) and {id(a), id(b)} == {id(fork.body), id(fork.orelse)}:
        return False
    if isinstance(fork, cst.Try) and isinstance(b, cst.ExceptHandler) and a is not fork.finalbody:
        return False
    for depth in range(common, len(one) - 1):
        block = one[depth]
        if not isinstance(block, cst.IndentedBlock):
            continue
        statements = list(block.body)
        holder = one[depth + 1]
        at = next((i for i, s in enumerate(statements) if s is holder), None)
        if at is None:
            continue
        # a loop between the fork and this block: its `continue`/`break` stays inside it
        inner_loop = any(isinstance(node, (cst.For, cst.While)) for node in one[common:depth])
        for statement in statements[at:]:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            if any(isinstance(x, (cst.Return, cst.Raise)) for x in statement.body):
                return False
            if not inner_loop and any(isinstance(x, (cst.Continue, cst.Break)) for x in statement.body):
                return False  # on to the next item (or out of the loop): another row's writes
    return True


def _block_holding(
    paths: _Paths, body: cst.BaseSuite, calls: list[cst.Call]
) -> tuple[cst.IndentedBlock, int, int] | None:
    """The innermost block whose statements hold every call, with the first and last of them."""
    if not isinstance(body, cst.IndentedBlock):
        return None
    held = [i for i, s in enumerate(body.body) if any(paths.holds(s, c) for c in calls)]
    if not held:
        return None
    if len(held) == 1:
        statement = body.body[held[0]]
        for child in children(statement):
            inner = child if isinstance(child, cst.IndentedBlock) else getattr(child, "body", None)
            if isinstance(inner, cst.IndentedBlock) and all(paths.holds(inner, c) for c in calls):
                if isinstance(statement, (cst.For, cst.While)):
                    break  # a transaction per iteration is another change
                found = _block_holding(paths, inner, calls)
                if found is not None:
                    return found
    return body, held[0], held[-1]
