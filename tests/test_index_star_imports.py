"""The index follows `from M import *` (honouring a literal `__all__`) and classes defined in
module-level if/try blocks: django-oscar's models.py star-imports its abstract models and
defines each concrete model under `if not is_model_registered(...)`."""

from __future__ import annotations

import json

from tests.helpers import djreview, index_of, write_project

ABSTRACT = """
from django.db import models


class AbstractOrder(models.Model):
    number = models.CharField(max_length=32)
    customer = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="orders")

    class Meta:
        abstract = True


class AbstractLine(models.Model):
    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="lines")

    class Meta:
        abstract = True
"""

OSCAR_STYLE_MODELS = """
from shop.loading import is_model_registered
from order.abstract_models import *  # noqa

__all__ = []

if not is_model_registered("order", "Order"):

    class Order(AbstractOrder):
        pass

    __all__.append("Order")

if not is_model_registered("order", "Line"):

    class Line(AbstractLine):
        pass

    __all__.append("Line")
"""


def concrete(index) -> set[str]:
    return {q for q, m in index.models.items() if not m.abstract}


def test_models_built_on_star_imported_bases_are_models_with_their_fields():
    index = index_of({"order/abstract_models.py": ABSTRACT, "order/models.py": OSCAR_STYLE_MODELS})
    assert concrete(index) == {"order.models.Order", "order.models.Line"}
    assert [f.name for f in index.models["order.models.Order"].fields] == ["number", "customer"]
    assert index.models["order.models.Line"].relations["order"].target == "order.models.Order"


def test_a_literal_all_limits_what_a_star_import_brings():
    abstract = ABSTRACT + '\n__all__ = ["AbstractLine"]\n'
    index = index_of({"order/abstract_models.py": abstract, "order/models.py": OSCAR_STYLE_MODELS})
    assert concrete(index) == {"order.models.Line"}  # AbstractOrder is not exported


def test_all_built_with_plus_equals_append_and_extend():
    abstract = ABSTRACT + '\n__all__ = ()\n__all__ += ("AbstractOrder",)\n__all__.extend([])\n'
    index = index_of({"order/abstract_models.py": abstract, "order/models.py": OSCAR_STYLE_MODELS})
    assert concrete(index) == {"order.models.Order"}
    abstract = ABSTRACT + '\n__all__ = []\n__all__.append("AbstractLine")\n__all__.extend(["AbstractOrder"])\n'
    index = index_of({"order/abstract_models.py": abstract, "order/models.py": OSCAR_STYLE_MODELS})
    assert concrete(index) == {"order.models.Order", "order.models.Line"}


def test_an_all_that_is_not_literal_means_every_public_name():
    abstract = ABSTRACT + '\n__all__ = [name for name in dir() if name.startswith("Abstract")]\n'
    index = index_of({"order/abstract_models.py": abstract, "order/models.py": OSCAR_STYLE_MODELS})
    assert concrete(index) == {"order.models.Order", "order.models.Line"}


def test_a_private_name_is_not_star_imported():
    abstract = ABSTRACT.replace("AbstractOrder", "_AbstractOrder")
    models = OSCAR_STYLE_MODELS.replace("AbstractOrder", "_AbstractOrder")
    index = index_of({"order/abstract_models.py": abstract, "order/models.py": models})
    assert concrete(index) == {"order.models.Line"}


def test_chains_of_star_imports_relative_and_absolute():
    index = index_of(
        {
            "order/abstract_models.py": ABSTRACT,
            "order/bases.py": "from .abstract_models import *\n",
            "order/models.py": "from order.bases import *\n\nclass Order(AbstractOrder):\n    pass\n",
        }
    )
    assert concrete(index) == {"order.models.Order"}
    assert index.resolve("order.models.AbstractOrder") == "order.abstract_models.AbstractOrder"


def test_a_star_import_cycle_ends():
    index = index_of(
        {
            "a/models.py": "from b.models import *\n\nclass A(Unknown):\n    pass\n",
            "b/models.py": "from a.models import *\n",
        }
    )
    assert index.resolve("a.models.Unknown") == "a.models.Unknown"
    assert concrete(index) == set()


def test_the_last_star_import_wins_and_a_later_explicit_import_beats_it():
    plain = "class AbstractOrder:\n    pass\n"
    models = "from order.plain import *\nfrom order.abstract_models import *\n\nclass Order(AbstractOrder):\n    pass\n"
    files = {"order/abstract_models.py": ABSTRACT, "order/plain.py": plain, "order/models.py": models}
    assert concrete(index_of(files)) == {"order.models.Order"}
    files["order/models.py"] = models.replace(
        "from order.plain import *\nfrom order.abstract_models import *",
        "from order.abstract_models import *\nfrom order.plain import *",
    )
    assert concrete(index_of(files)) == set()
    files["order/models.py"] = (
        "from order.abstract_models import *\nfrom order.plain import AbstractOrder\n" + models.split("\n\n")[1]
    )
    assert concrete(index_of(files)) == set()  # the later explicit import wins


def test_classes_in_try_and_else_blocks_are_indexed():
    models = """
from django.db import models

try:
    from shop.compat import Base
except ImportError:

    class Base(models.Model):
        name = models.CharField(max_length=10)

        class Meta:
            abstract = True

if True:
    pass
else:

    class Tag(Base):
        pass
"""
    index = index_of({"shop/models.py": models})
    assert concrete(index) == {"shop.models.Tag"}


def test_a_finding_on_a_model_that_only_a_star_import_makes_visible(tmp_path):
    views = """
from order.models import *


def numbers():
    return [order.customer.username for order in Order.objects.all()]
"""
    write_project(
        tmp_path,
        {
            "shop/__init__.py": "",
            "shop/loading.py": "def is_model_registered(app, model):\n    return False\n",
            "order/__init__.py": "",
            "order/abstract_models.py": ABSTRACT,
            "order/models.py": OSCAR_STYLE_MODELS,
            "order/views.py": views,
        },
    )
    result = djreview("--format", "json", "--select", "DJR101", "--no-cache", ".", cwd=tmp_path)
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["path"], f["line"]) for f in findings] == [("DJR101", "order/views.py", 6)]
    assert "Order" in findings[0]["message"] and "customer" in findings[0]["message"]


def test_a_name_defined_in_two_branches_is_a_model_if_either_is():
    models = """
from django.db import models
from shop.compat import PlainBase

if USE_PLAIN:

    class Tag(PlainBase):
        pass

else:

    class Tag(models.Model):
        name = models.CharField(max_length=10)
"""
    index = index_of({"shop/models.py": models})
    assert concrete(index) == {"shop.models.Tag"}
    assert [f.name for f in index.models["shop.models.Tag"].fields] == ["name"]
    flipped = models.replace("class Tag(PlainBase)", "class Tag(models.Model)", 1)
    assert concrete(index_of({"shop/models.py": flipped})) == {"shop.models.Tag"}  # the first one wins then
