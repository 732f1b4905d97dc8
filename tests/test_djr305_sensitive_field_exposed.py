"""DJR305 sensitive-field-exposed: a serializer whose output includes a password, token or secret."""

from __future__ import annotations

import textwrap

from tests.helpers import codes_lines, fixed

MODELS = """
from django.conf import settings
from django.db import models


class ApiClient(models.Model):
    name = models.CharField(max_length=100)
    api_token = models.CharField(max_length=64)
    client_secret = models.TextField()
    is_secret = models.BooleanField(default=False)
    token_count = models.IntegerField(default=0)
    password_changed_at = models.DateTimeField(null=True)
    api_key_last4 = models.CharField(max_length=4)
    next_page_token = models.CharField(max_length=64)

    def __str__(self):
        return self.name
"""

SERIALIZERS = "shop/serializers.py"
VIEWS = "shop/views.py"

FIELDS_LIST = """
from rest_framework import serializers
from shop.models import ApiClient


class ApiClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiClient
        fields = ["id", "name", "api_token"]
"""

VIEW = """
from rest_framework import viewsets
from shop.models import ApiClient
from shop.serializers import ApiClientSerializer


class ApiClientViewSet(viewsets.ModelViewSet):
    queryset = ApiClient.objects.all()
    serializer_class = ApiClientSerializer
"""


def exposed(review, files: dict[str, str]):
    return review({"shop/models.py": MODELS, **files}, select=("DJR305",))


def test_model_token_in_fields_is_reported_at_its_name(review):
    findings = exposed(review, {SERIALIZERS: FIELDS_LIST, VIEWS: VIEW})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 9)]
    assert findings[0].column == 33  # "api_token"
    assert findings[0].text == (
        "ApiClientSerializer writes ApiClient.api_token out in every response: a password, token or secret "
        'must never be returned. Hide it: extra_kwargs = {"api_token": {"write_only": True}} in Meta, '
        "or leave it out of fields."
    )


def test_fix_adds_extra_kwargs_write_only(review):
    findings = exposed(review, {SERIALIZERS: FIELDS_LIST, VIEWS: VIEW})
    assert findings[0].fix.applicability == "unsafe"
    assert fixed(FIELDS_LIST, findings) == textwrap.dedent(
        FIELDS_LIST.replace(
            '"api_token"]\n', '"api_token"]\n        extra_kwargs = {"api_token": {"write_only": True}}\n'
        )
    )


def test_fields_all_reports_every_string_secret_of_the_model(review):
    source = FIELDS_LIST.replace('["id", "name", "api_token"]', '"__all__"')
    findings = exposed(review, {SERIALIZERS: source, VIEWS: VIEW})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 9), ("DJR305", SERIALIZERS, 9)]
    assert {f.text.split(" out")[0] for f in findings} == {
        "ApiClientSerializer writes ApiClient.api_token",
        "ApiClientSerializer writes ApiClient.client_secret",
    }
    assert 'through "__all__"' in findings[0].text


def test_exclude_that_keeps_the_secret_is_reported(review):
    source = FIELDS_LIST.replace('fields = ["id", "name", "api_token"]', 'exclude = ["client_secret"]')
    findings = exposed(review, {SERIALIZERS: source, VIEWS: VIEW})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 9)]
    assert "ApiClient.api_token out in every response through exclude" in findings[0].text


def test_declared_read_only_char_field_is_reported_at_its_declaration(review):
    source = """
from rest_framework import serializers


class SessionSerializer(serializers.Serializer):
    user = serializers.CharField()
    refresh_token = serializers.CharField(read_only=True)
"""
    view = """
from rest_framework.decorators import api_view
from rest_framework.response import Response
from shop.serializers import SessionSerializer


@api_view(["GET"])
def current_session(request):
    return Response(SessionSerializer(request.session).data)
"""
    findings = exposed(review, {SERIALIZERS: source, VIEWS: view})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 7)]
    assert "read_only=True means output-only" in findings[0].text
    assert findings[0].fix is None


