"""The index's record of where forms and serializers are used (index/class_uses.py), as
`class_audience()` and `output_users()` answer it."""

from __future__ import annotations

from tests.helpers import index_of

SERIALIZERS = """
from rest_framework import serializers


class InputSerializer(serializers.Serializer):
    password = serializers.CharField()


class ItemSerializer(serializers.Serializer):
    name = serializers.CharField()


class OrderSerializer(serializers.Serializer):
    items = ItemSerializer(many=True)


class BaseSerializer(serializers.Serializer):
    pass


class ChildSerializer(BaseSerializer):
    pass
"""

VIEWS = """
from rest_framework.response import Response
from rest_framework.views import APIView
from shop.serializers import ChildSerializer, InputSerializer, OrderSerializer


class CheckView(APIView):
    def post(self, request):
        serializer = InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(status=204)


def order_detail(request, order):
    return Response(OrderSerializer(order).data)


def child(request):
    return Response(ChildSerializer(data=request.data).data)
"""


def audience(files, qual):
    return index_of(files).class_audience(qual)


def test_a_data_only_call_read_through_validated_attributes_is_input():
    files = {"shop/serializers.py": SERIALIZERS, "shop/views.py": VIEWS}
    assert audience(files, "shop.serializers.InputSerializer") == ("input",)


def test_a_nested_serializer_has_the_audience_of_the_one_nesting_it():
    index = index_of({"shop/serializers.py": SERIALIZERS, "shop/views.py": VIEWS})
    assert index.class_audience("shop.serializers.ItemSerializer") == ("output",)
    assert index.output_users("shop.serializers.ItemSerializer") == ("order_detail",)


def test_a_base_class_has_the_audience_of_its_subclasses():
    files = {"shop/serializers.py": SERIALIZERS, "shop/views.py": VIEWS}
    assert audience(files, "shop.serializers.BaseSerializer") == ("output",)


def test_no_use_found_is_an_empty_audience():
    assert audience({"shop/serializers.py": SERIALIZERS}, "shop.serializers.InputSerializer") == ()


def test_a_form_used_as_model_admin_form_is_admin():
    forms = """
from django import forms


class BookForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super(BookForm, self).__init__(*args, **kwargs)
"""
    admin = """
from django.contrib import admin
from shop.forms import BookForm


class BookAdmin(admin.ModelAdmin):
    form = BookForm
"""
    files = {"shop/forms.py": forms, "shop/admin.py": admin}
    assert audience(files, "shop.forms.BookForm") == ("admin",)  # its own super() call does not count
    view = "from shop.forms import BookForm\n\n\ndef edit(request):\n    return BookForm(request.POST)\n"
    assert audience({**files, "shop/views.py": view}, "shop.forms.BookForm") == ("admin", "output")
