"""DJR305: a serializer whose output includes a password, a token, a secret or a key.

A serializer writes out every field that is not `write_only`: a `password` (even Django's hash),
an `api_token` or a `client_secret` in `fields`, reached through `"__all__"`/`exclude` on a
model that has one, or declared as a `CharField`, is returned in every response that serializes
the object. `read_only=True` does not hide it: read-only means output-only.

Decided from the index: the model's string fields (CharField, TextField and their subclasses),
the serializer's `extra_kwargs`, and how the project uses the serializer (index/class_uses.py):
one only ever called as `X(data=request.data)` and read through `.is_valid()`,
`.validated_data` or `.save()` validates input and writes nothing out, so it is not reported.
Neither is the token of a login, sign-up or token-obtain serializer (returning it is that
endpoint's purpose), a boolean or other non-string field, `is_*`/`has_*` names, pagination
cursors (`next_page_token`), nor a name that merely contains a secret word
(`password_changed_at`, `api_key_last4`).
"""

from __future__ import annotations

import re

import libcst as cst

from djreview.fix_spec import INDENT, FixSpec, NodeEdit
from djreview.index.project import ModelInfo
from djreview.rule import Rule
from djreview.rules._model_fields import excluded_names, model_form_kind
from djreview.syntax import literal_string

_SECRET_WORDS = ("password", "secret", "token", "api_key", "private_key")
_STRING_FIELDS = ("CharField", "TextField")
# A bare `secret` or `token` is as often the object's own access code, handed to its owner by
# design (pretix's order and ticket secrets, an invitation's token), as a credential: reported
# only when nobody chose to return it (`"__all__"`, `exclude`), not when listed or declared.
_ACCESS_CODES = frozenset({"secret", "token"})
# A serializer of a login, sign-up, token-obtain or key-rolling response (by its name, a base's,
# or a view's or function's writing it out): returning the token is that response's purpose.
_ISSUES_TOKENS = re.compile(
    r"log_?in|obtain|sign_?in|sign_?up|register|auth_?token|token_?pair|token_?refresh|initiali[sz]e|roll_?(?:key|token|secret)|rotate|regenerate",
    re.IGNORECASE,
)
# A key-rolling response hands out the new credential, whatever it is called (`client_secret`).
_ROLLS_KEYS = re.compile(r"roll_?(?:key|token|secret)|rotate|regenerate|reset_?(?:key|secret)", re.IGNORECASE)
_MODEL_SERIALIZERS = ("serializer", "hyperlinked-serializer")
# Login views read the credentials a serializer validates and answer with a token of their own.
_LOGS_IN = re.compile(r"log_?in|obtain|sign_?in", re.IGNORECASE)


# Values made for the browser: Stripe's client secret of a Checkout Session or PaymentIntent
# (named so), a publishable or public key, Algolia's secured (scoped, expiring) search key.
_FOR_THE_BROWSER = re.compile(
    r"publishable|public|(checkout_session|payment_intent|setup_intent)_client_secret|^secured_|search_(api_)?key"
    r"|csrf_?(middleware)?token"  # Django's CSRF token of the caller's own session (toolhub's current user)
)


def secret_name(name: str) -> bool:
    """`password`, `api_token`, `client_secret`; not `is_secret`, `next_page_token`, `password_changed_at`,
    nor `encrypted_client_secret`/`hashed_token` (ciphertext or a digest: only the server's key
    or the original opens it)."""
    lowered = name.lower()
    if lowered.startswith(("is_", "has_", "encrypted_", "hashed_")) or lowered.endswith("page_token"):
        return False
    if _FOR_THE_BROWSER.search(lowered):
        return False  # enterprise-access's checkout_session_client_secret, secured_algolia_api_key
    return lowered in _SECRET_WORDS or lowered.endswith(tuple(f"_{word}" for word in _SECRET_WORDS))


def _payment_intent(model: ModelInfo) -> bool:
    """A Stripe PaymentIntent/SetupIntent row (`payment_intent_id` beside it, or an `*Intent`
    model): its `client_secret` is handed to the paying customer's browser by design, to
    confirm the payment there; it is no credential of the account."""
    return "intent" in model.name.lower() or any("intent" in f.name.lower() for f in model.fields)


