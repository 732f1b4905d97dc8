"""The schema a migration runs against (for DJR504 breaking-schema-change).

Per file (`migration_facts`, from the stdlib tree, only for files in a `migrations/` folder):
its name, dependencies, `replaces`, and its operations as plain records (model, field,
nullability, whether it is state-only or database-only inside `SeparateDatabaseAndState`).

Per project (`schema_before`): the app's migrations replayed in dependency order, answering
for each operation of one migration what the state held just before it: did an earlier
migration create the model, is the field nullable, did the state already forget the column
(the recipe's first step), did a data migration touch the model since the field became
nullable (an approximate "backfilled"). Only these records are replayed: no migration is
imported, and custom operations are unknown (a model or field they made is "not known", and
the rule stays silent on it).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from djreview.index.nodes import Nodes, all_nodes
from djreview.index.prefilter import dotted_names
from djreview.source import char_column, split_lines

_OPERATION_MODULES = ("django.db.migrations", "django.db.migrations.operations")
OPERATIONS = frozenset(
    {
        "CreateModel",
        "DeleteModel",
        "RenameModel",
        "AlterModelTable",
        "AddField",
        "RemoveField",
        "AlterField",
        "RenameField",
        "RunPython",
        "RunSQL",
        "SeparateDatabaseAndState",
    }
)


@dataclass
class MigrationOp:
    kind: str  # "RemoveField", "RunSQL"...
    ordinal: int  # among the file's calls of this name, in source order (the rule finds its node so)
    model: str = ""  # lower-cased model name
    field: str = ""  # lower-cased field name (RenameField: the old one)
    new_name: str = ""  # RenameField / RenameModel
    null: bool | None = None  # AddField/AlterField: null=True -> True, absent/False -> False, else None
    m2m: bool = False
    default: str | None = None  # source of a Python `default=`, when given
    db_default: bool = False
    db_column: bool = False
    db_table: bool = False  # CreateModel's options / AlterModelTable
    fields: tuple[tuple[str, bool | None, bool, bool], ...] = ()  # CreateModel: (name, null, db_default, db_column)
    where: str = ""  # "state" / "database" inside SeparateDatabaseAndState, "" for both
    drops: tuple[tuple[str, str, str], ...] = ()  # RunSQL: (what, table, column) it drops or renames
    touches: tuple[str, ...] | None = ()  # RunPython/RunSQL: models (or tables) it may write; None: any
    indexes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # RunSQL: (table, columns) of each CREATE INDEX
    # Where the call is, as a finding gives it: (line, column, end line, end column), columns
    # 1-based in characters, end exclusive. A rule judging from the index reports here with no CST.
    span: tuple[int, int, int, int] = (0, 0, 0, 0)


@dataclass
class MigrationFacts:
    name: str
    dependencies: tuple[tuple[str, str], ...] = ()
    replaces: tuple[tuple[str, str], ...] = ()
    operations: tuple[MigrationOp, ...] = ()
    opaque: bool = False  # `operations` is not a literal list: the state after it is unknown
    # an operation of the list is none the reader knows (a project's RenameModel subclass,
    # bluebottle's RenameModelAndBaseOperation): what it made is unknown
    custom: bool = False
    initial: bool = False  # `initial = True`
    # "RunPython"/"RunSQL" when some call of that name anywhere in the file (an alias hides
    # nothing) leaves its reverse out or gives None: DJR501/DJR502 need no tree elsewhere
    without_reverse: tuple[str, ...] = ()
    # what the file imports, anywhere (a function too): `from m import A` as "m.A", and the
    # uses of a plain `import m` ("m.models.A"): DJR503 rules a file out without a tree
    imported: tuple[str, ...] = ()


REVERSE_ARGUMENT = {"RunPython": "reverse_code", "RunSQL": "reverse_sql"}


def lacks_reverse(call: ast.Call, keyword: str) -> bool:
    """Does this RunPython/RunSQL call leave out its reverse argument (the second), or give
    None? Not when `*args`/`**kwargs` may hold it: the rule does not guess."""
    given = [k.value for k in call.keywords if k.arg == keyword]
    if given:
        value = given[0]
    elif any(k.arg is None for k in call.keywords) or any(isinstance(a, ast.Starred) for a in call.args):
        return False
    elif len(call.args) >= 2:
        value = call.args[1]
    else:
        return True
    return isinstance(value, ast.Constant) and value.value is None


class OpState(NamedTuple):
    """What the state held just before one operation (the answer of `schema_before`)."""

    existed: bool  # an earlier migration created the model (and it is still in the state)
    null: bool | None  # the field's nullability; None when the state does not know the field
    db_default: bool  # the field has a db_default
    kept_name: bool  # RenameField of a field with db_column / RenameModel of one with db_table
    forgotten: bool  # the column (or table) is one the state already dropped, the database not
    backfilled: bool  # a RunPython/RunSQL touched the model since the field became nullable
    # RenameField back to a name the chain dropped after adding the renamed field (add the new
    # column, copy, drop the old, rename the new to the old name): the drop was the break
    restores_name: bool = False
    # RemoveField of a column an earlier migration made nullable, changing nothing else: the
    # last step of the expand/contract recipe (nullable, stop using it, then drop it)
    retired: bool = False


def is_migration_file(path: str) -> bool:
    parts = path.split("/")
    return len(parts) >= 2 and parts[-2] == "migrations" and not parts[-1].startswith("__")


def _qualify(node: ast.AST, imports: dict[str, str]) -> str | None:
    if isinstance(node, ast.Name):
        return imports.get(node.id, node.id)
    if isinstance(node, ast.Attribute):
        base = _qualify(node.value, imports)
        return f"{base}.{node.attr}" if base else None
    return None


def _operation(node: ast.AST, imports: dict[str, str]) -> str | None:
    qualified = _qualify(node, imports)
    if not qualified:
        return None
    module, _, name = qualified.rpartition(".")
    if name in OPERATIONS and (module in _OPERATION_MODULES or module.startswith("django.db.migrations.operations.")):
        return name
    return None


def _django_operation(node: ast.AST, imports: dict[str, str]) -> bool:
    """An operation of Django's own (`AddIndex`, `AlterModelOptions`, postgres' `CreateExtension`):
    none makes a model the reader does not see."""
    module = (_qualify(node, imports) or "").rpartition(".")[0]
    return module in _OPERATION_MODULES or module.startswith(("django.db.migrations.", "django.contrib."))


def _str(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _pairs(node: ast.AST | None) -> tuple[tuple[str, str], ...]:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return ()
    out = []
    for item in node.elts:
        if isinstance(item, (ast.List, ast.Tuple)) and len(item.elts) == 2:
            label, name = _str(item.elts[0]), _str(item.elts[1])
            if label and name:
                out.append((label, name))
    return tuple(out)


def _arg(call: ast.Call, keyword: str, position: int) -> ast.AST | None:
    for kw in call.keywords:
        if kw.arg == keyword:
            return kw.value
    positional = [a for a in call.args if not isinstance(a, ast.Starred)]
    return positional[position] if position < len(positional) else None


def _field_traits(node: ast.AST | None, imports: dict[str, str], segment: Callable[[ast.expr], str]) -> dict:
    """null / m2m / default / db_default / db_column of a `models.XField(...)` call."""
    if not isinstance(node, ast.Call):
        return {"null": None}
    kind = _qualify(node.func, imports) or ""
    traits: dict = {"m2m": "ManyToMany" in kind.rpartition(".")[2], "null": False}
    for kw in node.keywords:
        if kw.arg is None:
            traits["null"] = None  # **kwargs: may say null=True
        elif kw.arg == "null":
            value = kw.value
            traits["null"] = value.value if isinstance(value, ast.Constant) and isinstance(value.value, bool) else None
        elif kw.arg == "default":
            traits["default"] = segment(kw.value) or "..."
        elif kw.arg == "db_default":
            traits["db_default"] = True
        elif kw.arg == "db_column":
            traits["db_column"] = True
    short = kind.rpartition(".")[2]
    if short in ("NullBooleanField",):
        traits["null"] = True
    elif "Null" in short:
        traits["null"] = None  # NullCharField and the like set null themselves
    if short in _NOT_COLUMNS_FIELDS:
        traits["m2m"] = True  # no column of its own
    if "default" not in traits:  # what Django's schema editor fills existing rows with anyway
        flags = {kw.arg: kw.value for kw in node.keywords if kw.arg}
        if _true(flags.get("auto_now")) or _true(flags.get("auto_now_add")):
            traits["default"] = "Now()"
        elif _true(flags.get("blank")) and not any(word in short for word in _NO_EMPTY_STRING):
            # blank string fields (custom ones too: they subclass a text field) get ""
            traits["default"] = '""'
    return traits


_NOT_COLUMNS_FIELDS = {"GenericRelation", "TaggableManager", "GenericForeignKey"}
# fields whose `empty_strings_allowed` is False: Django has no implicit default for them
_NO_EMPTY_STRING = (
    "Integer",
    "Decimal",
    "Float",
    "Boolean",
    "Date",
    "Time",
    "Duration",
    "ForeignKey",
    "OneToOne",
    "UUID",
    "AutoField",
    "JSON",
    "Money",
    "Point",
    "Geometry",
    "Array",
    "Range",
)


def _true(node: ast.AST | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


_DROPS = re.compile(
    r"\bALTER\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?:ONLY\s+)?(?P<table>[\w\".`]+)\s+"
    r"(?:(?P<drop>DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?)(?P<col>[\w\"`]+)"
    r"|(?P<rencol>RENAME\s+(?:COLUMN\s+)?)(?P<old>[\w\"`]+)\s+TO\b"
    r"|(?P<rentable>RENAME\s+TO)\b)"
    r"|\bDROP\s+TABLE\s+(?:IF\s+EXISTS\s+)?(?P<dropped>[\w\".`]+)",
    re.IGNORECASE,
)
_NOT_COLUMNS = {"constraint", "index", "default", "not", "primary", "foreign", "check", "unique", "trigger"}
_UPDATES = re.compile(r"\b(?:UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+(?:ONLY\s+)?([\w\".`]+)", re.IGNORECASE)


# `CREATE [UNIQUE] INDEX [CONCURRENTLY] [IF NOT EXISTS] name ON [ONLY] table [USING m] (a, b)`
_CREATE_INDEX = re.compile(
    r"\bCREATE\s+(?:UNIQUE\s+)?INDEX\s+(?:CONCURRENTLY\s+)?(?:IF\s+NOT\s+EXISTS\s+)?(?:[\w\".`]+\s+)?"
    r"ON\s+(?:ONLY\s+)?(?P<table>[\w\".`]+)\s*(?:USING\s+\w+\s*)?\((?P<columns>[^()]*)\)",
    re.IGNORECASE,
)


def _sql_indexes(sql: list[str] | tuple[str, ...]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(table, columns) of each literal `CREATE INDEX` (ureport's index on
    `polls_pollresult (contact)`); the columns up to the first that is an expression."""
    found = []
    for text in sql:
        for match in _CREATE_INDEX.finditer(text):
            columns: list[str] = []
            for part in match["columns"].split(","):
                words = part.split()
                name = _bare(words[0]) if words else ""
                if not name.isidentifier():
                    break
                columns.append(name)
            if columns:
                found.append((_bare(match["table"]), tuple(columns)))
    return tuple(found)


