"""A copy of Django or DRF inside the project (vendored, or a stub package for tests) never
takes the place of the names djreview knows: `models.Model`, `ForeignKey`, `ModelForm`,
`ModelSerializer` keep Django's and DRF's meaning whatever the project holds (issue 13 item 18)."""

from __future__ import annotations

from djreview.engine import Settings, run
from tests.helpers import ALL_CODES, write_project

# A vendored Django whose Model defines __str__ (every model would look as if it had one),
# whose ForeignKey is no relation, and whose ModelForm/ModelSerializer are plain classes.
VENDORED = {
    "django/db/models/__init__.py": """
        from .base import Model as BaseModel


        class Model:
            def __str__(self):
                return "vendored"


        class ForeignKey:
            pass


        class Manager:
            pass
        """,
    "django/db/models/base.py": """
        class Model:
            def __str__(self):
                return "vendored"
        """,
    "django/forms/__init__.py": """
        class ModelForm:
            pass
        """,
    "rest_framework/serializers.py": """
        class ModelSerializer:
            pass
        """,
}


def _findings(root) -> list[tuple[str, str, int, str]]:
    report = run([str(root)], Settings(codes=ALL_CODES, jobs=1))
    return sorted((f.code, f.path.replace(str(root), ""), f.line, f.message) for f in report.findings)


def _without_vendored(findings):
    return [f for f in findings if not f[1].lstrip("/").startswith(("django/", "rest_framework/"))]


def test_vendored_django_does_not_hide_bookshop_findings(bookshop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    before = _findings(bookshop)
    assert {"DJR201", "DJR202", "DJR301"} <= {f[0] for f in before}
    write_project(bookshop, VENDORED)
    after = _without_vendored(_findings(bookshop))
    assert after == before


def test_vendored_copy_under_a_package_does_not_stand_for_django(review):
    """`vendor/django/...` is module `vendor.django...`; its suffix must not be taken for
    `django.db.models` either."""
    files = {f"vendor/{path}": source for path, source in VENDORED.items()}
    files["shop/models.py"] = """
        from django.db import models


        class Tag(models.Model):
            label = models.CharField(max_length=50)


        class Item(models.Model):
            tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

            def __str__(self):
                return "item"
        """
    found = sorted((f.code, f.path, f.line) for f in review(files) if f.path.startswith("shop/"))
    assert found == [("DJR201", "shop/models.py", 10), ("DJR202", "shop/models.py", 5)]
