"""DJR402: HTML marked safe although part of it was never escaped.

`mark_safe(f"<b>{name}</b>")` tells the template engine not to escape the text: when `name`
comes from a user, so does any `<script>` in it (XSS). `format_html("<b>{}</b>", name)`
escapes each value and marks only the format string safe. Reported: `mark_safe()` and
`SafeString()` of text built (f-string, `%`, `.format()`, `+`, `join`) with a part that is not
escaped, and `format_html()` whose format string is itself built from one (nothing is
escaped then).

In `mark_safe()`, only values the function reads from objects count (an attribute, an item of
one, a method's result, directly or through a local): a parameter used as it came may be
escaped text, which its callers decide.

Not reported: text made only of literals (module constants included) and already-escaped
values (`escape()`, `conditional_escape()`, `format_html()`, `format_html_join()`,
`render_to_string()`, a widget's or template's `render()`, numbers, `reverse()`), and str
methods or `join` over them: redundant at worst, not unsafe. Text not built at the call or in
the function (a parameter, a call's result) is left alone: where it is built decides.
"""

from __future__ import annotations

import ast
import re

import libcst as cst

from djreview.fix_spec import FixSpec, NodeEdit
from djreview.index.nodes import all_nodes
from djreview.index.prefilter import called_name
from djreview.rule import Rule, stdlib_tree
from djreview.rules._built_text import BuiltText, FunctionStack, Policy, indexed_return_kind, shown
from djreview.syntax import dotted, literal_string
from djreview.walk import children

_ESCAPING = frozenset(
    {
        "escape",
        "conditional_escape",
        "format_html",
        "format_html_join",
        "render_to_string",
        "render",
        "mark_safe",
        "SafeString",
        "escapejs",
        "json_script",
        "urlencode",
        "quote",
        "quote_plus",
        "iri_to_uri",
        "reverse",
        "static",
        "avoid_wrapping",
        "html_safe",
        "as_widget",
        "as_p",
        "as_ul",
        "as_table",
        "as_div",
        "label_tag",
        "get_absolute_url",
        "url",
        "flatatt",
        "linebreaks",
        "urlize",
        "date_format",
        "number_format",
        "intcomma",
        "naturaltime",
        "naturalday",
        "build_absolute_uri",
        "get_full_path",  # percent-encoded by Django: no quote or bracket survives
        "get_full_path_info",
        "non_field_errors",  # a form's ErrorList, rendered escaped
        "get_host",  # validated against ALLOWED_HOSTS and a host pattern ([a-z0-9.-], a port)
        "get_port",
        "get_query_string",  # the admin ChangeList's: "?" + urlencode(...)
        "clean",
    }
)
# Django's enumeration types: a member's label is text written in code.
_CHOICES_BASES = ("TextChoices", "IntegerChoices", "Choices")
# A syndication Feed's methods whose text the feed writer escapes as XML text.
_FEED_TITLES = frozenset({"title", "item_title", "subtitle"})
# Attributes whose values cannot hold markup: numbers, and slugs (letters, digits, - and _).
_PLAIN_ATTRS = frozenset(
    {"pk", "id", "count", "level", "depth", "position", "order", "priority", "slug"}
    # a bound form field's identifiers, made from the form's prefix and field names in code
    | {"auto_id", "html_name", "id_for_label"}
)
# ModelAdmin options that list field names (and callables): configuration written in code,
# read through the change list (`for name in cl.list_display`).
_ADMIN_OPTIONS = frozenset({"list_display", "list_display_links"})
# Endings of names that hold numbers (`linenum`, `row_count`, `page_number`).
_NUMBER_SUFFIXES = ("num", "count", "index", "idx", "number", "_total", "_size", "_length")
# Words in a function's name that say it returns HTML it built (and escaped) itself, or cleans.
_HTML_MAKERS = ("render", "html", "markup", "flatatt", "bleach", "sanitize", "markdown", "linkify")


