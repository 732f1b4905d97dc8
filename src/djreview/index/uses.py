"""Where a module uses the names a `related_name` would rename: the default reverse accessor
(`author.book_set`, `"book_set__title"`, `getattr(a, "book_set")`, DRF `source="book_set"`)
and the default reverse query name (`filter(book=b)`, `Count("book")`, `"book__title"`).

Read from the text with regular expressions: a walk of every node of every tree costs about
a third of the whole index on Django's source, these patterns a few percent. Each pattern
errs on the side of a use: a use found where there is none only makes DJR201's fix more
careful (unsafe, or keeping the old query name), a use missed would make it break code.
"""

from __future__ import annotations

import re

# Every pattern starts with a literal, so the scan is fast; the context of each match (the
# name around it, the character before it) is read from the text afterwards.
_SET_END = re.compile(r"_set(?![A-Za-z0-9]|_(?!_))")  # `book_set` ends here (`book_set__x` too)
_STEP = re.compile(r"__[a-z0-9]")  # a lookup step joined with `__`
# A keyword argument (`filter(book=b)`, `filter(book__title=x)`): the name after `(` or `,`,
# or after a comment line (`filter(\n    # why\n    book=b)`) when written without spaces.
_KEYWORD = re.compile(r"[(,]\s*([a-z][a-z0-9_]*)\s*=(?!=)")
_KEYWORD_AFTER_COMMENT = re.compile(r"#[^\n]*\n\s*([a-z][a-z0-9_]*)=(?!=)")
_WORD = re.compile(r"([\"'])-?([a-z][a-z0-9]*(?:_[a-z0-9]+)*)\1")  # one word: "book", '-book'
_IDENTIFIER_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
# Callees whose string arguments are never lookups (translations, URL names, dict access).
_NOT_LOOKUP_CALLEES = frozenset(
    {
        "_",
        "gettext",
        "gettext_lazy",
        "gettext_noop",
        "ugettext",
        "ugettext_lazy",
        "pgettext",
        "pgettext_lazy",
        "ngettext",
        "ngettext_lazy",
        "reverse",
        "reverse_lazy",
        "redirect",
        "path",
        "re_path",
        "include",
        "url",
        "get",
        "getlist",
        "pop",
        "setdefault",
        "getLogger",
        "startswith",
        "endswith",
        "split",
        "encode",
        "decode",
    }
)
# Keywords whose string values are text or other names, never lookups.
_TEXT_KEYWORDS = frozenset(
    {
        "verbose_name",
        "verbose_name_plural",
        "help_text",
        "label",
        "title",
        "description",
        "name",
        "url_name",
        "basename",
        "namespace",
        "template_name",
        "db_table",
        "db_column",
        "related_name",
        "related_query_name",
        "default",
        "app_label",
        "model_name",
        "message",
        "code",
        "placeholder",
        "empty_label",
        "encoding",
        "charset",
        "content_type",
    }
)
# Class attributes that hold one lookup (`date_hierarchy = "book__published"`); the many that
# hold lists of them (`list_filter = ("book",)`) are element positions already.
_LOOKUP_ATTRIBUTES = frozenset({"date_hierarchy", "admin_order_field", "lookup_field", "lookup_url_kwarg"})
_LINE_BREAK = re.compile(r"\r\n?|\n")

Uses = dict[str, tuple[int, ...]]  # name -> the lines of its first uses in the file


def accessor_uses(text: str) -> Uses:
    """Every name ending `_set` the text reads as an attribute (`.book_set`), writes as a whole
    string or a string's first step ("book_set", "book_set__title", DRF "author.book_set") or
    as a later step of a lookup ("author__book_set" in prefetch_related)."""
    found = []
    for m in _SET_END.finditer(text):
        start = _identifier_start(text, m.start())
        name = text[start : m.end()]
        if "__" in name:
            name = name.rsplit("__", 1)[1]
        elif text[start - 1 : start] not in (".", '"', "'"):
            continue  # a plain variable (`result_set = set()`)
        if name[:1].isalnum() and "__" not in name:
            found.append((name, m.end() - len(name)))
    return _lines(text, found, keep=100)  # rare: kept to count them in the hint


