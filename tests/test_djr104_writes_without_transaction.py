"""DJR104 writes-without-transaction: two or more database writes not in one transaction."""

from __future__ import annotations

from tests.helpers import fixed

MODELS = """
from django.db import models


class Order(models.Model):
    total = models.IntegerField(default=0)
    tags = models.ManyToManyField("Tag", related_name="orders")

    def __str__(self):
        return str(self.pk)


class Item(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    price = models.IntegerField()

    def __str__(self):
        return str(self.price)


class Tag(models.Model):
    name = models.CharField(max_length=20)

    def __str__(self):
        return self.name
"""
SERVICES = "shop/services.py"


def writes(review, code: str, path: str = SERVICES, **files):
    return review({"shop/models.py": MODELS, path: code, **files}, select=("DJR104",))


def test_reports_the_second_write_outside_a_transaction(review):
    code = """
    from django.db import transaction
    from shop.models import Item, Order


    def place(price):
        order = Order.objects.create(total=price)
        Item.objects.create(order=order, price=price)
        return order
    """
    findings = writes(review, code)
    assert [(f.code, f.line) for f in findings] == [("DJR104", 8)]
    assert "place() writes to the database 2 times outside one transaction" in findings[0].message
    assert "Order.objects.create() (line 7) and Item.objects.create()" in findings[0].message
    assert findings[0].fix.applicability == "unsafe"
    assert fixed(code, findings, SERVICES).splitlines()[5:10] == [
        "def place(price):",
        "    with transaction.atomic():",
        "        order = Order.objects.create(total=price)",
        "        Item.objects.create(order=order, price=price)",
        "    return order",
    ]


def test_every_kind_of_write_counts(review):
    code = """
    from shop.models import Item, Order


    def saves(order: Order, form, serializer):
        order.save()
        form.save()

    def m2m(order: Order, tag):
        order.tags.add(tag)
        Item.objects.filter(order=order).update(price=0)

    def deletes(order: Order):
        order.items.all().delete()
        order.save()

    def bulk(items):
        Order.objects.get_or_create(total=1)
        Item.objects.bulk_create(items)
        Order.objects.get_or_create(total=2)
    """
    findings = writes(review, code)
    assert [f.line for f in findings] == [7, 11, 15, 20]
    assert findings[0].fix.applicability == "suggestion"  # `transaction` is not imported


def test_not_reported_for_things_that_are_not_writes(review):
    code = """
    from django.core.cache import cache
    from django.core.files.storage import default_storage
    from shop.models import Order


    def not_writes(order: Order, data, seen, image, name):
        order.save()
        data.update({"a": 1})
        seen.add(order.pk)
        cache.delete("orders")
        default_storage.delete(name)
        image.save("out.png")
        form = object()
        draft = order_form(data).save(commit=False)
        return draft


    def order_form(data):
        return data
    """
    assert writes(review, code) == []


def test_not_reported_inside_one_atomic_block_or_function(review):
    code = """
    from django.db import transaction
    from django.db.transaction import atomic
    from shop.models import Item, Order


    def place(price):
        with transaction.atomic():
            order = Order.objects.create(total=price)
            Item.objects.create(order=order, price=price)
        return order


    @transaction.atomic
    def place_decorated(price):
        order = Order.objects.create(total=price)
        Item.objects.create(order=order, price=price)


    @atomic(using="default")
    def place_decorated_call(price):
        order = Order.objects.create(total=price)
        Item.objects.create(order=order, price=price)
    """
    assert writes(review, code) == []


def test_reports_a_write_after_the_atomic_block_closes(review):
    code = """
    from django.db import transaction
    from shop.models import Item, Order


    def place(price):
        with transaction.atomic():
            order = Order.objects.create(total=price)
            Item.objects.create(order=order, price=price)
        order.tags.clear()
    """
    findings = writes(review, code)
    assert [f.line for f in findings] == [10]
    assert findings[0].fix.applicability == "suggestion"


FILL_HELPER = """
    from shop.models import Item, Order


    def fill(price):
        order = Order.objects.create(total=price)
        Item.objects.create(order=order, price=price)


    def refill(price):
        order = Order.objects.create(total=price)
        Item.objects.create(order=order, price=price)
    """


def test_not_reported_for_a_helper_whose_every_caller_is_atomic(review):
    helper = FILL_HELPER
    callers = """
    from django.db import transaction
    from shop.services import fill, refill


    @transaction.atomic
    def checkout(price):
        fill(price)


    def again(price):
        with transaction.atomic():
            fill(price)
        refill(price)
    """
    tests = """
    from shop.services import refill


    def test_refill():
        refill(1)
    """
    findings = writes(review, helper, **{"shop/checkout.py": callers, "shop/tests/test_fill.py": tests})
    assert [(f.path, f.line) for f in findings] == [(SERVICES, 12)]  # refill: one caller is not atomic


def test_views_under_atomic_requests(review):
    views = """
    from django.db import transaction
    from django.views import View
    from shop.models import Item, Order


    def place(request):
        order = Order.objects.create(total=1)
        Item.objects.create(order=order, price=1)


    @transaction.non_atomic_requests
    def place_outside(request):
        order = Order.objects.create(total=1)
        Item.objects.create(order=order, price=1)


    class Place(View):
        def post(self, request):
            order = Order.objects.create(total=1)
            Item.objects.create(order=order, price=1)
    """
    settings = """
    DEBUG = False
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "ATOMIC_REQUESTS": True}}
    """
    findings = writes(review, views, "shop/views.py", **{"config/settings.py": settings, "manage.py": ""})
    assert [f.line for f in findings] == [15]
    without = writes(review, views, "shop/views.py", **{"config/settings.py": "DEBUG = False\n"})
    assert [f.line for f in without] == [9, 15, 21]


def test_not_reported_for_writes_that_never_follow_each_other(review):
    code = """
    from shop.models import Item, Order


    def upsert(order: Order, price, new):
        if new:
            Order.objects.create(total=price)
        else:
            order.save()


    def create_or_fetch(price):
        try:
            return Order.objects.create(total=price)
        except ValueError:
            Item.objects.filter(price=price).delete()


    def early(order: Order, price):
        if price is None:
            order.delete()
            return None
        Item.objects.create(order=order, price=price)


    def loop(orders):
        for order in orders:
            order.save()
    """
    assert writes(review, code) == []


def test_not_reported_in_migrations_tests_or_commands(review):
    code = """
    from shop.models import Item, Order


    def handle(price):
        order = Order.objects.create(total=price)
        Item.objects.create(order=order, price=price)
    """
    assert writes(review, code, "shop/management/commands/seed.py") == []
    assert writes(review, code, "shop/tests/test_seed.py") == []


def test_not_reported_for_checkpoints_clean_ups_and_chosen_transactions(review):
    code = """
    from django.db import transaction
    from shop.models import Item, Order


    def pay(order: Order, gateway):
        order.total = 0
        order.save()
        gateway.charge(order)
        order.save(update_fields=["total"])


    def clean_up(order: Order):
        Item.objects.filter(order=order).delete()
        order.delete()


    def two_steps(price):
        with transaction.atomic():
            order = Order.objects.create(total=price)
        notify(order)
        with transaction.atomic():
            Item.objects.create(order=order, price=price)


    def inside_callers_transaction(order: Order):
        assert transaction.get_connection().in_atomic_block
        order.save()
        Item.objects.create(order=order, price=1)


    def notify(order):
        return order


    def upsert(price):
        done = Order.objects.filter(total=price).update(total=price + 1)
        if not done:
            Order.objects.create(total=price + 1)
    """
    assert writes(review, code) == []


