"""Line numbers follow the parser: a line ends only at \\r\\n, \\r or \\n. str.splitlines() also
splits at form feeds (the ^L page breaks of Emacs-style sources), vertical tabs and a few
Unicode separators, which shifted every line after them: a `# noqa` lines above a finding
silenced it, and the loop at the end of a function was missed."""

from __future__ import annotations

import ast

import pytest

from djreview.source import split_lines
from tests.helpers import AUTHOR_MODULE, N_PLUS_ONE_MODELS, codes_lines

# A comment holding a vertical tab, then a page-break line (a form feed): two extra "lines"
# for splitlines(), none for Python.
ODD_LINES = "# section one\x0bstill the comment\n\x0c\n"

MODELS_WITH_PAGE_BREAKS = (
    AUTHOR_MODULE
    + ODD_LINES
    + """

class Book(models.Model):
    title = models.CharField(max_length=200)  # noqa

    author = models.ForeignKey(Author, on_delete=models.CASCADE)

    def __str__(self):
        return self.title
"""
)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a",
        "a\n",
        "a\n\n",
        "a\r\nb\rc\nd",
        "x = 1  # a\x0cb\x0bc\x1cd\x1de\x1ef\x85g\u2028h\u2029i\n\x0c\ny = 2\n",
        "\r\r\n\n",
    ],
)
def test_split_lines_counts_lines_as_the_parser_does(text):
    lines = split_lines(text)
    assert "".join(split_lines(text, keepends=True)) == text
    assert len(split_lines(text, keepends=True)) == len(lines)
    assert all("\r" not in line and "\n" not in line for line in lines)
    ended = text == "" or text.endswith(("\n", "\r"))
    marker = ast.parse(text + ("" if ended else "\n") + "z = 0\n").body[-1]  # on the line after the text
    assert marker.lineno == len(lines) + 1


def test_a_noqa_lines_above_a_finding_does_not_silence_it(review):
    findings = review({"shop/models.py": MODELS_WITH_PAGE_BREAKS}, select=("DJR201",))
    line = MODELS_WITH_PAGE_BREAKS.split("\n").index("    author = models.ForeignKey(Author, on_delete=models.CASCADE)")
    assert codes_lines(findings) == [("DJR201", "shop/models.py", line + 1)]
    assert findings[0].column == 14


def test_a_noqa_on_the_finding_line_still_silences_it(review):
    source = MODELS_WITH_PAGE_BREAKS.replace("on_delete=models.CASCADE)\n", "on_delete=models.CASCADE)  # noqa\n")
    assert review({"shop/models.py": source}, select=("DJR201",)) == []


VIEWS_WITH_PAGE_BREAKS = (
    "from shop.models import Book\n"
    + ODD_LINES
    + """

def titles():
    books = Book.objects.all()
    names = []
    count = 0
    for book in books:
        names.append(book.author.name)
"""
)


def test_a_loop_after_a_form_feed_is_still_reviewed(review):
    findings = review(
        {"shop/models.py": N_PLUS_ONE_MODELS, "shop/views.py": VIEWS_WITH_PAGE_BREAKS}, select=("DJR101",)
    )
    line = VIEWS_WITH_PAGE_BREAKS.split("\n").index("        names.append(book.author.name)") + 1
    assert [(f.code, f.path, f.line, f.column) for f in findings] == [("DJR101", "shop/views.py", line, 22)]
    assert "book.author" in findings[0].message


def test_an_unknown_noqa_code_is_named_at_its_own_line():
    from djreview.noqa import unknown_codes

    text = "import os\n" + ODD_LINES + "x = 1  # noqa: DJR999\n"
    assert unknown_codes("app.py", text, ("DJR101",)) == [
        "app.py:4: warning: `# noqa: DJR999` names no djreview code (see `djreview rules`)"
    ]
