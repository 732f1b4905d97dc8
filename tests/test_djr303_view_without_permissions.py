"""DJR303 view-without-permissions: DRF views anyone may call."""

from __future__ import annotations

from tests.helpers import DRF_BOOK_MODEL, DRF_BOOK_SERIALIZER, codes_lines, fixed

SETTINGS = """
INSTALLED_APPS = ["shop"]
REST_FRAMEWORK = {"PAGE_SIZE": 20, "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination"}
"""
LOCKED_SETTINGS = """
REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}
"""
SERIALIZERS = (
    DRF_BOOK_SERIALIZER
    + """

User = get_user_model()


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["username", "password"]
        extra_kwargs = {"password": {"write_only": True}}
"""
).replace(
    "from rest_framework import serializers\n",
    "from django.contrib.auth import get_user_model\nfrom rest_framework import serializers\n",
)
URLS = """
from django.urls import path

from . import views

urlpatterns = [path("x/", views.BookList.as_view())]
"""


def project(views: str, settings: str = SETTINGS, **more) -> dict[str, str]:
    files = {
        "proj/__init__.py": "",
        "proj/settings.py": settings,
        "shop/__init__.py": "",
        "shop/models.py": DRF_BOOK_MODEL,
        "shop/serializers.py": SERIALIZERS,
        "shop/views.py": views,
    }
    files.update(more)
    return files


def permissions(review, files):
    return review(files, select=("DJR303",))


OPEN_LIST = """
from rest_framework import generics

from .models import Book
from .serializers import BookSerializer


class BookList(generics.ListCreateAPIView):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
"""


def test_reports_a_view_without_permissions_when_the_settings_have_no_default(review):
    findings = permissions(review, project(OPEN_LIST))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 8)]
    assert findings[0].message == (
        "DRF view BookList sets no permission classes and the REST_FRAMEWORK setting has no "
        "DEFAULT_PERMISSION_CLASSES (DRF's default is AllowAny): anyone can call it (it accepts POST)."
    )
    assert findings[0].fix.applicability == "unsafe"


def test_fix_adds_is_authenticated_and_its_import(review):
    findings = permissions(review, project(OPEN_LIST))
    assert fixed(OPEN_LIST, findings, "shop/views.py") == OPEN_LIST.replace(
        "from .serializers import BookSerializer\n",
        "from .serializers import BookSerializer\nfrom rest_framework.permissions import IsAuthenticated\n",
    ).replace(
        "    queryset = Book.objects.all()",
        "    permission_classes = [IsAuthenticated]\n    queryset = Book.objects.all()",
    )


def test_fix_uses_the_permissions_module_already_imported_and_keeps_the_docstring(review):
    views = OPEN_LIST.replace("import generics", "import generics, permissions").replace(
        "(generics.ListCreateAPIView):\n", '(generics.ListCreateAPIView):\n    """Books."""\n\n'
    )
    findings = permissions(review, project(views))
    assert fixed(views, findings, "shop/views.py") == views.replace(
        '"""Books."""\n\n', '"""Books."""\n\n    permission_classes = [permissions.IsAuthenticated]\n'
    )


CHOSEN_ALLOW_ANY = 'REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"]}\n'


def test_a_read_only_view_is_public_by_choice_when_the_settings_write_allow_any_out(review):
    # safe-transaction-service: a public blockchain index sets AllowAny as its default on purpose
    read_only = OPEN_LIST.replace("ListCreateAPIView", "ListAPIView")
    assert permissions(review, project(read_only, CHOSEN_ALLOW_ANY)) == []
    assert (
        permissions(review, project(read_only, CHOSEN_ALLOW_ANY.replace('"rest_framework.permissions.AllowAny"', "")))
        == []
    )


def test_a_view_that_only_reads_is_not_reported_unless_it_serves_the_user_model(review):
    # djangopackages' and lutris's public catalogue APIs: no DRF default, GET-only viewsets of
    # what the site's HTML pages show anyone. The user model's rows are another matter
    read_only = OPEN_LIST.replace("ListCreateAPIView", "ListAPIView")
    assert permissions(review, project(read_only)) == []
    users = read_only.replace("queryset = Book.objects.all()", "queryset = User.objects.all()").replace(
        "from .models import Book", "from django.contrib.auth.models import User"
    )
    findings = permissions(review, project(users))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 8)]
    assert findings[0].message.endswith("anyone can call it.")


def test_a_view_that_writes_is_reported_under_a_chosen_allow_any_default(review):
    findings = permissions(review, project(OPEN_LIST, CHOSEN_ALLOW_ANY))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 8)]
    assert findings[0].message == (
        "DRF view BookList sets no permission classes, DEFAULT_PERMISSION_CLASSES is AllowAny, and it "
        "accepts POST: anonymous requests can change data."
    )


SIGNED_SERIALIZER = """
from eth_account import Account
from rest_framework import serializers

from .models import Book


class ConfirmSerializer(serializers.Serializer):
    message = serializers.CharField()
    signature = serializers.CharField()

    def validate(self, attrs):
        signer = Account.recover_message(attrs["message"], signature=attrs["signature"])
        if not Book.objects.filter(title=signer).exists():
            raise serializers.ValidationError("not an owner")
        return attrs
"""
SIGNED_VIEW = """
from rest_framework import generics

from .signed import ConfirmSerializer


class BookList(generics.CreateAPIView):
    serializer_class = ConfirmSerializer
"""


def test_a_post_whose_serializer_recovers_the_signer_is_not_reported(review):
    # safe-transaction-service: a confirmation is accepted only with an owner's signature
    assert permissions(review, project(SIGNED_VIEW, CHOSEN_ALLOW_ANY, **{"shop/signed.py": SIGNED_SERIALIZER})) == []
    unsigned = SIGNED_SERIALIZER.replace("Account.recover_message(", "str(")
    findings = permissions(review, project(SIGNED_VIEW, CHOSEN_ALLOW_ANY, **{"shop/signed.py": unsigned}))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 7)]


