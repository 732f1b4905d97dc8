"""DJR101 in templates: a `{% for %}` over a context queryset that reads a relation of each
row the view's queryset did not select or prefetch. The finding is at the template's line
and column; its fix edits the view's queryset. Each construct has its clean twin."""

from __future__ import annotations

import json
import textwrap

from djreview.templates.lexer import Include, Loop, Use, With, parse
from tests.helpers import N_PLUS_ONE_MODELS, codes_lines, djreview, fixed, write_project

VIEWS = "shop/views.py"
BOOKS = "shop/templates/shop/books.html"
FBV = """
from django.shortcuts import render

from shop.models import Book


def book_list(request):
    books = Book.objects.filter(published=True)
    return render(request, "shop/books.html", {"books": books})
"""


def templates(review, views: str, files: dict[str, str], **settings):
    return review({"shop/models.py": N_PLUS_ONE_MODELS, VIEWS: views, **files}, select=("DJR101",), **settings)


def one_loop(review, body: str, views: str = FBV):
    return templates(review, views, {BOOKS: "{% for book in books %}" + body + "{% endfor %}\n"})


# -- the reader ------------------------------------------------------------------------------
def test_reader_keeps_line_and_column_of_each_variable():
    template = parse(
        "<ul>\n  {% for book in books|slice:':5' reversed %}\n    <li>{{ book.author.name|upper }}</li>\n"
        "  {% empty %}{{ nothing }}{% endfor %}\n</ul>\n",
        "t.html",
    )
    (loop,) = template.nodes
    assert isinstance(loop, Loop)
    assert loop.names == ("book",) and loop.source == Use(("books",), (2, 18), ("slice",))
    assert loop.body == [Use(("book", "author", "name"), (3, 12), ("upper",))]
    assert loop.empty == [Use(("nothing",), (4, 17))]


def test_reader_follows_tag_arguments_filters_and_bindings():
    template = parse(
        "{% url 'shop:author' book.author.pk as link %}{{ x|default:book.editor }}"
        "{% if book.author and not book.title %}{% endif %}"
        "{% with a=book.author %}{% endwith %}{% with book.editor as e %}{% endwith %}"
        '{% include "row.html" with b=book only %}',
        "t.html",
    )
    uses = [n.parts for n in template.nodes if isinstance(n, Use)]
    assert uses == [("book", "author", "pk"), ("x",), ("book", "editor"), ("book", "author"), ("book", "title")]
    withs = [n.bindings[0][0] for n in template.nodes if isinstance(n, With)]
    assert withs == ["a", "e"]
    include = template.nodes[-1]
    assert isinstance(include, Include) and include.name == "row.html" and include.only
    assert include.bindings[0][0] == "b"


def test_reader_skips_comments_and_verbatim():
    template = parse(
        "{# {{ a.b }} #}{% comment %}{{ c.d }}{% endcomment %}{% verbatim %}{{ e.f }}{% endverbatim %}{{ g }}",
        "t.html",
    )
    assert [n.parts for n in template.nodes] == [("g",)]


def test_reader_reads_an_unclosed_template_as_far_as_it_goes():
    template = parse("{% for a in b %}{% with c=d %}{{ a.x }}{% endfor %}{% endwith %}{{ e }}", "t.html")
    loop = template.nodes[0]
    assert isinstance(loop, Loop) and isinstance(loop.body[0], With)
    assert [n.parts for n in template.nodes[1:]] == [("e",)]


# -- function views ------------------------------------------------------------------------
def test_forward_fk_read_per_row_is_reported_at_the_template(review):
    findings = one_loop(review, "\n  {{ book.title }} by {{ book.author.name }}\n")
    assert codes_lines(findings) == [("DJR101", BOOKS, 2)]
    assert (findings[0].column, findings[0].end_column) == (26, 37)  # `book.author`
    assert findings[0].text == (
        "N+1 query: `book.author` loads the relation `author` of Book once per row of this loop "
        "(rendered by book_list() in shop/views.py). "
        'Add .select_related("author") to the queryset built on line 8 of shop/views.py.'
    )
    assert 'books = Book.objects.filter(published=True).select_related("author")' in fixed(FBV, findings, VIEWS)