def _bare(name: str) -> str:
    return name.replace('"', "").replace("`", "").rpartition(".")[2].lower()


def _sql_texts(node: ast.AST | None) -> list[str] | None:
    """The statements of a RunSQL `sql` argument; None when not literal."""
    text = _str(node)
    if text is not None:
        return [text]
    if isinstance(node, (ast.List, ast.Tuple)):
        out: list[str] = []
        for item in node.elts:
            inner = _sql_texts(item.elts[0] if isinstance(item, (ast.List, ast.Tuple)) and item.elts else item)
            if inner is None:
                return None
            out += inner
        return out
    return None


def _sql_facts(sql: list[str] | None) -> tuple[tuple[tuple[str, str, str], ...], tuple[str, ...] | None]:
    if sql is None:
        return (), None
    drops: list[tuple[str, str, str]] = []
    for text in sql:
        for match in _DROPS.finditer(text):
            if match["dropped"]:
                drops.append(("drop table", _bare(match["dropped"]), ""))
            elif match["drop"] and _bare(match["col"]) not in _NOT_COLUMNS:
                drops.append(("drop column", _bare(match["table"]), _bare(match["col"])))
            elif match["rencol"] and _bare(match["old"]) not in _NOT_COLUMNS | {"to"}:
                drops.append(("rename column", _bare(match["table"]), _bare(match["old"])))
            elif match["rentable"]:
                drops.append(("rename table", _bare(match["table"]), ""))
    touched = tuple(sorted({_bare(m) for text in sql for m in _UPDATES.findall(text)}))
    return tuple(drops), touched


