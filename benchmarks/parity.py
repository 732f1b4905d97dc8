"""Compare a djreview rule with its peers' rule on the same code: Ruff's and flake8-django's.

    python benchmarks/parity.py DJR203 DJ001 DJ01 PATH [PATH ...]

Prints, per PATH, how many places (path:line) each tool reports, how many they share, and the
places only one of them reports (up to --show), for reading by hand. Needs the peer venv of
setup_peers.sh (/tmp/peers) and djreview on PATH. Nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

PEERS = Path("/tmp/peers/bin")


def djreview(code: str, path: str) -> set[str]:
    out = subprocess.run(
        ["djreview", "--no-cache", "--select", code, "--format", "json", path], capture_output=True, text=True
    ).stdout
    return {f"{Path(f['path']).resolve()}:{f['line']}" for f in json.loads(out)["findings"] if f["code"] == code}


def peer(command: list[str], code: str) -> set[str]:
    out = subprocess.run(command, capture_output=True, text=True).stdout
    places = set()
    for line in out.splitlines():
        parts = line.split(":")
        if len(parts) >= 4 and code in parts[3]:
            places.add(f"{Path(parts[0]).resolve()}:{parts[1]}")
    return places


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("code")
    parser.add_argument("ruff_code")
    parser.add_argument("flake8_code")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--show", type=int, default=5)
    args = parser.parse_args()
    for path in args.paths:
        ours = djreview(args.code, path)
        ruff = peer(
            [
                str(PEERS / "ruff"),
                "check",
                "--select",
                args.ruff_code,
                "--no-cache",
                "--output-format",
                "concise",
                path,
            ],
            args.ruff_code,
        )
        flake8 = peer([str(PEERS / "flake8"), "--select", args.flake8_code, path], args.flake8_code)
        print(
            f"{path}: djreview {len(ours)}, ruff {len(ruff)}, flake8-django {len(flake8)}; "
            f"djreview and ruff share {len(ours & ruff)}, djreview and flake8 {len(ours & flake8)}"
        )
        for label, places in (
            ("only djreview", ours - ruff - flake8),
            ("only ruff", ruff - ours),
            ("only flake8-django", flake8 - ours),
        ):
            for place in sorted(places)[: args.show]:
                print(f"   {label}: {place}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