def test_column_and_selected_relation_are_clean(review):
    assert one_loop(review, "{{ book.author_id }}{{ book.title }}") == []
    selected = FBV.replace(".filter(published=True)", '.select_related("author")')
    assert one_loop(review, "{{ book.author.name }}", selected) == []


def test_select_related_without_arguments_covers_non_null_keys_only(review):
    views = FBV.replace(".filter(published=True)", ".select_related()")
    findings = one_loop(review, "{{ book.author.name }}{{ book.editor.name }}", views)
    assert [f.text.split("`")[1] for f in findings] == ["book.editor"]


def test_related_manager_loop_wants_prefetch(review):
    findings = one_loop(review, "{% for tag in book.tags.all %}{{ tag.label }}{% endfor %}")
    assert codes_lines(findings) == [("DJR101", BOOKS, 1)]
    assert "`book.tags` loads the related objects `tags` of Book" in findings[0].text
    assert 'Book.objects.filter(published=True).prefetch_related("tags")' in fixed(FBV, findings, VIEWS)
    prefetched = FBV.replace(".filter(published=True)", '.prefetch_related("tags")')
    assert one_loop(review, "{% for tag in book.tags.all %}{{ tag.label }}{% endfor %}", prefetched) == []


def test_related_count_wants_an_annotation(review):
    findings = one_loop(review, "{{ book.tags.count }}")
    assert findings[0].text == (
        "N+1 query: `book.tags.count()` runs a query for every Book in this loop "
        "(rendered by book_list() in shop/views.py). "
        'Annotate it on the queryset instead, e.g. .annotate(tags_count=Count("tags")), '
        "and read the annotation in the loop."
    )
    assert findings[0].fix is not None and findings[0].fix.applicability == "suggestion"
    prefetched = FBV.replace(".filter(published=True)", '.prefetch_related("tags")')
    assert one_loop(review, "{{ book.tags.count }}{{ book.tags.all.count }}", prefetched) == []


def test_printing_a_manager_runs_no_query(review):
    assert one_loop(review, "{{ book.tags }}{% if book.tags %}x{% endif %}") == []


def test_values_queryset_rows_are_dicts(review):
    views = FBV.replace(".filter(published=True)", '.values("title", "author__name")')
    assert one_loop(review, "{{ book.author.name }}", views) == []


def test_prefetch_to_attr_fills_its_own_attribute_only(review):
    views = FBV.replace(".filter(published=True)", '.prefetch_related(Prefetch("tags", to_attr="tag_list"))').replace(
        "from shop.models import Book", "from django.db.models import Prefetch\n\nfrom shop.models import Book"
    )
    assert one_loop(review, "{% for t in book.tag_list %}{{ t.label }}{% endfor %}", views) == []
    findings = one_loop(review, "{% for t in book.tags.all %}{{ t.label }}{% endfor %}", views)
    assert [f.text.split("`")[1] for f in findings] == ["book.tags"]


def test_template_no_view_renders_is_never_reviewed(review):
    views = FBV.replace('"shop/books.html"', '"shop/other.html"')
    assert one_loop(review, "{{ book.author.name }}", views) == []


def test_unknown_context_value_reports_nothing(review):
    views = FBV.replace('{"books": books}', '{"books": fetch_books()}')
    assert one_loop(review, "{{ book.author.name }}", views) == []
    views = FBV.replace('{"books": books}', "dict(books=books, **extra)")
    assert one_loop(review, "{{ book.author.name }}", views) == []