def _replaces_lt(call: cst.Call) -> bool:
    if len(call.args) < 2:
        return False
    old, new = (literal_string(a.value) for a in call.args[:2])
    return old == "<" and new in ("&lt;", "&#60;", "&#x3c;")


def _html_formatter(value: cst.BaseExpression, analysis: BuiltText) -> bool:
    """`HtmlFormatter(...)`, or a local name only ever bound to one."""
    if isinstance(value, cst.Name) and value.value not in analysis.local.opaque:
        bound = analysis.local.values.get(value.value, ())
        return bool(bound) and all(not isinstance(v, cst.Name) and _html_formatter(v, analysis) for v in bound)
    return isinstance(value, cst.Call) and (dotted(value.func) or [""])[-1] == "HtmlFormatter"


def _plain_json(value: cst.BaseExpression, analysis: BuiltText, depth: int = 0) -> bool:
    """A dict or list of safe values, written here, held in a local or returned by a function
    (not one named for HTML: its result may be a tuple of other things, zds-site's
    `content, metadata, messages = _render_markdown_once(...)`)."""
    if depth > 4:
        return False
    if isinstance(value, cst.Name):
        bound = None if value.value in analysis.local.opaque else analysis.local.values.get(value.value)
        return bool(bound) and all(_plain_json(v, analysis, depth + 1) for v in bound or ())
    if isinstance(value, (cst.Dict, cst.List, cst.Tuple)):
        return analysis.safe(value)
    if isinstance(value, cst.Attribute):
        return analysis.safe(value)  # a property the index knows returns literals (a chart's `self.columns`)
    if isinstance(value, cst.Call):
        name = (dotted(value.func) or [""])[-1].lower()
        return not any(word in name for word in _HTML_MAKERS) and analysis.safe(value)
    return False


class HtmlPolicy(Policy):
    def __init__(self, validated_usernames: bool = False):
        # Django's own User: UnicodeUsernameValidator allows letters, digits and @.+-_ only
        self.validated_usernames = validated_usernames

    def safe_call(self, name: str, call: cst.Call, analysis: BuiltText) -> bool:
        lowered = name.lower()
        if name in _ESCAPING or any(word in lowered for word in _HTML_MAKERS):
            return True
        if name in _ENCODINGS:
            return True  # base64, hex: letters, digits and `+/=-_`, no character HTML gives meaning to
        if name.startswith("get_") and name.endswith("_display"):
            return True  # a choice's label, or a display the model formats
        if name == "replace" and _replaces_lt(call):
            return True  # `text.replace("<", "&lt;")`: no tag can open in the text any more
        if name == "strftime" and call.args and analysis.safe(call.args[0].value):
            return True  # a date in a format written in code: digits, names of months and days
        if dotted(call.func) in (["defaultfilters", "date"], ["defaultfilters", "time"]) and not any(
            analysis.reads_data(a.value) for a in call.args[1:]
        ):
            return True  # Django's `date` filter in a format from code or the caller: a date, as `date_format()`
        if name == "isoformat" and all(analysis.safe(a.value) for a in call.args):
            return True  # `2026-12-07T13:54:31+00:00`: digits and `-:+.T`
        if name == "highlight" and any(_html_formatter(a.value, analysis) for a in call.args):
            return True  # pygments' HtmlFormatter escapes the code it colours
        if name == "get_style_defs" and isinstance(call.func, cst.Attribute):
            return _html_formatter(call.func.value, analysis)  # the formatter's own CSS
        if dotted(call.func) == ["json", "dumps"] and call.args and _plain_json(call.args[0].value, analysis):
            return True  # JSON of code-made values (settings, flags): no `</script>` a user wrote
        if dotted(call.func) in (["yaml", "dump"], ["yaml", "safe_dump"]):
            return True  # a YAML document: text for a configuration file, not HTML
        if dotted(call.func) == ["re", "sub"] and len(call.args) >= 3:
            # `re.sub(r"(\w+):", r"<b>\1</b>:", escaped)`: literal markup around escaped text
            pattern, replacement, text = (a.value for a in call.args[:3])
            return all(isinstance(v, cst.SimpleString) for v in (pattern, replacement)) and analysis.safe(text)
        # A call handed an escaped value is HTML-aware code: `prefix(event, escape(subject))`.
        return any(
            isinstance(a.value, cst.Call) and (dotted(a.value.func) or [""])[-1] in ("escape", "conditional_escape")
            for a in call.args
        )

    def safe_attribute(self, parts: list[str]) -> bool:
        if len(parts) == 2 and parts[0] == "settings" and parts[1].isupper():
            return True  # `settings.STATIC_URL`: the deployment's, set by whoever runs the site
        if parts[-1] == "__name__" and "__class__" in parts:
            return True  # `item.__class__.__name__`: a class name written in code
        if "_meta" in parts[:-1]:
            return True  # the model's declaration (verbose_name, app_label): written by its developer
        if parts[-1] in _ADMIN_OPTIONS:
            return True  # a ModelAdmin's option: field names and callables, written in code
        if parts[-1] in ("help_text", "verbose_name", "verbose_name_plural"):
            return True  # a field's text written by its developer (Django's forms print help_text as is)
        if parts[-1] == "username" and self.validated_usernames:
            return True  # `obj.created_by.username`: no character HTML gives meaning to
        return parts[-1] in _PLAIN_ATTRS or parts[-1] == "url" or self.safe_name(parts[-1])

    def safe_name(self, name: str) -> bool:
        """`line_html`: HTML by its name; `linenum`, `row_count`: a number by its name."""
        lowered = name.lower()
        return "html" in lowered or lowered.rstrip("0123456789").endswith(_NUMBER_SUFFIXES)


