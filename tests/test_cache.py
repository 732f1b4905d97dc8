"""The on-disk caches: warm runs reuse findings without parsing, a change to a model in one
file re-reviews the files that used it, corrupt caches are rebuilt, and the output does not
depend on the number of workers."""

from __future__ import annotations

import os

import pytest

from djreview.cache.findings import FindingsCache
from djreview.engine import Settings, run
from tests.helpers import (
    ALL_CODES,
    SHOP_MODELS,
    SHOP_MODELS_FK,
    SHOP_VIEWS,
    codes_lines,
    djreview,
    djreview_then,
    write_project,
)

UNRELATED = """
def total(prices):
    return sum(prices)
"""


@pytest.fixture
def shop(tmp_path, monkeypatch):
    write_project(
        tmp_path,
        {"shop/models.py": SHOP_MODELS, "shop/views.py": SHOP_VIEWS, "shop/utils.py": UNRELATED, "manage.py": ""},
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _run(root, **settings):
    return run(["."], Settings(codes=ALL_CODES, jobs=1, cache_dir=root / ".djreview_cache", **settings))


def test_warm_run_reuses_findings_without_parsing(shop, parses):
    (shop / "shop/models.py").write_text(SHOP_MODELS_FK)
    cold = _run(shop)
    assert ("DJR101", "shop/views.py", 5) in codes_lines(cold.findings)
    parses.clear()
    warm = _run(shop)
    assert parses == []
    assert warm.findings == cold.findings


def test_a_warm_run_never_unpickles_the_facts_of_a_project_file(shop, monkeypatch):
    """Its findings all hold: no index is built, so the cached facts stay serialised (half of
    a warm run's time on pretix); an edit makes the index, and the facts, needed again."""
    from djreview.cache import index as index_cache

    (shop / "shop/models.py").write_text(SHOP_MODELS_FK)
    cold = _run(shop)
    loaded: list[str] = []
    load = index_cache.CachedFacts._load

    def counting_load(self):
        if self._facts is None:
            loaded.append(self._path)
        return load(self)

    monkeypatch.setattr(index_cache.CachedFacts, "_load", counting_load)
    warm = _run(shop)
    assert warm.findings == cold.findings and warm.models == cold.models
    assert loaded == []
    (shop / "shop/utils.py").write_text(UNRELATED + "\n\ndef more():\n    return 1\n")
    edited = _run(shop)
    assert edited.findings == cold.findings
    assert "shop/models.py" in loaded  # the index was built from the cached facts


def test_editing_a_model_re_reviews_the_file_that_loops_over_it(shop, parses):
    assert [c for c in codes_lines(_run(shop).findings) if c[0] == "DJR101"] == []  # author is a CharField
    models = shop / "shop/models.py"
    models.write_text(SHOP_MODELS_FK)
    parses.clear()
    after = _run(shop)
    # views.py did not change, but its findings used Book's fields
    assert ("DJR101", "shop/views.py", 5) in codes_lines(after.findings)
    assert "shop/views.py" in parses
    assert "shop/utils.py" not in parses  # it asked nothing of Book
    assert after.findings == run(["."], Settings(codes=ALL_CODES, jobs=1)).findings  # same as cold
    models.write_text(SHOP_MODELS)
    assert [c for c in codes_lines(_run(shop).findings) if c[0] == "DJR101"] == []


def test_a_body_edit_that_changes_no_declaration_re_reviews_only_that_file(shop, parses):
    (shop / "shop/models.py").write_text(SHOP_MODELS_FK)  # views.py then needs a CST
    _run(shop)
    views = shop / "shop/views.py"
    views.write_text(SHOP_VIEWS + "\n\ndef more():\n    return 1\n")
    parses.clear()
    report = _run(shop)
    assert parses == ["shop/views.py"]
    assert report.findings == run(["."], Settings(codes=ALL_CODES, jobs=1)).findings


def test_other_settings_are_not_served_from_the_cache(shop):
    everything = codes_lines(_run(shop).findings)
    only_str = codes_lines(run(["."], Settings(codes=("DJR202",), jobs=1, cache_dir=shop / ".djreview_cache")).findings)
    assert only_str == [c for c in everything if c[0] == "DJR202"]
    assert codes_lines(_run(shop).findings) == everything


@pytest.mark.parametrize("name", ["findings", "index"])
def test_a_corrupt_cache_is_rebuilt(shop, name):
    cold = codes_lines(_run(shop).findings)
    folder = shop / ".djreview_cache"
    target = next(folder.glob(f"{name}-*.pickle"))
    target.write_bytes(b"\x80\x05 not a pickle")
    assert codes_lines(_run(shop).findings) == cold
    assert FindingsCache(folder).entries  # written again, readable


def test_a_cache_of_another_shape_is_ignored(shop):
    cold = codes_lines(_run(shop).findings)
    target = next((shop / ".djreview_cache").glob("findings-*.pickle"))
    import pickle

    target.write_bytes(pickle.dumps({"version": "0", "entries": {"x": 1}}))
    assert codes_lines(_run(shop).findings) == cold


def test_warm_cli_run_imports_neither_libcst_nor_rich(shop):
    cold = djreview("--format", "concise", ".", cwd=shop)  # fills the caches
    assert "DJR" in cold.stdout
    warm = djreview_then(
        "--format",
        "concise",
        ".",
        cwd=shop,
        then="print('libcst' in sys.modules, 'rich' in sys.modules, file=sys.stderr)",
    )
    assert warm.stdout == cold.stdout
    assert warm.stderr.strip().splitlines()[-1] == "False False"


def test_output_is_byte_identical_with_one_or_two_workers(bookshop, monkeypatch):
    """-j 1 and -j 2 print the same bytes (stdout and stderr) in every format read by machines.
    The sample project gets just enough copies of catalog/views.py to reach POOL_THRESHOLD, so
    -j 2 starts a process pool of 2 (checked), which shares the files out in chunks of two."""
    from concurrent import futures

    from djreview.pool import POOL_THRESHOLD

    copies = max(2, POOL_THRESHOLD - len(list(bookshop.rglob("*.py"))))
    views = (bookshop / "catalog" / "views.py").read_text(encoding="utf-8")
    for i in range(copies):
        (bookshop / "catalog" / f"views_{i}.py").write_text(views, encoding="utf-8")
    pools: list[int] = []

    class CountingPool(futures.ProcessPoolExecutor):
        def __init__(self, max_workers=None, *args, **kwargs):
            pools.append(max_workers)
            super().__init__(max_workers, *args, **kwargs)

    monkeypatch.setattr(futures, "ProcessPoolExecutor", CountingPool)
    outputs = {}
    for jobs in ("1", "2"):
        for fmt in ("concise", "json", "sarif"):
            pools.clear()
            result = djreview("--no-cache", "-j", jobs, "--format", fmt, ".", cwd=bookshop)
            assert result.returncode == 1
            assert set(pools) == ({2} if jobs == "2" else set())
            outputs[jobs, fmt] = (result.stdout, result.stderr)
    for fmt in ("concise", "json", "sarif"):
        assert outputs["1", fmt] == outputs["2", fmt]
    lines = outputs["1", "concise"][0].splitlines()
    original = [line.partition(":")[2] for line in lines if line.startswith("catalog/views.py:")]
    assert original
    for i in range(copies):  # every copy is reviewed as the original is
        assert [line.partition(":")[2] for line in lines if line.startswith(f"catalog/views_{i}.py:")] == original


def test_deleted_files_leave_the_caches(shop):
    _run(shop)
    (shop / "shop/utils.py").unlink()
    (shop / "shop/views.py").write_text(SHOP_VIEWS + "\n# changed\n")
    _run(shop)
    from djreview.cache.index import IndexCache

    gone = str(shop / "shop" / "utils.py")
    assert gone not in IndexCache(shop / ".djreview_cache").entries
    assert gone not in FindingsCache(shop / ".djreview_cache").entries
    assert str(shop / "shop" / "views.py") in FindingsCache(shop / ".djreview_cache").entries


def test_an_entry_whose_answers_cannot_be_read_is_reviewed_again(shop, parses):
    _run(shop)
    cache = FindingsCache(shop / ".djreview_cache")
    for entry in cache.entries.values():
        entry.answers = b"\x80\x05 damaged"
    cache.changed = True
    cache.save()
    (shop / "shop/models.py").write_text(SHOP_MODELS_FK)  # the index changed: answers are read
    parses.clear()
    after = _run(shop)
    assert "shop/views.py" in parses
    assert after.findings == run(["."], Settings(codes=ALL_CODES, jobs=1)).findings


def test_an_edit_that_keeps_size_and_mtime_is_seen_when_the_file_was_racy(shop):
    """A file modified within the clock's granularity (2 s) of the run that cached it is
    hashed again next time: an edit of the same size with its mtime restored is noticed."""
    models = shop / "shop/models.py"
    before = _run(shop)
    assert ("DJR202", "shop/models.py", 12) in codes_lines(before.findings)  # Publisher, no __str__
    st = models.stat()
    text = models.read_text()
    edited = text.replace("class Publisher(models.Model):", "class Publisher(models.Modex):")
    assert len(edited) == len(text) and edited != text
    models.write_text(edited)
    os.utime(models, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert models.stat().st_size == st.st_size
    after = _run(shop)
    assert ("DJR202", "shop/models.py", 12) not in codes_lines(after.findings)  # no longer a model


def test_cached_facts_travel_to_a_spawned_worker_serialised_or_as_read():
    """macOS and Windows start pool workers by spawning: the index and facts are pickled to
    them. Facts still serialised stay so; facts already read (and maybe changed) go as read."""
    import pickle

    from djreview.cache.index import CachedFacts
    from djreview.cache.store import pack
    from djreview.index.facts import ModuleFacts

    cached = CachedFacts(pack(ModuleFacts(path="/abs/shop/models.py", module="shop.models")), "shop/models.py")
    sent = pickle.loads(pickle.dumps(cached))
    assert isinstance(sent, CachedFacts) and (sent.module, sent.path) == ("shop.models", "shop/models.py")
    cached.external = True
    sent = pickle.loads(pickle.dumps(cached))
    assert isinstance(sent, ModuleFacts) and sent.external and sent.path == "shop/models.py"