def _get_models(function: ast.AST) -> tuple[str, ...] | None:
    """Models a data-migration function asks `apps.get_model` for; None when one is not literal."""
    found: set[str] = set()
    for node in all_nodes(function):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get_model":
            texts = [_str(a) for a in node.args]
            if len(texts) == 1 and texts[0] and "." in texts[0]:
                found.add(texts[0].rpartition(".")[2].lower())
            elif len(texts) >= 2 and texts[1]:
                found.add(texts[1].lower())
            else:
                return None
    return tuple(sorted(found))


class _Reader:
    def __init__(self, nodes: Nodes, imports: dict[str, str], text: str):
        tree = nodes.tree
        assert isinstance(tree, ast.Module)
        self.imports, self.text = imports, text
        self._lines: list[str] | None = None
        self.functions = {s.name: s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}
        # module constants of literal text: ureport's `INDEX_SQL = """CREATE INDEX ..."""`
        self.texts = {
            s.targets[0].id: s.value
            for s in tree.body
            if isinstance(s, ast.Assign) and len(s.targets) == 1 and isinstance(s.targets[0], ast.Name)
            if _str(s.value) is not None
        }
        self.imported = imported_names(nodes)
        calls = list(nodes.of(ast.Call))
        calls.sort(key=lambda n: (n.lineno, n.col_offset))
        self.ordinals: dict[int, int] = {}
        self.custom = False  # an operation of the list that is none of Django's
        seen: dict[str, int] = {}
        without_reverse: set[str] = set()
        for call in calls:
            name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            if name in OPERATIONS:
                self.ordinals[id(call)] = seen.get(name, 0)
                seen[name] = seen.get(name, 0) + 1
                if name in REVERSE_ARGUMENT and lacks_reverse(call, REVERSE_ARGUMENT[name]):
                    without_reverse.add(name)
        self.without_reverse = tuple(sorted(without_reverse))

    def operations(self, node: ast.AST, where: str = "") -> list[MigrationOp] | None:
        if not isinstance(node, (ast.List, ast.Tuple)):
            return None
        out: list[MigrationOp] = []
        for item in node.elts:
            if not isinstance(item, ast.Call):
                self.custom = True
                continue
            kind = _operation(item.func, self.imports)
            if kind is None:
                self.custom = self.custom or not _django_operation(item.func, self.imports)
            if kind is None or id(item) not in self.ordinals:
                continue
            op = self._op(kind, item, where)
            out.append(op)
            if kind == "SeparateDatabaseAndState":
                for keyword, part in (("database_operations", "database"), ("state_operations", "state")):
                    inner = _arg(item, keyword, 0 if part == "database" else 1)
                    out += self.operations(inner, part) or [] if inner is not None else []
        return out

    def _span(self, node: ast.expr) -> tuple[int, int, int, int]:
        lines = self._split()
        end_line = node.end_lineno or node.lineno
        return (
            node.lineno,
            char_column(lines[node.lineno - 1], node.col_offset) + 1,
            end_line,
            char_column(lines[end_line - 1], node.end_col_offset or 0) + 1,
        )

    def _segment(self, node: ast.expr) -> str:
        """The source of `node` (ast.get_source_segment splits the whole text on every call)."""
        line, column, end_line, end_column = self._span(node)
        lines = self._split()[line - 1 : end_line]
        if len(lines) == 1:
            return lines[0][column - 1 : end_column - 1]
        return "\n".join([lines[0][column - 1 :], *lines[1:-1], lines[-1][: end_column - 1]])

    def _split(self) -> list[str]:
        if self._lines is None:
            self._lines = split_lines(self.text)
        return self._lines

    def _op(self, kind: str, call: ast.Call, where: str) -> MigrationOp:
        op = MigrationOp(kind, self.ordinals[id(call)], where=where, span=self._span(call))
        if kind in ("CreateModel", "DeleteModel", "AlterModelTable"):
            op.model = (_str(_arg(call, "name", 0)) or "").lower()
        elif kind == "RenameModel":
            op.model = (_str(_arg(call, "old_name", 0)) or "").lower()
            op.new_name = (_str(_arg(call, "new_name", 1)) or "").lower()
        elif kind in ("AddField", "RemoveField", "AlterField", "RenameField"):
            op.model = (_str(_arg(call, "model_name", 0)) or "").lower()
            op.field = (_str(_arg(call, "old_name" if kind == "RenameField" else "name", 1)) or "").lower()
        if kind == "RenameField":
            op.new_name = (_str(_arg(call, "new_name", 2)) or "").lower()
        elif kind in ("AddField", "AlterField"):
            traits = _field_traits(_arg(call, "field", 2), self.imports, self._segment)
            op.null, op.m2m = traits["null"], traits.get("m2m", False)
            op.default = traits.get("default")
            op.db_default, op.db_column = traits.get("db_default", False), traits.get("db_column", False)
        elif kind == "CreateModel":
            fields = _arg(call, "fields", 1)
            rows = []
            for item in fields.elts if isinstance(fields, (ast.List, ast.Tuple)) else ():
                if isinstance(item, ast.Tuple) and len(item.elts) == 2 and _str(item.elts[0]):
                    traits = _field_traits(item.elts[1], self.imports, self._segment)
                    rows.append(
                        (
                            (_str(item.elts[0]) or "").lower(),
                            traits["null"],
                            traits.get("db_default", False),
                            traits.get("db_column", False),
                        )
                    )
            op.fields = tuple(rows)
            options = _arg(call, "options", 2)
            op.db_table = isinstance(options, ast.Dict) and any(_str(k) == "db_table" for k in options.keys)
        elif kind == "AlterModelTable":
            op.db_table = _str(_arg(call, "table", 1)) is not None
        elif kind == "RunSQL":
            sql = _arg(call, "sql", 0)
            texts = _sql_texts(self.texts.get(sql.id, sql) if isinstance(sql, ast.Name) else sql)
            op.drops, op.touches = _sql_facts(texts)
            op.indexes = _sql_indexes(texts or ())
        elif kind == "RunPython":
            code = _arg(call, "code", 0)
            function = self.functions.get(code.id) if isinstance(code, ast.Name) else None
            op.touches = _get_models(function) if function is not None else None
        return op


