"""Positions from rendering only the statements that hold reported nodes equal libcst's own."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from djreview.positions import positions_of
from djreview.walk import children

TRICKY = '''#!/usr/bin/env python
# -*- coding: utf-8 -*-
"""Docstring."""
import os; import sys


# a comment before a decorated class
@decorator
# between decorators
@other(
    arg=1,
)
class A(Base):
    x = 1  # trailing

    def f(self):
        return [y for y in range(3)]


if __name__ == "__main__":
    value = (
        1
        + 2
    )
    print(value); print(os, sys)
'''


def _every_node(module):
    out, stack = [], [module]
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(children(node))
    return [n for n in out if not isinstance(n, cst.Module)]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_partial_positions_match_the_full_provider(newline):
    source = TRICKY.replace("\n", newline)
    module = cst.parse_module(source)
    full = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    nodes = _every_node(module)
    partial = positions_of(module, source, nodes)
    assert [partial[n] for n in nodes] == [full[n] for n in nodes]


def test_only_the_statements_holding_the_nodes_are_rendered():
    module = cst.parse_module(TRICKY)
    target = module.body[-1]  # the if __name__ block
    partial = positions_of(module, TRICKY, [target])
    assert module.body[2] not in partial  # class A was not rendered
    assert partial[target].start.line == 20
