"""DJR105: a model field the project filters or orders on that no index serves.

`Book.objects.filter(isbn=x)` on a column without an index reads the whole table: fast on a
developer's hundred rows, slow on production's million. The index (index/lookups.py) knows
every `filter()`/`exclude()`/`get()`/`order_by()`, `Q()` and `get_object_or_404()` lookup
written on a known model across the project (not tests or migrations), through related paths
(`author__name` is Author.name), and every model's `Meta.ordering`; this rule reports the
field once, at its definition, naming where it is queried.

Not reported: fields with `db_index`, `unique` or `primary_key`, relations (their column is
indexed), `SlugField` (indexed by default), `BooleanField` (two values: an index rarely helps),
the first column of a `Meta.indexes` entry, a constraint, `unique_together` or
`index_together`, a later column of one where the query also filters on the columns before
it, and lookups no plain index serves (`icontains`, `iexact`, transforms, JSON keys). Nor a
model whose rows a form lists in a select box (`ModelChoiceField(queryset=Model.objects.all())`):
the project renders every row on a page, so the table is small and a scan costs what an index
lookup would; unless a ForeignKey points at the model (rows that own other rows grow with use;
ProjectIndex.small_table). Nor a model the admin registers that no project code creates rows
of (index/created_rows.py): staff curate it by hand. Nor a reference table queried by a
descriptive column: no sign of growing with use (a relation to the user model, two relations,
a creation time stamp, ten fields), and the column holds no row's key (ProjectIndex._reference_table).
A project can name its other small tables (configuration,
schedules) in `djr105-small-models` of `[tool.djreview]` (config.apply, with `model_of`).
"""

from __future__ import annotations

import re

import libcst as cst

from djreview.fix_spec import FixSpec, append_arguments
from djreview.rule import Rule
from djreview.rules._class_body_fields import ClassBodyFields

# "Book.isbn has no index, ...": the class the message names, for djr105-small-models
_SUBJECT = re.compile(r"^(\w+)\.\w+ has no index, ")


def model_of(finding) -> str | None:
    """The model class a DJR105 finding is about (None for another rule's)."""
    if finding.code != FilterOnUnindexedField.code:
        return None
    found = _SUBJECT.match(finding.message)
    return found.group(1) if found else None


class FilterOnUnindexedField(ClassBodyFields, Rule):
    code = "DJR105"
    name = "filter-on-unindexed-field"
    fixable = True
    triggers = ("Field(",)

    def wants(self, text, facts, index, prefilter) -> bool:
        return any(cls.fields and index.class_kind(cls.qualname) == "model" for cls in facts.classes)

    def field_call(self, field: str, value: cst.Call, frame) -> None:
        index = self.ctx.index
        if index.model(frame.qualname) is None:
            return
        count, shown = index.unindexed_lookups(frame.qualname, field)
        if not count:
            return
        places = ", ".join(shown)
        if count > len(shown):
            places += f" and {count - len(shown)} more"
        holder = frame.node.name.value
        uses = "that query scans" if count == 1 else "each of those queries scans"
        message = (
            f"{holder}.{field} has no index, but the project filters or orders on it ({places}): "
            f"{uses} the whole table once it grows."
        )
        hint = (
            "Add db_index=True (or a Meta.indexes entry that starts with it); it needs a migration, "
            "and building the index locks or slows writes on a large table."
        )
        edit = append_arguments(value, ["db_index=True"])
        fix = FixSpec("add db_index=True", "unsafe", (edit,)) if edit is not None else None
        self.report(value, message, fix, hint=hint)
