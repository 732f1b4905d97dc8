"""The sample project: every `# expect: CODE` comment is a finding, and nothing else is."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

import pytest

from djreview.engine import Settings, run
from tests.helpers import (
    ALL_CODES,
    BOOKSHOP,
    BOOKSHOP_FIXES,
    BOOKSHOP_SNAPSHOT,
    bookshop_counts,
    bookshop_expected,
    bookshop_snapshot,
    djreview,
)

REPO = Path(__file__).parents[1]
SAMPLE = BOOKSHOP.relative_to(REPO).as_posix()  # tests/fixtures/bookshop, as the README names it


@pytest.fixture(scope="module")
def readme_run(tmp_path_factory) -> dict:
    """The JSON report of the README's command, run from the repository root (the cache would
    go to tests/fixtures/bookshop/.djreview_cache)."""
    cache = tmp_path_factory.mktemp("readme-run") / "cache"
    result = djreview("--format", "json", "--cache-dir", str(cache), SAMPLE, cwd=REPO)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_findings_match_expect_comments(monkeypatch):
    monkeypatch.chdir(BOOKSHOP)
    findings = run(["."], Settings(codes=ALL_CODES, jobs=1)).findings
    assert sorted((f.path, f.line, f.code) for f in findings) == bookshop_expected()


def test_output_matches_reviewed_snapshot(bookshop):
    """The full flake8-style output (messages included) is reviewed as data."""
    result = djreview(".", cwd=bookshop)  # a copy: the run writes its cache at the project root
    assert result.returncode == 1, result.stderr
    # the findings: not the summary, what the index understood (test_models_command) nor what
    # is fixable (test_cli_habits checks that line)
    lines = [
        line
        for line in result.stdout.splitlines()
        if not line.startswith("Found ") and not re.match(r"\d+ (fixable with |model\(s\))", line)
    ]
    if os.environ.get("DJREVIEW_UPDATE_SNAPSHOTS"):
        BOOKSHOP_SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines == BOOKSHOP_SNAPSHOT.read_text(encoding="utf-8").splitlines()
    assert result.stderr == ""


def test_fixes_match_reviewed_snapshot(readme_run):
    """What --fix can do with each finding (safe, unsafe, a suggestion, or nothing) is reviewed
    as data too: the fixable counts the tests and the READMEs expect are derived from it."""
    found, lines = [], []
    for f in readme_run["findings"]:
        found.append((f"{f['path'].removeprefix(SAMPLE + '/')}:{f['line']}:{f['column']}", f["code"]))
        applicability = f["fix"]["applicability"] if f["fix"] and f["fix"]["edits"] else "no fix"
        lines.append(f"{found[-1][0]}: {f['code']} {applicability}")
    if os.environ.get("DJREVIEW_UPDATE_SNAPSHOTS"):
        BOOKSHOP_FIXES.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines == BOOKSHOP_FIXES.read_text(encoding="utf-8").splitlines()
    assert found == bookshop_snapshot()  # one line per finding of the text snapshot, in its order


def test_parallel_run_gives_the_same_findings(monkeypatch):
    monkeypatch.chdir(BOOKSHOP)
    one = run(["."], Settings(codes=ALL_CODES, jobs=1)).findings
    from djreview import pool

    monkeypatch.setattr(pool, "POOL_THRESHOLD", 1)
    two = run(["."], Settings(codes=ALL_CODES, jobs=2)).findings
    assert one == two


def test_readme_command_from_the_repository_root_reports_every_rule(readme_run):
    """tests/fixtures/ is inside a folder named tests/: the sample project's own layout decides
    what is test code, not the folders above its manage.py."""
    summary = readme_run["summary"]
    assert summary["by_code"] == dict(sorted(Counter(code for *_, code in bookshop_expected()).items()))
    # 10 models in the three models.py files, the two abstract bases of catalog/base.py, and
    # the two of catalog/reviews.py (DJR204) and orders/shipping.py's Shipment
    assert (summary["models"], summary["unresolved_classes"]) == (15, 0)


# -- the READMEs cannot count: their numbers are checked against the snapshots -------------------
def test_readme_shows_the_samples_counts(readme_run):
    """README.md's output of `djreview tests/fixtures/bookshop`: the findings it shows, its
    summary, models and fixable lines, and the models count in the sentence below it."""
    counts = bookshop_counts()
    summary = readme_run["summary"]  # the files and models are not in the snapshots
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    lines = readme.splitlines()
    (start,) = [i for i, line in enumerate(lines) if line.startswith("Found ")]
    shown = lines[start : lines.index("```", start)]
    shown[0] = re.sub(r" in \d+\.\d+s ", " in <seconds>s ", shown[0])
    expected = [
        f"Found {counts.findings} finding(s) in {summary['files']} file(s) in <seconds>s ({counts.by_code_text()}).",
        f"{summary['models']} model(s).",
        f"{counts.safe} fixable with `--fix` ({counts.unsafe} more with `--unsafe-fixes`)",
    ]
    for line, right in zip(shown, expected, strict=True):
        assert line == right, f"README.md: the sample's output should read {right!r}, not {line!r}"
    said = re.search(r"`(\d+) model\(s\)` is what the index understood", readme)
    assert said, "README.md: the sentence `N model(s)` is what the index understood is gone"
    assert int(said[1]) == summary["models"], (
        f"README.md: `{said[1]} model(s)` should be `{summary['models']} model(s)`"
    )
    snapshot = BOOKSHOP_SNAPSHOT.read_text(encoding="utf-8").splitlines()
    for line in lines[:start]:
        if line.startswith(SAMPLE + "/"):
            assert line.removeprefix(SAMPLE + "/") in snapshot, f"README.md shows a finding not in the snapshot: {line}"


def test_bookshop_readme_counts_the_expected_findings():
    """tests/fixtures/bookshop/README.md: "Expected findings (N):" and a "## CODE name (n)"
    section for each code the snapshot has, with its count."""
    counts = bookshop_counts()
    name = f"{SAMPLE}/README.md"
    text = (BOOKSHOP / "README.md").read_text(encoding="utf-8")
    total = re.search(r"^Expected findings \((\d+)\):$", text, re.M)
    assert total, f'{name}: the line "Expected findings (N):" is gone'
    assert int(total[1]) == counts.findings, f"{name}: Expected findings ({total[1]}) should be ({counts.findings})"
    sections = {code: int(n) for code, n in re.findall(r"^## (DJR\d{3}) \S+ \((\d+)\)$", text, re.M)}
    for code, n in counts.by_code.items():
        assert code in sections, f"{name}: no section for {code} ({n} finding(s) in the snapshot)"
        assert sections[code] == n, f"{name}: the {code} section says ({sections[code]}), the snapshot has {n}"
    extra = sorted(sections.keys() - counts.by_code.keys())
    assert not extra, f"{name}: sections for codes the snapshot does not have: {extra}"
