"""The registry is the one list of rules: the README's rule table, the rule pages and
`djreview rules` follow it."""

from __future__ import annotations

import re
from pathlib import Path

from djreview.rule import all_rules

README = Path(__file__).parents[1] / "README.md"
ROW = re.compile(r"^\| (DJR\d{3}) \| ([a-z0-9-]+) \|", re.MULTILINE)


def test_the_readme_rule_table_lists_every_rule_with_its_name():
    listed = dict(ROW.findall(README.read_text(encoding="utf-8")))
    expected = {"DJR001": "parse-error", **{code: rule.name for code, rule in all_rules().items()}}
    assert listed == expected
