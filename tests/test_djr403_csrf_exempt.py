"""DJR403 csrf-exempt: Django views exempt from CSRF that do not verify a signature."""

from __future__ import annotations

from tests.helpers import codes_lines

IMPORTS = """
import hmac
import hashlib
import logging

from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
"""


def exempt(review, files):
    return review({"shop/__init__.py": "", **files}, select=("DJR403",))


def lines(findings):
    return [(f.path, f.line) for f in findings]


def test_reports_a_decorated_function_view_at_the_decorator_line(review):
    views = (
        IMPORTS
        + """

@require_POST
@csrf_exempt
def update_cart(request):
    request.session["cart"] = request.POST["items"]
    return HttpResponse("ok")
"""
    )
    findings = exempt(review, {"shop/views.py": views})
    assert codes_lines(findings) == [("DJR403", "shop/views.py", 14)]
    (found,) = findings
    assert found.text == (
        "View update_cart is exempt from CSRF: behind AuthenticationMiddleware a logged-in user's browser can be "
        "made to POST to it from another site, with the user's cookies. Remove csrf_exempt and send the token "
        "({% csrf_token %} in forms, the X-CSRFToken header from JavaScript); for a webhook, verify the "
        "provider's signature instead (hmac.compare_digest)."
    )
    assert found.fix.applicability == "suggestion" and found.fix.edits == ()


def test_reports_a_webhook_that_only_logs_its_signature_header(review):
    views = (
        IMPORTS
        + """
logger = logging.getLogger(__name__)


@csrf_exempt
def payment_webhook(request):
    logger.info("signature %s", request.headers.get("X-Payment-Signature"))
    return HttpResponse("ok")
"""
    )
    (found,) = exempt(review, {"shop/views.py": views})
    assert found.line == 15
    assert "It looks like a webhook: it reads the X-Payment-Signature header but never verifies it, so" in (
        found.message
    )
    assert "hmac.compare_digest" in found.text


def test_dotted_and_aliased_decorators_are_resolved(review):
    views = """
from django.views.decorators import csrf
from django.views.decorators.csrf import csrf_exempt as no_csrf
import django.views.decorators.csrf


@csrf.csrf_exempt
def one(request):
    request.user.delete()


@no_csrf
def two(request):
    request.session.flush()


@django.views.decorators.csrf.csrf_exempt
def three(request):
    return request.COOKIES
"""
    assert lines(exempt(review, {"shop/views.py": views})) == [
        ("shop/views.py", 7),
        ("shop/views.py", 12),
        ("shop/views.py", 17),
    ]


def test_a_project_function_named_csrf_exempt_is_not_djangos(review):
    views = """
from shop.decorators import csrf_exempt


@csrf_exempt
def one(request):
    request.user.delete()
"""
    decorators = "def csrf_exempt(view):\n    return view\n"
    assert exempt(review, {"shop/views.py": views, "shop/decorators.py": decorators}) == []


def test_a_project_reexport_of_djangos_csrf_exempt_is_resolved(review):
    views = "from shop.decorators import csrf_exempt\n\n\n@csrf_exempt\ndef one(request):\n    request.user.delete()\n"
    decorators = "from django.views.decorators.csrf import csrf_exempt  # noqa: F401\n"
    assert lines(exempt(review, {"shop/views.py": views, "shop/decorators.py": decorators})) == [("shop/views.py", 4)]


def test_reports_method_decorator_on_a_class_and_on_dispatch(review):
    views = (
        IMPORTS
        + """

@method_decorator(csrf_exempt, name="dispatch")
class CartView(View):
    def post(self, request):
        request.session["cart"] = request.POST["items"]
        return HttpResponse("ok")


class OrderView(View):
    @method_decorator([csrf_exempt, require_POST])
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        self.request.user.orders.create()
"""
    )
    findings = exempt(review, {"shop/views.py": views})
    assert lines(findings) == [("shop/views.py", 13), ("shop/views.py", 21)]
    assert findings[0].message.startswith("View CartView is exempt from CSRF")
    assert findings[1].message.startswith("View OrderView is exempt from CSRF")


def test_not_reported_on_handlers_django_ignores(review):
    # Django reads csrf_exempt from dispatch() only: on post() or name="post" it does nothing
    views = (
        IMPORTS
        + """

@method_decorator(csrf_exempt, name="post")
class CartView(View):
    @method_decorator(csrf_exempt)
    def post(self, request):
        return HttpResponse("ok")
"""
    )
    assert exempt(review, {"shop/views.py": views}) == []


def test_reports_csrf_exempt_calls_in_a_urlconf(review):
    views = (
        IMPORTS
        + """

def hook(request):
    request.session["hooked"] = True
    return HttpResponse(request.user.pk)


class CartView(View):
    def post(self, request):
        return change_cart(request)


def change_cart(request):
    request.session["cart"] = []
"""
    )
    urls = """
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from shop import views

urlpatterns = [
    path("hook/", csrf_exempt(views.hook)),
    path("cart/", csrf_exempt(views.CartView.as_view())),
]
"""
    findings = exempt(review, {"shop/views.py": views, "shop/urls.py": urls})
    assert lines(findings) == [("shop/urls.py", 8), ("shop/urls.py", 9)]
    assert findings[0].message.startswith("View views.hook is exempt")
    assert findings[1].message.startswith("View views.CartView is exempt")


SIGNED = (
    IMPORTS
    + """
import stripe


@csrf_exempt
def by_hmac(request):
    expected = hmac.new(b"secret", request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers["X-Signature"]):
        return HttpResponse(status=403)
    return HttpResponse("ok")


@csrf_exempt
def by_digest_equality(request):
    digest = hmac.new(b"secret", request.body, hashlib.sha256).hexdigest()
    if digest != request.META["HTTP_X_HUB_SIGNATURE"]:
        return HttpResponse(status=403)
    return HttpResponse("ok")


@csrf_exempt
def by_stripe(request):
    event = stripe.Webhook.construct_event(request.body, request.headers["Stripe-Signature"], "whsec")
    return HttpResponse(event.id)


@csrf_exempt
def by_helper(request):
    if not signature_ok(request):
        return HttpResponse(status=403)
    return HttpResponse("ok")


def signature_ok(request):
    return check(request.body, request.headers["X-Signature"])


def check(body, signature):
    return hmac.compare_digest(hmac.new(b"k", body, hashlib.sha256).hexdigest(), signature)


@csrf_exempt
def by_named_verifier(request):
    verify_webhook_signature(request)
    return HttpResponse("ok")


@method_decorator(csrf_exempt, name="dispatch")
class SignedView(View):
    def post(self, request):
        self.authenticate(request)
        return HttpResponse("ok")

    def authenticate(self, request):
        from nacl.signing import VerifyKey

        VerifyKey(b"k").verify(request.body, bytes.fromhex(request.headers["X-Signature-Ed25519"]))
"""
)


