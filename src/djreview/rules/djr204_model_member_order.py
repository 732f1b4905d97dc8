"""DJR204: model members out of Django's style-guide order (parity: Ruff DJ012, flake8-django DJ12).

Django's coding style orders a model's body: fields, custom managers, `class Meta`, `__str__`
(Ruff: any dunder method), `save`, `get_absolute_url`, other methods. A reader then finds the
schema first and the behaviour after it. Reported as Ruff reports DJ012: each member whose
category comes before one already seen, a run of one category once, at its first member (a
decorated method at its first decorator). Other statements (constants, inner `TextChoices`,
the docstring) have no category and are skipped.

Beyond the peers: models through the project's bases (the index), the project's field
classes and managers (`CodeField()`, `PublishedManager()`, `QuerySet.as_manager()`), annotated
assignments; `objects = models.Manager()` is a manager, not a field. The fix moves whole
member blocks (their comments and blank lines) into order; when a member uses at class
creation a name another member binds (`status = CharField(choices=STATUSES)`) and the order
of the two would change, it is only a suggestion.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit
from djreview.member_lines import class_body_lines
from djreview.rule import Rule
from djreview.source import line_starts, split_lines
from djreview.walk import children

FIELD, MANAGER, META, DUNDER, SAVE, URL, METHOD = range(7)
_SHOWN = (
    "field",
    "manager",
    "class Meta",
    "__str__ (or another dunder method)",
    "save()",
    "get_absolute_url()",
    "custom method",
)
_METHODS = {"save": SAVE, "get_absolute_url": URL}


class ModelMemberOrder(Rule):
    code = "DJR204"
    name = "model-member-order"
    fixable = True
    triggers = ("class ",)

    def wants(self, text, facts, index, prefilter) -> bool:
        return any(index.model(cls.qualname) is not None for cls in facts.classes)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        frame = self.ctx.flow.enclosing_class()
        if frame is None or frame.node is not node or self.ctx.index.model(frame.qualname) is None:
            return
        if not isinstance(node.body, cst.IndentedBlock):
            return
        members = list(node.body.body)
        categories = [self._category(m) for m in members]
        fix: FixSpec | None = None
        seen: list[int] = []
        previous: int | None = None
        for member, category in zip(members, categories):
            if category is None or category == previous:
                continue
            previous = category
            later = next((c for c in seen if c > category), None)
            if later is None:
                seen.append(category)
                continue
            if fix is None:
                fix = self._fix(node, members, categories)
            anchor = member.decorators[0] if isinstance(member, cst.FunctionDef) and member.decorators else member
            message = (
                f"{node.name.value}: {self._describe(member, category)} comes after {_a(later)}; Django's "
                f"style orders a model's fields, managers, class Meta, __str__, save(), get_absolute_url(), "
                f"then other methods."
            )
            hint = f"Move it above {_a(later)}."
            self.report(anchor, message, fix, hint=hint)

    @staticmethod
    def _describe(member: cst.BaseStatement, category: int) -> str:
        if isinstance(member, cst.FunctionDef):
            return f"{member.name.value}()"
        if isinstance(member, cst.SimpleStatementLine):
            target = _target(member)
            if target is not None:
                return f"{_SHOWN[category]} {target}"
        return _SHOWN[category]

    def _category(self, member: cst.BaseStatement) -> int | None:
        if isinstance(member, cst.FunctionDef):
            name = member.name.value
            if name.startswith("__") and name.endswith("__") and len(name) > 4:
                return DUNDER
            return _METHODS.get(name, METHOD)
        if isinstance(member, cst.ClassDef):
            return META if member.name.value == "Meta" else None
        if not isinstance(member, cst.SimpleStatementLine) or len(member.body) != 1:
            return None
        statement = member.body[0]
        value = statement.value if isinstance(statement, (cst.Assign, cst.AnnAssign)) else None
        if value is None:
            return None
        if isinstance(value, cst.Call):
            func = value.func
            if isinstance(func, cst.Attribute) and func.attr.value == "as_manager":
                return MANAGER
            inner = func.func if isinstance(func, cst.Call) else None
            if isinstance(inner, cst.Attribute) and inner.attr.value == "from_queryset":
                return MANAGER
            kind = self.ctx.index.model_member(self.ctx.flow.qualify(func))
            if kind is not None:
                return FIELD if kind == "field" else MANAGER
        return MANAGER if _target(member) == "objects" else None

    def _fix(
        self, node: cst.ClassDef, members: list[cst.BaseStatement], categories: list[int | None]
    ) -> FixSpec | None:
        """One edit over the class body: its member blocks (each with the comments and blank
        lines above it; a member without a category goes with the next one) in order."""
        start = 1 if _docstring(members[0]) else 0
        groups: list[tuple[int, list[int]]] = []  # (category, member positions)
        pending: list[int] = []
        for i in range(start, len(members)):
            pending.append(i)
            if categories[i] is not None:
                groups.append((categories[i], pending))  # type: ignore[arg-type]
                pending = []
        if pending and groups:
            groups[-1][1].extend(pending)
        order = sorted(range(len(groups)), key=lambda g: groups[g][0])
        if not self._keeps_bindings(members, groups, order):
            return FixSpec("reorder the model's members (a member uses a name another binds)", "suggestion")
        anchors = [m.decorators[0] if isinstance(m, cst.FunctionDef) and m.decorators else m for m in members]
        sequence = [(i, groups[g][0]) for g in order for i in groups[g][1]]
        if sequence[0][0] != start and any(line.comment is not None for line in _leading(members[start])):
            # the edit starts at the first member's line: the comment above it would stay on top
            return FixSpec("reorder the model's members (a comment opens the class)", "suggestion")
        located = self._member_lines(node, anchors, members)
        if located is None:
            return None
        tops, last = located
        lines = split_lines(self.ctx.text, keepends=True)
        firsts = [tops[start]] + [tops[i] - len(_leading(members[i])) for i in range(start + 1, len(members))]
        bounds = [*firsts, last + 1]
        blocks: dict[int, tuple[int, list[str]]] = {}  # member -> (blank lines above it, its lines)
        for n, i in enumerate(range(start, len(members))):
            block = lines[bounds[n] : bounds[n + 1]]
            blank = 0
            while blank < len(block) - 1 and not block[blank].strip():
                blank += 1
            blocks[i] = (blank, block[blank:])
        compound = [blocks[i][0] for i in blocks if not isinstance(members[i], cst.SimpleStatementLine)]
        gap = max(set(compound), key=compound.count) if any(compound) else 1
        out: list[str] = []
        for n, (i, category) in enumerate(sequence):
            if n:
                before, previous = sequence[n - 1]
                if before + 1 == i:
                    blank = blocks[i][0]
                elif category == previous and all(isinstance(members[k], cst.SimpleStatementLine) for k in (i, before)):
                    blank = 0
                else:
                    blank = gap or 1
                out.extend("\n" * blank)
            block = list(blocks[i][1])
            if not block[-1].endswith("\n"):
                block[-1] += "\n"
            out.extend(block)
        replacement = "".join(out)
        if bounds[-1] >= len(lines):  # the class ends the file: the edit ends before its last line break
            replacement = replacement[:-1]
        edit = NodeEdit(anchors[start], replacement, "lines", end_at=members[-1], end_side="end")
        return FixSpec("reorder the model's members", "unsafe", (edit,))

    def _member_lines(self, node, anchors, members) -> tuple[list[int], int] | None:
        """The 0-based line each member starts on, and the last line of the class: from the
        stdlib tree when it matches, else from the rendered positions."""
        located = class_body_lines(self.ctx.stdlib_tree(), node)
        if located is not None:
            return [first - 1 for first, _ in located], located[-1][1] - 1
        spans = self.ctx.spans([*anchors, members[-1]])
        if spans is None:
            return None
        starts = line_starts(self.ctx.text)

        def line_of(offset: int) -> int:  # 0-based
            return bisect_right(starts, offset) - 1

        return [line_of(spans.start(a)) for a in anchors], line_of(spans.end(members[-1]))

    @staticmethod
    def _keeps_bindings(members, groups, order) -> bool:
        """Does every name a group uses at class creation keep its place relative to the groups
        that bind it in the class body?"""
        binds = [set().union(*(_bound(members[i]) for i in g[1])) for g in groups]
        uses = [set().union(*(_used(members[i]) for i in g[1])) for g in groups]
        rank = {g: n for n, g in enumerate(order)}
        for user, used in enumerate(uses):
            for binder, bound in enumerate(binds):
                if binder != user and used & bound and (binder < user) != (rank[binder] < rank[user]):
                    return False
        return True


def _leading(member: cst.BaseStatement) -> Sequence[cst.EmptyLine]:
    """The blank and comment lines above a statement (its decorators included)."""
    return getattr(member, "leading_lines", ())


def _a(category: int) -> str:
    return _SHOWN[category] if category in (META, SAVE, URL) else f"the {_SHOWN[category]}"


def _docstring(member: cst.BaseStatement) -> bool:
    return (
        isinstance(member, cst.SimpleStatementLine)
        and len(member.body) == 1
        and isinstance(member.body[0], cst.Expr)
        and isinstance(member.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _target(member: cst.SimpleStatementLine) -> str | None:
    statement = member.body[0]
    if isinstance(statement, cst.Assign):
        first = statement.targets[0].target
        return first.value if isinstance(first, cst.Name) else None
    if isinstance(statement, cst.AnnAssign) and isinstance(statement.target, cst.Name):
        return statement.target.value
    return None


def _names(nodes) -> set[str]:
    """Every name read in `nodes` (a plain walk: a visitor class would load libcst at import)."""
    found: set[str] = set()
    stack = [node for node in nodes if node is not None]
    while stack:
        node = stack.pop()
        if isinstance(node, cst.Name):
            found.add(node.value)
        stack.extend(children(node))
    return found


def _bound(member: cst.BaseStatement) -> set[str]:
    if isinstance(member, (cst.FunctionDef, cst.ClassDef)):
        return {member.name.value}
    if isinstance(member, cst.SimpleStatementLine):
        out: set[str] = set()
        for statement in member.body:
            if isinstance(statement, cst.Assign):
                out |= _names([t.target for t in statement.targets])
            elif isinstance(statement, (cst.AnnAssign, cst.AugAssign)):
                out |= _names([statement.target])
        return out
    return _names([member])  # an `if`/`for`/`with` in a class body: anything it names


def _used(member: cst.BaseStatement) -> set[str]:
    """Names read when the class is created (not inside method bodies or Meta's body)."""
    if isinstance(member, cst.FunctionDef):
        params = member.params
        every = [*params.params, *params.kwonly_params, *params.posonly_params]
        star = [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
        return _names(
            [
                *(d.decorator for d in member.decorators),
                *(p.default for p in every),
                *(p.annotation for p in [*every, *star]),
                member.returns,
            ]
        )
    if isinstance(member, cst.ClassDef):
        return _names([*(d.decorator for d in member.decorators), *member.bases, *member.keywords])
    return _names([member])
