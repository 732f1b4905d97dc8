"""DJR502: a migration's `RunSQL` without `reverse_sql`.

Django cannot unapply it: `migrate <app> <earlier>` stops with IrreversibleError. Unlike
RunPython there is no way to tell from the SQL whether it needs an undo (a `CREATE INDEX`
does, an `UPDATE` of a new column may not), so the fix, `reverse_sql=migrations.RunSQL.noop`,
is always unsafe: the author must write the reverse statement or confirm that none is needed.
"""

from __future__ import annotations

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit, append_arguments
from djreview.rule import Rule
from djreview.rules._migration_ops import argument, operation, without_reverse
from djreview.syntax import literal_string

_UNDONE_BY = {  # what reverses the common statements, for the hint
    "CREATE INDEX": "DROP INDEX",
    "CREATE UNIQUE INDEX": "DROP INDEX",
    "CREATE EXTENSION": "DROP EXTENSION",
    "CREATE TRIGGER": "DROP TRIGGER",
    "CREATE FUNCTION": "DROP FUNCTION",
    "CREATE OR REPLACE FUNCTION": "DROP FUNCTION",
    "CREATE VIEW": "DROP VIEW",
    "CREATE OR REPLACE VIEW": "DROP VIEW",
    "CREATE TABLE": "DROP TABLE",
    "ALTER TABLE": "the opposite ALTER TABLE",
    "DROP INDEX": "the CREATE INDEX that made it",
    "DROP TABLE": "the CREATE TABLE that made it",
    "DROP TRIGGER": "the CREATE TRIGGER that made it",
    "DROP FUNCTION": "the CREATE FUNCTION that made it",
    "DROP VIEW": "the CREATE VIEW that made it",
}


class IrreversibleRunSQL(Rule):
    code = "DJR502"
    name = "irreversible-runsql"
    fixable = True
    triggers = ("RunSQL",)
    skip_kinds = frozenset({"tests"})
    only_kinds = frozenset({"migrations"})

    def wants(self, text, facts, index, prefilter) -> bool:
        if not super().wants(text, facts, index, prefilter):
            return False
        return without_reverse(facts, prefilter, "RunSQL")

    def visit_Module(self, node: cst.Module) -> None:
        self._runpython: list[bool] = []  # per enclosing function: does it take `schema_editor`?

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._runpython.append(any(p.name.value == "schema_editor" for p in node.params.params))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._runpython.pop()

    def visit_Call(self, node: cst.Call) -> None:
        if operation(self.ctx.flow.qualify(node.func)) != "RunSQL":
            return
        if any(self._runpython):
            return  # made inside a RunPython function: an object, no operation of the migration (mygpo's)
        reverse = argument(node, "reverse_sql", 1)
        if reverse.state in ("given", "unknown"):
            return
        sql = argument(node, "sql", 0)
        statement = _statement(sql.node)
        noop = f"{self.ctx.module.code_for_node(node.func)}.noop"
        written = "reverse_sql=None" if reverse.node is not None else "no reverse_sql"
        what = f"RunSQL ({statement})" if statement else "RunSQL"
        message = (
            f"{what} has {written}: Django cannot unapply this migration, so migrating back past it "
            "stops with IrreversibleError."
        )
        undo = _UNDONE_BY.get(statement or "")
        hint = (
            f"Pass reverse_sql with the statement that undoes it ({undo})"
            if undo
            else "Pass reverse_sql with the statement that undoes it"
        )
        hint += f", or reverse_sql={noop} if undoing needs nothing."
        edit = (
            NodeEdit(reverse.node, noop)
            if reverse.node is not None
            else append_arguments(node, [f"reverse_sql={noop}"])
        )
        fix = FixSpec(f"add reverse_sql={noop}", "unsafe", (edit,)) if edit is not None else None
        self.report(node, message, fix, hint=hint)


def _statement(node: cst.BaseExpression | None) -> str | None:
    """The SQL's leading keywords (`CREATE INDEX`), when it is literal text."""
    text = literal_string(node) if node is not None else None
    if not text:
        return None
    words = text.split()
    for length in (4, 3, 2):
        leading = " ".join(words[:length]).upper()
        if leading in _UNDONE_BY:
            return leading
    return words[0].upper()