def test_declared_field_fix_adds_write_only(review):
    source = """
from rest_framework import serializers


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128)
"""
    view = """
from rest_framework import generics
from shop.serializers import PasswordSerializer


class PasswordView(generics.RetrieveAPIView):
    serializer_class = PasswordSerializer
"""
    findings = exposed(review, {SERIALIZERS: source, VIEWS: view})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 6)]
    assert fixed(source, findings).endswith("password = serializers.CharField(max_length=128, write_only=True)\n")


def test_password_hash_of_a_project_user_model_is_reported(review):
    models = """
from django.db import models


class Account(models.Model):
    username = models.CharField(max_length=150)
    password = models.CharField(max_length=128)
"""
    source = """
from rest_framework import serializers
from shop.models import Account


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = Account
        fields = ("id", "username", "password")
"""
    findings = review({"shop/models.py": models, SERIALIZERS: source}, select=("DJR305",))
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 9)]
    assert "Account.password" in findings[0].text


# -- hard negatives ------------------------------------------------------------------------------
def test_write_only_through_extra_kwargs_is_clean(review):
    source = FIELDS_LIST.replace(
        '"api_token"]\n', '"api_token"]\n        extra_kwargs = {"api_token": {"write_only": True}}\n'
    )
    assert exposed(review, {SERIALIZERS: source, VIEWS: VIEW}) == []


def test_declared_write_only_is_clean(review):
    source = """
from rest_framework import serializers


class PasswordSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True)
"""
    assert exposed(review, {SERIALIZERS: source}) == []


def test_booleans_counters_and_names_that_merely_contain_a_secret_word_are_clean(review):
    source = FIELDS_LIST.replace(
        '["id", "name", "api_token"]',
        '["is_secret", "token_count", "password_changed_at", "api_key_last4", "next_page_token"]',
    )
    declared = """

class FlagsSerializer(serializers.Serializer):
    has_token = serializers.BooleanField()
    token = serializers.IntegerField()
    is_password = serializers.CharField()
"""
    assert exposed(review, {SERIALIZERS: source + declared, VIEWS: VIEW}) == []


def test_input_only_serializer_is_clean(review):
    source = """
from rest_framework import serializers


class ChangePasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField()
    new_password = serializers.CharField()
"""
    view = """
from rest_framework.response import Response
from rest_framework.views import APIView
from shop.serializers import ChangePasswordSerializer


class ChangePasswordView(APIView):
    def post(self, request):
        serializer = ChangePasswordSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        request.user.set_password(serializer.validated_data["new_password"])
        return Response(status=204)
"""
    assert exposed(review, {SERIALIZERS: source, VIEWS: view}) == []
    returned = view.replace("return Response(status=204)", "return Response(serializer.data)")
    assert codes_lines(exposed(review, {SERIALIZERS: source, VIEWS: returned})) == [
        ("DJR305", SERIALIZERS, 6),
        ("DJR305", SERIALIZERS, 7),
    ]


def test_token_of_a_login_serializer_is_clean(review):
    source = """
from rest_framework import serializers


class LoginResponseSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)


class TokenObtainSerializer(serializers.Serializer):
    access_token = serializers.CharField()
"""
    assert exposed(review, {SERIALIZERS: source}) == []


def test_non_serializer_classes_are_clean(review):
    source = """
from django import forms


class LoginForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput)


class Settings:
    secret = "x"
"""
    assert exposed(review, {"shop/forms.py": source}) == []


def test_plain_serializer_no_code_writes_out_is_clean(review):
    source = """
from rest_framework import serializers


class UserLoginSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField()
"""
    assert exposed(review, {SERIALIZERS: source}) == []


def test_input_only_through_its_own_methods_and_a_later_rebinding_is_clean(review):
    source = """
from rest_framework import serializers


class DeleteAccountSerializer(serializers.Serializer):
    password = serializers.CharField()

    def mark_for_deletion(self, request):
        request.user.is_active = False
"""
    view = """
from rest_framework.response import Response
from shop.serializers import DeleteAccountSerializer, UserSerializer


def delete_account(request):
    serializer = DeleteAccountSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    serializer.mark_for_deletion(request)
    serializer = UserSerializer(request.user)
    return Response(serializer.data)
"""
    assert exposed(review, {SERIALIZERS: source, VIEWS: view}) == []