def imported_names(nodes: Nodes) -> tuple[str, ...]:
    """What a file imports, anywhere (a function too): `from m import A` as "m.A", and the
    uses of a plain `import m` ("m.models.A"), for DJR503."""
    imported = [
        f"{node.module}.{alias.name}"
        for node in nodes.of(ast.ImportFrom)
        if node.module and not node.level
        for alias in node.names
    ]
    roots = {  # `import shop.models` -> "shop": its uses are `shop.models.X`
        alias.name.split(".")[0] for node in nodes.of(ast.Import) for alias in node.names if alias.asname is None
    }
    for chain in nodes.of(ast.Attribute) if roots else ():
        parts = dotted_names(chain) if isinstance(chain.value, ast.Attribute) else None
        if parts and parts[0] in roots:
            imported.append(".".join(parts))
    return tuple(dict.fromkeys(imported))


def migration_facts(nodes: Nodes, path: str, imports: dict[str, str], text: str) -> MigrationFacts | None:
    """The facts of a migration file: None when it defines no `Migration` class."""
    tree = nodes.tree
    assert isinstance(tree, ast.Module)
    for stmt in tree.body:
        if isinstance(stmt, ast.ClassDef) and stmt.name == "Migration":
            break
    else:
        return None
    facts = MigrationFacts(path.rpartition("/")[2].removesuffix(".py"))
    reader = _Reader(nodes, imports, text)
    operations: list[MigrationOp] | None = []
    for item in stmt.body:
        if isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name):
            name, value = item.targets[0].id, item.value
            if name == "dependencies":
                facts.dependencies = _pairs(value)
            elif name == "replaces":
                facts.replaces = _pairs(value)
            elif name == "operations":
                operations = reader.operations(value)
            elif name == "initial":
                facts.initial = isinstance(value, ast.Constant) and value.value is True
    facts.operations = tuple(operations or ())
    facts.opaque = operations is None
    facts.custom = reader.custom
    facts.without_reverse = reader.without_reverse
    facts.imported = reader.imported
    return facts