def test_not_reported_when_the_view_verifies_the_signature(review):
    assert exempt(review, {"shop/views.py": SIGNED}) == []


def test_verification_in_another_module_is_followed(review):
    views = (
        IMPORTS
        + """
from shop.security import require_valid_payload


@csrf_exempt
def hook(request):
    require_valid_payload(request)
    return HttpResponse("ok")
"""
    )
    security = """
from shop.crypto import digest_matches


def require_valid_payload(request):
    if not digest_matches(request.body, request.headers["X-Signature"]):
        raise PermissionError
"""
    crypto = "import hmac\n\n\ndef digest_matches(body, sent):\n    return hmac.compare_digest(body, sent)\n"
    files = {"shop/views.py": views, "shop/security.py": security, "shop/crypto.py": crypto}
    assert exempt(review, files) == []
    files["shop/crypto.py"] = "def digest_matches(body, sent):\n    return bool(sent)\n"
    assert lines(exempt(review, files)) == [("shop/views.py", 15)]


def test_reading_the_signature_header_is_not_verifying(review):
    views = (
        IMPORTS
        + """

@csrf_exempt
def hook(request):
    signature = request.META["HTTP_X_HUB_SIGNATURE"]
    if not signature:
        return HttpResponse(status=400)
    mark_paid(request.body)
    return HttpResponse("ok")


def mark_paid(payload):
    pass
"""
    )
    (found,) = exempt(review, {"shop/views.py": views})
    assert "it reads the HTTP_X_HUB_SIGNATURE header but never verifies it" in found.message


def test_not_reported_on_drf_views(review):
    views = """
from django.urls import path
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from rest_framework.decorators import api_view
from rest_framework.views import APIView
from rest_framework import viewsets

from shop.base import ShopAPIView


@method_decorator(csrf_exempt, name="dispatch")
class OrderAPI(APIView):
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)


@method_decorator(csrf_exempt, name="dispatch")
class CartAPI(ShopAPIView):
    pass


class BookViewSet(viewsets.ModelViewSet):
    @csrf_exempt
    def create(self, request):
        pass


@csrf_exempt
@api_view(["POST"])
def ping(request):
    pass


@api_view(["POST"])
def pong(request):
    pass


urlpatterns = [
    path("orders/", csrf_exempt(OrderAPI.as_view())),
    path("pong/", csrf_exempt(pong)),
]
"""
    base = "from rest_framework.generics import GenericAPIView\n\n\nclass ShopAPIView(GenericAPIView):\n    pass\n"
    assert exempt(review, {"shop/views.py": views, "shop/base.py": base}) == []


def test_not_reported_on_get_only_views(review):
    views = """
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods


@csrf_exempt
@require_GET
def feed(request):
    pass


@csrf_exempt
@require_http_methods(["GET", "HEAD"])
def feed2(request):
    pass
"""
    assert exempt(review, {"shop/views.py": views}) == []


def test_tests_and_migrations_are_skipped(review):
    views = "from django.views.decorators.csrf import csrf_exempt\n\n\n@csrf_exempt\ndef one(request):\n    pass\n"
    assert exempt(review, {"shop/tests/__init__.py": "", "shop/tests/test_views.py": views}) == []


def test_a_wrapper_around_a_parameter_is_not_judged(review):
    # what it wraps is its caller's business (DRF's own APIView.as_view() does this)
    helpers = """
from django.views.decorators.csrf import csrf_exempt


def exempt_all(view):
    return csrf_exempt(view)
"""
    assert exempt(review, {"shop/helpers.py": helpers}) == []


def test_not_reported_when_the_view_never_acts_as_the_cookies_user(review):
    # a CSP report endpoint, a metrics beacon, a webhook that looks the payment up at the
    # provider: a forged cross-site POST does nothing a direct POST could not
    views = (
        IMPORTS
        + """
logger = logging.getLogger(__name__)


@csrf_exempt
def csp_report(request):
    logger.warning("CSP violation: %s", request.body)
    return HttpResponse(status=204)


@csrf_exempt
def payment_trigger(request):
    refresh_payment(request.POST["id"])
    return HttpResponse("ok")


def refresh_payment(payment_id):
    return payment_id


@method_decorator(csrf_exempt, name="dispatch")
class Beacon(View):
    def post(self, request):
        return HttpResponse(status=204)
"""
    )
    assert exempt(review, {"shop/views.py": views}) == []


def test_not_reported_when_the_view_authenticates_by_the_authorization_header(review):
    views = (
        IMPORTS
        + """

class UserInfoView(View):
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        token = request.headers.get("Authorization")
        request.user = lookup(token)
        return super().dispatch(request, *args, **kwargs)
"""
    )
    assert exempt(review, {"shop/views.py": views}) == []


def test_reported_when_what_the_view_does_is_out_of_sight(review):
    # Django's set_language acts on the session; a third-party base class may use the user
    urls = """
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language
from graphene_django.views import GraphQLView

from shop.views import Graph

urlpatterns = [
    path("lang/", csrf_exempt(set_language)),
    path("graphql/", csrf_exempt(GraphQLView.as_view())),
    path("graph/", csrf_exempt(Graph.as_view())),
]
"""
    views = "from graphene_django.views import GraphQLView\n\n\nclass Graph(GraphQLView):\n    pass\n"
    findings = exempt(review, {"shop/urls.py": urls, "shop/views.py": views})
    assert lines(findings) == [("shop/urls.py", 10), ("shop/urls.py", 11), ("shop/urls.py", 12)]


def test_reported_through_a_project_base_that_acts_as_the_user(review):
    base = "class CartMixin:\n    def cart(self):\n        return self.request.session.get('cart')\n"
    views = (
        IMPORTS
        + """
from shop.mixins import CartMixin


@method_decorator(csrf_exempt, name="dispatch")
class CartView(CartMixin, View):
    def post(self, request):
        self.cart()
"""
    )
    assert lines(exempt(review, {"shop/views.py": views, "shop/mixins.py": base})) == [("shop/views.py", 15)]


def test_not_reported_when_the_view_checks_the_origin_itself(review):
    # python-social-auth's do_complete checks the OAuth state; a view may run Django's CSRF
    # check itself on the requests that need it
    views = """
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from social_core.actions import do_complete


@csrf_exempt
def complete(request, backend):
    return do_complete(request.backend, None, user=request.user)


class AuthorizeView(View):
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def post(self, request):
        CsrfViewMiddleware(lambda r: None)._check_token(request)
        request.session["consent"] = True
"""
    assert exempt(review, {"shop/views.py": views}) == []