def test_context_keyword_template_response_and_a_dict_built_before(review):
    views = """
    from django.shortcuts import render
    from django.template.response import TemplateResponse

    from shop.models import Book


    def one(request):
        return render(request, template_name="shop/books.html", context={"books": Book.objects.all()})


    def two(request):
        context = {"title": "Books"}
        context["books"] = Book.objects.all()
        return TemplateResponse(request, "shop/books.html", context)


    def three(request):
        context = {}
        context.update({"books": Book.objects.all()})
        return render(request, "shop/books.html", context)


    def four(request):
        context = {}
        context.update(books=Book.objects.select_related("author"))
        return render(request, "shop/books.html", context)
    """
    findings = one_loop(review, "{{ book.author.name }}", views)
    assert sorted(f.text.split("rendered by ")[1].split(" ")[0] for f in findings) == ["one()", "three()", "two()"]
    assert len({(f.path, f.line, f.column) for f in findings}) == 1


def test_two_views_say_which_lacks_the_relation(review):
    views = FBV + (
        "\n\ndef clean_list(request):\n"
        '    books = Book.objects.select_related("author")\n'
        '    return render(request, "shop/books.html", {"books": books})\n'
    )
    findings = one_loop(review, "{{ book.author.name }}", views)
    assert len(findings) == 1 and "rendered by book_list()" in findings[0].text


def test_the_same_line_is_reported_once_per_view(review):
    views = FBV + "\n\ndef again(request):\n    return book_list(request)\n"
    body = '{{ book.author.name }}{% include "shop/row.html" %}{% include "shop/row.html" %}'
    findings = templates(
        review,
        views.replace("return render(", "render(request, 'shop/books.html', {'books': books})\n    return render("),
        {BOOKS: "{% for book in books %}" + body + "{% endfor %}", "shop/templates/shop/row.html": "{{ book.editor }}"},
    )
    assert codes_lines(findings) == [("DJR101", BOOKS, 1), ("DJR101", "shop/templates/shop/row.html", 1)]


# -- class-based views ---------------------------------------------------------------------
LIST_VIEW = """
from django.views.generic import ListView

from shop.models import Book


class BookList(ListView):
    queryset = Book.objects.filter(published=True)
    template_name = "shop/books.html"
    context_object_name = "books"
    paginate_by = 20
"""


def test_list_view_names_its_rows(review):
    body = (
        "{% for book in books %}{{ book.author }}{% endfor %}\n"
        "{% for book in object_list %}{{ book.editor }}{% endfor %}\n"
        "{% for book in page_obj %}{{ book.author }}{% endfor %}\n"
        "{% for book in page_obj.object_list %}{{ book.editor }}{% endfor %}\n"
        "{% for book in book_list %}{{ book.author }}{% endfor %}\n"
    )
    findings = templates(review, LIST_VIEW, {BOOKS: body})
    assert [f.line for f in findings] == [1, 2, 3, 4, 5]
    assert "rendered by BookList in shop/views.py" in findings[0].text
    assert 'queryset = Book.objects.filter(published=True).select_related("author")' in fixed(
        LIST_VIEW, findings[:1], VIEWS
    )
    clean = LIST_VIEW.replace(".filter(published=True)", '.select_related("author", "editor")')
    assert templates(review, clean, {BOOKS: body}) == []


def test_list_view_default_template_name(review):
    views = "from django.views.generic import ListView\n\nfrom shop.models import Book\n\n\nclass BookList(ListView):\n    model = Book\n"
    default = "shop/templates/shop/book_list.html"
    findings = templates(review, views, {default: "{% for b in object_list %}{{ b.author }}{% endfor %}"})
    assert codes_lines(findings) == [("DJR101", default, 1)]
    assert findings[0].fix is not None and findings[0].fix.edits == ()  # `model = Book`: no queryset to edit
    suffixed = views + '    template_name_suffix = "_grid"\n'
    assert templates(review, suffixed, {default: "{% for b in object_list %}{{ b.author }}{% endfor %}"}) == []


