"""flake8 plugin: `flake8 --select DJR` reports djreview's findings, with cross-file knowledge.

flake8 hands over one file at a time; the plugin finds the file's project (manage.py,
pyproject.toml, setup.cfg or .git above it), builds or loads that project's index from the
on-disk cache once per process, and reviews the file's text as flake8 read it (an editor's
unsaved buffer included).
"""

from __future__ import annotations

from pathlib import Path

from djreview import __version__


class Plugin:
    name = "djreview"
    version = __version__

    def __init__(self, tree, filename: str, lines: list[str]):
        self.filename = filename
        self.lines = lines

    def run(self):
        from djreview.discovery import default_cache_folder
        from djreview.editor import review_text
        from djreview.rule import rule_codes
        from djreview.settings import Settings
        from djreview.worker import PARSE_ERROR

        if self.filename in ("stdin", "-", None):
            return
        path = Path(self.filename)
        codes = (PARSE_ERROR[0], *rule_codes())
        settings = Settings(codes=codes, cache_dir=default_cache_folder(path))
        result = review_text(path, "".join(self.lines), settings)
        for f in result.findings:
            yield f.line, f.column - 1, f"{f.code} {f.text}", type(self)
