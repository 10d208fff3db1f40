"""A checker for Telegram's HTML parse mode: allowed tags only, balanced, every <, > and & escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser

MAX_MESSAGE = 4096

# https://core.telegram.org/bots/api#html-style
ALLOWED = {
    "b": set(), "strong": set(), "i": set(), "em": set(), "u": set(), "ins": set(), "s": set(),
    "strike": set(), "del": set(), "tg-spoiler": set(), "span": {"class"}, "a": {"href"},
    "tg-emoji": {"emoji-id"}, "code": {"class"}, "pre": set(), "blockquote": {"expandable"},
}
NAMED_ENTITIES = {"lt", "gt", "amp", "quot"}
_TAG = re.compile(r"</?[a-z][a-z-]*(?:\s+[a-z-]+(?:=\"[^\"<>]*\")?)*\s*/?>")
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);")


class TelegramHTMLError(AssertionError):
    pass


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED:
            self.errors.append(f"tag <{tag}> is not allowed by Telegram")
            return
        for name, value in attrs:
            if name not in ALLOWED[tag]:
                self.errors.append(f"attribute {name!r} is not allowed on <{tag}>")
            if tag == "a" and name == "href" and not re.match(r"^(https?|tg)://", value or ""):
                self.errors.append(f"link target {value!r} is not http(s) or tg")
        if self.stack and self.stack[-1] in ("code", "pre") and not (self.stack[-1] == "pre" and tag == "code"):
            self.errors.append(f"<{tag}> inside <{self.stack[-1]}>")
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.errors.append(f"self-closing <{tag}/> is not allowed by Telegram")

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> does not close the open tag {self.stack[-1:] or 'none'}")
            return
        self.stack.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in NAMED_ENTITIES:
            self.errors.append(f"entity &{name}; is not supported by Telegram")
        self.text.append("&")

    def handle_charref(self, name: str) -> None:
        self.text.append("&")

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.errors.append("HTML comment")

    def handle_decl(self, decl: str) -> None:
        self.errors.append("declaration")


def check_telegram_html(text: str, *, limit: int = MAX_MESSAGE) -> None:
    """Raise TelegramHTMLError when Telegram would refuse text (parse mode HTML)."""
    errors: list[str] = []
    if not text.strip():
        errors.append("empty message")
    units = len(text.encode("utf-16-le")) // 2
    if units > limit:
        errors.append(f"{units} UTF-16 units, over the {limit} limit")
    # Outside tags and entities there must be no raw <, > or &.
    stripped = _ENTITY.sub("", _TAG.sub("", text))
    for char in "<>&":
        if char in stripped:
            at = stripped.index(char)
            errors.append(f"unescaped {char!r} near {stripped[max(0, at - 30):at + 30]!r}")
    checker = _Checker()
    checker.feed(text)
    checker.close()
    errors.extend(checker.errors)
    if checker.stack:
        errors.append(f"unclosed tags: {checker.stack}")
    if errors:
        raise TelegramHTMLError("; ".join(errors) + f"\n--- message ---\n{text[:2000]}")