def test_the_index_knows_which_functions_verify_a_signature():
    from tests.helpers import index_of

    index = index_of(
        {
            "hooks/views.py": """
import hmac
import jwt
import stripe
from slack_sdk.signature import SignatureVerifier
from twilio.request_validator import RequestValidator

from hooks.checks import check


def by_stripe(request):
    stripe.Webhook.construct_event(request.body, request.headers["Stripe-Signature"], "whsec")


def by_slack(request):
    return SignatureVerifier("s").is_valid_request(request.body, request.headers)


def by_twilio(request):
    validator = RequestValidator("token")
    return validator.validate(request.build_absolute_uri(), request.POST, request.headers["X-Twilio-Signature"])


def by_jwt(request):
    return jwt.decode(request.body, "key", algorithms=["HS256"])


def unverified_jwt(request):
    return jwt.decode(request.body, options={"verify_signature": False})


def by_helper(request):
    return check(request)


def logs_only(request):
    print(request.META["HTTP_X_HUB_SIGNATURE_256"])


class Hook:
    def post(self, request):
        return self.helper(request)

    def helper(self, request):
        return hmac.compare_digest(b"a", request.body)
""",
            "hooks/checks.py": "def check(request):\n    return verify_signature(request)\n",
        }
    )
    verifying = ("by_stripe", "by_slack", "by_twilio", "by_jwt", "by_helper", "Hook")
    for name in verifying:
        assert index.verifies_signature(f"hooks.views.{name}"), name
    assert not index.verifies_signature("hooks.views.unverified_jwt")
    assert not index.verifies_signature("hooks.views.logs_only")
    assert index.signature_headers("hooks.views.logs_only") == ("HTTP_X_HUB_SIGNATURE_256",)


def test_not_reported_on_class_based_views_without_a_post_handler(review):
    # pretalx, askbot: `View` with only get(), or patch()/delete() (a cross-site form can only
    # GET or POST, and View answers 405 to a method no handler takes)
    views = (
        IMPORTS
        + """
from django.views.generic import TemplateView


@method_decorator(csrf_exempt, name="dispatch")
class MyNotes(View):
    def get(self, request):
        return HttpResponse(request.user.username)


class NoteEdit(TemplateView):
    @method_decorator(csrf_exempt)
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)

    def patch(self, request):
        request.user.notes.update(text="")

    def delete(self, request):
        request.user.notes.all().delete()


class Base(View):
    def post(self, request):
        request.user.notes.create()


@method_decorator(csrf_exempt, name="dispatch")
class Inherited(Base):
    def get(self, request):
        return HttpResponse("")
"""
    )
    # twin: a post() from a project base
    assert lines(exempt(review, {"shop/views.py": views})) == [("shop/views.py", 38)]


def test_a_dispatch_that_answers_every_method_itself_may_take_a_post(review):
    # allauth: the SAML ACS view handles the IdP's POST in dispatch(), with no post()
    views = (
        IMPORTS
        + """

@method_decorator(csrf_exempt, name="dispatch")
class ACSView(View):
    def dispatch(self, request, *args, **kwargs):
        request.session["saml"] = request.POST.get("SAMLResponse")
        return HttpResponse("ok")
"""
    )
    assert lines(exempt(review, {"shop/views.py": views})) == [("shop/views.py", 13)]


def test_a_dispatch_that_prepares_then_hands_on_to_super_adds_no_post(review):
    # arches: APIBase.dispatch() rewrites the query, then calls super().dispatch()
    views = (
        IMPORTS
        + """

class APIBase(View):
    def dispatch(self, request, *args, **kwargs):
        request.GET = request.GET.copy()
        return super().dispatch(request, *args, **kwargs)


@method_decorator(csrf_exempt, name="dispatch")
class Concepts(APIBase):
    def get(self, request):
        return HttpResponse(request.user.username)
"""
    )
    assert exempt(review, {"shop/views.py": views}) == []


def test_an_oauth_callback_whose_state_requests_oauthlib_checks(review):
    # arches: the callback's session is made with the `state` kept in the user's session, and
    # fetch_token() refuses a response whose `state` differs (as python-social-auth does)
    views = """
from django.contrib.auth import login
from django.shortcuts import redirect
from django.views.decorators.csrf import csrf_exempt
from requests_oauthlib import OAuth2Session


@csrf_exempt
def oauth_callback(request):
    oauth = OAuth2Session("client", state=request.session["oauth_state"])
    token = oauth.fetch_token("https://idp/token", authorization_response=request.build_absolute_uri())
    login(request, token)
    return redirect("/")
"""
    assert exempt(review, {"shop/views.py": views}) == []
    # the twin: no state to compare
    stateless = views.replace(', state=request.session["oauth_state"]', "")
    assert lines(exempt(review, {"shop/views.py": stateless})) == [("shop/views.py", 8)]


def test_only_what_a_forged_post_reaches_decides_whether_the_view_acts_as_the_user(review):
    # django-cas-ng: get() logs the user in; post() is the CAS server's back channel and reads
    # only the body. A cross-site POST reaches post(); a GET was never CSRF-checked.
    views = """
from django.contrib.auth import login
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from shop.models import Ticket


@method_decorator(csrf_exempt, name="dispatch")
class Callback(View):
    def get(self, request):
        login(request, Ticket.objects.get(key=request.GET["ticket"]).user)
        return HttpResponse(request.user.get_username())

    def post(self, request):
        Ticket.objects.filter(key=request.POST.get("key", "")).delete()
        return HttpResponse("ok")
"""
    models = "from django.db import models\n\nclass Ticket(models.Model):\n    key = models.CharField(max_length=9)\n"
    assert exempt(review, {"shop/views.py": views, "shop/models.py": models}) == []
    # the twin: post() hands on to get(), which acts as the user
    handing_on = views.replace(
        '        Ticket.objects.filter(key=request.POST.get("key", "")).delete()\n        return HttpResponse("ok")',
        "        return self.get(request)",
    )
    assert lines(exempt(review, {"shop/views.py": handing_on, "shop/models.py": models})) == [("shop/views.py", 11)]


def test_webauthn_and_saml_responses_checked_against_the_session_are_verified(review):
    # django-mfa2 (python-fido2), djangosaml2 (pysaml2): the response must sign the challenge or
    # answer the request kept in the session, which a cross-site page cannot read
    views = """
import json

from django.contrib.auth import login
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from shop.auth import server, saml_client


@csrf_exempt
def finish_registration(request):
    data = json.loads(request.body)
    auth_data = server.register_complete(request.session.pop("state"), response=data)
    request.user.keys.create(data=str(auth_data.credential_data))
    return JsonResponse({"ok": True})


@csrf_exempt
def acs(request):
    response = saml_client().parse_authn_request_response(
        request.POST["SAMLResponse"], "post", request.session.get("outstanding", {})
    )
    login(request, response.get_subject().text)
    return JsonResponse({"ok": True})


@csrf_exempt
def unchecked(request):
    request.user.keys.create(data=request.body.decode())
    return JsonResponse({"ok": True})
"""
    assert lines(exempt(review, {"shop/views.py": views, "shop/auth.py": "server = None\n"})) == [("shop/views.py", 28)]


