"""Every rule page is executed: the bad example gives exactly its code, the good one nothing,
and for fixable rules, applying the fix to the bad example gives the good one."""

from __future__ import annotations

import re

import pytest

from djreview.fixes import apply_edits
from djreview.pages import load_page, pages_dir
from djreview.rule import CATEGORIES, PARSE_ERROR, all_rules

PAGES = sorted(pages_dir().glob("DJR*.md"))
HEADER = re.compile(r"^\|\s*(\w+)\s*\|\s*(.*?)\s*\|$", re.MULTILINE)


def _described(code: str) -> tuple[str, str, str, bool]:
    """(name, category, severity, fixable) of a rule, or of DJR001, the tool's own code."""
    if code == PARSE_ERROR[0]:
        return PARSE_ERROR[1], CATEGORIES[code[3]], "error", False
    rule = all_rules()[code]
    return rule.name, rule.category(), rule.severity, rule.fixable


def test_every_rule_has_a_page_and_every_page_a_rule():
    page_codes = {p.name.split("-", 1)[0] for p in PAGES}
    assert page_codes == {PARSE_ERROR[0], *all_rules()}


def test_rule_codes_without_importing_rules_match_the_registry():
    from djreview.rule import rule_codes

    assert rule_codes() == list(all_rules())
    assert all(rule.__module__.rsplit(".", 1)[-1][:6].upper() == code for code, rule in all_rules().items())


@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: p.stem)
def test_header_matches_the_rule(page_path):
    page = load_page(page_path)
    header = dict(HEADER.findall(page.text))
    name, category, severity, fixable = _described(page.code)
    assert page_path.stem == f"{page.code}-{name}"
    assert header["code"] == page.code
    assert header["name"] == name
    assert header["category"] == category
    assert header["severity"] == severity
    assert header["fixable"].startswith("yes" if fixable else "no")
    if page.code == PARSE_ERROR[0]:  # the tool's own code: no seed sentence, and the page says so
        assert header["seed"].startswith("none: ")
    else:
        assert re.search(r"\(`00\d_[0-9a-f]{16}\.txt`\)", header["seed"]), "seed sentence and file"
    for section in ("What it finds", "Why it matters", "Example", "Use instead", "Fix"):
        assert page.sections.get(section, "").strip(), f"missing section {section}"


@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: p.stem)
def test_bad_example_gives_exactly_its_code(page_path, review):
    page = load_page(page_path)
    findings = review(page.example("Example").files)
    assert findings, "the bad example must trigger the rule"
    assert {f.code for f in findings} == {page.code}


@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: p.stem)
def test_good_example_gives_nothing(page_path, review):
    page = load_page(page_path)
    assert review(page.example("Use instead").files) == []


@pytest.mark.parametrize("page_path", PAGES, ids=lambda p: p.stem)
def test_fixing_the_bad_example_gives_the_good_one(page_path, review):
    page = load_page(page_path)
    if not _described(page.code)[3]:
        pytest.skip("not fixable")
    bad = page.example("Example").files
    findings = review(bad)
    good = page.example("Use instead").files
    for path, source in bad.items():
        edits = [e for f in findings if f.fix for e in f.fix.edits if e.path == path]
        assert apply_edits(source, edits) == good.get(path, source), path
