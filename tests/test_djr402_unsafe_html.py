"""DJR402 unsafe-html: mark_safe()/SafeString() of text with an unescaped part, and format_html()
whose format string is built."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

HEAD = """
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

BADGE = "<span class='badge'>new</span>"
"""


def html(review, body: str):
    return review({"shop/html.py": HEAD + body}, select=("DJR402",))


def lines(findings) -> list[int]:
    return [line for _, _, line in codes_lines(findings)]


def test_reports_mark_safe_of_an_f_string_and_fixes_it_with_format_html(review):
    body = """
def badge(book):
    return mark_safe(f"<b>{book.title}</b> by {book.author.name}")
"""
    findings = html(review, body)
    assert codes_lines(findings) == [("DJR402", "shop/html.py", 9)]
    assert findings[0].message == (
        "mark_safe() marks HTML built from book.title, book.author.name as safe without escaping it: HTML or "
        "script in the value reaches the page (XSS)."
    )
    assert findings[0].fix.applicability == "unsafe"
    assert fixed(HEAD + body, findings).splitlines()[-1] == (
        '    return format_html("<b>{}</b> by {}", book.title, book.author.name)'
    )


def test_reports_percent_format_plus_and_safestring(review):
    body = """
def cells(book, rows):
    a = mark_safe("<td>%s</td>" % book.title)
    b = SafeString("<td>{}</td>".format(book.note))
    html = "<ul>"
    for row in rows:
        html += "<li>" + row.label + "</li>"
    c = mark_safe(html)
    return a, b, c
"""
    findings = html(review, body)
    assert lines(findings) == [9, 10, 14]
    assert all(f.fix.applicability == "suggestion" for f in findings)


def test_reports_format_html_whose_format_string_is_built(review):
    body = """
def link(url, label):
    return format_html(f"<a href='{url}'>{{}}</a>", label)
"""
    findings = html(review, body)
    assert lines(findings) == [9]
    assert findings[0].message.startswith("format_html()'s format string is built from url")


def test_not_reported_for_literals_and_escaped_values(review):
    body = """
ICON = "<i class='icon'></i>"


def fine(book, items, request):
    a = mark_safe("<br>")
    b = mark_safe(ICON + BADGE)
    c = format_html("<b>{}</b>", book.title)
    d = mark_safe(render_to_string("card.html", {"book": book}))
    e = mark_safe(f"<b>{escape(book.title)}</b>{conditional_escape(book.note)}")
    f = mark_safe("".join(format_html("<li>{}</li>", i) for i in items))
    g = mark_safe("<ul>%s</ul>" % format_html_join("", "<li>{}</li>", ((i,) for i in items)))
    h = mark_safe(f"<span>{book.pk}</span><span>{len(items)}</span>")
    label = escape(request.GET["q"]).upper()
    i = mark_safe(f"<em>{label}</em>")
    j = format_html("<b>" + "{}" + "</b>", book.title)
    return a, b, c, d, e, f, g, h, i, j
"""
    assert html(review, body) == []


def test_not_reported_for_text_built_elsewhere(review):
    body = """
def passed_on(text, widget):
    return mark_safe(text), mark_safe(widget.render()), format_html(text, 1)
"""
    assert html(review, body) == []


def test_not_reported_in_a_filter_that_escapes_when_asked(review):
    body = """
def highlight(value, autoescape=True):
    esc = conditional_escape if autoescape else (lambda x: x)
    return mark_safe(f"<mark>{esc(value)}</mark>")
"""
    assert html(review, body) == []


def test_a_name_the_function_escapes_itself_is_safe(review):
    body = """
def urlize(lead, trail, autoescape_on):
    if autoescape_on:
        lead, trail = escape(lead), escape(trail)
    return mark_safe(f"{lead}<a>x</a>{trail}")
"""
    assert html(review, body) == []


def test_joined_pieces_built_elsewhere_are_not_reported_but_built_ones_are(review):
    # from real code: a diff highlighter joining slices of HTML it was given, and a table
    # column joining f-strings of database values into a format string
    body = """
def highlight(value, regions):
    out = []
    for start, end in regions:
        out.append(value[start:end])
        out.append("<span class='hl'>")
    return mark_safe("".join(out))


def labels(values):
    return format_html("<br>".join([f"<span class='label'>{v}</span>" for v in values]))
"""
    assert lines(html(review, body)) == [17]


def test_numbers_by_conversion_or_name_and_html_by_name_are_not_reported(review):
    body = """
def rows(linenum2, total, line_html, get_manual_url):
    a = mark_safe("<td>%d</td><td>%0.2f</td>" % (total, total))
    b = mark_safe("moved-to-%s" % linenum2)
    c = mark_safe(f"<tr>{line_html}</tr>")
    d = mark_safe("<a href='%sdocs/'>docs</a>" % site_root())
    e = mark_safe(f"<td>{obj_count}</td>")
    f = mark_safe("<code>%s</code>" % {True: "true", False: "false"}[total])
    return a, b, c, d, e, f
"""
    assert html(review, body) == []


def test_html_made_by_functions_that_say_so_is_not_reported(review):
    body = """
def widget(self, obj, file):
    bits = [self.get_browse_markup(), " ", self.render_text(obj), obj.get_status_display()]
    return mark_safe("<div %s>%s</div>" % (flatatt_filter({"a": 1}), "".join(bits)))
"""
    assert html(review, body) == []


def test_text_whose_lt_is_replaced_is_escaped_but_other_replacements_are_not(review):
    # hyperkitty's decorate filter: `content.replace("<", "&lt;")` leaves no tag to open
    body = """
def as_pre(email):
    content = email.content
    content = content.replace("<", "&lt;")
    return mark_safe("<pre>" + content + "</pre>")

def as_pre_unsafe(email):
    content = email.content
    content = content.replace("\\t", "    ")
    return mark_safe("<pre>" + content + "</pre>")
"""
    assert lines(html(review, body)) == [16]


def test_an_item_of_a_local_dict_of_literals_is_safe(review):
    # galaxy-ng's admin: colors[op] of a dict of colour literals is no input; m.name still is
    body = """
def colored(m):
    colors = {"create": "#70bf2b", "delete": "#dd4646"}
    return mark_safe(f'<span style="color: {colors[m.op]}">+</span>')

def colored_named(m):
    colors = {"create": "#70bf2b", "delete": "#dd4646"}
    return mark_safe(f'<span style="color: {colors[m.op]}">{m.name}</span>')
"""
    findings = html(review, body)
    assert lines(findings) == [14]
    assert "m.name" in findings[0].message and "colors" not in findings[0].message


def test_a_yaml_document_cut_into_lines_is_not_html(review):
    # mayan's yaml_dump: mark_safe() keeps a text template (a config file) from escaping YAML
    body = """
import yaml

