"""djreview --fix / --diff: fixed files parse, a second run changes nothing, bytes outside the
edits are kept (line endings, BOM, mode), and --diff writes nothing."""

from __future__ import annotations

import ast
import stat

from tests.helpers import AUTHOR_AND_BOOK, bookshop_counts, djreview, write_project


def _texts(root):
    return {p: p.read_bytes() for p in sorted(root.rglob("*.py"))}


def test_fix_then_again_changes_nothing_and_every_file_parses(bookshop):
    first = djreview("--fix", "--unsafe-fixes", "--no-cache", ".", cwd=bookshop)
    # every safe and unsafe fix recorded in tests/fixtures/bookshop.fixes.expected, each once
    # (two at one spot included), by code; the suggestions are left
    counts = bookshop_counts()
    applied = counts.fixable_by_code_text("safe", "unsafe")
    assert f"djreview: applied {counts.safe + counts.unsafe} fix(es) ({applied}) to " in first.stderr
    after = _texts(bookshop)
    for data in after.values():
        ast.parse(data)
    second = djreview("--fix", "--unsafe-fixes", "--no-cache", ".", cwd=bookshop)
    assert "applied 0 fix(es)" in second.stderr
    assert _texts(bookshop) == after


def test_two_select_related_fixes_at_one_spot_become_one_call(bookshop):
    djreview("--fix", "--no-cache", ".", cwd=bookshop)
    views = (bookshop / "catalog" / "views.py").read_text(encoding="utf-8")
    # one call, and the line it would make 105 characters long laid out as Black would (88)
    assert (
        "    books = (\n"
        "        Book.objects.filter(is_published=True)\n"
        '        .order_by("title")\n'
        '        .select_related("author", "publisher")\n'
        "    )\n"
    ) in views


def test_diff_writes_nothing_and_exits_one(bookshop):
    before = _texts(bookshop)
    result = djreview("--diff", "--no-cache", ".", cwd=bookshop)
    assert result.returncode == 1
    assert '+        fields = ["name", "slug", "website", "country"]  # expect: DJR301' in result.stdout
    assert _texts(bookshop) == before


def test_safe_only_by_default(tmp_path):
    write_project(
        tmp_path, {"shop/models.py": AUTHOR_AND_BOOK, "shop/views.py": "def f(a):\n    return a.book_set.all()\n"}
    )
    result = djreview("--fix", "--no-cache", "shop", cwd=tmp_path)
    assert "applied 0 fix(es)" in result.stderr  # DJR201 is unsafe: the project reads book_set
    assert "1 of them unsafe (--unsafe-fixes)" in result.stderr


def test_crlf_bom_and_mode_are_kept(tmp_path):
    write_project(tmp_path, {"shop/models.py": AUTHOR_AND_BOOK})
    path = tmp_path / "shop" / "models.py"
    data = "\ufeff" + path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(data.encode("utf-8"))
    path.chmod(0o640)
    djreview("--fix", "--no-cache", "shop", cwd=tmp_path)
    fixed = path.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in fixed.replace(b"\r\n", b"")
    assert b'on_delete=models.CASCADE, related_name="books")\r\n' in fixed
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_str_goes_inside_a_class_nested_in_an_if_block(tmp_path):
    write_project(
        tmp_path,
        {
            "shop/models.py": (
                "from django.db import models\n\nif True:\n\n    class Tag(models.Model):\n"
                "        label = models.CharField(max_length=50)\n\n    OTHER = 1\n"
            )
        },
    )
    djreview("--fix", "--unsafe-fixes", "--no-cache", "shop", cwd=tmp_path)
    text = (tmp_path / "shop" / "models.py").read_text(encoding="utf-8")
    assert (
        "        label = models.CharField(max_length=50)\n\n        def __str__(self):\n            return self.label\n"
        in text
    )
    again = djreview("--fix", "--unsafe-fixes", "--no-cache", "shop", cwd=tmp_path)
    assert "applied 0 fix(es)" in again.stderr


def test_only_the_given_paths_are_written(tmp_path):
    write_project(
        tmp_path,
        {
            "shop/models.py": AUTHOR_AND_BOOK,
            "shop/views.py": (
                "from shop.models import Book\n\n\ndef names():\n    return [b.author.name for b in Book.objects.all()]\n"
            ),
        },
    )
    models_before = (tmp_path / "shop" / "models.py").read_bytes()
    result = djreview("--fix", "--unsafe-fixes", "--no-cache", "shop/views.py", cwd=tmp_path)
    assert "applied 1 fix(es) (DJR101 1)" in result.stderr
    assert (tmp_path / "shop" / "models.py").read_bytes() == models_before
    assert 'Book.objects.all().select_related("author")' in (tmp_path / "shop" / "views.py").read_text()


