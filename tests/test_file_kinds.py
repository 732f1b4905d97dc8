"""Which modules are tests: rules that skip tests skip test-support code too (factories,
fixtures, testing helpers), and the index does not read them."""

from __future__ import annotations

import json

import pytest

from djreview.discovery import file_kinds
from tests.helpers import SHOP_MODELS_FK, djreview, write_project


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
    ],
)
def test_modules_with_testlike_names_are_not(path):
    assert file_kinds(path) == frozenset()


def test_migrations_are_migrations():
    assert file_kinds("shop/migrations/0001_initial.py") == {"migrations"}


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
