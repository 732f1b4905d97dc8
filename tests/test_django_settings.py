"""The settings reader: what production settings get, from settings modules read as literals."""

from __future__ import annotations

import ast
import textwrap

from djreview.index.django_settings import ProjectSettings, SettingValue, is_development
from djreview.index.extract import extract


def settings_of(files: dict[str, str], modules: dict[str, str] | None = None) -> ProjectSettings:
    """`modules`: a module name for a path that is not inside packages all the way up."""
    facts = []
    for path, text in files.items():
        text = textwrap.dedent(text)
        module = (modules or {}).get(path) or path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
        facts.append(extract(ast.parse(text), path, module, text))
    return ProjectSettings(facts)


SPLIT = {
    "proj/settings/__init__.py": "",
    "proj/settings/base.py": """
        import os
        DEBUG = False
        SECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-abc")
        ALLOWED_HOSTS = ["example.com"]
        INSTALLED_APPS = ["django.contrib.auth"]
        REST_FRAMEWORK = {
            "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        }
    """,
    "proj/settings/prod.py": """
        from .base import *
        ALLOWED_HOSTS += ["api.example.com"]
        REST_FRAMEWORK["PAGE_SIZE"] = 50
        try:
            from .local import *
        except ImportError:
            pass
    """,
    "proj/settings/dev.py": """
        from .base import *
        DEBUG = True
        ALLOWED_HOSTS = ["*"]
    """,
    "proj/settings/local.py": """
        DEBUG = True
    """,
}


def test_production_is_the_module_nobody_star_imports_and_not_a_dev_one():
    project = settings_of(SPLIT)
    assert project.production == ["proj.settings.prod"]


def test_values_are_inherited_extended_and_keyed():
    project = settings_of(SPLIT)
    assert project.setting("DEBUG") == SettingValue("set", False, "proj/settings/base.py", 3)
    assert project.setting("ALLOWED_HOSTS").value == ["example.com", "api.example.com"]
    assert project.setting("ALLOWED_HOSTS").path == "proj/settings/prod.py"
    assert project.drf_setting("PAGE_SIZE").value == 50
    assert project.drf_setting("DEFAULT_PERMISSION_CLASSES").value == ["rest_framework.permissions.IsAuthenticated"]
    assert project.drf_setting("DEFAULT_PAGINATION_CLASS").state == "absent"
    assert project.setting("CSRF_COOKIE_SECURE").state == "absent"


def test_an_environment_read_is_unknown_but_keeps_its_fallback():
    project = settings_of(SPLIT)
    assert project.setting("SECRET_KEY").state == "unknown"
    inherited = {i.name: i for i in project.inherited_from("proj/settings/base.py")}
    secret = inherited["SECRET_KEY"]
    assert (secret.value.kind, secret.value.literal, secret.value.has_fallback) == ("env", "django-insecure-abc", True)
    assert secret.production == ("proj.settings.prod",)
    assert "ALLOWED_HOSTS" not in inherited  # prod.py extends it: the value is set there


def test_a_lone_settings_module_is_production():
    project = settings_of({"mysite/__init__.py": "", "mysite/settings.py": "DEBUG = True\nSECRET_KEY = 'x'\n"})
    assert project.production == ["mysite.settings"]
    assert project.setting("DEBUG").value is True


def test_no_settings_module_means_unknown():
    project = settings_of({"app/models.py": "X = 1\n"})
    assert project.setting("DEBUG").state == "unknown"
    assert project.drf_setting("DEFAULT_PERMISSION_CLASSES").state == "unknown"


def test_modules_that_disagree_make_the_value_unknown():
    project = settings_of(
        {
            "a/settings.py": "REST_FRAMEWORK = {'PAGE_SIZE': 10}\n",
            "b/settings.py": "REST_FRAMEWORK = {'PAGE_SIZE': 20}\n",
        }
    )
    assert project.drf_setting("PAGE_SIZE").state == "unknown"


def test_a_star_import_of_a_module_not_read_makes_absent_names_unknown():
    project = settings_of({"proj/settings.py": "from split_settings_helpers import *\nDEBUG = False\n"})
    assert project.setting("DEBUG").value is False
    assert project.setting("SECRET_KEY").state == "unknown"


def test_assignments_under_a_condition_are_unknown():
    project = settings_of({"proj/settings.py": "import os\nDEBUG = False\nif os.environ.get('X'):\n    DEBUG = True\n"})
    assert project.setting("DEBUG").state == "unknown"


def test_django_settings_module_names_a_module_not_named_like_settings():
    project = settings_of(
        {
            "manage.py": "import os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.production')\n",
            "config/__init__.py": "",
            "config/common.py": "INSTALLED_APPS = []\nDEBUG = True\n",
            "config/production.py": "from config.common import *\nDEBUG = False\n",
        }
    )
    assert project.production == ["config.production"]
    assert project.setting("DEBUG").value is False


