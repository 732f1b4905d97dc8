"""DJR206 status-without-choices: a status-like CharField or integer field without choices."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

PATH = "shop/models.py"


def statuses(review, source: str, **extra: str):
    return review({PATH: source, **extra}, select=("DJR206",))


def test_reports_a_status_charfield_with_the_values_the_project_assigns(review):
    source = """
from django.db import models


class Order(models.Model):
    status = models.CharField(max_length=20)
"""
    views = """
from shop.models import Order


def pay(order):
    order.status = "paid"
    Order.objects.filter(status="new").update(status="shipped")
"""
    findings = statuses(review, source, **{"shop/views.py": views})
    assert codes_lines(findings) == [("DJR206", PATH, 6)]
    assert findings[0].text == (
        'Order.status is a CharField without choices (the project gives it "new", "paid", "shipped"): any value '
        "is accepted, a typo is stored silently, and forms and the admin offer a free-text box. Declare the "
        "values once, in a TextChoices class, and pass choices=OrderStatus.choices."
    )
    assert findings[0].fix.applicability == "suggestion"
    assert (
        fixed(source, findings)
        == """
from django.db import models


class OrderStatus(models.TextChoices):
    NEW = "new"
    PAID = "paid"
    SHIPPED = "shipped"


class Order(models.Model):
    status = models.CharField(max_length=20, choices=OrderStatus.choices)
"""
    )


def test_every_status_name_and_integer_kind(review):
    source = """
from django.db import models


class Step(models.Model):
    state = models.IntegerField()
    stage = models.PositiveSmallIntegerField(default=1)
    payment_status = models.CharField(max_length=5)
    review_state = models.SmallIntegerField()
    kind = models.CharField(max_length=5)
    KIND_BIG = "big"
    KIND_SMALL = "small"
"""
    findings = statuses(review, source)
    assert [line for _, _, line in codes_lines(findings)] == [6, 7, 8, 9, 10]
    assert "(the project gives it" not in findings[0].text
    assert '    BIG = "big"\n    SMALL = "small"\n' in fixed(source, findings[-1:])


def test_not_reported_with_choices_bounded_numbers_addresses_or_generic_names(review):
    source = """
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models


class Order(models.Model):
    status = models.CharField(max_length=20, choices=[("a", "A")])
    level = models.PositiveIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    stage = models.IntegerField(validators=[MaxValueValidator(9)])
    type = models.CharField(max_length=100)  # a MIME type, say: no TYPE_ constants
    tree_level = models.PositiveIntegerField(editable=False)
    status_note = models.TextField()
    extra = models.CharField(max_length=10, **{"choices": []})


class Address(models.Model):
    city = models.CharField(max_length=20)
    state = models.CharField(max_length=20)


class Invoice(models.Model):
    billing_country = models.CharField(max_length=2)
    billing_state = models.CharField(max_length=20)


class StatusForm:
    status = models.CharField(max_length=20)
"""
    assert statuses(review, source) == []


def test_an_optional_copy_of_another_system_s_status_is_not_reported(review):
    # django-paypal: `payment_status = CharField(max_length=255, blank=True)` holds what the IPN
    # posts; choices would make the ModelForm reject PayPal's next new status
    source = """
from django.db import models


class Notice(models.Model):
    payment_status = models.CharField(max_length=255, blank=True)
    payer_status = models.CharField(max_length=255, blank=True)
    review_status = models.CharField(max_length=255, blank=True, default="new")
    state = models.CharField(max_length=20)
"""
    views = """
from shop.models import Notice


def flag(notice):
    notice.payer_status = "verified"
    notice.save()
"""
    # the twins: values the project gives it, a default of its own, a required field
    assert [line for _, _, line in codes_lines(statuses(review, source, **{"shop/views.py": views}))] == [7, 8, 9]


def test_values_are_not_named_when_several_models_hold_the_field(review):
    # set E's django-crm: `obj.status = "open"` could be any model's status
    source = """
from django.db import models


class Order(models.Model):
    status = models.CharField(max_length=20)


class Ticket(models.Model):
    status = models.CharField(max_length=20)


class Invoice(models.Model):
    status = models.CharField(max_length=20, choices=[("open", "Open")])
"""
    views = """
def close(ticket):
    ticket.status = "open"
