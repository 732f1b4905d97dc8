"""Bad input gets a DJR001 finding or one clear line, and the run goes on."""

from __future__ import annotations

import os
import sys

import pytest

from djreview.engine import Settings, run
from tests.helpers import TAG_WITHOUT_STR, codes_lines, djreview, write_project


def test_syntax_error_is_djr001_and_the_run_goes_on(review):
    findings = review({"app/broken.py": "def f(:\n    pass\n", "app/models.py": TAG_WITHOUT_STR})
    assert codes_lines(findings) == [("DJR001", "app/broken.py", 1), ("DJR202", "app/models.py", 5)]
    assert findings[0].severity == "error"
    assert findings[0].message.startswith("syntax error")


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="Python 3.12 reads these f-strings")
def test_an_f_string_only_python_3_12_reads_says_so(review):
    # djangoproject.com's `f"<p>{re.sub(r'`([^`]+)`', r'<code>\\1</code>', line)}</p>"`: a backslash in
    # the braces, valid from Python 3.12 (PEP 701). The twin is an error on every version
    code = "def cve(line):\n    return f\"<p>{line.replace('\\n', ' ')}</p>\"\n"
    (finding,) = review({"app/utils.py": code})
    assert finding.code == "DJR001" and finding.line == 2
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert f"valid from Python 3.12; djreview runs on Python {running} here" in finding.message
    (other,) = review({"app/utils.py": "def f(:\n    pass\n"})
    assert "3.12" not in other.message


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="Python 3.12 reads PEP 695 syntax")
def test_a_type_alias_or_generic_function_only_python_3_12_reads_says_so(review):
    # courtlistener's and DefectDojo's `type X = ...` and `def f[T](...)` (PEP 695). The twin
    # is a subscript where no statement can start, an error on every version
    for code, line in (
        ("type Pair = tuple[int, int]\n", 1),
        ("def first[T](items: list[T]) -> T:\n    return items[0]\n", 1),
        ("class Box[T]:\n    item: T\n", 1),
    ):
        (finding,) = review({"app/utils.py": code})
        assert finding.code == "DJR001" and finding.line == line, code
        assert "valid from Python 3.12" in finding.message, code
    (other,) = review({"app/utils.py": "def first(items) -> T:\n    return items[0] [\n"})
    assert "3.12" not in other.message


def test_python2_file_is_djr001(review):
    findings = review({"legacy.py": 'print "hello"\n'})
    assert [f.code for f in findings] == ["DJR001"]


def test_undecodable_bytes(review, tmp_path):
    (tmp_path / "latin.py").write_bytes(b"x = '\xff\xfe'\n")
    findings = review({})
    assert codes_lines(findings) == [("DJR001", "latin.py", 1)]
    assert "decode" in findings[0].message or "syntax" in findings[0].message


def test_stray_byte_in_comment_with_latin1_cookie_is_reviewed(review, tmp_path):
    data = b"# -*- coding: latin-1 -*-\n# caf\xe9\n" + TAG_WITHOUT_STR.encode()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").touch()
    (tmp_path / "app" / "models.py").write_bytes(data)
    assert codes_lines(review({})) == [("DJR202", "app/models.py", 7)]


def test_bom_and_crlf_keep_positions(review, tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").touch()
    data = "\ufeff" + TAG_WITHOUT_STR.replace("\n", "\r\n")
    (tmp_path / "app" / "models.py").write_bytes(data.encode("utf-8"))
    findings = review({})
    assert [(f.code, f.line, f.column) for f in findings] == [("DJR202", 5, 1)]


def test_unreadable_file_is_djr001(review, tmp_path):
    os.symlink(tmp_path / "nowhere.py", tmp_path / "dangling.py")
    findings = review({})
    assert codes_lines(findings) == [("DJR001", "dangling.py", 1)]
    assert findings[0].message.startswith("cannot read file")


def test_match_statement_is_reviewed(review):
    source = (
        TAG_WITHOUT_STR
        + """
def first(items):
    match items:
        case [x, *_]:
            return x
    return None
"""
    )
    assert [f.code for f in review({"app/models.py": source})] == ["DJR202"]


def test_every_match_pattern_and_global_names_are_reviewed(review, capsys):
    # arches: `case True:` holds a bool where a node may be; `global` holds plain names
    source = (
        TAG_WITHOUT_STR
        + """
COUNT = 0


def describe(flag):
    global COUNT
    match flag:
        case True:
            return len(Tag.objects.all())
        case None | "x" | -1:
            return 0
        case [first, *rest] if rest:
            return first
        case {"key": value, **others}:
            return value
        case Tag(name=name) as tag:
            return tag
        case _:
            return COUNT
"""
    )
    findings = review({"app/models.py": source}, select=("DJR103", "DJR202"))
    assert [(f.code, f.line) for f in findings] == [("DJR202", 5), ("DJR103", 15)]
    assert "internal error" not in capsys.readouterr().err


@pytest.mark.skipif(sys.version_info < (3, 12), reason="PEP 695 and PEP 701 need Python 3.12")
def test_pep695_and_pep701_are_reviewed_on_312(review):
    source = (
        TAG_WITHOUT_STR
        + """
type Alias = list[int]

def first[T](items: list[T]) -> T:
    return f"{items[0]!r:>{10}} {"nested"}"
"""
    )
    assert [f.code for f in review({"app/models.py": source})] == ["DJR202"]


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="3.12 accepts this syntax")
def test_syntax_newer_than_the_running_python_is_djr001(review):
    findings = review({"new.py": "type Alias = list[int]\n"})
    assert [f.code for f in findings] == ["DJR001"]


