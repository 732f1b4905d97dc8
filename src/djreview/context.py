"""What a rule sees of the file under review, and how its reports become findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import libcst as cst

from djreview.finding import Edit, Finding, Fix
from djreview.positions import positions_of
from djreview.rule import INDENT

if TYPE_CHECKING:
    from djreview.flow import Flow
    from djreview.index.facts import ModuleFacts
    from djreview.index.project import ProjectIndex
    from djreview.rule import FixSpec, Rule


class TooDeep(Exception):
    """The file nests deeper than libcst can compute positions for on this Python."""


@dataclass
class FileContext:
    path: str
    text: str
    module: cst.Module
    facts: ModuleFacts
    index: ProjectIndex
    kinds: frozenset[str]
    flow: Flow  # what names hold at the node being visited (runs first in the walk)
    pending: list[tuple] = field(default_factory=list)

    def report(self, rule: Rule, node: cst.CSTNode, message: str, fix: FixSpec | None, lines=None, hint="") -> None:
        self.pending.append((rule, node, message, fix, lines, hint))

    def findings(self) -> list[Finding]:
        """Positions are computed here, once per file, and only when something was reported."""
        if not self.pending:
            return []
        nodes = [node for _, node, _, _, _, _ in self.pending]
        nodes += [e.node for _, _, _, spec, _, _ in self.pending if spec for e in spec.edits]
        nodes += [e.indent_like for _, _, _, spec, _, _ in self.pending if spec for e in spec.edits if e.indent_like]
        nodes += [n for *_, lines, _ in self.pending for n in (lines or {}).values()]
        try:
            positions = positions_of(self.module, self.text, nodes)
        except (RecursionError, KeyError) as exc:  # libcst recurses once per nesting level
            raise TooDeep from exc
        out = []
        for rule, node, message, spec, lines, hint in self.pending:
            where = positions[node]
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
                    path=self.path,
                    line=where.start.line,
                    column=where.start.column + 1,
                    end_line=where.end.line,
                    end_column=where.end.column + 1,
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
        replacement = edit.replacement
        if edit.indent_like is not None:
            anchor = positions[edit.indent_like].start
            line = self.text.splitlines()[anchor.line - 1]
            replacement = replacement.replace(INDENT, line[: anchor.column])
        return Edit(self.path, start.line, start.column + 1, end.line, end.column + 1, replacement)