def test_an_api_view_is_judged_by_its_methods_under_a_chosen_allow_any_default(review):
    views = """
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .models import Book


@api_view(["GET"])
def titles(request):
    return Response([b.title for b in Book.objects.all()[:20]])


@api_view(["POST"])
def restock(request):
    Book.objects.create(title=request.data["title"])
    return Response(status=201)
"""
    for settings in (CHOSEN_ALLOW_ANY, SETTINGS):  # chosen, or no default at all
        findings = permissions(review, project(views, settings))
        assert codes_lines(findings) == [("DJR303", "shop/views.py", 13)]
        assert "restock()" in findings[0].message


def test_not_reported_when_the_settings_require_authentication(review):
    assert permissions(review, project(OPEN_LIST, LOCKED_SETTINGS)) == []


def test_not_reported_when_the_default_cannot_be_read(review):
    settings = 'import os\nREST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": os.environ["PERMS"].split(",")}\n'
    assert permissions(review, project(OPEN_LIST, settings)) == []


def test_not_reported_without_settings_a_reusable_app_leaves_it_to_the_project(review):
    files = project(OPEN_LIST)
    del files["proj/settings.py"]
    assert permissions(review, files) == []


OPEN_CREATE = """
from rest_framework import generics
from rest_framework.permissions import AllowAny

from .models import Book
from .serializers import BookSerializer


class BookList(generics.ListCreateAPIView):
    permission_classes = [AllowAny]
    queryset = Book.objects.all()
    serializer_class = BookSerializer
"""


def test_reports_allow_any_on_a_view_that_writes_even_with_a_safe_default(review):
    findings = permissions(review, project(OPEN_CREATE, LOCKED_SETTINGS))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 9)]
    assert findings[0].message == (
        "DRF view BookList allows anyone (permission_classes is AllowAny or empty) and accepts POST: "
        "anonymous requests can change data."
    )
    assert fixed(OPEN_CREATE, findings, "shop/views.py") == OPEN_CREATE.replace(
        "from .serializers import BookSerializer\n",
        "from .serializers import BookSerializer\nfrom rest_framework.permissions import IsAuthenticated\n",
    ).replace("permission_classes = [AllowAny]", "permission_classes = [IsAuthenticated]")


def test_reports_empty_permission_classes_on_a_viewset_that_writes(review):
    views = OPEN_CREATE.replace("generics.ListCreateAPIView", "viewsets.ModelViewSet").replace(
        "from rest_framework import generics", "from rest_framework import viewsets"
    )
    views = views.replace("[AllowAny]", "()")
    findings = permissions(review, project(views, LOCKED_SETTINGS))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 9)]
    assert "accepts POST, PUT, PATCH, DELETE" in findings[0].message


def test_not_reported_allow_any_on_a_read_only_view(review):
    views = OPEN_CREATE.replace("ListCreateAPIView", "ListAPIView")
    assert permissions(review, project(views, LOCKED_SETTINGS)) == []


def test_not_reported_allow_any_on_a_view_that_only_validates(review):
    """label-studio's LabelConfigValidateAPI: POST validates and answers, nothing is saved."""
    views = (
        OPEN_CREATE.replace("ListCreateAPIView", "CreateAPIView")
        + """
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(status=204)
"""
    )
    assert permissions(review, project(views, LOCKED_SETTINGS)) == []
    writes = views.replace("return Response(status=204)", "serializer.save()\n        return Response(status=201)")
    assert codes_lines(permissions(review, project(writes, LOCKED_SETTINGS))) == [("DJR303", "shop/views.py", 9)]


def test_not_reported_login_signup_and_token_views(review):
    views = """
from rest_framework import generics
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import AllowAny
from rest_framework_simplejwt.views import TokenObtainPairView

from .models import Book
from .serializers import BookSerializer, UserSerializer


class AccountCreate(generics.CreateAPIView):
    permission_classes = [AllowAny]
    serializer_class = UserSerializer


class LoginView(generics.CreateAPIView):
    permission_classes = [AllowAny]
    serializer_class = BookSerializer


class PasswordResetRequest(generics.CreateAPIView):
    permission_classes = [AllowAny]
    serializer_class = BookSerializer


class CustomObtainToken(ObtainAuthToken):
    permission_classes = [AllowAny]


class PairView(TokenObtainPairView):
    permission_classes = []
"""
    assert permissions(review, project(views, LOCKED_SETTINGS)) == []
    assert permissions(review, project(views)) == []


PROTECTED_BASE = """
from rest_framework import generics, permissions


class StaffView(generics.GenericAPIView):
    permission_classes = [permissions.IsAdminUser]
"""


def test_not_reported_when_permissions_come_from_a_base_in_another_module(review):
    views = OPEN_LIST.replace("from rest_framework import generics", "from core.base import StaffView")
    views = views.replace("generics.ListCreateAPIView", "StaffView")
    files = project(views, **{"core/__init__.py": "", "core/base.py": PROTECTED_BASE})
    assert permissions(review, files) == []


def test_a_base_only_subclassed_is_judged_through_its_subclasses(review):
    base = """
from rest_framework import generics


class ShopView(generics.GenericAPIView):
    def post(self, request):
        self.perform_create(None)
"""
    views = """
from rest_framework.permissions import IsAuthenticated

from core.base import ShopView


class BookList(ShopView):
    permission_classes = [IsAuthenticated]


class Stats(ShopView):
    def get(self, request):
        return None
"""
    files = project(views, **{"core/__init__.py": "", "core/base.py": base, "shop/urls.py": URLS})
    assert codes_lines(permissions(review, files)) == [("DJR303", "shop/views.py", 11)]
    routed = URLS.replace(
        "urlpatterns = [", "from core.base import ShopView\n\nurlpatterns = [path('s/', ShopView.as_view()), "
    )
    files["shop/urls.py"] = routed
    assert codes_lines(permissions(review, files)) == [
        ("DJR303", "core/base.py", 5),
        ("DJR303", "shop/views.py", 11),
    ]


