"""The folders a project's settings name in `TEMPLATES[...]["DIRS"]`, when they are written
as literals: `BASE_DIR / "frontend" / "html"`, `os.path.join(BASE_DIR, "html")`,
`str(BASE_DIR / "html")`, or a plain path. Read from the settings files' text (never run);
an entry built any other way is left out, and so is a folder that does not exist.

`BASE_DIR` is whatever the settings make it; the usual `Path(__file__).resolve().parent.parent`
(or `os.path.dirname` twice) is the folder above the settings package, so an entry is looked
for under each folder from the settings file's own up to the project root, nearest first."""

from __future__ import annotations

import os
import re

# TEMPLATES = [{ ... "DIRS": [ ... ] ... }]: the list after "DIRS" (no nested brackets)
_DIRS = re.compile(r"""["']DIRS["']\s*:\s*[\[(]([^\[\]()]*(?:\([^()]*\)[^\[\]()]*)*)[\])]""")
_ENTRY = re.compile(r"""(?:[^,()]|\([^()]*\))+""")
_STRING = re.compile(r"""["']([^"'\n]*)["']""")
_SETTINGS = re.compile(r"(^|[/\\])settings([/\\][^/\\]+)?\.py$|(^|[/\\])settings[^/\\]*\.py$")


def is_settings(path: str) -> bool:
    """settings.py, settings_*.py, or a module of a settings/ package."""
    return bool(_SETTINGS.search(path))


def template_dirs(settings_files: list[tuple[str, str]], root: str) -> list[str]:
    """The existing folders that the DIRS entries of these settings files (path, text) name;
    `root` is the project's root folder."""
    found: list[str] = []
    for path, text in settings_files:
        for match in _DIRS.finditer(text):
            for entry in _ENTRY.findall(match.group(1)):
                folder = _folder(entry, path, root)
                if folder is not None and folder not in found:
                    found.append(folder)
    return found


def _folder(entry: str, settings_path: str, root: str) -> str | None:
    parts = _STRING.findall(entry)
    if not parts:
        return None
    relative = os.path.join(*(p.strip("/\\") or "." for p in parts))
    if os.path.isabs(parts[0]) and "BASE_DIR" not in entry:
        return parts[0] if os.path.isdir(parts[0]) else None
    root = os.path.abspath(root)
    here = os.path.dirname(os.path.abspath(settings_path))
    while True:
        candidate = os.path.normpath(os.path.join(here, relative))
        if os.path.isdir(candidate):
            return candidate
        if here == root or not here.startswith(root) or os.path.dirname(here) == here:
            return None
        here = os.path.dirname(here)