def test_latin1_file_keeps_its_encoding_and_comments(tmp_path):
    write_project(tmp_path, {})
    (tmp_path / "shop").mkdir()
    (tmp_path / "shop" / "__init__.py").touch()
    source = "# -*- coding: latin-1 -*-\n# r\xe9sum\xe9 of the shop\n" + AUTHOR_AND_BOOK
    path = tmp_path / "shop" / "models.py"
    path.write_bytes(source.encode("latin-1"))
    djreview("--fix", "--no-cache", "shop", cwd=tmp_path)
    fixed = path.read_bytes()
    assert fixed.startswith(b"# -*- coding: latin-1 -*-\n# r\xe9sum\xe9 of the shop\n")
    assert b'related_name="books"' in fixed


def test_overlapping_edits_apply_the_first_and_leave_the_second_for_the_next_round():
    from djreview.finding import Edit
    from djreview.fixes import apply_edits

    text = "x = call(a, b)\n"
    first = Edit("f.py", 1, 5, 1, 15, "other(a)")
    second = Edit("f.py", 1, 10, 1, 11, "z")
    assert apply_edits(text, [second, first]) == "x = other(a)\n"
    assert apply_edits(text, [first, second]) == "x = other(a)\n"  # deterministic in any order


def _reviewed(root, monkeypatch):
    from djreview.engine import Settings, run
    from tests.helpers import ALL_CODES

    monkeypatch.chdir(root)
    return run(["."], Settings(codes=ALL_CODES, jobs=1))


def test_a_file_changed_since_the_review_is_left_alone(tmp_path, monkeypatch):
    """Two `--fix` runs at once: the second must not apply edits located on the text the
    first one has just rewritten (it once left a duplicated related_name that no longer
    compiled)."""
    from djreview.fixes import fix_files

    write_project(tmp_path, {"shop/models.py": AUTHOR_AND_BOOK})
    report = _reviewed(tmp_path, monkeypatch)
    models = tmp_path / "shop/models.py"
    someone_else = models.read_text(encoding="utf-8").replace("on_delete=", 'related_name="books", on_delete=')
    models.write_text(someone_else, encoding="utf-8")
    result = fix_files(report.findings, unsafe=True, write=True, reviewed=report.digests)
    assert models.read_text(encoding="utf-8") == someone_else
    assert not result.applied
    assert result.skipped == ["shop/models.py: changed since it was reviewed; left unchanged (run djreview again)"]


def test_a_file_saved_while_it_is_fixed_is_not_overwritten(tmp_path):
    from djreview.fixes import _write_if_unchanged

    target = tmp_path / "views.py"
    target.write_bytes(b"x = 2\n")  # saved after the fixer read b"x = 1\n"
    assert _write_if_unchanged(target, b"x = 1\n", b"x = 1  # fixed\n") is False
    assert target.read_bytes() == b"x = 2\n"
    assert [p.name for p in tmp_path.iterdir()] == ["views.py"]  # no temporary file left
    assert _write_if_unchanged(target, b"x = 2\n", b"x = 3\n") is True
    assert target.read_bytes() == b"x = 3\n"


def test_a_fix_that_would_not_compile_is_left_out(tmp_path, monkeypatch):
    """ast.parse accepts a keyword argument given twice; compile() does not."""
    from dataclasses import replace

    from djreview.finding import Fix
    from djreview.fixes import fix_files

    write_project(tmp_path, {"shop/models.py": AUTHOR_AND_BOOK})
    report = _reviewed(tmp_path, monkeypatch)
    finding = next(f for f in report.findings if f.code == "DJR201")
    edit = finding.fix.edits[0]
    twice = replace(edit, replacement=', related_name="a", related_name="b"')
    broken = replace(finding, fix=Fix("twice", "safe", (twice,)))
    before = (tmp_path / "shop/models.py").read_bytes()
    result = fix_files([broken], unsafe=False, write=True, reviewed=report.digests)
    assert (tmp_path / "shop/models.py").read_bytes() == before
    assert not result.applied
    assert "would not compile" in result.skipped[0] and "keyword argument repeated" in result.skipped[0]


def test_two_fixing_processes_at_once_apply_each_fix_once(bookshop, tmp_path):
    """Two `djreview --fix` on one tree at the same moment (two editor saves, a hook and a
    terminal): every file still compiles, and together they apply each fix exactly once."""
    import shutil
    import subprocess
    import sys

    from tests.helpers import SRC

    expected = tmp_path / "expected"
    shutil.copytree(bookshop, expected)
    djreview("--fix", "--no-cache", ".", cwd=expected)  # what one run alone writes
    env = {"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    for round in range(3):
        tree = tmp_path / f"tree{round}"
        shutil.copytree(bookshop, tree)
        command = [sys.executable, "-m", "djreview", "--fix", "--no-cache", "-j1", "."]
        runs = [
            subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in "ab"
        ]
        for run in runs:
            out, err = run.communicate(timeout=120)
            assert run.returncode in (0, 1), err.decode()
        for path, data in _texts(tree).items():
            compile(data, str(path), "exec")  # also rejects a repeated keyword argument
        assert {p.relative_to(tree): d for p, d in _texts(tree).items()} == {
            p.relative_to(expected): d for p, d in _texts(expected).items()
        }