def test_a_view_that_runs_django_s_csrf_check_itself_or_a_wrapper_that_authenticates_by_header(review):
    # django-oauth-toolkit: the permission re-runs CsrfViewMiddleware for cookie requests;
    # django-oscar-accounts: `csrf_exempt(basicauth(view))` answers 401 without HTTP Basic
    views = """
import base64

from django.contrib.auth import authenticate
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def register(request):
    reason = CsrfViewMiddleware(lambda r: None).process_view(request, None, (), {})
    if reason:
        return reason
    request.user.clients.create(name=request.POST["name"])
    return HttpResponse("ok")


def view_or_basicauth(view, request, *args, **kwargs):
    header = request.META.get("HTTP_AUTHORIZATION", "")
    user = authenticate(request, *base64.b64decode(header[6:]).decode().split(":", 1))
    if user is None:
        return HttpResponse(status=401)
    request.user = user
    return view(request, *args, **kwargs)


def basicauth(view):
    def wrapped(request, *args, **kwargs):
        return view_or_basicauth(view, request, *args, **kwargs)
    return wrapped


def logged_in(view):
    return view


def transfer(request):
    request.user.accounts.create(name=request.POST["name"])
    return HttpResponse("ok")


api = csrf_exempt(basicauth(transfer))
browser = csrf_exempt(logged_in(transfer))
"""
    assert lines(exempt(review, {"shop/views.py": views})) == [("shop/views.py", 44)]


def test_an_lti_launch_pylti1p3_validates(review):
    # django-lti: an LTI 1.3 launch is a cross-site form_post by design; pylti1p3 checks the
    # id_token's signature against the platform's keys, the state cookie and the nonce
    views = """
from django.contrib.auth import login
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from pylti1p3.contrib.django import DjangoMessageLaunch

from shop.lti import tool_conf


@csrf_exempt
def launch(request):
    message_launch = DjangoMessageLaunch(request, tool_conf())
    data = message_launch.get_launch_data()
    login(request, data["sub"])
    return HttpResponse("ok")


@csrf_exempt
def unchecked_launch(request):
    login(request, request.POST["sub"])
    return HttpResponse("ok")
"""
    assert lines(exempt(review, {"shop/views.py": views, "shop/lti.py": "def tool_conf():\n    return None\n"})) == [
        ("shop/views.py", 18)
    ]


def test_a_saml_response_python3_saml_processes(review):
    # set E: OneLogin_Saml2_Auth(...).process_response() checks the IdP's signature
    views = """
from django.contrib.auth import login
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from onelogin.saml2.auth import OneLogin_Saml2_Auth


@csrf_exempt
def acs(request):
    auth = OneLogin_Saml2_Auth({"post_data": request.POST}, {})
    auth.process_response()
    login(request, auth.get_nameid())
    return HttpResponse("ok")


@csrf_exempt
def unchecked(request):
    login(request, request.POST["name"])
    return HttpResponse("ok")
"""
    assert lines(exempt(review, {"shop/views.py": views})) == [("shop/views.py", 16)]


SIGNER = """
import base64
import hashlib
import hmac

from django.conf import settings


def sign(params):
    message = "{}:{}".format(params.get("ref", ""), params.get("amount", "")).encode()
    return base64.b64encode(hmac.new(settings.HOOK_KEY, message, hashlib.sha256).digest()).decode()


def describe(params):
    return "{}:{}".format(params.get("ref", ""), params.get("amount", ""))
"""
SIGNED_HOOK = """
import json

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from .signing import {helper}


@csrf_exempt
def hook(request):
    item = json.loads(request.body)
    if item.get("hmacSignature") == {helper}(item):
        request.session["paid"] = item["ref"]
    return HttpResponse("ok")
"""


def test_a_signature_compared_with_a_project_function_that_computes_the_hmac(review):
    """djadyen: the payload's signature is compared with `==` to an HMAC a project function in
    another module computes: that is verifying. A comparison with a function that computes no
    HMAC is not."""
    files = {"shop/signing.py": SIGNER}
    assert exempt(review, {**files, "shop/views.py": SIGNED_HOOK.format(helper="sign")}) == []
    findings = exempt(review, {**files, "shop/views.py": SIGNED_HOOK.format(helper="describe")})
    assert codes_lines(findings) == [("DJR403", "shop/views.py", 10)]


METHOD_GUARDS = """
from functools import wraps

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods


def allow(methods):
    def decorate(view):
        @wraps(view)
        def inner(request, *args, **kwargs):
            if request.method.lower() not in methods:
                return JsonResponse({}, status=405)
            return view(request, *args, **kwargs)

        return inner

    return decorate


@allow(["get"])
@csrf_exempt
def my_invites(request):
    return JsonResponse({"user": request.user.pk})


@csrf_exempt
@require_http_methods(["PATCH"])
def rename(request):
    request.user.first_name = request.body.decode()[:30]
    request.user.save()
    return JsonResponse({})


@csrf_exempt
@allow(["get", "post"])
def invite(request):
    request.session["invited"] = True
    return JsonResponse({})
"""


def test_views_a_cross_site_form_cannot_post_to(review):
    """A project guard given a list of methods, and `require_http_methods` without POST: a
    hostile page can only GET or POST across sites (PATCH needs a CORS preflight), unless the
    settings let any origin send credentials."""
    findings = exempt(review, {"shop/views.py": METHOD_GUARDS})
    assert codes_lines(findings) == [("DJR403", "shop/views.py", 36)]
    cors = 'INSTALLED_APPS = ["shop"]\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n'
    findings = exempt(review, {"shop/views.py": METHOD_GUARDS, "proj/__init__.py": "", "proj/settings.py": cors})
    assert codes_lines(findings) == [("DJR403", "shop/views.py", 28), ("DJR403", "shop/views.py", 36)]


BEARER = """
from django.http import JsonResponse


class BearerOnly:
    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, args, kwargs):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            return JsonResponse({}, status=401)
        request.user = user_for(header[7:])
        return None


class Timing:
    def __init__(self, get_response):
        self.get_response = get_response

    def process_view(self, request, view_func, args, kwargs):
        request.started = 1
        return None
"""
BEARER_VIEW = """
from django.http import JsonResponse
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt

from .middleware import {middleware}


@csrf_exempt
@decorator_from_middleware({middleware})
def add_note(request):
    request.user.notes.create(text=request.POST.get("text", ""))
    return JsonResponse({{}})
"""


def test_a_view_behind_a_middleware_that_authenticates_by_the_authorization_header(review):
    files = {"shop/middleware.py": BEARER}
    assert exempt(review, {**files, "shop/views.py": BEARER_VIEW.format(middleware="BearerOnly")}) == []
    findings = exempt(review, {**files, "shop/views.py": BEARER_VIEW.format(middleware="Timing")})
    assert codes_lines(findings) == [("DJR403", "shop/views.py", 9)]


