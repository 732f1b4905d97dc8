"""SARIF 2.1.0 for code scanning: one rule entry per rule (texts from its page), results with
regions, and each suggested fix as a SARIF fix."""

from __future__ import annotations

import json
import os
import re
from urllib.parse import quote

from djreview import __version__
from djreview.pages import load_page, page_path

LEVELS = {"error": "error", "warning": "warning", "info": "note"}
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def uri_of(path: str) -> str:
    """A relative URI reference, as SARIF requires: the path's bytes percent-encoded (spaces,
    non-ASCII letters, and names that are not valid UTF-8 alike)."""
    return quote(os.fsencode(path), safe="/")


def _plain(markdown: str) -> str:
    return re.sub(r"\s+", " ", markdown.replace("`", "")).strip()


def _rule(code: str, rule) -> dict:
    path = page_path(code)
    entry = {"id": code, "name": rule.name if rule else "parse-error"}
    if path is not None:
        page = load_page(path)
        finds = page.sections.get("What it finds", "").strip()
        why = page.sections.get("Why it matters", "").strip()
        first = _plain(finds).split(". ")[0].rstrip(".") + "."
        entry["shortDescription"] = {"text": first}
        entry["fullDescription"] = {"text": _plain(finds)}
        entry["help"] = {"text": _plain(why), "markdown": page.text}
    else:
        text = "A file that Python cannot compile, decode or read."
        entry["shortDescription"] = entry["fullDescription"] = {"text": text}
        entry["help"] = {"text": text}
    severity = rule.severity if rule else "error"
    entry["defaultConfiguration"] = {"level": LEVELS[severity]}
    if rule is not None:
        entry["properties"] = {"category": rule.category(), "fixable": rule.fixable}
    return entry


def _region(line: int, column: int, end_line: int, end_column: int) -> dict:
    return {"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column}


def _result(f, index: int, fingerprint: str) -> dict:
    result = {
        "ruleId": f.code,
        "ruleIndex": index,
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f.text},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": uri_of(f.path), "uriBaseId": "%SRCROOT%"},
                    "region": _region(f.line, f.column, f.end_line, f.end_column),
                }
            }
        ],
        "partialFingerprints": {"djreview/v1": fingerprint},
        "properties": {"hint": f.hint},  # what to do; the message text ends with it too
    }
    if f.fix is not None and f.fix.edits:
        changes: dict[str, list] = {}
        for e in f.fix.edits:
            changes.setdefault(e.path, []).append(
                {
                    "deletedRegion": _region(e.line, e.column, e.end_line, e.end_column),
                    "insertedContent": {"text": e.replacement},
                }
            )
        result["fixes"] = [
            {
                "description": {"text": f"{f.fix.description} ({f.fix.applicability})"},
                "artifactChanges": [
                    {"artifactLocation": {"uri": uri_of(path), "uriBaseId": "%SRCROOT%"}, "replacements": reps}
                    for path, reps in changes.items()
                ],
            }
        ]
    return result


def render(report, line_text) -> str:
    from djreview.report.gitlab import fingerprint
    from djreview.rule import all_rules

    registry = all_rules()
    codes = sorted({"DJR001", *registry})
    rules = [_rule(code, registry.get(code)) for code in codes]
    index = {code: i for i, code in enumerate(codes)}
    sarif = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "djreview",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": "https://pypi.org/project/djreview/",
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "the folder djreview ran in"}}},
                "results": [_result(f, index[f.code], fingerprint(f, line_text(f))) for f in report.findings],
            }
        ],
    }
    return json.dumps(sarif, indent=2)