# -- the replay ------------------------------------------------------------------------------


@dataclass
class _Field:
    null: bool | None
    db_default: bool = False
    db_column: bool = False
    backfilled: bool = False
    added: int = -1  # the replay step of its AddField (-1: created with the model)
    nulled_in: str = ""  # the migration whose AlterField made it nullable


@dataclass
class _Model:
    created_in: str
    db_table: bool = False
    fields: dict[str, _Field] = field(default_factory=dict)


@dataclass
class _State:
    models: dict[str, _Model] = field(default_factory=dict)
    forgotten: set[str] = field(default_factory=set)  # "model.column" / "table:name" the state dropped
    dropped: dict[str, int] = field(default_factory=dict)  # "model.field" -> the step of its RemoveField
    step: int = 0  # operations replayed so far


def _table_model(state: _State, label: str, table: str) -> str:
    """The model whose default table is `table` ("shop_book" -> "book"), else ""."""
    prefix = f"{label.lower()}_"
    if table.startswith(prefix) and table[len(prefix) :] in state.models:
        return table[len(prefix) :]
    return ""


def answer(
    state: _State,
    op: MigrationOp,
    migration: str,
    label: str,
    same_release: frozenset[str] = frozenset(),
    moved: frozenset[str] = frozenset(),
) -> OpState:
    model = state.models.get(op.model)
    existed = model is not None and model.created_in != migration and model.created_in not in same_release
    column = model.fields.get(op.field) if model is not None else None
    kept = False
    if op.kind == "RenameField" and column is not None:
        kept = column.db_column
    elif op.kind == "RenameModel" and model is not None:
        kept = model.db_table
    if op.kind == "RunSQL":
        forgotten = bool(op.drops) and all(_forgotten_by_sql(state, drop, label) for drop in op.drops)
        existed = any(_sql_target_existed(state, drop, migration, label) for drop in op.drops)
    elif op.kind == "DeleteModel":
        forgotten = f"model:{op.model}" in state.forgotten
    elif op.kind == "RemoveField" and op.where == "state" and op.model in moved:
        forgotten = True  # the model moves to another app (a state-only DeleteModel): its table stays
    else:
        forgotten = f"{op.model}.{op.field}" in state.forgotten
    restores = (
        op.kind == "RenameField"
        and column is not None
        and column.added >= 0
        and state.dropped.get(f"{op.model}.{op.new_name}", -1) > column.added
    )
    retired = op.kind == "RemoveField" and column is not None and column.nulled_in not in ("", migration)
    return OpState(
        existed,
        column.null if column is not None else None,
        column.db_default if column is not None else False,
        kept,
        forgotten,
        column.backfilled if column is not None else False,
        restores,
        retired,
    )