def test_not_reported_for_a_helper_that_only_migrations_call(review):
    helper = """
    from shop.models import Item, Order


    def backfill(price):
        order = Order.objects.create(total=price)
        Item.objects.create(order=order, price=price)
    """
    migration = """
    from django.db import migrations
    from shop.services import backfill


    def forward(apps, schema_editor):
        backfill(1)


    class Migration(migrations.Migration):
        operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
    """
    assert writes(review, helper, **{"shop/migrations/0002_backfill.py": migration}) == []


def test_a_file_with_no_function_writing_twice_is_never_parsed(review, parses):
    files = {
        "shop/models.py": MODELS,
        "shop/services.py": """
from django.db import transaction

from shop.models import Order


def place(order):
    order.save()


@transaction.atomic
def place_twice(order):
    order.save()
    Order.objects.filter(pk=order.pk).update(total=1)
""",
    }
    assert review(files, select=("DJR104",)) == []
    assert "shop/services.py" not in parses  # ruled out from the stdlib tree


def test_writes_each_in_a_transaction_or_uncommitted_or_only_called_atomically_are_never_parsed(review, parses):
    files = {
        "shop/models.py": MODELS,
        "shop/services.py": """
from django.db import transaction

from shop.models import Order


def in_blocks(order):
    with transaction.atomic():
        order.save()
    with transaction.atomic():
        Order.objects.filter(pk=order.pk).update(total=1)


def from_a_form(form):
    order = form.save(commit=False)
    order.save()


def helper(order):
    order.save()
    Order.objects.filter(pk=order.pk).update(total=1)


def checkout(order):
    with transaction.atomic():
        helper(order)
""",
    }
    assert review(files, select=("DJR104",)) == []
    assert "shop/services.py" not in parses  # ruled out from the stdlib tree and the index


def test_super_save_with_star_args_counts_as_a_write_before_the_cst(review, parses):
    files = {
        "shop/models.py": MODELS,
        "shop/services.py": """
from shop.models import Order


def place(order, *args, **kwargs):
    order.save(*args, **kwargs)
    Order.objects.filter(pk=order.pk).update(total=1)
""",
    }
    assert [f.code for f in review(files, select=("DJR104",))] == ["DJR104"]
    assert "shop/services.py" in parses


CHAIN_HELPER = """
from shop.models import Item, Order


def fill(price):
    order = Order.objects.create(total=price)
    Item.objects.create(order=order, price=price)
"""


def test_not_reported_for_a_helper_whose_callers_callers_are_atomic(review):
    # fill() is called in prepare() alone, prepare() in place() alone, place() only inside atomic()
    middle = """
    from shop.services import fill


    def prepare(price):
        fill(price)


    def place(price):
        prepare(price)
    """
    top = """
    from django.db import transaction
    from shop.middle import place


    def checkout(price):
        with transaction.atomic():
            place(price)
    """
    files = {"shop/middle.py": middle, "shop/checkout.py": top}
    assert writes(review, CHAIN_HELPER, **files) == []


def test_reports_a_helper_when_one_caller_up_the_chain_is_outside_a_transaction(review):
    middle = """
    from shop.services import fill


    def prepare(price):
        fill(price)
    """
    top = """
    from django.db import transaction
    from shop.middle import prepare


    def checkout(price):
        with transaction.atomic():
            prepare(price)


    def quick_checkout(price):
        prepare(price)
    """
    findings = writes(review, CHAIN_HELPER, **{"shop/middle.py": middle, "shop/checkout.py": top})
    assert [(f.path, f.line) for f in findings] == [(SERVICES, 7)]


def test_the_call_chain_is_followed_a_few_callers_up_only(review):
    # fill <- a <- b <- c <- d <- atomic(): d is covered directly, c, b, a through the chain,
    # fill would be a fifth function up: reported
    middle = """
    from shop.services import fill


    def a(price):
        fill(price)


    def b(price):
        a(price)


    def c(price):
        b(price)


    def d(price):
        c(price)
    """
    top = """
    from django.db import transaction
    from shop.middle import d


    def checkout(price):
        with transaction.atomic():
            d(price)
    """
    findings = writes(review, CHAIN_HELPER, **{"shop/middle.py": middle, "shop/checkout.py": top})
    assert [(f.path, f.line) for f in findings] == [(SERVICES, 7)]


def test_a_recursive_call_chain_ends_and_protects_nothing(review):
    # prepare() and fill() call each other, and prepare() itself: covered through no one
    helper = """
    from shop.models import Item, Order


    def fill(price):
        order = Order.objects.create(total=price)
        Item.objects.create(order=order, price=price)
        if price > 1:
            prepare(price - 1)


    def prepare(price):
        fill(price)
        prepare(price - 1)
    """
    top = """
    from django.db import transaction
    from shop.services import fill


    def checkout(price):
        with transaction.atomic():
            fill(price)
    """
    findings = writes(review, helper, **{"shop/checkout.py": top})
    assert [(f.path, f.line) for f in findings] == [(SERVICES, 7)]


def test_a_caller_in_a_lambda_or_in_a_comment_protects_nothing(review):
    middle = """
    from shop.services import fill


    def prepare(price):
        later = lambda: fill(price)
        return later


    def place(price):
        return prepare(price)
    """
    top = """
    from django.db import transaction
    from shop.middle import place


    def checkout(price):
        with transaction.atomic():
            place(price)
    """
    findings = writes(review, CHAIN_HELPER, **{"shop/middle.py": middle, "shop/checkout.py": top})
    assert [(f.path, f.line) for f in findings] == [(SERVICES, 7)]
    commented = """
    def prepare(price):
        # fill(price) ran here once: the only "call" of fill() is a comment
        return price


    def place(price):
        return prepare(price)
    """
    findings = writes(review, CHAIN_HELPER, **{"shop/middle.py": commented, "shop/checkout.py": top})
    assert [(f.path, f.line) for f in findings] == [(SERVICES, 7)]


def test_each_call_gets_the_innermost_function_around_it():
    """Decorators and defaults run where the function is defined; a docstring holds no call."""
    import ast

    from djreview.index.atomic_calls import atomic_calls
    from djreview.index.nodes import Nodes

    code = """
import x
setup()


def outer(a, b=default()):
    \"\"\"A docstring naming doc_only() is no call.\"\"\"
    first(a)

    def inner():
        nested(\"é\")

    return after(inner)


class Thing:
    made = build()

    async def method(self):
        await self.step()


@decorate()
def one(): single()
"""
    tree = ast.parse(code)
    inside, outside = atomic_calls(tree, Nodes(tree), code)
    assert inside == frozenset()
    assert {
        ("first", "outer"),
        ("after", "outer"),
        ("nested", "inner"),
        ("Thing.step", "Thing.method"),  # a call through self: keyed by its class
        ("single", "one"),
    } <= outside
    assert {("setup", ""), ("default", ""), ("decorate", ""), ("build", "")} <= outside
    assert not {name for name, caller in outside if caller and name in ("default", "decorate", "build")}
    assert not any(name == "doc_only" for name, _ in outside)  # a docstring's words are no calls