def test_not_reported_when_access_is_decided_in_code(review):
    views = """
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.decorators import method_decorator
from rest_framework import generics
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView


class ByMethod(generics.ListAPIView):
    def get_permissions(self):
        return [IsAuthenticated()]


class ByCheck(APIView):
    def post(self, request):
        if not request.user.is_authenticated:
            return Response(status=401)
        return Response(request.user.save())


@method_decorator(login_required, name="dispatch")
class ByDecorator(APIView):
    def get(self, request):
        return Response()


class ByMixin(LoginRequiredMixin, APIView):
    def get(self, request):
        return Response()
"""
    assert permissions(review, project(views)) == []


def test_not_reported_through_a_base_the_index_cannot_read(review):
    views = """
from somepackage.views import SecureAPIView


class Stats(SecureAPIView):
    def get(self, request):
        return None
"""
    assert permissions(review, project(views)) == []


FUNCTION_VIEWS = """
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response


@api_view(["GET", "POST"])
def books(request):
    return Response([])


@api_view(["POST"])
@permission_classes([AllowAny])
def restock(request):
    restock_all(request.data)
    return Response(request.data)


@api_view(["GET"])
@permission_classes([AllowAny])
def health(request):
    return Response("ok")


@api_view(["POST"])
@permission_classes([IsAuthenticated])
def order(request):
    return Response(request.data)


@api_view(["POST"])
@permission_classes([AllowAny])
def register(request):
    return Response(request.data)
"""


def test_reports_api_view_functions_at_the_decorator(review):
    findings = permissions(review, project(FUNCTION_VIEWS))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 7), ("DJR303", "shop/views.py", 12)]
    first, second = findings
    assert first.message == (
        "DRF view books() sets no permission classes and the REST_FRAMEWORK setting has no "
        "DEFAULT_PERMISSION_CLASSES (DRF's default is AllowAny): anyone can call it (it accepts POST)."
    )
    assert second.message.startswith("DRF view restock() allows anyone (@permission_classes is AllowAny or empty)")
    assert first.fix.applicability == "suggestion"
    locked = permissions(review, project(FUNCTION_VIEWS, LOCKED_SETTINGS))
    assert codes_lines(locked) == [("DJR303", "shop/views.py", 12)]


def test_not_reported_when_authentication_is_turned_off_on_purpose(review):
    """pretix's device InitializeView, weblate's ServiceHookView: no user at all, the payload
    (a pairing token, a hook) decides."""
    views = OPEN_CREATE.replace(
        "    permission_classes = [AllowAny]\n", "    authentication_classes = []\n    permission_classes = ()\n"
    )
    assert permissions(review, project(views, LOCKED_SETTINGS)) == []


def test_not_reported_for_drf_own_obtain_auth_token(review):
    views = """
from rest_framework import generics
from rest_framework.permissions import AllowAny


class ObtainAuthToken(generics.CreateAPIView):
    permission_classes = ()
"""
    files = project(views, LOCKED_SETTINGS)
    files["rest_framework/__init__.py"] = ""
    files["rest_framework/authtoken/__init__.py"] = ""
    files["rest_framework/authtoken/views.py"] = files.pop("shop/views.py")
    assert permissions(review, files) == []


def test_not_reported_when_a_dynaconf_fragment_sets_the_default(review):
    """galaxy-ng's settings.py sets REST_FRAMEWORK__DEFAULT_PERMISSION_CLASSES, merged by
    dynaconf with settings the index does not see."""
    settings = 'REST_FRAMEWORK__DEFAULT_PERMISSION_CLASSES = ("galaxy.Access",)\n'
    assert permissions(review, project(OPEN_LIST, settings)) == []


def test_not_reported_for_webhooks_checking_a_signature_and_login_apps(review):
    """waldur: a marketplace viewset whose serializer verifies a signature, and the Valimo PKI
    login flow in the `waldur_auth_valimo` app, whose create() hands over to DRF's."""
    views = """
from rest_framework import decorators, mixins, viewsets
from rest_framework.response import Response

from .serializers import BookSerializer as ServiceProviderSignatureSerializer


class UsageViewSet(viewsets.ViewSet):
    permission_classes = ()
    serializer_class = ServiceProviderSignatureSerializer

    @decorators.action(detail=False, methods=["post"])
    def set_usage(self, request):
        serializer = self.serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(status=201)
"""
    assert permissions(review, project(views, LOCKED_SETTINGS)) == []
    login = """
from rest_framework import mixins, viewsets

from shop.serializers import BookSerializer


class AuthResultViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = ()
    serializer_class = BookSerializer

    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)
"""
    files = project(views.replace("Signature", "Plain"), LOCKED_SETTINGS)
    files["shop/views.py"] = files["shop/views.py"].replace("ServiceProviderPlainSerializer", "UsageSerializer")
    assert codes_lines(permissions(review, files)) == [("DJR303", "shop/views.py", 8)]
    files["shop/views.py"] = login
    assert codes_lines(permissions(review, files)) == [("DJR303", "shop/views.py", 7)]
    files["waldur_auth_valimo/__init__.py"] = ""
    files["waldur_auth_valimo/views.py"], files["shop/views.py"] = login, ""
    assert permissions(review, files) == []


USER_FILTERED = """
from rest_framework import filters, generics

from .models import Book
from .serializers import BookSerializer


class ReaderFilter(filters.BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        if not request.user.is_authenticated:
            return queryset.none()
        return queryset.filter(readers=request.user)


class BookDetail(generics.RetrieveUpdateDestroyAPIView):
    filter_backends = [ReaderFilter]
    queryset = Book.objects.all()
    serializer_class = BookSerializer
"""


def test_a_filter_backend_narrowing_every_lookup_to_the_user_s_rows_decides_access(review):
    # mayan: the detail views' bases set no permission classes; MayanObjectPermissionsFilter
    # restricts the queryset to what the user may see, so get_object() answers 404 otherwise
    assert permissions(review, project(USER_FILTERED)) == []
    # twins: a POST creates without any lookup; a backend that does not read the user
    creates = USER_FILTERED.replace("RetrieveUpdateDestroyAPIView", "ListCreateAPIView")
    ordering = USER_FILTERED.replace("readers=request.user", "published=True").replace(
        "if not request.user.is_authenticated:", "if False:"
    )
    for views in (creates, ordering):
        findings = permissions(review, project(views))
        assert [(f.code, f.line) for f in findings] == [("DJR303", 15)], views


