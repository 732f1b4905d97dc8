"""The rule catalog: one Markdown page per rule, shipped in the wheel as djreview/pages/."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from djreview.source import split_lines

_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def pages_dir() -> Path:
    installed = Path(__file__).parent / "pages"
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "rules"  # a source checkout / editable install


def page_path(code: str) -> Path | None:
    matches = sorted(pages_dir().glob(f"{code.upper()}-*.md"))
    return matches[0] if matches else None


@dataclass
class Example:
    files: dict[str, str]  # path -> source; a block without "# file:" is "example.py"


@dataclass
class Page:
    code: str
    text: str
    sections: dict[str, str]

    def example(self, heading: str) -> Example:
        body = self.sections.get(heading, "")
        files: dict[str, str] = {}
        for block in _BLOCK.findall(body):
            first, _, rest = block.partition("\n")
            if first.startswith("# file:"):
                files[first[len("# file:") :].strip()] = rest
            else:
                files["example.py"] = block
        return Example(files)


# The header row naming the seed: its sentence is for users, the file it was drawn from (in
# ../shared/seeds/) only for whoever maintains the page.
_SEED_ROW = re.compile(r"\| seed \| (?P<value>.*) \|")
_SEED_FILE = re.compile(r"\s*\(`[^`]*`\)")


def printed(text: str) -> str:
    """The page as `djreview rule` prints it: the seed sentence without its file name, and no
    seed row where there is no sentence (DJR001)."""
    out = []
    for line in split_lines(text, keepends=True):
        match = _SEED_ROW.fullmatch(line.rstrip("\r\n"))
        if match:
            value = match.group("value")
            if not value.startswith('"'):
                continue
            line = f"| seed | {_SEED_FILE.sub('', value)} |\n"
        out.append(line)
    return "".join(out)


def load_page(path: Path) -> Page:
    text = path.read_text(encoding="utf-8")
    sections: dict[str, str] = {}
    current = ""
    for line in split_lines(text, keepends=True):
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = ""
        elif current:
            sections[current] += line
    return Page(path.name.split("-", 1)[0], text, sections)
