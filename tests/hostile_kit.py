"""Hostile text and the updates that carry it to every surface; what a valid reply must look like."""

from __future__ import annotations

import html
import json
import random
import re
from typing import Any

from hypothesis import strategies as st

from bot.api_rules import call_problem, html_problem, utf16_len
from telegram_kit import ALICE, CHANNEL, CLAIMBOT_USER, DATE, GROUP

PRIVATE = {"id": ALICE["id"], "type": "private", "first_name": "Alice"}
LONG = 10_000

PIECES = [
    "", " ", "   ", "\t", "\n", "\r\n", "\x00", "\x07", "\x1b[31m", "\x7f", "\x85",
    "\u200b", "\u200d", "\u200e", "\u200f", "\u202e", "\u2066", "\u2069", "\ufeff", "\u2028",
    "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "🇫🇷", "🧑🏿‍🚀", "e\u0301", "ß", "İ", "ﬁ", "Ⅻ", "٣", "עברית", "العربية", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "<b>", "</b>", "<i>x</i>", "<u>", "<s>", "<pre>", "<tg-spoiler>", "<blockquote>", '<span class="tg-spoiler">',
    "&", "&amp;", "&lt;", "&#0;", "&#xD800;", "&bogus;", ">", "<", "<<>>", "<!-- -->", "<script>alert(1)</script>",
    '</b><a href="javascript:alert(1)">click</a>', "<a href='tg://resolve?domain=x'>", '"quoted"', "'single'",
    "*bold*", "_it_", "`code`", "```pre```", "[link](javascript:alert(1))", "~~s~~", "||spoiler||", "\\", "#tag",
    "@claimbot", "@otherbot", "/claim", "/why", "/start", "claim-", "c:", "gs:lang:fr",
    "\ud800", "\udfff", "\udbff", "\ud83d\ude00",   # unpaired surrogates, and a pair not joined
    "Mali", "Ukraine", "JNIM", "Wagner", "Tin Zaouatine", "Yusov", "Le Mali a-t-il rompu avec l'Ukraine ?",
    "Did Ukraine help jihadists in Mali?",
]
MARKER_TAGS = re.compile(r"<(u|s|ins|del|strike|pre|blockquote|tg-spoiler|span|em|strong|tg-emoji)[\s>]")
OUR_LINK = re.compile(r'<a href="https://t\.me/claimbot(\?start=[A-Za-z0-9_-]+)?">')

_SURROGATE = re.compile(r"[\ud800-\udfff]")
any_char = st.characters(blacklist_categories=())  # every code point, unpaired surrogates included


def hostile_text() -> st.SearchStrategy[str]:
    """Mixtures of the pieces and arbitrary characters, and long repetitions up to 10,000 characters."""
    mixed = st.lists(st.one_of(st.sampled_from(PIECES), st.text(any_char, max_size=12)), max_size=10).map("".join)
    repeated = st.builds(lambda piece, n: (piece * n)[:LONG], st.sampled_from([p for p in PIECES if p]),
                         st.integers(1, LONG))
    return st.one_of(mixed, mixed, repeated, st.just("x" * LONG), st.just(""), st.just("   "))


def random_hostile(rng: random.Random) -> str:
    """The same kind of text from a seeded random generator (for fixture files)."""
    if rng.random() < 0.05:
        piece = rng.choice([p for p in PIECES if p])
        return (piece * rng.randint(1, LONG))[:LONG]
    parts = []
    for _ in range(rng.randint(0, 8)):
        if rng.random() < 0.8:
            parts.append(rng.choice(PIECES))
        else:
            parts.append("".join(chr(rng.choice([rng.randint(0, 0x2FF), rng.randint(0xD800, 0xDFFF),
                                                 rng.randint(0x1F300, 0x1FAFF), rng.randint(0, 0x10FFFF)]))
                                 for _ in range(rng.randint(1, 6))))
    return "".join(parts)


def units(text: str) -> int:
    return utf16_len(text)


def msg(text: str | None, *, chat: dict = GROUP, sender: dict | None = ALICE, message_id: int = 1,
        command: bool = False, **extra: Any) -> dict[str, Any]:
    """A Message; with command, its first word gets a bot_command entity (UTF-16 length)."""
    out: dict[str, Any] = {"message_id": message_id, "date": DATE, "chat": chat}
    if sender is not None:
        out["from"] = sender
    if text is not None:
        out["text"] = text
    if command and text:
        out["entities"] = [{"type": "bot_command", "offset": 0, "length": units(text.split(" ")[0])}]
    out.update(extra)
    return out


