"""The terminal output (rich) of one finding: the message and hint wrap under themselves, the
code frame is the whole statement holding the finding (capped), in Python colours; and the
rule pages `djreview rule` prints."""

from __future__ import annotations

import io
import re

import pytest
from click.testing import CliRunner
from rich.console import Console

from djreview.cli import main
from djreview.engine import Settings, run
from djreview.report.frame import MAX_LINES
from djreview.report.text import render_plain, render_rich
from tests.helpers import ALL_CODES, AUTHOR_MODULE, write_project

WIDTH = 60

MULTI_LINE_FK = (
    AUTHOR_MODULE
    + """

class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(
        Author,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )

    def __str__(self):
        return self.title
"""
)


def _render(tmp_path, monkeypatch, files: dict[str, str], styles: bool = False) -> list[str]:
    write_project(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    report = run(["."], Settings(codes=ALL_CODES, jobs=1))
    console = Console(file=io.StringIO(), force_terminal=True, width=WIDTH, color_system="truecolor", record=True)
    render_rich(report, console)
    return console.export_text(styles=styles).splitlines()


def _block(lines: list[str], header: str) -> list[str]:
    """The lines of the finding whose header line starts with `header`."""
    start = next(i for i, line in enumerate(lines) if line.startswith(header))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].strip())
    return lines[start:end]


def test_the_message_and_hint_wrap_under_themselves(tmp_path, monkeypatch):
    lines = _render(tmp_path, monkeypatch, {"shop/models.py": MULTI_LINE_FK})
    block = _block(lines, "shop/models.py:14:14 DJR201")
    hint = next(i for i, line in enumerate(block) if line.startswith("  hint: "))
    message = block[1:hint]
    assert len(message) > 1, "the message is longer than the console: it wraps"
    assert all(line.startswith("  ") and not line.startswith("   ") for line in message)
    assert " ".join(line.strip() for line in message).startswith(
        "Book.author: ForeignKey to Author has no related_name"
    )
    frame = next(i for i, line in enumerate(block) if "❱" in line)
    hint_lines = block[hint:frame]
    assert len(hint_lines) > 1, "the hint wraps too"
    assert all(line.startswith(" " * len("  hint: ")) and line[len("  hint: ")] != " " for line in hint_lines[1:])
    assert all(len(line.rstrip()) <= WIDTH for line in block)


def test_the_frame_shows_the_whole_multi_line_statement(tmp_path, monkeypatch):
    lines = _render(tmp_path, monkeypatch, {"shop/models.py": MULTI_LINE_FK})
    block = _block(lines, "shop/models.py:14:14 DJR201")
    code = [line for line in block if re.match(r"\s*(❱\s*)?\d+ ", line)]
    numbers = [int(re.match(r"\s*(?:❱\s*)?(\d+) ", line).group(1)) for line in code]
    assert numbers == [14, 15, 16, 17, 18, 19]  # `author = models.ForeignKey(` to its `)`
    assert "❱" in code[0] and "author = models.ForeignKey(" in code[0]
    assert code[-1].rstrip().endswith(")")
    assert "title = models.CharField" not in "\n".join(block)  # the statement, not its neighbours
    assert not any(line.strip() == "…" for line in block)


def test_the_frame_is_in_python_colours(tmp_path, monkeypatch):
    lines = _render(tmp_path, monkeypatch, {"shop/models.py": MULTI_LINE_FK}, styles=True)
    code_line = next(line for line in lines if "on_delete" in line)
    assert "\x1b[" in code_line.split("on_delete")[0]  # the code is styled (rich Syntax)


def test_a_long_statement_is_capped_with_an_ellipsis(tmp_path, monkeypatch):
    arguments = "".join(f"        {name}=True,\n" for name in ("null", "blank", "db_index", "editable", "unique"))
    arguments += "".join(f"        help_text_{i}=None,\n" for i in range(10))
    source = MULTI_LINE_FK.replace("        null=True,\n        blank=True,\n", arguments)
    lines = _render(tmp_path, monkeypatch, {"shop/models.py": source})
    block = _block(lines, "shop/models.py:14:14 DJR201")
    code = [line for line in block if re.match(r"\s*(❱\s*)?\d+ ", line)]
    assert len(code) == MAX_LINES
    assert "❱" in code[0] and "author = models.ForeignKey(" in code[0]
    assert block[block.index(code[-1]) + 1].strip() == "…"


def test_the_frame_follows_the_parser_s_lines(tmp_path, monkeypatch):
    """A form feed (a page break) above the finding does not shift the frame."""
    source = MULTI_LINE_FK.replace("\n\nclass Book", "\n\x0c\nclass Book")
    lines = _render(tmp_path, monkeypatch, {"shop/models.py": source})
    marked = next(line for line in lines if "❱" in line)
    assert "14" in marked and "author = models.ForeignKey(" in marked


def test_plain_output_is_unchanged(tmp_path, monkeypatch):
    write_project(tmp_path, {"shop/models.py": MULTI_LINE_FK})
    monkeypatch.chdir(tmp_path)
    report = run(["."], Settings(codes=ALL_CODES, jobs=1))
    out: list[str] = []
    render_plain(report, out.append)
    assert out[0] == (
        "shop/models.py:14:14: DJR201 Book.author: ForeignKey to Author has no related_name, so the reverse "
        'accessor is the implicit `author.book_set`. Add related_name="books" (makemigrations will record it).'
    )


@pytest.mark.parametrize("code", ["DJR101", "DJR102", "DJR106", "DJR201", "DJR202", "DJR301"])
def test_a_rule_page_quotes_its_seed_without_the_file_name(code):
    result = CliRunner().invoke(main, ["rule", code])
    assert result.exit_code == 0
    seed = [line for line in result.output.splitlines() if line.startswith("| seed |")]
    assert len(seed) == 1 and re.fullmatch(r'\| seed \| ".+" \|', seed[0])
    assert ".txt" not in result.output
    assert "## What it finds" in result.output


def test_the_parse_error_page_has_no_seed_row():
    result = CliRunner().invoke(main, ["rule", "DJR001"])
    assert result.exit_code == 0
    assert "| seed |" not in result.output
    assert "| code | DJR001 |" in result.output
