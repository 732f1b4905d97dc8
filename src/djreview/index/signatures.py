"""Which functions verify a request's signature: a per-file fact for DJR403 (csrf-exempt).

A view exempt from CSRF is safe when it authenticates each request by a signature the sender
computes with a shared secret (a payment provider's webhook): a forged cross-site POST
cannot carry it. Whether a view verifies is read here from the stdlib tree, per module
function and per method ("Class.method"): does its body verify, and which functions does it
call (the index follows them, across modules, to a bounded depth).

Verifying is calling a constant-time comparison (`hmac.compare_digest`), comparing an
`hmac.new(...)` digest, a provider's verifier (`stripe.Webhook.construct_event`,
`svix.Webhook(...).verify`, nacl/cryptography `.verify(...)`, twilio's
`RequestValidator(...).validate`, slack's `is_valid_request`, `jwt.decode` with a key,
`django.core.signing.loads`/`.unsign`), or calling (or being decorated by) a function whose
name says it verifies a signature (`verify_signature`, `check_hmac`...). Reading or logging
the signature header is not verifying: those reads are kept apart (`headers`), so the rule
can say "it reads the header but never verifies it".

Only files that could hold such code are read (`worth_reading`): the view's own module (it
names `csrf_exempt`) and modules naming a verifier or a signature. A helper that verifies
only through another helper in a module naming none of them is not seen (a miss, not a false
alarm: the view is then reported).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

_WORDS = re.compile(
    r"csrf_exempt|compare_digest|constant_time_compare|hmac|construct_event|verify|signing|unsign|jwt"
    r"|is_valid_request|RequestValidator|_notify-validate|[Ss]ignature|twilio_view"
)
# A name that says it verifies a signature: verify_signature, check_hmac, is_valid_signature,
# validate_twilio_request, signature_is_valid...
_VERIFYING_NAME = re.compile(
    r"(?i)(verif|check|valid|authenticat)\w*(signature|_sig\b|_sig_|hmac|digest|twilio_request)"
    r"|(signature|hmac)\w*_(is_)?(valid|verif|match|ok)"
    r"|^twilio_view$"
)
_COMPARISONS = frozenset({"compare_digest", "constant_time_compare"})
_PROVIDER_METHODS = frozenset({"construct_event", "verify_header", "is_valid_request", "unsign", "unsign_object"})
_SIGNING = frozenset({"django.core.signing.loads", "django.core.signing.unsign"})
_JWT_DECODE = frozenset({"jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode"})
_SIGNATURE_HEADER = re.compile(r"(?i)signature|hmac")


@dataclass
class SignatureFacts:
    """One function's part in verifying a request's signature."""

    verifies: bool = False  # its body (nested functions included) verifies
    calls: tuple[str, ...] = ()  # functions it calls: qualified refs, "self.<name>" for methods
    headers: tuple[str, ...] = ()  # signature-like header names it reads ("HTTP_X_HUB_SIGNATURE")
    drf: bool = False  # decorated with DRF's @api_view: CSRF is DRF's business there


def worth_reading(text: str) -> bool:
    return _WORDS.search(text) is not None


def verifying_name(name: str) -> bool:
    return _VERIFYING_NAME.search(name) is not None


class _Function:
    """One walk of a function (decorators included) gathering its SignatureFacts."""

    def __init__(self, qualify):
        self.qualify = qualify  # a module-level name -> its qualified ref, None when unknown
        self.facts = SignatureFacts()
        self.calls: list[str] = []
        self.hmac_digest = False
        self.compares = False
        self.twilio = self.validates = False

    def read(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> SignatureFacts:
        for decorator in node.decorator_list:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            ref = self._ref(target) or ""
            if ref.rsplit(".", 1)[-1] == "api_view" and "rest_framework" in ref:
                self.facts.drf = True
            self._callee(target)
        for child in ast.walk(node):
            if isinstance(child, ast.Call):
                self._call(child)
            elif isinstance(child, ast.Compare):
                self.compares = self.compares or any(isinstance(op, (ast.Eq, ast.NotEq)) for op in child.ops)
            elif isinstance(child, ast.Subscript):
                self._header(child.slice)
            elif isinstance(child, ast.Constant) and child.value == "_notify-validate":
                self.facts.verifies = True  # PayPal IPN: the message is posted back to be validated
        if self.hmac_digest and self.compares or self.twilio and self.validates:
            self.facts.verifies = True
        self.facts.calls = tuple(dict.fromkeys(self.calls))
        return self.facts

    def _ref(self, node: ast.AST) -> str | None:
        parts: list[str] = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        if node.id in ("self", "cls"):
            return f"self.{parts[-1]}" if len(parts) == 1 else None
        base = self.qualify(node.id)
        return ".".join([base, *reversed(parts)]) if base else None

    def _callee(self, func: ast.AST) -> None:
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name and verifying_name(name):
            self.facts.verifies = True
        ref = self._ref(func)
        if ref:
            self.calls.append(ref)

    def _call(self, call: ast.Call) -> None:
        func = call.func
        self._callee(func)
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        ref = self._ref(func) or ""
        if name in _COMPARISONS or name in _PROVIDER_METHODS or ref in _SIGNING:
            self.facts.verifies = True
        elif name == "verify" and (call.args or call.keywords):
            self.facts.verifies = True  # svix Webhook(...).verify, nacl VerifyKey(...).verify, cryptography
        elif name == "validate" and len(call.args) + len(call.keywords) >= 3:
            self.validates = True  # twilio's RequestValidator(token).validate(url, params, signature)
        elif ref in _JWT_DECODE and _decodes_with_key(call):
            self.facts.verifies = True
        elif ref == "hmac.new" or ref.startswith("hmac.") and name == "HMAC":
            self.hmac_digest = True
        elif name == "RequestValidator":
            self.twilio = True
        elif name == "get" and call.args:
            self._header(call.args[0])

    def _header(self, node: ast.AST) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SIGNATURE_HEADER.search(node.value):
            if node.value not in self.facts.headers and len(node.value) < 80:
                self.facts.headers += (node.value,)


def _decodes_with_key(call: ast.Call) -> bool:
    """`jwt.decode(token, key, ...)` that does not turn signature checking off."""
    keyed = len(call.args) >= 2 or any(k.arg == "key" for k in call.keywords)
    for keyword in call.keywords:
        if keyword.arg == "verify" and isinstance(keyword.value, ast.Constant) and keyword.value.value is False:
            return False
        if keyword.arg == "options" and "verify_signature" in ast.dump(keyword.value):
            return False
    return keyed


def signature_facts(tree: ast.Module, text: str, qualify, statements) -> dict[str, SignatureFacts]:
    """Per module function ("name") and method ("Class.name"), what it does about a signature:
    only the functions that verify, read a signature header, call something, or are DRF's."""
    if not worth_reading(text):
        return {}
    found: dict[str, SignatureFacts] = {}

    def keep(key: str, node) -> None:
        facts = _Function(qualify).read(node)
        if facts.verifies or facts.calls or facts.headers or facts.drf:
            found[key] = facts

    for stmt in statements:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            keep(stmt.name, stmt)
        elif isinstance(stmt, ast.ClassDef):
            for item in stmt.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    keep(f"{stmt.name}.{item.name}", item)
    return found


