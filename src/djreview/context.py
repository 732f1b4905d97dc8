"""What a rule sees of the file under review, and how its reports become findings."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

import libcst as cst

from djreview.finding import Edit, Finding, Fix
from djreview.fix_spec import INDENT
from djreview.positions import positions_of
from djreview.source import line_starts, split_lines

if TYPE_CHECKING:
    from djreview.fix_spec import FixSpec
    from djreview.flow import Flow
    from djreview.index.facts import ModuleFacts
    from djreview.index.project import ProjectIndex


class TooDeep(Exception):
    """The file nests deeper than libcst can compute positions for on this Python."""


class Reporter(Protocol):
    """What the context needs of the rule that reports (rule.Rule has it)."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> str: ...


class NodeSpans:
    """Where some nodes lie in the file's text, as offsets; a node's span leaves out the
    parentheses around it."""

    def __init__(self, text: str, positions: dict):
        self.text = text
        self._positions = positions
        self._starts = line_starts(text)

    def start(self, node: cst.CSTNode) -> int:
        where = self._positions[node].start
        return self._starts[where.line - 1] + where.column

    def end(self, node: cst.CSTNode) -> int:
        where = self._positions[node].end
        return self._starts[where.line - 1] + where.column

    def of(self, node: cst.CSTNode) -> str:
        """The node's own text, as written in the file."""
        return self.text[self.start(node) : self.end(node)]

    def line_indent(self, node: cst.CSTNode) -> str:
        """The text between the start of the node's first line and the node."""
        where = self._positions[node].start
        return self.text[self._starts[where.line - 1] : self.start(node)]


@dataclass
class FileContext:
    path: str
    text: str
    module: cst.Module
    facts: ModuleFacts
    index: ProjectIndex
    kinds: frozenset[str]
    flow: Flow  # what names hold at the node being visited (runs first in the walk)
    stdlib_tree: Callable[[], ast.Module | None]  # the file's stdlib tree, parsed at most once
    pending: list[tuple] = field(default_factory=list)

    def spans(self, nodes: list[cst.CSTNode]) -> NodeSpans | None:
        """The spans of `nodes` in the file (for a fix that reuses the code as written), or
        None when the file nests too deeply to locate them."""
        try:
            return NodeSpans(self.text, positions_of(self.module, self.stdlib_tree(), nodes))
        except (RecursionError, KeyError, IndexError):
            return None

    def report(self, rule: Reporter, node: cst.CSTNode, message: str, fix: FixSpec | None, lines=None, hint="") -> None:
        self.pending.append((rule, node, message, fix, lines, hint))

    def report_at(self, rule: Reporter, where: tuple[str, int, int, int], message: str, fix, lines=None, hint=""):
        """Report a place in another file, (path, line, column, end column): a template's
        variable, whose fix edits this file's view."""
        self.pending.append((rule, where, message, fix, lines, hint))

    def findings(self) -> list[Finding]:
        """Positions are computed here, once per file, and only when something was reported."""
        if not self.pending:
            return []
        nodes = [node for _, node, _, _, _, _ in self.pending if not isinstance(node, tuple)]
        nodes += [e.node for _, _, _, spec, _, _ in self.pending if spec for e in spec.edits]
        nodes += [e.indent_like for _, _, _, spec, _, _ in self.pending if spec for e in spec.edits if e.indent_like]
        nodes += [e.end_at for _, _, _, spec, _, _ in self.pending if spec for e in spec.edits if e.end_at]
        nodes += [n for *_, lines, _ in self.pending for n in (lines or {}).values()]
        try:
            positions = positions_of(self.module, self.stdlib_tree(), nodes)
        except (RecursionError, KeyError) as exc:  # libcst recurses once per nesting level
            raise TooDeep from exc
        out = []
        for rule, node, message, spec, lines, hint in self.pending:
            path, line, column, end_column = node if isinstance(node, tuple) else (self.path, 0, 0, 0)
            where = positions[node] if line == 0 else None
            for key, other in (lines or {}).items():
                message = message.replace(f"<line:{key}>", str(positions[other].start.line))
                hint = hint.replace(f"<line:{key}>", str(positions[other].start.line))
            fix = None
            if spec is not None:
                edits = tuple(self._edit(positions, e) for e in spec.edits)
                fix = Fix(spec.description, spec.applicability, edits)
            out.append(
                Finding(
                    code=rule.code,
                    name=rule.name,
                    severity=rule.severity,
                    path=path,
                    line=where.start.line if where else line,
                    column=where.start.column + 1 if where else column,
                    end_line=where.end.line if where else line,
                    end_column=where.end.column + 1 if where else end_column,
                    message=message,
                    hint=hint,
                    fix=fix,
                )
            )
        return out

    def _edit(self, positions, edit) -> Edit:
        where = positions[edit.node]
        start, end = where.start, where.end
        if edit.where == "after":
            start = end
        elif edit.where == "before":
            end = start
        if edit.end_at is not None:  # a range: up to the start (or end) of another node
            other = positions[edit.end_at]
            end = other.start if edit.end_side == "start" else other.end
        replacement = edit.replacement
        if edit.indent_like is not None:
            anchor = positions[edit.indent_like].start
            line = split_lines(self.text)[anchor.line - 1]
            replacement = replacement.replace(INDENT, line[: anchor.column])
        if edit.where == "lines":  # the whole lines the node is on, line breaks included
            lines = split_lines(self.text)
            first, last = start.line, end.line
            if last < len(lines):
                return Edit(self.path, first, 1, last + 1, 1, replacement)
            return Edit(self.path, first, 1, last, len(lines[last - 1]) + 1, replacement)
        return Edit(self.path, start.line, start.column + 1, end.line, end.column + 1, replacement)