def test_an_open_webhook_that_verifies_the_signature_in_another_module(review):
    # drf-stripe: post() hands the request to a handler module whose helper calls
    # stripe.Webhook.construct_event (followed as DJR403 follows it)
    hooks = """
import stripe
from django.conf import settings


def handle_request(request):
    return _event(request)


def _event(request):
    return stripe.Webhook.construct_event(request.body, request.META["HTTP_STRIPE_SIGNATURE"], settings.KEY)


def handle_unsigned(request):
    from shop.models import Book

    return Book.objects.create(title=request.data["title"])
"""
    views = """
from rest_framework import permissions
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.hooks import handle_request, handle_unsigned


class StripeWebhook(APIView):
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        handle_request(request)
        return Response(status=200)


class OtherWebhook(APIView):
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        handle_unsigned(request)
        return Response(status=200)
"""
    files = {
        "shop/__init__.py": "",
        "shop/settings.py": SETTINGS,
        "shop/hooks.py": hooks,
        "shop/views.py": views,
        "shop/urls.py": (
            "from django.urls import path\nfrom shop import views\n\n"
            'urlpatterns = [path("a/", views.StripeWebhook.as_view()), path("b/", views.OtherWebhook.as_view())]\n'
        ),
    }
    assert [line for _, _, line in codes_lines(permissions(review, files))] == [17]


def test_an_open_webhook_that_queues_its_payload_to_a_task_that_verifies_it(review):
    # mitxonline's Mailgun webhook: post() only queues the payload; the Celery task hands it to
    # a function (imported inside the task) that checks Mailgun's HMAC before writing. The
    # twin queues to a task that writes without a check
    mail = """
import hashlib
import hmac

from django.conf import settings

from shop.models import Book


def handle_event(payload):
    expected = hmac.new(settings.MAIL_KEY, payload["token"].encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, payload["signature"]):
        return
    Book.objects.filter(title=payload["title"]).delete()


def handle_unchecked(payload):
    Book.objects.filter(title=payload["title"]).delete()
"""
    tasks = """
from celery import shared_task


@shared_task(ignore_result=True)
def process_event(payload):
    from shop.mail import handle_event

    handle_event(payload)


@shared_task
def process_unchecked(payload):
    from shop.mail import handle_unchecked

    handle_unchecked(payload)
"""
    views = """
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.tasks import process_event, process_unchecked


class MailWebhook(APIView):
    permission_classes = []

    def post(self, request):
        process_event.delay(request.data)
        return Response(status=200)


class OtherWebhook(APIView):
    permission_classes = []

    def post(self, request):
        process_unchecked.apply_async(args=[request.data])
        return Response(status=200)
"""
    urls = (
        "from django.urls import path\nfrom shop import views\n\n"
        'urlpatterns = [path("a/", views.MailWebhook.as_view()), path("b/", views.OtherWebhook.as_view())]\n'
    )
    files = project(views, **{"shop/mail.py": mail, "shop/tasks.py": tasks, "shop/urls.py": urls})
    assert codes_lines(permissions(review, files)) == [("DJR303", "shop/views.py", 16)]


def test_a_function_view_that_turns_authentication_off_is_anonymous_on_purpose(review):
    # set D: `@authentication_classes([])` on a public beacon, as `authentication_classes = []`
    views = """
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response


@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def beacon(request):
    return Response(request.data)


@api_view(["POST"])
@permission_classes([AllowAny])
def restock(request):
    restock_all(request.data)
    return Response(request.data)
"""
    assert [line for _, _, line in codes_lines(permissions(review, project(views)))] == [14]


def test_registration_and_activation_views_are_open_by_design(review):
    # set E: `RegistrationView`, `ActivateAccountView` ("register" is no part of "registration")
    views = """
from rest_framework import generics
from rest_framework.permissions import AllowAny

from .models import Book
from .serializers import BookSerializer


class RegistrationView(generics.CreateAPIView):
    permission_classes = [AllowAny]
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class ActivateAccountView(generics.UpdateAPIView):
    permission_classes = [AllowAny]
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class BookCreate(generics.CreateAPIView):
    permission_classes = [AllowAny]
    queryset = Book.objects.all()
    serializer_class = BookSerializer
"""
    urls = URLS.replace(
        'urlpatterns = [path("x/", views.BookList.as_view())]',
        "urlpatterns = [path('r/', views.RegistrationView.as_view()), path('a/', views.ActivateAccountView.as_view()),"
        " path('b/', views.BookCreate.as_view())]",
    )
    found = permissions(review, project(views) | {"shop/urls.py": urls})
    assert [line for _, _, line in codes_lines(found)] == [21]


ACTION_ONLY = """
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response

from .models import Book


class BookActions(viewsets.GenericViewSet):
    queryset = Book.objects.all()

    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated])
    def summary(self, request, pk=None):
        return Response({"title": self.get_object().title})


class AccountViewSet(viewsets.ViewSet):
    @action(detail=False, methods=["post"], permission_classes=[AllowAny])
    def login(self, request):
        return Response({})

    @action(detail=False, methods=["get"], permission_classes=[IsAuthenticated])
    def me(self, request):
        return Response({"id": request.user.pk})
"""
ACTION_URLS = """
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("books", views.BookActions, basename="book")
router.register("account", views.AccountViewSet, basename="account")
urlpatterns = router.urls
"""


def test_a_viewset_routing_only_actions_that_set_their_own_permissions(review):
    """A viewset without mixins or handlers is reached only through its @actions: when each
    sets permission_classes (or is a login action), the settings' default never applies."""
    assert permissions(review, project(ACTION_ONLY, **{"shop/urls.py": ACTION_URLS})) == []


def test_an_action_without_permissions_or_a_list_handler_still_falls_back_to_the_default(review):
    unguarded = ACTION_ONLY.replace(
        '@action(detail=False, methods=["get"], permission_classes=[IsAuthenticated])',
        '@action(detail=False, methods=["post"])',
    )
    listing = ACTION_ONLY.replace(
        "    @action(detail=True",
        "    def create(self, request):\n        Book.objects.create(title='x')\n\n    @action(detail=True",
    )
    assert codes_lines(permissions(review, project(unguarded, **{"shop/urls.py": ACTION_URLS}))) == [
        ("DJR303", "shop/views.py", 18)
    ]
    assert codes_lines(permissions(review, project(listing, **{"shop/urls.py": ACTION_URLS}))) == [
        ("DJR303", "shop/views.py", 10)
    ]