KEY_WRAPPER = """
from functools import wraps

from django.http import JsonResponse


def key_is_valid(request):
    key = request.META.get("{header}")
    return bool(key) and key in request.site_keys


def storefront_view(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not key_is_valid(request):
            return JsonResponse({{"error": "invalid key"}}, status=400)
        return view(request, *args, **kwargs)

    return wrapped
"""
KEY_VIEW = """
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .decorators import storefront_view


@csrf_exempt
@storefront_view
def add_to_cart(request):
    request.session["cart"] = request.POST.get("item")
    return JsonResponse({})
"""


def test_a_wrapper_requiring_a_custom_key_header(review):
    """A project decorator answering 400 unless `X-Api-Key` holds a key: a cross-site form
    cannot send a custom header. A wrapper reading an unrelated header proves nothing."""
    keyed = {"shop/decorators.py": KEY_WRAPPER.format(header="HTTP_X_API_KEY"), "shop/views.py": KEY_VIEW}
    assert exempt(review, keyed) == []
    forwarded = {"shop/decorators.py": KEY_WRAPPER.format(header="HTTP_X_FORWARDED_FOR"), "shop/views.py": KEY_VIEW}
    assert codes_lines(exempt(review, forwarded)) == [("DJR403", "shop/views.py", 8)]


SDK_HOOK = """
import json
import logging

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from paynow_sdk import PayNow


@csrf_exempt
def paynow_notify(request):
    body = json.loads(request.body)
    header = request.headers.get("Signature")
    expected = PayNow().authorization.calculate_signature(body=body)
    {check}
    request.session["paid"] = body["paymentId"]
    return HttpResponse("ok")
"""


def test_a_signature_compared_with_an_sdk_s_calculate_signature(review):
    compared = SDK_HOOK.format(check='if expected != header:\n        return HttpResponse("bad", status=400)')
    assert exempt(review, {"shop/views.py": compared}) == []
    logged = SDK_HOOK.format(check='logging.info("signature %s, expected %s", header, expected)')
    assert codes_lines(exempt(review, {"shop/views.py": logged})) == [("DJR403", "shop/views.py", 10)]


def test_a_class_view_whose_post_answers_as_get(review):
    # dartcms's page tree: `csrf_exempt(GetTreeView.as_view())`, whose `post()` returns
    # `self.get(...)` of a login-required ListView: a forged POST reads what a link would, and
    # the answer stays with the other origin. The twin's post() deletes a page
    views = """
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import JsonResponse
from django.views.generic import ListView


class TreeView(LoginRequiredMixin, ListView):
    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def render_to_response(self, context, **kwargs):
        return JsonResponse([p.pk for p in context["object_list"]], safe=False)
"""
    urls = """
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from shop.views import TreeView

urlpatterns = [path("tree/", csrf_exempt(TreeView.as_view()))]
"""
    assert exempt(review, {"shop/views.py": views, "shop/urls.py": urls}) == []
    deleting = views.replace(
        "        return self.get(request, *args, **kwargs)",
        "        self.get_queryset().filter(pk=request.POST['pk']).delete()\n        return self.get(request, *args, **kwargs)",
    )
    assert lines(exempt(review, {"shop/views.py": deleting, "shop/urls.py": urls})) == [("shop/urls.py", 7)]


def test_a_template_view_whose_post_answers_as_get_runs_hooks_that_may_write(review):
    # dartcms's tree actions: `post()` returns `self.get()` of a TemplateView whose
    # get_context_data() moves pages; only Django's display views (ListView, DetailView) read
    views = """
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView


class MoveView(LoginRequiredMixin, TemplateView):
    def post(self, request, *args, **kwargs):
        return self.get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        move_page(self.request.GET["source"], self.request.GET["target"])
        return {}
"""
    urls = """
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from shop.views import MoveView

urlpatterns = [path("move/", csrf_exempt(MoveView.as_view()))]
"""
    assert lines(exempt(review, {"shop/views.py": views, "shop/urls.py": urls})) == [("shop/urls.py", 7)]


def test_a_view_that_turns_away_requests_without_the_ajax_header(review):
    # tabbycat's `@require_AJAX` returns 400 unless `X-Requested-With: XMLHttpRequest` came with
    # the request: a cross-site form cannot send that header. The twin only branches on it
    decorators = """
import functools

from django.http import HttpResponseBadRequest


def require_ajax(view):
    @functools.wraps(view)
    def wrap(request, *args, **kwargs):
        if request.headers.get("x-requested-with") != "XMLHttpRequest":
            return HttpResponseBadRequest("AJAX only")
        return view(request, *args, **kwargs)

    return wrap
"""
    views = (
        IMPORTS
        + """
from shop.decorators import require_ajax


@csrf_exempt
@require_ajax
def update_cart(request):
    request.session["cart"] = request.POST["items"]
    return HttpResponse("ok")


@csrf_exempt
def save_note(request):
    if not request.is_ajax():
        raise ValueError("AJAX only")
    request.session["note"] = request.POST["note"]
    return HttpResponse("ok")
"""
    )
    assert exempt(review, {"shop/views.py": views, "shop/decorators.py": decorators}) == []
    branching = decorators.replace('!= "XMLHttpRequest"', '== "XMLHttpRequest"')
    twin = views.replace("if not request.is_ajax():", "if request.is_ajax():")
    findings = exempt(review, {"shop/views.py": twin, "shop/decorators.py": branching})
    assert codes_lines(findings) == [("DJR403", "shop/views.py", 15), ("DJR403", "shop/views.py", 22)]


def test_a_view_that_sets_the_user_from_its_own_token_does_not_act_as_the_cookies(review):
    # recipes' Telegram hook finds its bot by the URL's token and sets `request.user` to the
    # bot's owner before writing. The twin writes as the cookies' user
    views = (
        IMPORTS
        + """
from django.shortcuts import get_object_or_404

from shop.models import Bot


@csrf_exempt
def hook(request, token):
    bot = get_object_or_404(Bot, token=token)
    request.user = bot.owner
    request.user.notes.create(text=request.body.decode())
    return HttpResponse("ok")
"""
    )
    assert exempt(review, {"shop/views.py": views}) == []
    cookies = views.replace("    request.user = bot.owner\n", "")
    assert codes_lines(exempt(review, {"shop/views.py": cookies})) == [("DJR403", "shop/views.py", 17)]


def test_an_oauth2_token_endpoint_is_for_clients_not_browsers(review):
    # lookit-api routes `csrf_exempt(views.TokenView.as_view())` from django-oauth-toolkit: OAuth2
    # clients post there with their own credentials. graphene's GraphQLView stays reported
    urls = """
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView
from oauth2_provider import views

urlpatterns = [
    path("token/", csrf_exempt(views.TokenView.as_view())),
    path("revoke/", csrf_exempt(views.RevokeTokenView.as_view())),
    path("graphql/", csrf_exempt(GraphQLView.as_view())),
]
"""
    assert lines(exempt(review, {"shop/urls.py": urls})) == [("shop/urls.py", 10)]


