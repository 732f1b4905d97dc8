"""The Rule base class, and the rules found by their module names.

A rule is a small class: metadata, the libcst node types it visits (``visit_<Node>`` /
``leave_<Node>`` methods), and calls to ``self.report``. It knows nothing about positions,
output formats, configuration or ``# noqa``: the engine does those.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import ast

    import libcst as cst

    from djreview.context import FileContext
    from djreview.finding import Finding
    from djreview.fix_spec import FixSpec
    from djreview.index.prefilter import Collector

# The code of djreview's own finding: a file Python cannot compile, decode or read.
PARSE_ERROR = ("DJR001", "parse-error")
CATEGORIES = {
    "0": "tool",
    "1": "queries",
    "2": "models",
    "3": "forms-serializers",
    "4": "security",
    "5": "migrations",
    "6": "async",
}


# Rules a run enables only when a `select`/`extend-select` entry names their code in full
# (`--extend-select DJR303`), never through a prefix or by default: their measured precision
# on real projects is too low to show unasked. DJR303 (a DRF view with no permission classes)
# was right on 4 of 73 judged findings over 17 held-out sets of deployed projects (sets G-W,
# benchmarks/REAL-CODE-session*-set*.md): projects keep anonymous requests out in more ways
# than a static reader sees (authentication classes, middleware, serializers, gateways).
OPT_IN_CODES = frozenset({"DJR303"})


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = "warning"
    fixable: ClassVar[bool] = False
    # The rule can only fire in a file whose text contains one of these strings.
    triggers: ClassVar[tuple[str, ...]] = ()
    # What the rule gathers from the stdlib walk to rule files out (index/prefilter.py); its
    # result is what `prefilter()` gives `wants`.
    prefilter: ClassVar[type[Collector] | None] = None
    # File kinds (see discovery.file_kinds) the rule does not review. Test modules are skipped
    # too: their models and forms are fixtures (one survey of real apps found 1,100 of 1,349
    # model/form findings there), and reviewers do not hold them to production standards.
    skip_kinds: ClassVar[frozenset[str]] = frozenset({"migrations", "tests"})
    # When not empty, the only file kinds the rule reviews (the migration rules: "migrations").
    only_kinds: ClassVar[frozenset[str]] = frozenset()
    # Does the rule ask the index about the project's templates, packaging and unindexed test
    # modules (index/project_files.py)? Only then does a run gather them.
    reads_project_files: ClassVar[bool] = False
    # Does the rule judge a migration by the other migrations of its folder (its app's history)?
    # Then a run on one migration indexes its siblings too (engine.sibling_migrations).
    reads_migration_history: ClassVar[bool] = False

    @classmethod
    def category(cls) -> str:
        return CATEGORIES[cls.code[3]]

    def wants(self, text: str, facts, index, prefilter) -> bool:
        """Can this rule report anything in the file? Decided before the CST is built.
        `prefilter()` gives the result of this rule's `prefilter` collector on the file's
        stdlib tree, or None when the stdlib parser cannot read it."""
        return not self.triggers or any(t in text for t in self.triggers)

    def findings_from_index(self, path: str, text: str, facts, index) -> list[Finding] | None:
        """A rule that decides and locates every finding from the index (positions included)
        returns them here, for a file it wants: it then needs no CST, and a file no other rule
        wants is never parsed. None (the default): the rule walks the tree."""
        return None

    def finding_at(self, path: str, span: tuple[int, int, int, int], message: str, fix=None, hint="") -> Finding:
        """A finding at `span` (line, column, end line, end column; columns 1-based, end
        exclusive), for `findings_from_index`. Its fix can only be a description, no edits."""
        from djreview.finding import Finding, Fix

        line, column, end_line, end_column = span
        done = Fix(fix.description, fix.applicability) if fix is not None else None
        return Finding(
            self.code, self.name, self.severity, path, line, column, end_line, end_column, message, hint, done
        )

    def start(self, ctx: FileContext) -> None:
        """Called before each file's walk; reset per-file state here."""
        self.ctx = ctx

    def finish(self) -> None:
        """Called after each file's walk."""

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        fix: FixSpec | None = None,
        lines: dict[str, cst.CSTNode] | None = None,
        hint: str = "",
    ) -> None:
        """Report `node`: `message` says what is wrong, `hint` what to do. `<line:key>` in
        either becomes the line of ``lines[key]``."""
        self.ctx.report(self, node, message, fix, lines, hint)


