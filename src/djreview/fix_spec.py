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
    where: str = "replace"  # "replace" the node, or insert "after" / "before" it
    indent_like: cst.CSTNode | None = None


@dataclass(frozen=True)
class FixSpec:
    description: str
    applicability: str  # "safe" | "unsafe" | "suggestion"
    edits: tuple[NodeEdit, ...] = ()
