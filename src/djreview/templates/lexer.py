"""Django's template language read into plain data, never rendered and without Django: the
variables a template reads (`{{ a.b.c|f:d.e }}`, tag arguments, `{% if %}` conditions) with
their line and column, and the tags that bind names or pull in other templates (`{% for %}`,
`{% with %}`, `{% include %}`, `{% extends %}`/`{% block %}`).

The grammar is Django's own (django/template/base.py): a tag, a variable or a comment is
`{% … %}`, `{{ … }}` or `{# … #}` on one line; tag arguments split like `smart_split`;
`{% comment %}` and `{% verbatim %}` hide what they enclose. A template Django would refuse
(an unclosed `{% for %}`) is read as far as it goes: each open tag ends with the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# django.template.base.tag_re: `.` does not match a line break, so no token spans lines.
_TOKEN = re.compile(r"({%.*?%}|{{.*?}}|{#.*?#})")
# django.utils.text.smart_split: words, with quoted parts kept whole.
_BIT = re.compile(r"""((?:[^\s'"]*(?:(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')[^\s'"]*)+)|\S+)""")
_CONSTANT = r"""(?:_\("(?:[^"\\]|\\.)*"\)|_\('(?:[^'\\]|\\.)*'\)|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')"""
_HEAD = re.compile(rf"(?P<constant>{_CONSTANT})|(?P<var>[\w.]+)")
_FILTER = re.compile(rf"\s*\|\s*(?P<name>\w+)(?::(?:(?P<constant>{_CONSTANT})|(?P<var>[\w.]+)))?")
_NOQA = re.compile(r"\bnoqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
_LITERALS = frozenset({"True", "False", "None"})
# Tags nested deeper than this make a template unreadable for djreview (its nodes would nest
# past Python's stack wherever they are walked or compared); real templates nest a few dozen.
MOST_NESTING = 200
# Words of `{% if %}` and friends that are operators, not variables.
_OPERATORS = frozenset({"and", "or", "not", "in", "is", "==", "!=", "<", ">", "<=", ">=", "as", "with", "only"})
# Tags whose arguments are names, literals or filters rather than variables read.
_NO_READS = frozenset(
    {
        "load",
        "csrf_token",
        "static",
        "get_static_prefix",
        "get_media_prefix",
        "templatetag",
        "lorem",
        "now",
        "spaceless",
        "endspaceless",
        "autoescape",
        "endautoescape",
        "filter",
        "endfilter",
        "debug",
        "resetcycle",
        "else",
        "empty",
        "plural",
        "endif",
        "endifchanged",
        "get_current_language",
        "get_available_languages",
        "get_current_language_bidi",
        "language",
        "endlanguage",
        "endcomment",
    }
)


@dataclass
class Use:
    """A variable read: `book.author.name` is ("book", "author", "name") at its first letter."""

    parts: tuple[str, ...]
    at: tuple[int, int]  # (line, column), 1-based (not named line=: see answer_digest)
    filters: tuple[str, ...] = ()

    def end(self, count: int) -> int:
        """The column just after the first `count` parts (`book.author` of `book.author.name`)."""
        return self.at[1] + len(".".join(self.parts[:count]))


@dataclass
class Loop:
    """`{% for a[, b] in source [reversed] %} body {% empty %} empty {% endfor %}`."""

    names: tuple[str, ...]
    source: Use | None
    at: tuple[int, int]
    body: list = field(default_factory=list)
    empty: list = field(default_factory=list)


@dataclass
class With:
    """`{% with a=b.c %}`, `{% with b.c as a %}`, `{% blocktranslate with a=b.c %}`: names
    bound for the body (None: a value that is no variable)."""

    bindings: tuple[tuple[str, Use | None], ...]
    body: list = field(default_factory=list)


@dataclass
class Include:
    name: str | None  # None: a template named by a variable
    bindings: tuple[tuple[str, Use | None], ...]
    only: bool
    at: tuple[int, int]


@dataclass
class Block:
    name: str
    body: list = field(default_factory=list)


Node = Use | Loop | With | Include | Block


@dataclass
class Template:
    path: str  # display path of the file
    nodes: list
    extends: str | None = None  # the parent's name; "" when a variable names it
    noqa: tuple[tuple[int, tuple[str, ...] | None], ...] = ()  # (line, codes or None for all)

    def silenced(self, line: int, code: str) -> bool:
        """Does a `{# noqa #}` / `{# noqa: DJR101 #}` on `line` silence `code`?"""
        return any(at == line and (codes is None or any(map(code.startswith, codes))) for at, codes in self.noqa)

    def blocks(self) -> dict[str, Block]:
        """Every block of the template, nested ones included, by name."""
        found: dict[str, Block] = {}
        stack = list(self.nodes)
        while stack:
            node = stack.pop()
            if isinstance(node, Block):
                found.setdefault(node.name, node)
            for attr in ("body", "empty"):
                stack.extend(getattr(node, attr, ()))
        return found


def parse(text: str, path: str) -> Template:
    """The template `text` (of the file at display path `path`) as nodes."""
    return _Parser(path).run(text)


class _Parser:
    def __init__(self, path: str):
        self.template = Template(path, [])
        self.stack: list[tuple[str, list]] = [("", self.template.nodes)]  # (closing tag, body)
        self.loops: list[Loop] = []
        self.noqa: list[tuple[int, tuple[str, ...] | None]] = []
        self.skip_until: str | None = None  # inside {% comment %} / {% verbatim %}
        self.deepest = 0

    @property
    def body(self) -> list:
        self.deepest = max(self.deepest, len(self.stack))
        return self.stack[-1][1]

    def run(self, text: str) -> Template:
        line, column_base = 1, 0  # column_base: offset in `text` where `line` starts
        offset = 0
        for piece in _TOKEN.split(text):
            if piece.startswith(("{%", "{{", "{#")) and piece.endswith(("%}", "}}", "#}")) and len(piece) >= 4:
                self.token(piece, line, offset - column_base + 1)
            breaks = piece.count("\n")
            if breaks:
                line += breaks
                column_base = offset + piece.rfind("\n") + 1
            offset += len(piece)
        self.template.noqa = tuple(self.noqa)
        if self.deepest > MOST_NESTING:
            self.template.nodes = []  # read as nothing: never reviewed
        return self.template

    def token(self, piece: str, line: int, column: int) -> None:
        kind, inner = piece[:2], piece[2:-2]
        content = inner.strip()
        start = column + 2 + (len(inner) - len(inner.lstrip()))  # column of `content`
        if self.skip_until is not None:
            if kind == "{%" and content == self.skip_until:
                self.skip_until = None
            return
        if kind == "{#":
            match = _NOQA.search(content)
            if match:
                codes = match.group("codes")
                self.noqa.append((line, tuple(c.upper() for c in re.split(r"[,\s]+", codes) if c) if codes else None))
            return
        if kind == "{{":
            self.body.extend(_uses(content, line, start))
            return
        bits = [(m.group(0), start + m.start()) for m in _BIT.finditer(content)]
        if bits:
            self.tag(bits, line)

    def tag(self, bits: list[tuple[str, int]], line: int) -> None:
        name = bits[0][0]
        args = bits[1:]
        if name == "comment":
            self.skip_until = "endcomment"
        elif name == "verbatim":
            self.skip_until = " ".join(["endverbatim", *(b for b, _ in args)])
        elif name == "for":
            self._for(args, line, bits[0][1])
        elif name == "empty" and self.stack[-1][0] == "endfor":
            self.stack[-1] = ("endfor", self.loops[-1].empty)
        elif name in ("with", "blocktrans", "blocktranslate"):
            node = With(_bindings(args, line, legacy=True))
            self.body.append(node)
            self.stack.append(("end" + name, node.body))
        elif name == "block" and args:
            block = Block(args[0][0])
            self.body.append(block)
            self.stack.append(("endblock", block.body))
        elif name == "extends" and args:
            self.template.extends = _literal(args[0][0]) or ""
        elif name == "include" and args:
            rest = args[1:]
            only = any(b == "only" for b, _ in rest)
            with_at = next((i for i, (b, _) in enumerate(rest) if b == "with"), None)
            bindings = _bindings(rest[with_at + 1 :], line, legacy=False) if with_at is not None else ()
            self.body.append(Include(_literal(args[0][0]), bindings, only, (line, args[0][1])))
            if _literal(args[0][0]) is None:
                self.body.extend(_uses(args[0][0], line, args[0][1]))
        elif name.startswith("end"):
            self._close(name)
        elif name in ("trans", "translate"):
            if args:
                self.body.extend(_uses(args[0][0], line, args[0][1]))
        elif name == "regroup":
            if args:  # `by <attribute>` reads each row's attribute: not followed yet
                self.body.extend(_uses(args[0][0], line, args[0][1]))
        elif name not in _NO_READS:
            self.body.extend(_tag_uses(args, line))

    def _for(self, args: list[tuple[str, int]], line: int, column: int) -> None:
        words = [b for b, _ in args]
        reversed_ = bool(words) and words[-1] == "reversed"
        at = len(words) - (3 if reversed_ else 2)
        if at < 1 or words[at] != "in":
            names: tuple[str, ...] = ()
            source = None
        else:
            names = tuple(n for n in re.split(r" *, *", " ".join(words[:at]).strip()) if n)
            uses = _uses(args[at + 1][0], line, args[at + 1][1])
            source = uses[0] if uses else None
            self.body.extend(uses[1:])  # filter arguments are read once, outside the loop
        loop = Loop(names, source, (line, column))
        self.body.append(loop)
        self.loops.append(loop)
        self.stack.append(("endfor", loop.body))

    def _close(self, name: str) -> None:
        closing = name.split()[0]
        if not any(end == closing for end, _ in self.stack[1:]):
            return  # an end tag of a tag we do not track (or a stray one)
        while len(self.stack) > 1:
            end, _ = self.stack.pop()
            if end == "endfor":
                self.loops.pop()
            if end == closing:
                return


def _literal(bit: str) -> str | None:
    """The text of a quoted string bit, or None."""
    if len(bit) >= 2 and bit[0] == bit[-1] and bit[0] in "\"'":
        return bit[1:-1]
    return None


def _uses(expr: str, line: int, column: int) -> list[Use]:
    """The variables a filter expression reads: `a.b|f:c.d` reads a.b (with its filters) and
    c.d. Literals and numbers read nothing."""
    head = _HEAD.match(expr)
    if head is None:
        return []
    main: list[str] | None = None
    found: list[Use] = []
    if head.group("var") is not None:
        main = [head.group("var"), str(column)]
    filters: list[str] = []
    at = head.end()
    while at < len(expr):
        match = _FILTER.match(expr, at)
        if match is None:
            break
        filters.append(match.group("name"))
        if match.group("var") is not None:
            found.extend(_variable(match.group("var"), line, column + match.start("var"), ()))
        at = match.end()
    if main is not None:
        found[:0] = _variable(main[0], line, column, tuple(filters))
    return found


def _variable(text: str, line: int, column: int, filters: tuple[str, ...]) -> list[Use]:
    parts = tuple(text.split("."))
    if not parts[0] or parts[0][0].isdigit() or parts[0] in _LITERALS or parts[0].startswith("_") or "" in parts:
        return []
    return [Use(parts, (line, column), filters)]


def _tag_uses(args: list[tuple[str, int]], line: int) -> list[Use]:
    """The variables a tag's arguments read (`{% url 'x' book.author.pk %}`, `{% if a.b %}`):
    keyword values (`k=v`), not what follows `as` (the name the result is stored under)."""
    found: list[Use] = []
    for bit, column in args:
        if bit == "as":
            break
        if bit in _OPERATORS:
            continue
        if "=" in bit and bit[0] not in "\"'" and not bit.startswith(("==", "!=", "<=", ">=")):
            key, _, value = bit.partition("=")
            if key.isidentifier():
                bit, column = value, column + len(key) + 1
        found.extend(_uses(bit, line, column))
    return found


def _bindings(args: list[tuple[str, int]], line: int, legacy: bool) -> tuple[tuple[str, Use | None], ...]:
    """`a=b.c d=e` (and, legacy, `b.c as a`) -> ((name, what it reads), ...)."""
    out: list[tuple[str, Use | None]] = []
    words = [b for b, _ in args]
    if legacy and len(words) >= 3 and words[1] == "as" and words[0] != "with":
        uses = _uses(args[0][0], line, args[0][1])
        return ((words[2], uses[0] if uses else None),)
    if legacy and len(words) >= 4 and words[0] == "with" and words[2] == "as":  # blocktrans with b as a
        uses = _uses(args[1][0], line, args[1][1])
        return ((words[3], uses[0] if uses else None),)
    for bit, column in args:
        key, eq, value = bit.partition("=")
        if not eq or not key.isidentifier() or bit[0] in "\"'":
            continue
        uses = _uses(value, line, column + len(key) + 1)
        out.append((key, uses[0] if uses else None))
    return tuple(out)
