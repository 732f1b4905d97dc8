"""`djr504-python-default = false` in [tool.djreview]: DJR504 leaves out its softer kind, an
AddField of a NOT NULL column with only a Python default= (Django fills the existing rows and
drops the default: only the old release's inserts fail, during a rolling deploy). Every other
kind is still reported; the default keeps reporting it."""

from __future__ import annotations

import json

import pytest

from djreview.config import Config
from tests.helpers import djreview, flake8, write_project

INITIAL = """
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="Book",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("title", models.CharField(max_length=200)),
                ("isbn", models.CharField(max_length=13)),
                ("pages", models.IntegerField(null=True)),
            ],
        ),
    ]
"""
CHANGE = "shop/migrations/0002_change.py"
OPERATIONS = """
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [
        migrations.AddField(model_name="book", name="stock", field=models.IntegerField(default=0)),
        migrations.AddField(model_name="book", name="blurb", field=models.TextField(blank=True)),
        migrations.AddField(model_name="book", name="added", field=models.DateTimeField(auto_now_add=True)),
        migrations.AddField(model_name="book", name="rank", field=models.IntegerField()),
        migrations.AlterField(model_name="book", name="pages", field=models.IntegerField(default=1)),
        migrations.RemoveField(model_name="book", name="isbn"),
    ]
"""
FILES = {
    "shop/models.py": "",
    "shop/migrations/0001_initial.py": INITIAL,
    CHANGE: OPERATIONS,
}
SOFT = [9, 10, 11]  # the three AddFields with a Python default (explicit, blank "", auto_now_add)
OTHERS = [12, 13, 14]  # AddField with no default at all, AlterField to NOT NULL, RemoveField


def _lines(findings) -> list[int]:
    assert {f.path for f in findings} <= {CHANGE}
    return [f.line for f in findings]


def test_by_default_the_softer_kind_is_reported(review):
    findings = review(FILES, select=("DJR504",))
    assert _lines(findings) == SOFT + OTHERS
    assert "with no database default: Django fills the existing rows (0), then drops the default" in findings[0].text


def test_turned_off_only_the_softer_kind_goes(review):
    findings = review(FILES, select=("DJR504",), config=Config(djr504_python_default=False))
    assert _lines(findings) == OTHERS
    assert findings[0].text.startswith("AddField adds the NOT NULL column book.rank with no default:")


def test_turned_off_other_rules_findings_are_untouched(review):
    files = {**FILES, "shop/migrations/0003_data.py": _DATA}
    on = review(files, select=("DJR50",))
    off = review(files, select=("DJR50",), config=Config(djr504_python_default=False))
    assert [(f.code, f.line) for f in on if f.code != "DJR504"] == [(f.code, f.line) for f in off if f.code != "DJR504"]
    assert any(f.code == "DJR501" for f in off)


_DATA = """
from django.db import migrations


def forwards(apps, schema_editor):
    pass


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_change")]

    operations = [migrations.RunPython(forwards)]
"""


def _pyproject(root, body: str) -> None:
    (root / "pyproject.toml").write_text(f"[tool.djreview]\n{body}", encoding="utf-8")


def _json_lines(result) -> list[int]:
    return [f["line"] for f in json.loads(result.stdout)["findings"]]


def test_the_setting_in_pyproject_through_the_command_line_and_its_cache(tmp_path):
    write_project(tmp_path, FILES)
    args = ("--select", "DJR504", "--format", "json")
    _pyproject(tmp_path, "")
    assert _json_lines(djreview(*args, cwd=tmp_path)) == SOFT + OTHERS
    _pyproject(tmp_path, "djr504-python-default = false\n")
    assert _json_lines(djreview(*args, cwd=tmp_path)) == OTHERS  # the same cache: nothing stale
    assert _json_lines(djreview(*args, CHANGE, cwd=tmp_path)) == OTHERS  # one migration alone
    _pyproject(tmp_path, "djr504-python-default = true\n")
    assert _json_lines(djreview(*args, cwd=tmp_path)) == SOFT + OTHERS


def test_show_settings_says_it(tmp_path):
    write_project(tmp_path, FILES)
    _pyproject(tmp_path, "djr504-python-default = false\n")
    result = djreview("--show-settings", cwd=tmp_path)
    assert "djr504-python-default: false" in result.stdout.splitlines()


@pytest.mark.parametrize("value", ['"no"', "0", "[]"])
def test_a_broken_value_is_one_clear_line(tmp_path, value):
    write_project(tmp_path, FILES)
    _pyproject(tmp_path, f"djr504-python-default = {value}\n")
    result = djreview(cwd=tmp_path)
    assert result.returncode == 2
    assert "djr504-python-default must be true or false" in result.stderr
    assert "Traceback" not in result.stderr


def test_flake8_reads_it_too(tmp_path):
    write_project(tmp_path, FILES)
    _pyproject(tmp_path, "djr504-python-default = false\n")
    result = flake8("--select", "DJR504", CHANGE, cwd=tmp_path)
    assert [int(line.split(":")[1]) for line in result.stdout.splitlines()] == OTHERS, result