def yaml_dump(data, indent):
    result = yaml.dump(data=data, width=1000)
    result = result.replace("'''", "'")
    output = []
    for line in result.split("\\n"):
        if line:
            output.append("{}{}".format(" " * indent, line))
    return mark_safe("\\n".join(output))

def listing(data):
    output = []
    for line in data.notes.split("\\n"):
        output.append("<li>{}</li>".format(line))
    return mark_safe("\\n".join(output))
"""
    assert lines(html(review, body)) == [23]


def test_either_of_two_safe_operands_and_an_encoded_path_are_safe(review):
    # tendenci's pybb_link: `hasattr(o, "get_absolute_url") and o.get_absolute_url() or None`;
    # its login link: request.get_full_path() is percent-encoded by Django
    body = """
def link(obj, anchor):
    url = hasattr(obj, "get_absolute_url") and obj.get_absolute_url() or None
    return mark_safe('<a href="{}">{}</a>'.format(url, escape(anchor)))

def login_link(self):
    link = 'click <a href="/login/?next=%s">here</a>' % self.request.get_full_path()
    return mark_safe("Log in first: %s" % link)

def raw_link(obj):
    url = hasattr(obj, "website") and obj.website or None
    return mark_safe('<a href="{}">x</a>'.format(url))
"""
    assert lines(html(review, body)) == [18]


def test_parameters_copied_or_formatted_and_escaped_reads_are_the_callers_doing(review):
    # tendenci's widgets: `attrs = attrs.copy(); id = attrs["id"]`; django-cms's validator:
    # a link of an escaped title, a reversed URL and a parameter
    body = """
def render(name, attrs=None):
    attrs = attrs.copy()
    element_id = attrs["id"]
    return mark_safe('<table id="%(id)s"></table>' % {"id": element_id})

def conflict(page, user_language):
    change_url = reverse("admin:page_change", args=[page.pk])
    change_url += f"?language={user_language}"
    link = f'<a href="{change_url}">{escape(page.title)}</a>'
    return mark_safe("Page %(link)s has the same URL." % {"link": link})

def conflict_unescaped(page, user_language):
    link = f'<a href="/x/">{page.title}</a>'
    return mark_safe("Page %(link)s has the same URL." % {"link": link})
"""
    assert lines(html(review, body)) == [21]


def test_a_models_meta_is_code_and_css_classes_chosen_among_literals_are_safe(review):
    # wagtail's revision warning (capfirst of _meta.verbose_name) and its comparison classes
    body = """
def warning(self, user_avatar):
    data = {"model_name": capfirst(self.model._meta.verbose_name), "user": user_avatar}
    return mark_safe("This %(model_name)s by %(user)s" % data)

def comparisons(self, items):
    out = []
    for item in items:
        classes = ["comparison__child"]
        if item.is_new():
            classes.append("addition")
        classes = " ".join(classes)
        out.append(f'<div class="{classes}">{item.htmlvalue()}</div>')
    return mark_safe("\\n".join(out))

def titled(self, item):
    return mark_safe("This %(name)s" % {"name": capfirst(item.title)})
"""
    assert lines(html(review, body)) == [23]


def test_a_method_of_the_module_that_returns_only_safe_html_is_safe(review):
    # wagtail's picture(): `fallback = rendition.img_tag(attrs)`, where img_tag returns
    # mark_safe(f"<img{flatatt(attrs)}>"); a method returning a raw attribute stays unsafe
    body = """
class Rendition:
    def img_tag(self, attrs):
        return mark_safe(f"<img{flatatt(attrs)}>")

    def caption(self):
        return self.image.title

    def picture(self, attrs):
        fallback = self.img_tag(attrs)
        return mark_safe(f"<picture>{fallback}</picture>")

    def figure(self):
        return mark_safe(f"<figure>{self.caption()}</figure>")
"""
    assert lines(html(review, body)) == [20]


def test_a_file_whose_calls_take_literal_or_escaped_text_is_never_parsed(review, parses):
    body = """
def badge(book):
    name = format_html("<b>{}</b>", book.title)
    return mark_safe("<br>") + format_html("{} {}", name, BADGE) + mark_safe(escape(book.title))
"""
    assert html(review, body) == []
    assert "shop/html.py" not in parses  # ruled out from the stdlib tree


def test_text_held_by_a_name_is_still_reviewed(review, parses):
    body = """
def badge(book):
    text = "<b>" + book.title + "</b>"
    return mark_safe(text)
"""
    assert lines(html(review, body)) == [10]
    assert "shop/html.py" in parses


FILES_MODEL = """
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class File(models.Model):
    name = models.CharField(max_length=100)
    note = models.CharField(max_length=100)

    @property
    def canonical_url(self):
        url = ""
        if self.pk:
            try:
                url = reverse("canonical", kwargs={"file_id": self.pk})
            except Exception:
                pass
        return url

    @property
    def label(self):
        return self.name

    def thumbnail(self, attrs):
        return mark_safe(f"<img{flatatt(attrs)}>")

    def caption(self):
        return self.note

    def line_counts(self):
        if self.pk:
            return len(self.name)
        return 0


def flatatt(attrs):
    return format_html(" {}", attrs)
"""


def test_a_property_or_method_of_another_module_known_to_return_safe_text(review):
    # filer's FileAdmin: `instance.canonical_url`, a property of the model (another module)
    # returning reverse(); wagtail's `rendition.img_tag(attrs)`; a count from len(). Their twins,
    # a property returning a field and a method returning one, stay reported.
    admin = """
from django.utils.safestring import mark_safe


def display_canonical(instance):
    canonical = instance.canonical_url
    return mark_safe(f'<a href="{canonical}">{canonical}</a>')


def picture(rendition, attrs):
    return mark_safe(f"<picture>{rendition.thumbnail(attrs)}</picture>")


def counts(diff):
    return mark_safe("<td>%s</td>" % diff.line_counts())


def label(instance):
    return mark_safe(f"<b>{instance.label}</b>")


def caption(instance):
    return mark_safe(f"<i>{instance.caption()}</i>")
"""
    findings = review({"files/models.py": FILES_MODEL, "files/admin.py": admin}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "files/admin.py", 19), ("DJR402", "files/admin.py", 23)]


def test_a_function_imported_from_another_module_known_to_return_safe_text(review):
    helpers = """
from django.template.loader import render_to_string


def toolbar(obj):
    return render_to_string("toolbar.html", {"obj": obj})


def wrapped(obj):
    return toolbar(obj)


def title(obj):
    return obj.title
"""
    views = """
from django.utils.safestring import mark_safe

from shop import helpers
from shop.helpers import title, wrapped


def page(obj):
    return mark_safe(f"<div>{wrapped(obj.book)}{helpers.toolbar(obj.book)}</div>")


def heading(obj):
    return mark_safe(f"<h1>{title(obj.book)}</h1>")
