"""Lay out the lines a fix changed the way Black and Ruff's formatter would, so that a fixed
file passes the project's line length and a formatter run afterwards leaves it alone.

Two layouts, applied to the lines that hold an edit:
- Inside a construct that is already spread over lines, always (a formatter would insist):
  a `.select_related(...)` appended to a member of a chain laid out one call per line goes on
  its own line; an argument appended to a call laid out one argument per line with a trailing
  comma goes on its own line, with its comma.
- A one-line statement (`x = <chain>`, `return <chain>`, `for x in <chain>:`, a bare chain,
  `fields = [...]`)
  that the edit pushed past the line length, when it fitted before, is split as Black splits it:
  when the chain has two or more calls after its first call (dots that follow a call or a
  subscript), in parentheses, on one line inside them if it fits there, else one call per
  line; otherwise inside the brackets of the last call whose first and last lines then fit,
  its arguments on a line of their own, or one per line with a trailing comma when they do
  not fit on one. The one line of arguments of a call already split at its brackets is laid
  out one per line likewise when the edit makes it too long, and so is a comprehension's
  `for x in <chain>` on a line of its own (at a call's brackets). A list, set or parenthesised
  tuple is split at its brackets the same way. A line with a comment, a statement sharing its line, or an
  expression that is not a plain chain is left as it is: still correct, only long.
Whatever this produces must compile, or the fixed text is kept as the edits made it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from djreview.source import line_starts, split_lines


@dataclass(frozen=True)
class Placed:
    """One applied edit: where its replacement lies in the new text, what it replaced in the old."""

    new_start: int
    new_end: int
    old_start: int
    replacement: str


def _line_of(starts: list[int], offset: int) -> int:
    """The 0-based line holding `offset`."""
    low, high = 0, len(starts) - 1
    while low < high:
        mid = (low + high + 1) // 2
        if starts[mid] <= offset:
            low = mid
        else:
            high = mid - 1
    return low


def _ending(line: str) -> tuple[str, str]:
    code = line.rstrip("\r\n")
    return code, line[len(code) :]


def _indent(code: str) -> str:
    return code[: len(code) - len(code.lstrip(" \t"))]


def wrap_fixed(old: str, new: str, placed: list[Placed], line_length: int) -> str:
    if not placed:
        return new
    try:
        tree = ast.parse(new)
    except (SyntaxError, ValueError):
        return new
    statements: dict[int, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            statements[node.lineno] = node
        elif isinstance(node, ast.comprehension):
            statements.setdefault(-node.iter.lineno, node)  # a `for` clause on a line of its own
    new_starts, old_starts = line_starts(new), line_starts(old)
    old_lines = split_lines(old)
    lines = split_lines(new, keepends=True)
    by_line: dict[int, list[tuple[int, int, str]]] = {}
    old_fits: dict[int, bool] = {}
    for p in placed:
        row = _line_of(new_starts, p.new_start)
        start = p.new_start - new_starts[row]
        by_line.setdefault(row, []).append((start, start + len(p.replacement), p.replacement))
        old_row = _line_of(old_starts, p.old_start)
        fits = old_row >= len(old_lines) or len(old_lines[old_row]) <= line_length
        old_fits[row] = old_fits.get(row, True) and fits
    for row in sorted(by_line, reverse=True):  # later lines first: earlier rows keep their numbers
        if max(end for _, end, _ in by_line[row]) > len(_ending(lines[row])[0]):
            continue  # an edit that spans lines: not ours to lay out
        layout = _layout(row, lines, sorted(by_line[row]), statements, line_length, old_fits[row])
        if layout is not None:
            lines[row : row + 1] = layout
    result = "".join(lines)
    try:
        compile(result, "<fixed>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError):
        return new
    return result


def _layout(row, lines, edits, statements, limit, old_fit) -> list[str] | None:
    code, ending = _ending(lines[row])
    nxt = _ending(lines[row + 1])[0] if row + 1 < len(lines) else ""
    prev = _ending(lines[row - 1])[0] if row > 0 else ""
    starts_statement = (row + 1) in statements
    own = _own_line_calls(code, edits, nxt, starts_statement) or _own_line_args(code, edits, prev, starts_statement)
    if own is not None:
        return [line + ending for line in own]
    if len(code) <= limit or not old_fit:
        return None
    if starts_statement:
        split = _split_statement(code, statements.get(row + 1), limit)
    else:
        split = _explode_arguments(code, prev, nxt) or _split_clause(code, statements.get(-(row + 1)), limit)
    return [line + ending for line in split] if split is not None else None


def _own_line_calls(code: str, edits, nxt: str, starts_statement: bool) -> list[str] | None:
    """`.order_by("t").select_related("a")` in a chain laid out one call per line: the
    appended calls each go on a line of their own."""
    stripped = code.lstrip()
    if stripped.startswith("."):
        indent = _indent(code)
    elif nxt.lstrip().startswith(".") and not starts_statement:
        indent = _indent(nxt)  # the chain's first line, its calls below it
    else:
        return None
    cuts, end = [], len(code.rstrip())
    for start, stop, text in reversed(edits):
        if not (text.startswith(".") and stop == end):
            break
        cuts.append(start)
        end = start
    if not cuts:
        return None
    cuts.reverse()
    pieces = [code[: cuts[0]]]
    pieces += [indent + code[a:b].strip() for a, b in zip(cuts, [*cuts[1:], len(code)])]
    return pieces


def _own_line_args(code: str, edits, prev: str, starts_statement: bool) -> list[str] | None:
    """`"editor", "author",` in a call laid out one argument per line with a trailing comma:
    the appended arguments each go on a line of their own."""
    body = code.rstrip()
    if starts_statement or not body.endswith(",") or not prev.rstrip().endswith(("(", "[", ",")):
        return None
    indent = _indent(code)
    cuts, end = [], len(body) - 1
    for start, stop, text in reversed(edits):
        if not (text.startswith(", ") and stop == end):
            break
        cuts.append(start)
        end = start
    if not cuts or not _single_argument(code[: cuts[-1]]):
        return None  # `"a", "b",`: several to a line is not that layout; leave it
    cuts.reverse()
    pieces = [code[: cuts[0]] + ","]
    for a, b in zip(cuts, [*cuts[1:], len(body) - 1]):
        pieces.append(indent + code[a + 2 : b].strip() + ",")
    return pieces


# -- one-line statements -----------------------------------------------------------------------
class _Line:
    """Columns of one line of code, ast's UTF-8 byte offsets turned into str offsets."""

    def __init__(self, code: str):
        self.code = code
        self.data = code.encode("utf-8")

    def col(self, byte_offset: int) -> int:
        return len(self.data[:byte_offset].decode("utf-8", "replace"))


