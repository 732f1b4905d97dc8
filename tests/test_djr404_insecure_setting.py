"""DJR404 insecure-setting: production settings that fail open, with line numbers."""

from __future__ import annotations

from tests.helpers import codes_lines, fixed

BASE = """
import os

DEBUG = True
SECRET_KEY = "django-insecure-abc123"
ALLOWED_HOSTS = ["*"]
SESSION_COOKIE_SECURE = False
INSTALLED_APPS = ["django.contrib.auth"]
"""
PROD = """
import os

from .base import *

DEBUG = False
ALLOWED_HOSTS = ["example.com"]
CSRF_COOKIE_SECURE = os.environ.get("CSRF_SECURE", False)
"""
DEV = """
from .base import *

DEBUG = True
SECRET_KEY = "dev-only"
ALLOWED_HOSTS = ["*"]
"""


def split(base=BASE, prod=PROD, dev=DEV) -> dict[str, str]:
    return {
        "proj/__init__.py": "",
        "proj/settings/__init__.py": "",
        "proj/settings/base.py": base,
        "proj/settings/prod.py": prod,
        "proj/settings/dev.py": dev,
    }


def insecure(review, files):
    return review(files, select=("DJR404",))


def test_base_values_production_inherits_are_reported_in_base(review):
    findings = insecure(review, split())
    assert codes_lines(findings) == [
        ("DJR404", "proj/settings/base.py", 5),
        ("DJR404", "proj/settings/base.py", 7),
        ("DJR404", "proj/settings/prod.py", 8),
    ]
    secret, cookie, csrf = findings
    assert secret.message == (
        "Production setting SECRET_KEY is a literal in the code (inherited by proj.settings.prod): anyone who "
        "can read the code can forge sessions, password-reset links and signed data."
    )
    assert cookie.message.startswith(
        "Production setting SESSION_COOKIE_SECURE is set to False (inherited by proj.settings.prod)"
    )
    assert csrf.message == (
        "Production setting CSRF_COOKIE_SECURE falls back to False: the CSRF cookie is also sent over plain "
        "HTTP. Production gets this fallback whenever the variable is unset."
    )


def test_values_production_overrides_and_dev_modules_are_not_reported(review):
    # DEBUG and ALLOWED_HOSTS are overridden in prod.py; dev.py is development settings
    lines = {(f.path, f.line) for f in insecure(review, split())}
    assert ("proj/settings/base.py", 4) not in lines and ("proj/settings/base.py", 6) not in lines
    assert not any(path == "proj/settings/dev.py" for path, _ in lines)


def test_fixes_read_the_environment_or_set_the_secure_value(review):
    findings = insecure(review, split())
    assert fixed(BASE, findings, "proj/settings/base.py") == fixed(
        BASE.replace('"django-insecure-abc123"', 'os.environ["DJANGO_SECRET_KEY"]').replace(
            "SESSION_COOKIE_SECURE = False", "SESSION_COOKIE_SECURE = True"
        ),
        [],
    )
    assert 'CSRF_COOKIE_SECURE = os.environ["CSRF_SECURE"]' in fixed(PROD, findings, "proj/settings/prod.py")
    assert all(f.fix.applicability == "unsafe" for f in findings)


def test_environment_fallbacks_that_fail_open(review):
    settings = """
import os
import environ

env = environ.Env()
DEBUG = os.environ.get("DJANGO_DEBUG", "True") == "True"
SECRET_KEY = env("DJANGO_SECRET_KEY", default="django-insecure-xyz")
ALLOWED_HOSTS = os.getenv("HOSTS", "*").split(",")
SECURE_HSTS_SECONDS = env.int("HSTS", default=0)
SECURE_SSL_REDIRECT = env.bool("SSL", default=False)
"""
    findings = insecure(review, {"mysite/__init__.py": "", "mysite/settings.py": settings})
    assert [f.line for f in findings] == [6, 7, 8, 9, 10]
    assert findings[0].message.startswith("Production setting DEBUG falls back to True:")
    assert findings[1].message.startswith("Production setting SECRET_KEY falls back to a literal key:")


def test_secure_values_and_reads_without_fallback_are_clean(review):
    settings = """
import os

DEBUG = os.environ.get("DJANGO_DEBUG", "False") == "True"
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
SESSION_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 3600
SECURE_SSL_REDIRECT = os.environ.get("SSL") == "1"
CSRF_COOKIE_SECURE = True
"""
    assert insecure(review, {"mysite/__init__.py": "", "mysite/settings.py": settings}) == []


