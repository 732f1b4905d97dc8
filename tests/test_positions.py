"""Positions from rendering only the statements that hold reported nodes equal libcst's own."""

from __future__ import annotations

import ast

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
    partial = positions_of(module, ast.parse(source), nodes)
    assert [partial[n] for n in nodes] == [full[n] for n in nodes]


def test_only_the_statements_holding_the_nodes_are_rendered():
    module = cst.parse_module(TRICKY)
    target = module.body[-1]  # the if __name__ block
    partial = positions_of(module, ast.parse(TRICKY), [target])
    assert module.body[2] not in partial  # class A was not rendered
    assert partial[target].start.line == 20


NESTED = '''import os


class Shop(models.Model):  # a long model: only the statement holding a node is rendered
    """Doc."""

    name = models.CharField(max_length=10); slug = models.SlugField()

    # a comment before a decorated method
    @property
    # between
    @cached(
        1,
    )
    def title(self):
        for book in self.books.all():
            print(book.author.name)

    class Meta:
        ordering = ["name"]

        def inner(self):
          return 1  # a two-space indent inside a four-space file

    async def fetch(self):
        async for row in rows():
            yield row


def view(request):
    def helper(x):
        return x.y.z
    return helper(request)
'''


@pytest.mark.parametrize("source", [TRICKY, NESTED, NESTED.replace("\n", "\r\n")], ids=["tricky", "nested", "crlf"])
def test_each_node_alone_gets_the_full_providers_position(source):
    module = cst.parse_module(source)
    full = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    for node in _every_node(module):
        assert positions_of(module, ast.parse(source), [node])[node] == full[node], node


def test_a_node_in_a_method_renders_that_method_only():
    module = cst.parse_module(NESTED)
    shop = module.body[1]
    title, meta = shop.body.body[2], shop.body.body[3]
    loop = title.body.body[0]
    partial = positions_of(module, ast.parse(NESTED), [loop])
    assert partial[loop].start.line == 16
    assert shop not in partial and meta not in partial  # neither the class nor its Meta
