"""The Python environment a project's third-party packages live in, found the way editors
find it, and the source files of the modules its classes come from. Packages are read as
text, never imported: a base class such as `django_lifecycle.LifecycleModel` is followed by
reading `django_lifecycle/models.py`.

Order: `python` in [tool.djreview] or `--python` (an interpreter or a virtualenv folder), an
active `VIRTUAL_ENV`, a `.venv` or `venv` folder at the project root, else the environment
djreview itself runs in.
"""

from __future__ import annotations

import glob
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

# Packages djreview knows by name (orm.py's tables), and the standard library: never read.
_KNOWN_TOP = {"django", "rest_framework"} | set(sys.stdlib_module_names)


class NoEnvironment(Exception):
    """A `python` setting that names no environment; the message says which."""


@dataclass(frozen=True)
class Environment:
    where: str  # how it was found, for messages: "python = ...", "VIRTUAL_ENV", ".venv", ...
    site_packages: tuple[str, ...]

    def state(self) -> str:
        """Where it is and when its site-packages folders last changed (an install or an
        uninstall adds or removes entries there)."""
        stamps = []
        for folder in self.site_packages:
            try:
                stamps.append(str(os.stat(folder).st_mtime_ns))
            except OSError:
                stamps.append("-")
        return f"{self.where}|{'|'.join(self.site_packages)}|{'|'.join(stamps)}"

    def module_file(self, module: str) -> str | None:
        """The source file of a dotted module name in this environment, or None."""
        if not module or (module.split(".")[0] in _KNOWN_TOP and not module.startswith("django.contrib.")):
            return None  # Django's contrib models are read; the rest of Django is known by name
        parts = module.split(".")
        for folder in self.site_packages:
            base = os.path.join(folder, *parts)
            for candidate in (base + ".py", os.path.join(base, "__init__.py")):
                if os.path.isfile(candidate):
                    return candidate
        return None


def _venv_site_packages(venv: str) -> list[str]:
    found = sorted(glob.glob(os.path.join(glob.escape(venv), "lib", "python3*", "site-packages")))
    found += [p for p in [os.path.join(venv, "Lib", "site-packages")] if os.path.isdir(p)]
    return found


def _from_python(python: str, base: Path) -> list[str]:
    """`python` is a virtualenv folder or an interpreter inside one (bin/python)."""
    path = (base / python).expanduser()
    folder = str(path if path.is_dir() else path.parent.parent)
    return _venv_site_packages(folder)


def find(root: Path, python: str | None, base: Path | None = None) -> Environment:
    """The environment of the project at `root`. Raises NoEnvironment when `python` is
    given but holds no site-packages folder."""
    if python:
        found = _from_python(python, base or root)
        if not found:
            raise NoEnvironment(f"python = {python!r}: no virtualenv with a site-packages folder there")
        return Environment(f"python = {python}", tuple(found))
    active = os.environ.get("VIRTUAL_ENV")
    if active and _venv_site_packages(active):
        return Environment(f"VIRTUAL_ENV ({active})", tuple(_venv_site_packages(active)))
    for name in (".venv", "venv"):
        folder = root / name
        if (folder / "pyvenv.cfg").is_file() and _venv_site_packages(str(folder)):
            return Environment(str(folder), tuple(_venv_site_packages(str(folder))))
    paths = sysconfig.get_paths()
    own = dict.fromkeys(p for p in (paths.get("purelib"), paths.get("platlib")) if p and os.path.isdir(p))
    return Environment(f"djreview's own ({sys.prefix})", tuple(own))