def test_development_and_test_settings_are_not_reviewed(review):
    files = {
        "mysite/__init__.py": "",
        "mysite/settings.py": 'import os\nSECRET_KEY = os.environ["K"]\nDEBUG = False\nINSTALLED_APPS = []\n',
        "mysite/local_settings.py": 'DEBUG = True\nSECRET_KEY = "local"\n',
        "mysite/test_settings.py": 'from .settings import *\nDEBUG = True\nSECRET_KEY = "test"\n',
        "testproject/settings.py": 'DEBUG = True\nSECRET_KEY = "x"\nINSTALLED_APPS = []\n',
    }
    assert insecure(review, files) == []


def test_a_settings_py_that_is_not_django_settings_is_not_read(review):
    # an app's settings.py of its own preferences: no Django setting assigned
    files = {"shop/__init__.py": "", "shop/settings.py": 'DEBUG_TOOLBAR_PANEL = True\nTOKEN = "abc"\n'}
    assert insecure(review, files) == []


def test_an_absent_setting_is_not_a_finding(review):
    files = {"mysite/__init__.py": "", "mysite/settings.py": 'import os\nSECRET_KEY = os.environ["K"]\n'}
    assert insecure(review, files) == []


def test_noqa_silences_one_setting(review):
    settings = 'DEBUG = True  # noqa: DJR404\nSECRET_KEY = "k"\nINSTALLED_APPS = []\n'
    findings = insecure(review, {"mysite/__init__.py": "", "mysite/settings.py": settings})
    assert codes_lines(findings) == [("DJR404", "mysite/settings.py", 2)]


def test_the_module_manage_py_names_is_production_and_a_build_settings_module_is_not(review):
    files = {
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings")\n',
        "mysite/__init__.py": "",
        "mysite/settings.py": 'import os\nSECRET_KEY = os.environ["K"]\nALLOWED_HOSTS = ["*"]\nINSTALLED_APPS = []\n',
        "mysite/_build_settings.py": 'from mysite.settings import *\nSECRET_KEY = "build-time"\n',
    }
    assert codes_lines(insecure(review, files)) == [("DJR404", "mysite/settings.py", 3)]


def test_frameworks_default_settings_are_not_production(review):
    files = {"fw/__init__.py": "", "fw/global_settings.py": "DEBUG = False\nSESSION_COOKIE_SECURE = False\n"}
    assert insecure(review, files) == []


def test_an_example_under_docs_and_a_variant_of_local_settings_are_development(review):
    # django-tastypie's docs/code/myproject/settings.py; django-huey-monitor's settings/docker.py
    # star-imports settings/local.py for docker-compose. The twins: the same files out of docs/,
    # and docker.py on a base module
    local = 'SECRET_KEY = "only-for-local"\nDEBUG = True\nINSTALLED_APPS = ["monitor"]\n'
    files = {
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "mon.settings.local")\n',
        "mon/__init__.py": "",
        "mon/settings/__init__.py": "",
        "mon/settings/local.py": local,
        "mon/settings/docker.py": "from mon.settings.local import *  # noqa\nDATABASES = {}\n",
        "docs/code/myproject/__init__.py": "",
        "docs/code/myproject/settings.py": local,
        # fluent-contents: examples/shop/manage.py names a bare `settings` beside it
        "examples/shop/manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")\n',
        "examples/shop/settings.py": local,
        # django-google-sso: its example project's package is `example_google_app`
        "example_google_app/__init__.py": "",
        "example_google_app/settings.py": local,
    }
    assert insecure(review, files) == []
    twin = dict(files)
    del twin["docs/code/myproject/settings.py"], twin["mon/settings/local.py"]
    del twin["examples/shop/manage.py"], twin["examples/shop/settings.py"]
    del twin["example_google_app/__init__.py"], twin["example_google_app/settings.py"]
    twin["code/myproject/settings.py"] = local
    twin["mon/settings/base.py"] = local
    twin["mon/settings/docker.py"] = files["mon/settings/docker.py"].replace(".local", ".base")
    found = codes_lines(insecure(review, twin))
    assert found == [
        ("DJR404", "code/myproject/settings.py", 1),
        ("DJR404", "code/myproject/settings.py", 2),
        ("DJR404", "mon/settings/base.py", 1),
        ("DJR404", "mon/settings/base.py", 2),
    ]


def test_settings_a_file_run_over_them_may_change_are_unknown(review):
    # patchman ends its settings by exec()ing /etc/patchman/local_settings.py, which the
    # package ships with DEBUG = False. The twin reads the file without running it
    settings = """
import os

DEBUG = True
INSTALLED_APPS = ["patch"]

local_settings = os.path.join("/etc/patch", "local_settings.py")
if os.path.exists(local_settings):
    with open(local_settings, encoding="utf-8") as f:
        exec(compile(f.read(), local_settings, "exec"))
"""
    files = {"patch/__init__.py": "", "patch/settings.py": settings}
    assert insecure(review, files) == []
    files["patch/settings.py"] = settings.replace('exec(compile(f.read(), local_settings, "exec"))', "print(f.read())")
    assert codes_lines(insecure(review, files)) == [("DJR404", "patch/settings.py", 4)]