def _split_statement(code: str, stmt: ast.stmt | None, limit: int) -> list[str] | None:
    if stmt is None:
        return None
    line = _Line(code)
    if isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.Return)) and stmt.value is not None:
        expr, parens = stmt.value, True
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        expr, parens = stmt.iter, True
    elif isinstance(stmt, ast.Expr):
        expr, parens = stmt.value, False  # no brackets of its own to add
    else:
        return None
    if not (expr.lineno == expr.end_lineno == stmt.lineno) or expr.end_col_offset is None:
        return None
    start, end = line.col(expr.col_offset), line.col(expr.end_col_offset)
    suffix = code[end:].strip()
    if suffix not in ("", ":") or (suffix == ":") != isinstance(stmt, (ast.For, ast.AsyncFor)):
        return None  # a comment, `; more`, or the end of a header we do not know
    if not isinstance(stmt, (ast.For, ast.AsyncFor)) and stmt.end_lineno != stmt.lineno:
        return None
    indent = _indent(code)
    inner = indent + ("\t" if "\t" in indent else "    ")
    if isinstance(expr, (ast.List, ast.Set)) or (isinstance(expr, ast.Tuple) and code[start : start + 1] == "("):
        return _split_display(expr, line, start, end, inner, indent + code[end - 1] + suffix, limit)
    dots = _chain_dots(expr, line)
    if dots is None:
        return None
    head, text = code[:start], code[start:end]
    in_parens = [head + "(", inner + text, indent + ")" + suffix]
    pieces = [text[a - start : b - start].strip() for a, b in zip([start, *dots], [*dots, end])]
    fluent = [head + "(", *(inner + piece for piece in pieces), indent + ")" + suffix]
    if len(dots) >= 2 and parens:
        return in_parens if len(in_parens[1]) <= limit else fluent
    at_last = _split_at_a_call(expr, line, indent, inner, suffix, limit)
    if at_last is not None:
        return at_last
    if dots and parens:
        return in_parens if len(in_parens[1]) <= limit else fluent
    return None


