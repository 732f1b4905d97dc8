"""A run collects garbage less often and leaves the index out of collections, then puts the
collector back as it found it (the test suite, an editor, run many reviews in one process)."""

from __future__ import annotations

import gc

from djreview import worker
from djreview.engine import Settings, run
from tests.helpers import AUTHOR_AND_BOOK, write_project


def test_the_review_runs_with_fewer_collections_and_the_index_frozen_then_all_is_restored(tmp_path, monkeypatch):
    write_project(tmp_path, {"shop/models.py": AUTHOR_AND_BOOK, "shop/views.py": "def view(request):\n    pass\n"})
    monkeypatch.chdir(tmp_path)
    seen = []
    start = worker.start

    def spying_start(*args):
        seen.append((gc.get_threshold()[0], gc.get_freeze_count()))
        start(*args)

    monkeypatch.setattr(worker, "start", spying_start)
    before = gc.get_threshold()
    run(["."], Settings(codes=("DJR201",), jobs=1))
    assert seen and seen[0][0] == 100_000 and seen[0][1] > 0  # the index built so far is frozen
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