def bot_card(claim_id: str = "mali-cuts-ties-with-ukraine", message_id: int = 500) -> dict[str, Any]:
    """One of the bot's own messages in the group, its claim id in a code entity."""
    text = f"💬 Claim …\n🆔 {claim_id}"
    return msg(text, sender=CLAIMBOT_USER, message_id=message_id,
               entities=[{"type": "code", "offset": units(text) - len(claim_id), "length": len(claim_id)}])


def surfaces_for(text: str) -> list[tuple[str, dict[str, Any]]]:
    """text as it can reach the bot: private message and commands, group commands, replies, mentions,
    inline queries, channel posts, button taps (each an Update without update_id)."""
    bot_msg = msg("…", chat=PRIVATE, sender=CLAIMBOT_USER, message_id=900)
    mention = f"@claimbot {text}"
    return [
        ("private text", {"message": msg(text, chat=PRIVATE)}),
        ("private caption", {"message": msg(None, chat=PRIVATE, caption=text,
                                            photo=[{"file_id": "p", "file_unique_id": "u", "width": 9,
                                                    "height": 9}])}),
        ("private /ask", {"message": msg(f"/ask {text}", chat=PRIVATE, command=True)}),
        ("private /claim", {"message": msg(f"/claim {text}", chat=PRIVATE, command=True)}),
        ("private /why", {"message": msg(f"/why {text}", chat=PRIVATE, command=True)}),
        ("private /lang", {"message": msg(f"/lang {text}", chat=PRIVATE, command=True)}),
        ("private /start", {"message": msg(f"/start claim-{text}", chat=PRIVATE, command=True)}),
        ("group /ask@bot", {"message": msg(f"/ask@claimbot {text}", command=True)}),
        ("group /check reply", {"message": msg("/check@claimbot", command=True, message_id=2,
                                               reply_to_message=msg(text, message_id=3))}),
        ("group /check text", {"message": msg(f"/check@claimbot {text}", command=True, message_id=4)}),
        ("group /check quote", {"message": msg("/check@claimbot", command=True, message_id=5,
                                               reply_to_message=msg("x", message_id=6),
                                               quote={"text": text or "x", "position": 0})}),
        ("group reply to bot", {"message": msg(text, message_id=7, reply_to_message=bot_card())}),
        ("group mention", {"message": msg(mention, message_id=8,
                                          entities=[{"type": "mention", "offset": 0, "length": 10}])}),
        ("inline query", {"inline_query": {"id": "77", "from": ALICE, "query": text, "offset": ""}}),
        ("chosen inline", {"chosen_inline_result": {"result_id": (text or "x")[:64], "from": ALICE,
                                                    "query": text}}),
        ("channel post", {"channel_post": msg(text, chat=CHANNEL, sender=None, message_id=11,
                                              sender_chat=CHANNEL)}),
        ("button c:", {"callback_query": {"id": "5", "from": ALICE, "chat_instance": "1",
                                          "data": f"c:{text}", "message": bot_msg}}),
        ("button gs:", {"callback_query": {"id": "6", "from": ALICE, "chat_instance": "1",
                                           "data": f"gs:{text}", "message": bot_card()}}),
    ]


def reply_problems(calls: list[Any]) -> list[str]:
    """Everything wrong with what the bot sent: invalid HTML, over 4096 characters, user markup let through."""
    problems = []
    for call in calls:
        problem = call_problem(call.method, call.params)
        if problem:
            problems.append(f"{call.method}: {problem}")
        texts = []
        if call.method in ("sendMessage", "editMessageText"):
            texts.append(call.params.get("text", ""))
        if call.method == "answerInlineQuery":
            texts += [r.get("input_message_content", {}).get("message_text", "") for r in call.params["results"]]
        for text in texts:
            if len(text) > 4096:
                problems.append(f"{call.method}: {len(text)} characters")
            if html_problem(text) is None:
                if MARKER_TAGS.search(text):
                    problems.append(f"{call.method}: a tag the bot never writes: {MARKER_TAGS.search(text).group()}")
                for anchor in re.finditer(r"<a [^>]*>", text):
                    if not OUR_LINK.fullmatch(anchor.group()):
                        problems.append(f"{call.method}: a link the bot did not make: {anchor.group()[:80]}")
    return problems


def visible(text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def replay_lines(count: int = 300, seed: int = 6) -> list[str]:
    """count raw Update JSON lines, each a hostile text on a random surface (the tests/data/hostile.jsonl fixture)."""
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        text = random_hostile(rng)
        name, payload = rng.choice(surfaces_for(text))
        line = json.dumps({"update_id": 7000 + number, **payload}, ensure_ascii=False)
        lines.append(_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line))  # JSON escapes: UTF-8 file
    return lines


if __name__ == "__main__":  # python tests/hostile_kit.py > tests/data/hostile.jsonl
    print("\n".join(replay_lines()))