def test_calls_inside_a_transaction_are_told_from_the_calls_around_it():
    import ast

    from djreview.index.atomic_calls import atomic_calls
    from djreview.index.nodes import Nodes

    code = """
from django.db import transaction


@transaction.atomic
def checkout(order):
    pay(order)


def ship(order):
    with transaction.atomic(using=router_db()):
        pack(order)  # see notify_later()

        def later():
            notify(order)
    after_block(order)


def mixed(items):
    with transaction.atomic():
        run_each(items, lambda item: handle(item))
"""
    tree = ast.parse(code)
    inside, outside = atomic_calls(tree, Nodes(tree), code)
    assert {"pay", "pack"} <= inside and ("atomic", "ship") in outside  # its items run outside it
    assert {("router_db", "ship"), ("after_block", "ship"), ("notify", "later")} <= outside
    assert "notify" not in inside and "router_db" not in inside and "after_block" not in inside
    # a comment names a function: no call
    assert "notify_later" not in inside and not any(name == "notify_later" for name, _ in outside)
    # a lambda's calls may run anywhere: outside every function; the rest of the block is inside
    assert "handle" not in inside and ("handle", "") in outside and "run_each" in inside


def test_a_function_named_in_a_string_may_be_called_by_name_anywhere(review):
    # waldur: `BackendMethodTask().si(cluster, "pull_cluster")` runs it from a Celery task, with
    # no transaction, though its one project call is inside atomic(); an `__all__` is no call
    top = """
    from django.db import transaction
    from shop.services import fill

    __all__ = ["checkout", "fill"]


    def checkout(price):
        with transaction.atomic():
            fill(price)
    """
    assert writes(review, CHAIN_HELPER, **{"shop/checkout.py": top}) == []
    task = """
    def schedule(backend, price):
        return getattr(backend, "fill")(price)
    """
    findings = writes(review, CHAIN_HELPER, **{"shop/checkout.py": top, "shop/tasks.py": task})
    assert [(f.path, f.line) for f in findings] == [(SERVICES, 7)]


MANAGERS = """
from django.db import transaction
from shop.models import Item, Order


class OrderManager:
    def commit(self):
        with transaction.atomic():
            self._perform_operations()

    def _perform_operations(self):
        order = Order.objects.create(total=1)
        Item.objects.create(order=order, price=1)


class CartManager:
    def commit(self):
        self._perform_operations()

    def _perform_operations(self):
        order = Order.objects.create(total=2)
        Item.objects.create(order=order, price=2)
"""


def test_a_method_called_through_self_is_told_apart_from_another_class_s_method_of_its_name(review):
    # pretix: OrderChangeManager and CartManager each have commit() and _perform_operations();
    # only the order manager's runs inside atomic()
    findings = writes(review, MANAGERS)
    assert [f.line for f in findings] == [22]  # the cart manager's second write
    assert findings[0].message.startswith("_perform_operations() writes to the database 2 times")


def test_a_call_through_self_in_a_base_class_reaches_the_subclass_s_method(review):
    # Base.run() calls self._apply() outside a transaction; for a Child that is Child._apply
    code = """
    from django.db import transaction
    from shop.models import Item, Order


    class Base:
        def run(self):
            self._apply()


    class Child(Base):
        def safe_run(self):
            with transaction.atomic():
                self._apply()

        def _apply(self):
            order = Order.objects.create(total=1)
            Item.objects.create(order=order, price=1)
    """
    assert [f.line for f in writes(review, code)] == [18]
    # without the base's unprotected call, the method is covered
    unrelated = code.replace("class Child(Base):", "class Child:")
    assert writes(review, unrelated) == []


def test_a_call_of_the_method_s_name_on_another_object_still_reaches_it(review):
    # `manager._perform_operations()` may be the order manager's: its receiver is unknown
    code = (
        MANAGERS
        + """

def elsewhere(manager):
    manager._perform_operations()
"""
    )
    assert sorted(f.line for f in writes(review, code)) == [13, 22]


DRF_SERIALIZER = """
from rest_framework import serializers
from shop.models import Item, Order


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["total"]

    def create(self, validated_data):
        order = Order.objects.create(**validated_data)
        Item.objects.create(order=order, price=1)
        return order
"""

DRF_VIEW = """
from django.db import transaction
from rest_framework import viewsets
from shop.serializers import OrderSerializer


class OrderViewSet(viewsets.ModelViewSet):
    serializer_class = OrderSerializer

    @transaction.atomic
    def perform_create(self, serializer):
        serializer.save()
"""


def test_a_serializer_saved_only_in_its_views_atomic_hooks_is_covered(review):
    # pretix: the item viewsets save their serializers in `@transaction.atomic` perform_create()
    files = {"shop/serializers.py": DRF_SERIALIZER, "shop/views.py": DRF_VIEW}
    assert review({"shop/models.py": MODELS, **files}, select=("DJR104",)) == []


def test_a_serializer_saved_by_drf_s_own_hook_or_elsewhere_is_reported(review):
    plain_hook = DRF_VIEW.replace("    @transaction.atomic\n", "")
    elsewhere = (
        DRF_VIEW
        + """

def import_order(data):
    serializer = OrderSerializer(data=data)
    serializer.is_valid(raise_exception=True)
    serializer.save()
"""
    )
    no_hook = DRF_VIEW.split("    @transaction.atomic")[0]
    for view in (plain_hook, elsewhere, no_hook):
        files = {"shop/serializers.py": DRF_SERIALIZER, "shop/views.py": view}
        findings = review({"shop/models.py": MODELS, **files}, select=("DJR104",))
        assert [(f.path, f.line) for f in findings] == [("shop/serializers.py", 13)], view


def test_a_branch_that_goes_on_to_the_next_item_does_not_precede_the_other_write(review):
    # pulpcore: a first attempt is recorded and the loop goes on; only later rounds fail the item
    code = """
    from shop.models import Item, Order


    def retry(orders):
        for order in orders:
            if order.total == 0:
                Order.objects.filter(pk=order.pk).update(total=1)
                continue
            Item.objects.filter(order=order).update(price=2)


    def retry_inner(orders, items):
        for order in orders:
            if order.total == 0:
                Order.objects.filter(pk=order.pk).update(total=1)
                for item in items:
                    if item.price:
                        continue
            Item.objects.filter(order=order).update(price=2)
    """
    # the twin: a `continue` of an inner loop does not leave the outer round
    assert [f.line for f in writes(review, code)] == [20]


def test_the_same_batch_flushed_in_a_loop_and_after_it_is_one_write(review):
    # openwisp: bulk_create(batch) every chunk, then once more for the rest
    code = """
    from shop.models import Item


    def add_items(order, prices, size):
        batch = []
        for price in prices:
            batch.append(Item(order=order, price=price))
            if len(batch) >= size:
                Item.objects.bulk_create(batch)
                batch = []
        if batch:
            Item.objects.bulk_create(batch)


    def add_two_kinds(order, items, tags):
        Item.objects.bulk_create(items)
        Item.objects.bulk_create(tags)
    """
    # the twin: two different batches
    assert [f.line for f in writes(review, code)] == [18]


def test_a_file_deleted_through_a_relation_and_commit_false_passed_in_kwargs_are_no_writes(review):
    # django-spirit: `user.st.avatar.delete()` deletes a file (the profile's ImageField) even
    # when the user model is Django's; django-oscar-accounts: `kwargs["commit"] = False`
    profile = """
from django.conf import settings
from django.db import models


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prof")
    avatar = models.ImageField(upload_to="a/", blank=True)
    note = models.CharField(max_length=20)
"""
    code = """
from django import forms
from django.contrib.auth import get_user_model

from shop.models import Order


def shrink_avatar(user_id, content):
    user = get_user_model().objects.get(pk=user_id)
    user.prof.avatar.delete()
    user.prof.save()


class OrderForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["total"]

    def save(self, *args, **kwargs):
        kwargs["commit"] = False
        order = super().save(*args, **kwargs)
        order.save()
        self.save_m2m()
        return order


def twin_of_a_field(user_id):
    user = get_user_model().objects.get(pk=user_id)
    user.prof.note.delete()
    user.prof.save()


def twin_of_kwargs(order, **kwargs):
    kwargs["commit"] = True
    Order.objects.create(total=1)
    order.save(**kwargs)
"""
    found = writes(review, code, **{"accounts/__init__.py": "", "accounts/models.py": profile})
    assert [(f.path, f.line) for f in found] == [(SERVICES, 30), (SERVICES, 36)]