def _names_an_intent(name: str, bases) -> bool:
    """A serializer of a Stripe PaymentIntent/SetupIntent or Connect AccountSession (whose
    client secret the embedded onboarding component uses), by its own or a base's name."""
    return any(_INTENT_NAME.search(n.rsplit(".", 1)[-1]) for n in (name, *bases))


_INTENT_NAME = re.compile(r"(Payment|Setup)_?Intent|Account_?Session", re.IGNORECASE)


def _string_kind(kind: str) -> bool:
    return kind.rsplit(".", 1)[-1].endswith(_STRING_FIELDS)


class SensitiveFieldExposed(Rule):
    code = "DJR305"
    name = "sensitive-field-exposed"
    fixable = True
    triggers = (
        "password",
        "secret",
        "token",
        "api_key",
        "private_key",
        "Password",
        "Secret",
        "Token",
        "__all__",
        "exclude",
    )

    def wants(self, text: str, facts, index, prefilter) -> bool:
        # a class that looks like a serializer (index/serializers.py), in a file naming a secret
        # or taking every field of a model
        return any(c.serializer is not None for c in facts.classes) and super().wants(text, facts, index, prefilter)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        flow = self.ctx.flow
        if len(flow.classes) != 1 or not flow.classes[0].top_level:
            return
        facts = next((c for c in self.ctx.facts.classes if c.name == node.name.value), None)
        if facts is None or facts.serializer is None:
            return
        qual = flow.classes[0].qualname
        index = self.ctx.index
        audience = index.class_audience(qual)
        if audience == ("input",):
            return  # only ever validates request data: nothing is written out
        model_serializer = model_form_kind(index, qual) in _MODEL_SERIALIZERS
        if not audience and not model_serializer:
            return  # a plain Serializer no code writes out: most validate input (a login form)
        if index.class_defines(qual, "to_representation"):
            return  # builds its own output (label-studio pops its storage credentials there)
        users = index.output_users(qual)
        if users and all(_LOGS_IN.search(user) for user in users):
            return  # only login views use it (wger's UserAPILoginView reads .data, returns a token)
        issues_tokens = (
            bool(_ISSUES_TOKENS.search(node.name.value))
            or any(_ISSUES_TOKENS.search(base.rsplit(".", 1)[-1]) for base in facts.bases)
            or any(_ISSUES_TOKENS.search(user) for user in users)
            or index.signs_up_with(qual)
        )
        if any(_ROLLS_KEYS.search(n) for n in [node.name.value, *users]):
            return  # a key-rolling response: handing out the new secret is its purpose
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        meta = next((s for s in body if isinstance(s, cst.ClassDef) and s.name.value == "Meta"), None)
        meta_attrs = (
            _assignments(meta.body.body) if meta is not None and isinstance(meta.body, cst.IndentedBlock) else {}
        )
        listed = _names(meta_attrs.get("fields"))
        if listed and all(secret_name(n) for n in listed):
            return  # djoser's TokenSerializer, fields = ("auth_token",): the token response itself
        hidden = _write_only(meta_attrs.get("extra_kwargs"))
        if meta is not None and _changed_in_code(meta, "extra_kwargs"):
            hidden = {"*"}  # waldur's `for field in write_only_fields: extra_kwargs[...]["write_only"] = True`
        if "*" in hidden:
            return  # extra_kwargs built in code: which fields it hides is unknown
        declared: set[str] = set()
        name = node.name.value
        for target, call in _declared(body):
            declared.add(target.value)
            if not secret_name(target.value) or _issued(target.value, name, issues_tokens):
                continue
            if target.value.lower() in _ACCESS_CODES:
                continue  # declared by name: returning the object's own code is a decision
            if target.value.lower() == "client_secret" and _names_an_intent(name, facts.bases):
                continue  # lego's PaymentIntentMetaSerializer: the browser confirms the payment with it
            kind = flow.qualify(call.func) or ""
            if not (kind.startswith("rest_framework.") and _string_kind(kind)) or target.value in hidden:
                continue
            if _keyword_true(call, "write_only"):
                continue
            self._report_declared(name, target, call)
        if not model_serializer or meta is None:
            return
        model = index.model(index.model_for(facts.meta_model)) if facts.meta_model else None
        if model is None:
            return
        self._model_fields(name, model, meta_attrs, declared, hidden, issues_tokens)

    # -- fields from the model -------------------------------------------------------------------
    def _model_fields(self, name, model: ModelInfo, meta_attrs, declared, hidden, issues_tokens) -> None:
        secrets = {
            f.name: f
            for f in model.fields
            if _string_kind(f.kind)
            and secret_name(f.name)
            and f.name not in declared
            and f.name not in hidden
            and not _issued(f.name, name, issues_tokens)
            and not (f.name.lower() == "client_secret" and _payment_intent(model))
        }
        if secrets:  # mediacms's `friendly_token`, the lookup_field of its views: the row's public id
            in_urls = self.ctx.index.url_lookup_fields()
            secrets = {n: f for n, f in secrets.items() if n not in in_urls}
        if not secrets:
            return
        fields = meta_attrs.get("fields")
        exclude = meta_attrs.get("exclude")
        found: list[tuple[str, cst.CSTNode]] = []
        where: cst.Assign | None = None
        if fields is not None and isinstance(fields.value, (cst.List, cst.Tuple)):
            for element in fields.value.elements:
                text = literal_string(element.value)
                if text in secrets and text.lower() not in _ACCESS_CODES:
                    found.append((text, element.value))
            where = fields
        elif fields is not None and literal_string(fields.value) == "__all__":
            found = [(n, fields.targets[0].target) for n in secrets]
            where = fields
        elif exclude is not None and fields is None:
            left_out = excluded_names(exclude.value)
            if left_out is None:
                return
            found = [(n, exclude.targets[0].target) for n in secrets if n not in left_out]
            where = exclude
        read_only = _names(meta_attrs.get("read_only_fields"))
        first = True
        for field_name, node in found:
            fix = None
            if where is not None and first and "extra_kwargs" not in meta_attrs:
                names = [n for n, _ in found if n not in read_only]
                if names:
                    fix = self._extra_kwargs_fix(where, names)
                    first = False
            via = (
                ""
                if isinstance(node, cst.SimpleString)
                else " through " + ('"__all__"' if where is not None and where is fields else "exclude")
            )
            message = (
                f"{name} writes {model.name}.{field_name} out in every response{via}: a password, token or "
                "secret must never be returned."
            )
            hint = f'Hide it: extra_kwargs = {{"{field_name}": {{"write_only": True}}}} in Meta, or leave it out of fields.'
            self.report(node, message, fix, hint=hint)

    def _extra_kwargs_fix(self, where: cst.Assign, names: list[str]) -> FixSpec:
        entries = ", ".join(f'"{n}": {{"write_only": True}}' for n in names)
        original = self.ctx.module.code_for_node(where)
        newline = self.ctx.module.default_newline
        replacement = f"{original}{newline}{INDENT}extra_kwargs = {{{entries}}}"
        return FixSpec(
            f"make {', '.join(names)} write-only (clients reading it from responses lose it)",
            "unsafe",
            (NodeEdit(where, replacement, indent_like=where),),
        )

    # -- declared fields -------------------------------------------------------------------------
    def _report_declared(self, name: str, target: cst.Name, call: cst.Call) -> None:
        read_only = any(a.keyword is not None and a.keyword.value == "read_only" for a in call.args)
        message = (
            f"{name}.{target.value} is written out in every response: a password, token or secret "
            "must never be returned" + (" (read_only=True means output-only)." if read_only else ".")
        )
        fix = None
        if read_only:
            hint = "Leave it out of the serializer, or return it only where the client must see it once."
        else:
            hint = "Declare it write_only=True."
            if not any(a.star for a in call.args):
                args = [*call.args]
                if args:
                    args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                no_space = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
                added = cst.Arg(keyword=cst.Name("write_only"), value=cst.Name("True"), equal=no_space)
                replacement = self.ctx.module.code_for_node(call.with_changes(args=[*args, added]))
                fix = FixSpec(
                    f"declare {target.value} write_only=True (clients reading it from responses lose it)",
                    "unsafe",
                    (NodeEdit(call, replacement),),
                )
        self.report(target, message, fix, hint=hint)