def test_serializer_building_its_own_output_is_clean(review):
    source = (
        FIELDS_LIST
        + """
    def to_representation(self, instance):
        data = super().to_representation(instance)
        data.pop("api_token")
        return data
"""
    )
    assert exposed(review, {SERIALIZERS: source, VIEWS: VIEW}) == []


def test_token_returned_only_by_a_token_issuing_view_is_clean(review):
    view = """
from rest_framework.response import Response
from rest_framework.views import APIView
from shop.models import ApiClient
from shop.serializers import ApiClientSerializer


class InitializeClientView(APIView):
    def post(self, request):
        client = ApiClient.objects.create(name=request.data["name"])
        return Response(ApiClientSerializer(client).data)
"""
    assert exposed(review, {SERIALIZERS: FIELDS_LIST, VIEWS: view}) == []
    # the shape of that response: other views returning it to the same client do not count
    both = view + VIEW.replace("from shop.serializers import ApiClientSerializer\n", "")
    assert exposed(review, {SERIALIZERS: FIELDS_LIST, VIEWS: both}) == []


def test_bare_secret_or_token_listed_by_name_is_clean_but_reported_through_all(review):
    models = """
from django.db import models


class Order(models.Model):
    code = models.CharField(max_length=16)
    secret = models.CharField(max_length=32)
"""
    listed = """
from rest_framework import serializers
from shop.models import Order


class OrderSerializer(serializers.ModelSerializer):
    token = serializers.CharField(read_only=True)

    class Meta:
        model = Order
        fields = ["code", "secret", "token"]
"""
    files = {"shop/models.py": models, SERIALIZERS: listed}
    assert review(files, select=("DJR305",)) == []
    every = listed.replace('["code", "secret", "token"]', '"__all__"')
    findings = review({**files, SERIALIZERS: every}, select=("DJR305",))
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 11)]
    assert "Order.secret" in findings[0].text


def test_uses_in_test_modules_do_not_count(review):
    source = """
from rest_framework import serializers


class ChangePasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField()
"""
    test = """
from shop.serializers import ChangePasswordSerializer


def test_change_password():
    assert ChangePasswordSerializer(instance=None).data == {}
"""
    assert exposed(review, {SERIALIZERS: source, "shop/tests/test_api.py": test}) == []


def test_serializer_only_login_views_use_is_clean_but_a_signup_view_returns_it(review):
    source = """
from rest_framework import serializers
from shop.models import ApiClient


class CredentialsSerializer(serializers.ModelSerializer):
    password = serializers.CharField(min_length=8)

    class Meta:
        model = ApiClient
        fields = ["name", "password"]
"""
    login = """
from rest_framework import viewsets
from shop.serializers import CredentialsSerializer


class ClientLoginView(viewsets.ViewSet):
    serializer_class = CredentialsSerializer
"""
    assert exposed(review, {SERIALIZERS: source, VIEWS: login}) == []
    signup = login.replace("ClientLoginView(viewsets.ViewSet)", "ClientSignupView(generics.CreateAPIView)")
    signup = signup.replace("import viewsets", "import generics")
    assert codes_lines(exposed(review, {SERIALIZERS: source, VIEWS: signup})) == [("DJR305", SERIALIZERS, 7)]


def test_serializer_class_of_a_view_that_only_validates_with_it_is_clean(review):
    source = """
from rest_framework import serializers


class ResetConfirmSerializer(serializers.Serializer):
    password = serializers.CharField()
    reset_token = serializers.CharField()
"""
    view = """
from rest_framework import generics
from rest_framework.response import Response
from shop.serializers import ResetConfirmSerializer


class ResetConfirmView(generics.GenericAPIView):
    serializer_class = ResetConfirmSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"status": "OK"})
"""
    assert exposed(review, {SERIALIZERS: source, VIEWS: view}) == []
    writes = view.replace('return Response({"status": "OK"})', "return Response(serializer.data)")
    assert len(exposed(review, {SERIALIZERS: source, VIEWS: writes})) == 2
    creates = view.replace("generics.GenericAPIView", "generics.CreateAPIView")
    assert len(exposed(review, {SERIALIZERS: source, VIEWS: creates})) == 2


