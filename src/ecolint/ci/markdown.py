"""Safe Markdown for PR comments and job summaries.

Why: on a fork pull request every path, rule message, test name, URL and branch name is
written by whoever opened the PR. Pasted raw into a comment such text can fake links or
tracking images, ping teams (``@org/team``), break out of a code span or a table, or end
and forge the hidden marker that finds the sticky comment (``-->``). So nothing from the
repository reaches the comment except through :func:`text` or :func:`code`, and the
whole body is capped to what GitHub accepts (65,536 characters).
"""

from __future__ import annotations

import re

COMMENT_LIMIT = 65_536  # GitHub rejects longer issue comments (422)
SUMMARY_LIMIT = 1024 * 1024  # a step summary over 1 MiB is not uploaded
TEXT_LIMIT = 200  # characters of one value in a table cell
JOINER = "\u200d"  # zero-width joiner: breaks mentions, autolinks and comment delimiters

_PUNCTUATION = re.compile(r"([\\`*_\[\]()<>#|!~+-])")
_ONE_LINE = re.compile(r"[\r\n\t\v\f\u2028\u2029\x85]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BACKTICKS = re.compile(r"`+")


def _one_line(value: str, limit: int) -> str:
    flat = _CONTROL.sub("", _ONE_LINE.sub(" ", value)).strip()
    if len(flat) > limit:
        flat = flat[: max(limit - 1, 0)] + "…"
    return flat


def _defuse(value: str) -> str:
    """Break what GitHub acts on even inside literal text: mentions, bare-URL autolinks,
    HTML comment delimiters and entities."""
    value = value.replace("@", "@" + JOINER)
    value = value.replace("://", ":" + JOINER + "//").replace("www.", "www" + JOINER + ".")
    value = value.replace("<!--", "<" + JOINER + "!--").replace("-->", "--" + JOINER + ">")
    return value


def text(value: object, limit: int = TEXT_LIMIT) -> str:
    """``value`` as inert inline Markdown on one line: every character with a meaning in
    Markdown or HTML is backslash-escaped (pipes too, so it is safe in a table cell),
    ``&`` becomes an entity so no entity can be smuggled in, mentions and autolinks are
    broken with a zero-width joiner, and the length is capped."""
    flat = _defuse(_one_line(str(value), limit))
    return _PUNCTUATION.sub(r"\\\1", flat.replace("&", "&amp;"))


def code(value: object, limit: int = TEXT_LIMIT, *, in_table: bool = True) -> str:
    """``value`` as an inline code span: its fence is one backtick longer than the longest
    run inside it, so it cannot be closed early; code spans show text literally (no links,
    mentions or HTML). In a table a pipe would still end the cell, so it is escaped (GFM
    removes that backslash inside tables); mentions, URLs and comment delimiters are broken
    as in :func:`text`, so the raw body carries none either."""
    flat = _defuse(_one_line(str(value), limit))  # code is not linked, but raw text is searched
    if in_table:
        flat = flat.replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICKS.findall(flat)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if flat.startswith("`") or flat.endswith("`") or not flat else ""
    return f"{fence}{padding}{flat}{padding}{fence}"


def cap(body: str, limit: int, pointer: str) -> str:
    """``body`` cut at a line boundary so that, with ``pointer`` (a note that says where
    the rest is) appended, it fits in ``limit`` characters; unchanged when it fits."""
    if len(body) <= limit:
        return body
    note = f"\n\n{pointer}\n"
    room = max(limit - len(note), 0)
    cut = body.rfind("\n", 0, room)
    kept = body[: cut if cut > 0 else room]
    if kept.count("<details>") > kept.count("</details>"):
        closing = "\n</details>"
        kept = kept[: max(room - len(closing), 0)]
        cut = kept.rfind("\n")
        kept = (kept[:cut] if cut > 0 else kept) + closing
    return kept + note
