"""Which file a view's template name ("catalog/book_list.html") stands for, among the
templates the project scan found (index/project_files.py): the path below a `templates/`
folder, as Django's app-directories and filesystem loaders look it up. Jinja2 folders are
left out (another language), and so is a name that two files share: which one Django
loads depends on the order of TEMPLATES["DIRS"] and INSTALLED_APPS, and a review of the
wrong one would report what does not run."""

from __future__ import annotations

import os
from collections.abc import Iterable

DJANGO_SUFFIXES = (".html", ".htm", ".txt", ".xml")


def by_name(paths: Iterable[str]) -> dict[str, str | None]:
    """Template name -> absolute path (None: several files have that name)."""
    found: dict[str, str | None] = {}
    for path in paths:
        if not path.endswith(DJANGO_SUFFIXES):
            continue
        parts = path.split(os.sep)
        folders = [i for i, part in enumerate(parts[:-1]) if part in ("templates", "jinja2")]
        if not folders or parts[folders[0]] != "templates":
            continue
        for i in folders:  # templates/ inside templates/: either may be the loader's folder
            name = "/".join(parts[i + 1 :])
            found[name] = path if found.get(name, path) == path else None
    return found
