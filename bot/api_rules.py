"""What the Bot API refuses: invalid HTML, texts over the limits, bad buttons, strings that are not UTF-8.

The offline request (bot/offline.py) answers such calls with a 400, as Telegram does, so every test,
replay and console run checks what the bot sends. Rules from https://core.telegram.org/bots/api
(formatting options, sendMessage, InlineKeyboardButton, answerInlineQuery, answerCallbackQuery).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

MAX_TEXT = 4096            # message text, after entities parsing
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64     # bytes
MAX_CALLBACK_ANSWER = 200
MAX_INLINE_RESULTS = 50
MAX_RESULT_ID = 64         # bytes

# tag -> {attribute: allowed value pattern}; Telegram's whole list of HTML tags
TAGS: dict[str, dict[str, re.Pattern[str]]] = {
    "b": {}, "strong": {}, "i": {}, "em": {}, "u": {}, "ins": {}, "s": {}, "strike": {}, "del": {},
    "tg-spoiler": {}, "pre": {}, "blockquote": {"expandable": re.compile(r"^$")},
    "span": {"class": re.compile(r"^tg-spoiler$")},
    "a": {"href": re.compile(r"^(https?|tg)://\S+$")},
    "code": {"class": re.compile(r"^language-[\w+#.-]+$")},
    "tg-emoji": {"emoji-id": re.compile(r"^\d+$")},
}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*\"[^\"<>]*\")?)*)\s*>")
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*\"([^\"]*)\")?")
_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});")
_SPECIAL = re.compile(r"[<>&]")
_PLAIN_ENTITIES = {"&lt;": "<", "&gt;": ">", "&amp;": "&", "&quot;": '"'}
_to_json = json.JSONEncoder(ensure_ascii=False, default=str).encode  # json.dumps builds one per call


class ApiRuleError(ValueError):
    """A call Telegram would answer with 400 Bad Request."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def html_problem(text: str, limit: int = MAX_TEXT) -> str | None:
    """Why Telegram would refuse text in HTML parse mode, or None; also checks the length limit."""
    stack: list[str] = []
    visible: list[str] = []
    pos = 0
    while (special := _SPECIAL.search(text, pos)) is not None:  # from pos: a tag's own '>' is not looked at again
        start = special.start()
        visible.append(text[pos:start])
        char = special.group()
        if char == ">":
            return f"unescaped '>' at {start}"
        if char == "&":
            entity = _ENTITY.match(text, start)
            if entity is None:
                return f"'&' at {start} starts no supported entity"
            visible.append(_PLAIN_ENTITIES.get(entity.group()) or html.unescape(entity.group()))
            pos = entity.end()
            continue
        tag = _TAG.match(text, start)
        if tag is None:
            return f"'<' at {start} starts no tag"
        closing, name, attrs = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
        if name not in TAGS:
            return f"unsupported tag <{name}> at {start}"
        if closing:
            if attrs.strip():
                return f"attributes in the end tag </{name}>"
            if not stack or stack[-1] != name:
                return f"unexpected end tag </{name}> at {start}"
            stack.pop()
        else:
            for attr in _ATTR.finditer(attrs):
                rule = TAGS[name].get(attr.group(1).lower())
                value = html.unescape(attr.group(2) or "")
                if rule is None:
                    return f"attribute {attr.group(1)!r} not allowed in <{name}>"
                if not rule.match(value):
                    return f"bad value for {attr.group(1)!r} in <{name}>: {value[:40]!r}"
            if name == "a" and 'href' not in attrs:
                return "<a> without href"
            if stack and stack[-1] in ("code", "pre") and not (stack[-1] == "pre" and name == "code"):
                return f"<{name}> inside <{stack[-1]}>"
            stack.append(name)
        pos = tag.end()
    if stack:
        return f"unclosed tag <{stack[-1]}>"
    visible.append(text[pos:])
    shown = "".join(visible)
    if not shown.strip():
        return "text is empty"
    if utf16_len(shown) > limit:
        return f"text is too long ({utf16_len(shown)} UTF-16 units after entities parsing)"
    return None


def _text_problem(text: Any, parse_mode: Any, limit: int = MAX_TEXT) -> str | None:
    if not isinstance(text, str):
        return "text is missing"
    if parse_mode == "HTML":
        return html_problem(text, limit)
    if not text.strip():
        return "text is empty"
    if utf16_len(text) > limit:
        return "text is too long"
    return None


def _markup_problem(markup: Any) -> str | None:
    if not markup:
        return None
    if isinstance(markup, str):
        markup = json.loads(markup)
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if not str(button.get("text", "")).strip():
                return "a button has no text"
            data = button.get("callback_data")
            if data is not None and not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
                return f"callback data {data!r} is not 1-{MAX_CALLBACK_DATA} bytes"
            url = button.get("url")
            if url is not None and not re.match(r"^(https?|tg)://\S+$", url):
                return f"bad button url {url[:40]!r}"
    return None


def _inline_problem(params: dict[str, Any]) -> str | None:
    results = params.get("results")
    if isinstance(results, str):
        results = json.loads(results)
    if not isinstance(results, list) or len(results) > MAX_INLINE_RESULTS:
        return f"inline results must be a list of at most {MAX_INLINE_RESULTS}"
    ids = [str(r.get("id", "")) for r in results]
    if len(set(ids)) != len(ids):
        return "duplicate inline result ids"
    for result in results:
        if not 1 <= len(str(result.get("id", "")).encode("utf-8")) <= MAX_RESULT_ID:
            return "inline result id is not 1-64 bytes"
        if not str(result.get("title", "")).strip():
            return "inline result without a title"
        content = result.get("input_message_content") or {}
        problem = (_text_problem(content.get("message_text"), content.get("parse_mode"))
                   or _markup_problem(result.get("reply_markup")))
        if problem:
            return f"inline result {result.get('id')!r}: {problem}"
    return None


def params_json(params: dict[str, Any]) -> str:
    """params as JSON text, not yet encoded (a string that cannot be: see call_problem)."""
    return _to_json(params)


def call_problem(method: str, params: dict[str, Any], as_json: str | None = None) -> str | None:
    """Why the Bot API would refuse this call, or None; as_json: params_json(params), when already made."""
    try:
        (params_json(params) if as_json is None else as_json).encode("utf-8")
    except UnicodeEncodeError:
        return "a parameter holds an unpaired surrogate (not UTF-8)"
    if method in ("sendMessage", "editMessageText"):
        return (_text_problem(params.get("text"), params.get("parse_mode"))
                or _markup_problem(params.get("reply_markup")))
    if method == "answerInlineQuery":
        return _inline_problem(params)
    if method == "answerCallbackQuery":
        text = params.get("text")
        if text is not None and utf16_len(text) > MAX_CALLBACK_ANSWER:
            return "callback answer text is too long"
    if method == "editMessageReplyMarkup":
        return _markup_problem(params.get("reply_markup"))
    if "caption" in params:  # sendDocument, sendPhoto...
        return (_text_problem(params["caption"], params.get("parse_mode"), MAX_CAPTION)
                or _markup_problem(params.get("reply_markup")))
    return None


def check_call(method: str, params: dict[str, Any]) -> None:
    problem = call_problem(method, params)
    if problem:
        raise ApiRuleError(f"{method}: {problem}")