def test_environment_fallbacks_of_common_libraries():
    project = settings_of(
        {
            "proj/settings.py": """
                import os
                import environ
                from decouple import config
                env = environ.Env()
                DEBUG = os.environ.get("DJANGO_DEBUG", "True") == "True"
                SESSION_COOKIE_SECURE = env.bool("SECURE", default=False)
                CSRF_COOKIE_SECURE = config("CSRF_SECURE", default="no", cast=bool)
                ALLOWED_HOSTS = os.getenv("HOSTS", "*").split(",")
                SECRET_KEY = os.environ["SECRET_KEY"]
                SECURE_SSL_REDIRECT = env("SSL", default="1").lower() in ("1", "true")
            """
        }
    )
    got = {i.name: i.value for i in project.inherited_from("proj/settings.py")}
    fallbacks = {name: (v.literal if v.has_fallback else "no fallback") for name, v in got.items() if v.kind == "env"}
    assert fallbacks == {
        "DEBUG": True,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "ALLOWED_HOSTS": ["*"],
        "SECRET_KEY": "no fallback",
        "SECURE_SSL_REDIRECT": True,
    }


def test_development_names():
    for name in ("proj.settings.dev", "proj.settings.local", "proj.local_settings", "proj.test_settings", "ci"):
        assert is_development(name), name
    # Nitrate's `devel`; pythondotorg's `static`, for collectstatic while the image is built
    for name in ("tcms.settings.devel", "pydotorg.settings.static", "proj.collectstatic_settings"):
        assert is_development(name), name
    for name in ("proj.settings", "proj.settings.prod", "proj.settings.base", "proj.settings.production"):
        assert not is_development(name), name
    # DefectDojo's `unittests` (its production module is built by django-split-settings)
    for name in ("dojo.settings.unittests", "proj.settings.unit_tests", "proj.settings.integration_test"):
        assert is_development(name), name
    for name in ("proj.settings.contest", "proj.settings.latest", "proj.settings.attestation"):
        assert not is_development(name), name
    assert is_development("tests.proj.settings") and is_development("auth_tests.settings")
    assert is_development("testproject.settings")
    # a library's demo project beside it (django-defender's exampleapp)
    for name in ("exampleapp.settings", "demo_project.settings", "example_site.settings", "sandbox.settings"):
        assert is_development(name), name
    for name in ("democracy.settings", "examplesite_shop.settings", "sandboxing.settings"):
        assert not is_development(name), name


def test_a_call_handed_the_module_or_loading_more_settings_makes_everything_unknown():
    dynaconf = settings_of(
        {"proj/settings.py": "DEBUG = True\nALLOWED_HOSTS = ['*']\nsettings = DjangoDynaconf(__name__)\n"}
    )
    assert dynaconf.setting("DEBUG").state == "unknown"
    heroku = settings_of({"proj/settings.py": "import django_heroku\nDEBUG = True\ndjango_heroku.settings(locals())\n"})
    assert heroku.setting("DEBUG").state == "unknown"
    loader = settings_of({"proj/settings.py": "DEBUG = True\nimport_local_settings('/etc/x')\nSECRET_KEY = 'k'\n"})
    assert (loader.setting("DEBUG").state, loader.setting("SECRET_KEY").value) == ("unknown", "k")
    computed = settings_of({"proj/settings.py": "DEBUG = True\nLOGGING = logging_settings(DEBUG)\n"})
    assert computed.setting("DEBUG").value is True  # an assignment's call sets only its name


def test_a_star_import_of_a_module_not_in_the_project_may_override_anything():
    # ReviewBoard's settings.py: DEBUG = True, then the site's settings_local.py (not shipped)
    files = {"rb/settings.py": "DEBUG = True\ntry:\n    from settings_local import *\nexcept ImportError:\n    pass\n"}
    assert settings_of(files).setting("DEBUG").state == "unknown"


def test_sandbox_and_workbench_projects_are_development():
    assert is_development("sandbox.settings") and is_development("shop_workbench.settings.base_settings")
    assert not is_development("shop.settings")


def test_a_name_imported_from_a_folder_below_matches_one_level_down_only():
    project = settings_of(
        {
            "ls/core/settings/base.py": "DEBUG = True\nINSTALLED_APPS = []\nSECRET_KEY = 'k'\n",
            "ls/core/settings/prod.py": "from core.settings.base import *\nALLOWED_HOSTS = []\n",
            "ls/deep/conf/settings_local.py": "DEBUG = False\n",
            "rb/settings.py": "SECRET_KEY = 'k'\ntry:\n    from settings_local import *\nexcept ImportError:\n    pass\n",
        }
    )
    assert project.find("core.settings.base") == "ls.core.settings.base"
    assert project.find("settings_local") == "settings_local"  # not ls.deep.conf.settings_local
    assert project.setting("INSTALLED_APPS").state == "unknown"  # rb/settings.py may get anything


def test_a_top_level_name_is_the_file_beside_the_importer_not_one_elsewhere():
    project = settings_of(
        {
            "rb/__init__.py": "",
            "rb/settings.py": "DEBUG = True\ntry:\n    from settings_local import *\nexcept ImportError:\n    pass\n",
            # settings in a folder that is no package: its module name is its stem
            "rb/extensions/conf/settings_local.py": "DEBUG = False\nSECRET_KEY = 'k'\nINSTALLED_APPS = []\n",
        },
        modules={"rb/extensions/conf/settings_local.py": "settings_local"},
    )
    assert project.find("settings_local", "rb.settings") != "settings_local"
    assert project.setting("DEBUG").state == "unknown"