"""
    findings = review({"shop/__init__.py": "", "shop/helpers.py": helpers, "shop/views.py": views}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "shop/views.py", 13)]


def test_a_self_attribute_set_in_the_module_from_safe_values(review):
    # wagtail's lock: `self.model_name = (Page if page else obj)._meta.verbose_name` in
    # __init__; `self.title` set from a parameter stays unknown (reported)
    body = """
class Lock:
    def __init__(self, obj, title, page=None):
        self.model_name = (page if page else obj)._meta.verbose_name
        self.title = title

    def message(self):
        info = "This %(model_name)s is locked." % {"model_name": self.model_name}
        return mark_safe(info + " " + BADGE)

    def heading(self):
        return mark_safe("<h1>%s</h1>" % self.title)
"""
    assert lines(html(review, body)) == [18]


def test_items_whose_keys_name_numbers(review):
    # ReviewBoard's diff preview: `counts[attr] for attr in ("insert_count", ...)`; a key
    # naming text stays reported
    body = """
def rows(filediff):
    counts = filediff.get_line_counts()
    attrs = [
        'data-%s="%s"' % (attr.replace("_", "-"), counts[attr])
        for attr in ("insert_count", "delete_count", "total_line_count")
    ]
    total = counts["total_line_count"]
    return mark_safe(" ".join(attrs) + "<td>%s</td>" % total)

def names(filediff):
    info = filediff.get_info()
    return mark_safe("<td>%s</td>" % info["filename"])
"""
    assert lines(html(review, body)) == [19]


def test_numbers_known_from_model_fields_and_queryset_annotations(review):
    # pretix's membership label: `({obj.usages} / {obj.membership_type.max_usages})`, a
    # Coalesce(Subquery(... Count ...)) annotation and a PositiveIntegerField; a CharField and
    # a text annotation stay reported
    models = """
from django.db import models
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


class MembershipQuerySet(models.QuerySet):
    def with_usages(self):
        sq = Usage.objects.filter(membership=OuterRef("pk"))
        return self.annotate(
            usages=Coalesce(Subquery(sq.values("membership").annotate(c=Count("*")).values("c")), Value(0)),
            type_label=F("membership_type__name"),
        )


class MembershipType(models.Model):
    max_usages = models.PositiveIntegerField(null=True)
    name = models.CharField(max_length=100)


class Membership(models.Model):
    membership_type = models.ForeignKey(MembershipType, on_delete=models.CASCADE, related_name="memberships")
    objects = MembershipQuerySet.as_manager()


class Usage(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="uses")
"""
    forms = """
from django.utils.safestring import mark_safe


def label(obj):
    usages = f"({obj.usages} / {obj.membership_type.max_usages})"
    return mark_safe(f"<strong>x</strong> {usages}")


def named(obj):
    return mark_safe(f"<b>{obj.membership_type.name}</b> {obj.type_label}")
"""
    findings = review({"club/models.py": models, "club/forms.py": forms}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "club/forms.py", 11)]
    assert "obj.membership_type.name, obj.type_label" in findings[0].message


def test_names_from_a_model_admins_list_display_are_code(review):
    # Django's items_for_result: CSS classes from `cl.list_display` names; a row's value read
    # from the result stays reported
    body = """
def _coerce_field_name(field_name, field_index):
    if callable(field_name):
        return field_name.__name__
    return field_name

def items_for_result(cl, result):
    for field_index, field_name in enumerate(cl.list_display):
        row_classes = ["field-%s" % _coerce_field_name(field_name, field_index)]
        row_class = mark_safe(' class="%s"' % " ".join(row_classes))
        yield row_class

def values_for_result(cl, result):
    for field_name in cl.list_display:
        yield mark_safe("<td>%s</td>" % getattr(result, field_name).title)
"""
    assert lines(html(review, body)) == [21]


def test_a_widgets_own_attrs_are_the_form_definitions(review):
    # hyperkitty's TextInputWithButton: `self.attrs.pop("button_text", "")`, set where the form
    # declares the widget; the same read in a class that is no widget stays reported
    body = """
from django import forms