_ENCODINGS = frozenset(
    {"b64encode", "urlsafe_b64encode", "b32encode", "b16encode", "hexdigest", "hexlify", "b2a_hex", "b2a_base64"}
)
_CALLEES = ("mark_safe", "SafeString", "format_html")
_SENDS_MAIL = re.compile(r"\b(send_mail|send_mass_mail|mail_admins|mail_managers|EmailMessage)\(")


def _statements(node: cst.CSTNode):
    """The nodes of a function body, nested functions and classes left out."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if not isinstance(current, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            stack.extend(children(current))


# Calls whose result is escaped (or a literal's translation): text made of one is never reported
_ESCAPED = frozenset({"format_html", "format_html_join", "escape", "conditional_escape", "render_to_string"})


def _candidate(node: ast.AST) -> bool:
    """A stdlib `mark_safe(x)`/`SafeString(x)`/`format_html(x, ...)` whose `x` may be built text."""
    if not isinstance(node, ast.Call) or not node.args or isinstance(node.args[0], ast.Starred):
        return False
    func = node.func
    callee = called_name(func)
    if callee not in _CALLEES:
        return False
    text = node.args[0]
    if isinstance(text, ast.Constant):
        return False
    if isinstance(text, ast.Call):
        inner = text.func
        return called_name(inner) not in _ESCAPED
    return True


class UnsafeHtml(FunctionStack, Rule):
    code = "DJR402"
    name = "unsafe-html"
    fixable = True
    triggers = ("mark_safe", "SafeString", "format_html")
    policy = HtmlPolicy()

    def wants(self, text, facts, index, prefilter) -> bool:
        """Only a call whose text is not a literal (nor escaped by a call) can be reported."""
        if not super().wants(text, facts, index, prefilter):
            return False
        tree = stdlib_tree(prefilter)
        return tree is None or any(_candidate(node) for node in all_nodes(tree))

    def visit_Module(self, node: cst.Module) -> None:
        self._reset(node)
        self.policy = HtmlPolicy(validated_usernames=self.ctx.index.auth_user_model == "auth.User")

    def known_safe(self):
        return self._returns_safe_text

    def _returns_safe_text(self, node: cst.CSTNode) -> bool:
        """Does the project index know this call or attribute to return escaped or code-made
        text, or a number (index/returns.py)? A function by its reference (`helper()`,
        `utils.helper()`), a method or property of another object by its name, when every
        project member of that name agrees (`file.canonical_url`, `rendition.img_tag()`)."""
        if isinstance(node, cst.Call):
            func = node.func
            if (
                isinstance(func, cst.Attribute)
                and func.attr.value in ("get", "pop")
                and dotted(func.value) == ["self", "attrs"]
                and self._in_widget()
            ):
                return True  # a widget's own attrs: given where the form declares it (hyperkitty's button text)
        if isinstance(node, cst.Subscript):
            # `final_attrs["id"]` in a widget: the bound field's auto_id, made from the form's
            # prefix and the field's name in code (the `value` item is the user's)
            key = node.slice[0].slice if len(node.slice) == 1 else None
            return isinstance(key, cst.Index) and literal_string(key.value) == "id" and self._in_widget()
        if (
            isinstance(node, cst.Attribute)
            and node.attr.value == "errors"
            and not self.ctx.index.models_with_field("errors")
        ):
            return True  # a form's ErrorDict: its str() renders the list through Django's escaping templates
        if isinstance(node, cst.Attribute) and node.attr.value == "label" and self._choices_member(node.value):
            return True  # `Status(order.status).label`: a choice's label, written in code
        if dotted(node) == ["self", "media"] and self._in_forms_class():
            return True  # a widget's or form's Media: <script>/<link> tags of paths its class declares
        if (
            isinstance(node, cst.Attribute)
            and node.attr.value == "name"
            and isinstance(node.value, cst.Attribute)
            and self.ctx.index.file_field(node.value.attr.value)
        ):
            return True  # a stored file's name: the storage's get_valid_name() keeps only [-\w.] (and /)
        if isinstance(node, cst.Attribute) and self.ctx.index.file_field(node.attr.value):
            return True  # a FieldFile as text is its name (courtlistener's `{obj.disclosure.filepath}`)
        return indexed_return_kind(self.ctx, node) is not None

    def visit_Call(self, node: cst.Call) -> None:
        callee = (dotted(node.func) or [""])[-1]
        if callee not in _CALLEES or not node.args:
            return
        first = node.args[0]
        if first.keyword is not None or first.star:
            return
        function = self.function()
        if function is not None and any(
            p.name.value == "autoescape" for p in [*function.params.params, *function.params.kwonly_params]
        ):
            return  # a filter that escapes when the template autoescapes: its choice, by design
        if callee == "mark_safe" and function is not None and self._plain_text_mail(function):
            return  # the marked text only reaches a plain-text e-mail: no HTML to inject into
        if callee == "mark_safe" and function is not None and self._feed_title(function):
            return  # a feed's title is written as XML text, escaped by the feed writer
        frame = self.ctx.flow.enclosing_class()
        analysis = self.analysis(frame.attrs if frame else None, frame.node.name.value if frame else None)
        analysis.site = node
        parts = analysis.text(first.value)
        if parts is None or not parts.built or not parts.unsafe:
            return
        if callee != "format_html":
            # Marking safe is fine when the function is handed escaped text: only values it
            # reads from objects are its own doing (a built format string never is fine).
            parts.unsafe = [p for p in parts.unsafe if analysis.reads_data(p)]
            if not parts.unsafe:
                return
        module = self.ctx.module
        names = ", ".join(dict.fromkeys(shown(module.code_for_node(p)) for p in parts.unsafe))
        if callee == "format_html":
            message = (
                f"format_html()'s format string is built from {names}: the format string is marked safe "
                "unescaped, so HTML in it reaches the page (XSS)."
            )
            hint = 'Keep the format string a literal and pass every value as an argument: `format_html("<b>{}</b>", value)`.'
        else:
            message = (
                f"{callee}() marks HTML built from {names} as safe without escaping it: HTML or script in "
                "the value reaches the page (XSS)."
            )
            hint = 'Build it with `format_html("<b>{}</b>", value)`, which escapes each value.'
        self.report(node, message, self._fix(node, callee, first.value, module, len(node.args)), hint=hint)

    def _plain_text_mail(self, function: cst.FunctionDef) -> bool:
        """A function that sends a plain-text e-mail (`send_mail(message=body)`, no
        `html_message`, no HTML alternative) and returns nothing: django-chroniker marks a
        job's URL safe so that the text template keeps its `&`, then mails the text."""
        code = self.ctx.module.code_for_node(function)
        if not _SENDS_MAIL.search(code) or "html" in code.lower():
            return False
        return not any(isinstance(node, cst.Return) and node.value is not None for node in _statements(function.body))

    def _choices_member(self, node: cst.BaseExpression) -> bool:
        """`Status(value)` or `Status.DONE` of a project `TextChoices`/`IntegerChoices` class."""
        base = node.func if isinstance(node, cst.Call) else node.value if isinstance(node, cst.Attribute) else None
        ref = self.ctx.flow.qualify(base) if isinstance(base, (cst.Name, cst.Attribute)) else None
        if not ref:
            return False
        index = self.ctx.index
        qual = index.resolve(ref) or ref
        bases = index.base_refs(qual) if qual in index.classes else ()
        return any(b.startswith("django.db.models") and b.endswith(_CHOICES_BASES) for b in bases)

    def _feed_title(self, function: cst.FunctionDef) -> bool:
        """`item_title()`/`title()` of a syndication `Feed`: Django's feed writer escapes it as
        XML text (courtlistener marks it safe only to stop Django's default `escape()` from
        escaping twice). Not `item_description()`, which readers render as HTML."""
        return function.name.value in _FEED_TITLES and "django.contrib.syndication.views.Feed" in self._bases()

    def _in_widget(self) -> bool:
        """Is the enclosing class a form widget (a base from `django.forms`, not a form)?"""
        return any(b.startswith("django.forms.") and not b.endswith(("Form", "FormSet")) for b in self._bases())

    def _in_forms_class(self) -> bool:
        """Is the enclosing class a widget, a form or a ModelAdmin (each has a `media`)?"""
        return any(b.startswith(("django.forms.", "django.contrib.admin.")) for b in self._bases())

    def _bases(self) -> list[str]:
        frame = self.ctx.flow.enclosing_class()
        return [] if frame is None else list(self.ctx.index.base_refs(frame.qualname))

    def _fix(self, node: cst.Call, callee: str, text: cst.BaseExpression, module: cst.Module, args: int) -> FixSpec:
        suggestion = FixSpec("build the HTML with format_html(), which escapes each value", "suggestion")
        if not isinstance(text, cst.FormattedString) or "b" in text.prefix.lower():
            return suggestion
        if self.ctx.facts.qualify("format_html") != "django.utils.html.format_html":
            return suggestion  # the edit would need an import
        if callee == "format_html" and args != 1:
            return suggestion
        out: list[str] = []
        values: list[str] = []
        for part in text.parts:
            if isinstance(part, cst.FormattedStringText):
                out.append(part.value)  # {{ and }} stay: format_html reads them the same way
            elif isinstance(part, cst.FormattedStringExpression):
                if part.format_spec is not None or getattr(part, "equal", None) is not None:
                    return suggestion
                code = module.code_for_node(part.expression)
                if part.conversion is not None:
                    code = {"r": "repr", "s": "str", "a": "ascii"}[part.conversion] + f"({code})"
                out.append("{}")
                values.append(code)
            else:
                return suggestion
        prefix = text.prefix.replace("f", "").replace("F", "")
        quote = text.end
        literal = f"{prefix}{quote}{''.join(out)}{quote}"
        return FixSpec(
            "build the HTML with format_html(), which escapes each value",
            "unsafe",
            (NodeEdit(node, f"format_html({literal}, {', '.join(values)})"),),
        )
