"""Which functions a module calls inside a transaction, and which outside one (DJR104).

A helper that writes twice needs no `atomic()` of its own when every call of it in the project
runs inside one: `with transaction.atomic():` around the call, or a caller decorated with
`@transaction.atomic`, or a caller every call of which runs inside one (up the call chain, see
`ProjectIndex.only_called_in_transaction`). Calls are keyed by the called name alone
(`save_items` for `save_items(...)`, `self.save_items(...)`, `utils.save_items(...)`), and a
call outside a transaction is kept with the name of the function whose body holds it (""
when none does: module level, a class body, a lambda, a comment, a docstring): a name called
anywhere outside a transaction and outside a function counts as unprotected, so a collision can
only hide a protection, never invent one.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_right

from djreview.index.prefilter import called_name

# `name(` and `.name(`, but not the `def name(` / `class Name(` that define it
_CALLED = re.compile(r"(?<!def )(?<!class )\b([A-Za-z_]\w*)\s*\(")
# a name as a whole string literal: `getattr(backend, "pull_cluster")`, a task told which method
# to run; it may be called anywhere from there, so it counts as a call outside every function
_NAMED = re.compile(r"""(?<![\w.])(['"])([A-Za-z_]\w*)\1""")
_COMMENT = re.compile(r"#[^\r\n]*")
_NEWLINE = re.compile(r"\r\n|\r|\n")  # the line ends ast counts (not str.splitlines' \f, \x1c...)
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_BLOCKS = ("body", "orelse", "handlers", "finalbody", "cases")


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
    if "atomic" not in text and "transaction" not in text:
        # No transaction in sight: every call is outside one, and the names are read from the
        # text (a walk of every node cost more than the rest of the index on Django's source);
        # the function holding each is found from the functions' spans. A name in a comment
        # or string counts too, which can only hide a protection.
        return frozenset(), _callers_from_text(tree, text) | _named(tree, text)
    inside: set[str] = set()
    outside: set[tuple[str, str]] = set()

    def walk(node: ast.AST, protected: bool, caller: str) -> None:
        if isinstance(node, _FUNCTIONS):
            # a nested function runs when it is called, not where it is defined; its
            # decorators and defaults run where it is defined
            for header in (*node.decorator_list, node.args, *([node.returns] if node.returns else ())):
                walk(header, protected, caller)
            inner = any(_atomic(d) for d in node.decorator_list)
            for stmt in node.body:
                walk(stmt, inner, node.name)
            return
        if isinstance(node, ast.Lambda):
            protected, caller = False, ""  # runs whenever it is called: nobody knows where
        elif isinstance(node, (ast.With, ast.AsyncWith)) and any(_atomic(i.context_expr) for i in node.items):
            for item in node.items:
                walk(item, protected, caller)
            for stmt in node.body:
                walk(stmt, True, caller)
            return
        if isinstance(node, ast.Call):
            name = called_name(node.func)
            if name:
                if protected:
                    inside.add(name)
                else:
                    outside.add((name, caller))
        for child in ast.iter_child_nodes(node):
            walk(child, protected, caller)

    walk(tree, False, "")
    return frozenset(inside), frozenset(outside) | _named(tree, text)


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
    starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
    names = set()
    for match in _NAMED.finditer(text):
        line = bisect_right(starts, match.start())
        if not any(first <= line <= last for first, last in exported):
            names.add((match.group(2), ""))
    return frozenset(names)


def _targets(stmt: ast.Assign | ast.AugAssign | ast.AnnAssign) -> list[ast.expr]:
    return stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]


def _callers_from_text(tree: ast.Module, text: str) -> frozenset[tuple[str, str]]:
    """(name, caller) of every `name(` in the text: the caller is the innermost function whose
    body (its docstring aside) holds it, "" for a call outside every body, in a comment (or
    after a `#` in a string: both are kept then), or in a function whose body has a `lambda`
    (its calls may run anywhere). The functions are found by a walk of the statements only,
    not of every expression, and the text between their bodies' ends is read by the regex."""
    starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
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

    spans: list[tuple[int, int, str]] = []  # (start, end, caller) of each function body
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, _FUNCTIONS):
            body = node.body
            first = body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                if len(body) == 1:
                    continue
                first = body[1]  # the docstring is no call
            start = offset(first.lineno, first.col_offset)
            end = offset(node.end_lineno or first.lineno, node.end_col_offset or 0)
            spans.append((start, end, "" if text.find("lambda", start, end) >= 0 else node.name))
        for block in _BLOCKS:
            for child in getattr(node, block, ()) or ():
                if isinstance(child, ast.match_case):
                    stack.extend(child.body)
                elif isinstance(child, (ast.stmt, ast.ExceptHandler)):
                    stack.append(child)
    spans.sort(key=lambda s: (s[0], -s[1]))  # outer before inner at one start

    # the text cut where a body starts or ends: each piece read whole, with its innermost function
    pieces: list[tuple[int, int, str]] = []
    cursor = 0
    open_spans: list[tuple[int, int, str]] = []
    for span in spans:
        while open_spans and open_spans[-1][1] <= span[0]:
            ended = open_spans.pop()  # a body nested in another ends first: the stack stays ordered
            pieces.append((cursor, ended[1], ended[2]))
            cursor = ended[1]
        pieces.append((cursor, span[0], open_spans[-1][2] if open_spans else ""))
        cursor = span[0]
        open_spans.append(span)
    while open_spans:
        ended = open_spans.pop()
        pieces.append((cursor, ended[1], ended[2]))
        cursor = ended[1]
    pieces.append((cursor, len(text), ""))

    sites: set[tuple[str, str]] = set()
    for start, end, caller in pieces:
        if start >= end:
            continue
        sites.update((name, caller) for name in _CALLED.findall(text, start, end))
        if caller and text.find("#", start, end) >= 0:
            # a comment (or a string with a `#`): it hides a protection, never invents one
            for comment in _COMMENT.finditer(text, start, end):
                sites.update((name, "") for name in _CALLED.findall(comment.group()))
    return frozenset(sites)
