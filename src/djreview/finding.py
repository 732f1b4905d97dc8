"""Plain data that rules produce and reports consume."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass(frozen=True)
class Edit:
    """Replace the text between two 1-based positions (end exclusive) with `replacement`."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    replacement: str


@dataclass(frozen=True)
class Fix:
    description: str
    applicability: str  # "safe" | "unsafe" | "suggestion"
    edits: tuple[Edit, ...] = ()


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    message: str  # what is wrong
    hint: str = ""  # what to do about it (Django's check vocabulary: msg + hint)
    fix: Fix | None = None

    @property
    def text(self) -> str:
        """The whole sentence as line-oriented outputs print it: the message, then the hint."""
        return f"{self.message} {self.hint}" if self.hint else self.message

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.code)

    def to_dict(self) -> dict:
        # field by field, not dataclasses.asdict(): its deep copy of every value was a third of
        # a warm run's JSON output on pretix (795 findings)
        data = {name: getattr(self, name) for name in _FINDING_FIELDS}
        data["message"] = self.text  # the JSON contract's "message" is the whole sentence
        fix = self.fix
        if fix is not None:
            edits = [{name: getattr(e, name) for name in _EDIT_FIELDS} for e in fix.edits]
            data["fix"] = {"description": fix.description, "applicability": fix.applicability, "edits": edits}
        return data


_FINDING_FIELDS = tuple(f.name for f in fields(Finding))
_EDIT_FIELDS = tuple(f.name for f in fields(Edit))


@dataclass
class FileResult:
    """What reviewing one file produced."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # every question the review asked of the project index -> digest of the answer
    answers: dict[tuple, str] = field(default_factory=dict)
