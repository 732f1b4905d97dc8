"""What only compile() rejects: `return` outside a function, `break` outside a loop, a repeated
keyword argument, `nonlocal` at module level... The parser (ast.parse) accepts these files;
Python's compiler does not, so they cannot run and are DJR001 findings.

Compiling every file costs about an eighth of a cold run, so compile() runs only on the files
that `suspect()` flags: a walk of the statements (never of the expressions, which are most of
a tree), a scan of the text for a name given twice as `name=` inside one pair of parentheses,
and, for what lives inside expressions (`yield`, `await`, `:=`...), the word in the text.
Like a prefilter, `suspect()` over-approximates: a false alarm only costs a compile().
"""

from __future__ import annotations
import __future__

import ast
import re
import warnings
from typing import Any

# Expressions compile() may reject where the parser did not, found by their words: `yield`
# outside a function or in a comprehension, `await` or an async comprehension outside an async
# function, `:=` in a comprehension's iterable or rebinding its variable.
_WORDS = ("yield", "await", "async", ":=")
_WORD = re.compile(r"yield|await|async|:=")  # a plain alternation: much faster than with \b
_ASYNC_FOR = re.compile(r"async\s+for\b")
_FOR = re.compile(r"\bfor\b")
_YIELD_FROM = re.compile(r"yield\s+from\b")
_FEATURES = frozenset(__future__.all_feature_names)
_PAREN = re.compile(r"[()]")
# `name=` after an opening parenthesis or a comma, reversed: `=` (not of `==`, `<=`, `+=`...),
# the name, then `(` or `,`.
_KEYWORD_REVERSED = re.compile(r"=(?![=!<>:+\-*/%&|^@])[ \t]*(\w+)\s*[(,]")
_LAMBDA_PARAMETERS = re.compile(r"lambda\b([^:\n]*):")  # a literal first: fast to find
_TRIES = frozenset({ast.Try, getattr(ast, "TryStar", ast.Try)})
# Statements with nothing to check: most of a tree, skipped at the cost of one set lookup. (A
# starred expression alone, `x = *a` or `*a = b`, is compile()'s to reject: not looked for.)
_PLAIN = frozenset(
    {ast.Expr, ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Pass, ast.Raise, ast.Assert, ast.Import, ast.Delete}
)
# Always worth a compile(): their checks live in the symbol table or the pattern compiler.
_RARE = frozenset({ast.Global, ast.Match, *((ast.TypeAlias,) if hasattr(ast, "TypeAlias") else ())})


