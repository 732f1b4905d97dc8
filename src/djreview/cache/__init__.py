"""The on-disk caches under `.djreview_cache/`: index facts, findings and folder listings.

Every cache file goes through `store.py`, which authenticates it with a per-user key kept
outside every repository (`key.py`): a cache file a repository ships is never unpickled.
Where the folder lives is decided here, once, for the command line and the flake8 plugin.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = ".djreview_cache"


def default_folder(path: Path) -> Path:
    """The cache folder for a run on `path`: `.djreview_cache` at the root of its project, or
    in the current directory when no project marker (manage.py, pyproject.toml, setup.cfg,
    setup.py, .git) is found above it."""
    from djreview.discovery import ROOT_MARKERS, project_root

    root = project_root(path) if path.exists() else Path.cwd()
    if not any((root / marker).exists() for marker in ROOT_MARKERS):
        root = Path.cwd()
    return root / FOLDER
