"""DJR405 render-locals: `render(request, template, locals())` exposes every local to the template."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

VIEWS = """
from django.shortcuts import render
from django.template.response import TemplateResponse


def report(request, year):
    title = f"Sales {year}"
    books = [1, 2]
    secret = request.session.get("token")
    return render(request, "shop/report.html", locals())
"""
TEMPLATE = """{% extends "shop/base.html" %}
{% block body %}{% for book in books %}{{ book }} {{ year }}{% endfor %}{% endblock %}
"""
BASE = "<title>{{ title }}</title>{% block body %}{% endblock %}{% include 'shop/footer.html' %}"
FOOTER = "{{ request.user }}"


def project(views=VIEWS, template=TEMPLATE, **more):
    files = {
        "shop/models.py": "from django.db import models\n",
        "shop/views.py": views,
        "shop/templates/shop/report.html": template,
        "shop/templates/shop/base.html": BASE,
        "shop/templates/shop/footer.html": FOOTER,
    }
    files.update(more)
    return files


def test_reports_locals_and_fixes_it_with_what_the_template_reads(review):
    findings = review(project(), select=("DJR405",))
    assert codes_lines(findings) == [("DJR405", "shop/views.py", 10)]
    finding = findings[0]
    assert finding.message == (
        "report() passes locals() to render(): the template sees every local variable of the view, including "
        "ones never meant for a page, and any later edit to the view changes what it can print."
    )
    assert finding.fix.applicability == "unsafe"
    # the template, its parent and the included footer read request, year, title and books; not secret
    assert fixed(VIEWS, findings).splitlines()[-1] == (
        '    return render(request, "shop/report.html", {"request": request, "year": year, "title": title, '
        '"books": books})'
    )


def test_a_template_outside_the_project_gives_a_suggestion_with_every_local(review):
    views = VIEWS.replace("shop/report.html", "elsewhere/report.html")
    findings = review(project(views), select=("DJR405",))
    assert findings[0].fix.applicability == "suggestion" and not findings[0].fix.edits
    assert findings[0].hint == (
        "Pass an explicit context dict of the names the template uses, out of "
        '`{"request": request, "year": year, "title": title, "books": books, "secret": secret}`.'
    )


def test_reports_template_response_and_context_keyword(review):
    views = """
from django.shortcuts import render_to_response
from django.template.response import TemplateResponse


def a(request):
    x = 1
    return TemplateResponse(request, "shop/report.html", locals())


def b(request):
    return render_to_response("shop/report.html", context=locals())
"""
    assert [f.line for f in review(project(views), select=("DJR405",))] == [8, 12]


def test_not_reported_for_an_explicit_context_or_locals_used_otherwise(review):
    views = """
from django.shortcuts import render


def explicit(request):
    title = "x"
    return render(request, "shop/report.html", {"title": title})


def debug(request):
    names = sorted(locals())
    return render(request, "shop/report.html", {"names": names})
"""
    assert review(project(views), select=("DJR405",)) == []


def test_a_render_function_that_is_not_djangos_is_not_reported(review):
    views = """
from shop.pdf import render


def invoice(request):
    total = 3
    return render(request, "shop/report.html", locals())
"""
    assert review(project(views, **{"shop/pdf.py": "def render(*args):\n    return args\n"}), select=("DJR405",)) == []


def test_not_reported_where_no_request_is_in_scope(review):
    # filebrowser: a widget's render() with locals(); no request, session or user to leak
    views = """
from django import forms
from django.template.loader import render_to_string
from django.views import View


class BrowseWidget(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        url = "/browse/"
        return render_to_string("shop/report.html", locals())


class Report(View):
    def get(self, *args):
        user = self.request.user
        return render_to_string("shop/report.html", locals())
"""
    assert [f.line for f in review(project(views), select=("DJR405",))] == [16]
