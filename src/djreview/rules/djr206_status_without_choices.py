"""DJR206: a status-like model field (`status`, `state`, `kind`, `type`, `stage`, `level`, or a
name ending `_status`/`_state`) that is a CharField or an integer field without `choices`.

Without choices any string is accepted: a typo ("shiped") is stored silently, forms and the
admin offer a free text box, and the set of values lives only in the code that happens to
compare them. The suggestion lists the literal values the project gives the field (the index
reads `obj.status = "paid"`, `filter(status="paid")`, `create(status="paid")`).

Not reported: an optional field (`blank=True` or `null=True`, no `default` but `None`) the project gives
no value of its own (no constant, no literal; literals given a same-named field of several
models are no model's own): it records what another system sends. Nor a copy of a status
(`source_state`, `target_state`, `original_status`, `raw_`/`external_`/`provider_` names), nor
a CharField longer than 64 given no value of its own (a progress message, free text). Nor an integer with
`MinValueValidator`/`MaxValueValidator` (a bounded number, not
an enumeration), an integer set by code only (`editable=False`: MPTT's `level`), `state` on a
model with address fields (`city`, `country`, `postal_code`, `zip`): a region.
"""

from __future__ import annotations

import re

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit, append_arguments
from djreview.index.lookups import status_name
from djreview.naming import snake
from djreview.rule import Rule
from djreview.rules._class_body_fields import ClassBodyFields, keyword_true
from djreview.syntax import literal_string

_CHAR = frozenset({"django.db.models.CharField", "django.db.models.fields.CharField"})
_INTEGERS = frozenset(
    f"django.db.models.{name}"
    for name in (
        "IntegerField",
        "SmallIntegerField",
        "BigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "PositiveBigIntegerField",
    )
)
_ADDRESS = ("city", "country", "postal_code", "postcode", "zip", "zip_code", "zipcode", "address")
# Names that mean many things besides an enumeration (a MIME type, a tree's depth, a plugin's
# identifier): reported only where the model lists the values as constants (`TYPE_FAVICON`).
_GENERIC = frozenset({"type", "kind", "level"})
_VALUE = re.compile(r"^[\w.-]+$")  # a code, not text or a MIME type ("application/pdf")
_MEMBER = re.compile(r"[^A-Za-z0-9]+")


# Prefixes of a field that copies a status from elsewhere: a transition's before and after
# (`source_state`, `target_state`), a provider's raw value beside the normalised one.
_COPIES = ("source_", "target_", "previous_", "old_", "new_", "original_", "raw_", "external_", "provider_", "remote_")
_CODE_LENGTH = 64  # longer than any status code: a CharField this long holds text
# A protocol's codes, not the project's states: rengine's `http_status` of a scanned server, a
# process's `exit_status`; the protocol defines them, and choices would reject the next one
_PROTOCOL_CODES = ("http_", "response_", "exit_", "return_")
_HTTP_WORDS = re.compile(r"\bHTTP\b|(?i:\bstatus code\b|\bresponse code\b)")


def _long_text(max_length: cst.Arg | None) -> bool:
    return (
        max_length is not None
        and isinstance(max_length.value, cst.Integer)
        and int(max_length.value.value) > _CODE_LENGTH
    )


def _http_code(keywords: dict[str, cst.Arg]) -> bool:
    """An integer column of HTTP response codes: its help text or label says so, or its default
    is 200 (OK). The protocol defines the values, and the next one would fail choices."""
    for name in ("help_text", "verbose_name"):
        text = literal_string(keywords[name].value) if name in keywords else None
        if text and _HTTP_WORDS.search(text):
            return True
    default = keywords.get("default")
    return default is not None and isinstance(default.value, cst.Integer) and default.value.value == "200"


def _member(value: str | int) -> str:
    name = _MEMBER.sub("_", str(value)).strip("_").upper()
    return name if name[:1].isalpha() else f"V_{name}"