def test_a_project_subclass_of_an_oauth2_token_endpoint(review):
    # cla_backend routes `csrf_exempt(views.AccessTokenView.as_view())`, its own throttled
    # subclass of django-oauth-toolkit's TokenView. The twin subclasses GraphQLView
    views = """
from graphene_django.views import GraphQLView
from oauth2_provider.views import TokenView


class ThrottledTokenView(TokenView):
    max_attempts = 5


class ShopGraphQLView(GraphQLView):
    graphiql = True
"""
    urls = """
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from shop import views

urlpatterns = [
    path("token/", csrf_exempt(views.ThrottledTokenView.as_view())),
    path("graphql/", csrf_exempt(views.ShopGraphQLView.as_view())),
]
"""
    assert lines(exempt(review, {"shop/views.py": views, "shop/urls.py": urls})) == [("shop/urls.py", 9)]


def test_a_class_view_whose_post_only_redirects_changes_nothing(review):
    # mediacms's React pages: `post()` returns `redirect(request.build_absolute_uri())`, "there
    # is never a reason to POST here"; a project decorator on dispatch reads the user's profile.
    # The twin's post stores what it is sent in the session first
    decorators = """
from functools import wraps

from django.shortcuts import redirect


def profile_filled(func):
    @wraps(func)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_anonymous and not request.user.profile.filled_out:
            return redirect("/profile/")
        return func(request, *args, **kwargs)

    return wrapper
"""
    views = (
        IMPORTS
        + """
from django.shortcuts import redirect, render

from shop.decorators import profile_filled


class ReactView(View):
    def get_context(self, request):
        return {"user": request.user.username}

    def get(self, request):
        return render(request, "dashboard.html", self.get_context(request))

    def post(self, request):
        return redirect(request.build_absolute_uri())


@method_decorator(profile_filled, name="dispatch")
@method_decorator(csrf_exempt, name="dispatch")
class DashboardView(ReactView):
    pass
"""
    )
    files = {"shop/views.py": views, "shop/decorators.py": decorators}
    assert exempt(review, files) == []
    acts = views.replace(
        "        return redirect(request.build_absolute_uri())",
        '        request.session["last"] = request.POST["q"]\n        return redirect(request.build_absolute_uri())',
    )
    assert codes_lines(exempt(review, {**files, "shop/views.py": acts})) == [("DJR403", "shop/views.py", 30)]


def test_a_view_a_package_s_decorator_answers_is_out_of_sight(review):
    # socialhome: `@method_decorator(activitypub_object_view, name="dispatch")` on an empty
    # `View`: federation serves the object and takes signed inbox POSTs from other servers.
    # The twins: the same shape with the project's own decorator, and a view with a handler of
    # its own
    views = """
from django.utils.decorators import method_decorator
from django.views import View
from federation.entities.activitypub.django.views import activitypub_object_view

from shop.wrappers import own_view


@method_decorator(activitypub_object_view, name="dispatch")
class ProfileView(View):
    pass


@method_decorator(own_view, name="dispatch")
class OwnView(View):
    pass

"""
    posting = """
from django.utils.decorators import method_decorator
from django.views import View
from federation.entities.activitypub.django.views import activitypub_object_view


@method_decorator(activitypub_object_view, name="dispatch")
class PostingView(View):
    def post(self, request):
        request.user.profile.save()
"""
    wrappers = """
def own_view(func):
    def inner(request, *args, **kwargs):
        request.session["seen"] = True
        return func(request, *args, **kwargs)

    return inner
"""
    urls = """
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from shop import posting, views

urlpatterns = [
    path("u/", csrf_exempt(views.ProfileView.as_view())),
    path("o/", csrf_exempt(views.OwnView.as_view())),
    path("p/", csrf_exempt(posting.PostingView.as_view())),
]
"""
    files = {"shop/views.py": views, "shop/posting.py": posting, "shop/wrappers.py": wrappers, "shop/urls.py": urls}
    assert lines(exempt(review, files)) == [("shop/urls.py", 9), ("shop/urls.py", 10)]


def test_a_saml_logout_whose_auth_object_a_project_helper_builds_verifies(review):
    # mediacms: `auth = build_auth(request, provider)` (returns OneLogin_Saml2_Auth(...)), then
    # `auth.process_slo(...)`. The twin's helper builds some other object
    helpers = """
from onelogin.saml2.auth import OneLogin_Saml2_Auth


def build_auth(request, settings):
    return OneLogin_Saml2_Auth({"post_data": request.POST.copy()}, settings)


def build_other(request, settings):
    return settings.get(request.path)
"""
    views = """
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.views.decorators.csrf import csrf_exempt

from shop.saml import build_auth, build_other


@csrf_exempt
def single_logout(request):
    auth = build_auth(request, {})
    return HttpResponseRedirect(auth.process_slo(delete_session_cb=lambda: logout(request)) or "/")


@csrf_exempt
def other_logout(request):
    auth = build_other(request, {})
    return HttpResponseRedirect(auth.process_slo(delete_session_cb=lambda: logout(request)) or "/")
"""
    findings = exempt(review, {"shop/saml.py": helpers, "shop/views.py": views})
    assert lines(findings) == [("shop/views.py", 15)]


def test_an_lti_launch_whose_oauth_signature_oauthlib_validates(review):
    # marsha's LTI 1.1 launch: oauthlib's `SignatureOnlyEndpoint(...).validate_request(...)`.
    # The twin only reads the consumer key
    helper = """
from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint


def check_launch(request):
    endpoint = SignatureOnlyEndpoint(RequestValidator())
    valid, _ = endpoint.validate_request(request.build_absolute_uri(), request.method, body=request.body)
    if not valid:
        raise PermissionError("bad LTI signature")


def read_launch(request):
    return request.POST.get("oauth_consumer_key")
"""
    views = """
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt

from shop.lti import check_launch, read_launch


@csrf_exempt
def launch(request):
    check_launch(request)
    request.session["lti_user"] = request.POST.get("user_id")
    return HttpResponse("ok")


@csrf_exempt
def unsigned_launch(request):
    read_launch(request)
    request.session["lti_user"] = request.POST.get("user_id")
    return HttpResponse("ok")
"""
    assert lines(exempt(review, {"shop/lti.py": helper, "shop/views.py": views})) == [("shop/views.py", 15)]