def _split_clause(code: str, clause: ast.AST | None, limit: int) -> list[str] | None:
    """`for x in <chain>` ending its line inside a comprehension spread over lines: split at a
    call's brackets (a comprehension clause gets no parentheses of its own)."""
    if not isinstance(clause, ast.comprehension):
        return None
    expr, line = clause.iter, _Line(code)
    if expr.lineno != expr.end_lineno or expr.end_col_offset is None:
        return None
    start, end = line.col(expr.col_offset), line.col(expr.end_col_offset)
    if not code[:start].lstrip().startswith(("for ", "async for ")) or code[end:].strip():
        return None
    if _chain_dots(expr, line) is None:
        return None
    indent = _indent(code)
    return _split_at_a_call(expr, line, indent, indent + ("\t" if "\t" in indent else "    "), "", limit)


def _chain_dots(expr: ast.expr, line: _Line) -> list[int] | None:
    """Where the dots that follow a call or a subscript are, in a chain that starts at a
    name; None when `expr` is not such a chain."""
    dots, node = [], expr
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Attribute):
            if isinstance(node.value, (ast.Call, ast.Subscript)) and node.value.end_col_offset is not None:
                at = line.col(node.value.end_col_offset)
                if line.code[at : at + 1] != ".":
                    return None  # `(a.b()).c`, or spaces: not laid out the way we read it
                dots.append(at)
            node = node.value
        elif isinstance(node, ast.Name):
            return sorted(dots)
        else:
            return None


def _split_at_a_call(expr, line: _Line, indent: str, inner: str, suffix: str, limit: int) -> list[str] | None:
    """`x = a.b(` / `    c` / `).d("e")`: the arguments of one call of the chain on their own
    line(s), trying the last call first and then earlier ones, as Black does when it may leave
    a chain unbracketed: the first whose first and last lines fit."""
    code, end = line.code, line.col(expr.end_col_offset)
    node = expr
    while isinstance(node, (ast.Call, ast.Subscript, ast.Attribute)):
        call, node = node, node.func if isinstance(node, ast.Call) else node.value
        if not isinstance(call, ast.Call) or call.func.end_col_offset is None or call.end_col_offset is None:
            continue
        opening = code.find("(", line.col(call.func.end_col_offset))
        closing = line.col(call.end_col_offset) - 1
        if not (call.args or call.keywords) or opening < 0 or code[closing] != ")":
            continue
        head, body, tail = code[: opening + 1], code[opening + 1 : closing].strip(), code[closing:end] + suffix
        if len(head) > limit or len(indent + tail) > limit:
            continue
        if len(inner + body) <= limit:
            return [head, inner + body, indent + tail]
        return [head, *_one_per_line(call, line, inner), indent + tail]  # the edit added an argument
    return None


def _split_display(expr, line: _Line, start: int, end: int, inner: str, tail: str, limit: int) -> list[str]:
    """`fields = [` / `    "a", "b"` / `]`, or one item per line when they do not fit on one."""
    code = line.code
    head, body = code[: start + 1], code[start + 1 : end - 1].strip()
    if len(inner + body) <= limit and not body.endswith(","):
        return [head, inner + body, tail]
    items = [code[line.col(e.col_offset) : line.col(e.end_col_offset or 0)] for e in expr.elts]
    return [head, *(inner + item + "," for item in items), tail]


def _one_per_line(call: ast.Call, line: _Line, inner: str) -> list[str]:
    """The arguments of `call`, one per line, each with its comma (Black's "magic trailing
    comma" then keeps them so)."""
    items: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
    items.sort(key=lambda item: (item.lineno, item.col_offset))
    return [inner + line.code[line.col(i.col_offset) : line.col(i.end_col_offset or 0)] + "," for i in items]


def _single_argument(text: str) -> bool:
    try:
        tree = ast.parse(f"f({text.strip()})", mode="eval")
    except (SyntaxError, ValueError):
        return False
    return isinstance(tree.body, ast.Call) and len(tree.body.args) + len(tree.body.keywords) == 1


def _explode_arguments(code: str, prev: str, nxt: str) -> list[str] | None:
    """The one line of arguments between `name(` and `)` lines, which the edit made too long:
    one argument per line, as Black lays out arguments that do not fit on one line."""
    if not prev.rstrip().endswith("(") or not nxt.lstrip().startswith(")"):
        return None
    body = code.strip().rstrip(",")
    try:
        tree = ast.parse(f"f({body})", mode="eval")
    except (SyntaxError, ValueError):
        return None  # a comment, or not arguments
    if not isinstance(tree.body, ast.Call) or tree.body.end_lineno != 1:
        return None
    return _one_per_line(tree.body, _Line(f"f({body})"), _indent(code))
