"""The on-disk caches under `.djreview_cache/`: index facts, findings and folder listings.

Every cache file goes through `store.py`, which authenticates it with a per-user key kept
outside every repository (`key.py`): a cache file a repository ships is never unpickled.
Where the folder lives is decided once, for the command line and the flake8 plugin, by
`discovery.default_cache_folder` (it is about where the project's root is).
"""

from __future__ import annotations

FOLDER = ".djreview_cache"