RESET = """
from django.contrib.auth.tokens import default_token_generator
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response

from .models import Book


class NewPasswordSerializer(serializers.Serializer):
    password = serializers.CharField(write_only=True)
    token = serializers.CharField(write_only=True)

    def validate(self, attrs):
        user = self.context["request"].user
        if not default_token_generator.{check}(user, attrs["token"]):
            raise serializers.ValidationError("invalid link")
        return attrs


class SetNewPasswordView(generics.GenericAPIView):
    permission_classes = [permissions.AllowAny]
    serializer_class = NewPasswordSerializer

    def patch(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        Book.objects.filter(title=serializer.validated_data["password"]).delete()
        return Response({{}})
"""
RESET_URLS = """
from django.urls import path

from . import views

urlpatterns = [path("x/", views.SetNewPasswordView.as_view())]
"""


def test_an_open_view_whose_serializer_checks_a_reset_token(review):
    """A password-reset completion under another name: the serializer's check_token() of the
    link's token decides who may call it. A serializer checking nothing is still open."""
    files = project(RESET.format(check="check_token"), **{"shop/urls.py": RESET_URLS})
    assert permissions(review, files) == []
    files = project(RESET.format(check="make_token"), **{"shop/urls.py": RESET_URLS})
    assert codes_lines(permissions(review, files)) == [("DJR303", "shop/views.py", 20)]


OTP_VIEWS = """
from django.contrib.auth import get_user_model
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken

from .models import Book


class OTPCodeSend(APIView):
    permission_classes = (AllowAny,)

    def post(self, request):
        Book.objects.create(title=request.data["mobile"])
        return Response({"sent": True})


class Authentication(APIView):
    permission_classes = (AllowAny,)

    def post(self, request):
        user, _ = get_user_model().objects.get_or_create(username=request.data["mobile"])
        refresh = RefreshToken.for_user(user)
        return Response({"access": str(refresh.access_token)})


class FootprintUpload(APIView):
    permission_classes = (AllowAny,)

    def post(self, request):
        Book.objects.create(title=request.data["name"])
        return Response({})
"""
OTP_URLS = """
from django.urls import path

from . import views

urlpatterns = [
    path("a/", views.OTPCodeSend.as_view()),
    path("b/", views.Authentication.as_view()),
    path("c/", views.FootprintUpload.as_view()),
]
"""


def test_a_login_in_steps_under_other_names(review):
    """An OTP login: a view sending the code (OTP in its name) and one that hands out the
    caller's token (RefreshToken.for_user): open by design. `Footprint` holds no OTP."""
    findings = permissions(review, project(OTP_VIEWS, **{"shop/urls.py": OTP_URLS}))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 28)]


def test_a_passwordless_login_s_token_views(review):
    """drfpasswordless's ObtainEmailCallbackToken: the first step of a login, open by design."""
    views = OTP_VIEWS.replace("OTPCodeSend", "ObtainEmailCallbackToken")
    urls = OTP_URLS.replace("OTPCodeSend", "ObtainEmailCallbackToken")
    findings = permissions(review, project(views, **{"shop/urls.py": urls}))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 28)]


def test_a_gateway_callback_that_verifies_the_payment_with_the_gateway(review):
    # a payment callback is AllowAny (the gateway, or the payer sent back by it, calls it) and
    # confirms the payment server to server before it writes. The twins: a callback that
    # writes unverified, and a view of another name that calls a verifier
    views = """
import requests
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Book


def verify_at_gateway(reference):
    return requests.post("https://gateway.example/verify", json={"ref": reference}, timeout=10).ok


class PaymentCallback(APIView):
    permission_classes = (AllowAny,)

    def post(self, request):
        book = Book.objects.get(title=request.data["reference"])
        if verify_at_gateway(book.title):
            book.save()
        return Response({})
"""
    urls = URLS.replace("views.BookList", "views.PaymentCallback")
    assert permissions(review, project(views, **{"shop/urls.py": urls})) == []
    unverified = views.replace("if verify_at_gateway(book.title):", "if book.title:")
    found = permissions(review, project(unverified, **{"shop/urls.py": urls}))
    assert codes_lines(found) == [("DJR303", "shop/views.py", 14)]
    other = views.replace("PaymentCallback", "BookTitles")
    found = permissions(review, project(other, **{"shop/urls.py": urls.replace("PaymentCallback", "BookTitles")}))
    assert codes_lines(found) == [("DJR303", "shop/views.py", 14)]


def test_an_open_function_view_that_only_answers_changes_nothing(review):
    # a retired endpoint answers 410 to GET and POST, anyone may call it. The twin writes
    views = """
from rest_framework import status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response


@api_view(["GET", "POST"])
@permission_classes([AllowAny])
def api_gone(request, message="Gone"):
    return Response({"status": message}, status=status.HTTP_410_GONE)
"""
    assert permissions(review, project(views)) == []
    writing = views.replace("    return Response(", "    request.user.save()\n    return Response(")
    assert [line for _, _, line in codes_lines(permissions(review, project(writing)))] == [8]


def test_only_the_methods_a_viewset_s_routes_map_are_served(review):
    # tabbycat routes a ModelViewSet only as `as_view({"get": "retrieve"})`: nothing it is
    # routed to writes. The twin maps PUT to update as well; a router serves every method
    views = OPEN_CREATE.replace("generics.ListCreateAPIView", "viewsets.ModelViewSet").replace(
        "from rest_framework import generics", "from rest_framework import viewsets"
    )
    urls = URLS.replace("views.BookList.as_view()", 'views.BookList.as_view({"get": "retrieve"})')
    assert permissions(review, project(views, LOCKED_SETTINGS, **{"shop/urls.py": urls})) == []
    put = urls.replace('{"get": "retrieve"}', '{"get": "retrieve", "put": "update"}')
    findings = permissions(review, project(views, LOCKED_SETTINGS, **{"shop/urls.py": put}))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 9)]
    assert "accepts PUT:" in findings[0].message
    router = (
        "from rest_framework.routers import DefaultRouter\nfrom . import views\n\n"
        'router = DefaultRouter()\nrouter.register("books", views.BookList)\n'
    )
    findings = permissions(review, project(views, LOCKED_SETTINGS, **{"shop/urls.py": urls, "shop/api.py": router}))
    assert "accepts POST, PUT, PATCH, DELETE" in findings[0].message