def _assignments(body) -> dict[str, cst.Assign]:
    found = {}
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target = small.targets[0].target
                    if isinstance(target, cst.Name):
                        found[target.value] = small
    return found


def _declared(body):
    for assign in _assignments(body).values():
        if isinstance(assign.value, cst.Call):
            yield assign.targets[0].target, assign.value


def _keyword_true(call: cst.Call, name: str) -> bool:
    return any(
        a.keyword is not None and a.keyword.value == name and isinstance(a.value, cst.Name) and a.value.value == "True"
        for a in call.args
    )


def _names(assign: cst.Assign | None) -> set[str]:
    if assign is None or not isinstance(assign.value, (cst.List, cst.Tuple)):
        return set()
    return {t for t in (literal_string(e.value) for e in assign.value.elements) if t}


def _write_only(assign: cst.Assign | None) -> set[str]:
    """Fields `extra_kwargs` makes write-only (a literal dict); {"*"} when it is not readable."""
    if assign is None:
        return set()
    if not isinstance(assign.value, cst.Dict):
        return {"*"}
    found = set()
    for element in assign.value.elements:
        if not isinstance(element, cst.DictElement):
            continue
        key = literal_string(element.key)
        if key and _options_unread(element.value):
            found.add(key)  # quipucords' `{"password": ENCRYPTED_FIELD_KWARGS}`, a module constant
        elif key and isinstance(element.value, cst.Dict):
            for option in element.value.elements:
                if (
                    isinstance(option, cst.DictElement)
                    and literal_string(option.key) == "write_only"
                    and isinstance(option.value, cst.Name)
                    and option.value.value == "True"
                ):
                    found.add(key)
    return found