def stdlib_tree(prefilter) -> ast.Module | None:
    """The file's stdlib tree from the `prefilter` that `Rule.wants` gets, for a rule that
    rules a file out by looking at it whole; None (then assume a finding) when unreadable."""
    tree = getattr(prefilter, "tree", None)
    return tree() if tree is not None else None


def _rule_modules() -> list[str]:
    import pkgutil
    from pathlib import Path

    folder = Path(__file__).with_name("rules")  # the package's folder, without importing it
    return sorted(m.name for m in pkgutil.iter_modules([str(folder)]) if _MODULE.match(m.name))


_MODULE = re.compile(r"djr[0-9]{3}_[a-z0-9_]+$")


def _defer_libcst() -> None:
    """Rule modules import libcst at the top, but a file every rule's ``wants`` rules out needs
    none of it, and importing libcst costs about as much as parsing a 1,000-line file. Until
    something uses it, ``import libcst`` gives a stand-in that loads the real module on its
    first attribute lookup (the rules touch libcst only inside methods). importlib's
    LazyLoader does not do here: on Python 3.11 the next ``import libcst`` loads it."""
    import importlib.util
    import sys
    import types

    if "libcst" in sys.modules:
        return
    spec = importlib.util.find_spec("libcst")
    if spec is None:
        return

    class StandIn(types.ModuleType):
        def __getattr__(self, name: str):
            if sys.modules.get("libcst") is self:
                del sys.modules["libcst"]
            real = importlib.import_module("libcst")
            vars(self).update(vars(real))  # later lookups find the attribute directly
            return getattr(real, name)

    stand_in = StandIn("libcst")
    stand_in.__spec__ = spec  # what `import` checks of a module already in sys.modules
    sys.modules["libcst"] = stand_in


def rule_codes() -> list[str]:
    """Every rule's code, from the module names alone: no rule (and no libcst) is imported."""
    return [name[:6].upper() for name in _rule_modules()]


def all_rules() -> dict[str, type[Rule]]:
    """Every rule, by code. A rule is registered by its module alone: `rules/djr<NNN>_<name>.py`
    defining one Rule subclass whose code is DJR<NNN> (a mismatch is a bug, caught here)."""
    global _ALL
    if _ALL is None:
        import importlib

        _defer_libcst()
        found = {}
        for name in _rule_modules():
            module = importlib.import_module(f"djreview.rules.{name}")
            rule = _the_rule_of(module)
            if rule.code != name[:6].upper():
                raise RuntimeError(f"{module.__name__} defines {rule.code}: its file name says {name[:6].upper()}")
            found[rule.code] = rule
        _ALL = found
    return dict(_ALL)


_ALL: dict[str, type[Rule]] | None = None


# The rules whose `reads_project_files` is true, known without importing any rule (a warm run
# imports none); tests/test_registry.py keeps it equal to what the rules say.
PROJECT_FILE_RULES = frozenset({"DJR101", "DJR201", "DJR405"})


def reads_project_files(codes) -> bool:
    """Does any enabled rule need the project's templates and packaging files?"""
    return not PROJECT_FILE_RULES.isdisjoint(codes)


# The rules whose `reads_migration_history` is true (the same way: tests/test_registry.py).
MIGRATION_HISTORY_RULES = frozenset({"DJR504"})


def reads_migration_history(codes) -> bool:
    """Does any enabled rule judge a migration by the other migrations of its app?"""
    return not MIGRATION_HISTORY_RULES.isdisjoint(codes)


def _the_rule_of(module) -> type[Rule]:
    rules = [
        v
        for v in vars(module).values()
        if isinstance(v, type) and issubclass(v, Rule) and v.__module__ == module.__name__
    ]
    if len(rules) != 1:
        raise RuntimeError(f"{module.__name__} must define exactly one Rule subclass, not {len(rules)}")
    return rules[0]
