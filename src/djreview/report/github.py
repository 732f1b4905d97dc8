"""GitHub Actions workflow commands: one annotation per finding on the pull request."""

from __future__ import annotations

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report) -> str:
    lines = []
    for f in report.findings:
        props = ",".join(
            [
                f"file={_property(f.path)}",
                f"line={f.line}",
                f"col={f.column}",
                f"endLine={f.end_line}",
                f"endColumn={f.end_column}",
                f"title={_property(f'{f.code} {f.name}')}",
            ]
        )
        message = f.text
        if f.fix is not None:
            message += f"\nFix ({f.fix.applicability}): {f.fix.description}"
        lines.append(f"::{LEVELS.get(f.severity, 'warning')} {props}::{_data(message)}")
    return "\n".join(lines)
