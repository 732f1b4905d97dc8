"""The JSON object of DESIGN.md's output contract."""

from __future__ import annotations

import json
from collections import Counter

from djreview import __version__


def render(report) -> str:
    by_code = Counter(f.code for f in report.findings)
    data = {
        "version": __version__,
        "findings": [f.to_dict() for f in report.findings],
        "summary": {
            "files": report.files,
            "findings": len(report.findings),
            "errors": report.errors,
            "by_code": dict(sorted(by_code.items())),
            # what the index understood: no finding is not a clean bill when models went unseen
            "models": report.models,
            "unresolved_classes": report.unresolved,
        },
    }
    return json.dumps(data, indent=2)