def _forgotten_by_sql(state: _State, drop: tuple[str, str, str], label: str) -> bool:
    what, table, column = drop
    prefix = f"{label.lower()}_"
    model = table[len(prefix) :] if table.startswith(prefix) else table
    if what == "drop table":
        return f"model:{model}" in state.forgotten or f"table:{table}" in state.forgotten
    if what == "drop column":
        names = {column, column.removesuffix("_id")}
        return any(f"{model}.{n}" in state.forgotten for n in names) or any(
            entry.partition(".")[2] in names for entry in state.forgotten
        )
    return False


def _sql_target_existed(state: _State, drop: tuple[str, str, str], migration: str, label: str) -> bool:
    """A table a RunSQL drops or renames is not one this same migration created."""
    model = _table_model(state, label, drop[1])
    return not (model and state.models[model].created_in == migration)


def apply(state: _State, op: MigrationOp, migration: str, label: str) -> None:
    """Replay one operation on the state (the database-only ones change nothing it holds)."""
    if op.where == "database" and op.kind not in ("RunPython", "RunSQL"):
        return
    state.step += 1
    models, kind = state.models, op.kind
    model = models.get(op.model)
    if kind == "CreateModel":
        models[op.model] = _Model(
            migration, op.db_table, {name: _Field(null, dbd, col) for name, null, dbd, col in op.fields}
        )
        state.forgotten.discard(f"model:{op.model}")
    elif kind == "DeleteModel":
        models.pop(op.model, None)
        if op.where == "state":
            state.forgotten.add(f"model:{op.model}")
    elif kind == "RenameModel" and model is not None and op.new_name:
        models[op.new_name] = models.pop(op.model)
    elif kind == "AlterModelTable" and model is not None:
        model.db_table = op.db_table
    elif kind == "AddField" and model is not None:
        model.fields[op.field] = _Field(op.null, op.db_default, op.db_column, added=state.step)
        state.forgotten.discard(f"{op.model}.{op.field}")
    elif kind == "RemoveField" and model is not None:
        model.fields.pop(op.field, None)
        state.dropped[f"{op.model}.{op.field}"] = state.step
        if op.where == "state":
            state.forgotten.add(f"{op.model}.{op.field}")
    elif kind == "AlterField" and model is not None:
        before = model.fields.get(op.field)
        backfilled = bool(before and before.backfilled and op.null is not True)
        nulled = migration if before is not None and before.null is False and op.null is True else ""
        model.fields[op.field] = _Field(
            op.null, op.db_default, op.db_column, backfilled, before.added if before else -1, nulled
        )
    elif kind == "RenameField" and model is not None and op.new_name and op.field in model.fields:
        model.fields[op.new_name] = model.fields.pop(op.field)
    elif kind in ("RunPython", "RunSQL"):
        if op.touches is None:
            touched = set(models)
        else:
            touched = {t for t in op.touches if t in models} | {_table_model(state, label, t) for t in op.touches}
        for name in touched:
            for column in models[name].fields.values() if name in models else ():
                if column.null:
                    column.backfilled = True