def test_settings_a_yaml_file_writes_into_the_module_namespace_are_unknown(review):
    # edX's registrar and ecommerce: production.py loads a YAML file and runs
    # `vars().update(config)`, so its keys (SECRET_KEY, ALLOWED_HOSTS) replace the values above.
    # The twin reads the file into a dict of its own
    production = """
import os

import yaml

from app.settings.base import *

ALLOWED_HOSTS = ["*"]

with open(os.environ["APP_CFG"], encoding="utf-8") as f:
    config = yaml.safe_load(f)
    vars().update(config)
"""
    files = {
        "app/__init__.py": "",
        "app/settings/__init__.py": "",
        "app/settings/base.py": 'SECRET_KEY = "not-secret"\nINSTALLED_APPS = ["app"]\n',
        "app/settings/production.py": production,
    }
    assert insecure(review, files) == []
    for shape in ("globals().update(config)", "for k, v in config.items():\n        globals()[k] = v"):
        files["app/settings/production.py"] = production.replace("vars().update(config)", shape)
        assert insecure(review, files) == []
    files["app/settings/production.py"] = production.replace("vars().update(config)", "extra = dict(config)")
    assert codes_lines(insecure(review, files)) == [
        ("DJR404", "app/settings/base.py", 1),
        ("DJR404", "app/settings/production.py", 8),
    ]


def test_a_module_built_on_the_production_settings_is_a_variant_for_elsewhere(review):
    # find-my-device's settings/docker.py (named by docker/common.env for local development)
    # star-imports settings/prod.py and sets DEBUG = True. The twin builds it on base.py
    prod = 'import os\nSECRET_KEY = os.environ["K"]\nDEBUG = False\nINSTALLED_APPS = ["fmd"]\n'
    docker = "from fmd_project.settings.prod import *  # noqa\nDEBUG = True\n"
    files = {
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "fmd_project.settings.local")\n',
        "fmd_project/__init__.py": "",
        "fmd_project/settings/__init__.py": "",
        "fmd_project/settings/prod.py": prod,
        "fmd_project/settings/docker.py": docker,
        "fmd_project/settings/local.py": docker,
    }
    assert insecure(review, files) == []
    twin = {k.replace("prod.py", "base.py"): v.replace("settings.prod ", "settings.base ") for k, v in files.items()}
    assert codes_lines(insecure(review, twin)) == [("DJR404", "fmd_project/settings/docker.py", 2)]


def test_an_app_s_test_settings_named_only_by_a_wsgi_py_inside_the_app(review):
    # django-csvimport ships csvimport/settings.py ("to be used when running unit tests") and
    # a leftover csvimport/wsgi.py naming it, beside its models; no manage.py. A host project
    # never runs on them. The twin's wsgi.py sits in a project package with no models
    settings = 'SECRET_KEY = "abc-not-so-secret"\nDEBUG = True\nINSTALLED_APPS = ["csvapp"]\n'
    wsgi = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "csvapp.settings")\n'
    files = {
        "csvapp/__init__.py": "",
        "csvapp/models.py": "from django.db import models\n",
        "csvapp/settings.py": settings,
        "csvapp/wsgi.py": wsgi,
    }
    assert insecure(review, files) == []
    twin = {k.replace("csvapp/", "site/"): v.replace("csvapp.settings", "site.settings") for k, v in files.items()}
    del twin["site/models.py"]
    found = codes_lines(insecure(review, twin))
    assert [(path, line) for _, path, line in found if path.startswith("site/")] == [
        ("site/settings.py", 1),
        ("site/settings.py", 2),
    ]


def test_browser_test_and_documentation_settings_are_not_production(review):
    # oioioi's cypress_settings.py (the Cypress run's) and course-discovery's docs_settings.py
    # (what Sphinx imports). The twin's module name says nothing of the kind
    insecure = 'SECRET_KEY = "no_secret"\nDEBUG = True\n'
    for name in ("cypress_settings", "docs_settings", "settings_e2e"):
        assert review({f"site/{name}.py": insecure}, select=("DJR404",)) == [], name
    assert [f.line for f in review({"site/site_settings.py": insecure}, select=("DJR404",))] == [1, 2]


def test_a_production_module_a_development_variant_builds_on_is_still_production(review):
    # edX's ecommerce: `devstack.py` does `from .production import *` for a local Docker setup.
    # production.py is still what production runs; the variant's DEBUG = True is not reported
    variant = "from .prod import *\n\nDEBUG = True\n"
    files = {**split(), "proj/settings/devstack.py": variant}
    del files["proj/settings/dev.py"]
    assert codes_lines(insecure(review, files)) == [
        ("DJR404", "proj/settings/base.py", 5),
        ("DJR404", "proj/settings/base.py", 7),
        ("DJR404", "proj/settings/prod.py", 8),
    ]