def test_extra_kwargs_filled_in_code_in_meta_is_not_read_as_written(review):
    # waldur's ServiceSettingsSerializer: a loop in Meta makes each listed secret write-only
    filled = FIELDS_LIST.replace(
        '"api_token"]\n',
        '"api_token"]\n        extra_kwargs = {"id": {}}\n'
        '        for name in ("api_token",):\n'
        '            extra_kwargs.setdefault(name, {})["write_only"] = True\n',
    )
    assert exposed(review, {SERIALIZERS: filled, VIEWS: VIEW}) == []
    # a literal extra_kwargs that hides another field still leaves the token out in the open
    literal = FIELDS_LIST.replace(
        '"api_token"]\n', '"api_token"]\n        extra_kwargs = {"name": {"write_only": True}}\n'
    )
    assert codes_lines(exposed(review, {SERIALIZERS: literal, VIEWS: VIEW})) == [("DJR305", SERIALIZERS, 9)]


def test_a_serializer_of_nothing_but_the_token_is_that_tokens_response(review):
    # djoser's TokenSerializer: the login view answers with it; there is nothing else to return
    only = """
from rest_framework import serializers
from shop.models import ApiClient


class TokenSerializer(serializers.ModelSerializer):
    auth_token = serializers.CharField(source="api_token")

    class Meta:
        model = ApiClient
        fields = ("auth_token",)
"""
    assert exposed(review, {SERIALIZERS: only, VIEWS: VIEW.replace("ApiClientSerializer", "TokenSerializer")}) == []
    # with another field it is an object's serializer that also writes its token out
    more = only.replace('fields = ("auth_token",)', 'fields = ("name", "auth_token")')
    findings = exposed(review, {SERIALIZERS: more, VIEWS: VIEW.replace("ApiClientSerializer", "TokenSerializer")})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 7)]


POST_AUTH = """
from rest_framework import serializers
from shop.models import ApiClient


class PostAuthSerializer(serializers.ModelSerializer):
    password = serializers.CharField()

    class Meta:
        model = ApiClient
        fields = ["name", "password"]
"""


def test_a_view_whose_handler_drops_the_response_data_writes_nothing_out(review):
    # openwisp-radius's FreeRADIUS post-auth view: a CreateAPIView whose post() sets
    # `response.data = None`. A ListCreateAPIView (its get() writes the list out) and a
    # post() that keeps the data stay reported.
    view = """
from rest_framework import generics, status
from rest_framework.response import Response
from shop.serializers import PostAuthSerializer


class PostAuthView(generics.CreateAPIView):
    serializer_class = PostAuthSerializer

    def post(self, request, *args, **kwargs):
        if request.user.is_anonymous:
            return Response(status=status.HTTP_200_OK)
        response = super().post(request, *args, **kwargs)
        response.data = None
        return response
"""
    assert exposed(review, {SERIALIZERS: POST_AUTH, VIEWS: view}) == []
    lists = view.replace("generics.CreateAPIView", "generics.ListCreateAPIView")
    assert codes_lines(exposed(review, {SERIALIZERS: POST_AUTH, VIEWS: lists})) == [("DJR305", SERIALIZERS, 7)]
    keeps = view.replace("response.data = None", "response.data = {'saved': True}")
    assert codes_lines(exposed(review, {SERIALIZERS: POST_AUTH, VIEWS: keeps})) == [("DJR305", SERIALIZERS, 7)]


def test_an_action_serializer_class_whose_action_only_validates_is_input(review):
    # waldur's `change_password_serializer_class`, picked by get_serializer_class() for the
    # action, whose method validates and saves and answers with a literal status; an action
    # that returns `serializer.data` stays reported
    view = """
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from shop.serializers import PostAuthSerializer


class ClientViewSet(viewsets.GenericViewSet):
    @action(detail=True, methods=["post"])
    def change_password(self, request, pk=None):
        serializer = self.get_serializer(instance=self.get_object(), data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response({"status": "scheduled"})

    change_password_serializer_class = PostAuthSerializer
"""
    assert exposed(review, {SERIALIZERS: POST_AUTH, VIEWS: view}) == []
    writes = view.replace('Response({"status": "scheduled"})', "Response(serializer.data)")
    assert codes_lines(exposed(review, {SERIALIZERS: POST_AUTH, VIEWS: writes})) == [("DJR305", SERIALIZERS, 7)]


