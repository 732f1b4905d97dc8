"""DJR205 receiver-not-outermost: @receiver below another decorator (Ruff DJ013, flake8-django DJ13)."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

PATH = "shop/signals.py"
HEAD = """
from django.db import transaction
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver


def logged(function):
    return function
"""


def receivers(review, source: str):
    return review({PATH: HEAD + source}, select=("DJR205",))


def test_reports_receiver_below_another_decorator_at_the_receiver(review):
    source = """

@transaction.atomic
@receiver(post_save, sender="shop.Book")
def reindex(sender, instance, **kwargs):
    pass
"""
    findings = receivers(review, source)
    assert codes_lines(findings) == [("DJR205", PATH, 12)]
    assert findings[0].text == (
        "@receiver on reindex() is below @transaction.atomic: decorators apply from the bottom up, so the signal "
        "is connected to the function before @transaction.atomic wraps it, and it never runs when the signal "
        "fires. Put @receiver first, above the other decorators."
    )
    assert findings[0].fix.applicability == "unsafe"  # the atomic block starts to run on every signal
    assert fixed(HEAD + source, findings).endswith("""

@receiver(post_save, sender="shop.Book")
@transaction.atomic
def reindex(sender, instance, **kwargs):
    pass
""")


def test_a_multi_line_receiver_in_a_class_moves_as_written(review):
    source = """

class Handlers:
    @logged
    @logged
    @receiver(
        pre_delete,
        sender="shop.Book",
    )
    def cleanup(self, sender, **kwargs):
        pass
"""
    findings = receivers(review, source)
    assert codes_lines(findings) == [("DJR205", PATH, 14)]
    assert "below @logged, @logged" in findings[0].text and "they never run" in findings[0].text
    assert fixed(HEAD + source, findings).endswith("""
class Handlers:
    @receiver(
        pre_delete,
        sender="shop.Book",
    )
    @logged
    @logged
    def cleanup(self, sender, **kwargs):
        pass
""")


def test_receiver_reached_through_the_module_is_recognised(review):
    source = """
import django.dispatch


@logged
@django.dispatch.receiver(post_save)
def touched(sender, **kwargs):
    pass
"""
    assert codes_lines(receivers(review, source)) == [("DJR205", PATH, 14)]


def test_not_reported_when_outermost_alone_or_for_a_project_function_named_receiver(review):
    source = """

@receiver(post_save, sender="shop.Book")
@logged
def first(sender, **kwargs):
    pass


@receiver(post_save)
def alone(sender, **kwargs):
    pass


def my_receiver(function):
    return function


@logged
@my_receiver
def other(sender, **kwargs):
    pass
"""
    shadowed = """
def receiver(function):
    return function


@staticmethod
@receiver
def handler():
    pass
"""
    assert receivers(review, source) == []
    assert review({"shop/hooks.py": shadowed}, select=("DJR205",)) == []
