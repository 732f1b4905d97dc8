r"""Validators that admit no character HTML gives meaning to (DJR402).

django-forms-builder's frame `width` is `CharField(validators=[validate_html_size])`, and the
validator raises unless `re.match(r"^\d+%?$", value)`: formatted into an attribute, the value
cannot open a tag or leave the attribute. A field counts as plain text when one of its
validators is such a function of the project (its body matches an anchored pattern, directly
or through a module constant `re.compile(...)`, and raises otherwise) or a
`RegexValidator(r"...")` of such a pattern.

A pattern is plain when it is anchored at both ends and every character it admits is outside
`<`, `>` and `"`, and outside `'` or `=` (an attribute quoted with `'` cannot gain another
attribute without `=`): no `.`, no negated class, no `\S`/`\W`/`\D`.
"""

from __future__ import annotations

import ast

from djreview.index.nodes import all_nodes
from djreview.index.prefilter import called_name

_MATCHERS = frozenset({"match", "fullmatch", "search"})
_OPEN_CATEGORIES = frozenset("SWDp")  # \S, \W, \D, \p{...}: nearly any character


def plain_pattern(pattern: str) -> bool:
    """Is `pattern` anchored and free of the characters that open a tag or leave an attribute?"""
    if not (pattern.startswith(("^", "\\A")) and pattern.endswith(("$", "\\Z", "\\z"))):
        return False
    admitted: set[str] = set()
    in_class = False
    at = 0
    while at < len(pattern):
        char = pattern[at]
        if char == "\\":
            following = pattern[at + 1 : at + 2]
            if following in _OPEN_CATEGORIES:
                return False
            if not following.isalnum():
                admitted.add(following)  # an escaped character stands for itself
            at += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
            elif pattern[at + 1 : at + 2] == "-" and pattern[at + 2 : at + 3] not in ("", "]", "\\"):
                # a range, `0-9` or `!-~` (which holds every printable character)
                admitted.update(chr(code) for code in range(ord(char), ord(pattern[at + 2]) + 1))
                at += 3
                continue
            else:
                admitted.add(char)
        elif char == "[":
            in_class = True
            if pattern[at + 1 : at + 2] == "^":
                return False  # `[^<]`: everything else
        elif char == ".":
            return False
        elif char not in "^$()|?*+{},0123456789":
            admitted.add(char)
        at += 1
    if admitted & {"<", ">", '"'}:
        return False
    return not {"'", "="} <= admitted


def _pattern_of(node: ast.AST | None, compiled: dict[str, str]) -> str | None:
    """The literal pattern of `r"^\\d+$"`, or of a module constant `RE = re.compile(r"...")`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        return compiled.get(node.id)
    return None


def _compiled(statements: list[ast.stmt]) -> dict[str, str]:
    found = {}
    for stmt in statements:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            value = stmt.value
            if isinstance(value, ast.Call) and called_name(value.func) == "compile" and value.args:
                pattern = _pattern_of(value.args[0], {})
                if pattern is not None:
                    found[stmt.targets[0].id] = pattern
    return found


def plain_validators(statements: list[ast.stmt]) -> tuple[str, ...]:
    """The module's validator functions and `RegexValidator` constants that admit plain text only."""
    compiled = _compiled(statements)
    found = []
    for stmt in statements:
        if isinstance(stmt, ast.FunctionDef) and _validates_plain(stmt, compiled):
            found.append(stmt.name)
        elif (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
            and regex_validator_plain(stmt.value, compiled)
        ):
            found.append(stmt.targets[0].id)
    return tuple(found)


def regex_validator_plain(node: ast.AST, compiled: dict[str, str] | None = None) -> bool:
    """`RegexValidator(r"^[a-z0-9-]+$")` (or `regex=`) of a plain pattern."""
    if not (isinstance(node, ast.Call) and called_name(node.func) == "RegexValidator"):
        return False
    given = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "regex"), None)
    if any(k.arg == "inverse_match" for k in node.keywords):
        return False
    pattern = _pattern_of(given, compiled or {})
    return pattern is not None and plain_pattern(pattern)


def _validates_plain(func: ast.FunctionDef, compiled: dict[str, str]) -> bool:
    """`def validate(value): if not re.match(r"^\\d+%?$", value): raise ValidationError(...)`."""
    if not func.args.args:
        return False
    for node in all_nodes(func):
        if not (isinstance(node, ast.If) and isinstance(node.test, ast.UnaryOp) and isinstance(node.test.op, ast.Not)):
            continue
        call = node.test.operand
        if not (isinstance(call, ast.Call) and called_name(call.func) in _MATCHERS):
            continue
        if not any(isinstance(n, ast.Raise) for stmt in node.body for n in all_nodes(stmt)):
            continue
        func_node = call.func
        if (
            isinstance(func_node, ast.Attribute)
            and isinstance(func_node.value, ast.Name)
            and func_node.value.id == "re"
        ):
            pattern = _pattern_of(call.args[0], compiled) if call.args else None  # re.match(PATTERN, value)
        elif isinstance(func_node, ast.Attribute):
            pattern = _pattern_of(func_node.value, compiled)  # RE_NAME.match(value)
        else:
            pattern = None
        if pattern is not None and plain_pattern(pattern):
            return True
    return False