def test_an_app_s_settings_module_reading_the_project_s_is_no_settings_module():
    # djaodjin-survey's survey/settings.py: `getattr(settings, "SURVEY_X", default)` re-exported
    app = (
        "from django.conf import settings\n\n"
        "AUTH_USER_MODEL = getattr(settings, 'AUTH_USER_MODEL', 'auth.User')\n"
        "DEFAULT_FROM_EMAIL = getattr(settings, 'DEFAULT_FROM_EMAIL', None)\n"
        "INSTALLED_APPS = settings.INSTALLED_APPS\n"
    )
    project = settings_of({"survey/__init__.py": "", "survey/settings.py": app})
    assert project.production == []
    assert project.drf_setting("DEFAULT_PERMISSION_CLASSES").state == "unknown"


def test_an_app_s_settings_presets_are_not_the_project_s_settings():
    """university-core's `core/settings.py`: AUTH_USER_MODEL beside a function returning a
    REST_FRAMEWORK dict for host projects to call. Defining functions and setting none of
    INSTALLED_APPS, DATABASES, ROOT_URLCONF, MIDDLEWARE, it runs no project; a project's
    settings defining a helper function still count."""
    presets = """
        AUTH_USER_MODEL = "auth.User"
        AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]

        def rest_framework_settings(**overrides):
            return {"DEFAULT_PAGINATION_CLASS": "uni.core.pagination.Pages", **overrides}
    """
    project = settings_of({"uni/__init__.py": "", "uni/core/__init__.py": "", "uni/core/settings.py": presets})
    assert project.production == []
    with_apps = textwrap.dedent(presets) + 'INSTALLED_APPS = ["uni.core"]\n'
    project = settings_of({"uni/__init__.py": "", "uni/core/__init__.py": "", "uni/core/settings.py": with_apps})
    assert project.production == ["uni.core.settings"]


def test_settings_for_a_makemigrations_script_are_tooling():
    assert is_development("make_migrations_settings")
    assert is_development("app.migration_settings")
    assert not is_development("app.production_settings")


def test_a_reusable_app_whose_manage_py_runs_its_test_project_has_no_production_settings():
    """django-sso-app: manage.py names `tests.settings`; the package ships a settings fragment
    for host projects (`ssoapp/core/settings/common.py`), which is no project's settings. A
    project whose manage.py names `config.settings.local` still has `production.py` judged."""
    files = {
        "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")\n',
        "tests/__init__.py": "",
        "tests/settings.py": "INSTALLED_APPS = ['ssoapp']\nSECRET_KEY = 'x'\n",
        "ssoapp/__init__.py": "",
        "ssoapp/core/__init__.py": "",
        "ssoapp/core/settings/__init__.py": "",
        "ssoapp/core/settings/common.py": "INSTALLED_APPS = ['ssoapp']\nDEBUG = True\n",
    }
    assert settings_of(files).production == []
    cookiecutter = {
        "manage.py": 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")\n',
        "config/__init__.py": "",
        "config/settings/__init__.py": "",
        "config/settings/base.py": "INSTALLED_APPS = ['shop']\n",
        "config/settings/local.py": "from .base import *\nDEBUG = True\n",
        "config/settings/production.py": "from .base import *\nDEBUG = False\n",
    }
    assert settings_of(cookiecutter).production == ["config.settings.production"]
    assert is_development("userena.runtests.settings")


def test_keys_a_loop_sets_from_a_dict_of_literal_keys_are_only_those_keys():
    # edX ecommerce: `for override, value in DB_OVERRIDES.items(): DATABASES["default"][override] = value`
    # over `dict(USER=..., HOST=...)` cannot unset ATOMIC_REQUESTS. The twins: a dict whose keys
    # a later line may change, and a loop over keys not known
    base = """
        DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "ATOMIC_REQUESTS": True}}
        INSTALLED_APPS = ["shop"]
    """
    prod = """
        import os
        from .base import *
        DB_OVERRIDES = dict(USER=os.environ.get("DB_USER"), HOST=os.environ.get("DB_HOST"))
        for override, value in DB_OVERRIDES.items():
            DATABASES["default"][override] = value
    """
    files = {"proj/settings/__init__.py": "", "proj/settings/base.py": base, "proj/settings/prod.py": prod}
    project = settings_of(files)
    assert project.atomic_requests()
    assert project.setting("DATABASES").state == "unknown"  # USER and HOST hold values not known
    changed = prod.replace(
        "        for override", '        DB_OVERRIDES["ATOMIC_REQUESTS"] = False\n        for override'
    )
    assert not settings_of({**files, "proj/settings/prod.py": changed}).atomic_requests()
    unknown = prod.replace("DB_OVERRIDES.items()", "os.environ.items()")
    assert not settings_of({**files, "proj/settings/prod.py": unknown}).atomic_requests()