def _issued(field: str, serializer: str, issues_tokens: bool) -> bool:
    """A credential the response hands out on purpose: the token of a login, sign-up or
    key-rolling answer, or a `*secret` of a serializer itself named so (toolhub's
    `RegisterApplicationSerializer.client_secret`, the new client's secret shown once). A
    password is never issued: a sign-up serializer echoing it back is still reported."""
    lowered = field.lower()
    return (
        issues_tokens and "token" in lowered or lowered.endswith("secret") and bool(_ISSUES_TOKENS.search(serializer))
    )


def _options_unread(value: cst.BaseExpression) -> bool:
    """A field's `extra_kwargs` options that the text does not spell out: a name
    (`ENCRYPTED_FIELD_KWARGS`), a call, or a dict that unpacks one (`{"required": True,
    **ENCRYPTED_FIELD_KWARGS}`) with no `"write_only"` of its own. They may say write-only."""
    if not isinstance(value, cst.Dict):
        return True
    spelled = any(isinstance(o, cst.DictElement) and literal_string(o.key) == "write_only" for o in value.elements)
    return not spelled and any(isinstance(o, cst.StarredDictElement) for o in value.elements)


def _changed_in_code(meta: cst.ClassDef, name: str) -> bool:
    """Does a statement of the Meta body other than a plain assignment use `name` (a loop that
    fills `extra_kwargs`)? Then its literal value is not what DRF reads."""
    body = meta.body.body if isinstance(meta.body, cst.IndentedBlock) else ()
    for stmt in body:
        plain = isinstance(stmt, cst.SimpleStatementLine) and all(
            isinstance(small, cst.Assign) and not _mentions(small.value, name) for small in stmt.body
        )
        if not plain and _mentions(stmt, name):
            return True
    return False


def _mentions(node: cst.CSTNode, name: str) -> bool:
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Name) and current.value == name:
            return True
        stack.extend(current.children)
    return False
