"""A fix as a rule proposes it: edits expressed on the tree. The context turns them into
line/column edits (finding.Edit) when the file's findings are located."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst

# In a replacement, INDENT becomes the indentation of the `indent_like` node's first line:
# libcst only knows indentation relative to the enclosing block, the file needs it absolute.
INDENT = "\x00"


@dataclass(frozen=True)
class NodeEdit:
    node: cst.CSTNode
    replacement: str
    where: str = "replace"  # "replace" the node, insert "after" / "before" it, or replace its whole "lines"
    indent_like: cst.CSTNode | None = None


@dataclass(frozen=True)
class FixSpec:
    description: str
    applicability: str  # "safe" | "unsafe" | "suggestion"
    edits: tuple[NodeEdit, ...] = ()


def append_arguments(call: cst.Call, arguments: list[str]) -> NodeEdit | None:
    """An edit that adds `arguments` (source text, e.g. 'related_name="books"') after the
    call's last argument, one per line when the call already puts its arguments on their own
    lines; None for a call without arguments (nowhere to anchor the edit)."""
    import libcst as cst

    if not call.args:
        return None
    last = call.args[-1]
    ws = last.comma.whitespace_after if isinstance(last.comma, cst.Comma) else None
    if isinstance(ws, cst.ParenthesizedWhitespace):  # `arg,` then a new line: one per line
        return NodeEdit(last, "".join(f",\n{INDENT}{argument}" for argument in arguments), "after", indent_like=last)
    return NodeEdit(last, "".join(f", {argument}" for argument in arguments), "after")