def test_a_view_serving_the_caller_s_own_record_decides_access(review):
    # tabbycat's participant view: `get_object()` returns `self.request.auth`, the person its URL
    # key authenticated. The twin returns any row
    views = OPEN_LIST.replace("generics.ListCreateAPIView", "generics.RetrieveUpdateAPIView") + (
        "\n    def get_object(self):\n        return self.request.user\n"
    )
    assert permissions(review, project(views)) == []
    any_row = views.replace("return self.request.user", "return Book.objects.first()")
    assert codes_lines(permissions(review, project(any_row))) == [("DJR303", "shop/views.py", 8)]


def test_an_open_post_that_validates_and_renders_an_answer_writes_nothing(review):
    # Ghostwriter's markdown preview: `RenderParams(data=request.data)`, `is_valid()`, then
    # `Response({"html": render_markdown(...)})`. The twin saves what it renders
    views = """
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Book


class Params(serializers.Serializer):
    text = serializers.CharField()


def render_markdown(text):
    return "<p>" + text + "</p>"


class BookList(APIView):
    permission_classes = [AllowAny]

    def post(self, request):
        params = Params(data=request.data)
        params.is_valid(raise_exception=True)
        return Response({"html": render_markdown(params.validated_data["text"])})
"""
    assert permissions(review, project(views, LOCKED_SETTINGS, **{"shop/urls.py": URLS})) == []
    saves = views.replace(
        "        return Response(", '        Book.objects.create(title="x")\n        return Response('
    )
    findings = permissions(review, project(saves, LOCKED_SETTINGS, **{"shop/urls.py": URLS}))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 18)]


def test_a_login_required_middleware_keeps_anonymous_requests_out(review):
    # rengine's MIDDLEWARE ends with django-login-required's LoginRequiredMiddleware (Django 5.1
    # ships one of that name): no view runs for an anonymous request. The twin has none
    middleware = (
        'MIDDLEWARE = ["django.contrib.auth.middleware.AuthenticationMiddleware", '
        '"login_required.middleware.LoginRequiredMiddleware"]\n'
    )
    assert permissions(review, project(OPEN_LIST, SETTINGS + middleware)) == []
    plain = middleware.replace(', "login_required.middleware.LoginRequiredMiddleware"', "")
    assert codes_lines(permissions(review, project(OPEN_LIST, SETTINGS + plain))) == [("DJR303", "shop/views.py", 8)]


def test_a_project_middleware_refusing_anonymous_requests_keeps_them_out(review):
    # experimenter's OpenIDCAuthMiddleware answers 401 to any request without the SSO proxy's
    # header (an allow-list of URL names aside): no DRF view runs for an anonymous caller. The
    # twins: a middleware answering 403 to blocked addresses (everyone alike, no caller check),
    # and the gate defined but not installed in MIDDLEWARE
    gates = """
from django.conf import settings
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import resolve


class HeaderAuthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if resolve(request.path).url_name in settings.AUTH_ALLOWLIST:
            return self.get_response(request)
        email = request.META.get("HTTP_X_FORWARDED_EMAIL")
        if email is None:
            return HttpResponse("Please log in through the proxy", status=401)
        return self.get_response(request)


class BlockListMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.META.get("REMOTE_ADDR") in settings.BLOCKED_ADDRESSES:
            return HttpResponseForbidden()
        return self.get_response(request)
"""
    installed = 'MIDDLEWARE = ["django.contrib.auth.middleware.AuthenticationMiddleware", "shop.gates.{}"]\n'
    gated = project(OPEN_LIST, SETTINGS + installed.format("HeaderAuthMiddleware"), **{"shop/gates.py": gates})
    assert permissions(review, gated) == []
    blocked = project(OPEN_LIST, SETTINGS + installed.format("BlockListMiddleware"), **{"shop/gates.py": gates})
    assert codes_lines(permissions(review, blocked)) == [("DJR303", "shop/views.py", 8)]
    unused = project(OPEN_LIST, SETTINGS, **{"shop/gates.py": gates})
    assert codes_lines(permissions(review, unused)) == [("DJR303", "shop/views.py", 8)]


def test_a_view_whose_rows_are_looked_up_by_the_caller(review):
    # data-hub's reminder viewsets set `permission_classes = ()`, but get_object() is
    # `get_or_create(adviser=self.request.user)` and get_queryset() filters on the caller: an
    # anonymous request reaches no one's rows. The twins look rows up by a URL value, and
    # create (a POST looks nothing up)
    views = """
from rest_framework import mixins, viewsets

from .models import Book
from .serializers import BookSerializer


class MyShelf(viewsets.GenericViewSet, mixins.RetrieveModelMixin, mixins.UpdateModelMixin):
    permission_classes = ()
    serializer_class = BookSerializer
    queryset = Book.objects.all()

    def get_object(self):
        shelf, _ = self.queryset.get_or_create(owner=self.request.user)
        return shelf


class MyBooks(viewsets.GenericViewSet, mixins.ListModelMixin, mixins.DestroyModelMixin):
    permission_classes = ()
    serializer_class = BookSerializer

    def get_queryset(self):
        return Book.objects.filter(owner=self.request.user).order_by("title")


class TheirBooks(viewsets.GenericViewSet, mixins.ListModelMixin, mixins.DestroyModelMixin):
    permission_classes = ()
    serializer_class = BookSerializer

    def get_queryset(self):
        return Book.objects.filter(owner=self.kwargs["owner"])


class AddMyBooks(viewsets.GenericViewSet, mixins.CreateModelMixin, mixins.DestroyModelMixin):
    permission_classes = ()
    serializer_class = BookSerializer

    def get_queryset(self):
        return Book.objects.filter(owner=self.request.user)
"""
    urls = """
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
for prefix, view in (("a", views.MyShelf), ("b", views.MyBooks), ("c", views.TheirBooks), ("d", views.AddMyBooks)):
    router.register(prefix, view, basename=prefix)
urlpatterns = router.urls
"""
    findings = permissions(review, project(views, **{"shop/urls.py": urls}))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 26), ("DJR303", "shop/views.py", 34)]