"""
    findings = statuses(review, source, **{"shop/views.py": views})
    assert [f.line for f in findings] == [6, 10]
    assert all("the project gives it" not in f.message for f in findings)


def test_copies_free_text_and_optional_fields_another_model_s_literal_does_not_claim(review):
    """A transition's `source_state`/`target_state` copy the ticket's state; a 200-character
    `state` given no value is a progress message; a `null=True` field whose only literal is a
    same-named field's of another model records what a CI system sends. The twins: a required
    short state, and one with a default of its own."""
    source = """
from django.db import models


class Ticket(models.Model):
    state = models.CharField(max_length=20)
    job_status = models.CharField(max_length=50, null=True, blank=True)


class TicketUpdate(models.Model):
    source_state = models.CharField(max_length=50, null=True)
    target_state = models.CharField(max_length=50, null=True)


class Variable(models.Model):
    state = models.CharField(max_length=200, blank=True)
    phase = models.CharField(max_length=20)


class TestRun(models.Model):
    job_status = models.CharField(max_length=128, null=True)
    run_state = models.CharField(max_length=128, default="queued")
"""
    views = """
def cancel(ticket):
    ticket.job_status = "Canceled"
    ticket.save()
"""
    findings = statuses(review, source, **{"shop/views.py": views})
    assert [line for _, _, line in codes_lines(findings)] == [6, 22]


def test_default_none_is_no_value_of_the_project_s_own(review):
    # peering-manager: `rir_status = CharField(null=True, default=None, max_length=255)` holds
    # what a registry reports; `default=None` says only "unset". The twin's default is a status
    source = """
from django.db import models


class Network(models.Model):
    rir_status = models.CharField("RIR status", null=True, default=None, max_length=255)
"""
    assert statuses(review, source) == []
    own = source.replace("default=None", 'default="ok"')
    assert [line for _, _, line in codes_lines(statuses(review, own))] == [6]


def test_a_status_stored_from_a_provider_s_data(review):
    # a MercadoPago integration stores `status` as the provider reports it
    # (`update_or_create(defaults={"status": raw["status"]})`): choices would reject the next
    # status the provider adds. The twin stores a literal of its own
    source = """
from django.db import models


class Payment(models.Model):
    mp_id = models.BigIntegerField(unique=True)
    status = models.CharField(max_length=16)
"""
    views = """
from shop.models import Payment


def store(raw):
    return Payment.objects.update_or_create(mp_id=raw["id"], defaults={"status": raw["status"]})
"""
    assert statuses(review, source, **{"shop/views.py": views}) == []
    own = views.replace('{"status": raw["status"]}', '{"status": "approved"}')
    assert [line for _, _, line in codes_lines(statuses(review, source, **{"shop/views.py": own}))] == [7]


def test_a_received_status_with_a_default_of_the_project_s_own_is_reported(review):
    # oscar's offers: `status = CharField(max_length=64, default=OPEN)` is the project's own
    # enumeration even where some code stores received data in a field named `status`
    source = """
from django.db import models


class Offer(models.Model):
    OPEN = "Open"
    status = models.CharField(max_length=64, default=OPEN)
    state = models.CharField(max_length=64, blank=True, default="")
"""
    views = """
def store(offer, data):
    offer.status = data["status"]
    offer.state = data["state"]
"""
    found = statuses(review, source, **{"shop/views.py": views})
    assert [line for _, _, line in codes_lines(found)] == [7]


def test_names_copied_from_a_response_in_a_loop_are_the_provider_s(review):
    # django-fluent-contents caches an oEmbed answer: `for key in ("type", "title"):
    # setattr(self, key, response[key])`; the model's TYPE_PHOTO/TYPE_VIDEO name some of the
    # spec's values. The twin's project writes a literal type of its own
    source = """
from django.db import models


class EmbedItem(models.Model):
    TYPE_PHOTO = "photo"
    TYPE_VIDEO = "video"

    type = models.CharField(max_length=20)

    def store_response(self, response):
        for key in ("type", "title"):
            if key in response:
                setattr(self, key, response[key])
"""
    assert statuses(review, source) == []
    own = source + "\n    def mark_link(self):\n        self.type = 'link'\n"
    assert codes_lines(statuses(review, own)) == [("DJR206", PATH, 9)]


def test_a_unique_status_is_the_label_of_a_lookup_table(review):
    # Ghostwriter's `ObjectiveStatus.objective_status` is unique: each row is one status, and
    # objectives point at the rows (a unique label on a model of another name is one too). The
    # twin's status repeats over the rows of a model that is no status
    source = """
