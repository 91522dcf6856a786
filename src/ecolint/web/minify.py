"""How many characters of a stylesheet or script minification would remove.

A re-implementation of Lighthouse 12.2.3's estimator (``core/lib/minification-estimator.js``,
Apache-2.0), used by its ``unminified-css`` and ``unminified-javascript`` audits: count the
characters a minifier keeps (strings, regular expressions, ``/*! … */`` licence comments and
every character that is not whitespace or a comment) and call the rest waste. Minifiers keep
licence comments, so a ``.min.js`` opening with a licence banner wastes nothing, where
GreenIT-Analysis's line count called it "not minified".
"""

from __future__ import annotations

import re

# What may precede a regular expression literal (otherwise "/" divides), as Lighthouse reads it.
_PUNCTUATOR_BEFORE = re.compile(
    r"(return|case|else|\{|\(|\[|\.\.\.|;|,|<|>|<=|>=|==|!=|===|!==|\+|-|\*|%|\*\*|\+\+|--|<<|"
    r">>|>>>|&|\||\^|!|~|&&|\|\||\?|:|=|\+=|-=|\*=|%=|\*\*=|<<=|>>=|>>>=|&=|\|=|\^=|=>|/|/=|\})$"
)
_TRAILING_SPACE = re.compile(r"[ \n\t]+$")
_WHITESPACE = " \n\t"


def css_waste_ratio(text: str) -> float:
    """Share of ``text`` (CSS) a minifier would remove, 0–1."""
    return _waste(text, javascript=False)


def js_waste_ratio(text: str) -> float:
    """Share of ``text`` (JavaScript) a minifier would remove, 0–1."""
    return _waste(text, javascript=True)


def _waste(text: str, javascript: bool) -> float:
    if not text:
        return 0.0
    return 1 - _token_length(text, javascript) / len(text)


def _regex_may_start(text: str, position: int) -> bool:
    """True when a punctuator (or the start of the text) comes before ``position``."""
    for end in range(position, 0, -1):
        before = text[max(0, end - 6) : end]
        if _TRAILING_SPACE.search(before):
            continue
        return bool(_PUNCTUATOR_BEFORE.search(before))
    return True


def _token_length(text: str, javascript: bool) -> int:
    """Characters a minifier keeps; the whole length when a comment or string is unbalanced."""
    kept = 0
    mode = "code"  # code, line-comment, comment, licence, string, regex
    quote = ""
    in_class = False  # inside [...] of a regular expression
    template_braces: list[str] = []  # "template" or "code", for `…${ { } }…`
    i = 0
    while i < len(text):
        char, pair = text[i], text[i : i + 2]
        if mode == "line-comment":
            mode = "code" if char == "\n" else mode
        elif mode in ("comment", "licence"):
            kept += mode == "licence"
            if pair == "*/":
                kept += mode == "licence"
                mode = "code"
                i += 1
        elif mode == "string":
            kept += 1
            if quote == "`" and pair == "${":
                template_braces.append("template")
                mode = "code"
                kept += 1
                i += 1
            elif char == "\\":
                kept += 1
                i += 1
            elif char == quote:
                mode = "code"
        elif mode == "regex":
            kept += 1
            if char == "\\":
                kept += 1
                i += 1
            elif char == "[":
                in_class = True
            elif char == "]" and in_class:
                in_class = False
            elif char == "/" and not in_class:
                mode = "code"
        elif pair == "/*":
            mode = "licence" if text[i + 2 : i + 3] == "!" else "comment"
            kept += 2 if mode == "licence" else 0
            i += 1
        elif pair == "//" and javascript:
            mode = "line-comment"
            i += 1
        elif char == "/" and javascript and _regex_may_start(text, i):
            mode = "regex"
            kept += 1
        elif char == "{" and template_braces:
            template_braces.append("code")
            kept += 1
        elif char == "}" and template_braces:
            if template_braces.pop() == "template":
                mode, quote = "string", "`"
            kept += 1
        elif char in "'\"`":
            mode, quote = "string", char
            kept += 1
        elif char not in _WHITESPACE:
            kept += 1
        i += 1
    if mode in ("comment", "licence", "string"):
        return len(text)
    return kept