def test_a_key_rolling_response_and_ciphertext_are_no_exposure(review):
    # edx-enterprise: `...RegeneratePatchSerializer` answers with the new client secret (its
    # purpose); `encrypted_client_secret` is a property returning Fernet ciphertext
    serializers = """
from rest_framework import serializers


class CredentialRegeneratePatchSerializer(serializers.Serializer):
    client_id = serializers.CharField(read_only=True)
    client_secret = serializers.CharField(read_only=True)


class ConfigSerializer(serializers.Serializer):
    encrypted_client_secret = serializers.CharField(read_only=True)
    client_secret = serializers.CharField(read_only=True)
"""
    views = """
from rest_framework import viewsets
from rest_framework.response import Response
from shop.serializers import ConfigSerializer, CredentialRegeneratePatchSerializer


class CredentialsViewSet(viewsets.GenericViewSet):
    def update(self, request, *args, **kwargs):
        return Response(CredentialRegeneratePatchSerializer(self.get_object()).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(ConfigSerializer(self.get_object()).data)
"""
    findings = exposed(review, {SERIALIZERS: serializers, VIEWS: views})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 12)]


def test_an_update_serializer_given_an_instance_but_never_read_is_input(review):
    # set E's django-crm: `UserSerializer(user, data=request.data)`, validated and saved
    serializers = """
from rest_framework import serializers

from shop.models import ApiClient


class ClientUpdateSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiClient
        fields = ["name", "api_token"]


class ClientShownSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiClient
        fields = ["name", "api_token"]
"""
    views = """
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.models import ApiClient
from shop.serializers import ClientShownSerializer, ClientUpdateSerializer


class ClientView(APIView):
    def put(self, request, pk):
        client = ApiClient.objects.get(pk=pk)
        serializer = ClientUpdateSerializer(client, data=request.data)
        if serializer.is_valid():
            serializer.save()
            return Response(status=204)
        return Response(serializer.errors, status=400)

    def patch(self, request, pk):
        client = ApiClient.objects.get(pk=pk)
        serializer = ClientShownSerializer(client, data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)
"""
    findings = exposed(review, {SERIALIZERS: serializers, VIEWS: views})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 16)]


def test_a_payment_intent_s_client_secret_goes_to_the_customer_by_design(review):
    """Stripe hands a PaymentIntent's client_secret to the paying customer's browser to
    confirm the payment: no credential of the account. An OAuth app's client_secret is."""
    models = (
        MODELS
        + """

class StripePayment(models.Model):
    payment_intent_id = models.CharField(max_length=255, unique=True)
    client_secret = models.CharField(max_length=255)

    def __str__(self):
        return self.payment_intent_id
"""
    )
    serializers = (
        FIELDS_LIST.replace("ApiClient\n", "ApiClient, StripePayment\n")
        + """

class StripePaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = StripePayment
        fields = ["payment_intent_id", "client_secret"]


class OAuthAppSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiClient
        fields = ["name", "client_secret"]
"""
    )
    views = (
        VIEW.replace("ApiClientSerializer", "StripePaymentSerializer, OAuthAppSerializer", 1)
        + """

class PaymentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = StripePaymentSerializer


class AppViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OAuthAppSerializer
"""
    )
    findings = review({"shop/models.py": models, SERIALIZERS: serializers, VIEWS: views}, select=("DJR305",))
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 21)]
    assert findings[0].message.startswith("OAuthAppSerializer writes ApiClient.client_secret out")