def test_deep_nesting_and_huge_module_do_not_crash(review):
    deep = "x = " + "(" * 150 + "1" + ")" * 150 + "\n"
    huge = "".join(f"def f{i}(a):\n    return a + {i}\n" for i in range(5000))
    findings = review({"deep.py": deep, "huge.py": huge, "app/models.py": TAG_WITHOUT_STR})
    assert ("DJR202", "app/models.py", 5) in codes_lines(findings)


def test_deep_chains_python_accepts_are_reviewed(review):
    """Several hundred levels: libcst's position pass recurses once per level."""
    head = "from django.db import models\n\nclass A(models.Model):\n    name = models.TextField()\n\n"
    files = {
        "app/models.py": head,
        "app/attrs.py": "from app.models import A\nfor a in A.objects.all():\n    print(a" + ".x" * 600 + ")\n",
        "app/chain.py": "from app.models import A\nfor a in A.objects" + ".filter()" * 400 + ":\n    a.save()\n",
    }
    findings = review(files)
    assert ("DJR202", "app/models.py", 3) in codes_lines(findings)
    if sys.version_info < (3, 12):
        assert ("DJR102", "app/chain.py", 3) in codes_lines(findings)
    # Python 3.12 caps C recursion regardless of sys.setrecursionlimit: the file is skipped
    # with a note (see test_too_deep_for_positions_is_a_note), never a crash.


def _stack_depth() -> int:
    frame, depth = sys._getframe(1), 0
    while frame is not None:
        frame, depth = frame.f_back, depth + 1
    return depth


def _deep_chain_run(tmp_path, monkeypatch, links: int):
    """Review a loop over a chain of `links` calls with the recursion limit 2,000 frames above
    this test's stack."""
    from djreview import worker

    head = "from django.db import models\n\nclass A(models.Model):\n    name = models.TextField()\n"
    write_project(
        tmp_path,
        {
            "app/models.py": head,
            # the chain on the reported statement's line: positions render that line
            "app/chain.py": "from app.models import A\nfor a in A.objects.all():\n    a.save(); b = A.objects"
            + ".filter()" * links
            + "\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    limit = _stack_depth() + 2000
    monkeypatch.setattr(worker, "RECURSION_LIMIT", limit)  # run() raises the limit to at least this
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(limit)
    try:
        return run(["."], Settings(codes=("DJR001", "DJR102", "DJR202"), jobs=1))
    finally:
        sys.setrecursionlimit(before)


def test_too_deep_for_positions_is_a_note(tmp_path, monkeypatch):
    """libcst's code generation (positions) recurses about four frames per nesting level: a file
    Python accepts but that runs out of frames there is skipped with a note, never a crash.

    At worker.RECURSION_LIMIT (12,000 frames) that takes a chain about 3,000 calls deep and ~9 s
    of libcst work. The same path (RecursionError in positions_of -> TooDeep -> the note) is taken
    here with the limit lowered to 2,000 frames above this test's stack and a 570-call chain:
    below ~500 calls the positions fit (DJR102 is reported), above ~640 the flow analysis (three
    frames per level) runs out first. The limit is set before indexing, so Python's own parser
    gets the same room and accepts the file."""
    report = _deep_chain_run(tmp_path, monkeypatch, 570)
    assert codes_lines(report.findings) == [("DJR202", "app/models.py", 3)]  # the run goes on
    assert report.notes == ["app/chain.py: nested too deeply to locate findings on this Python; skipped"]


def test_too_deep_for_the_flow_tracker_is_a_note(tmp_path, monkeypatch):
    """Deeper still (700 calls at the same limit), the flow tracker runs out of frames during
    the walk: the same kind of note, not an "internal error"."""
    report = _deep_chain_run(tmp_path, monkeypatch, 700)
    assert codes_lines(report.findings) == [("DJR202", "app/models.py", 3)]
    assert report.notes == ["app/chain.py: nested too deeply to review on this Python; skipped"]


@pytest.mark.skipif(sys.version_info >= (3, 14), reason="Python 3.14 reads except without parentheses")
def test_an_except_of_several_types_without_parentheses_says_python_3_14(review):
    # ocw-studio (requires Python 3.14): `except ValueError, TypeError:` (PEP 758). The twin,
    # `except ValueError TypeError:`, is an error on every version
    (finding,) = review({"app/utils.py": "try:\n    pass\nexcept ValueError, TypeError:\n    pass\n"})
    assert finding.code == "DJR001" and finding.line == 3
    assert "valid from Python 3.14" in finding.message
    (other,) = review({"app/utils.py": "try:\n    pass\nexcept ValueError TypeError:\n    pass\n"})
    assert "3.14" not in other.message


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="Python 3.12 reads PEP 695 syntax")
def test_files_in_newer_syntax_are_counted_in_a_note(tmp_path):
    """Silence in a file the index could not read is no clean bill (amy's base views on 3.11):
    the summary says how many such files there are and what to do. A plain syntax error is
    not counted there."""
    write_project(
        tmp_path,
        {
            "app/types.py": "type Pair = tuple[int, int]\n",
            "app/views.py": "class Box[T]:\n    item: T\n",
            "app/broken.py": "def f(:\n    pass\n",
        },
    )
    result = djreview(".", cwd=tmp_path)
    running = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert f"2 file(s) use syntax newer than Python {running}" in result.stdout + result.stderr