def test_a_development_module_imported_under_a_condition_inside_a_with_block(review):
    # experimenter's base.py: `if os.environ.get("CIRCLECI"):` then
    # `with contextlib.suppress(ImportError): from .ci import *`: the CI module is imported only
    # on CI, and is development settings. The twin imports a module that is no development one
    # the same way: production may get it
    base = BASE.replace('SECRET_KEY = "django-insecure-abc123"\n', "SECRET_KEY = os.environ['KEY']\n") + (
        "\nimport contextlib\n\n"
        'if os.environ.get("CIRCLECI"):\n'
        "    with contextlib.suppress(ImportError):\n"
        "        from .ci import *\n"
    )
    files = {**split(base=base), "proj/settings/ci.py": 'SECRET_KEY = "only-for-ci"\n'}
    found = [line for _, path, line in codes_lines(insecure(review, files)) if path == "proj/settings/ci.py"]
    assert found == []
    extra = {
        **split(base=base.replace(".ci import", ".extra import")),
        "proj/settings/extra.py": files["proj/settings/ci.py"],
    }
    found = [line for _, path, line in codes_lines(insecure(review, extra)) if path == "proj/settings/extra.py"]
    assert found == [1]


def test_django_split_settings_include_is_read_as_star_imports_in_order(review):
    # geniza's settings package: `include("components/base.py", optional(f"environments/{ENV}.py"),
    # "local_settings.py")`. base.py's DEBUG = True is overridden by files the repository does not
    # hold (the environment's, the deployment's local_settings.py), so nothing is known after them.
    # The twin includes only files it holds, the last one production's: base.py's values are
    # what production gets, and they are reported where they are set
    component = 'DEBUG = True\nSECRET_KEY = "django-insecure-abc"\nINSTALLED_APPS = ["shop"]\nROOT_URLCONF = "x"\n'
    package = (
        "from os import environ\n\n"
        "from split_settings.tools import include, optional\n\n"
        'ENV = environ.get("DJANGO_ENV") or "development"\n\n'
        "include(\n"
        '    "components/base.py",\n'
        '    optional("environments/{0}.py".format(ENV)),\n'
        '    "local_settings.py",\n'
        ")\n"
    )
    files = {
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
        "proj/__init__.py": "",
        "proj/settings/__init__.py": package,
        "proj/settings/components/__init__.py": "",
        "proj/settings/components/base.py": component,
        "proj/settings/environments/development.py": "DEBUG = True\n",
    }
    assert insecure(review, files) == []
    held = package.replace('    optional("environments/{0}.py".format(ENV)),\n', "").replace(
        '"local_settings.py"', '"components/security.py", optional("local.py")'
    )
    security = 'SESSION_COOKIE_SECURE = False\nALLOWED_HOSTS = ["shop.example.org"]\nCSRF_COOKIE_SECURE = True\n'
    twin = {
        **files,
        "proj/settings/__init__.py": held,
        "proj/settings/components/security.py": security,
        "proj/settings/local.py": "DEBUG = False\n",
    }
    assert codes_lines(insecure(review, twin)) == [
        ("DJR404", "proj/settings/components/base.py", 1),
        ("DJR404", "proj/settings/components/base.py", 2),
        ("DJR404", "proj/settings/components/security.py", 1),
    ]


def test_a_settings_module_manage_py_names_that_the_repository_does_not_hold(review):
    # ureport: manage.py names `ureport.settings`, git-ignored and copied at deploy from
    # `settings.py.prod`, which star-imports `settings_common.py` and sets DEBUG = False: what
    # production gets is unknown. The twin holds the named module, which keeps the common values
    common = 'DEBUG = True\nSECRET_KEY = "django-insecure-abc"\nINSTALLED_APPS = ["shop"]\nROOT_URLCONF = "proj.urls"\n'
    files = {
        "manage.py": 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
        "proj/__init__.py": "",
        "proj/settings_common.py": common,
    }
    assert insecure(review, files) == []
    held = {**files, "proj/settings.py": "from proj.settings_common import *\n\nALLOWED_HOSTS = ['shop.example.org']\n"}
    assert codes_lines(insecure(review, held)) == [
        ("DJR404", "proj/settings_common.py", 1),
        ("DJR404", "proj/settings_common.py", 2),
    ]
    # MetaDeploy's manage.py names `config.settings`, an empty package: production is chosen by
    # the environment among the settings modules, as when nothing is named
    manage = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n'
    empty = {**held, "manage.py": manage, "conf/__init__.py": "", "conf/settings/__init__.py": ""}
    assert codes_lines(insecure(review, empty)) == [
        ("DJR404", "proj/settings_common.py", 1),
        ("DJR404", "proj/settings_common.py", 2),
    ]
