"""The registry is the one list of rules: the README's rule table, the rule pages and
`djreview rules` follow it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from djreview.rule import all_rules

README = Path(__file__).parents[1] / "README.md"
ROW = re.compile(r"^\| (DJR\d{3}) \| ([a-z0-9-]+) \|", re.MULTILINE)


def test_the_readme_rule_table_lists_every_rule_with_its_name():
    listed = dict(ROW.findall(README.read_text(encoding="utf-8")))
    expected = {"DJR001": "parse-error", **{code: rule.name for code, rule in all_rules().items()}}
    assert listed == expected


def test_a_rule_module_defines_exactly_one_rule():
    import types

    from djreview.rule import Rule, _the_rule_of

    module = types.ModuleType("djreview.rules.djr999_example")
    assert pytest.raises(RuntimeError, _the_rule_of, module)
    for name in ("First", "Second"):
        cls = type(name, (Rule,), {"code": "DJR999", "name": name.lower()})
        cls.__module__ = module.__name__
        setattr(module, name, cls)
        if name == "First":
            assert _the_rule_of(module) is cls
    with pytest.raises(RuntimeError, match="exactly one Rule subclass, not 2"):
        _the_rule_of(module)


def test_each_rule_lives_in_the_module_named_after_its_code():
    for code, rule in all_rules().items():
        assert rule.__module__.rsplit(".", 1)[-1][:6].upper() == code


def test_the_rules_that_read_project_files_are_known_without_importing_them():
    from djreview.rule import PROJECT_FILE_RULES, all_rules

    assert {code for code, rule in all_rules().items() if rule.reads_project_files} == PROJECT_FILE_RULES


def test_the_rules_that_read_migration_history_are_known_without_importing_them():
    from djreview.rule import MIGRATION_HISTORY_RULES, all_rules

    assert {code for code, rule in all_rules().items() if rule.reads_migration_history} == MIGRATION_HISTORY_RULES
