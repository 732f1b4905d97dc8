"""Folder listings from the last run, reused while a folder's mtime is unchanged.

Discovery lists every folder of the project, and that is a quarter of a warm run: Django's
own source has 2,500 folders, most of them locale folders. Adding, removing or renaming an
entry changes the folder's mtime, so a folder whose mtime is what it was when it was listed
still holds the same entries, and a stat costs a tenth of a listing. A folder changed in the
last two seconds before it was listed is listed again next time: a coarse clock could hide a
change made in the same tick. Kept beside the other caches; no cache folder, no reuse.
"""

from __future__ import annotations

import os
import time

from djreview.cache.store import CacheFile

RACY_NS = 2_000_000_000


class ListingCache(CacheFile):
    kind = "listing"
    # folder -> (mtime_ns, subfolders, files); subfolders exclude symlinks, as os.walk does
    # not descend into them
    entries: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]]

    @staticmethod
    def valid(entry) -> bool:
        return isinstance(entry, tuple) and len(entry) == 3 and isinstance(entry[0], int)

    @staticmethod
    def still_there(path: str) -> bool:
        return os.path.isdir(path)

    def listing(self, folder: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """The subfolders and files of `folder` (an absolute path), or None if unreadable."""
        try:
            mtime = os.stat(folder).st_mtime_ns
        except OSError:
            return None
        cached = self.entries.get(folder)
        if cached is not None and cached[0] == mtime:
            return cached[1], cached[2]
        subfolders, files = [], []
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if not is_dir:
                        files.append(entry.name)
                    elif not entry.is_symlink():
                        subfolders.append(entry.name)
        except OSError:
            return None
        listed = (tuple(subfolders), tuple(files))
        if self.folder is not None and time.time_ns() - mtime > RACY_NS:
            self.entries[folder] = (mtime, *listed)
            self.changed = True
        elif cached is not None:
            del self.entries[folder]
            self.changed = True
        return listed