class TextInputWithButton(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        button_text = self.attrs.pop("button_text", "")
        return mark_safe('<button type="submit">%s</button>' % button_text)


class Panel:
    def render(self):
        title = self.attrs.get("title", "")
        return mark_safe("<h2>%s</h2>" % title)
"""
    assert lines(html(review, body)) == [20]


def test_only_the_assignment_that_reaches_the_call_counts(review):
    # debug-toolbar: `source = f"...{name}"`, later `source = highlight(source, ...)`, then
    # `mark_safe(source)`: the f-string no longer reaches the call
    body = """
def escaped(request):
    name = request.GET.get("name", "")
    text = f"<b>{name}</b>"
    text = escape(text)
    return mark_safe(text)


def coloured(request, lexer):
    text = f"missing: {request.GET['name']}"
    text = lexer.colourise(text)
    return mark_safe(text)


def stripped(request):
    text = f"<b>{request.GET['name']}</b>"
    text = text.strip()
    return mark_safe(text)


def maybe_escaped(request, flag):
    text = f"<b>{request.GET['name']}</b>"
    if flag:
        text = escape(text)
    return mark_safe(text)


def in_a_loop(request, rows):
    text = escape(request.GET["name"])
    for row in rows:
        mark_safe(text)
        text = f"<b>{row.title}</b>"
"""
    # kept: a str method passes the f-string through; a branch may skip the escape(); the
    # loop's next round sees the f-string
    assert lines(html(review, body)) == [24, 31, 37]


def test_numbers_from_arithmetic_and_a_numeric_getattr_default(review):
    # mptt: `8 + indent * level`, `indent = getattr(model_admin, "indent", INDENT)`
    body = """
INDENT = 10


def padding(model_admin, node):
    indent = getattr(model_admin, "indent", INDENT)
    level = node.tree_level
    return mark_safe(' style="padding-left:{}px"'.format(8 + indent * level))


def scaled(node):
    return mark_safe(f'<td width="{node.width - 2}">{node.title * 2}</td>')
"""
    # node.width - 2 is a number; node.title * 2 may be text repeated
    findings = html(review, body)
    assert lines(findings) == [18]
    assert "built from node.title * 2 as safe" in findings[0].message


def test_pygments_html_the_admin_query_string_and_a_dict_of_row_ids(review):
    # unfold: pygments' HtmlFormatter escapes; jazzmin: ChangeList.get_query_string() is
    # urlencoded; feincms: a dict comprehension of `.id` values
    body = """
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import JsonLexer


def pretty(data):
    return mark_safe(f"<div>{highlight(data.text, JsonLexer(), HtmlFormatter(style='x'))}</div>")


def page_link(change_list, number):
    html = '<a href="{}">{}</a>'.format(change_list.get_query_string({"p": number}), number)
    return mark_safe(html)


def translation_links(page):
    ids = {p.language: p.id for p in page.translations.all()}
    titles = {p.language: p.title for p in page.translations.all()}
    links = ['<a href="{}/">{}</a>'.format(ids[key], key.upper()) for key in ("en", "de")]
    links += ["<b>{}</b>".format(titles[key]) for key in ("en", "de")]
    return mark_safe(" | ".join(links))


def coloured_otherwise(data):
    return mark_safe(f"<div>{highlight(data.text, JsonLexer())}</div>")
"""
    findings = html(review, body)
    assert lines(findings) == [27, 31]
    assert "built from titles[key]" in findings[0].message


def test_an_inner_function_returning_pygments_html_and_a_dict_rebuilt_from_a_list(review):
    # unfold: `format_response()` defined inside the function, a formatter held in a local;
    # feincms: `translations` is a list, extended, then rebuilt as a dict of row ids
    body = """
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import JsonLexer


def pretty(data):
    def coloured(text, theme):
        formatter = HtmlFormatter(style=theme)
        return highlight(text, JsonLexer(), formatter)

    def plain(text):
        return text.upper()

    safe_part = mark_safe(f"<div>{coloured(data.text, 'x')}</div>")
    return safe_part, mark_safe(f"<div>{plain(data.text)}</div>")


def links(page, languages):
    translations = [page]
    translations.extend(page.translations.all())
    translations = {p.language: p.id for p in translations}
    found = []
    for key in languages:
        if key in translations:
            found.append('<a href="{}/">{}</a>'.format(translations[key], key.upper()))
    return mark_safe(" | ".join(found))


def appended_then_replaced(page, user):
    text = f"<b>{user.name}</b>"
    parts = [text]
    text = "fine"
    return mark_safe(" ".join(parts) + text)
"""
    findings = html(review, body)
    assert lines(findings) == [22, 40]
    assert "built from plain(data.text)" in findings[0].message
    assert "user.name" in findings[1].message


def test_a_module_function_returning_a_date_or_the_argument_it_was_given(review):
    # feincms: `format_date(d, if_none="")` returns `if_none` or `d.strftime(fmt)`
    body = """
def format_date(d, if_none=""):
    if d is None:
        return if_none
    fmt = "%d.%m" if d.year == 2024 else "%d.%m.%Y"
    return d.strftime(fmt)


def published(obj):
    return mark_safe("{} &ndash; {}".format(format_date(obj.start), format_date(obj.end, "&infin;")))


def named(obj):
    return mark_safe("{} &ndash; {}".format(format_date(obj.start), format_date(obj.end, obj.label)))
"""
    findings = html(review, body)
    assert lines(findings) == [20]
    assert "built from format_date(obj.end, obj.label)" in findings[0].message


def test_base64_and_hex_encodings_hold_no_html(review):
    # django-paypal: an encrypted button's blob, base64; a digest in hex
    body = """
import base64
import hashlib


def signed_field(form):
    blob = base64.b64encode(repr(form.initial).encode()).decode()
    digest = hashlib.sha256(form.secret.encode()).hexdigest()
    return mark_safe(f'<input type="hidden" name="blob" value="{blob}"><i>{digest}</i>')


def twin(form):
    return mark_safe(f'<input type="hidden" name="blob" value="{repr(form.initial)}">')
"""
    assert lines(html(review, body)) == [19]


def test_a_bound_field_s_identifiers_come_from_code(review):
    # pretix, unfold: `<label for="{field.auto_id}">` is the form's prefix and field name
    body = """
def label(field):
    return mark_safe(f'<label for="{field.auto_id}" data-name="{field.html_name}">{field.label}</label>')
"""
    findings = html(review, body)
    assert lines(findings) == [9]
    assert "built from field.label as safe" in findings[0].message


def test_a_field_s_help_text_is_the_developer_s(review):
    # set D: `mark_safe(f"{field.help_text} ...")` in a widget; Django prints help_text as is
    body = """
def help_html(field, extra):
    return mark_safe(f'<p class="help">{field.help_text}</p><p>{field.initial}</p>')


class PasswordForm:
    def __init__(self, fields):
        self.password_help_text = get_setting("module", "users", "password_text")
        if not self.password_help_text:
            self.password_help_text = fields["password"].help_text

    def error(self):
        return mark_safe(f"<p>{self.password_help_text}</p>")
"""
    # the twin: a getter of stored settings, called with literals, returns what an admin typed
    findings = html(review, body)
    assert lines(findings) == [9, 19]
    assert "built from field.initial as safe" in findings[0].message


def test_a_value_under_a_numeric_format_spec_is_a_number(review):
    # set C and E: `f"{amount:.2f}"`, `f"{count:,}"` raise on text, so the value is a number
    body = """
def total(invoice):
    return mark_safe(f"<b>{invoice.amount:.2f}</b> ({invoice.count:,} items, {invoice.note:>10})")


def price(item):
    return mark_safe("<b>{:.2f}</b> {}".format(item.price, item.name))
"""
    findings = html(review, body)
    assert lines(findings) == [9, 13]
    assert "built from item.name as safe" in findings[1].message
    assert "built from invoice.note as safe" in findings[0].message


def test_literal_markup_substituted_into_escaped_text(review):
    # set F: `re.sub(r"(\w+):", r"<b>\1</b>:", html.escape(notes))`
    body = """
import html
import re


def pretty(notes):
    escaped = html.escape(notes.text)
    highlighted = re.sub(r"(\\w+):", r"<b>\\1</b>:", escaped)
    raw = re.sub(r"(\\w+):", r"<b>\\1</b>:", notes.text)
    return mark_safe(f"<pre>{highlighted}</pre>"), mark_safe(f"<pre>{raw}</pre>")
"""
    findings = html(review, body)
    assert lines(findings) == [16]
    assert "built from raw as safe" in findings[0].message


NUMERIC_MODELS = """
from django.db import models
from django.utils.safestring import mark_safe


class Product(models.Model):
    stock = models.PositiveIntegerField(default=0)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    notes = models.TextField()

    def stock_badge(self):
        return mark_safe('<span class="stock">{}</span>'.format(self.stock))

    def notes_badge(self):
        return mark_safe('<span class="notes">{}</span>'.format(self.notes))


def price_cell(item):
    return mark_safe(f"<td>{item.price}</td>")


def notes_cell(item):
    return mark_safe(f"<td>{item.notes}</td>")
"""


def test_a_numeric_model_field_formatted_into_html_is_digits(review):
    """`self.stock` of a model whose `stock` is an integer field, and `item.price` when every
    project field named `price` is a number: no markup can come from them. Text fields still
    count, the class attribute being the field's declaration, not its value."""
    findings = review({"shop/models.py": NUMERIC_MODELS}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "shop/models.py", 15), ("DJR402", "shop/models.py", 23)]