def test_an_api_view_function_that_only_computes_with_its_own_functions(review):
    # cla_backend's eligibility check: anonymous POSTs of cases, each graded pass/fail by a
    # project function that reads nothing but its argument. The twin's function records
    # each case
    views = """
from decimal import Decimal

from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .models import Book


@api_view(["POST"])
@permission_classes((AllowAny,))
def grade_batch(request):
    return Response([grade(row) for row in request.data])


@api_view(["POST"])
@permission_classes((AllowAny,))
def record_batch(request):
    return Response([record(row) for row in request.data])


def grade(row):
    return "P" if Decimal(row.get("income", "0")) < Decimal("2000") else "F"


def record(row):
    Book.objects.create(title=row["title"])
    return "ok"
"""
    assert codes_lines(permissions(review, project(views))) == [("DJR303", "shop/views.py", 17)]


def test_authentication_classes_that_refuse_a_request_without_credentials(review):
    # lite-api's views name their own authentication classes, whose authenticate() raises
    # PermissionDenied when the token header is missing, or always ends with a (user, auth)
    # pair its helpers check: no anonymous request reaches a handler. The twins: DRF's
    # contract kept (None when there is no header: the next class, or anonymous), and the
    # settings' default naming the refusing class
    auth = """
from rest_framework import authentication
from rest_framework.exceptions import PermissionDenied


class StaffToken(authentication.BaseAuthentication):
    def authenticate(self, request):
        token = request.META.get("HTTP_STAFF_TOKEN")
        if not token:
            raise PermissionDenied("You must supply the staff token")
        return token_user(token), token


class HawkExporter(authentication.BaseAuthentication):
    def authenticate(self, request):
        receiver = check_hawk(request)
        return token_user(receiver), receiver


class OptionalToken(authentication.BaseAuthentication):
    def authenticate(self, request):
        token = request.META.get("HTTP_STAFF_TOKEN")
        if not token:
            return None
        return token_user(token), token


def token_user(token):
    return token


def check_hawk(request):
    return request
"""
    views = """
from rest_framework import generics

from .auth import HawkExporter, OptionalToken, StaffToken
from .models import Book
from .serializers import BookSerializer


class StaffBooks(generics.ListCreateAPIView):
    authentication_classes = (StaffToken,)
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class ExporterBooks(generics.ListCreateAPIView):
    authentication_classes = [HawkExporter, StaffToken]
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class MaybeBooks(generics.ListCreateAPIView):
    authentication_classes = (StaffToken, OptionalToken)
    queryset = Book.objects.all()
    serializer_class = BookSerializer
"""
    files = project(views, **{"shop/auth.py": auth})
    assert codes_lines(permissions(review, files)) == [("DJR303", "shop/views.py", 21)]
    settings = SETTINGS.replace(
        "REST_FRAMEWORK = {", 'REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["shop.auth.StaffToken"], '
    )
    by_default = project(OPEN_LIST, settings, **{"shop/auth.py": auth})
    assert permissions(review, by_default) == []


def test_an_api_view_function_that_logs_the_caller_in_is_a_login_view(review):
    # consult's `validate_token`: checks an SSO token, then `login(request, user)` and
    # `AccessToken.for_user(user)`, as the rule spares a class's handler doing so. The twin
    # records the token instead
    views = """
from django.contrib.auth import get_user_model, login
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework_simplejwt.tokens import AccessToken

from .models import Book


@api_view(["POST"])
@permission_classes([AllowAny])
def validate_token(request):
    user = get_user_model().objects.get(email=request.data["email"])
    login(request, user)
    return Response({"access": str(AccessToken.for_user(user))})


@api_view(["POST"])
@permission_classes([AllowAny])
def record_token(request):
    Book.objects.create(title=request.data["email"])
    return Response({"ok": True})
"""
    assert codes_lines(permissions(review, project(views))) == [("DJR303", "shop/views.py", 19)]


def test_an_open_post_that_only_searches_the_table_writes_nothing(review):
    # lego's and acceslibre's search POSTs: validate the body, filter the table, answer the
    # matches. The twin's handler updates the rows it found
    views = """
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response

from .models import Book


class Query(serializers.Serializer):
    text = serializers.CharField(max_length=100)


class SearchViewSet(viewsets.ViewSet):
    permission_classes = [permissions.AllowAny]

    def create(self, request):
        query = Query(data=request.data)
        query.is_valid(raise_exception=True)
        found = Book.objects.filter(title__icontains=query.validated_data["text"]).values_list("title", flat=True)
        return Response(list(found[:20]))


class RetitleViewSet(viewsets.ViewSet):
    permission_classes = [permissions.AllowAny]

    def create(self, request):
        query = Query(data=request.data)
        query.is_valid(raise_exception=True)
        Book.objects.filter(title__icontains=query.validated_data["text"]).update(title="")
        return Response({})
"""
    urls = """
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("search", views.SearchViewSet, basename="search")
router.register("retitle", views.RetitleViewSet, basename="retitle")
urlpatterns = router.urls
"""
    found = permissions(review, project(views, **{"shop/urls.py": urls}))
    assert codes_lines(found) == [("DJR303", "shop/views.py", 22)]


