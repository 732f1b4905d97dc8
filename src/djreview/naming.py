"""Names djreview proposes: plural snake_case accessors, descriptive fields."""

from __future__ import annotations

import re

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()


def plural(word: str) -> str:
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    return word + "s"


def plural_snake(class_name: str) -> str:
    """`BookTag` -> `book_tags`, `Category` -> `categories`, `Address` -> `addresses`."""
    return plural(snake(class_name))


# Field names that make a good __str__, most descriptive first. Not "code" or "token": those
# are often secrets (an OAuth grant's code) that must not end up in logs and admin pages.
DESCRIPTIVE_FIELDS = (
    "name",
    "title",
    "full_name",
    "display_name",
    "username",
    "label",
    "headline",
    "subject",
    "slug",
    "email",
    "number",
    "reference",
)
TEXT_FIELD_KINDS = ("CharField", "SlugField", "EmailField", "TextField")
