"""Which functions a module calls inside a transaction, and which outside one (DJR104).

A helper that writes twice needs no `atomic()` of its own when every call of it in the project
runs inside one: `with transaction.atomic():` around the call, or a caller decorated with
`@transaction.atomic`, or a caller every call of which runs inside one (up the call chain, see
`ProjectIndex.only_called_in_transaction`). Calls are keyed by the called name alone
(`save_items` for `save_items(...)`, `self.save_items(...)`, `utils.save_items(...)`), and a
call outside a transaction is kept with the name of the function whose body holds it (""
when none does: module level, a class body, a lambda, a comment; a docstring holds no call): a name called
anywhere outside a transaction and outside a function counts as unprotected, so a collision can
only hide a protection, never invent one.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right
from itertools import accumulate

from djreview.index.nodes import all_nodes

# `name(` and `.name(`, but not the `def name(` / `class Name(` that define it
# (possessive quantifiers and the look-behinds after `\b`: a third faster on pretix's source)
_CALLED = re.compile(r"\b(?<!def )(?<!class )([A-Za-z_]\w*+)\s*+\(")
# a name as a whole string literal: `getattr(backend, "pull_cluster")`, a task told which method
# to run; it may be called anywhere from there, so it counts as a call outside every function
_NAMED = re.compile(r"""(['"])(?<![\w.]['"])([A-Za-z_]\w*+)\1""")
_COMMENT = re.compile(r"#[^\r\n]*")
_NEWLINE = re.compile(r"\r\n|\r|\n")  # the line ends ast counts (not str.splitlines' \f, \x1c...)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BLOCKS = ("body", "orelse", "handlers", "finalbody", "cases")
# the statement lists each node type holds (a simple statement none): asked once per type
_BLOCKS_OF: dict[type[ast.AST], tuple[str, ...]] = {}


def _blocks_of(kind: type[ast.AST]) -> tuple[str, ...]:
    found = _BLOCKS_OF.get(kind)
    if found is None:
        found = _BLOCKS_OF[kind] = tuple(name for name in _BLOCKS if name in kind._fields)
    return found


def line_starts(text: str) -> list[int]:
    """The offset where each line starts, as ast counts lines."""
    if "\r" in text:
        return [0] + [m.end() for m in _NEWLINE.finditer(text)]
    return [0, *accumulate(len(line) + 1 for line in text.split("\n"))]


def _atomic(node: ast.AST) -> bool:
    """`transaction.atomic`, `atomic()`, `transaction.atomic(using="x")`."""
    if isinstance(node, ast.Call):
        node = node.func
    name = node.attr if isinstance(node, ast.Attribute) else node.id if isinstance(node, ast.Name) else ""
    return "atomic" in name.lower() or "transaction" in name.lower()


def atomic_calls(
    tree: ast.Module, text: str, migration: bool = False
) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """(names called inside a transaction, (name, caller) of each call outside one) in this
    module; the caller is the function whose body holds the call, "" when none does. A
    migration runs in a transaction (atomic by default): every call in it is inside one."""
    if migration:
        return frozenset(_CALLED.findall(text)), frozenset()
    inside, outside = _calls_from_text(tree, text)
    return inside, outside | _named(tree, text)


def _docstring(body: list[ast.stmt]) -> bool:
    first = body[0] if body else None
    return isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str)


def _named(tree: ast.Module, text: str) -> frozenset[tuple[str, str]]:
    """Names written as string literals, as calls from nowhere known (a call by name); not the
    names an `__all__` exports."""
    exported = [
        (stmt.lineno, stmt.end_lineno or stmt.lineno)
        for stmt in tree.body
        if isinstance(stmt, (ast.Assign, ast.AugAssign, ast.AnnAssign))
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in _targets(stmt))
    ]
    if not exported:
        return frozenset((name, "") for _, name in _NAMED.findall(text))
    starts = line_starts(text)
    names = set()
    for match in _NAMED.finditer(text):
        line = bisect_right(starts, match.start())
        if not any(first <= line <= last for first, last in exported):
            names.add((match.group(2), ""))
    return frozenset(names)


def _targets(stmt: ast.Assign | ast.AugAssign | ast.AnnAssign) -> list[ast.expr]:
    return stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]