def test_self_attributes_assigned_from_each_other_end(review, capsys):
    """`self.a = self.b + ...` and `self.b = self.a + ...` in a model's methods: judging
    `self.a` follows `self.b` back to `self.a` once, then stops (it used to recurse until
    Python gave up and the file was skipped)."""
    code = """
from django.db import models
from django.utils.safestring import mark_safe


class Member(models.Model):
    first = models.CharField(max_length=20)
    last = models.CharField(max_length=20)

    def sync(self):
        self.first = self.last + "-"
        self.last = self.first + "+"

    def badge(self):
        return mark_safe(f"<b>{self.first}</b>")
"""
    findings = review({"shop/models.py": code}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "shop/models.py", 15)]
    assert "nested too deeply" not in capsys.readouterr().err


def test_a_text_field_is_the_row_s_value_whatever_the_methods_assign(review):
    """`self.status = "active"` in the model's own methods does not make the field code's:
    forms and the admin write it too."""
    code = """
from django.db import models
from django.utils.safestring import mark_safe


class Membership(models.Model):
    status = models.CharField(max_length=20)

    def activate(self):
        self.status = "active"

    def badge(self):
        return mark_safe(f"<b>{self.status.capitalize()}</b>")
"""
    findings = review({"shop/models.py": code}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "shop/models.py", 13)]


def test_a_setting_is_the_deployment_s_text(review):
    """`settings.STATIC_URL` is set by whoever runs the site: code-made, as a module constant
    is. A setting's lower-case attribute path (`settings.user.name`: a local named settings)
    is not."""
    body = """
from django.conf import settings


def placeholder():
    return mark_safe(f'<img src="{settings.STATIC_URL}images/none.png">')


def profile(settings):
    return mark_safe(f"<b>{settings.owner}</b>")
"""
    assert lines(html(review, body)) == [16]


def test_a_method_returning_marked_html_is_judged_where_it_marks_it(review):
    # easy-thumbnails: `thumb.tag()` returns `mark_safe("<img %s />" % attrs)` built from escaped
    # attributes; the widget puts it in its own `mark_safe()`. The twin: `tag()` returns the
    # text unmarked, so the widget marks an unescaped value
    files = """
from django.utils.safestring import mark_safe


class Thumb:
    def __init__(self, url):
        self.url = url

    def tag(self, **attrs):
        parts = " ".join(f"{k}={v}" for k, v in attrs.items())
        return mark_safe(f"<img {parts} />")
"""
    widget = """
from django.utils.safestring import mark_safe

from shop.files import Thumb


def render(value):
    thumb = Thumb(value.url)
    return mark_safe("<p>%s</p>" % thumb.tag(id=value.name))
"""
    found = review({"shop/files.py": files, "shop/widgets.py": widget}, select=("DJR402",))
    assert [(f.path, f.line) for f in found] == []
    unmarked = files.replace('return mark_safe(f"<img {parts} />")', 'return f"<img {parts} />"')
    found = review({"shop/files.py": unmarked, "shop/widgets.py": widget}, select=("DJR402",))
    assert [(f.path, f.line) for f in found] == [("shop/widgets.py", 9)]


def test_a_value_marked_safe_for_a_plain_text_mail(review):
    # django-chroniker renders a job's error e-mail from a text template and marks the job's
    # URL safe so that `&` stays `&`; the body goes to send_mail(message=...). The twin sends
    # it as the HTML part too
    body = """
from django.core.mail import send_mail
from django.template import Context, Template


def notify(job, recipients):
    ctx = Context({"url": mark_safe("https://%s%s" % (job.domain, job.monitor_url))})
    text = Template(job.error_template).render(ctx)
    send_mail(subject="Job failed", message=text, from_email=None, recipient_list=recipients)
"""
    assert html(review, body) == []
    as_html = body.replace("recipient_list=recipients)", "recipient_list=recipients, html_message=text)")
    assert lines(html(review, as_html)) == [13]


def test_a_username_of_django_s_user_model_holds_no_markup(review):
    # nsupdate's admin links `obj.created_by.username`: Django's UnicodeUsernameValidator
    # allows letters, digits and @.+-_ only. The twin's project swaps in its own user model
    body = """
def creator(obj):
    return mark_safe("<a href='/u/'>{}</a>".format(obj.created_by.username))
"""
    assert html(review, body) == []
    files = {
        "shop/html.py": HEAD + body,
        "proj/settings.py": 'AUTH_USER_MODEL = "accounts.User"\nINSTALLED_APPS = []\n',
    }
    assert [f.line for f in review(files, select=("DJR402",))] == [9]


def test_a_class_name_is_written_in_code(review):
    # fluent-contents renders `itemtype=item.__class__.__name__`. The twin reads the item's title
    body = """
def item_html(item):
    return mark_safe("<div data-type='%s'>x</div>" % item.__class__.__name__)
"""
    assert html(review, body) == []
    assert lines(html(review, body.replace("item.__class__.__name__", "item.title"))) == [9]


def test_a_slug_or_uuid_field_read_through_an_untyped_parameter(review):
    # django-fluent-contents: `data-slot="{slot}"` from `placeholder.slot`, a SlugField wherever
    # a model declares `slot`; `token` is a UUIDField. The twin: another model's `slot` is a CharField
    models = """
from django.db import models


class Placeholder(models.Model):
    slot = models.SlugField(max_length=50)
    token = models.UUIDField()
"""
    body = """
from django.utils.safestring import mark_safe


def wrap(placeholder):
    return mark_safe('<div data-slot="{}" id="{}"></div>'.format(placeholder.slot, placeholder.token))
"""
    assert review({"slots/models.py": models, "slots/html.py": body}, select=("DJR402",)) == []
    other = models + "\n\nclass Region(models.Model):\n    slot = models.CharField(max_length=50)\n"
    findings = review({"slots/models.py": other, "slots/html.py": body}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "slots/html.py", 6)]
    assert "built from placeholder.slot as safe" in findings[0].message


def test_a_date_in_iso_format_holds_no_markup(review):
    # tabbycat's `data-iso="{time.astimezone(timezone.utc).isoformat()}"`. The twin prints the label
    body = """
def relative_time(time, label):
    return mark_safe(f'<span data-iso="{time.isoformat()}">{escape(label)}</span>')
"""
    assert html(review, body) == []
    assert lines(html(review, body.replace("{escape(label)}", "{label.title}"))) == [9]


