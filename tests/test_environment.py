"""Bases from installed packages are read, as text, from the project's environment: `python`
in the config or --python, else VIRTUAL_ENV, else .venv/venv at the root, else djreview's own."""

from __future__ import annotations

import json

import pytest

from djreview.environment import NoEnvironment, find
from tests.helpers import djreview, write_project

LIFECYCLE = {
    "django_lifecycle/__init__.py": "from .models import LifecycleModel\n",
    "django_lifecycle/mixins.py": "class LifecycleModelMixin(object):\n    def save(self, *args, **kwargs):\n"
    "        pass\n",
    "django_lifecycle/models.py": "from django.db import models\n\nfrom .mixins import LifecycleModelMixin\n"
    "\n\nclass LifecycleModel(LifecycleModelMixin, models.Model):\n    class Meta:\n        abstract = True\n",
    # reading is not importing: this module would leave a file behind if it were ever run
    "django_lifecycle/conf.py": "open('IMPORTED', 'w').write('x')\n",
}

MODELS = """
from django.db import models
from django_lifecycle import LifecycleModel


class Base(LifecycleModel):
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class Book(Base):
    title = models.CharField(max_length=200)
"""


def make_venv(folder, files=LIFECYCLE):
    (folder / "pyvenv.cfg").parent.mkdir(parents=True, exist_ok=True)
    (folder / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    site = folder / "lib" / "python3.12" / "site-packages"
    for name, source in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(source, encoding="utf-8")
    (folder / "bin").mkdir(exist_ok=True)
    (folder / "bin" / "python").write_text("#!/bin/sh\nexit 99\n", encoding="utf-8")  # never run
    return site


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    root = tmp_path / "proj"
    write_project(root, {"shop/models.py": MODELS})
    (root / "manage.py").write_text("", encoding="utf-8")
    return root


def models_of(root, *options):
    result = djreview("models", "--format", "json", "--no-cache", *options, ".", cwd=root)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    return {m["name"]: m["kind"] for m in data["models"]}, data["unresolved"], result.stderr


def test_without_the_package_the_models_are_assumed(project):
    kinds, unresolved, _ = models_of(project)
    assert kinds == {"Base": "assumed", "Book": "assumed"}
    assert {u["base"] for u in unresolved} == {"django_lifecycle.LifecycleModel"}


def test_a_dot_venv_at_the_root_is_read_never_run(project):
    make_venv(project / ".venv")
    kinds, unresolved, _ = models_of(project)
    assert kinds == {"Base": "abstract", "Book": "concrete"}  # LifecycleModel itself is not listed
    assert unresolved == []
    assert not (project / "IMPORTED").exists()


def test_a_finding_on_a_model_only_the_environment_reveals(project):
    make_venv(project / "venv")
    findings = json.loads(djreview("--format", "json", "--no-cache", ".", cwd=project).stdout)["findings"]
    assert [(f["code"], f["path"]) for f in findings] == [("DJR202", "shop/models.py")]
    assert findings[0]["message"].startswith("Model Book has no __str__")


def test_virtual_env_wins_over_dot_venv(project, tmp_path, monkeypatch):
    make_venv(project / ".venv", {})  # an empty environment at the root
    make_venv(tmp_path / "active")
    monkeypatch.setenv("VIRTUAL_ENV", str(tmp_path / "active"))
    assert models_of(project)[0]["Book"] == "concrete"


@pytest.mark.parametrize("given", ["envs/lifecycle", "envs/lifecycle/bin/python"])
def test_python_option_and_config_key(project, given):
    make_venv(project / "envs" / "lifecycle")
    make_venv(project / ".venv", {})
    assert models_of(project, "--python", given)[0]["Book"] == "concrete"
    (project / "pyproject.toml").write_text(f'[tool.djreview]\npython = "{given}"\n', encoding="utf-8")
    assert models_of(project)[0]["Book"] == "concrete"


def test_a_python_that_is_no_environment_is_a_note_and_the_run_goes_on(project):
    kinds, _, stderr = models_of(project, "--python", "nowhere/bin/python")
    assert kinds == {"Base": "assumed", "Book": "assumed"}
    assert stderr == (
        "djreview: python = 'nowhere/bin/python': no virtualenv with a site-packages folder there; "
        "bases from installed packages are not followed\n"
    )


def test_find_prefers_the_configured_python(tmp_path, monkeypatch):
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)
    site = make_venv(tmp_path / "env")
    env = find(tmp_path, "env")
    assert env.site_packages == (str(site),)
    assert env.module_file("django_lifecycle.models") == str(site / "django_lifecycle" / "models.py")
    assert env.module_file("django_lifecycle") == str(site / "django_lifecycle" / "__init__.py")
    assert env.module_file("django.db.models") is None  # Django's names come from djreview's tables
    with pytest.raises(NoEnvironment):
        find(tmp_path, "missing")


