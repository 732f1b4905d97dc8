"""What djreview knows about Django's ORM without importing Django.

See the "ORM facts" table in DESIGN.md: these names are what the query rules rest on.
"""

from __future__ import annotations

# QuerySet methods that return another queryset of the same model instances.
QUERYSET_RETURNING = frozenset(
    {
        "all",
        "filter",
        "exclude",
        "order_by",
        "select_related",
        "prefetch_related",
        "annotate",
        "alias",
        "distinct",
        "reverse",
        "defer",
        "only",
        "using",
        "select_for_update",
        "extra",
        "none",
        "union",
        "intersection",
        "difference",
        "complex_filter",
        "get_queryset",
        "iterator",
    }
)
# Methods whose rows are dicts/tuples: looping over them touches no relation.
VALUES_METHODS = frozenset({"values", "values_list", "dates", "datetimes", "aggregate", "count", "exists"})
# Methods that return one model instance.
INSTANCE_RETURNING = frozenset({"get", "first", "last", "earliest", "latest", "create"})
# On a related manager these always run a query, prefetched or not.
QUERYING_ON_RELATED = frozenset(
    {
        "filter",
        "exclude",
        "get",
        "order_by",
        "values",
        "values_list",
        "annotate",
        "aggregate",
        "latest",
        "earliest",
        "first",
        "last",
        "distinct",
        "only",
        "defer",
        "select_related",
        "in_bulk",
        "reverse",
        "extra",
    }
)
# On a related manager these are served by the prefetch cache.
CACHED_ON_RELATED = frozenset({"all", "count", "exists"})

MODELS = "django.db.models"
MODEL_BASES = frozenset(
    {
        f"{MODELS}.Model",
        f"{MODELS}.base.Model",
        "django.contrib.gis.db.models.Model",
    }
)
MANAGER_BASES = frozenset({f"{MODELS}.Manager", f"{MODELS}.manager.Manager", f"{MODELS}.manager.BaseManager"})
QUERYSET_BASES = frozenset({f"{MODELS}.QuerySet", f"{MODELS}.query.QuerySet"})
MODELFORM_BASES = frozenset(
    {
        "django.forms.ModelForm",
        "django.forms.models.ModelForm",
        "django.contrib.auth.forms.UserCreationForm",
        "django.contrib.auth.forms.BaseUserCreationForm",
        "django.contrib.auth.forms.UserChangeForm",
    }
)
SERIALIZER_BASES = frozenset({"rest_framework.serializers.ModelSerializer"})
HYPERLINKED_SERIALIZER_BASES = frozenset({"rest_framework.serializers.HyperlinkedModelSerializer"})
# DRF's class-based views: APIView and everything built on it. `APIView.as_view()` exempts the
# view from Django's CSRF check; SessionAuthentication enforces CSRF itself (DJR403, DJR303).
DRF_VIEW_BASES = frozenset(
    {
        "rest_framework.views.APIView",
        *(
            f"rest_framework.generics.{name}APIView"
            for name in (
                "Generic",
                "Create",
                "List",
                "Retrieve",
                "Destroy",
                "Update",
                "ListCreate",
                "RetrieveUpdate",
                "RetrieveDestroy",
                "RetrieveUpdateDestroy",
            )
        ),
        *(
            f"rest_framework.viewsets.{name}"
            for name in ("ViewSet", "GenericViewSet", "ReadOnlyModelViewSet", "ModelViewSet")
        ),
    }
)
# factory -> index of the positional argument that names the model
MODELFORM_FACTORIES = {
    "django.forms.modelform_factory": 0,
    "django.forms.models.modelform_factory": 0,
    "django.forms.modelformset_factory": 0,
    "django.forms.models.modelformset_factory": 0,
    "django.forms.inlineformset_factory": 1,
    "django.forms.models.inlineformset_factory": 1,
}


def _kinds(*names: str) -> frozenset[str]:
    prefixes = (
        f"{MODELS}.",
        f"{MODELS}.fields.related.",
        "django.contrib.gis.db.models.",
    )
    return frozenset(p + n for p in prefixes for n in names)


FOREIGN_KEY = _kinds("ForeignKey")
ONE_TO_ONE = _kinds("OneToOneField")
MANY_TO_MANY = _kinds("ManyToManyField")
GENERIC_FK = frozenset(
    {"django.contrib.contenttypes.fields.GenericForeignKey", "django.contrib.contenttypes.generic.GenericForeignKey"}
)
GENERIC_RELATION = frozenset({"django.contrib.contenttypes.fields.GenericRelation"})
AUTO_FIELDS = _kinds("AutoField", "BigAutoField", "SmallAutoField")

# Django's own models that project models point at or inherit from.
# name -> (app_label, defines __str__ somewhere in its MRO, abstract)
DJANGO_MODELS = {
    "django.contrib.auth.models.AbstractBaseUser": ("auth", True, True),
    "django.contrib.auth.base_user.AbstractBaseUser": ("auth", True, True),
    "django.contrib.auth.models.AbstractUser": ("auth", True, True),
    "django.contrib.auth.models.PermissionsMixin": ("auth", False, True),
    "django.contrib.auth.models.User": ("auth", True, False),
    "django.contrib.auth.models.Group": ("auth", True, False),
    "django.contrib.auth.models.Permission": ("auth", True, False),
    "django.contrib.contenttypes.models.ContentType": ("contenttypes", True, False),
    "django.contrib.sites.models.Site": ("sites", True, False),
    "django.contrib.flatpages.models.FlatPage": ("flatpages", True, False),
    "django.contrib.sessions.base_session.AbstractBaseSession": ("sessions", True, True),
}
# Django's own models whose save() does more than write the row (a bulk operation skips it).
DJANGO_SAVE_LOGIC = {
    "django.contrib.auth.models.AbstractBaseUser": "AbstractBaseUser.save() (password_changed)",
    "django.contrib.auth.base_user.AbstractBaseUser": "AbstractBaseUser.save() (password_changed)",
    "django.contrib.auth.models.AbstractUser": "AbstractBaseUser.save() (password_changed)",
    "django.contrib.auth.models.User": "AbstractBaseUser.save() (password_changed)",
    "django.contrib.sites.models.Site": "the pre_save receiver clear_site_cache of Site",
}
DJANGO_MODEL_LABELS = {
    "auth.User": "django.contrib.auth.models.User",
    "auth.Group": "django.contrib.auth.models.Group",
    "auth.Permission": "django.contrib.auth.models.Permission",
    "contenttypes.ContentType": "django.contrib.contenttypes.models.ContentType",
    "sites.Site": "django.contrib.sites.models.Site",
}

# Django's string fields (DJR203): "no data" can be both NULL and "" when they are nullable.
STRING_FIELDS = frozenset(
    f"{module}.{name}"
    for module in (MODELS, f"{MODELS}.fields")
    for name in ("CharField", "TextField", "SlugField", "EmailField", "URLField", "FilePathField")
)
