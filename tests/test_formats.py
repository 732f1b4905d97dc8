"""Output formats users know: concise lines, GitHub annotations, GitLab Code Quality."""

from __future__ import annotations

import json

from djreview.rule import all_rules
from tests.helpers import BOOKSHOP, bookshop_expected, djreview, sarif_schema


def test_concise_is_flake8_lines_only(shop_project):
    result = djreview("--format", "concise", cwd=shop_project)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("shop/models.py:14:14: DJR201 Book.author:")


def test_github_workflow_command(shop_project):
    result = djreview("--format", "github", cwd=shop_project)
    line = result.stdout.strip()
    assert line.startswith(
        "::warning file=shop/models.py,line=14,col=14,endLine=14,endColumn=65,title=DJR201 missing-related-name::"
    )
    assert "%0AFix (safe): add related_name=" in line  # newlines are escaped, one line per finding
    assert "\n" not in line


def test_github_severity_maps_to_error(shop_project):
    result = djreview("--format", "github", "--severity", "DJR201=error", cwd=shop_project)
    assert result.stdout.startswith("::error ")


def test_gitlab_code_quality(shop_project):
    issues = json.loads(djreview("--format", "gitlab", cwd=shop_project).stdout)
    assert len(issues) == 1
    issue = issues[0]
    assert issue["check_name"] == "DJR201 missing-related-name"
    assert issue["severity"] == "major"
    assert issue["location"] == {"path": "shop/models.py", "lines": {"begin": 14, "end": 14}}
    assert len(issue["fingerprint"]) == 32


def test_gitlab_fingerprint_survives_unrelated_edits(shop_project):
    before = json.loads(djreview("--format", "gitlab", cwd=shop_project).stdout)[0]["fingerprint"]
    models = shop_project / "shop" / "models.py"
    models.write_text("# a new comment line\n" + models.read_text(), encoding="utf-8")
    after = json.loads(djreview("--format", "gitlab", cwd=shop_project).stdout)[0]
    assert after["location"]["lines"]["begin"] == 15
    assert after["fingerprint"] == before


def test_sarif_validates_against_the_official_schema():
    import jsonschema

    result = djreview("--format", "sarif", "--no-cache", ".", cwd=BOOKSHOP)
    sarif = json.loads(result.stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(sarif)
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {"DJR001", *all_rules()}
    assert rules["DJR101"]["name"] == "n-plus-one"
    assert rules["DJR101"]["help"]["markdown"].startswith("# DJR101 n-plus-one")
    assert len(run["results"]) == len(bookshop_expected())


def test_sarif_describes_djr001_from_its_page(shop_project):
    sarif = json.loads(djreview("--format", "sarif", cwd=shop_project).stdout)
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "DJR001")
    assert rule["name"] == "parse-error"
    assert rule["shortDescription"] == {"text": "A file that Python cannot compile, decode or read."}
    assert rule["help"]["markdown"].startswith("# DJR001 parse-error")
    assert rule["defaultConfiguration"] == {"level": "error"}


def test_sarif_result_has_region_and_fix(shop_project):
    sarif = json.loads(djreview("--format", "sarif", cwd=shop_project).stdout)
    result = sarif["runs"][0]["results"][0]
    assert result["ruleId"] == "DJR201"
    assert result["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 14,
        "startColumn": 14,
        "endLine": 14,
        "endColumn": 65,
    }
    replacement = result["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"]["text"] == ', related_name="books"'
    assert replacement["deletedRegion"] == {"startLine": 14, "startColumn": 64, "endLine": 14, "endColumn": 64}
