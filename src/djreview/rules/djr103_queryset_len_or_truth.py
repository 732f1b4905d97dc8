"""DJR103: a queryset evaluated only for its size or its truth.

``len(qs)`` fetches every row to count them, where ``qs.count()`` runs ``SELECT COUNT(*)``;
``if qs:`` (``not qs``, ``bool(qs)``, ``x if qs else y``) fetches every row to learn whether
there is one, where ``qs.exists()`` fetches at most one; and ``qs.count()`` used only as a
truth value (``if qs.count():``, ``qs.count() > 0``, ``qs.count() == 0``) counts every row
where ``exists()`` stops at the first.

Not reported, because evaluating the rows once is then right:
- the name is used again in the function (iterated, indexed, passed on, returned, rendered):
  the rows ``len()`` or the test fetched are cached on the queryset and reused;
- ``len(author.books.all())`` on a relation the queryset prefetched (or may have: rows of a
  queryset djreview cannot read): it is served from the prefetch cache;
- a list (``list(qs)``, ``sorted(qs)``, a comprehension), a paginator or a page;
- a ``values()`` queryset, or what a project manager method or function returns when its
  chain ends in ``exists()``, ``count()`` or ``aggregate()`` (the tracker cannot tell them
  apart: ``Job.objects.check_perms(...)`` returning ``...exists()`` is a bool).
Only expressions the flow tracker knows to be querysets are reported.
"""

from __future__ import annotations

import libcst as cst

from djreview import orm
from djreview.fix_spec import FixSpec, NodeEdit
from djreview.rule import Rule
from djreview.rules._djr103_candidates import TruthCandidates
from djreview.values import Queryset, RelatedManager
from djreview.walk import children

_LIST_BUILDERS = frozenset({"list", "sorted", "tuple", "set", "reversed", "frozenset"})
_NOT_EVALUATING = orm.QUERYSET_RETURNING | {"count", "exists", "values", "values_list"}
# (operator, literal) pairs of `qs.count() <op> n` meaning "there is a row" / "there is none"
_SOME = {("GreaterThan", 0), ("NotEqual", 0), ("GreaterThanEqual", 1)}
_NONE = {("Equal", 0), ("LessThan", 1), ("LessThanEqual", 0)}
_FLIPPED = {"GreaterThan": "LessThan", "LessThan": "GreaterThan", "GreaterThanEqual": "LessThanEqual"}
_FLIPPED |= {v: k for k, v in _FLIPPED.items()} | {"Equal": "Equal", "NotEqual": "NotEqual"}


class _Scope:
    """Per function (or module): how often each name is used in a way that reads its rows,
    and whether some assignment makes it a list."""

    def __init__(self, body: cst.CSTNode):
        self._body = body
        self._counted: tuple[dict[str, int], set[str]] | None = None

    @property
    def uses(self) -> dict[str, int]:
        return self._count()[0]

    @property
    def listy(self) -> set[str]:
        return self._count()[1]

    def _count(self) -> tuple[dict[str, int], set[str]]:
        """Counted on the first question: most functions hold no candidate and are never asked
        (counting every function, and the module around them, up front was most of the rule's
        cost on pretix)."""
        if self._counted is None:
            self._counted = self._walk(self._body)
        return self._counted

    @staticmethod
    def _walk(body: cst.CSTNode) -> tuple[dict[str, int], set[str]]:
        uses: dict[str, int] = {}
        listy: set[str] = set()
        stack: list[tuple[cst.CSTNode, cst.CSTNode | None]] = [(body, None)]
        while stack:
            node, parent = stack.pop()
            if isinstance(node, cst.Name):
                if not (isinstance(parent, cst.Attribute) and parent.attr is node):
                    uses[node.value] = uses.get(node.value, 0) + 1
                continue
            if (
                isinstance(node, cst.Attribute)
                and isinstance(node.value, cst.Name)
                and node.attr.value in _NOT_EVALUATING
            ):
                continue  # qs.filter(...), qs.count(): a new query, not the rows of this one
            if isinstance(node, (cst.Assign, cst.AnnAssign)):
                targets = [t.target for t in node.targets] if isinstance(node, cst.Assign) else [node.target]
                if _is_list(node.value):
                    listy.update(t.value for t in targets if isinstance(t, cst.Name))
                for target in targets:
                    if isinstance(target, cst.Name):  # binding, not a use
                        if node.value is not None:
                            stack.append((node.value, node))
                        break
                else:
                    stack.extend((c, node) for c in children(node))
                continue
            stack.extend((c, node) for c in children(node))

        return uses, listy


def _is_list(value: cst.BaseExpression | None) -> bool:
    if isinstance(value, (cst.ListComp, cst.List, cst.Tuple, cst.SetComp, cst.GeneratorExp)):
        return True
    if isinstance(value, cst.Call):
        func = value.func
        if isinstance(func, cst.Name) and func.value in _LIST_BUILDERS:
            return True
        if isinstance(func, cst.Attribute) and func.attr.value in ("page", "get_page", "iterator"):
            return True
    return False