def test_admin_hooks_run_in_the_admin_s_transaction_also_from_a_mixin(review):
    # Django's admin runs save_model()/save_related() inside transaction.atomic; django-shop
    # defines save_related() on a mixin that only ModelAdmin classes use
    admin = """
from django.contrib import admin

from shop.models import Order, Tag


class TaggingMixin:
    def save_related(self, request, form, formsets, change):
        form.instance.save()
        form.instance.tags.add(Tag.objects.create(name="x"))


class OrderAdmin(TaggingMixin, admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        obj.save()
        obj.items.create(price=1)


class SharedMixin:
    def save_related(self, request, form, formsets, change):
        form.instance.save()
        form.instance.tags.add(Tag.objects.create(name="x"))


class TagAdmin(SharedMixin, admin.ModelAdmin):
    pass


class Importer(SharedMixin):
    pass


admin.site.register(Order, OrderAdmin)
"""
    found = writes(review, admin, "shop/admin.py")
    assert [(f.path, f.line) for f in found] == [("shop/admin.py", 22)]


def test_a_write_that_only_makes_a_missing_row_is_like_get_or_create(review):
    # cartridge: `if not self.pk: self.save()` before adding an item; drf-stripe: a customer
    # looked up, created only when missing, then its subscription written
    code = """
from shop.models import Item, Order, Tag


def add_item(order, price):
    if not order.pk:
        order.save()
    Item.objects.create(order=order, price=price)


def ensure_tag(name, order):
    tag = Tag.objects.filter(name=name).first()
    if tag is None:
        tag = Tag.objects.create(name=name)
    Item.objects.create(order=order, price=len(tag.name))


def twin(order, price):
    if order.pk:
        order.save()
    Item.objects.create(order=order, price=price)


def twin_made_together(name, order):
    tag = Tag.objects.filter(name=name).first()
    if tag is None:
        tag = Tag.objects.create(name=name)
        Item.objects.create(order=order, price=len(tag.name))
"""
    assert [f.line for f in writes(review, code)] == [21, 28]


def test_a_compensating_write_in_a_handler_that_raises_again(review):
    # django-tenants style: save the row, run DDL, delete the row by hand if the DDL fails
    code = """
from shop.models import Item, Order


class Tenant(Order):
    class Meta:
        proxy = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        try:
            make_schema(self)
        except Exception:
            self.delete()
            raise

    def twin(self):
        super().save()
        try:
            make_schema(self)
        except Exception:
            Item.objects.create(order=self, price=0)


def make_schema(tenant):
    return tenant
"""
    assert [f.line for f in writes(review, code)] == [22]


def test_rows_made_sure_of_then_only_deletes(review):
    # set D: get_or_create() of the rows that must exist, then a clean-up of the others
    code = """
from shop.models import Item, Tag


def reset_tags(names):
    for name in names:
        Tag.objects.get_or_create(name=name)
    Tag.objects.exclude(name__in=names).delete()


def twin(names, order):
    for name in names:
        Tag.objects.get_or_create(name=name)
    Item.objects.create(order=order, price=0)
    Tag.objects.exclude(name__in=names).delete()


def replace_tags(names):
    Tag.objects.all().delete()
    for name in names:
        Tag.objects.get_or_create(name=name)
"""
    # the twins: another write among them; a delete before the rows that replace what it deleted
    assert [f.line for f in writes(review, code)] == [15, 21]


def test_a_best_effort_write_and_savepoints_by_hand(review):
    """A write alone in a `try` whose handler only logs is tolerated to fail (a history row);
    savepoints managed by hand are the author's transaction. A handler that answers an error,
    or a `try` holding both writes, still leaves the first write without the second."""
    code = """
    import logging

    from django.db import transaction
    from shop.models import Item, Order

    logger = logging.getLogger(__name__)


    def logged(order, price):
        order.save()
        try:
            Item.objects.create(order=order, price=price)
        except Exception:
            logger.exception("the item is best effort")


    def by_hand(order, price):
        point = transaction.savepoint()
        order.save()
        Item.objects.create(order=order, price=price)
        transaction.savepoint_commit(point)


    def answered(order, price):
        order.save()
        try:
            Item.objects.create(order=order, price=price)
        except Exception:
            return False
        return True


    def both(order, price):
        try:
            order.save()
            Item.objects.create(order=order, price=price)
        except Exception:
            logger.exception("failed")
    """
    findings = writes(review, code)
    assert [(f.code, f.line) for f in findings] == [("DJR104", 28), ("DJR104", 37)]


def test_a_handler_for_a_lookup_that_finds_nothing_does_not_make_a_write_best_effort(review):
    """`try: order.items.get().delete() except Item.DoesNotExist: pass` tolerates a missing
    row, not a failing write (pretix's domain assignment): still reported."""
    code = """
    from shop.models import Item, Order


    def close(order):
        order.save()
        try:
            Item.objects.get(order=order).delete()
        except Item.DoesNotExist:
            pass
    """
    findings = writes(review, code)
    assert [(f.code, f.line) for f in findings] == [("DJR104", 8)]


def test_the_same_row_updated_again_through_its_key_is_a_checkpoint(review):
    """`Order.objects.filter(pk=x).update(...)` twice around a long call: the same row
    written again, as two `order.save()` are. Another key, or another filter, is another row."""
    code = """
    from shop.models import Item, Order


    def stop(order_id, stop_children):
        Order.objects.filter(pk=order_id).update(total=0)
        stop_children()
        Order.objects.filter(pk=order_id).update(total=1)


    def move(order_id, other_id):
        Order.objects.filter(pk=order_id).update(total=0)
        Order.objects.filter(pk=other_id).update(total=1)
    """
    findings = writes(review, code)
    assert [(f.code, f.line) for f in findings] == [("DJR104", 13)]


def test_super_save_twice_in_save_writes_the_same_row(review):
    """MetaDeploy's ScratchOrg.save(): `ret = super().save()`, then a job is queued and its id
    stored by a second `super().save()`: self's row twice, a checkpoint. The twin writes a
    second row after saving its own."""
    code = """
    from django.db import models

    from shop.models import Order


    class Sandbox(models.Model):
        job_id = models.CharField(max_length=64, blank=True)

        def __str__(self):
            return self.job_id

        def save(self, *args, **kwargs):
            ret = super().save(*args, **kwargs)
            if not self.job_id:
                self.job_id = start_job(self.pk)
                super(Sandbox, self).save()
            return ret


    class Till(models.Model):
        total = models.IntegerField(default=0)

        def __str__(self):
            return str(self.total)

        def save(self, *args, **kwargs):
            super().save(*args, **kwargs)
            Order.objects.create(total=self.total)


    def start_job(pk):
        return str(pk)
    """
    findings = writes(review, code, path="shop/sandbox.py")
    assert [(f.code, f.line) for f in findings] == [("DJR104", 29)]


