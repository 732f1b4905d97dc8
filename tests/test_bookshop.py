"""The sample project: every `# expect: CODE` comment is a finding, and nothing else is."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

from djreview.engine import Settings, run
from tests.helpers import ALL_CODES, BOOKSHOP, FIXTURES, bookshop_expected, djreview

SNAPSHOT = FIXTURES / "bookshop.expected"


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
        SNAPSHOT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert lines == SNAPSHOT.read_text(encoding="utf-8").splitlines()
    assert result.stderr == ""


def test_parallel_run_gives_the_same_findings(monkeypatch):
    monkeypatch.chdir(BOOKSHOP)
    one = run(["."], Settings(codes=ALL_CODES, jobs=1)).findings
    from djreview import pool

    monkeypatch.setattr(pool, "POOL_THRESHOLD", 1)
    two = run(["."], Settings(codes=ALL_CODES, jobs=2)).findings
    assert one == two


def test_readme_command_from_the_repository_root_reports_every_rule(tmp_path):
    """tests/fixtures/ is inside a folder named tests/: the sample project's own layout decides
    what is test code, not the folders above its manage.py."""
    repo = Path(__file__).parents[1]
    # the cache would go to tests/fixtures/bookshop/.djreview_cache
    result = djreview("--format", "json", "--cache-dir", str(tmp_path / "cache"), "tests/fixtures/bookshop", cwd=repo)
    summary = json.loads(result.stdout)["summary"]
    assert summary["by_code"] == dict(sorted(Counter(code for *_, code in bookshop_expected()).items()))
    # 10 models in the three models.py files, the two abstract bases of catalog/base.py, and
    # the two of catalog/reviews.py (DJR204) and orders/shipping.py's Shipment
    assert (summary["models"], summary["unresolved_classes"]) == (15, 0)