def test_a_verifier_object_made_in_the_view_and_a_simplejwt_token_from_the_form(review):
    # marsha: `self.lti = LTI(request)` then `self.lti.verify()`, whose method runs oauthlib's
    # check; and `FormToken(request.POST["jwt"])`, a simplejwt AccessToken subclass, which checks
    # the token's signature when made from a string. The twins call another method of the LTI
    # object, make the token from a cookie (librephotos: the browser sends it with a forged
    # request), and make a token class of their own
    lti = """
from oauthlib.oauth1 import RequestValidator, SignatureOnlyEndpoint


class Launch:
    def __init__(self, request):
        self.request = request

    def verify(self):
        endpoint = SignatureOnlyEndpoint(RequestValidator())
        valid, _ = endpoint.validate_request(self.request.build_absolute_uri(), "POST", body=self.request.body)
        if not valid:
            raise PermissionError("bad LTI signature")

    def describe(self):
        return self.request.POST.get("oauth_consumer_key")
"""
    tokens = """
from rest_framework_simplejwt.tokens import AccessToken


class FormToken(AccessToken):
    token_type = "form"


class PlainToken:
    def __init__(self, text):
        self.text = text
"""
    views = """
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from shop.lti import Launch
from shop.tokens import FormToken, PlainToken


@method_decorator(csrf_exempt, name="dispatch")
class LaunchView(View):
    def post(self, request):
        self._start()
        request.session["lti_user"] = request.POST.get("user_id")
        return HttpResponse("ok")

    def _start(self):
        self.launch = Launch(self.request)
        self.launch.verify()


@method_decorator(csrf_exempt, name="dispatch")
class PeekView(View):
    def post(self, request):
        launch = Launch(request)
        launch.describe()
        request.session["lti_user"] = request.POST.get("user_id")
        return HttpResponse("ok")


@csrf_exempt
def respond(request):
    token = FormToken(request.POST.get("jwt", ""))
    request.session["picked"] = token.payload.get("item")
    return HttpResponse("ok")


@csrf_exempt
def respond_cookie(request):
    token = FormToken(request.COOKIES.get("jwt", ""))
    request.session["picked"] = token.payload.get("item")
    return HttpResponse("ok")


@csrf_exempt
def respond_plain(request):
    token = PlainToken(request.POST.get("jwt", ""))
    request.session["picked"] = token.text
    return HttpResponse("ok")
"""
    files = {"shop/lti.py": lti, "shop/tokens.py": tokens, "shop/views.py": views}
    assert lines(exempt(review, files)) == [("shop/views.py", 23), ("shop/views.py", 39), ("shop/views.py", 46)]


def test_a_project_mixin_that_never_names_the_user_does_not_hide_the_django_view(review):
    # yournextrepresentative's postcode search: `HomePageView(ContributorsMixin, FormView)`,
    # the mixin building leaderboards in a module that imports the User model and names no
    # request, session or login. The twin's mixin keeps the search in the session
    mixins = """
from django.contrib.auth.models import User


class SidebarMixin:
    def leaders(self):
        return User.objects.order_by("-date_joined")[:5]
"""
    session_mixins = """
class SidebarMixin:
    def leaders(self):
        return self.request.session.get("recent", [])
"""
    views = """
from django import forms
from django.http import HttpResponseRedirect
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView

from shop.mixins import SidebarMixin


class SearchForm(forms.Form):
    q = forms.CharField()


class FinderView(SidebarMixin, FormView):
    form_class = SearchForm
    template_name = "finder.html"

    @method_decorator(csrf_exempt)
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)

    def form_valid(self, form):
        return HttpResponseRedirect("/area/" + form.cleaned_data["q"])
"""
    assert exempt(review, {"shop/mixins.py": mixins, "shop/views.py": views}) == []
    findings = exempt(review, {"shop/mixins.py": session_mixins, "shop/views.py": views})
    assert lines(findings) == [("shop/views.py", 19)]


def test_a_function_view_that_only_renders_or_redirects_changes_nothing_when_forged(review):
    # bootcamp-ecommerce's landing page is exempt because the payment processor posts back to
    # it, and it only redirects a logged-in user or renders the page: a forged POST gets what
    # a link would; so does concordia's JSON session status under Django's cache_control. The
    # twins read the posted form, store in the session, consume the flash messages, or call a
    # function of the project (which may write)
    views = """
from django.contrib.messages import get_messages
from django.http import JsonResponse
from django.shortcuts import redirect, render, reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_exempt

from shop.orders import record_visit


@csrf_exempt
def landing(request):
    if request.user.is_authenticated:
        target = reverse("dashboard")
        if request.GET:
            target = "{}?{}".format(target, request.GET.urlencode())
        return redirect(target)
    return render(request, "landing.html")


@csrf_exempt
def posted(request):
    return render(request, "landing.html", {"name": request.POST.get("name", ""), "user": request.user})


@csrf_exempt
def remembered(request):
    request.session["seen_landing"] = True
    return render(request, "landing.html")


@cache_control(private=True, max_age=60)
@csrf_exempt
def session_status(request):
    if not request.user.is_authenticated:
        return JsonResponse({})
    return JsonResponse({"username": request.user.get_username()[:15], "staff": request.user.is_staff})


@csrf_exempt
def flashes(request):
    return JsonResponse({"messages": [str(m) for m in get_messages(request)], "user": request.user.pk})


@csrf_exempt
def counted(request):
    record_visit(request.user)
    return render(request, "landing.html")
"""
    orders = "def record_visit(user):\n    user.visits += 1\n    user.save()\n"
    findings = exempt(review, {"shop/views.py": views, "shop/orders.py": orders})
    assert codes_lines(findings) == [
        ("DJR403", "shop/views.py", 21),
        ("DJR403", "shop/views.py", 26),
        ("DJR403", "shop/views.py", 40),
        ("DJR403", "shop/views.py", 45),
    ]


def test_a_payment_return_view_that_validates_the_processor_response(review):
    # mitxonline's checkout callback: mitol's `PaymentGateway.validate_processor_response()`
    # checks CyberSource's signed fields and the view answers 403 when it fails. The twin
    # processes the response without validating it
    views = """
from django.http import HttpResponse, HttpResponseForbidden
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from paygate.api import PaymentGateway


@method_decorator(csrf_exempt, name="dispatch")
class CheckoutCallback(View):
    def post(self, request):
        if not PaymentGateway.validate_processor_response("cybersource", request):
            return HttpResponseForbidden()
        request.user.orders.filter(ref=request.POST["ref"]).update(paid=True)
        return HttpResponse("ok")


@method_decorator(csrf_exempt, name="dispatch")
class UncheckedCallback(View):
    def post(self, request):
        PaymentGateway.get_formatted_response("cybersource", request)
        request.user.orders.filter(ref=request.POST["ref"]).update(paid=True)
        return HttpResponse("ok")
"""
    findings = exempt(review, {"shop/views.py": views})
    assert codes_lines(findings) == [("DJR403", "shop/views.py", 18)]


def test_a_signature_compared_with_a_signer_s_result_held_in_a_local(review):
    # foundation.mozilla.org's Tito webhook: `signed = sign_ticket_request(secret, body)`, a
    # base64 HMAC, then `return signature == signed`. The twin compares with a stored token
    # looked up by a plain function
    views = """
import base64
import hashlib
import hmac

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt


def sign(secret, content):
    return base64.b64encode(hmac.new(secret, content, digestmod=hashlib.sha256).digest()).decode()


def stored_token(request):
    return request.user.profile.token


def valid(request):
    signed = sign(b"key", request.body)
    return request.headers.get("ticket-signature", "") == signed


def known(request):
    expected = stored_token(request)
    return request.headers.get("ticket-token", "") == expected


@csrf_exempt
def signed_hook(request):
    if not valid(request):
        return HttpResponseBadRequest()
    request.user.orders.create(reference=request.POST["reference"])
    return HttpResponse(status=204)


@csrf_exempt
def token_hook(request):
    if not known(request):
        return HttpResponseBadRequest()
    request.user.orders.create(reference=request.POST["reference"])
    return HttpResponse(status=204)
"""
    assert codes_lines(exempt(review, {"shop/views.py": views})) == [("DJR403", "shop/views.py", 36)]


