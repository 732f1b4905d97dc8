"""DJR001 covers what only compile() rejects: the parser (ast.parse) accepts these files, Python
cannot run them. compile() itself runs only on the files a cheap scan flags, so each case
here also checks that the scan flags it."""

from __future__ import annotations

import ast

import pytest

from djreview.compile_errors import suspect
from tests.helpers import AUTHOR_AND_BOOK, codes_lines

# (source, line and column of the error, compile()'s message)
CASES = {
    "return outside a function": ("x = 1\nreturn x\n", 2, 1, "'return' outside function"),
    "return in a class body": ("class A:\n    return 1\n", 2, 5, "'return' outside function"),
    "yield at module level": ("import os\nvalue = yield os\n", 2, 9, "'yield' outside function"),
    "yield in a class inside a function": (
        "def f():\n    class A:\n        x = yield\n",
        3,
        13,
        "'yield' outside function",
    ),
    "yield in a comprehension": (
        "def f(y):\n    return [(yield x) for x in y]\n",
        2,
        14,
        "'yield' inside list comprehension",
    ),
    "await outside an async function": ("def f():\n    return await g()\n", 2, 12, "'await' outside async function"),
    "await at module level": ("await g()\n", 1, 1, "'await' outside function"),
    "await in a lambda of an async function": (
        "async def f():\n    g = lambda: await h()\n",
        2,
        17,
        "'await' outside async function",
    ),
    "async for outside an async function": (
        "def f(y):\n    async for x in y:\n        pass\n",
        2,
        5,
        "'async for' outside async function",
    ),
    "async with outside an async function": (
        "def f(y):\n    async with y:\n        pass\n",
        2,
        5,
        "'async with' outside async function",
    ),
    "break outside a loop": ("def f():\n    break\n", 2, 5, "'break' outside loop"),
    "break in a loop's else": ("for x in y:\n    pass\nelse:\n    break\n", 4, 5, "'break' outside loop"),
    "continue outside a loop": ("if True:\n    continue\n", 2, 5, "'continue' not properly in loop"),
    "nonlocal at module level": ("nonlocal x\n", 1, 1, "nonlocal declaration not allowed at module level"),
    "nonlocal without a binding": ("def f():\n    nonlocal x\n", 2, 5, "no binding for nonlocal 'x' found"),
    "repeated keyword argument": (
        "from django.db import models\n\n\nclass Book(models.Model):\n"
        "    author = models.ForeignKey(\n        'Author',\n        related_name='books',\n"
        "        on_delete=models.CASCADE,\n        related_name='books',\n    )\n",
        9,
        9,
        "keyword argument repeated: related_name",
    ),
    "repeated keyword after a nested call": ("f(a=g(1, b=2), a=3)\n", 1, 16, "keyword argument repeated: a"),
    "repeated class keyword": (
        "class A(metaclass=M, metaclass=N):\n    pass\n",
        1,
        22,
        "keyword argument repeated: metaclass",
    ),
    "repeated parameter": ("def f(self, a, *, a):\n    pass\n", 1, 19, "duplicate argument 'a' in function definition"),
    "repeated lambda parameter": ("f = lambda a, a: a\n", 1, 15, "duplicate argument 'a' in function definition"),
    "global after assignment": (
        "def f():\n    x = 1\n    global x\n",
        3,
        5,
        "name 'x' is assigned to before global declaration",
    ),
    "late __future__ import": (
        "import os\nfrom __future__ import annotations\n",
        2,
        1,
        "from __future__ imports must occur at the beginning of the file",
    ),
    "import * in a function": ("def f():\n    from os import *\n", 2, 20, "import * only allowed at module level"),
    "bare except before another": (
        "try:\n    pass\nexcept:\n    pass\nexcept ValueError:\n    pass\n",
        3,
        1,
        "default 'except:' must be last",
    ),
    "return a value in an async generator": (
        "async def f():\n    yield 1\n    return 2\n",
        3,
        5,
        "'return' with value in async generator",
    ),
    "walrus in a comprehension iterable": (
        "[x for x in (y := [1])]\n",
        1,
        14,
        "assignment expression cannot be used in a comprehension iterable expression",
    ),
    "assigning __debug__": ("__debug__ = 1\n", 1, 1, "cannot assign to __debug__"),
}


@pytest.mark.parametrize("name", CASES)
def test_reports_what_only_compile_rejects(review, name):
    source, line, column, message = CASES[name]
    ast.parse(source)  # the parser lets it through: only compile() rejects it
    with pytest.raises(SyntaxError) as rejected:
        compile(source, "broken.py", "exec", dont_inherit=True)
    assert (rejected.value.lineno, rejected.value.offset, rejected.value.msg) == (line, column, message)
    findings = review({"app/broken.py": source})
    assert [(f.code, f.path, f.line, f.column) for f in findings] == [("DJR001", "app/broken.py", line, column)]
    assert findings[0].severity == "error"
    assert findings[0].message == f"syntax error: {message}"


def test_the_rest_of_the_project_is_still_reviewed(review):
    findings = review({"app/broken.py": "return 1\n", "shop/models.py": AUTHOR_AND_BOOK})
    assert codes_lines(findings) == [("DJR001", "app/broken.py", 1), ("DJR201", "shop/models.py", 14)]


VALID = '''"""A module that compiles: what the scan must not mistake for an error."""
from __future__ import annotations

import re


def numbers(rows, limit=10):
    for row in rows:
        if row is None:
            continue
        if (match := re.match(r"\\d+", row)) is not None:
            yield int(match.group())
        else:
            break


async def fetch(client, urls, *, retries=3):
    async with client:
        results = [await client.get(u, timeout=1, retries=retries) for u in urls]
        async for item in client.stream(timeout=2):
            results.append(item)
        return results


def counter():
    count = 0

    def bump(step=1):
        nonlocal count
        count += step
        return count

    return bump


class Report:
    """A report."""

    title = dict(a=1, b=2)
    other = dict(a=3, b=4)

    def rows(self, *args, **kwargs):
        return [f(x, a=1) for x in args if g(x, a=2)]
'''


def test_a_file_that_compiles_is_not_reported(review):
    compile(VALID, "valid.py", "exec", dont_inherit=True)
    assert review({"app/valid.py": VALID}) == []


def test_the_scan_does_not_flag_a_file_that_compiles():
    """compile() runs only on flagged files: ordinary code is not flagged (the cost of a cold
    run depends on it)."""
    assert not suspect(ast.parse(VALID), VALID)


@pytest.mark.parametrize("name", CASES)
def test_the_scan_flags_each_case(name):
    source = CASES[name][0]
    assert suspect(ast.parse(source), source)
