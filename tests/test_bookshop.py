"""The sample project: every `# expect: CODE` comment is a finding, and nothing else is."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from djreview.engine import Settings, run
from tests.conftest import ALL_CODES

BOOKSHOP = Path(__file__).parent / "fixtures" / "bookshop"
SNAPSHOT = Path(__file__).parent / "fixtures" / "bookshop.expected"
_EXPECT = re.compile(r"#\s*expect:\s*(DJR\d{3}(?:\s*,\s*DJR\d{3})*)")


def _expected() -> list[tuple[str, int, str]]:
    out = []
    for path in sorted(BOOKSHOP.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = _EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group(1)):
                    out.append((path.relative_to(BOOKSHOP).as_posix(), number, code))
    return sorted(out)


def test_findings_match_expect_comments(monkeypatch):
    monkeypatch.chdir(BOOKSHOP)
    findings = run(["."], Settings(codes=ALL_CODES, jobs=1)).findings
    assert sorted((f.path, f.line, f.code) for f in findings) == _expected()


def test_output_matches_reviewed_snapshot():
    """The full flake8-style output (messages included) is reviewed as data."""
    result = subprocess.run(
        [sys.executable, "-m", "djreview", "."],
        cwd=BOOKSHOP,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")},
    )
    assert result.returncode == 1, result.stderr
    lines = [line for line in result.stdout.splitlines() if not line.startswith("Found ")]
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


def test_readme_command_from_the_repository_root_reports_every_rule():
    """tests/fixtures/ is inside a folder named tests/: the sample project's own layout decides
    what is test code, not the folders above its manage.py."""
    repo = Path(__file__).parents[1]
    result = subprocess.run(
        [sys.executable, "-m", "djreview", "--format", "json", "tests/fixtures/bookshop"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(repo / "src")},
    )
    import json

    summary = json.loads(result.stdout)["summary"]
    assert summary["by_code"] == {"DJR101": 10, "DJR102": 3, "DJR201": 4, "DJR202": 4, "DJR301": 4}