def test_typed_generic_bases_are_the_classes_they_name(review):
    # paperless-ngx writes `class PassUserMixin(GenericAPIView[Any])` and
    # `serializers.Serializer[dict[str, list[int]]]`: the subscript is for type checkers, the
    # class is DRF's. The twin hands the validated password back out
    source = """
from rest_framework import serializers


class RemovePasswordSerializer(serializers.Serializer[dict[str, str]]):
    password = serializers.CharField()
"""
    view = """
from typing import Any

from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from shop.serializers import RemovePasswordSerializer


class RemovePasswordView(GenericAPIView[Any]):
    serializer_class = RemovePasswordSerializer

    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"status": "OK"})
"""
    assert exposed(review, {SERIALIZERS: source, VIEWS: view}) == []
    writes = view.replace('return Response({"status": "OK"})', "return Response(serializer.data)")
    assert codes_lines(exposed(review, {SERIALIZERS: source, VIEWS: writes})) == [("DJR305", SERIALIZERS, 6)]


def test_a_serializer_that_only_documents_a_response_writes_nothing_out(review):
    # Thunderstore validates with `CreateServiceAccountSerializer(data=...)` and names it in
    # `@swagger_auto_schema(responses={201: ...})`, but answers with a dict it builds. The twin
    # answers with the serializer's data
    source = """
from rest_framework import serializers


class CreateAccountSerializer(serializers.Serializer):
    nickname = serializers.CharField()
    api_token = serializers.CharField(read_only=True)
"""
    view = """
from drf_yasg.utils import swagger_auto_schema
from rest_framework.response import Response
from rest_framework.views import APIView
from shop.serializers import CreateAccountSerializer


class CreateAccountView(APIView):
    @swagger_auto_schema(request_body=CreateAccountSerializer, responses={201: CreateAccountSerializer})
    def post(self, request):
        serializer = CreateAccountSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response({"nickname": serializer.validated_data["nickname"]}, status=201)
"""
    assert exposed(review, {SERIALIZERS: source, VIEWS: view}) == []
    writes = view.replace(
        'Response({"nickname": serializer.validated_data["nickname"]}, ', "Response(serializer.data, "
    )
    assert codes_lines(exposed(review, {SERIALIZERS: source, VIEWS: writes})) == [("DJR305", SERIALIZERS, 7)]


def test_a_serializer_instance_that_only_documents_the_request_writes_nothing_out(review):
    # mit-learn's contact form: `@extend_schema(request=ContactSerializer())`, an instance, then
    # `ContactSerializer(data=request.data)` validated and forwarded. The twin answers with the
    # serializer's data
    source = """
from rest_framework import serializers


class ContactSerializer(serializers.Serializer):
    email = serializers.EmailField()
    captcha_token = serializers.CharField(required=False)
"""
    view = """
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response
from shop.serializers import ContactSerializer


@extend_schema(request=ContactSerializer())
@api_view(["POST"])
def contact(request):
    serializer = ContactSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    return Response({"ok": True})
"""
    assert exposed(review, {SERIALIZERS: source, VIEWS: view}) == []
    writes = view.replace('Response({"ok": True})', "Response(ContactSerializer(serializer.validated_data).data)")
    assert codes_lines(exposed(review, {SERIALIZERS: source, VIEWS: writes})) == [("DJR305", SERIALIZERS, 7)]


def test_a_token_the_urls_look_rows_up_by_is_the_row_s_public_id(review):
    # mediacms's `friendly_token` is the id in every media URL: its viewset says
    # `lookup_field = "friendly_token"`. The twin's viewset looks rows up by pk
    models = """
from django.db import models


class Media(models.Model):
    title = models.CharField(max_length=100)
    friendly_token = models.CharField(max_length=12, unique=True)
"""
    views = """
from rest_framework import serializers, viewsets
from shop.models import Media


class MediaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Media
        fields = ("friendly_token", "title")


class MediaViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Media.objects.all()
    serializer_class = MediaSerializer
    lookup_field = "friendly_token"
"""
    files = {"shop/models.py": models, VIEWS: views}
    assert review(files, select=("DJR305",)) == []
    by_pk = views.replace('    lookup_field = "friendly_token"\n', "")
    assert codes_lines(review({**files, VIEWS: by_pk}, select=("DJR305",))) == [("DJR305", VIEWS, 9)]