def test_updates_each_selecting_the_rows_not_yet_done_converge(review):
    """MetaDeploy's daily scrub: `filter(..., error__isnull=False).update(error=None)` on two
    tables; stopped half-way, the next run picks up exactly what is left. The twin's second
    update sets a field its filter does not look at."""
    code = """
    from shop.models import Item, Order


    def scrub(cutoff):
        Order.objects.filter(pk__lte=cutoff, total__gt=0).update(total=0)
        Item.objects.filter(pk__lte=cutoff).exclude(price=0).update(price=0)


    def close(cutoff):
        Order.objects.filter(pk__lte=cutoff, total__gt=0).update(total=0)
        Item.objects.filter(pk__lte=cutoff).update(price=0)


    def empty(orders):
        orders.filter(total__gt=0).update(total=0)
        Item.objects.filter(order__in=orders).exclude(price=0).update(price=0)
    """
    # concordia's unpublish action, the twin `empty()`: the second update's rows are the first's
    # children (`order__in=orders`), one change half-made when it fails between them
    findings = writes(review, code)
    assert [(f.code, f.line) for f in findings] == [("DJR104", 12), ("DJR104", 17)]


def test_an_atomic_caller_calling_through_an_import_alias(review):
    """`from shop.services import fill as fill_order` then `fill_order()` in atomic(): a call
    of `fill`. The twin: the alias called outside a transaction."""
    helper = FILL_HELPER
    callers = """
    from django.db import transaction
    from shop.services import fill as fill_order, refill as refill_order


    @transaction.atomic
    def checkout(price):
        fill_order(price)


    def again(price):
        refill_order(price)
    """
    findings = writes(review, helper, **{"shop/checkout.py": callers})
    assert [(f.path, f.line) for f in findings] == [(SERVICES, 12)]


def test_a_serializer_saved_by_views_under_atomic_requests_is_covered(review):
    """With ATOMIC_REQUESTS every view is one transaction, DRF's own perform_create() too: a
    serializer only views save is covered. Saved in a function too, it is not."""
    plain_hook = DRF_VIEW.replace("    @transaction.atomic\n", "")
    settings = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "ATOMIC_REQUESTS": True}}\n'
    files = {"shop/serializers.py": DRF_SERIALIZER, "shop/views.py": plain_hook, "proj/settings.py": settings}
    assert review({"shop/models.py": MODELS, **files}, select=("DJR104",)) == []
    elsewhere = plain_hook + (
        "\n\ndef import_order(data):\n    serializer = OrderSerializer(data=data)\n"
        "    serializer.is_valid(raise_exception=True)\n    serializer.save()\n"
    )
    files["shop/views.py"] = elsewhere
    findings = review({"shop/models.py": MODELS, **files}, select=("DJR104",))
    assert [(f.path, f.line) for f in findings] == [("shop/serializers.py", 13)]


def test_a_helper_only_management_commands_call(review):
    """An import helper a management command drives runs offline, as the command does; the
    twin, also called from a view, is reported."""
    helper = """
    from shop.models import Item, Order


    def import_orders(rows):
        order = Order.objects.create(total=len(rows))
        Item.objects.bulk_create([Item(order=order, price=p) for p in rows])


    def place_orders(rows):
        order = Order.objects.create(total=len(rows))
        Item.objects.bulk_create([Item(order=order, price=p) for p in rows])
    """
    command = """
    from django.core.management.base import BaseCommand
    from shop.services import import_orders, place_orders


    class Command(BaseCommand):
        def handle(self, *args, **options):
            import_orders([1, 2])
            place_orders([3])
    """
    view = """
    from shop.services import place_orders


    def checkout(request):
        place_orders([4])
    """
    files = {"shop/management/__init__.py": "", "shop/management/commands/load.py": command, "shop/views.py": view}
    findings = writes(review, helper, **files)
    assert [(f.path, f.line) for f in findings] == [(SERVICES, 12)]


def test_a_queryset_held_in_a_name_updated_around_a_send_is_a_checkpoint(review):
    """`batch.update(total=1)`, a send, `batch.update(total=2)`: the same rows marked twice, a
    status checkpoint. Two querysets are two sets of rows."""
    code = """
    from shop.models import Item, Order


    def send(ids, gateway):
        batch = Order.objects.filter(id__in=ids)
        batch.update(total=1)
        gateway.send(list(batch))
        batch.update(total=2)


    def move(ids):
        orders = Order.objects.filter(id__in=ids)
        items = Item.objects.filter(order__in=ids)
        orders.update(total=0)
        items.update(price=0)
    """
    findings = writes(review, code)
    assert [(f.code, f.line) for f in findings] == [("DJR104", 16)]


def test_a_plain_form_whose_save_writes_nothing_and_a_form_s_row_saved_again(review):
    # django-timepiece: YearMonthForm(forms.Form).save() returns two dates; patchman:
    # `host = form.save()` then `host.save()` writes the same row twice. The twins: a plain
    # form whose save() creates a row, and a second row saved after the form's
    forms = """
import datetime

from django import forms

from shop.models import Order


class MonthForm(forms.Form):
    year = forms.IntegerField()

    def save(self):
        start = datetime.date(self.cleaned_data["year"], 1, 1)
        return start, start.replace(month=12)


class OrderForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["total"]
"""
    views = """
from shop.forms import MonthForm, OrderForm
from shop.models import Item, Order


def reject(request):
    form = MonthForm(request.POST)
    if form.is_valid():
        start, end = form.save()
        Order.objects.filter(total__gte=0).update(total=0)


def edit(request, order):
    form = OrderForm(request.POST, instance=order)
    if form.is_valid():
        order = form.save()
        order.save()
"""
    assert writes(review, views, "shop/views.py", **{"shop/forms.py": forms}) == []
    writing = forms.replace("        return start, start.replace(month=12)", "        Order.objects.create(total=1)")
    twin = views.replace("        order.save()", "        Item.objects.create(order=order, price=1)")
    found = writes(review, twin, "shop/views.py", **{"shop/forms.py": writing})
    assert [(f.path, f.line) for f in found] == [("shop/views.py", 10), ("shop/views.py", 17)]
    # given more values before the second save, the form's row is half-written if it fails
    for change in ("order.total = 2", "order.approve()", 'order.data["state"] = 2'):
        changed = views.replace("        order.save()", f"        {change}\n        order.save()")
        found = writes(review, changed, "shop/views.py", **{"shop/forms.py": forms})
        assert [(f.path, f.line) for f in found] == [("shop/views.py", 18)]


def test_a_save_and_delete_on_a_redis_pipeline_are_no_rows(review):
    # django-tasks-scheduler queues `job.save(connection=pipe)` and a registry's
    # `delete(connection=pipe, ...)` on one Redis pipeline; the twin passes `using=`, Django's
    code = """
from shop.models import Order


def enqueue(job, registry, pipe, order_id):
    job.save(connection=pipe)
    registry.delete(connection=pipe, job_name=job.name)
    Order.objects.filter(pk=order_id).update(total=1)
"""
    assert writes(review, code) == []
    twin = code.replace("save(connection=pipe)", 'save(using="default")')
    assert [f.line for f in writes(review, twin)] == [8]


def test_a_row_cached_on_the_class_when_missing_only_makes_a_missing_row(review):
    # RapidSMS's test helper creates a mock backend once per class (`if not hasattr(cls, ...)`),
    # then get_or_create()s a connection. The twin creates the backend on every call
    code = """
from shop.models import Item, Order


class Handler:
    @classmethod
    def run(cls, price):
        if not hasattr(cls, "_order"):
            cls._order = Order.objects.create(total=0)
        Item.objects.create(order=cls._order, price=price)
"""
    assert writes(review, code) == []
    getattr_form = code.replace('not hasattr(cls, "_order")', 'getattr(cls, "_order", None) is None')
    assert writes(review, getattr_form) == []
    twin = code.replace('        if not hasattr(cls, "_order"):\n    ', "")
    assert [f.line for f in writes(review, twin)] == [9]


