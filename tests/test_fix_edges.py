"""Exit 2 for djreview's own failures, and --fix at the edges: links, owners, lone CR line
endings, a file that cannot be written in the middle of a run."""

from __future__ import annotations

import json
import os

import pytest

from tests.helpers import AUTHOR_AND_BOOK, TAG_WITHOUT_STR, djreview, write_project

FIXED_FK = 'on_delete=models.CASCADE, related_name="books")'


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "proj"
    write_project(root, {"shop/models.py": AUTHOR_AND_BOOK, "shop/legacy.py": TAG_WITHOUT_STR})
    return root


def test_an_internal_error_exits_2_with_one_line(project, monkeypatch):
    from djreview import engine

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(engine, "run", broken)
    result = djreview(cwd=project, env={"DJREVIEW_DEBUG": ""})
    assert result.returncode == 2
    assert result.stderr.startswith("djreview: internal error: ValueError: a bug (test_fix_edges.py:")
    assert len(result.stderr.splitlines()) == 1


def test_ctrl_c_exits_130(project, monkeypatch):
    from djreview import engine

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "run", interrupted)
    result = djreview(cwd=project)
    assert (result.returncode, result.stderr.strip()) == (130, "djreview: interrupted")


def test_a_symlink_loop_is_a_note_and_the_run_goes_on(project):
    os.symlink("loop.py", project / "shop" / "loop.py")
    result = djreview("--format", "json", cwd=project)
    assert result.returncode == 1
    found = [(f["code"], f["path"], f["message"]) for f in json.loads(result.stdout)["findings"]]
    assert [f[:2] for f in found] == [
        ("DJR202", "shop/legacy.py"),
        ("DJR001", "shop/loop.py"),
        ("DJR201", "shop/models.py"),
    ]
    assert "Too many levels of symbolic links" in found[1][2]


def test_fix_with_lone_cr_line_endings(project):
    path = project / "shop" / "models.py"
    path.write_bytes(AUTHOR_AND_BOOK.replace("\n", "\r").encode())
    result = djreview("--fix", "--unsafe-fixes", "shop/models.py", cwd=project)
    assert result.returncode == 0, result.stderr
    fixed = path.read_bytes()
    assert b"\n" not in fixed
    assert fixed == AUTHOR_AND_BOOK.replace("\n", "\r").replace("on_delete=models.CASCADE)", FIXED_FK).encode()


@pytest.mark.parametrize("format_", ["sarif", "gitlab", "json"])
def test_machine_formats_with_a_file_name_that_is_not_utf8(project, format_):
    name = os.fsdecode(b"caf\xe9.py")
    (project / "shop" / name).write_text(TAG_WITHOUT_STR.replace("Tag", "Cafe"), encoding="utf-8")
    result = djreview("--format", format_, cwd=project)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    if format_ == "sarif":
        uris = [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in data["runs"][0]["results"]]
        assert "shop/caf%E9.py" in uris


def test_fix_reports_what_it_could_not_write_and_fixes_the_rest(project, monkeypatch):
    from djreview import fixes

    write_project(project, {"blog/models.py": AUTHOR_AND_BOOK})
    real = fixes._write_if_unchanged

    def refuse_blog(path, read, data):
        if "blog" in str(path):
            raise PermissionError(13, "Permission denied")
        return real(path, read, data)

    monkeypatch.setattr(fixes, "_write_if_unchanged", refuse_blog)
    result = djreview("--fix", "--unsafe-fixes", cwd=project)
    assert "djreview: blog/models.py: cannot write it (Permission denied); left unchanged" in result.stderr
    assert result.stderr.count("cannot write it") == 1
    assert "(DJR201 1, DJR202 1) to 2 file(s), left 1 file(s) unchanged; 1 fixable left (DJR201 1)" in result.stderr
    assert FIXED_FK in (project / "shop" / "models.py").read_text()
    assert FIXED_FK not in (project / "blog" / "models.py").read_text()


def test_fix_never_follows_a_link_out_of_the_given_paths(project, tmp_path):
    outside = tmp_path / "elsewhere.py"
    outside.write_text(AUTHOR_AND_BOOK, encoding="utf-8")
    link = project / "shop" / "models.py"
    link.unlink()
    link.symlink_to(outside)
    result = djreview("--fix", "--unsafe-fixes", "shop", cwd=project)
    assert f"shop/models.py: a link to {outside}, outside the paths given; left unchanged" in result.stderr
    assert link.is_symlink() and outside.read_text() == AUTHOR_AND_BOOK


def test_fix_edits_a_linked_file_inside_where_it_lives(project):
    target = project / "shop" / "models_impl.txt"
    target.write_text(AUTHOR_AND_BOOK, encoding="utf-8")
    link = project / "shop" / "models.py"
    link.unlink()
    link.symlink_to("models_impl.txt")
    djreview("--fix", "--unsafe-fixes", "shop", cwd=project)
    assert link.is_symlink()
    assert FIXED_FK in target.read_text()


def test_fix_keeps_hard_links(project, tmp_path):
    path = project / "shop" / "models.py"
    twin = tmp_path / "twin.py"
    os.link(path, twin)
    djreview("--fix", "--unsafe-fixes", "shop", cwd=project)
    assert os.path.samefile(path, twin)
    assert FIXED_FK in twin.read_text()


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root to give a file away")
def test_fix_keeps_the_files_owner(project):
    path = project / "shop" / "models.py"
    os.chown(path, 4321, 4321)
    djreview("--fix", "--unsafe-fixes", "shop", cwd=project)
    assert FIXED_FK in path.read_text()
    assert (path.stat().st_uid, path.stat().st_gid) == (4321, 4321)