def test_values_made_for_the_browser_are_not_secrets(review):
    # enterprise-access: a Stripe Checkout Session's client secret ("pass this to the frontend
    # stripe component") and Algolia's secured search key (scoped to the user, expiring). The
    # twins: an OAuth application's client secret and an admin API key
    serializers = """
from rest_framework import serializers


class CheckoutStarted(serializers.Serializer):
    checkout_session_client_secret = serializers.CharField()
    stripe_publishable_key = serializers.CharField()


class SearchKey(serializers.Serializer):
    secured_algolia_api_key = serializers.CharField()
    valid_until = serializers.DateTimeField()
    csrf_token = serializers.CharField()


class OAuthApp(serializers.Serializer):
    oauth_client_secret = serializers.CharField()
    admin_api_key = serializers.CharField()
"""
    views = """
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.serializers import CheckoutStarted, OAuthApp, SearchKey


class Start(APIView):
    def get(self, request):
        return Response([CheckoutStarted({}).data, SearchKey({}).data, OAuthApp({}).data])
"""
    findings = exposed(review, {SERIALIZERS: serializers, VIEWS: views})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 17), ("DJR305", SERIALIZERS, 18)]


def test_extra_kwargs_options_from_a_module_constant_may_be_write_only(review):
    # quipucords' credential serializers: `extra_kwargs = {"password": ENCRYPTED_FIELD_KWARGS}`
    # and `{"api_token": {"required": True, **ENCRYPTED_FIELD_KWARGS}}`, a module dict saying
    # write_only. The twin's options are spelled out and do not hide the field
    serializers = """
from rest_framework import serializers
from shop.models import ApiClient

ENCRYPTED_FIELD_KWARGS = {"style": {"input_type": "password"}, "write_only": True}


class Named(serializers.ModelSerializer):
    class Meta:
        model = ApiClient
        fields = ["id", "name", "client_secret"]
        extra_kwargs = {"client_secret": ENCRYPTED_FIELD_KWARGS}


class Unpacked(serializers.ModelSerializer):
    class Meta:
        model = ApiClient
        fields = ["id", "name", "api_token"]
        extra_kwargs = {"api_token": {"required": True, **ENCRYPTED_FIELD_KWARGS}}


class Spelled(serializers.ModelSerializer):
    class Meta:
        model = ApiClient
        fields = ["id", "name", "api_token"]
        extra_kwargs = {"api_token": {"required": True, "write_only": False, **ENCRYPTED_FIELD_KWARGS}}
"""
    views = """
from rest_framework import generics

from shop.models import ApiClient
from shop.serializers import Named, Spelled, Unpacked


class A(generics.ListAPIView):
    queryset = ApiClient.objects.all()
    serializer_class = Named


class B(generics.ListAPIView):
    queryset = ApiClient.objects.all()
    serializer_class = Unpacked


class C(generics.ListAPIView):
    queryset = ApiClient.objects.all()
    serializer_class = Spelled
"""
    findings = exposed(review, {SERIALIZERS: serializers, VIEWS: views})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 25)]


def test_a_payment_intent_serializers_client_secret_is_for_the_browser(review):
    # lego: the websocket message to the paying user carries the PaymentIntent's client secret,
    # which Stripe.js needs to confirm the payment (bluebottle: and a Connect AccountSession's,
    # for the embedded onboarding); an OAuth app's client secret is still reported
    serializers = """
from rest_framework import serializers


class MetaSerializer(serializers.Serializer):
    kind = serializers.CharField()


class PaymentIntentMetaSerializer(MetaSerializer):
    client_secret = serializers.CharField()


class OAuthAppSerializer(serializers.Serializer):
    client_id = serializers.CharField()
    client_secret = serializers.CharField()


class ConnectAccountSessionSerializer(serializers.Serializer):
    client_secret = serializers.CharField(read_only=True)
"""
    view = """
from rest_framework.decorators import api_view
from rest_framework.response import Response
from shop.serializers import ConnectAccountSessionSerializer, OAuthAppSerializer, PaymentIntentMetaSerializer


@api_view(["GET"])
def payment(request):
    return Response(PaymentIntentMetaSerializer(request.data).data)


@api_view(["POST"])
def onboarding(request):
    return Response(ConnectAccountSessionSerializer(request.data).data)


@api_view(["GET"])
def app(request):
    return Response(OAuthAppSerializer(request.data).data)
"""
    findings = exposed(review, {SERIALIZERS: serializers, VIEWS: view})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 15)]
    assert findings[0].text.startswith("OAuthAppSerializer.client_secret is written out")