def test_a_class_attribute_read_through_the_class_name(review):
    # tabbycat: `CreateDrawView.instructions % {"url": reverse(...)}` where the class body says
    # `instructions = _('<a href="%(url)s">here</a>')`. The twin reads another class's attribute
    body = """
from django.urls import reverse
from django.utils.translation import gettext as _


class DrawView:
    instructions = _('<p>Fix the options <a href="%(url)s">here</a>.</p>')

    def post(self, request):
        instructions = DrawView.instructions % {"url": reverse("options")}
        return mark_safe("<p>Draw failed.</p>" + instructions)
"""
    assert html(review, body) == []
    twin = body.replace("instructions = DrawView.instructions", "instructions = Page.instructions")
    assert lines(html(review, twin)) == [17]


def test_a_field_whose_validator_admits_no_markup(review):
    # django-forms-builder's frame width: `validators=[validate_html_size]`, which raises unless
    # `re.match(r"^\d+%?$", value)`; a RegexValidator of a slug pattern does the same. The twin's
    # validator admits any character
    validators = r"""
import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

CODE = RegexValidator(r"^[A-Z0-9_-]+$")


def validate_html_size(value):
    if not re.match(r"^\d+%?$", value):
        raise ValidationError("A number or a percentage.")
"""
    models = """
from django.db import models

from frame.validators import CODE, validate_html_size


class Frame(models.Model):
    width = models.CharField(max_length=10, validators=[validate_html_size])
    code = models.CharField(max_length=10, validators=[CODE])
"""
    body = """
from django.utils.safestring import mark_safe


def render_frame(frame):
    return mark_safe('<iframe width="{}" class="{}"></iframe>'.format(frame.width, frame.code))
"""
    files = {"frame/validators.py": validators, "frame/models.py": models, "frame/html.py": body}
    assert review(files, select=("DJR402",)) == []
    loose = validators.replace(r'r"^\d+%?$"', r'r"^.+$"')
    findings = review({**files, "frame/validators.py": loose}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "frame/html.py", 6)]
    assert "built from frame.width as safe" in findings[0].message


def test_which_patterns_admit_no_markup():
    from djreview.index.plain_values import plain_pattern

    assert plain_pattern(r"^\d+%?$") and plain_pattern(r"^[a-z0-9_-]+$") and plain_pattern(r"\A[A-Z']+\Z")
    # unanchored, any character, a negated class, a range over every printable character,
    # `"`, both `'` and `=`, \S
    for loose in (r"\d+", r"^.+$", r"^[^<]+$", r"^[ -~]+$", r'^[a-z"]+$', r"^[a-z'=]+$", r"^\S+$"):
        assert not plain_pattern(loose), loose


def test_an_item_of_a_constant_mapping_is_code_made_whatever_its_key(review):
    # peering-manager: `status = TASK_STATUSES.get(value)`, then `status.colour` and
    # `status.label` of `Status("Queued", "info")`. The twin's mapping holds a row's value
    body = """
from collections import namedtuple

Status = namedtuple("Status", ["label", "colour"])
TASK_STATUSES = {"queued": Status("Queued", "info"), "failed": Status("Failed", "danger")}


def render_status(value):
    status = TASK_STATUSES.get(value)
    return mark_safe(f'<span class="badge-{status.colour}">{status.label}</span>')
"""
    assert html(review, body) == []
    twin = body.replace('Status("Failed", "danger")', 'Status(Page.objects.first().title, "danger")')
    assert lines(html(review, twin)) == [16]


def test_an_imported_constant_mapping_of_literals_is_code_made(review):
    # peering-manager imports `TASK_STATUSES` from its constants module. The twin's constants
    # module computes the mapping from the database
    constants = """
from collections import namedtuple

Status = namedtuple("Status", ["label", "colour"])
TASK_STATUSES = {"queued": Status("Queued", "info"), "failed": Status("Failed", "danger")}
"""
    body = """
from django.utils.safestring import mark_safe

from shop.constants import TASK_STATUSES


def render_status(value):
    status = TASK_STATUSES.get(value)
    return mark_safe(f'<span class="badge-{status.colour}">{status.label}</span>')
"""
    files = {"shop/constants.py": constants, "shop/badges.py": body}
    assert review(files, select=("DJR402",)) == []
    computed = constants.replace('Status("Failed", "danger")', "Status(load_label(), 'danger')")
    findings = review({**files, "shop/constants.py": computed}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "shop/badges.py", 9)]


def test_class_constants_of_literals_and_tallies_are_code_made(review):
    # patchwork's check badges: `dict(Check.STATE_CHOICES).get(state)`, `str(counts.get(state, 0))`
    # and `SubmitterFilter.param = "submitter"`. The twins: a class attribute computed, a tally
    # whose default is text
    models = """
from django.db import models


class Check(models.Model):
    STATE_OK = 0
    STATE_FAIL = 1
    STATE_CHOICES = ((STATE_OK, "success"), (STATE_FAIL, "fail"))
    state = models.SmallIntegerField(choices=STATE_CHOICES, default=STATE_OK)


class OwnerFilter:
    param = "submitter"
"""
    body = """
from django.utils.html import escape
from django.utils.safestring import mark_safe

from shop.models import Check, OwnerFilter


def check_badges(counts):
    elements = []
    for state in (Check.STATE_FAIL, Check.STATE_OK):
        colour = dict(Check.STATE_CHOICES).get(state)
        shown = str(counts.get(state, 0))
        elements.append(f'<span class="check {colour}">{shown}</span>')
    return mark_safe("".join(elements))


def person_link(person):
    return mark_safe('<a href="?%s=%s">%s</a>' % (OwnerFilter.param, person.pk, escape(person.email)))
"""
    files = {"shop/models.py": models, "shop/badges.py": body}
    assert review(files, select=("DJR402",)) == []
    computed = models.replace('param = "submitter"', "param = load_param()").replace(
        '(STATE_FAIL, "fail")', "(STATE_FAIL, load_label())"
    )
    findings = review({**files, "shop/models.py": computed}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "shop/badges.py", 14), ("DJR402", "shop/badges.py", 18)]
    text = body.replace("counts.get(state, 0)", "counts.get(state, counts.label)")
    assert codes_lines(review({**files, "shop/badges.py": text}, select=("DJR402",))) == [
        ("DJR402", "shop/badges.py", 14)
    ]


def test_pygments_style_definitions_are_the_formatter_s_css(review):
    # readthedocs' admin: `"<style>" + formatter.get_style_defs() + "</style>" + highlight(...)`
    body = """
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import JsonLexer


def pretty(text):
    formatter = HtmlFormatter()
    style = "<style>" + formatter.get_style_defs() + "</style>"
    return mark_safe(style + highlight(text, JsonLexer(), formatter))


def plain(text, theme):
    return mark_safe("<style>" + theme.get_style_defs() + "</style>" + text)
"""
    assert lines(html(review, body)) == [20]


