"""Short replies for groups and channels, inline claim cards, and the group settings panel."""

from __future__ import annotations

import base64
import hashlib
import html

from knowledge.base import ClaimBase
from knowledge.model import Claim

from .chats import ChatSettings
from .i18n import t
from .i18n_surfaces import ts
from .render import (COMMENT, DEEP_LINK_SAFE, Reply, clip, esc, fit, link_line, read_in_article, retired_mark,
                     retired_premises_line, shorten, who)

START_CLAIM = "claim-"   # the private /start payload that opens a claim (see handlers/private.py)
HOUR_CHOICES = (6, 24, 72)
SETTINGS_PREFIX = "gs:"


START_REF = "cref-"     # the same for an id a start payload cannot hold (it has "." or ":"): a digest of it


def _digest(claim_id: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(claim_id.encode()).digest()[:12]).decode()


def start_payload(claim_id: str) -> str:
    """The /start payload that opens claim_id: claim-<id>, or cref-<digest> when the id has "." or ":"."""
    payload = f"{START_CLAIM}{claim_id}"
    return payload if DEEP_LINK_SAFE.match(payload) else f"{START_REF}{_digest(claim_id)}"


def claim_of_payload(base: ClaimBase, payload: str) -> tuple[str | None, Claim | None]:
    """The claim id a /start payload names, and the claim (None when no claim has it);
    (None, None) when the payload is not about a claim."""
    if payload.startswith(START_CLAIM):
        claim_id = payload[len(START_CLAIM):]
        return claim_id, base.find_id(claim_id) if claim_id.strip() else None
    if payload.startswith(START_REF):
        digest = payload[len(START_REF):]
        claim = next((c for c in base.store.all() if _digest(c.id) == digest), None)
        return (claim.id if claim else digest), claim
    return None, None


def deep_link(bot_username: str, claim_id: str | None = None) -> str:
    """https://t.me/<bot>?start=<payload that opens claim_id>, or the bare bot link."""
    base = f"https://t.me/{bot_username}"
    return f"{base}?start={start_payload(claim_id)}" if claim_id else base


def anchor(url: str, label: str) -> str:
    return f'<a href="{html.escape(url, quote=True)}">{esc(label)}</a>'


def why_for(bot_username: str) -> str:
    """The /why command a card sent into a group names: addressed to the bot, so that it reaches it in privacy
    mode (a bare /why may go to another bot, or not be delivered at all)."""
    return f"/why@{bot_username}"


def claim_headline(claim: Claim, lang: str, limit: int = 160) -> str:
    return shorten(claim.text_in(lang), limit)  # the title is one untagged string: not always the reader's language


def group_suggestion(claim: Claim, lang: str, bot_username: str, *, other_numbers: bool = False) -> Reply:
    """One short line: the likely claim (said when it states other dates or numbers) and a deep link to see it
    in private."""
    link = anchor(deep_link(bot_username, claim.id), ts(lang, "details_private"))
    return Reply(ts(lang, "suggest_numbers" if other_numbers else "suggest",
                    claim=f"<i>{esc(claim_headline(claim, lang))}</i>", link=link))


def plain(lang: str, key: str, **values: object) -> Reply:
    """A one-line reply from a plain (not HTML) surface string."""
    return Reply(esc(ts(lang, key, **values)))


def context_note(base: ClaimBase, claim: Claim, lang: str, bot_username: str, *, post: bool) -> Reply:
    """A compact note under a message or a channel post: the claim, who stated it, how directly, a link."""
    parts = [ts(lang, "note_head_post" if post else "note_head_message"),
             f"💬 {esc(shorten(claim.text_in(lang), 600))}"]
    # the card says "as cited by the article" over its sources; a note lists none, so its link line says it
    cited = claim.link == "explicit" and read_in_article(claim) and any(
        s.kind not in (COMMENT, "author") for s in claim.sources)
    parts.append(ts(lang, "note_link_cited", who=clip(who(claim, lang) or "?", 700)) if cited
                 else link_line(claim, lang))
    if claim.link == "inferred":
        deps = base.rests_on(claim)
        shown = deps[:3]
        retired = retired_premises_line(base, claim, shown, lang)
        if retired:
            parts.append(retired)
        if deps:
            parts.append(t(lang, "rests_on") + " "
                         + "; ".join(retired_mark(d, lang) + esc(claim_headline(d, lang, 90)) for d in shown)
                         + ("…" if len(deps) > 3 else ""))
    parts.append(anchor(deep_link(bot_username, claim.id), ts(lang, "note_more")))
    return Reply(fit(parts))


def inline_description(claim: Claim, lang: str) -> str:
    by = who(claim, lang)
    key = "inline_explicit" if claim.link == "explicit" else "inline_inferred" if by else "inline_inferred_unnamed"
    return shorten(ts(lang, key, who=by or "?"), 200)


def settings_panel(chat: ChatSettings, lang: str, default_hours: float, can_read: bool) -> Reply:
    """The /settings message for a group: the current values and one button row per setting."""
    hours = chat.auto_hours if chat.auto_hours is not None else default_hours
    lang_value = ts(lang, f"lang_{chat.lang}") if chat.lang else ts(lang, "settings_lang_auto")
    parts = [ts(lang, "settings_head"),
             esc(ts(lang, "settings_lang", value=lang_value)),
             esc(ts(lang, "settings_auto", value=ts(lang, "on" if chat.auto_check else "off"))),
             esc(ts(lang, "settings_auto_help", hours=f"{hours:g}"))]
    if chat.auto_check and not can_read:
        parts.append(esc(ts(lang, "settings_cannot_read")))

    def mark(label: str, chosen: bool) -> str:
        return f"✓ {label}" if chosen else label

    buttons = [
        [(mark(ts(lang, "button_lang_auto"), chat.lang is None), f"{SETTINGS_PREFIX}lang:auto"),
         (mark(ts(lang, "lang_fr"), chat.lang == "fr"), f"{SETTINGS_PREFIX}lang:fr"),
         (mark(ts(lang, "lang_en"), chat.lang == "en"), f"{SETTINGS_PREFIX}lang:en")],
        [(ts(lang, "button_auto_off"), f"{SETTINGS_PREFIX}auto:off") if chat.auto_check
         else (ts(lang, "button_auto_on"), f"{SETTINGS_PREFIX}auto:on")],
        [(mark(ts(lang, "button_hours", hours=h), hours == h), f"{SETTINGS_PREFIX}hours:{h}") for h in HOUR_CHOICES],
    ]
    return Reply("\n".join(parts), buttons)