def test_get_queryset_and_get_context_data(review):
    views = """
    from django.views.generic import ListView, TemplateView

    from shop.models import Author, Book


    class BookList(ListView):
        template_name = "shop/books.html"

        def get_queryset(self):
            return Book.objects.select_related("author")

        def get_context_data(self, **kwargs):
            context = super().get_context_data(**kwargs)
            context["authors"] = Author.objects.all()
            return context


    class Home(TemplateView):
        template_name = "shop/home.html"

        def get_context_data(self, **kwargs):
            kwargs["latest"] = Book.objects.order_by("-id")[:5]
            return super().get_context_data(**kwargs)
    """
    files = {
        BOOKS: (
            "{% for book in object_list %}{{ book.author.name }}{% endfor %}\n"
            "{% for author in authors %}{% for b in author.books.all %}{{ b.title }}{% endfor %}{% endfor %}\n"
        ),
        "shop/templates/shop/home.html": "{% for book in latest %}{{ book.editor }}{% endfor %}",
    }
    findings = templates(review, views, files)
    assert codes_lines(findings) == [("DJR101", BOOKS, 2), ("DJR101", "shop/templates/shop/home.html", 1)]
    assert "`author.books`" in findings[0].text and "rendered by BookList" in findings[0].text


def test_a_view_of_a_project_base_class_is_left_alone(review):
    views = LIST_VIEW.replace("(ListView)", "(ProjectListView)").replace(
        "from django.views.generic import ListView", "from shop.base import ProjectListView"
    )
    assert templates(review, views, {BOOKS: "{% for book in books %}{{ book.author }}{% endfor %}"}) == []


# -- the template language -----------------------------------------------------------------
def test_with_binds_a_relation(review):
    findings = one_loop(review, "{% with a=book.author %}{{ a.name }}{% endwith %}")
    assert [(f.line, f.column) for f in findings] == [(1, 34)]
    findings = one_loop(review, "{% with book.author as a %}{{ a.name }}{% endwith %}")
    assert len(findings) == 1
    assert one_loop(review, "{% with a=book.author_id %}{{ a }}{% endwith %}") == []


def test_nested_loop_over_a_related_manager(review):
    views = FBV.replace("Book", "Order").replace('"books": books', '"orders": orders').replace("books =", "orders =")
    views = views.replace(".filter(published=True)", '.prefetch_related("items")')
    body = "{% for order in orders %}{% for item in order.items.all %}{{ item.book.title }}{% endfor %}{% endfor %}"
    findings = templates(review, views, {BOOKS: body})
    assert len(findings) == 1
    assert findings[0].text.startswith("N+1 query: `item.book` loads the relation `book` of Item once per row")
    assert '.prefetch_related("items", "items__book")' in fixed(views, findings, VIEWS)
    clean = views.replace('.prefetch_related("items")', '.prefetch_related("items__book")')
    assert templates(review, clean, {BOOKS: body}) == []


def test_loop_variable_shadows_and_unpacking_is_unknown(review):
    assert one_loop(review, "{% for book in other %}{{ book.author }}{% endfor %}") == []
    assert one_loop(review, "{% for k, book in pairs %}{{ book.author }}{% endfor %}") == []
    assert one_loop(review, "{% empty %}{{ book.author }}") == []


def test_tag_arguments_and_filter_arguments_are_reads(review):
    findings = one_loop(review, "{% url 'shop:author' book.author.pk %}{{ x|default:book.editor }}")
    assert [f.text.split("`")[1] for f in findings] == ["book.author", "book.editor"]
    assert one_loop(review, "{% if book.author %}x{% endif %}")[0].column == 30


def test_comment_and_verbatim_are_not_reads(review):
    body = "{% comment %}{{ book.author }}{% endcomment %}{% verbatim %}{{ book.author }}{% endverbatim %}"
    assert one_loop(review, body) == []


def test_include_with_and_only(review):
    row = "shop/templates/shop/row.html"
    files = {
        BOOKS: '{% for book in books %}{% include "shop/row.html" with b=book %}{% endfor %}',
        row: "<td>{{ b.author.name }}</td>",
    }
    findings = templates(review, FBV, files)
    assert codes_lines(findings) == [("DJR101", row, 1)]
    assert findings[0].column == 8
    files[BOOKS] = '{% for book in books %}{% include "shop/row.html" only %}{% endfor %}'
    files[row] = "{{ book.author }}"
    assert templates(review, FBV, files) == []
    files[BOOKS] = '{% for book in books %}{% include "shop/row.html" %}{% endfor %}'
    assert codes_lines(templates(review, FBV, files)) == [("DJR101", row, 1)]