def test_a_batch_upsert_of_one_table_is_no_unit(review):
    # a mapping sync bulk_create()s the missing rows and bulk_update()s the existing ones:
    # disjoint rows of one table, each valid alone, the next sync writes what is left. The
    # twin writes a second table's rows too
    code = """
from shop.models import Item, Order


def sync(prices, order):
    existing = dict(Item.objects.values_list("price", "id"))
    create = [Item(order=order, price=p) for p in prices if p not in existing]
    update = [Item(id=existing[p], order=order, price=p) for p in prices if p in existing]
    Item.objects.bulk_create(create)
    Item.objects.bulk_update(update, ["order"])
"""
    assert writes(review, code) == []
    twin = code + '    Order.objects.bulk_update([order], ["total"])\n'
    assert [f.line for f in writes(review, twin)] == [10]


def test_a_form_s_row_kept_on_self_and_changed_before_its_second_save(review):
    # shuup: `self.object = form.save()`, then `self.object.modified_by = user`, then
    # `self.object.save()`: half-written if the second save fails. The twin saves it again unchanged
    code = """
class Edit:
    def form_valid(self, form):
        self.object = form.save()
        self.object.modified_by = self.request.user
        self.object.save()
"""
    assert [f.line for f in writes(review, code, "shop/views.py")] == [6]
    unchanged = code.replace("        self.object.modified_by = self.request.user\n", "")
    assert writes(review, unchanged, "shop/views.py") == []


def test_a_receiver_of_a_signal_django_sends_inside_its_transaction(review):
    # paperless-ngx cleans saved views up in `@receiver(post_delete, sender=CustomField)`:
    # Collector.delete() sends pre_delete and post_delete inside its atomic block, and the
    # related managers send m2m_changed inside theirs. post_save is sent after save() commits
    code = """
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from django.dispatch import receiver
    from shop.models import Item, Order


    @receiver(post_delete, sender=Item)
    def recount(sender, instance, **kwargs):
        Order.objects.filter(pk=instance.order_id).update(total=0)
        Item.objects.filter(order_id=instance.order_id, price=0).delete()
        Order.objects.create(total=1)


    @receiver([m2m_changed], sender=Order.tags.through)
    def retag(sender, instance, **kwargs):
        instance.save()
        Item.objects.create(order=instance, price=0)
    """
    assert writes(review, code) == []
    saved = code.replace("@receiver(post_delete, sender=Item)", "@receiver(post_save, sender=Item)")
    assert [(f.code, f.line) for f in writes(review, saved)] == [("DJR104", 10)]


def test_a_row_written_again_through_a_filter_on_its_key(review):
    # healthchecks saves a notification marked "Sending", sends it, then records the outcome
    # with `Notification.objects.filter(id=n.id).update(error=error)`: the same row, a
    # checkpoint. The twin updates another model's row that happens to share the number
    code = """
    from shop.models import Item, Order


    def send(item):
        return ""


    def notify(order):
        item = Item(order=order, price=0)
        item.save()
        error = send(item)
        Item.objects.filter(id=item.id).update(price=len(error))
    """
    assert writes(review, code) == []
    other = code.replace("Item.objects.filter(id=item.id)", "Order.objects.filter(id=item.id)")
    assert [(f.code, f.line) for f in writes(review, other)] == [("DJR104", 13)]


def test_atomic_requests_set_on_the_database_after_its_dict(review):
    # Ghostwriter: `DATABASES["default"]["ATOMIC_REQUESTS"] = True` after the DATABASES dict.
    # The twin sets it on an alias the dict lacks: nothing is known then
    views = """
    from shop.models import Item, Order


    def place(request):
        order = Order.objects.create(total=1)
        Item.objects.create(order=order, price=1)
    """
    settings = """
    DEBUG = False
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"}}
    DATABASES["default"]["ATOMIC_REQUESTS"] = True
    """
    assert writes(review, views, "shop/views.py", **{"config/settings.py": settings}) == []
    other = settings.replace('DATABASES["default"]["ATOMIC', 'DATABASES["replica"]["ATOMIC')
    assert [f.line for f in writes(review, views, "shop/views.py", **{"config/settings.py": other})] == [7]


def test_atomic_requests_in_every_settings_module_when_none_is_production(review):
    # les-emplois: base.py sets ATOMIC_REQUESTS; manage.py names `dev`, which star-imports
    # `test`, which star-imports `base`; production's module comes from the environment. Every
    # settings module the repository has agrees. The twin's dev module drops it
    views = """
    from shop.models import Item, Order


    def place(request):
        order = Order.objects.create(total=1)
        Item.objects.create(order=order, price=1)
    """
    base = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "ATOMIC_REQUESTS": True}}\n'
    files = {
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")\n',
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": base + 'SECRET_KEY = "x"\nINSTALLED_APPS = ["shop"]\n',
        "config/settings/test.py": "from config.settings.base import *\n",
        "config/settings/dev.py": "from config.settings.test import *\nDEBUG = True\n",
    }
    assert writes(review, views, "shop/views.py", **files) == []
    dropped = "from config.settings.test import *\nDEBUG = True\nDATABASES = {}\n"
    found = writes(review, views, "shop/views.py", **{**files, "config/settings/dev.py": dropped})
    assert [f.line for f in found] == [7]


def test_a_create_whose_integrity_error_fetches_the_row_is_a_get_or_create(review):
    # socialhome's preview cache: create the URL's row, or get the one another worker made,
    # then link it. The twin's handler fetches another model's row
    code = """
    from django.db import IntegrityError, transaction
    from shop.models import Item, Order, Tag


    def tag_order(order, name):
        try:
            with transaction.atomic():
                tag = Tag.objects.create(name=name)
        except IntegrityError:
            tag = Tag.objects.get(name=name)
            Order.objects.filter(pk=order.pk).update(total=tag.pk)
            return tag
        Order.objects.filter(pk=order.pk).update(total=tag.pk)
        return tag
    """
    assert writes(review, code) == []
    other = code.replace("tag = Tag.objects.get(name=name)", "tag = Item.objects.get(price=0)")
    assert [(f.code, f.line) for f in writes(review, other)] == [("DJR104", 14)]


def test_a_create_where_the_get_found_nothing_is_a_get_or_create(review):
    # joanie's course sync: `try: get() except DoesNotExist: create()`, then a row that points at it
    code = """
    from shop.models import Item, Order


    def add_item(number, price):
        try:
            order = Order.objects.get(total=number)
        except Order.DoesNotExist:
            order = Order.objects.create(total=number)
        Item.objects.create(order=order, price=price)
    """
    assert writes(review, code) == []
    other = code.replace("except Order.DoesNotExist:", "except ValueError:")
    assert [(f.code, f.line) for f in writes(review, other)] == [("DJR104", 10)]


def test_clearing_links_and_deleting_rows_is_a_clean_up(review):
    # Nitrate's run deletion: `run.tags.clear()`, then the run's rows deleted. The twin links anew
    code = """
    from shop.models import Order


    def drop(order):
        order.tags.clear()
        order.items.all().delete()
        order.delete()
    """
    assert writes(review, code) == []
    relinked = code.replace("order.delete()", "Order.objects.create(total=order.total)")
    assert [(f.code, f.line) for f in writes(review, relinked)] == [("DJR104", 8)]