def test_a_create_only_view_of_the_user_model_is_a_sign_up_returning_its_token(review):
    # bluebottle's UserCreate(CreateAPIView) over the user model answers with the new member's
    # JWT; the same serializer behind a view that also updates users is reported
    models = """
from django.contrib.auth.models import AbstractUser


class Member(AbstractUser):
    pass
"""
    serializers = """
from rest_framework import serializers
from shop.models import Member


class MemberCreateSerializer(serializers.ModelSerializer):
    jwt_token = serializers.CharField(source="get_jwt_token", read_only=True)

    class Meta:
        model = Member
        fields = ["username", "jwt_token"]
"""
    view = """
from rest_framework import generics
from shop.models import Member
from shop.serializers import MemberCreateSerializer


class MemberCreate(generics.CreateAPIView):
    queryset = Member.objects.all()
    serializer_class = MemberCreateSerializer
"""
    settings = 'AUTH_USER_MODEL = "shop.Member"\n'
    files = {"shop/models.py": models, SERIALIZERS: serializers, VIEWS: view, "proj/settings.py": settings}
    assert review(files, select=("DJR305",)) == []
    updates = view.replace("generics.CreateAPIView", "generics.ListCreateAPIView, generics.UpdateAPIView")
    findings = review({**files, VIEWS: updates}, select=("DJR305",))
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 7)]


def test_a_registration_serializer_shows_the_new_client_secret_once(review):
    # toolhub's OAuth `RegisterApplicationSerializer.client_secret`: the secret of the client
    # just registered, returned once by the POST that makes it. A sign-up serializer that
    # echoes the password back, and a plain application serializer with the secret, are reported
    serializers = """
from rest_framework import serializers
from shop.models import ApiClient


class RegisterApplicationSerializer(serializers.ModelSerializer):
    client_secret = serializers.CharField(read_only=True)

    class Meta:
        model = ApiClient
        fields = ["id", "name", "client_secret"]


class SignupSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField()


class ApplicationSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiClient
        fields = ["id", "name", "client_secret"]
"""
    views = """
from rest_framework import generics

from shop.models import ApiClient
from shop.serializers import ApplicationSerializer, RegisterApplicationSerializer, SignupSerializer


class Register(generics.CreateAPIView):
    queryset = ApiClient.objects.all()
    serializer_class = RegisterApplicationSerializer


class Signup(generics.CreateAPIView):
    queryset = ApiClient.objects.all()
    serializer_class = SignupSerializer


class Applications(generics.ListAPIView):
    queryset = ApiClient.objects.all()
    serializer_class = ApplicationSerializer
"""
    findings = exposed(review, {SERIALIZERS: serializers, VIEWS: views})
    assert codes_lines(findings) == [("DJR305", SERIALIZERS, 16), ("DJR305", SERIALIZERS, 22)]


def test_a_create_view_whose_create_answers_no_data_writes_nothing_out(review):
    # jumpserver's FaceMonitorContextApi(CreateAPIView): `create()` validates, stores the
    # token and answers `Response(status=201)`. The twins answer the serializer's data, or
    # drop it in create() only while the viewset also lists
    serializers = """
from rest_framework import serializers


class MonitorContext(serializers.Serializer):
    session_id = serializers.CharField()
    monitor_token = serializers.CharField()
"""
    views = """
from rest_framework import generics, viewsets
from rest_framework.response import Response

from shop.serializers import MonitorContext


class Store(generics.CreateAPIView):
    serializer_class = MonitorContext

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(status=201)
"""
    assert exposed(review, {SERIALIZERS: serializers, VIEWS: views}) == []
    echoed = views.replace("return Response(status=201)", "return Response(serializer.data, status=201)")
    assert codes_lines(exposed(review, {SERIALIZERS: serializers, VIEWS: echoed})) == [("DJR305", SERIALIZERS, 7)]
    listed = views.replace("generics.CreateAPIView", "viewsets.ModelViewSet")
    assert codes_lines(exposed(review, {SERIALIZERS: serializers, VIEWS: listed})) == [("DJR305", SERIALIZERS, 7)]
