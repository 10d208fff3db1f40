"""Replies as Telegram HTML: every claim and user string escaped, never over 4096 characters."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from knowledge.base import ClaimBase
from knowledge.matcher import ANSWER, SUGGEST, SearchResult
from knowledge.model import Claim, Source

from .i18n import SOURCE_KIND_NAMES, t

MAX_MESSAGE = 4096
MAX_CALLBACK = 64
DEEP_LINK_SAFE = re.compile(r"^[A-Za-z0-9_-]{1,58}$")


@dataclass
class Reply:
    """One message to send: HTML text and, optionally, rows of (label, callback data) buttons."""

    text: str
    buttons: list[list[tuple[str, str]]] = field(default_factory=list)


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def claim_callback(claim_id: str) -> str:
    data = f"c:{claim_id}"
    assert len(data.encode()) <= MAX_CALLBACK
    return data


FEEDBACK_PREFIX = "fb:"


def feedback_row(qid: str) -> list[tuple[str, str]]:
    """👍 / 👎 buttons for the reply to question qid (👎 puts the question in the moderators' review queue)."""
    row = [("👍", f"{FEEDBACK_PREFIX}u:{qid}"), ("👎", f"{FEEDBACK_PREFIX}d:{qid}")]
    assert all(len(data.encode()) <= MAX_CALLBACK for _, data in row)
    return row


def fit(parts: list[str], tail: str = "") -> str:
    """Join parts with newlines, dropping whole parts from the end so the message fits."""
    budget = MAX_MESSAGE - len(tail) - 2
    out: list[str] = []
    used = 0
    for part in parts:
        cost = len(part) + 1
        if used + cost > budget:
            out.append("…")
            break
        out.append(part)
        used += cost
    text = "\n".join(out)
    if tail:
        text = f"{text}\n{tail}"
    return text


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def source_line(source: Source, lang: str) -> str:
    kind = SOURCE_KIND_NAMES.get(lang, SOURCE_KIND_NAMES["en"]).get(source.kind, source.kind)
    bits = [f"<b>{esc(shorten(source.name, 200))}</b>", esc(kind)]
    if source.date:
        bits.append(esc(source.date))
    line = "• " + " · ".join(bits)
    if source.quote:
        line += f"\n  « <i>{esc(shorten(source.quote, 600))}</i> »"
    if source.url:
        line += f"\n  {esc(shorten(source.url, 300))}"
    return line


def who(claim: Claim) -> str:
    names = [s.name for s in claim.sources] or ["?"]
    return ", ".join(names[:3]) + ("…" if len(names) > 3 else "")


def stated_in_line(claim: Claim, lang: str) -> str | None:
    where = claim.stated_in
    if not where:
        return None
    bits = []
    if where.get("title"):
        bits.append(f"« {esc(shorten(where['title'], 300))} »")
    if where.get("author"):
        bits.append(f"{t(lang, 'by')} {esc(where['author'])}")
    if where.get("part"):
        bits.append(f"({esc(where['part'])})")
    if where.get("date"):
        bits.append(esc(where["date"]))
    if where.get("url"):
        bits.append(esc(where["url"]))
    return f"📄 <i>{t(lang, 'read_in')}</i>: " + " ".join(bits) if bits else None


def claim_text(claim: Claim, lang: str) -> str:
    text = esc(shorten(claim.text_in(lang), 1500))
    if lang not in claim.text:
        other = next(iter(claim.text))
        text += " " + t(lang, "only_in", lang=t(lang, f"lang_name_{other}"))
    return text


def render_claim(base: ClaimBase, claim: Claim, lang: str) -> Reply:
    """A claim card: the claim, its stated sources, the link in plain words, where it was read."""
    parts = []
    if not claim.active:
        parts.append(t(lang, "retired"))
    parts.append(f"💬 <b>{t(lang, 'claim')}</b>: {claim_text(claim, lang)}")
    if claim.sources:
        parts.append(f"<b>{t(lang, 'sources')}</b> ({t(lang, 'as_cited')}):")
        parts.extend(source_line(s, lang) for s in claim.sources[:8])
    if claim.link == "explicit":
        parts.append(t(lang, "link_explicit", who=esc(who(claim))))
    else:
        parts.append(t(lang, "link_inferred", who=esc(who(claim))))
        if claim.reasoning:
            parts.append(f"<i>{t(lang, 'reasoning')}</i>: {esc(shorten(claim.reasoning_in(lang), 800))}")
        deps = base.rests_on(claim)
        if deps:
            parts.append(t(lang, "rests_on"))
            for dep in deps[:10]:
                parts.append(f"  ↳ {esc(shorten(dep.text_in(lang), 220))} "
                             f"[{esc(dep.link)}] <code>{esc(dep.id)}</code>")
    where = stated_in_line(claim, lang)
    if where:
        parts.append(where)
    tail = f"🆔 <code>{esc(claim.id)}</code>"
    if claim.link == "inferred":
        tail += " · " + t(lang, "more_why", id=esc(claim.id))
    return Reply(fit(parts, tail))


def render_result(base: ClaimBase, result: SearchResult, lang: str) -> Reply:
    """The reply to a question: a claim card, a few suggestions, or a clear no-match."""
    if result.outcome == ANSWER and result.best is not None:
        return render_claim(base, result.best.claim, lang)
    if result.outcome == SUGGEST and result.matches:
        parts = [t(lang, "suggest_head")]
        buttons = []
        for number, match in enumerate(result.matches[:3], 1):
            parts.append(f"{number}. {esc(shorten(match.claim.text_in(lang), 300))} "
                         f"<i>({t(lang, 'score')} {match.score:.0f}/100, {esc(match.claim.link)})</i>")
            buttons.append([(f"{number}. {shorten(match.claim.title or match.claim.text_in(lang), 60)}",
                             claim_callback(match.id))])
        parts.append(t(lang, "suggest_tap"))
        return Reply(fit(parts), buttons)
    return Reply(t(lang, "none"))


def render_why(base: ClaimBase, claim: Claim, lang: str) -> Reply:
    """The whole chain of an inferred claim, down to the explicit claims and their sources."""
    if claim.link == "explicit":
        card = render_claim(base, claim, lang)
        return Reply(fit([t(lang, "why_explicit"), "", card.text]))
    parts = [t(lang, "why_head")]
    for depth, node in base.chain(claim):
        indent = "    " * depth
        mark = "✅" if node.link == "explicit" else "🔎"
        parts.append(f"{indent}{mark} {esc(shorten(node.text_in(lang), 300))} <code>{esc(node.id)}</code>")
        if node.link == "explicit":
            for source in node.sources[:3]:
                date = f", {esc(source.date)}" if source.date else ""
                parts.append(f"{indent}    — {esc(shorten(source.name, 150))}{date}")
        else:
            parts.append(f"{indent}    — {t(lang, 'reasoning').lower()}: "
                         f"{esc(shorten(node.reasoning_in(lang) or who(node), 300))}")
    return Reply(fit(parts))


_TAG = re.compile(r"<[^>]+>")


def html_to_text(text: str) -> str:
    """The plain text a Telegram client shows for an HTML message (for the console)."""
    return html.unescape(_TAG.sub("", text))