class QuerysetLenOrTruth(Rule):
    code = "DJR103"
    name = "queryset-len-or-truth"
    fixable = True
    triggers = ("len(", "count()", "if ", "bool(")
    prefilter = TruthCandidates

    def wants(self, text, facts, index, prefilter) -> bool:
        if not (super().wants(text, facts, index, prefilter) and index.mentions_models(text, facts)):
            return False
        try:  # a test or len() of something the flow tracker may take for a queryset
            found = prefilter()
            return found is None or found.may_report(index)
        except RecursionError:  # an expression nested too deeply to follow here
            return True

    def start(self, ctx) -> None:
        super().start(ctx)
        self.scopes = [_Scope(ctx.module)]
        self.reported: set[int] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(_Scope(node.body))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.pop()

    # -- where a queryset is only measured or tested -----------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Name) or len(node.args) != 1 or node.args[0].star:
            return
        arg = node.args[0].value
        if func.value == "len":
            self._len(node, arg)
        elif func.value == "bool":
            self._truth(arg)

    def visit_If(self, node: cst.If) -> None:
        self._test(node.test)

    def visit_IfExp(self, node: cst.IfExp) -> None:
        self._test(node.test)

    def visit_While(self, node: cst.While) -> None:
        self._test(node.test)

    def visit_Comparison(self, node: cst.Comparison) -> None:
        if len(node.comparisons) != 1:
            return
        target = node.comparisons[0]
        operator = type(target.operator).__name__
        left, right = node.left, target.comparator
        if isinstance(left, cst.Integer) and not isinstance(right, cst.Integer):
            left, right, operator = right, left, _FLIPPED.get(operator, "")
        if not isinstance(right, cst.Integer):
            return
        number = int(right.value, 0)
        receiver = self._counted(left)
        if receiver is None:
            return
        if (operator, number) in _SOME:
            self._report_count(node, receiver, negated=False)
        elif (operator, number) in _NONE:
            self._report_count(node, receiver, negated=True)

    def _test(self, test: cst.BaseExpression) -> None:
        while isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            test = test.expression
        if isinstance(test, cst.BooleanOperation):
            self._test(test.left)
            self._test(test.right)
            return
        self._truth(test)

    def _truth(self, expr: cst.BaseExpression) -> None:
        receiver = self._counted(expr)
        if receiver is not None:
            self._report_count(expr, receiver, negated=False)
            return
        qs = self._queryset(expr)
        if qs is None:
            return
        code = self.ctx.module.code_for_node(expr)
        fix = FixSpec(f"test {code}.exists()", "safe", (NodeEdit(expr, f"{code}.exists()"),))
        self._report(
            expr,
            f"Testing the truth of {code} fetches every {self._model(qs)} row to learn whether there is one,"
            " and the rows are not used afterwards.",
            f"Use {code}.exists(), which fetches at most one row.",
            fix,
        )

    def _len(self, call: cst.Call, arg: cst.BaseExpression) -> None:
        qs = self._queryset(arg)
        if qs is None:
            return
        code = self.ctx.module.code_for_node(arg)
        fix = FixSpec(f"use {code}.count()", "safe", (NodeEdit(call, f"{code}.count()"),))
        self._report(
            call,
            f"len({code}) fetches every {self._model(qs)} row only to count them, and the rows are not"
            " used afterwards.",
            f"Use {code}.count(), which runs SELECT COUNT(*) in the database.",
            fix,
        )

    # -- what the expressions are -------------------------------------------------------------
    def _queryset(self, expr: cst.BaseExpression) -> Queryset | None:
        """A queryset whose rows nothing else in the function reads, or None."""
        if not isinstance(expr, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)) or _is_list(expr):
            return None
        value = self.ctx.flow.infer(expr)
        if not isinstance(value, Queryset) or value.paginator or value.iterated:
            return None
        if value.values:  # values(), or a project method ending in exists()/count(): maybe a number
            return None
        if self._prefetched(expr):
            return None
        scope = self.scopes[-1]
        if isinstance(expr, cst.Name) and (expr.value in scope.listy or scope.uses.get(expr.value, 0) != 1):
            return None  # used elsewhere: evaluating it once serves both
        return value

    def _prefetched(self, expr: cst.BaseExpression) -> bool:
        """`author.books.all()` served from a prefetch (or rows whose prefetches are unknown)."""
        if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute) and expr.func.attr.value == "all"):
            return False
        manager = self.ctx.flow.infer(expr.func.value)
        return isinstance(manager, RelatedManager) and (manager.prefetched or manager.owner.opaque)

    def _counted(self, expr: cst.BaseExpression) -> cst.BaseExpression | None:
        """The receiver of `<queryset>.count()`, or None."""
        if not (
            isinstance(expr, cst.Call)
            and not expr.args
            and isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value == "count"
        ):
            return None
        receiver = expr.func.value
        if isinstance(receiver, cst.Name) and self.scopes[-1].uses.get(receiver.value, 0):
            return None  # `if qs.count() == 0: ...` then `for x in qs`: `if not qs:` would be one
            # query, `exists()` still two; over the few rows such a test guards, no gain to report
        value = self.ctx.flow.infer(receiver)
        if isinstance(value, RelatedManager) and value.target:
            return receiver
        if isinstance(value, Queryset) and not value.paginator and not value.iterated:
            return receiver
        return None

    def _report_count(self, node: cst.BaseExpression, receiver: cst.BaseExpression, negated: bool) -> None:
        code = self.ctx.module.code_for_node(receiver)
        written = f"{'not ' if negated else ''}{code}.exists()"
        fix = FixSpec(f"use {written}", "safe", (NodeEdit(node, written),))
        self._report(
            node,
            f"{code}.count() is used only as a truth value: it counts every row where one is enough.",
            f"Use {written}, which stops at the first row.",
            fix,
        )

    def _report(self, node: cst.CSTNode, message: str, hint: str, fix: FixSpec) -> None:
        if id(node) in self.reported:
            return
        self.reported.add(id(node))
        self.report(node, message, fix, hint=hint)

    def _model(self, qs: Queryset) -> str:
        info = self.ctx.index.model(qs.model)
        return info.name if info else qs.model.rsplit(".", 1)[-1]