def test_atomic_requests_of_the_base_kept_through_a_configuration_file_loaded_over_it(review):
    # edX's ecommerce: base.py sets ATOMIC_REQUESTS, production.py star-imports it, then
    # `vars().update(yaml.safe_load(f))` and overrides some keys of DATABASES["default"] in a
    # loop. The file may replace anything, but the code's own statement is the base's: trusted.
    # The twin's base never sets it, and another's production module sets it False after the load
    views = """
    from shop.models import Item, Order


    def place(request):
        order = Order.objects.create(total=1)
        Item.objects.create(order=order, price=1)
    """
    base = """
    DEBUG = False
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "ATOMIC_REQUESTS": True}}
    """
    production = """
    import os

    import yaml

    from .base import *

    with open(os.environ["SHOP_CFG"]) as f:
        vars().update(yaml.safe_load(f))

    DB_OVERRIDES = dict(PASSWORD=os.environ.get("DB_PASS", DATABASES["default"].get("PASSWORD")))
    for override, value in DB_OVERRIDES.items():
        DATABASES["default"][override] = value
    """
    files = {"config/settings/__init__.py": "", "config/settings/base.py": base}
    assert writes(review, views, "shop/views.py", **files, **{"config/settings/production.py": production}) == []
    plain = base.replace(', "ATOMIC_REQUESTS": True', "")
    changed = {**files, "config/settings/base.py": plain, "config/settings/production.py": production}
    found = writes(review, views, "shop/views.py", **changed)
    assert [f.line for f in found] == [7]
    turned_off = production + '    DATABASES["default"]["ATOMIC_REQUESTS"] = False\n'
    found = writes(review, views, "shop/views.py", **files, **{"config/settings/production.py": turned_off})
    assert [f.line for f in found] == [7]


def test_a_save_signal_receiver_under_atomic_requests_joins_the_saving_request(review):
    # lookit's post_save receiver adds a new user to the default labs: the user is saved in a
    # request, one transaction under ATOMIC_REQUESTS. The twins: the same receiver without
    # ATOMIC_REQUESTS, and a post_migrate receiver (sent by the migrate command) with it
    code = """
    from django.db.models.signals import post_migrate, post_save
    from django.dispatch import receiver
    from shop.models import Item, Order


    @receiver(post_save, sender=Order)
    def first_item(sender, instance, created, **kwargs):
        if created:
            Item.objects.create(order=instance, price=0)
            Order.objects.filter(pk=instance.pk).update(total=0)


    @receiver(post_migrate)
    def seed(sender, **kwargs):
        order = Order.objects.create(total=0)
        Item.objects.create(order=order, price=0)
    """
    atomic = 'DEBUG = False\nDATABASES = {"default": {"ENGINE": "x", "ATOMIC_REQUESTS": True}}\n'
    found = writes(review, code, **{"config/settings.py": atomic, "manage.py": ""})
    assert [f.line for f in found] == [17]
    found = writes(review, code, **{"config/settings.py": "DEBUG = False\n", "manage.py": ""})
    assert [f.line for f in found] == [11, 17]


def test_a_helper_reached_from_commands_through_other_helpers(review):
    """foundation.mozilla.org's fake data: the command calls the package's `generate()`, which
    hands on to each module's `generate()`, which writes several rows: all run offline, as the
    command does. The twin, also reached from a view through `refresh()`, is reported; so is a
    helper only calling itself."""
    helper = """
    from shop.models import Item, Order


    def generate(seed):
        order = Order.objects.create(total=seed)
        Item.objects.create(order=order, price=seed)


    def restock(seed):
        order = Order.objects.create(total=seed)
        Item.objects.create(order=order, price=seed)


    def cascade(seed):
        order = Order.objects.create(total=seed)
        Item.objects.create(order=order, price=seed)
        if seed:
            cascade(seed - 1)
    """
    package = """
    from shop import services


    def generate(seed):
        services.generate(seed)


    def refill(seed):
        services.restock(seed)


    def refresh(seed):
        services.restock(seed)
    """
    command = """
    from django.core.management.base import BaseCommand
    from shop.fake import generate, refill


    class Command(BaseCommand):
        def handle(self, *args, **options):
            generate(1)
            refill(2)
    """
    view = """
    from shop.fake import refresh


    def restock_view(request):
        refresh(3)
    """
    files = {
        "shop/fake.py": package,
        "shop/management/__init__.py": "",
        "shop/management/commands/load.py": command,
        "shop/views.py": view,
    }
    findings = writes(review, helper, **files)
    assert [(f.path, f.line) for f in findings] == [(SERVICES, 12), (SERVICES, 17)]


def test_a_model_method_only_views_call_joins_the_request_s_transaction(review):
    """amy's `Person.archive()` is called only from a DeleteView's method: under ATOMIC_REQUESTS
    its writes share the request's transaction. Its twin `Order.reset()`, also called from a
    Celery-like task function, is reported; without ATOMIC_REQUESTS both are."""
    models = MODELS.replace(
        """    def __str__(self):
        return str(self.pk)
""",
        """    def __str__(self):
        return str(self.pk)

    def archive(self):
        Item.objects.filter(order=self).delete()
        self.total = 0
        self.save()

    def reset(self):
        Item.objects.filter(order=self).delete()
        self.total = 0
        self.save()
""",
        1,
    )
    views = """
    from django.views.generic import DeleteView
    from shop.models import Order


    class OrderArchive(DeleteView):
        model = Order

        def form_valid(self, form):
            self.object.archive()
            self.object.reset()
    """
    tasks = """
    from shop.models import Order


    def nightly_reset(order_id):
        Order.objects.get(pk=order_id).reset()
    """
    settings = """
    DEBUG = False
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "ATOMIC_REQUESTS": True}}
    """
    files = {"shop/models.py": models, "shop/views.py": views, "shop/tasks.py": tasks, "manage.py": ""}
    findings = review({**files, "config/settings.py": settings}, select=("DJR104",))
    assert [(f.path, f.line) for f in findings] == [("shop/models.py", 20)]
    assert findings[0].text.startswith("reset()")
    without = review({**files, "config/settings.py": "DEBUG = False\n"}, select=("DJR104",))
    assert [(f.path, f.line) for f in without] == [("shop/models.py", 15), ("shop/models.py", 20)]


def test_a_class_over_a_project_base_the_index_cannot_read_is_maybe_a_view(review):
    """amy on Python 3.11: its views' bases sit in files using PEP 695 generics, which do not
    parse; under ATOMIC_REQUESTS such a class may be a view, and a doubt raises nothing. The
    twin over a readable project base that is no view is reported, and so is the class when
    the settings do not set ATOMIC_REQUESTS."""
    base_views = """
    from django.views.generic import CreateView


    class AppCreateView[FormT](CreateView):
        pass
    """
    views = """
    from shop.base_views import AppCreateView
    from shop.plain import Plain
    from shop.models import Item, Order


    class OrderCreate(AppCreateView):
        def form_valid(self, form):
            order = Order.objects.create(total=1)
            Item.objects.create(order=order, price=1)


    class OrderService(Plain):
        def place(self):
            order = Order.objects.create(total=1)
            Item.objects.create(order=order, price=1)
    """
    settings = """
    DEBUG = False
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "ATOMIC_REQUESTS": True}}
    """
    files = {"shop/base_views.py": base_views, "shop/plain.py": "class Plain:\n    pass\n", "manage.py": ""}
    findings = writes(review, views, "shop/views.py", **files, **{"config/settings.py": settings})
    assert [(f.path, f.line) for f in findings if f.code == "DJR104"] == [("shop/views.py", 16)]
    without = writes(review, views, "shop/views.py", **files, **{"config/settings.py": "DEBUG = False\n"})
    assert [(f.path, f.line) for f in without if f.code == "DJR104"] == [("shop/views.py", 10), ("shop/views.py", 16)]