def test_django_s_date_filter_formats_a_date(review):
    # adhocracy-plus's html_date tag: `defaultfilters.date(local, fmt)` inside a <time> tag.
    # The twin formats with a format read from a stored object
    body = """
from django.template import defaultfilters


def html_date(value, fmt="DATE_FORMAT"):
    shown = defaultfilters.date(value, fmt)
    machine = defaultfilters.date(value, "c")
    return mark_safe('<time datetime="%s">%s</time>' % (machine, shown))


def stored_format(value, profile):
    return mark_safe("<b>%s</b>" % defaultfilters.date(value, profile.date_format))
"""
    assert lines(html(review, body)) == [18]


def test_a_static_method_of_a_class_re_exported_by_its_package(review):
    # astrobin's timestamp tag: `DateTimeService.epoch(dt)`, imported from the `services`
    # package that re-exports it, returns `int(...)` or "". The twin returns a stored name
    service = """
import time


class Clock:
    @staticmethod
    def epoch(dt):
        try:
            return int(time.mktime(dt.timetuple()) * 1000)
        except AttributeError:
            return ""

    @staticmethod
    def zone(dt):
        return dt.tzinfo.name
"""
    tags = """
from django.utils.safestring import mark_safe

from shop.services import Clock


def timestamp(dt):
    return mark_safe('<abbr data-epoch="%s">...</abbr>' % Clock.epoch(dt))


def zone(dt):
    return mark_safe('<abbr data-zone="%s">...</abbr>' % Clock.zone(dt))
"""
    files = {
        "shop/__init__.py": "",
        "shop/services/__init__.py": "from .clock import Clock\n",
        "shop/services/clock.py": service,
        "shop/tags.py": tags,
    }
    assert codes_lines(review(files, select=("DJR402",))) == [("DJR402", "shop/tags.py", 12)]


def test_a_widget_s_media_and_its_id_attribute_are_code_made(review):
    # helios' DateTimeWidget: `'<input%s />%s%s' % (flatatt(attrs), self.media, script)` where
    # the script names `attrs["id"]`. The twins: the widget's `value` item, and `self.media` of
    # a class that is no widget, form or admin
    body = """
from django import forms
from django.conf import settings
from django.forms.utils import flatatt

SCRIPT = '<script>Calendar.setup({input: "%s", trigger: "%s_btn", images: "%s"});</script>'


class DateTimeWidget(forms.TextInput):
    class Media:
        js = ("/static/calendar.js",)

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(attrs or {}, {"type": self.input_type, "name": name})
        if value:
            final_attrs["value"] = str(value)
        field_id = final_attrs["id"]
        script = SCRIPT % (field_id, field_id, settings.STATIC_URL)
        return mark_safe("<input%s />%s%s" % (flatatt(final_attrs), self.media, script))

    def echo(self, name, value, attrs=None):
        final_attrs = self.build_attrs(attrs or {}, {"value": value})
        return mark_safe("<em>%s</em>" % final_attrs["value"])


class Gallery:
    def __init__(self, album):
        self.media = album.cover_caption

    def render(self):
        return mark_safe("<figure>%s</figure>" % self.media)
"""
    assert lines(html(review, body)) == [29, 37]


def test_a_stored_file_s_name_and_json_of_settings_are_code_made(review):
    # yournextrepresentative's admin preview: `obj.image.image.name`, a stored file's name that
    # the storage's get_valid_name() cut to [-\w.]; mitxpro's JS settings: `json.dumps()` of a
    # dict of settings and `request.is_secure()`. The twins: `.name` through a relation (the
    # related row's name), JSON of what a renderer returned beside its HTML (zds-site's error
    # messages), and JSON holding the user's name (`</script>` in it closes the tag)
    models = """
from django.db import models


class Picture(models.Model):
    image = models.ImageField(upload_to="pictures/")
    source = models.URLField("image source")


class Person(models.Model):
    picture = models.ForeignKey(Picture, on_delete=models.CASCADE)
    team = models.ForeignKey("Team", on_delete=models.CASCADE)


class Team(models.Model):
    name = models.CharField(max_length=50)
"""
    body = """
import json

from django.conf import settings


def preview(obj):
    return mark_safe('<img src="/media/{}">'.format(obj.picture.image.name))


def team_badge(obj):
    return mark_safe("<b>{}</b>".format(obj.person.team.name))


def config_tag(request):
    payload = json.dumps({"release": settings.RELEASE, "secure": request.is_secure()})
    return mark_safe(f"<script>var CONFIG = {payload};</script>")


def render_page(text, **options):
    return text, {}, [{"message": options.get("error", text)}]


def failed(text, **options):
    content, metadata, messages = render_page(text, **options)
    return mark_safe(f"<p>{json.dumps(messages)}</p>")


def user_tag(request):
    payload = json.dumps({"release": settings.RELEASE, "user": request.user.first_name})
    return mark_safe(f"<script>var CONFIG = {payload};</script>")
"""
    files = {"shop/models.py": models, "shop/html.py": HEAD + body}
    assert codes_lines(review(files, select=("DJR402",))) == [
        ("DJR402", "shop/html.py", 18),
        ("DJR402", "shop/html.py", 32),
        ("DJR402", "shop/html.py", 37),
    ]


def test_a_file_field_as_text_and_the_validated_host_are_code_made(review):
    # courtlistener's admin link `f"{obj.disclosure.filepath}"` (str() of a FieldFile is its
    # stored name) and its template tag's `request.get_host()` (checked against ALLOWED_HOSTS
    # and a host pattern). The twins: the uploader's own label, and a Host header read raw
    models = """
from django.db import models


class Disclosure(models.Model):
    filepath = models.FileField(upload_to="pdf/")
    label = models.CharField(max_length=100)
"""
    body = """
def pdf_link(obj):
    return mark_safe(f'<a href="/media/{obj.disclosure.filepath}">pdf</a>')


def pdf_label(obj):
    return mark_safe(f"<b>{obj.disclosure.label}</b>")


def site_link(request):
    return mark_safe("<a href='https://{}/'>home</a>".format(request.get_host()))


def raw_host(request):
    return mark_safe("<a href='https://{}/'>home</a>".format(request.META["HTTP_HOST"]))
"""
    files = {"shop/models.py": models, "shop/html.py": HEAD + body}
    assert codes_lines(review(files, select=("DJR402",))) == [
        ("DJR402", "shop/html.py", 13),
        ("DJR402", "shop/html.py", 21),
    ]