def _calls_from_text(tree: ast.Module, text: str) -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """(names called inside a transaction, (name, caller) of every other `name(`), read from
    the text between the regions the statements mark: function bodies (their docstrings
    aside) and the bodies of `with transaction.atomic():` blocks. The innermost region holding
    a call decides: a function's body is inside a transaction when it is decorated with
    `atomic`, a `with atomic()` body always is, and its caller is the function around it. A
    lambda's body is outside every function (its calls may run anywhere); a name in a comment
    is no call inside a transaction, and outside one counts as called from nowhere known:
    each can only hide a protection.
    Only statements are walked, never expressions: a walk of every node cost more than the
    rest of the index on Django's source."""
    starts = line_starts(text)
    ascii_text = text.isascii()

    def offset(line: int, column: int) -> int:
        """ast's (1-based line, UTF-8 byte column) as an offset in `text`."""
        if line > len(starts):
            return len(text)
        start = starts[line - 1]
        if ascii_text:
            return start + column
        source = text[start : starts[line]] if line < len(starts) else text[start:]
        return start + len(source.encode("utf-8")[:column].decode("utf-8", "ignore"))

    # (start, end, caller, protected) of each region; protected None: a docstring, no calls
    spans: set[tuple[int, int, str, bool | None]] = set()

    def region(first: ast.stmt, node: ast.stmt, caller: str, protected: bool) -> tuple[int, int, str, bool | None]:
        start = offset(first.lineno, first.col_offset)
        end = offset(node.end_lineno or first.lineno, node.end_col_offset or 0)
        if text.find("lambda", start, end) >= 0:
            # a lambda's body runs whenever it is called: nobody knows where (found by a walk of
            # the few regions that spell `lambda`; a nested function's finds them again: a set)
            for body in getattr(node, "body", ()):
                for inner in all_nodes(body):
                    if isinstance(inner, ast.Lambda):
                        spans.add(region_of(inner.body, inner))
        return start, end, caller, protected

    def region_of(
        first: ast.stmt | ast.expr, node: ast.stmt | ast.expr, protected: bool | None = False
    ) -> tuple[int, int, str, bool | None]:
        start = offset(first.lineno, first.col_offset)
        return start, offset(node.end_lineno or first.lineno, node.end_col_offset or 0), "", protected

    stack: list[tuple[ast.AST, str]] = [(tree, "")]
    while stack:
        node, caller = stack.pop()
        if isinstance(node, (ast.Module, ast.ClassDef, *_FUNCTIONS)) and _docstring(node.body):
            spans.add(region_of(node.body[0], node.body[0], None))  # its words are no calls
        if isinstance(node, _FUNCTIONS):
            caller = node.name
            body = node.body
            first = body[0]
            if _docstring(body):
                if len(body) == 1:
                    continue
                first = body[1]
            atomic = any(_atomic(d) for d in node.decorator_list)
            spans.add(region(first, node, caller, atomic))
        elif isinstance(node, (ast.With, ast.AsyncWith)) and any(_atomic(i.context_expr) for i in node.items):
            spans.add(region(node.body[0], node, caller, True))  # its items run outside it
        for block in _blocks_of(type(node)):
            for child in getattr(node, block):
                if isinstance(child, ast.match_case):
                    stack.extend((s, caller) for s in child.body)
                elif isinstance(child, (ast.stmt, ast.ExceptHandler)):
                    stack.append((child, caller))
    ordered = sorted(spans, key=lambda s: (s[0], -s[1]))  # outer before inner at one start

    # the text cut where a region starts or ends: each piece read whole, with its innermost region
    outside_all = ("", False)
    pieces: list[tuple[int, int, str, bool | None]] = []
    cursor = 0
    open_spans: list[tuple[int, int, str, bool | None]] = []
    for span in ordered:
        while open_spans and open_spans[-1][1] <= span[0]:
            ended = open_spans.pop()  # a region nested in another ends first: the stack stays ordered
            pieces.append((cursor, ended[1], ended[2], ended[3]))
            cursor = ended[1]
        around = open_spans[-1][2:] if open_spans else outside_all
        pieces.append((cursor, span[0], *around))
        cursor = span[0]
        open_spans.append(span)
    while open_spans:
        ended = open_spans.pop()
        pieces.append((cursor, ended[1], ended[2], ended[3]))
        cursor = ended[1]
    pieces.append((cursor, len(text), *outside_all))

    inside: set[str] = set()
    sites: set[tuple[str, str]] = set()
    for start, end, caller, protected in pieces:
        if start >= end:
            continue
        commented = text.find("#", start, end) >= 0
        if protected is None:
            continue  # a docstring
        if protected:
            # a name in a comment is no call (a `#` in a string cuts the line short: that can
            # only hide a protection)
            piece = _COMMENT.sub("", text[start:end]) if commented else text[start:end]
            inside.update(_CALLED.findall(piece))
            continue
        sites.update((name, caller) for name in _CALLED.findall(text, start, end))
        if caller and commented:
            # a comment (or a string with a `#`) would make its names calls of `caller`: they
            # count as called from nowhere known, which hides a protection, never invents one
            for comment in _COMMENT.finditer(text, start, end):
                sites.update((name, "") for name in _CALLED.findall(comment.group()))
    return frozenset(inside), frozenset(sites)
