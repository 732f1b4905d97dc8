"""DJR203: `null=True` on a string field of a model (parity: Ruff DJ001, flake8-django DJ01).

A nullable CharField has two values for "no data", NULL and "": code and queries must test
both (`title__isnull=True` misses the empty strings, `title=""` misses the NULLs). Django's
convention is "" alone. Not reported with `unique=True` and `blank=True` together: there NULL
is needed, since many rows may be blank but only one may hold "".

Beyond the peers: string fields reached through the project's own subclasses of Django's
(`class CodeField(models.CharField)`), and models through project bases (the index).
"""

from __future__ import annotations

import re

import libcst as cst

from djreview.fix_spec import FixSpec, remove_argument
from djreview.rule import Rule
from djreview.rules._class_body_fields import ClassBodyFields, keyword_true

_CHAINED = re.compile(r"^[ \t]+\w+\s*=\s*\w+\s*=[^\n]*null=True", re.MULTILINE)


class NullStringField(ClassBodyFields, Rule):
    code = "DJR203"
    name = "null-string-field"
    fixable = True
    triggers = ("null=True",)

    def wants(self, text, facts, index, prefilter) -> bool:
        """Decided from the index's fields, so that only model files that have one get a CST
        (Django's own source says `null=True` in 200 files that define no such field)."""
        if not super().wants(text, facts, index, prefilter):
            return False
        if _CHAINED.search(text):
            return True  # `a = b = models.CharField(null=True)`: the index reads single targets
        return any(
            f.null and index.string_field(f.kind) and index.model(cls.qualname)
            for cls in facts.classes
            for f in cls.fields
        )

    def field_call(self, field: str, value: cst.Call, frame) -> None:
        flow = self.ctx.flow
        keywords = {a.keyword.value: a for a in value.args if a.keyword is not None}
        null = keywords.get("null")
        if not keyword_true(null) or (keyword_true(keywords.get("unique")) and keyword_true(keywords.get("blank"))):
            return
        index = self.ctx.index
        kind = index.string_field(flow.qualify(value.func))
        if kind is None or index.model(frame.qualname) is None:
            return
        written = self.ctx.module.code_for_node(value.func).rsplit(".", 1)[-1]
        shown = kind.rsplit(".", 1)[-1]
        what = written if written == shown else f"{written} (a {shown})"
        holder = frame.node.name.value
        message = (
            f'{holder}.{field}: {what} with null=True has two values for "no data", NULL and "", so code '
            f"and queries must test both ({field}__isnull=True misses the empty strings)."
        )
        hint = (
            'Remove null=True and store "" for no data (keep blank=True for forms); the migration '
            'needs a default for existing NULL rows, so set them to "" first.'
        )
        assert null is not None
        edit = remove_argument(value, null)
        fix = FixSpec("remove null=True", "unsafe", (edit,)) if edit is not None else None
        self.report(value, message, fix, hint=hint)
