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
    # The edit ends at the start (end_side="start") or end of another node instead of its own:
    # removing an argument takes its comma and the space up to the next one.
    end_at: cst.CSTNode | None = None
    end_side: str = "start"


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


def remove_argument(call: cst.Call, removed: cst.Arg) -> NodeEdit | None:
    """An edit that removes one argument of a call with the comma and space that go with it,
    keeping the layout of the others (one per line or not); None for a lone argument with a
    trailing comma."""
    args = list(call.args)
    at = next(i for i, a in enumerate(args) if a is removed)
    if at + 1 < len(args):  # up to the next argument, which takes its place
        return NodeEdit(removed, "", end_at=args[at + 1])
    if at > 0:  # the last one: from the end of the one before, whose comma goes with it
        return NodeEdit(args[at - 1], "", "after", end_at=removed, end_side="end")
    import libcst as cst

    return NodeEdit(removed, "") if not isinstance(removed.comma, cst.Comma) else None  # `f(x,)`: left alone
