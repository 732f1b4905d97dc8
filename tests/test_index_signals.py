"""Signal receivers the index sees, and what DJR102 makes of them: a bulk operation skips
pre_save/post_save, so a model with a receiver (or a save() override, Django's own included)
needs its loop of save() calls."""

from __future__ import annotations

import pytest

from djreview.index.facts import ANY_SENDER
from tests.helpers import AUTHOR_MODULE, index_of

MODELS = (
    AUTHOR_MODULE
    + """

class Book(models.Model):
    title = models.CharField(max_length=200)

    def __str__(self):
        return self.title


class Tag(models.Model):
    name = models.CharField(max_length=50)

    def __str__(self):
        return self.name
"""
)

# Both loops save a row per iteration: line 5 (Book) and line 8 (Tag).
VIEW = """from shop.models import Book, Tag

def touch():
    for book in Book.objects.all():
        book.save()
    for tag in Tag.objects.all():
        tag.name = tag.name.strip()
        tag.save()
"""
BOOK, TAG = 5, 8


def reported(review, signals: str, models: str = MODELS) -> list[int]:
    files = {"shop/models.py": models, "shop/views.py": VIEW, "shop/signals.py": signals}
    return sorted(f.line for f in review(files, select=("DJR102",)) if f.path == "shop/views.py")


def test_without_receivers_both_loops_are_reported(review):
    assert reported(review, "") == [BOOK, TAG]


@pytest.mark.parametrize(
    "signals",
    [
        "@receiver(post_save)\ndef log_change(sender, instance, **kwargs):\n    pass\n",
        "def log_change(sender, **kwargs):\n    pass\n\npre_save.connect(log_change)\n",
        "def log_change(sender, **kwargs):\n    pass\n\npost_save.connect(log_change, sender=None)\n",
        "def log_change(sender, **kwargs):\n    pass\n\nfor model in apps.get_models():\n"
        "    post_save.connect(log_change, sender=model)\n",
    ],
    ids=["decorator without sender", "connect without sender", "sender=None", "loop over every model"],
)
def test_a_receiver_without_a_sender_covers_every_model(review, signals):
    head = "from django.apps import apps\nfrom django.db.models.signals import post_save, pre_save\n"
    head += "from django.dispatch import receiver\n\n"
    assert reported(review, head + signals) == []


@pytest.mark.parametrize(
    "signals",
    [
        "post_save.connect(handler, Book)",
        "post_save.connect(handler, sender=Book)",
        "@receiver(post_save, sender=Book)\ndef on_book(sender, **kwargs):\n    pass",
        "@receiver([pre_save, post_save], sender=Book)\ndef on_book(sender, **kwargs):\n    pass",
        'post_save.connect(handler, sender="shop.Book")',
        "for model in (Book, Author):\n    pre_save.connect(handler, sender=model)",
    ],
    ids=["positional", "keyword", "decorator", "list of signals", "label", "loop over a literal tuple"],
)
def test_a_receiver_with_a_sender_covers_only_that_model(review, signals):
    head = "from django.db.models.signals import post_save, pre_save\nfrom django.dispatch import receiver\n"
    head += "from shop.models import Author, Book\n\n\ndef handler(sender, **kwargs):\n    pass\n\n\n"
    assert reported(review, head + signals + "\n") == [TAG]


def test_a_list_of_senders_covers_each(review):
    signals = "from django.db.models.signals import post_save\nfrom django.dispatch import receiver\n"
    signals += "from shop.models import Book, Tag\n\n@receiver(post_save, sender=[Book, Tag])\n"
    signals += "def on_save(sender, **kwargs):\n    pass\n"
    assert reported(review, signals) == []


def test_a_delete_receiver_does_not_excuse_a_save_loop(review):
    signals = "from django.db.models.signals import pre_delete\nfrom django.dispatch import receiver\n\n"
    signals += "@receiver(pre_delete)\ndef on_delete(sender, **kwargs):\n    pass\n"
    assert reported(review, signals) == [BOOK, TAG]


def test_a_save_override_in_djangos_user_base_counts(review):
    models = MODELS.replace("class Tag(models.Model):", "class Tag(AbstractUser):").replace(
        "from django.db import models",
        "from django.contrib.auth.models import AbstractUser\nfrom django.db import models",
    )
    assert reported(review, "", models) == [BOOK]


def test_receivers_per_signal_with_their_senders():
    signals = """
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from shop.models import Book, Tag

@receiver(m2m_changed, sender=Book.tags.through)
def on_tags(sender, **kwargs):
    pass

@receiver(post_delete, sender=(Book, "shop.Tag"))
def on_delete(sender, **kwargs):
    pass

post_save.connect(on_delete, make_sender())
"""
    facts = index_of({"shop/models.py": MODELS, "shop/signals.py": signals}).modules["shop.signals"]
    assert facts.receivers == {
        "m2m_changed": {"shop.models.Book.tags.through"},
        "post_delete": {"shop.models.Book", "<label:shop.Tag>"},
        "post_save": {ANY_SENDER},  # a sender we cannot read could be any model
    }