def test_an_include_that_includes_itself_ends(review):
    files = {BOOKS: '{% for book in books %}{% include "shop/books.html" %}{{ book.author }}{% endfor %}'}
    assert len(templates(review, FBV, files)) == 1


def test_child_blocks_render_in_the_parent(review):
    base = "shop/templates/base.html"
    files = {
        base: "<main>{% block content %}{% endblock %}</main>\n{% for book in books %}{% block row %}{% endblock %}{% endfor %}",
        BOOKS: (
            '{% extends "base.html" %}\n'
            "{% block content %}{% for b in books %}{{ b.author }}{% endfor %}{% endblock %}\n"
            "{% block row %}{{ book.editor }}{% endblock %}\n"
            "{{ book.author }} outside any block: never rendered\n"
        ),
    }
    findings = templates(review, FBV, files)
    assert codes_lines(findings) == [("DJR101", BOOKS, 2), ("DJR101", BOOKS, 3)]
    assert [f.text.split("`")[1] for f in findings] == ["b.author", "book.editor"]


def test_child_of_an_unknown_parent_still_renders_its_blocks(review):
    files = {
        BOOKS: "{% extends base_template %}{% block c %}{% for b in books %}{{ b.author }}{% endfor %}{% endblock %}"
    }
    assert len(templates(review, FBV, files)) == 1


def test_a_name_two_templates_share_is_not_guessed(review):
    files = {
        BOOKS: "{% for book in books %}{{ book.author }}{% endfor %}",
        "templates/shop/books.html": "{% for book in books %}{{ book.author }}{% endfor %}",
    }
    assert templates(review, FBV, files) == []


def test_jinja2_templates_are_another_language(review):
    files = {"shop/jinja2/shop/books.html": "{% for book in books %}{{ book.author }}{% endfor %}"}
    assert templates(review, FBV, files) == []


# -- noqa ----------------------------------------------------------------------------------
def test_template_noqa(review):
    assert one_loop(review, "{{ book.author }}{# noqa: DJR101 #}") == []
    assert one_loop(review, "{{ book.author }}{# noqa #}") == []
    assert len(one_loop(review, "{{ book.author }}{# noqa: DJR102 #}")) == 1


def test_python_noqa_on_the_same_line_number_does_not_silence_the_template(review):
    views = FBV.replace("\nfrom django", "# noqa: DJR101\nfrom django", 1)  # views.py line 1... 2
    findings = templates(review, views, {BOOKS: "{% for book in books %}\n{{ book.author }}{% endfor %}"})
    assert codes_lines(findings) == [("DJR101", BOOKS, 2)]


# -- the command line: formats, --fix, the cache -------------------------------------------
def _project(tmp_path, body: str = "{{ book.author.name }}"):
    write_project(
        tmp_path,
        {
            "shop/models.py": N_PLUS_ONE_MODELS,
            VIEWS: FBV,
            BOOKS: "{% for book in books %}\n  " + body + "\n{% endfor %}\n",
        },
    )


def test_every_output_format_points_at_the_template(tmp_path):
    _project(tmp_path)
    args = ("--select", "DJR101", "--no-cache")
    data = json.loads(djreview("--format", "json", *args, cwd=tmp_path).stdout)
    (finding,) = data["findings"]
    assert (finding["path"], finding["line"], finding["column"]) == (BOOKS, 2, 6)
    assert finding["fix"]["edits"][0]["path"] == VIEWS
    sarif = json.loads(djreview("--format", "sarif", *args, cwd=tmp_path).stdout)
    (result,) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == BOOKS and location["region"]["startLine"] == 2
    assert result["fixes"][0]["artifactChanges"][0]["artifactLocation"]["uri"] == VIEWS
    github = djreview("--format", "github", *args, cwd=tmp_path).stdout
    assert f"file={BOOKS},line=2,col=6" in github
    (issue,) = json.loads(djreview("--format", "gitlab", *args, cwd=tmp_path).stdout)
    assert issue["location"]["path"] == BOOKS and issue["location"]["lines"]["begin"] == 2