# -- the project's answer (ProjectIndex.verifies_signature and friends) ----------------------
MAX_DEPTH = 4  # calls followed from the view: view -> helper -> helper -> verifier


class Verifiers:
    """Answers about request signatures over the whole index (calls followed across modules)."""

    def __init__(self, index):
        self.index = index

    def _function(self, ref: str) -> tuple[SignatureFacts | None, str | None]:
        """A module function's or a method's facts, with the class of a method, by reference."""
        index = self.index
        ref = index.resolve(ref) or ref
        module, _, name = ref.rpartition(".")
        owner = index.resolve(module) or module
        if owner in index.classes:
            return self._method(owner, name), owner
        facts = index._module_named(module)
        return (facts.signatures.get(name) if facts is not None else None), None

    def _method(self, cls: str, name: str) -> SignatureFacts | None:
        """The first definition of `name` along the project MRO of `cls`."""
        for qual in self.index._class_mro(cls):
            module = self.index.class_module[qual]
            facts = module.signatures.get(f"{self.index.classes[qual].name}.{name}")
            if facts is not None or name in self.index.classes[qual].methods:
                return facts
        return None

    def _methods(self, cls: str):
        """Every method of a class and its project bases, with the class they run on."""
        for qual in self.index._class_mro(cls):
            prefix = f"{self.index.classes[qual].name}."
            for key, facts in self.index.class_module[qual].signatures.items():
                if key.startswith(prefix):
                    yield facts

    def verifies(self, ref: str) -> bool:
        """Does the function, or any method of the class, `ref` verify a signature (in its body
        or through the project functions it calls)?"""
        cls = self.index.resolve(ref) or ref
        if cls in self.index.classes:
            return any(self._follows(facts, cls, 0, set()) for facts in self._methods(cls))
        facts, owner = self._function(ref)
        return facts is not None and self._follows(facts, owner, 0, set())

    def _follows(self, facts: SignatureFacts, owner: str | None, depth: int, seen: set[str]) -> bool:
        if facts.verifies:
            return True
        if depth >= MAX_DEPTH:
            return False
        for call in facts.calls:
            if call in seen:
                continue
            seen.add(call)
            if call.startswith("self."):
                found, where = (self._method(owner, call[5:]), owner) if owner else (None, None)
            else:
                resolved = self.index.resolve(call) or call
                if resolved in self.index.classes:  # instantiating a verifier class
                    found, where = self._method(resolved, "__init__"), resolved
                else:
                    found, where = self._function(call)
            if found is not None and self._follows(found, where, depth + 1, seen):
                return True
        return False

    def headers(self, ref: str) -> tuple[str, ...]:
        """The signature-like headers the view (function, or class's methods) reads."""
        cls = self.index.resolve(ref) or ref
        if cls in self.index.classes:
            found = [facts for facts in self._methods(cls)]
        else:
            one = self._function(ref)[0]
            found = [one] if one is not None else []
        return tuple(dict.fromkeys(h for facts in found for h in facts.headers))

    def drf_function(self, ref: str) -> bool:
        facts = self._function(ref)[0]
        return facts is not None and facts.drf