def test_a_view_running_a_csrf_protected_inner_view_on_the_request_checks_csrf_itself(review):
    """froide's MakeRequestView: `@csrf_protect def fake_view(request)` (their csrf_protect is
    `decorator_from_middleware(CsrfViewMiddleware)`, the class configurable) run on the
    request decides whether the form goes on. The twin without the check is reported."""
    views = """
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect


@method_decorator(csrf_exempt, name="dispatch")
class MakeRequest(View):
    def csrf_valid(self):
        @csrf_protect
        def fake_view(request):
            return None

        return not bool(fake_view(self.request))

    def post(self, request):
        if not self.csrf_valid():
            return HttpResponse("Please confirm your form submission", status=400)
        request.user.requests.create(title=request.POST["title"])
        return HttpResponse("ok")


@method_decorator(csrf_exempt, name="dispatch")
class QuickRequest(View):
    def post(self, request):
        request.user.requests.create(title=request.POST["title"])
        return HttpResponse("ok")
"""
    assert lines(exempt(review, {"shop/views.py": views})) == [("shop/views.py", 24)]


def test_a_function_named_for_checking_a_signed_payload_verifies(review):
    # zentral's MDM views: `verify_signed_payload(request.body, signature)` checks the CMS
    # signature of the `Mdm-Signature` header before anything is done. The twin only asks
    # whether the user is signed in
    views = """
from django.http import HttpResponse, HttpResponseForbidden
from django.views.decorators.csrf import csrf_exempt
from mdm.crypto import verify_signed_payload
from mdm.session import check_signed_in


@csrf_exempt
def checkin(request):
    try:
        verify_signed_payload(request.body, request.headers["Mdm-Signature"])
    except ValueError:
        return HttpResponseForbidden()
    request.user.devices.filter(udid=request.POST["udid"]).update(seen=True)
    return HttpResponse("ok")


@csrf_exempt
def connect(request):
    if not check_signed_in(request):
        return HttpResponseForbidden()
    request.user.devices.filter(udid=request.POST["udid"]).update(seen=True)
    return HttpResponse("ok")
"""
    findings = exempt(review, {"shop/views.py": views})
    assert codes_lines(findings) == [("DJR403", "shop/views.py", 18)]


def test_a_saml_callback_whose_auth_object_a_mixin_method_builds_verifies(review):
    # jumpserver's Saml2AuthCallbackView: `saml_instance = self.init_saml_auth(request)`, a
    # method of its PrepareRequestMixin returning OneLogin_Saml2_Auth(...), then
    # `saml_instance.process_response(...)`. The twin's mixin method builds some other object
    views = """
from django.http import HttpResponseRedirect
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from onelogin.saml2.auth import OneLogin_Saml2_Auth


class SamlMixin:
    def init_saml_auth(self, request):
        return OneLogin_Saml2_Auth({"post_data": request.POST.copy()}, custom_base_path="/etc/saml")


class OtherMixin:
    def init_saml_auth(self, request):
        return request.session.get("auth")


@method_decorator(csrf_exempt, name="dispatch")
class SamlCallback(View, SamlMixin):
    def post(self, request):
        auth = self.init_saml_auth(request)
        auth.process_response(request_id=request.session.get("id"))
        return HttpResponseRedirect("/")


@method_decorator(csrf_exempt, name="dispatch")
class OtherCallback(View, OtherMixin):
    def post(self, request):
        auth = self.init_saml_auth(request)
        auth.process_response(request_id=request.session.get("id"))
        return HttpResponseRedirect("/")
"""
    findings = exempt(review, {"shop/views.py": views})
    assert lines(findings) == [("shop/views.py", 27)]


def test_csrf_exempt_read_views_of_smartmin_take_no_post(review):
    # ureport: `csrf_exempt(PollQuestionResultsView.as_view())` of a smartmin `SmartReadView`,
    # and `@method_decorator(csrf_exempt)` on the dispatch of a `SmartTemplateView` with only
    # `get()`: neither base has a post(), nor the project's `RedirectConfigMixin(object)`, so a
    # POST gets 405. The twin is a smartmin form view
    views = """
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from smartmin.views import SmartFormView, SmartReadView, SmartTemplateView


class OrgMixin(object):
    def has_permission(self, request, *args, **kwargs):
        return request.org is not None


class Results(OrgMixin, SmartReadView):
    def render_to_response(self, context, **kwargs):
        return JsonResponse({"title": self.object.title})


class Count(SmartTemplateView):
    @method_decorator(csrf_exempt)
    def dispatch(self, *args, **kwargs):
        return super().dispatch(*args, **kwargs)

    def get(self, request, *args, **kwargs):
        return JsonResponse({"count": request.user.pk})


class Vote(SmartFormView):
    pass
"""
    urls = """
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from shop.views import Count, Results, Vote

urlpatterns = [
    path("r/", csrf_exempt(Results.as_view())),
    path("c/", Count.as_view()),
    path("v/", csrf_exempt(Vote.as_view())),
]
"""
    findings = exempt(review, {"shop/views.py": views, "shop/urls.py": urls})
    assert lines(findings) == [("shop/urls.py", 10)]


def test_a_view_that_only_accepts_a_user_class_no_session_loads(review):
    # openhexa's Airflow webhooks: `if not isinstance(request.user, DAGRunUser): return 401`,
    # a plain class only its middleware makes from a signed Bearer token; a session's cookie
    # loads the user model, which never passes. The twin requires the user model's subclass
    auth = """
from django.contrib.auth.models import AbstractUser


class RunUser:
    is_authenticated = True

    def __init__(self, run):
        self.run = run


class Member(AbstractUser):
    pass
"""
    views = """
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from shop.auth import Member, RunUser


@csrf_exempt
def run_progress(request):
    if not isinstance(request.user, RunUser):
        return JsonResponse({}, status=401)
    request.user.run.progress = int(request.POST["progress"])
    request.user.run.save()
    return JsonResponse({})


@csrf_exempt
def member_progress(request):
    if not isinstance(request.user, Member):
        return JsonResponse({}, status=401)
    request.user.progress = int(request.POST["progress"])
    request.user.save()
    return JsonResponse({})
"""
    findings = exempt(review, {"shop/auth.py": auth, "shop/views.py": views})
    assert lines(findings) == [("shop/views.py", 17)]
