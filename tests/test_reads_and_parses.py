"""A cold run reads each file twice at most (to index it, to review it) and parses it with the
stdlib parser twice at most (the index; the review's prefilter, positions and fixes share
one tree), and with libcst once at most."""

from __future__ import annotations

import ast
import hashlib
import sys
from collections import Counter
from pathlib import Path

import libcst

from djreview.engine import Settings, run
from tests.helpers import ALL_CODES


def _key(source) -> str:
    data = source.encode() if isinstance(source, str) else bytes(source)
    return hashlib.blake2b(data.lstrip(b"\xef\xbb\xbf")).hexdigest()


def test_each_file_is_read_and_parsed_at_most_once_per_phase(bookshop, tmp_path, monkeypatch):
    shop = bookshop
    monkeypatch.chdir(shop)
    libcst.Module  # noqa: B018  (loads the real module behind rule.py's lazy stand-in)
    real_libcst = sys.modules["libcst"]
    reads, parses, csts = Counter(), Counter(), Counter()
    read_bytes, parse, parse_module = Path.read_bytes, ast.parse, real_libcst.parse_module

    def counted_read(self):
        reads[str(self)] += 1
        return read_bytes(self)

    def counted_parse(source, *args, **kwargs):
        parses[_key(source)] += 1
        return parse(source, *args, **kwargs)

    def counted_cst(source, *args, **kwargs):
        csts[_key(source)] += 1
        return parse_module(source, *args, **kwargs)

    monkeypatch.setattr(Path, "read_bytes", counted_read)
    monkeypatch.setattr(ast, "parse", counted_parse)
    monkeypatch.setattr(real_libcst, "parse_module", counted_cst)
    report = run(["."], Settings(codes=ALL_CODES, jobs=1, cache_dir=tmp_path / "cache"))
    assert report.findings  # the sample has findings: positions and fixes were computed
    sources = Counter({path: n for path, n in reads.items() if path.endswith(".py")})
    assert set(sources) == {str(p) for p in shop.rglob("*.py")}  # every file indexed
    assert max(sources.values()) <= 2, sources.most_common(3)
    copies = Counter(_key(p.read_bytes()) for p in shop.rglob("*.py"))  # empty __init__.py files...
    assert all(parses[key] <= 2 * n for key, n in copies.items()), parses.most_common(3)
    assert csts and all(csts[key] <= n for key, n in copies.items())
    assert set(csts) <= set(copies)
