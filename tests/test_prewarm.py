"""The worker forked at the start of a cached run (prewarm.py): it reviews what it is given
exactly as the main process would, a failed worker leaves the main process to do the work,
and a cached CLI run that uses it prints what a cold run prints."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from djreview import engine, prewarm
from djreview.engine import Settings
from djreview.index.project import ProjectIndex
from tests.conftest import ALL_CODES, write_project
from tests.test_cache import _CHAR, _FK, MODELS, VIEWS
from tests.test_cli import djreview

pytestmark = pytest.mark.skipif(not prewarm.available(), reason="the prewarmed worker needs fork")


@pytest.fixture
def shop(tmp_path, monkeypatch):
    write_project(tmp_path, {"shop/models.py": MODELS.replace(_CHAR, _FK), "shop/views.py": VIEWS, "manage.py": ""})
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _jobs_and_index(root: Path):
    paths = [root / "shop/models.py", root / "shop/views.py"]
    indexed = [engine.index_file(p) for p in paths]
    facts = {display: f for display, f, _ in indexed}
    return [(p, frozenset()) for p in paths], ProjectIndex(list(facts.values())), facts


def test_the_worker_reviews_as_the_main_process_does(shop):
    jobs, index, facts = _jobs_and_index(shop)
    settings = Settings(codes=ALL_CODES)
    remote = prewarm.Prewarmed().review(index, facts, settings, jobs)
    engine._init_worker(index, facts, settings)
    local = [engine._review_one(job) for job in jobs]
    assert remote == local
    assert [f.code for r in remote for f in r.findings] == ["DJR202", "DJR101"]


def test_a_worker_that_is_gone_gives_none(shop):
    jobs, index, facts = _jobs_and_index(shop)
    worker = prewarm.Prewarmed()
    worker.close()
    assert worker.review(index, facts, Settings(codes=ALL_CODES), jobs) is None


def test_a_cached_cli_run_after_a_model_edit_prints_what_a_cold_run_prints(shop):
    (shop / "shop/models.py").write_text(MODELS)  # author is a CharField: no N+1
    first = djreview("--format", "concise", ".", cwd=shop)
    assert "DJR101" not in first.stdout
    (shop / "shop/models.py").write_text(MODELS.replace(_CHAR, _FK))
    cached = djreview("--format", "concise", ".", cwd=shop)
    cold = djreview("--format", "concise", "--no-cache", ".", cwd=shop)
    one_process = djreview("--format", "concise", "-j", "1", "--no-cache", ".", cwd=shop)
    assert "shop/views.py:5:" in cached.stdout and "DJR101" in cached.stdout
    outputs = {(run.stdout, run.returncode) for run in (cached, cold, one_process)}
    assert len(outputs) == 1
    assert cached.stderr == cold.stderr == ""


def test_the_worker_is_not_started_without_a_cache_or_with_one_job(tmp_path):
    assert engine._prewarm(Settings(codes=ALL_CODES, cache_dir=None)) is None
    (tmp_path / "findings-0.pickle").write_bytes(b"")
    assert engine._prewarm(Settings(codes=ALL_CODES, cache_dir=tmp_path, jobs=1)) is None
    worker = engine._prewarm(Settings(codes=ALL_CODES, cache_dir=tmp_path))
    assert worker is not None or sys.platform != "linux"
    if worker is not None:
        worker.close()