def test_a_model_method_saving_itself_then_updating_its_own_row_by_key(review):
    """WebODM's Task.handle_import(): `self.save()`, then `Task.objects.filter(pk=self.id)
    .update(...)` while a download runs: its own row again, a checkpoint. The twin updates
    another model's row after saving its own, and is reported."""
    models = MODELS.replace(
        """    def __str__(self):
        return str(self.pk)
""",
        """    def __str__(self):
        return str(self.pk)

    def download(self, chunks):
        self.total = 0
        self.save()
        for chunk in chunks:
            Order.objects.filter(pk=self.id).update(total=chunk)

    def hand_over(self):
        self.total = 0
        self.save()
        Item.objects.filter(pk=self.id).update(price=0)
""",
        1,
    )
    findings = review({"shop/models.py": models}, select=("DJR104",))
    assert [(f.path, f.line) for f in findings] == [("shop/models.py", 21)]


def test_a_helper_called_only_from_a_class_over_an_unreadable_project_base(review):
    """Under ATOMIC_REQUESTS a class over a project base the index cannot read may be a view
    (amy on Python 3.11), so a helper only it calls joins the request's transaction too; the
    same helper under a readable non-view base is reported."""
    base_views = """
    from django.views.generic import DeleteView


    class AppDeleteView[ModelT](DeleteView):
        pass
    """
    services = """
    from shop.models import Item, Order


    def archive(order):
        Item.objects.filter(order=order).delete()
        order.total = 0
        order.save()
    """
    views = """
    from shop.base_views import AppDeleteView
    from shop.services import archive


    class OrderArchive(AppDeleteView):
        def form_valid(self, form):
            archive(self.object)
    """
    settings = """
    DEBUG = False
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "ATOMIC_REQUESTS": True}}
    """
    files = {"shop/base_views.py": base_views, "shop/views.py": views, "manage.py": "", "config/settings.py": settings}
    assert [f for f in writes(review, services, **files) if f.code == "DJR104"] == []
    plain = {**files, "shop/base_views.py": "class AppDeleteView:\n    pass\n"}
    assert [(f.path, f.line) for f in writes(review, services, **plain) if f.code == "DJR104"] == [(SERVICES, 8)]


def test_a_queryset_s_update_elsewhere_is_no_call_of_a_project_method_named_update(review):
    """parking-permits: `CustomerPermit.update()` is called only inside an atomic resolver; a
    `Permit.objects.filter(...).update(...)` in a task is Django's update(), not a call of it.
    The twin whose `update()` is also called from the task is reported."""
    permits = """
    from shop.models import Item, Order


    class OrderEditor:
        def __init__(self, order_id):
            self.order_id = order_id

        def update(self, data):
            return self._reprice(data)

        def _reprice(self, data):
            order = Order.objects.get(pk=self.order_id)
            order.total = data["total"]
            order.save()
            Item.objects.filter(order=order).update(price=0)
    """
    views = """
    from django.db import transaction

    from shop.services import OrderEditor


    @transaction.atomic
    def edit(request):
        OrderEditor(request.POST["id"]).update(request.POST)
    """
    tasks = """
    from shop.models import Order


    def expire():
        Order.objects.filter(total=0).update(total=1)
    """
    files = {"shop/views.py": views, "shop/tasks.py": tasks}
    assert [f for f in writes(review, permits, **files) if f.code == "DJR104"] == []
    called = tasks + "\n\n    def reprice():\n        OrderEditor(1).update({'total': 1})\n"
    findings = writes(review, permits, **{**files, "shop/tasks.py": called})
    assert [(f.path, f.line) for f in findings if f.code == "DJR104"] == [(SERVICES, 16)]


def test_a_dict_update_elsewhere_is_no_call_of_a_plain_class_s_update(review):
    """parking-permits: `form_data.update(order_by)` on a dict, and `service.update()` of
    another class (`service = Parkkihubi(permit)`), are no calls of `CustomerPermit.update()`,
    whose one call runs in an atomic resolver. A call on a name bound to the class, or a
    parameter annotated with it, outside a transaction is still one, and it is reported."""
    editor = """
    from shop.models import Order


    class OrderEditor:
        def __init__(self, order_id):
            self.order_id = order_id

        def update(self, data):
            order = Order.objects.get(pk=self.order_id)
            order.total = data["total"]
            order.save()
            order.tags.clear()


    class Mailer:
        def update(self):
            return None
    """
    views = """
    from django.db import transaction

    from shop.services import OrderEditor


    @transaction.atomic
    def edit(request):
        OrderEditor(request.POST["id"]).update(request.POST)
    """
    tasks = """
    from shop.services import Mailer, OrderEditor


    def merge(data, extra):
        form_data = {**data}
        form_data.update(extra)
        return form_data


    def notify():
        service = Mailer()
        service.update()
    """
    files = {"shop/views.py": views, "shop/tasks.py": tasks}
    assert [f for f in writes(review, editor, **files) if f.code == "DJR104"] == []
    bound = tasks + "\n\n    def reprice():\n        editor = OrderEditor(1)\n        editor.update({'total': 1})\n"
    findings = writes(review, editor, **{**files, "shop/tasks.py": bound})
    assert [(f.path, f.line) for f in findings if f.code == "DJR104"] == [(SERVICES, 13)]
    annotated = tasks + "\n\n    def reprice(editor: OrderEditor):\n        editor.update({'total': 1})\n"
    findings = writes(review, editor, **{**files, "shop/tasks.py": annotated})
    assert [(f.path, f.line) for f in findings if f.code == "DJR104"] == [(SERVICES, 13)]
    # a class built on one the index cannot read (a model over model_utils' TimeStampedModel)
    # may be anything: every `update()` is taken for a call of it
    unread = editor.replace("class OrderEditor:", "class OrderEditor(Editor):").replace(
        "from shop.models import Order", "from shop.models import Order\n    from vendor.editing import Editor"
    )
    findings = writes(review, unread, **files)
    assert [(f.path, f.line) for f in findings if f.code == "DJR104"] == [(SERVICES, 14)]


def test_a_helper_called_from_function_views_under_atomic_requests(review):
    """zentral: a manager method is called from a `View.post()` and from
    `dep_web_enroll_callback(request, ...)`, a function view; with ATOMIC_REQUESTS both run in
    the request's transaction. The twin's second caller takes no request: a task, reported."""
    services = """
    from shop.models import Item, Order


    def enroll(order_id):
        order = Order.objects.get(pk=order_id)
        order.total = 1
        order.save()
        Item.objects.create(order=order, price=1)
    """
    views = """
    from django.http import HttpResponse
    from django.views import View

    from shop.services import enroll


    class EnrollView(View):
        def post(self, request):
            enroll(request.POST["id"])
            return HttpResponse(status=201)


    def enroll_callback(request, order_id):
        enroll(order_id)
        return HttpResponse(status=201)
    """
    settings = """
    DEBUG = False
    DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop", "ATOMIC_REQUESTS": True}}
    """
    files = {"shop/views.py": views, "manage.py": "", "config/settings.py": settings}
    assert [f for f in writes(review, services, **files) if f.code == "DJR104"] == []
    task = views.replace("def enroll_callback(request, order_id):", "def enroll_callback(order_id):")
    findings = writes(review, services, **{**files, "shop/views.py": task})
    assert [(f.path, f.line) for f in findings if f.code == "DJR104"] == [(SERVICES, 9)]