def query_uses(text: str) -> Uses:
    """The first step of every lookup the text may write: keyword arguments, anything joined
    with `__`, and one-word strings in argument or element positions (after `(`, `[`, `{`,
    `,` or a keyword's `=`; not subscripts, dict keys, translations or URL names). Only the
    first line of each is kept."""
    first: dict[str, int] = {}  # word -> offset of its first use
    seen = -1
    for m in _STEP.finditer(text):
        start = _identifier_start(text, m.start())
        if start <= seen:
            continue  # a later step of a lookup already read
        seen = start
        head = text[start : m.start()].split("__", 1)[0]
        if head not in first and head[:1].islower() and text[start - 1 : start] != ".":
            first[head] = start
    for pattern in (_KEYWORD, _KEYWORD_AFTER_COMMENT):
        for m in pattern.finditer(text):
            head = m.group(1).split("__", 1)[0]
            if first.get(head, len(text)) > m.start(1):
                first[head] = m.start(1)
    for m in _WORD.finditer(text):
        head = m.group(2)
        if first.get(head, len(text)) > m.start(2) and _in_lookup_position(text, m.start(), m.end()):
            first[head] = m.start(2)
    return _lines(text, first.items(), keep=1)


def _identifier_start(text: str, end: int) -> int:
    start = end
    while start > 0 and text[start - 1] in _IDENTIFIER_CHARS:
        start -= 1
    return start


def _in_lookup_position(text: str, start: int, end: int) -> bool:
    """Is the string literal text[start:end] an argument, an element or a lookup keyword's or
    attribute's value, rather than a subscript, a dict key or an assignment of text?"""
    after = text[end : end + 40].lstrip(" \t")
    if after.startswith(":"):
        return False  # a dict key
    at = start
    while at > 0 and text[at - 1] in "rRuUfF":  # a string prefix
        at -= 1
    if at > 0 and text[at - 1] in _IDENTIFIER_CHARS:
        return False  # the end of a longer string or name, not a literal's start
    at = _skip_back_blanks(text, at)
    opener = text[at - 1 : at]
    if opener not in ("(", "[", "{", ",", "="):
        return False
    if opener == "=" and text[at - 2 : at - 1] in ("=", "!", "<", ">"):
        return False  # a comparison
    word_end = _skip_back_blanks(text, at - 1)
    word_start = _identifier_start(text, word_end)
    before = text[word_start:word_end]
    if opener == "[":
        return not before and text[word_end - 1 : word_end] not in (")", "]")  # a list, not a subscript
    if opener == "(":
        return before not in _NOT_LOOKUP_CALLEES
    if opener == "=":
        return _keyword_or_lookup_attribute(text, word_start, before)
    return True


def _skip_back_blanks(text: str, at: int) -> int:
    """The offset after the last character before `at` that is neither blank nor inside a
    comment line."""
    while at > 0:
        if text[at - 1] in " \t\r\n\\":
            at -= 1
            continue
        line_start = text.rfind("\n", 0, at) + 1
        if text[line_start:at].lstrip().startswith("#"):
            at = line_start
            continue
        break
    return at


def _keyword_or_lookup_attribute(text: str, start: int, name: str) -> bool:
    """Is `name=` at `start` a keyword argument (after `(` or `,`) whose value is not text, or
    an attribute that holds a lookup? A plain `kind = "book"` is neither."""
    if not name or name in _TEXT_KEYWORDS:
        return False
    if name in _LOOKUP_ATTRIBUTES or "order" in name:
        return True
    return text[max(0, start - 200) : start].rstrip()[-1:] in ("(", ",")


def _lines(text: str, found, keep: int) -> Uses:
    """`found` (name, offset) pairs as name -> the lines of its first `keep` uses."""
    offsets: dict[str, list[int]] = {}
    for name, offset in found:
        kept = offsets.setdefault(name, [])
        if len(kept) < keep:
            kept.append(offset)
        elif offset < kept[-1]:  # the patterns run one after another: keep the earliest
            kept[-1] = offset
            kept.sort()
    if not offsets:
        return {}
    lines: dict[int, int] = {}
    line, previous = 1, 0
    counts_cr = "\r" in text  # the parser's rule: \n, \r\n and a lone \r end a line
    for offset in sorted({o for kept in offsets.values() for o in kept}):
        chunk = text[previous:offset]
        line += len(_LINE_BREAK.findall(chunk)) if counts_cr else chunk.count("\n")
        lines[offset], previous = line, offset
    return {name: tuple(lines[o] for o in sorted(kept)) for name, kept in offsets.items()}
