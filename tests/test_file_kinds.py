"""Which modules are tests: rules that skip tests skip test-support code too (factories,
fixtures, testing helpers), and the index does not read them."""

from __future__ import annotations

import json

import pytest

from djreview.discovery import file_kinds
from tests.helpers import SHOP_MODELS_FK, codes_lines, djreview, write_project


@pytest.mark.parametrize(
    "path",
    [
        "shop/tests.py",
        "shop/test.py",  # helios-server's test-data helpers
        "shop/test_models.py",
        "shop/tests_vector.py",
        "shop/models_tests.py",
        "shop/api_test.py",  # pytest's *_test.py (micromasters)
        "conftest.py",
        "shop/factories.py",
        "shop/tests/helpers.py",
        "shop/test/helpers.py",
        "shop/testing/helpers.py",
        "shop/test_utils/base.py",
        "shop/factories/order.py",
        "shop/fixtures/load.py",
        "esp/seltests/seltests.py",  # ESP-Website's Selenium suite
        "shop/unittests/helpers.py",
        "shop/functests.py",
    ],
)
def test_test_support_modules_are_tests(path):
    assert file_kinds(path) == {"tests"}


@pytest.mark.parametrize(
    "path",
    [
        "shop/views.py",
        "shop/testimonials.py",
        "shop/testsuite.py",
        "shop/factory.py",
        "shop/latest/views.py",
        "shop/latest.py",
        "contest/models.py",
        "contests/views.py",
        "shop/contests.py",
    ],
)
def test_modules_with_testlike_names_are_not(path):
    assert file_kinds(path) == frozenset()


def test_migrations_are_migrations():
    assert file_kinds("shop/migrations/0001_initial.py") == {"migrations"}


def test_scripts_run_by_hand_are_commands():
    # ESP-Website's `useful_scripts/change-capacities-move-rooms-june-2013.py`: no import can
    # name it; a `scripts/` folder's files likewise run from the shell, as management commands
    assert file_kinds("shop/management/commands/sync.py") == {"commands"}
    assert file_kinds("esp/useful_scripts/change-capacities-move-rooms-june-2013.py") == {"commands"}
    assert file_kinds("tools/move-rooms.py") == {"commands"}
    assert file_kinds("scripts/set_up_postgres.py") == {"commands"}
    assert file_kinds("shop/views.py") == frozenset()
    assert file_kinds("shop/transcripts/views.py") == frozenset()


N_PLUS_ONE = """
from shop.models import Book


def names():
    return [book.author.name for book in Book.objects.all()]
"""


def test_an_n_plus_one_in_test_support_code_is_reported_only_with_include_tests(tmp_path):
    write_project(
        tmp_path,
        {
            "shop/models.py": SHOP_MODELS_FK,
            "shop/views.py": N_PLUS_ONE,
            "shop/factories.py": N_PLUS_ONE,
            "shop/testing/helpers.py": N_PLUS_ONE,
        },
    )

    def reported(*options):
        result = djreview("--format", "json", "--select", "DJR101", "--no-cache", *options, ".", cwd=tmp_path)
        return sorted(f["path"] for f in json.loads(result.stdout)["findings"])

    assert reported() == ["shop/views.py"]
    assert reported("--include-tests") == ["shop/factories.py", "shop/testing/helpers.py", "shop/views.py"]


def test_the_index_reads_pytest_s_test_suffix_as_a_test_module():
    # micromasters' `dashboard/api_test.py`: its queries are no production lookups (DJR105)
    from djreview.index.project import _test_module

    assert _test_module("dashboard.api_test") and not _test_module("dashboard.latest")
    # zds-site's migration `munin/migrations/0002_test.py` is a migration, reviewed as one
    assert not _test_module("munin.migrations.0002_test")
    assert file_kinds("munin/migrations/0002_test.py") == {"migrations"}


DEV_APP_SETTINGS = """
import os

SECRET_KEY = os.environ["SECRET_KEY"]
INSTALLED_APPS = ["rest_framework", "shop"]
ENVIRONMENT = os.environ.get("ENVIRONMENT", "production")
if ENVIRONMENT not in ("production", "prod"):
    INSTALLED_APPS += ("devseed",)
"""
DEV_APP_FILES = {
    "shop/models.py": """
from django.db import models


class Course(models.Model):
    title = models.CharField(max_length=100)
    created = models.DateTimeField(auto_now_add=True)
""",
    "devseed/serializers.py": """
from rest_framework import serializers

from shop.models import Course


class CourseSeed(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = "__all__"
""",
    "devseed/api.py": """
from shop.models import Course


def seeded(title):
    return Course.objects.filter(title=title).first()
""",
}


def test_an_app_only_development_installs_is_reviewed_as_tests_are(review):
    # mitxpro's `localdev.seed`: seed data for local development, added to INSTALLED_APPS only
    # when ENVIRONMENT is not production. Its "__all__" serializer answers no request, and its
    # queries never run in production. The twins: the app installed always, or only in production
    files = {**DEV_APP_FILES, "proj/settings.py": DEV_APP_SETTINGS}
    assert review(files, select=("DJR301", "DJR105")) == []
    debug = DEV_APP_SETTINGS.replace('if ENVIRONMENT not in ("production", "prod"):', "if DEBUG:")
    assert review({**files, "proj/settings.py": "DEBUG = False\n" + debug}, select=("DJR301", "DJR105")) == []
    expected = [("DJR301", "devseed/serializers.py", 10), ("DJR105", "shop/models.py", 6)]
    always = DEV_APP_SETTINGS.replace('if ENVIRONMENT not in ("production", "prod"):\n    ', "")
    assert sorted(codes_lines(review({**files, "proj/settings.py": always}, select=("DJR301", "DJR105")))) == sorted(
        expected
    )
    production = DEV_APP_SETTINGS.replace('not in ("production", "prod")', '== "production"')
    found = review({**files, "proj/settings.py": production}, select=("DJR301", "DJR105"))
    assert sorted(codes_lines(found)) == sorted(expected)
