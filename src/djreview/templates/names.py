"""Which file a view's template name ("catalog/book_list.html") stands for, among the
templates the project scan found (index/project_files.py): the path below a `templates/`
folder, as Django's app-directories and filesystem loaders look it up. Jinja2 folders are
left out (another language). A name that a TEMPLATES["DIRS"] folder holds is that file
(Django looks there first); a name two app folders share is left out: which one Django
loads depends on the order of INSTALLED_APPS, and a review of the wrong one would report
what does not run."""

from __future__ import annotations

import os
from collections.abc import Iterable

DJANGO_SUFFIXES = (".html", ".htm", ".txt", ".xml")


def by_name(paths: Iterable[str], roots: tuple[str, ...] = ()) -> dict[str, str | None]:
    """Template name -> absolute path (None: several files have that name). `roots`: the
    TEMPLATES["DIRS"] folders, searched first (Django's filesystem loader comes before the
    app directories), in their order."""
    paths = [p for p in paths if p.endswith(DJANGO_SUFFIXES)]
    found: dict[str, str | None] = {}
    for root in roots:
        prefix = root.rstrip(os.sep) + os.sep
        for path in paths:
            if path.startswith(prefix):
                found.setdefault(path[len(prefix) :].replace(os.sep, "/"), path)
    claimed = set(found)
    for path in paths:
        parts = path.split(os.sep)
        folders = [i for i, part in enumerate(parts[:-1]) if part in ("templates", "jinja2")]
        if not folders or parts[folders[0]] != "templates":
            continue
        for i in folders:  # templates/ inside templates/: either may be the loader's folder
            name = "/".join(parts[i + 1 :])
            if name not in claimed:
                found[name] = path if found.get(name, path) == path else None
    return found
