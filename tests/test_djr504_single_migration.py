"""DJR504 on one migration alone (`djreview shop/migrations/0003_x.py`, a pull request's
changed files, flake8 on one file): the other migrations of its folder are indexed (the app's
history the rule replays) but not reviewed, and the finding is the whole project's."""

from __future__ import annotations

import json

from djreview.engine import run
from djreview.settings import Settings
from tests.helpers import djreview, flake8, git, write_project

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
            ],
        ),
    ]
"""
# a finding of its own (the model 0001 created loses a column), so that reviewing the
# siblings would show
DROP_TITLE = """
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]

    operations = [migrations.RemoveField(model_name="book", name="title")]
"""
DROP_ISBN = """
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("shop", "0002_drop_title")]

    operations = [migrations.RemoveField(model_name="book", name="isbn")]
"""
THIRD = "shop/migrations/0003_drop_isbn.py"
FILES = {
    "manage.py": "",  # the project root: siblings are not in the folder the run starts from
    "shop/models.py": "from django.db import models\n\n\nclass Book(models.Model):\n    pass\n",
    "shop/migrations/0001_initial.py": INITIAL,
    "shop/migrations/0002_drop_title.py": DROP_TITLE,
    THIRD: DROP_ISBN,
}


def _run(paths: list[str], codes: tuple[str, ...] = ("DJR504",)) -> list[tuple[str, str, int, str]]:
    report = run(paths, Settings(codes=codes, jobs=1))
    return [(f.code, f.path, f.line, f.message) for f in report.findings]


def test_one_migration_alone_gets_the_finding_of_the_whole_project(tmp_path, monkeypatch):
    write_project(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    whole = _run(["."])
    assert [(c, p) for c, p, _, _ in whole] == [
        ("DJR504", "shop/migrations/0002_drop_title.py"),
        ("DJR504", THIRD),
    ]
    alone = _run([THIRD])
    assert alone == [f for f in whole if f[1] == THIRD]  # the siblings are indexed, not reviewed
    assert "RemoveField drops book.isbn" in alone[0][3]


def test_reviewed_alone_it_counts_as_one_file(tmp_path, monkeypatch):
    write_project(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    assert run([THIRD], Settings(codes=("DJR504",), jobs=1)).files == 1


def test_a_run_on_a_plain_module_does_not_index_migrations(tmp_path, monkeypatch):
    from djreview import engine

    write_project(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    files, extra, _, _ = engine._project_files(["shop/models.py"], Settings(codes=("DJR504",), jobs=1))
    assert not [p for p in files + extra if "migrations" in p.parts]
    # nor siblings when no enabled rule replays the history
    files, extra, _, _ = engine._project_files([THIRD], Settings(codes=("DJR501",), jobs=1))
    assert [p.name for p in files + extra if "migrations" in p.parts] == ["0003_drop_isbn.py"]


def test_two_migrations_of_the_folder_named_are_each_reviewed_once(tmp_path, monkeypatch):
    write_project(tmp_path, FILES)
    monkeypatch.chdir(tmp_path)
    found = _run(["shop/migrations/0002_drop_title.py", THIRD])
    assert [(c, p) for c, p, _, _ in found] == [
        ("DJR504", "shop/migrations/0002_drop_title.py"),
        ("DJR504", THIRD),
    ]


def test_the_command_line_on_one_migration(tmp_path):
    write_project(tmp_path, FILES)
    result = djreview("--no-cache", "--select", "DJR504", "--format", "json", THIRD, cwd=tmp_path)
    data = json.loads(result.stdout)
    assert [(f["code"], f["path"]) for f in data["findings"]] == [("DJR504", THIRD)]
    assert data["summary"]["files"] == 1
    assert result.returncode == 1


def test_the_command_line_with_its_cache_on_one_migration_then_the_whole_project(tmp_path):
    write_project(tmp_path, FILES)
    alone = djreview("--select", "DJR504", "--format", "json", THIRD, cwd=tmp_path)
    whole = djreview("--select", "DJR504", "--format", "json", cwd=tmp_path)
    again = djreview("--select", "DJR504", "--format", "json", THIRD, cwd=tmp_path)
    paths = [[f["path"] for f in json.loads(r.stdout)["findings"]] for r in (alone, whole, again)]
    assert paths == [[THIRD], ["shop/migrations/0002_drop_title.py", THIRD], [THIRD]]


def test_a_pull_request_that_adds_one_migration_reviewed_by_its_changed_files(tmp_path):
    write_project(tmp_path, {k: v for k, v in FILES.items() if k != THIRD})
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    write_project(tmp_path, {THIRD: DROP_ISBN})
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "the pull request: drop isbn")
    for paths in ([THIRD], ["."]):  # the changed files named, or the whole project narrowed
        result = djreview(
            "--no-cache", "--select", "DJR504", "--format", "json", "--changed-since", "HEAD~1", *paths, cwd=tmp_path
        )
        assert [(f["code"], f["path"]) for f in json.loads(result.stdout)["findings"]] == [("DJR504", THIRD)]


def test_flake8_on_one_migration(tmp_path):
    write_project(tmp_path, FILES)
    result = flake8("--select", "DJR504", THIRD, cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{THIRD}:8:19: DJR504 RemoveField drops book.isbn"), result