class StatusWithoutChoices(ClassBodyFields, Rule):
    code = "DJR206"
    name = "status-without-choices"
    fixable = True
    triggers = ("Field(",)

    def wants(self, text, facts, index, prefilter) -> bool:
        return any(any(status_name(f.name) for f in cls.fields) for cls in facts.classes)

    def field_call(self, field: str, value: cst.Call, frame) -> None:
        flow = self.ctx.flow
        if not status_name(field):
            return
        if any(a.star for a in value.args):
            return  # `**kwargs` may hold choices
        keywords = {a.keyword.value: a for a in value.args if a.keyword is not None}
        if "choices" in keywords:
            return
        if field.startswith(_PROTOCOL_CODES):
            return
        if keyword_true(keywords.get("unique")) or keyword_true(keywords.get("primary_key")):
            return  # a value per row: the label column of a lookup table of statuses (Ghostwriter's ObjectiveStatus)
        model = snake(frame.node.name.value)
        if model == field or model.endswith(f"_{field}"):
            return  # the model is the status (emgapi's AnalysisStatus.analysis_status): its rows are the values
        index = self.ctx.index
        info = index.model(frame.qualname)
        if info is None:
            return
        if index.unmanaged(info.qualname):
            return  # another system owns the table and its values (emgapi's view of ENA's assemblies)
        ref = flow.qualify(value.func)
        kind = index.resolve(ref) or ref
        if index.field_sets_choices(kind):
            return  # its class gives it choices (askbot's LanguageCodeField, dj-stripe's StripeEnumField)
        integer = kind in _INTEGERS
        if not integer and index.string_field(ref) not in _CHAR:
            return
        if integer and "editable" in keywords or "validators" in keywords and self._bounded(keywords["validators"]):
            return
        if integer and _http_code(keywords):
            return  # readthedocs' `status = PositiveIntegerField(default=200, help_text="HTTP status code")`
        if "state" in field and any(f.name == a or f.name.endswith(f"_{a}") for f in info.fields for a in _ADDRESS):
            return  # a region of an address
        constants = self._constants(frame.node, field)
        if field in _GENERIC and not constants:
            return
        if not constants and field.startswith(_COPIES):
            return  # `source_state`, `original_status`: a copy of another field's or system's value
        values = list(constants.values()) or [
            v for v in index.status_values(field) if isinstance(v, int) == integer and _VALUE.match(str(v))
        ]
        values = [v for v in values if isinstance(v, int) == integer]
        if not constants and index.models_with_field(field) > 1:
            # `obj.status = "open"` names no model: with several models holding a `status` without choices,
            # the values may be another model's (django-crm), so none is put in the message
            values = []
        optional = keyword_true(keywords.get("blank")) or keyword_true(keywords.get("null"))
        default = keywords.get("default")
        if default is not None and (
            (isinstance(default.value, cst.Name) and default.value.value == "None")
            or (isinstance(default.value, cst.SimpleString) and default.value.evaluated_value == "")
        ):
            keywords = {k: v for k, v in keywords.items() if k != "default"}  # `None`, `""`: no value of its own
        if not values and "default" not in keywords and optional:
            # an optional field with no value of its own, given none by the project: a copy of
            # what another system reports (PayPal's IPN `payment_status`, a cluster's state),
            # whose new values choices would reject
            return
        received = "default" not in keywords and index.status_received(field)
        if received and (not values or not index.status_values(field)):
            # `payment.status = data["status"]`: what a provider reports (MercadoPago's
            # statuses), which choices would make a form reject when it adds one; the model's
            # constants then name some of the provider's values (oEmbed's TYPE_PHOTO), when
            # the project itself never writes a literal there
            return
        if not values and "default" not in keywords and not integer and _long_text(keywords.get("max_length")):
            return  # `state = CharField(max_length=200)` given no code: a progress message, free text
        holder = frame.node.name.value
        written = self.ctx.module.code_for_node(value.func)
        prefix = written.rsplit(".", 1)[0] + "." if "." in written else ""
        enum = f"{holder}{''.join(p.capitalize() for p in field.split('_'))}"
        base = f"{prefix}{'IntegerChoices' if integer else 'TextChoices'}"
        if values:
            members = "".join(f"    {_member(v)} = {v!r}\n".replace("'", '"') for v in values)
            seen = f" (the project gives it {', '.join(repr(v).replace(chr(39), chr(34)) for v in values[:6])})"
        else:
            members = '    pass  # one member per value, e.g. DRAFT = "draft"\n'
            seen = ""
        kind_name = "an integer" if integer else "a CharField"
        message = (
            f"{holder}.{field} is {kind_name} without choices{seen}: any value is accepted, a typo is stored "
            "silently, and forms and the admin offer a free-text box."
        )
        short = base.rsplit(".", 1)[-1]
        hint = f"Declare the values once, in {'an' if integer else 'a'} {short} class, and pass choices={enum}.choices."
        edits = [NodeEdit(frame.node, f"class {enum}({base}):\n{members}\n\n", "before")]
        choice = append_arguments(value, [f"choices={enum}.choices"])
        if choice is not None:
            edits.append(choice)
        self.report(value, message, FixSpec(f"add choices={enum}.choices", "suggestion", tuple(edits)), hint=hint)

    @staticmethod
    def _constants(cls: cst.ClassDef, field: str) -> dict[str, str | int]:
        """The class's constants named after the field (`TYPE_FAVICON = "favicon"`): the values."""
        found: dict[str, str | int] = {}
        prefix = f"{field.upper()}_"
        for line in cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ():
            for stmt in line.body if isinstance(line, cst.SimpleStatementLine) else ():
                if not isinstance(stmt, cst.Assign) or len(stmt.targets) != 1:
                    continue
                target = stmt.targets[0].target
                if not isinstance(target, cst.Name) or not target.value.startswith(prefix):
                    continue
                if isinstance(stmt.value, cst.SimpleString):
                    found[target.value] = stmt.value.evaluated_value  # type: ignore[assignment]
                elif isinstance(stmt.value, cst.Integer):
                    found[target.value] = int(stmt.value.value, 0)
        return found

    def _bounded(self, validators: cst.Arg) -> bool:
        text = self.ctx.module.code_for_node(validators.value)
        return "MinValueValidator" in text or "MaxValueValidator" in text
