"""DJR504: a migration change that breaks the code still running during a deploy.

During a rolling deploy (or between `migrate` and the restart of the app servers) the old
release runs against the new schema. Dropping or renaming a column or table it uses, or adding
a NOT NULL column it does not fill, makes its queries and inserts fail. The safe way is the
multi-step recipe: forget the column in the state first (`SeparateDatabaseAndState`) after
making it nullable, drop it in a later release; add columns nullable or with a `db_default`.

Decided and located from the index alone (index/migration_state.py replays the app's
migrations and keeps each operation's place): no CST is built for it. Only
models an earlier migration created count: a model this migration (or a later one) creates
has no old code using it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from djreview.fix_spec import FixSpec
from djreview.index.django_settings import demo_path
from djreview.index.migration_state import MigrationFacts, MigrationOp, OpState
from djreview.rule import Rule

if TYPE_CHECKING:
    from djreview.finding import Finding

_RECIPE = (
    "Split it over two releases: first release the code that no longer uses it and a migration that "
    "only forgets it in the state (`migrations.SeparateDatabaseAndState(state_operations=[...])`, after "
    "making a NOT NULL column nullable); drop it in a migration of the next release."
)


# The softer kind: AddField of a NOT NULL column with only a Python default (Django fills the
# existing rows, then drops the default; only the old release's inserts fail, during the
# deploy). `djr504-python-default = false` in [tool.djreview] leaves it out (config.apply).
_PYTHON_DEFAULT_START = "AddField adds the NOT NULL column "
_PYTHON_DEFAULT_NEXT = " with no database default: "


def python_default_only(finding: Finding) -> bool:
    """Is this DJR504 finding the softer kind, an AddField with a Python default only?"""
    message = finding.message
    return (
        finding.code == BreakingSchemaChange.code
        and message.startswith(_PYTHON_DEFAULT_START)
        and _PYTHON_DEFAULT_NEXT in message
    )


def findings(migration: MigrationFacts, answers: tuple[OpState, ...]) -> list[tuple[MigrationOp, str, str]]:
    """(operation, message, hint) of each breaking operation of the migration."""
    out = []
    # Django removes a model's relations before it deletes the model: the DeleteModel is the
    # change to judge (and a state-only pair moves a model to another app, keeping the table)
    deleted = {op.model for op in migration.operations if op.kind == "DeleteModel"}
    for op, before in zip(migration.operations, answers):
        if op.kind == "RemoveField" and op.model in deleted:
            continue
        found = _judge(op, before)
        if found is not None:
            out.append((op, *found))
    return out


def _judge(op: MigrationOp, before: OpState) -> tuple[str, str] | None:  # noqa: C901 - one branch per operation
    if not before.existed:
        return None
    name = f"{op.model}.{op.field}"
    old_code = "the code still running during the deploy (the previous release)"
    if op.where == "state":
        if op.kind == "RemoveField" and before.null is False and not before.db_default and not before.forgotten:
            return (
                f"RemoveField in state_operations forgets the NOT NULL column {name}, but the column "
                "stays in the database with no default: the new code's inserts leave it out and fail.",
                f"Make {name} nullable (AlterField with null=True) or give it a db_default in an earlier "
                "migration, then forget it in the state; drop the column in a later release.",
            )
        return None
    if op.kind == "RemoveField":
        if before.forgotten:
            return None  # the recipe's second step: the state forgot it in an earlier release
        if before.retired:
            return None  # made nullable in an earlier migration to be retired: the recipe's last step
        return (
            f"RemoveField drops {name} from the database: {old_code} still reads and writes it, and fails.",
            _RECIPE,
        )
    if op.kind == "DeleteModel":
        if before.forgotten:
            return None
        return (f"DeleteModel drops the table of {op.model}: {old_code} still queries it, and fails.", _RECIPE)
    if op.kind == "RenameField" and not before.kept_name and not before.restores_name:
        return (
            f"RenameField renames the column {name} to {op.new_name}: {old_code} still uses the old name, and fails.",
            f"Keep the column: give the renamed field db_column='{op.field}' (the rename is then only in "
            "the state), or add the new field, copy the data, switch the code, and drop the old field in a "
            "later release.",
        )
    if op.kind == "RenameModel" and not before.kept_name:
        return (
            f"RenameModel renames the table of {op.model} to that of {op.new_name}: {old_code} still "
            "queries the old table, and fails.",
            "Keep the table: set Meta.db_table to the old table name on the renamed model (the rename is "
            "then only in the state), or copy the data to a new model over two releases.",
        )
    if op.kind == "RunSQL" and op.drops and not before.forgotten:
        what, table, column = op.drops[0]
        target = f"{table}.{column}" if column else table
        return (
            f"RunSQL runs {what} on {target}: {old_code} still uses it, and fails.",
            _RECIPE,
        )
    if op.kind == "AddField" and op.null is False and not op.m2m and not op.db_default:
        column = f"NOT NULL column {name}"
        if op.default is not None:
            return (
                f"{_PYTHON_DEFAULT_START}{name}{_PYTHON_DEFAULT_NEXT}Django fills the existing rows "
                f"({op.default}), then drops the default, so inserts by {old_code}, which leave the column "
                "out, fail.",
                f"Give the model field db_default={op.default} (Django 5.0+; the database then fills it "
                "for the old code too), or add it with null=True and make it NOT NULL in a later release.",
            )
        return (
            f"AddField adds the {column} with no default: the migration fails on existing rows, and "
            f"inserts by {old_code} fail.",
            "Add it with null=True (or a db_default, Django 5.0+), backfill it in a data migration, and "
            "make it NOT NULL in a later release.",
        )
    if op.kind == "AlterField" and before.null is True and op.null is False and not op.m2m and not before.backfilled:
        if op.default is not None:
            return (
                f"AlterField makes {name} NOT NULL: Django sets its NULL rows to the default, but "
                f"{old_code}, whose field is nullable, may still write NULL, and fails.",
                "Release code that never writes NULL to it first (a db_default keeps inserts that leave it "
                "out working), then make it NOT NULL in a later release.",
            )
        return (
            f"AlterField makes {name} NOT NULL, and no data migration touched {op.model} since it became "
            f"nullable: existing NULL rows make the migration fail, and {old_code} may still insert NULL.",
            "Backfill the NULL rows in a data migration (RunPython) first, release code that always sets "
            "the field, then make it NOT NULL in a later migration.",
        )
    return None


class BreakingSchemaChange(Rule):
    code = "DJR504"
    name = "breaking-schema-change"
    fixable = False  # a suggestion: the recipe needs a release between its steps
    triggers = ("RemoveField", "RenameField", "RenameModel", "DeleteModel", "RunSQL", "AddField", "AlterField")
    skip_kinds = frozenset({"tests"})
    only_kinds = frozenset({"migrations"})
    reads_migration_history = True  # a run on one migration indexes the others of its folder

    def wants(self, text: str, facts, index, prefilter) -> bool:
        # no CST either way: the judging is done once, in findings_from_index
        if demo_path(facts.path):
            return False  # a library's example shop under `examples/`: never deployed
        return facts.migration is not None and any(t in text for t in self.triggers)

    def findings_from_index(self, path, text, facts, index):
        answers = index.schema_before(facts.module)
        if not answers:
            return []
        return [
            self.finding_at(path, op.span, message, FixSpec(hint, "suggestion"), hint)
            for op, message, hint in findings(facts.migration, answers)
        ]