def test_an_authentication_class_handing_the_request_to_refusing_ones(review):
    # lite-api's SharedAuthentication: `return ExporterAuthentication().authenticate(request)`
    # or the government one, by header, both refusing a request without credentials; its
    # HMRC hooks are `@api_view` functions under `@authentication_classes([...])`. The twins
    # hand over to a class that answers None, or name it on a function view
    auth = """
from rest_framework import authentication
from rest_framework.exceptions import PermissionDenied


class StaffToken(authentication.BaseAuthentication):
    def authenticate(self, request):
        token = request.META.get("HTTP_STAFF_TOKEN")
        if not token:
            raise PermissionDenied("missing")
        return token, token


class Optional(authentication.BaseAuthentication):
    def authenticate(self, request):
        return None


class Shared(authentication.BaseAuthentication):
    def authenticate(self, request):
        if request.META.get("HTTP_EXPORTER"):
            return StaffToken().authenticate(request)
        else:
            return StaffToken().authenticate(request)


class Lenient(authentication.BaseAuthentication):
    def authenticate(self, request):
        if request.META.get("HTTP_EXPORTER"):
            return StaffToken().authenticate(request)
        return Optional().authenticate(request)
"""
    views = """
from rest_framework import generics
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.response import Response

from .auth import Lenient, Optional, Shared
from .models import Book
from .serializers import BookSerializer


class SharedBooks(generics.ListCreateAPIView):
    authentication_classes = (Shared,)
    queryset = Book.objects.all()
    serializer_class = BookSerializer


class LenientBooks(generics.ListCreateAPIView):
    authentication_classes = (Lenient,)
    queryset = Book.objects.all()
    serializer_class = BookSerializer


@api_view(["POST"])
@authentication_classes([Shared])
def push(request):
    Book.objects.create(title="pushed")
    return Response()


@api_view(["POST"])
@authentication_classes([Optional])
def open_push(request):
    Book.objects.create(title="pushed")
    return Response()
"""
    found = permissions(review, project(views, **{"shop/auth.py": auth}))
    assert codes_lines(found) == [("DJR303", "shop/views.py", 17), ("DJR303", "shop/views.py", 30)]


def test_an_api_view_function_whose_signature_check_decides_access(review):
    # fx-private-relay's Twilio webhooks: `@api_view(["POST"])` with AllowAny, each calling a
    # helper that checks X-Twilio-Signature with a validator another helper hands over; and an
    # inline `hmac.compare_digest`. The twins read the header and only log it
    hooks = """
import hashlib
import hmac
import logging

from django.conf import settings
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from .models import Book
from .twilio import check_twilio

log = logging.getLogger(__name__)


@api_view(["POST"])
@permission_classes([AllowAny])
def inbound_sms(request):
    check_twilio(request)
    Book.objects.create(title=request.data["title"])
    return Response(status=204)


@api_view(["POST"])
def signed(request):
    expected = hmac.new(settings.HOOK_KEY, request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
        raise ValidationError("bad signature")
    Book.objects.create(title=request.data["title"])
    return Response(status=204)


@api_view(["POST"])
@permission_classes([AllowAny])
def logged(request):
    log.info("signature %s", request.headers.get("X-Signature"))
    Book.objects.create(title=request.data["title"])
    return Response(status=204)
"""
    twilio = """
from django.apps import apps
from rest_framework.exceptions import ValidationError


def twilio_validator():
    return apps.get_app_config("shop").twilio_validator


def check_twilio(request):
    signature = request._request.headers["X-Twilio-Signature"]
    params = {key: request.data.get(key) for key in sorted(request.data)}
    if not twilio_validator().validate(request._request.build_absolute_uri(), params, signature):
        raise ValidationError("bad signature")


def log_twilio(request):
    return request._request.headers["X-Twilio-Signature"]
"""
    findings = permissions(review, project(hooks, **{"shop/twilio.py": twilio}))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 35)]
    unchecked = hooks.replace("check_twilio", "log_twilio")
    findings = permissions(review, project(unchecked, **{"shop/twilio.py": twilio}))
    assert codes_lines(findings) == [("DJR303", "shop/views.py", 18), ("DJR303", "shop/views.py", 35)]


def test_a_post_handing_its_body_to_a_project_function_that_writes_nothing(review):
    # open-discussions' SearchView: `post()` hands the JSON body to `execute_search()`, which
    # only queries the search server ("despite being POST this should not modify any data").
    # The twins hand it to a function that saves a row, directly or through another helper
    search = """
import requests

from shop.models import Book


def execute_search(user, query):
    index = "books" if user.is_authenticated else "public"
    response = requests.post(f"http://search:9200/{index}/_search", json=query, timeout=5)
    return response.json()


def save_search(user, query):
    Book.objects.create(title=str(query))
    return []


def logged_search(user, query):
    return save_search(user, query)
"""
    views = """
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.search import execute_search


class SearchView(APIView):
    permission_classes = ()

    def post(self, request):
        return Response(execute_search(request.user, request.data))
"""
    files = project(views, **{"shop/search.py": search})
    assert permissions(review, files) == []
    for helper in ("save_search", "logged_search"):
        writing = views.replace("execute_search", helper)
        findings = permissions(review, project(writing, **{"shop/search.py": search}))
        assert codes_lines(findings) == [("DJR303", "shop/views.py", 8)], helper


def test_a_throttled_create_only_view_chosen_open_is_a_public_form(review):
    # mit-learn's ContentFeedbackView: AllowAny on purpose (learners have no session) and a
    # rate limit; the twins without the throttle, with an empty one, or accepting PUT are reported
    views = """
from rest_framework import generics
from rest_framework.permissions import AllowAny
from rest_framework.throttling import AnonRateThrottle

from .models import Book
from .serializers import BookSerializer


class BookList(generics.CreateAPIView):
    queryset = Book.objects.all()
    serializer_class = BookSerializer
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
"""
    files = project(views, LOCKED_SETTINGS, **{"shop/urls.py": URLS})
    assert permissions(review, files) == []
    for twin in (
        views.replace("    throttle_classes = [AnonRateThrottle]\n", ""),
        views.replace("[AnonRateThrottle]", "[]"),
        views.replace("generics.CreateAPIView", "generics.CreateAPIView, generics.UpdateAPIView"),
    ):
        findings = permissions(review, project(twin, LOCKED_SETTINGS, **{"shop/urls.py": URLS}))
        assert codes_lines(findings) == [("DJR303", "shop/views.py", 10)], twin