def test_json_of_a_project_function_s_dict_of_settings_is_code_made(review):
    # mitxonline's `json.dumps(get_refine_oidc_settings())`, a function of another module
    # returning a dict of settings. The twin's function puts the user's name in the dict
    frontend = """
from django.conf import settings


def oidc_settings(request):
    return {"issuer": settings.OIDC_ISSUER, "client_id": settings.OIDC_CLIENT_ID, "debug": False}


def user_settings(request):
    return {"issuer": settings.OIDC_ISSUER, "name": request.user.first_name}
"""
    tags = """
import json

from django.utils.html import format_html

from shop.frontend import oidc_settings, user_settings


def oidc_tag(request):
    return format_html(f"<script>var OIDC = {json.dumps(oidc_settings(request))};</script>")


def user_tag(request):
    return format_html(f"<script>var USER = {json.dumps(user_settings(request))};</script>")
"""
    files = {"shop/__init__.py": "", "shop/frontend.py": frontend, "shop/tags.py": tags}
    assert codes_lines(review(files, select=("DJR402",))) == [("DJR402", "shop/tags.py", 14)]


def test_a_function_imported_by_its_path_below_the_indexed_root(review):
    # mitxonline's repository holds its code one folder down, beside an `__init__.py`, so the
    # index names `main.utils` as `mitxonline.main.utils`; the tag imports `main.utils`. The
    # function's dict of settings is still known. The twin's function is not the project's
    utils = """
from django.conf import settings


def oidc_settings(request):
    return {"issuer": settings.OIDC_ISSUER}
"""
    tags = """
import json

from django.utils.html import format_html

from main.utils import oidc_settings
from vendor.utils import other_settings


def oidc_tag(request):
    return format_html(f"<script>var OIDC = {json.dumps(oidc_settings(request))};</script>")


def other_tag(request):
    return format_html(f"<script>var OTHER = {json.dumps(other_settings(request))};</script>")
"""
    files = {"site/main/utils.py": utils, "site/main/tags.py": tags}
    assert codes_lines(review(files, select=("DJR402",))) == [("DJR402", "site/main/tags.py", 15)]


def test_a_syndication_feed_s_title_is_escaped_by_the_feed_writer(review):
    # courtlistener's feed: `item_title()` returns mark_safe(f"{preface} in {docket_title}");
    # the feed writer escapes it as XML text. The twins: the item's description (readers
    # render it as HTML) and the same title method on a class that is no Feed
    body = """
from django.contrib.syndication.views import Feed


class LatestEntries(Feed):
    title = "Latest entries"
    link = "/entries/"

    def item_title(self, item):
        return mark_safe(f"Entry {item.number} in {item.case_name}")

    def item_description(self, item):
        return mark_safe(f"<p>{item.summary}</p>")


class EntryCard:
    def item_title(self, item):
        return mark_safe(f"Entry {item.number} in {item.case_name}")
"""
    assert lines(html(review, body)) == [19, 24]


def test_json_of_a_property_returning_a_list_of_literals_is_code_made(review):
    # money-to-prisoners' credit report: json.dumps(self.columns), a property returning a list
    # of literal dicts whose labels are gettext() of literals. The twin's property puts a
    # row's name in the list
    body = """
import json

from django.utils.translation import gettext


class DailyChart:
    def __init__(self, rows):
        self.rows = rows

    @property
    def columns(self):
        return [{"type": "date", "label": gettext("Date")}, {"type": "number", "label": gettext("Orders")}]

    @property
    def named_columns(self):
        return [{"type": "string", "label": self.rows[0].name}]

    def options(self):
        return mark_safe("{columns: %s, max: %d}" % (json.dumps(self.columns), len(self.rows)))

    def named_options(self):
        return mark_safe("{columns: %s}" % json.dumps(self.named_columns))
"""
    assert lines(html(review, body)) == [29]


def test_a_choices_member_s_label_is_written_in_code(review):
    # les-emplois's badges: `Status(order.status).label` of a TextChoices class, a label
    # written in code. The twins: the label of a plain class made from the row, and a model
    # field named label
    body = """
from django.db import models


class Status(models.TextChoices):
    PENDING = "pending", "En attente"
    DONE = "done", "Terminé"


class Badge:
    def __init__(self, value):
        self.label = value


def status_badge(order):
    return mark_safe(f'<span class="badge">{Status(order.status).label} {Status.DONE.label}</span>')


def plain_badge(order):
    return mark_safe(f'<span class="badge">{Badge(order.note).label}</span>')


def row_badge(order):
    return mark_safe(f'<span class="badge">{order.kind.label}</span>')
"""
    assert lines(html(review, body)) == [26, 30]


def test_a_form_s_errors_render_escaped(review):
    # crt-portal: `mark_safe(f"...{form.errors}...")`, a form's ErrorDict, whose str() renders
    # the messages through Django's templates with autoescape (`non_field_errors()` too). The
    # twins: `as_text()` (plain text, not escaped), and `errors` in a project whose model has
    # a text field of that name
    body = """
def failed(request, form):
    return mark_safe(f"<p>Could not save:</p>{form.errors}{form.non_field_errors()}")


def failed_text(request, form):
    return mark_safe(f"<p>Could not save: {form.errors.as_text()}</p>")
"""
    assert lines(html(review, body)) == [13]
    model = "from django.db import models\n\n\nclass Job(models.Model):\n    errors = models.TextField()\n"
    found = review({"shop/html.py": HEAD + body, "shop/models.py": model}, select=("DJR402",))
    assert lines(found) == [9, 13]


def test_self_attribute_judged_by_its_own_class_not_by_another_class_of_the_module(review):
    """geniza: a facet field's `self.label` (given as a translated literal) wrapped in markup,
    beside an unrelated `ChoiceLabel` that stores a parameter as its `label`. The twin whose
    own subclass stores a parameter in `label` is reported."""
    forms = """
from django import forms
from django.utils.safestring import mark_safe


class ChoiceLabel:
    def __init__(self, label):
        self.label = label


class FacetField(forms.BooleanField):
    def populate(self, count):
        self.label = mark_safe(f'<span>{self.label}</span><span>{count:,}</span>')


class TagField(forms.BooleanField):
    def populate(self, count):
        self.title = mark_safe(f'<span>{self.title}</span><span>{count:,}</span>')


class NamedTagField(TagField):
    def __init__(self, title, **kwargs):
        super().__init__(**kwargs)
        self.title = title
"""
    findings = review({"shop/forms.py": forms}, select=("DJR402",))
    assert codes_lines(findings) == [("DJR402", "shop/forms.py", 18)]


def test_a_class_s_upper_case_constant_is_code_made(review):
    # snippets-service's job links: `url + "&status__exact={}".format(models.Job.DRAFT)`, an
    # integer constant of a model class read through its module. The twin formats the object's
    # own lower-case attribute, text its users typed
    body = """
from shop import models


def job_links(obj, url):
    draft = url.__class__.__name__ + "&status__exact={}".format(models.Job.DRAFT)
    return mark_safe('<a href="?s={}">{}</a>'.format(models.Job.Status.PUBLISHED, draft))


def job_title(obj):
    return mark_safe('<a href="?s={}">{}</a>'.format(models.Job.DRAFT, obj.job.title))
"""
    assert lines(html(review, body)) == [17]