def _same_release(migrations: dict[str, MigrationFacts], name: str, ancestors: frozenset[str]) -> frozenset[str]:
    """The initial migrations this one was generated with: makemigrations splits an app's first
    migration when its relations form a cycle (`0001_initial` creates the models, the next ones
    add their relations, all `initial = True` since Django 1.9), and no release ran between."""
    facts = migrations[name]
    if facts.initial:
        return frozenset(a for a in ancestors if migrations[a].initial)
    # before Django 1.9 (no `initial`): `0002_auto_<date>` after `0001_initial`, only adding
    # NOT NULL columns with no default at all, which only a migration run on empty tables can do
    tracked = [op for op in facts.operations if op.kind in OPERATIONS]
    if (
        not name.startswith("0002_auto_")
        or any(op.kind != "AddField" for op in tracked)
        or not any(op.null is False and op.default is None and not op.m2m for op in tracked)
    ):
        return frozenset()
    return frozenset(a for a in ancestors if a.startswith("0001_"))


def replay(migrations: dict[str, MigrationFacts], label: str) -> dict[str, tuple[OpState, ...]]:
    """For every migration of one app (name -> facts), what the state held before each of its
    operations. Replayed in dependency order (ties by name); a migration's state is that of
    its ancestors only. A squashed migration whose replaced migrations are all present is left
    out of the others' history (its replaced ones are replayed instead), so nothing counts twice."""
    squashes = {
        name: [r for _, r in facts.replaces]
        for name, facts in migrations.items()
        if facts.replaces and all(r in migrations for _, r in facts.replaces)
    }

    # the label the app's own dependencies use (an AppConfig label the index may not know)
    used = [dep_label for facts in migrations.values() for dep_label, dep in facts.dependencies if dep in migrations]
    if used and label not in used:
        label = max(sorted(set(used)), key=used.count)

    def parents(name: str) -> list[str]:
        out: list[str] = []
        for dep_label, dep in migrations[name].dependencies:
            if dep in migrations and dep_label == label:
                out += squashes.get(dep, [dep])
        return out

    ancestors: dict[str, frozenset[str]] = {}
    order: list[str] = []

    def visit(name: str, path: frozenset[str]) -> frozenset[str]:
        if name in ancestors:
            return ancestors[name]
        found: set[str] = set()
        for parent in parents(name):
            if parent in path:
                continue  # a dependency cycle: Django would refuse it, do not loop
            found |= {parent} | visit(parent, path | {name})
        ancestors[name] = frozenset(found)
        order.append(name)
        return ancestors[name]

    for name in sorted(migrations):
        visit(name, frozenset())
    moved = frozenset(
        op.model for f in migrations.values() for op in f.operations if op.kind == "DeleteModel" and op.where == "state"
    )
    answers: dict[str, tuple[OpState, ...]] = {}
    running, running_names = _State(), frozenset[str]()
    for name in order:
        before = ancestors[name]
        if before == running_names and name not in squashes:
            state = running  # the common case: a straight line
        else:
            state = _State()
            for past in order:
                if past in before and (past not in squashes or name in squashes):
                    for op in migrations[past].operations:
                        apply(state, op, past, label)
        own, split = [], _same_release(migrations, name, before)
        for op in migrations[name].operations:
            own.append(answer(state, op, name, label, split, moved))
            apply(state, op, name, label)
        # a squash whose replaced migrations are all here: they report what it repeats
        answers[name] = () if name in squashes else tuple(own)
        if name not in squashes:
            running, running_names = state, before | {name}
    return answers