def test_terminal_shows_the_template_line_and_the_views_edit(tmp_path, monkeypatch):
    from rich.console import Console

    from djreview.engine import Settings, run
    from djreview.report.text import render_rich

    _project(tmp_path)
    monkeypatch.chdir(tmp_path)
    console = Console(record=True, width=200)
    render_rich(run(["."], Settings(codes=("DJR101",), jobs=1)), console)
    shown = console.export_text()
    assert "❱ 2   {{ book.author.name }}" in shown
    assert (
        f"@ {VIEWS}:8" in shown
        and '+     books = Book.objects.filter(published=True).select_related("author")' in shown
    )


def test_fix_edits_the_view_not_the_template(tmp_path):
    _project(tmp_path)
    template = (tmp_path / BOOKS).read_text()
    result = djreview("--select", "DJR101", "--fix", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'Book.objects.filter(published=True).select_related("author")' in (tmp_path / VIEWS).read_text()
    assert (tmp_path / BOOKS).read_text() == template


def test_cached_findings_follow_the_template(tmp_path):
    _project(tmp_path, "{{ book.title }}")
    assert djreview("--select", "DJR101", cwd=tmp_path).returncode == 0
    (tmp_path / BOOKS).write_text("{% for book in books %}{{ book.author.name }}{% endfor %}\n")
    again = djreview("--select", "DJR101", "--format", "concise", cwd=tmp_path)
    assert again.stdout.startswith(f"{BOOKS}:1:")
    (tmp_path / BOOKS).write_text("{% for book in books %}{{ book.author.name }}{# noqa: DJR101 #}{% endfor %}\n")
    assert djreview("--select", "DJR101", cwd=tmp_path).returncode == 0


def test_a_subclass_here_with_its_own_queryset_is_the_view_rendered(review):
    views = LIST_VIEW + (
        "\n\nclass SelectedBookList(BookList):\n"
        "    def get_queryset(self):\n"
        '        return Book.objects.select_related("author")\n'
    )
    assert templates(review, views, {BOOKS: "{% for book in books %}{{ book.author }}{% endfor %}"}) == []
    views = (
        LIST_VIEW
        + "\n\nclass PlainBookList(SecurityMixin, BookList):\n    def get_queryset(self):\n        return Book.objects.all()\n"
    )
    findings = templates(review, views, {BOOKS: "{% for book in books %}{{ book.author }}{% endfor %}"})
    assert len(findings) == 1 and "rendered by PlainBookList" in findings[0].text
    views = LIST_VIEW + "\n\nclass SameBookList(BookList):\n    paginate_by = 10\n"
    findings = templates(review, views, {BOOKS: "{% for book in books %}{{ book.author }}{% endfor %}"})
    assert sorted(f.text.split("rendered by ")[1].split(" ")[0] for f in findings) == ["BookList", "SameBookList"]


def test_default_template_name_only_with_django_bases(review):
    views = (
        "from django.views.generic import ListView\n\nfrom shop.mixins import Titled\nfrom shop.models import Book\n\n\n"
        "class BookList(Titled, ListView):\n    model = Book\n"
    )
    mixins = "class Titled:\n    template_name = 'shop/other.html'\n"
    default = "shop/templates/shop/book_list.html"
    files = {"shop/mixins.py": mixins, default: "{% for b in object_list %}{{ b.author }}{% endfor %}"}
    assert templates(review, views, files) == []


def test_the_same_edit_from_the_view_and_its_template_is_made_once(tmp_path):
    views = FBV.replace(
        "    return render(", "    labels = [t.label for book in books for t in book.tags.all()]\n    return render("
    )
    write_project(
        tmp_path,
        {
            "shop/models.py": N_PLUS_ONE_MODELS,
            VIEWS: views,
            BOOKS: "{% for book in books %}{% for t in book.tags.all %}{{ t }}{% endfor %}{% endfor %}",
        },
    )
    result = djreview("--select", "DJR101", "--fix", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert 'books = Book.objects.filter(published=True).prefetch_related("tags")\n' in (tmp_path / VIEWS).read_text()


def test_flake8_shows_only_the_python_files_lines(tmp_path):
    from tests.helpers import flake8

    _project(tmp_path)
    result = flake8("--select", "DJR", "--isolated", VIEWS, cwd=tmp_path)
    assert "DJR101" not in result.stdout, result.stdout


SETTINGS = """
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "site" / "html", os.path.join(BASE_DIR, "templates"), "/nowhere/at/all"],
        "APP_DIRS": True,
    }
]
"""


def test_settings_dirs_name_templates_and_come_first(review):
    loop = "{% for book in books %}{{ book.author }}{% endfor %}"
    files = {"config/settings.py": SETTINGS, "site/html/shop/books.html": loop}
    assert codes_lines(templates(review, FBV, files)) == [("DJR101", "site/html/shop/books.html", 1)]


def test_a_dirs_folder_overrides_an_apps_template_of_the_same_name(review):
    loop = "{% for book in books %}{{ book.author }}{% endfor %}"
    files = {"config/settings.py": SETTINGS, "templates/shop/books.html": loop, BOOKS: loop}
    assert codes_lines(templates(review, FBV, files)) == [("DJR101", "templates/shop/books.html", 1)]


def test_settings_dirs_entries_as_written():
    from djreview.templates.dirs import is_settings, template_dirs

    assert is_settings("proj/settings.py") and is_settings("proj/settings/base.py")
    assert is_settings("proj/settings_dev.py") and not is_settings("proj/views.py")
    assert template_dirs([("/x/proj/settings.py", "TEMPLATES = [{'DIRS': []}]")], "/x") == []


def test_changed_since_keeps_a_template_finding_whose_view_changed(tmp_path):
    from tests.helpers import git

    selected = FBV.replace(".filter(published=True)", '.select_related("author")')
    loop = "{% for book in books %}\n{{ book.author }}\n{% endfor %}\n"
    write_project(tmp_path, {"shop/models.py": N_PLUS_ONE_MODELS, VIEWS: selected, BOOKS: loop})
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first")
    args = ("--select", "DJR101", "--format", "concise", "--no-cache", "--changed-since", "HEAD")
    (tmp_path / BOOKS).write_text(loop + "<p>more</p>\n")  # a change elsewhere in the template
    assert djreview(*args, cwd=tmp_path).stdout == ""
    (tmp_path / VIEWS).write_text(textwrap.dedent(FBV))  # the view drops its select_related
    assert djreview(*args, cwd=tmp_path).stdout.startswith(f"{BOOKS}:2:4: DJR101")


def test_a_reverse_managers_rows_know_their_owner(review):
    views = (
        FBV.replace("Book", "Author").replace('"books": books', '"authors": authors').replace("books =", "authors =")
    )
    views = views.replace(".filter(published=True)", '.prefetch_related("books")')
    body = "{% for author in authors %}{% for b in author.books.all %}{{ b.author.name }}{{ b.editor }}{% endfor %}{% endfor %}"
    findings = templates(review, views, {BOOKS: body})
    assert [f.text.split("`")[1] for f in findings] == ["b.editor"]  # b.author is the loop's author


DETAIL_VIEW = """
from django.views.generic import DetailView

from shop.models import Author


class AuthorDetail(DetailView):
    queryset = Author.objects.all()
    context_object_name = "writer"
"""
AUTHOR_DETAIL = "shop/templates/shop/author_detail.html"


def test_detail_view_rows_of_its_objects_managers(review):
    body = (
        "{{ object.profile }}{{ author.books.count }}\n"  # one object: one query each, not N+1
        "{% for b in writer.books.all %}{{ b.editor.name }}{{ b.author.name }}{% endfor %}\n"
    )
    findings = templates(review, DETAIL_VIEW, {AUTHOR_DETAIL: body})
    assert codes_lines(findings) == [("DJR101", AUTHOR_DETAIL, 2)]
    assert findings[0].text.startswith("N+1 query: `b.editor` loads the relation `editor` of Book once per row")
    assert 'queryset = Author.objects.all().prefetch_related("books__editor")' in fixed(DETAIL_VIEW, findings, VIEWS)
    clean = DETAIL_VIEW.replace(".all()", '.prefetch_related("books__editor")')
    assert templates(review, clean, {AUTHOR_DETAIL: body}) == []


def test_detail_view_with_its_own_get_object_is_left_alone(review):
    views = DETAIL_VIEW + "\n    def get_object(self):\n        return Author.objects.first()\n"
    body = "{% for b in object.books.all %}{{ b.editor.name }}{% endfor %}"
    assert templates(review, views, {AUTHOR_DETAIL: body}) == []


def test_includes_many_times_over_and_deep_nesting_end(review):
    import time

    files = {BOOKS: '{% for book in books %}{% include "shop/t0.html" %}{% endfor %}'}
    for level in range(7):  # every level includes the next one four times: 4**7 paths
        files[f"shop/templates/shop/t{level}.html"] = f'{{% include "shop/t{level + 1}.html" %}}' * 4
    files["shop/templates/shop/t7.html"] = "{{ book.author }}"
    started = time.perf_counter()
    assert codes_lines(templates(review, FBV, files)) == [("DJR101", "shop/templates/shop/t7.html", 1)]
    assert time.perf_counter() - started < 20
    deep = (
        "{% for book in books %}"
        + "{% with a=1 %}" * 5000
        + "{{ book.author }}"
        + "{% endwith %}" * 5000
        + "{% endfor %}"
    )
    views = FBV + "\n\ndef authors():\n    return [b.author for b in Book.objects.all()]\n"
    # too deep to walk: that template is left out, and the view's own loop is still reviewed
    assert codes_lines(templates(review, views, {BOOKS: deep})) == [("DJR101", VIEWS, 13)]


def test_add_noqa_writes_the_template_form(tmp_path):
    _project(tmp_path, "{{ book.author.name }}{# noqa: DJR201 #}\n  {{ book.editor.name }}")
    result = djreview("--select", "DJR101", "--add-noqa", "--no-cache", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / BOOKS).read_text() == (
        "{% for book in books %}\n"
        "  {{ book.author.name }}{# noqa: DJR201, DJR101 #}\n"
        "  {{ book.editor.name }}{# noqa: DJR101 #}\n"
        "{% endfor %}\n"
    )
    assert djreview("--select", "DJR101", "--no-cache", cwd=tmp_path).returncode == 0


def test_baseline_matches_the_template_line(tmp_path):
    _project(tmp_path)
    baseline = tmp_path / "baseline.json"
    djreview("--select", "DJR101", "--no-cache", "--baseline", str(baseline), "--write-baseline", cwd=tmp_path)
    assert "books.html" in baseline.read_text()
    assert djreview("--select", "DJR101", "--no-cache", "--baseline", str(baseline), cwd=tmp_path).returncode == 0
    (tmp_path / BOOKS).write_text("<h1>Books</h1>\n" + (tmp_path / BOOKS).read_text())  # lines shift
    assert djreview("--select", "DJR101", "--no-cache", "--baseline", str(baseline), cwd=tmp_path).returncode == 0


def test_a_paginators_page_holds_rows_the_paginator_pages(review):
    views = FBV.replace(
        '    return render(request, "shop/books.html", {"books": books})',
        "    paginator = Paginator(books, 20)\n"
        '    return render(request, "shop/books.html", {"page": paginator.get_page(1), "paginator": paginator})',
    ).replace(
        "from django.shortcuts import render",
        "from django.core.paginator import Paginator\nfrom django.shortcuts import render",
    )
    body = (
        "{% for book in page %}{{ book.author }}{% endfor %}\n"
        "{% for book in page.object_list %}{{ book.editor }}{% endfor %}\n"
        "{% for p in paginator %}{{ p.author }}{% endfor %}\n"
    )
    findings = templates(review, views, {BOOKS: body})
    assert [(f.line, f.text.split("`")[1]) for f in findings] == [(1, "book.author"), (2, "book.editor")]