def test_a_package_installed_after_a_cached_run_is_read(project):
    site = make_venv(project / ".venv", {})
    cache = ("--cache-dir", str(project.parent / "cache"))

    def book():
        result = djreview("models", "--format", "json", *cache, ".", cwd=project)
        return next(m["kind"] for m in json.loads(result.stdout)["models"] if m["name"] == "Book")

    assert book() == "assumed"
    assert book() == "assumed"  # warm: the files to read come from the cache
    for name, source in LIFECYCLE.items():  # pip install django-lifecycle
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(source, encoding="utf-8")
    assert book() == "concrete"


DJANGO_AUTH = {
    "django/__init__.py": "",
    "django/contrib/__init__.py": "",
    "django/contrib/auth/__init__.py": "",
    "django/contrib/auth/base_user.py": "from django.db import models\n\n\nclass AbstractBaseUser(models.Model):\n"
    "    password = models.CharField(max_length=128)\n\n    class Meta:\n        abstract = True\n\n"
    "    def __str__(self):\n        return self.get_username()\n",
    "django/contrib/auth/models.py": "from django.contrib.auth.base_user import AbstractBaseUser\n"
    "from django.db import models\n\n\nclass Group(models.Model):\n    name = models.CharField(max_length=150)\n\n\n"
    "class PermissionsMixin(models.Model):\n    groups = models.ManyToManyField(Group, related_name='user_set')\n\n"
    "    class Meta:\n        abstract = True\n\n\nclass AbstractUser(AbstractBaseUser, PermissionsMixin):\n"
    "    username = models.CharField(max_length=150)\n\n    class Meta:\n        abstract = True\n",
    # the rest of Django is known by name and never read
    "django/db/models/__init__.py": "open('IMPORTED', 'w').write('x')\nclass Model:\n    pass\n",
}

ACCOUNTS = """
from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    pass
"""

GROUPS_VIEW = """
from accounts.models import User


def group_names():
    return [[g.name for g in user.groups.all()] for user in User.objects.all()]
"""


def test_djangos_own_contrib_models_are_read_when_django_is_installed(project):
    write_project(project, {"accounts/models.py": ACCOUNTS, "accounts/views.py": GROUPS_VIEW})

    def findings():
        result = djreview("--format", "json", "--no-cache", "--select", "DJR101,DJR202", ".", cwd=project)
        return [(f["code"], f["path"], f["line"]) for f in json.loads(result.stdout)["findings"]]

    assert findings() == []  # Django's table knows AbstractUser, not its relations
    make_venv(project / ".venv", DJANGO_AUTH)
    assert findings() == [("DJR101", "accounts/views.py", 6)]  # user.groups, per user
    kinds, unresolved, _ = models_of(project)
    assert kinds["User"] == "concrete" and "AbstractUser" not in kinds
    assert {u["base"] for u in unresolved} == {"django_lifecycle.LifecycleModel"}  # not installed here
    assert not (project / "IMPORTED").exists()