from django.db import models


class Stage(models.Model):
    objective_status = models.CharField(max_length=20, unique=True)
"""
    assert statuses(review, source) == []
    assert codes_lines(statuses(review, source.replace(", unique=True", ""))) == [("DJR206", PATH, 6)]


def test_a_protocol_s_status_codes_are_not_the_project_s_states(review):
    # rengine's `Subdomain.http_status` holds the HTTP code a scanned server answered; a
    # process's `exit_status` is the OS's. The twin's `review_status` is the project's own
    source = """
from django.db import models


class Subdomain(models.Model):
    http_status = models.IntegerField(default=0)
    exit_status = models.IntegerField(default=0)
"""
    assert statuses(review, source) == []
    own = source.replace("    exit_status", "    review_status")
    assert codes_lines(statuses(review, own)) == [("DJR206", PATH, 7)]


def test_an_integer_status_that_holds_http_codes_by_its_help_text_or_default(review):
    # readthedocs' PageView.status: `PositiveIntegerField(default=200, help_text="HTTP status code")`
    source = """
from django.db import models


class PageView(models.Model):
    status = models.PositiveIntegerField(default=200)
    state = models.PositiveIntegerField(default=1, help_text="HTTP status code")
    review_status = models.PositiveIntegerField(default=1, help_text="where the review is")
"""
    assert codes_lines(statuses(review, source)) == [("DJR206", PATH, 8)]


def test_a_field_class_that_takes_its_choices_from_the_model_in_contribute_to_class(review):
    # adhocracy-plus's feedback field: `self.choices = cls.feedback_status_choices`. The twin's
    # contribute_to_class sets something else
    fields = """
from django.db import models


class FeedbackField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs["max_length"] = 50
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls, name, **kwargs):
        self.choices = getattr(cls, "feedback_status_choices", None)
        super().contribute_to_class(cls, name, **kwargs)
"""
    source = """
from django.db import models

from shop.fields import FeedbackField


class Idea(models.Model):
    feedback_status_choices = (("new", "New"), ("done", "Done"))
    feedback_status = FeedbackField(default="new")
"""
    assert statuses(review, source, **{"shop/fields.py": fields}) == []
    other = fields.replace("self.choices = ", "self.help_text = ")
    assert codes_lines(statuses(review, source, **{"shop/fields.py": other})) == [("DJR206", PATH, 9)]


def test_a_status_created_from_a_local_holding_posted_data_is_received(review):
    # astrobin's agent log: `stage = request.POST.get("stage")`, then `create(stage=stage)`.
    # The twin's local holds a literal of the project's own
    source = """
from django.db import models


class AgentLog(models.Model):
    serial = models.CharField(max_length=32, db_index=True)
    stage = models.CharField(max_length=32, editable=False)


def log(request):
    stage = request.POST.get("stage")
    AgentLog.objects.create(serial=request.POST.get("serial"), stage=stage)
"""
    assert statuses(review, source) == []
    own = source.replace('stage = request.POST.get("stage")', 'stage = "booting"')
    assert codes_lines(statuses(review, own)) == [("DJR206", PATH, 7)]


def test_a_table_another_system_owns_keeps_its_values(review):
    """emgapi's `managed = False` view of ENA's assemblies: the statuses are the other system's;
    choices would change only forms and an admin the model does not have. Its managed twin
    is reported."""
    source = """
from django.db import models


class Assembly(models.Model):
    status = models.CharField(max_length=20)

    class Meta:
        managed = False
        db_table = "GCS_ASSEMBLY"


class Run(models.Model):
    status = models.CharField(max_length=20)
"""
    assert codes_lines(statuses(review, source)) == [("DJR206", PATH, 14)]


def test_the_label_column_of_a_model_that_is_the_status(review):
    """emgapi's `AnalysisStatus.analysis_status` and `Status.status`: each row is one status,
    other models point at it; the column is the row's label, not an enumeration. A status on
    a model that merely has one is reported."""
    source = """
from django.db import models


class AnalysisStatus(models.Model):
    SCHEDULED = 1
    RUNNING = 2
    analysis_status = models.CharField(max_length=25)


class Status(models.Model):
    status = models.CharField(max_length=25)


class Analysis(models.Model):
    analysis_status = models.ForeignKey(AnalysisStatus, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=25)
"""
    assert codes_lines(statuses(review, source)) == [("DJR206", PATH, 17)]