def compile_error(tree: ast.Module, text: str) -> SyntaxError | None:
    """compile()'s own error for a file the parser accepted, or None."""
    if not suspect(tree, text):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning is not ours to print
            compile(tree, "<djreview>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return exc
    except (ValueError, RecursionError, MemoryError):
        return None  # the compiler's own limits on a tree built in Python: not the file's fault
    return None


def suspect(tree: ast.Module, text: str) -> bool:
    if "__debug__" in text:
        return True  # assigned or deleted, compile() rejects it
    if "lambda" in text and _repeated_lambda_parameter(text):
        return True
    scopes: list[tuple[int, int, str]] = []
    async_returns: set[int] = set()
    if _suspect_statement(tree, scopes, async_returns):
        return True
    if any(word in text for word in _WORDS) and _misplaced_word(text, scopes, async_returns):
        return True
    return repeated_keyword(text)


def repeated_keyword(text: str) -> bool:
    """Whether some name is given twice as `name=` inside one pair of parentheses (a call's
    keywords, a definition's defaults): twice at the same depth, with no parenthesis closing
    in between. The `name=` are found on the reversed text, where the pattern starts with `=`,
    a literal the regex engine skips to (a pattern that starts with a name is tried at every
    letter: four times slower); the parentheses are only counted. Strings and comments are not
    told apart: a bracket in one can only make a false alarm or hide a repeat in that call."""
    backwards = text[::-1]
    size = len(backwards)
    found = [
        (size - m.start(), m.group(1))
        for m in _KEYWORD_REVERSED.finditer(backwards)
        if not (m.start() and backwards[m.start() - 1] == "=")  # `==`
    ]
    last: dict[tuple[str, int], int] = {}
    depth, counted = 0, 0
    for at, name in reversed(found):
        depth += text.count("(", counted, at) - text.count(")", counted, at)
        counted = at
        if depth <= 0:
            continue  # `a, b = ...` outside parentheses
        before = last.get((name, depth))
        last[(name, depth)] = at
        if before is not None and not _closes(text, before, at):
            return True
    return False


def _closes(text: str, start: int, end: int) -> bool:
    """Whether a parenthesis open at `start` is closed before `end` (usually soon: the next
    `name=` at the same depth belongs to another call)."""
    level = 0
    for match in _PAREN.finditer(text, start, end):
        level += 1 if match.group() == "(" else -1
        if level < 0:
            return True
    return False


def _repeated_lambda_parameter(text: str) -> bool:
    for parameters in _LAMBDA_PARAMETERS.findall(text):
        names = [p.split("=", 1)[0].strip().lstrip("*").strip() for p in parameters.split(",")]
        names = [n for n in names if n]
        if len(set(names)) != len(names):
            return True
    return False


def _misplaced_word(text: str, scopes: list[tuple[int, int, str]], async_returns: set[int]) -> bool:
    """Whether `yield`, `await`, `async for` or `:=` is written (code, string or comment alike)
    where compile() could reject it, judged by the lines of the definitions around it."""
    if "\r" in text:  # count lines as the parser does; only line numbers are used below
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    scopes.sort()
    line, counted = 1, 0
    for match in _WORD.finditer(text):
        at, end, word = match.start(), match.end(), match.group()
        if word != ":=" and (_is_name_char(text, at - 1) or _is_name_char(text, end)):
            continue  # part of a longer name
        if word == "async" and not _ASYNC_FOR.match(text, at):
            continue
        line += text.count("\n", counted, at)
        counted = at
        kind, owner = "module", 0
        for first, last, what in scopes:  # sorted by first line: the last holding it is the innermost
            if first > line:
                break
            if line <= last:
                kind, owner = what, first
        # its line: a comprehension written on one line (a `for` loop around a `yield` is fine)
        end = text.find("\n", at)
        near = text[text.rfind("\n", 0, at) + 1 : end if end >= 0 else len(text)]
        if word == ":=":
            if _FOR.search(near):
                return True
        elif word == "yield":
            if kind == "async" and owner not in async_returns and not _YIELD_FROM.match(text, at):
                continue  # an async generator
            if kind != "def" or _FOR.search(near):
                return True  # outside a function, or in a comprehension
        elif kind != "async" or "lambda" in near:
            return True  # outside an async function (a lambda is not one)
    return False


def _is_name_char(text: str, at: int) -> bool:
    return 0 <= at < len(text) and (text[at].isalnum() or text[at] == "_")


def _suspect_statement(tree: ast.Module, scopes: list[tuple[int, int, str]], async_returns: set[int]) -> bool:
    """Whether a statement sits where compile() rejects it, or is one worth a compile();
    `scopes` receives the lines of every definition: (first, last, "def"/"async"/"class"),
    `async_returns` the first lines of async functions that return a value."""
    futures = _leading_futures(tree.body)
    # (statements, the function they are in: None, "def", "async" or "nested" (a def in a
    # def), its first line, in a loop, at module level)
    stack: list[tuple[list[Any], str | None, int, bool, bool]] = [(tree.body, None, 0, False, True)]
    while stack:
        body, function, owner, loop, module = stack.pop()
        for stmt in body:
            kind = type(stmt)
            if kind in _PLAIN:
                continue
            if kind is ast.Return:
                if function is None or type(stmt.value) is ast.Starred:
                    return True
                if function == "async" and stmt.value is not None:
                    async_returns.add(owner)  # with a `yield`, compile() rejects it
            elif kind is ast.Break or kind is ast.Continue:
                if not loop:
                    return True
            elif kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
                if _repeated_parameter(stmt.args) or getattr(stmt, "type_params", None):
                    return True
                inner = "async" if kind is ast.AsyncFunctionDef else "def"
                scopes.append((stmt.lineno, stmt.end_lineno or stmt.lineno, inner))
                stack.append((stmt.body, "nested" if function and inner == "def" else inner, stmt.lineno, False, False))
            elif kind is ast.ClassDef:
                if getattr(stmt, "type_params", None):
                    return True
                scopes.append((stmt.lineno, stmt.end_lineno or stmt.lineno, "class"))
                stack.append((stmt.body, None, 0, False, False))  # a class body is no function's
            elif kind is ast.If:
                stack.append((stmt.body, function, owner, loop, module))
                stack.append((stmt.orelse, function, owner, loop, module))
            elif kind is ast.For or kind is ast.While or kind is ast.AsyncFor:
                if kind is ast.AsyncFor and function != "async":
                    return True
                if kind is not ast.While and _bad_target(stmt.target):
                    return True
                stack.append((stmt.body, function, owner, True, module))
                stack.append((stmt.orelse, function, owner, loop, module))  # `break` there leaves the outer loop
            elif kind is ast.With or kind is ast.AsyncWith:
                if kind is ast.AsyncWith and function != "async":
                    return True
                if any(item.optional_vars is not None and _bad_target(item.optional_vars) for item in stmt.items):
                    return True
                stack.append((stmt.body, function, owner, loop, module))
            elif kind in _TRIES:
                if any(handler.type is None for handler in stmt.handlers[:-1]):
                    return True  # a bare `except:` must be the last
                for block in (stmt.body, stmt.orelse, stmt.finalbody, *(h.body for h in stmt.handlers)):
                    stack.append((block, function, owner, loop, module))
            elif kind is ast.ImportFrom:
                if stmt.module == "__future__" and id(stmt) not in futures:
                    return True
                if not module and stmt.names[0].name == "*":
                    return True
            elif kind is ast.Nonlocal:
                if function != "nested":
                    return True  # only a def inside a def has names to share
            elif kind in _RARE:
                return True
    return False


def _leading_futures(body: list[ast.stmt]) -> set[int]:
    """The `from __future__` imports where they are allowed: first, after the docstring, and
    naming features that exist."""
    allowed: set[int] = set()
    docstring = body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0].value, "value", None), str)
    start = 1 if docstring else 0
    for stmt in body[start:]:
        if not (isinstance(stmt, ast.ImportFrom) and stmt.module == "__future__"):
            break
        if all(alias.name in _FEATURES for alias in stmt.names):
            allowed.add(id(stmt))
    return allowed


def _repeated_parameter(args: ast.arguments) -> bool:
    names = [a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
    names += [a.arg for a in (args.vararg, args.kwarg) if a is not None]
    return len(set(names)) != len(names)


def _bad_target(target: ast.expr) -> bool:
    """`*a = ...` alone, or two starred names in one unpacking."""
    if isinstance(target, ast.Starred):
        return True
    if isinstance(target, (ast.Tuple, ast.List)):
        return sum(isinstance(e, ast.Starred) for e in target.elts) > 1
    return False
