"""Replies as Telegram HTML: every claim and user string escaped, never over 4096 characters."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from knowledge.base import ClaimBase
from knowledge.changes import shorten
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


def claim_callback(claim_id: str, qid: str | None = None) -> str:
    """A suggestion button's data: c:<id>, or cq:<qid>:<id> so that the card it opens can take 👍/👎 on
    question qid (when that fits Telegram's 64 bytes)."""
    data = f"cq:{qid}:{claim_id}" if qid else ""
    if not data or len(data.encode()) > MAX_CALLBACK:
        data = f"c:{claim_id}"
    assert len(data.encode()) <= MAX_CALLBACK
    return data


def parse_claim_callback(data: str) -> tuple[str | None, str]:
    """(qid or None, claim id) of a suggestion button's data."""
    if data.startswith("cq:"):
        qid, _, claim_id = data[3:].partition(":")
        return qid or None, claim_id
    return None, data[2:] if data.startswith("c:") else ""


FEEDBACK_PREFIX = "fb:"


def feedback_row(qid: str) -> list[tuple[str, str]]:
    """👍 / 👎 buttons for the reply to question qid (👎 puts the question in the moderators' review queue)."""
    row = [("👍", f"{FEEDBACK_PREFIX}u:{qid}"), ("👎", f"{FEEDBACK_PREFIX}d:{qid}")]
    assert all(len(data.encode()) <= MAX_CALLBACK for _, data in row)
    return row


Part = str | tuple[str, int]
KEEP, IMPORTANT, DETAIL = 0, 1, 2


def units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji such as 🔎 counts 2)."""
    return len(text.encode("utf-16-le")) // 2


def size(parts: list[Part]) -> int:
    """The length of the parts joined with newlines, as Telegram counts it."""
    texts = [p if isinstance(p, str) else p[0] for p in parts]
    return sum(units(text) for text in texts) + max(len(texts) - 1, 0)


def fit(parts: list[Part], tail: str = "", gap: str = "…") -> str:
    """Join parts with newlines within MAX_MESSAGE, dropping parts when needed, each gap shown as gap.

    A part may be (text, rank): DETAIL parts go first, then IMPORTANT ones (a plain string), last
    first within a rank; KEEP parts go only if nothing else is left. The tail always stays."""
    texts = [p if isinstance(p, str) else p[0] for p in parts]
    if 2 * (sum(map(len, texts)) + len(tail)) + len(texts) + 1 <= MAX_MESSAGE:  # fits even at 2 units a char
        text = "\n".join(texts)
        return (f"{text}\n{tail}" if text else tail) if tail else text
    items = [(p, IMPORTANT) if isinstance(p, str) else p for p in parts]
    kept = [True] * len(items)
    budget = MAX_MESSAGE - (units(tail) + 1 if tail else 0)
    costs = [units(text) + 1 for text, _ in items]
    gap_cost = units(gap) + 1

    def kept_size() -> int:
        total, in_gap = 0, False
        for cost, keep in zip(costs, kept):
            if keep:
                total, in_gap = total + cost, False
            elif not in_gap:
                total, in_gap = total + gap_cost, True  # the gap mark and its newline
        return total - 1 if total else 0

    drop_order = sorted(range(len(items)), key=lambda i: (-items[i][1], -i))
    for index in drop_order:
        if kept_size() <= budget:
            break
        kept[index] = False
    lines: list[str] = []
    for (text, _), keep in zip(items, kept):
        if keep:
            lines.append(text)
        elif not lines or lines[-1] != gap:
            lines.append(gap)
    text = "\n".join(lines)
    if tail:
        text = f"{text}\n{tail}" if text else tail
    return text


_ESCAPED_UNITS = {"&": 5, "<": 4, ">": 4}


def clip(text: str, limit: int) -> str:
    """text escaped for HTML and shortened so that the escaped form is at most limit units."""
    escaped = esc(text)
    if 2 * len(escaped) <= limit or units(escaped) <= limit:
        return escaped
    used = cut = 0
    for char in text[:limit]:  # every char costs at least one unit
        cost = _ESCAPED_UNITS.get(char) or (2 if ord(char) > 0xFFFF else 1)
        if used + cost > limit - 1:
            break
        used += cost
        cut += 1
    return esc(text[:cut].rstrip()) + "…"


OPENING_MARKS = "«“„\"‹"
CLOSING_MARKS = "»”“\"›"
QUOTE_MARKS = {"fr": ("« ", " »"), "en": ("“", "”")}
COMMENT = "reader comment"


def quote_marks(text: str, lang: str) -> tuple[str, str]:
    """The marks to put around a quoted text: none when it already opens and closes with quote marks of
    its own (« a », « b »), else the reply language's (« … » in French, “…” in English)."""
    text = text.strip()
    if len(text) > 1 and text[0] in OPENING_MARKS and text[-1] in CLOSING_MARKS:
        return "", ""
    return QUOTE_MARKS.get(lang, QUOTE_MARKS["en"])


def quoted(text: str, lang: str, limit: int, style: str = "") -> str:
    """text escaped, clipped to limit, in quote marks unless it carries its own; style wraps it (e.g. "i")."""
    opening, closing = quote_marks(text, lang)
    inner = clip(text, limit)
    if style:
        inner = f"<{style}>{inner}</{style}>"
    return f"{opening}{inner}{closing}"


def kind_name(kind: str, lang: str) -> str:
    return SOURCE_KIND_NAMES.get(lang, SOURCE_KIND_NAMES["en"]).get(kind, kind)


def read_in_article(claim: Claim) -> bool:
    """Whether the claim records where it was read (stated_in): only then may a card speak of "the article"."""
    return bool(claim.stated_in)


def source_line(source: Source, lang: str, *, show_kind: bool = True, in_article: bool = True) -> str:
    bits = [f"<b>{clip(source.name_in(lang), 200)}</b>"]
    if show_kind and source.kind != "other":  # "other" tells the reader nothing
        author_only = source.kind == "author" and not in_article
        bits.append(esc(t(lang, "kind_author_no_article") if author_only else kind_name(source.kind, lang)))
    if source.date:
        bits.append(esc(source.date))
    line = "• " + " · ".join(bits)
    if source.quote:
        line += "\n  " + quoted(source.quote, lang, 600, "i")
    if source.url:
        line += f"\n  {clip(source.url, 300)}"
    return line


def source_label(source: Source, lang: str) -> str:
    """A source's name in lang, plain (not escaped); a reader comment says it is one."""
    name = source.name_in(lang)
    return f"{name} ({kind_name(COMMENT, lang)})" if source.kind == COMMENT else name


def who(claim: Claim, lang: str) -> str | None:
    """The named sources of a claim in lang, plain (not escaped), or None when it names none."""
    names = [shorten(source_label(s, lang), 200) for s in claim.sources]
    if len(names) > 3:
        return t(lang, "who_more", names=", ".join(names[:3]), count=len(names) - 3)
    return ", ".join(names) or None


def link_line(claim: Claim, lang: str) -> str:
    """The link in plain words: explicit, stated by whom; inferred, by whom if the text names them."""
    by = who(claim, lang)
    if claim.link == "explicit":
        return t(lang, "link_explicit", who=clip(by or "?", 700))
    return t(lang, "link_inferred", who=clip(by, 700)) if by else t(lang, "link_inferred_unnamed")


def stated_in_line(claim: Claim, lang: str) -> str | None:
    if not claim.stated_in:
        return None
    bits = []
    title, author = claim.stated_in_value("title", lang), claim.stated_in_value("author", lang)
    part, when, url = (claim.stated_in_value(key, lang) for key in ("part", "date", "url"))
    if title:
        bits.append(quoted(title, lang, 300))
    if author:
        bits.append(f"{t(lang, 'by')} {clip(author, 300)}")
    if part:
        bits.append(f"({clip(part, 300)})")
    if when:
        bits.append(clip(when, 40))
    if url:
        bits.append(clip(url, 300))
    return f"📄 <i>{t(lang, 'read_in')}</i>{t(lang, 'colon')}" + " ".join(bits) if bits else None


def claim_text(claim: Claim, lang: str) -> str:
    text = clip(claim.text_in(lang), 1500)
    if lang not in claim.text:
        other = next(iter(claim.text))
        text += " " + t(lang, "only_in", lang=t(lang, f"lang_name_{other}"))
    return text


MAX_SOURCES_SHOWN = 12


def link_name(claim: Claim, lang: str) -> str:
    """'explicit' or 'inferred' in the reader's language."""
    return t(lang, f"link_name_{claim.link}")


def retired_mark(claim: Claim, lang: str) -> str:
    """What goes before a premise the moderators retired ("" for an active one): a reader judges an
    inference by what it rests on, so a retired step never passes for a standing one."""
    return "" if claim.active else t(lang, "retired_mark") + " "


def retired_premises_line(base: ClaimBase, claim: Claim, shown: list[Claim], lang: str) -> str | None:
    """One line when part of what an inferred claim rests on was retired: marked among shown (the premises
    the reply lists), or only further down its chain."""
    if claim.link != "inferred":
        return None
    if any(not dep.active for dep in shown):
        return t(lang, "premises_retired")
    if any(not node.active for _, node in base.chain(claim)[1:]):
        return t(lang, "chain_retired")
    return None


def claim_parts(base: ClaimBase, claim: Claim, lang: str, why: str = "/why") -> tuple[list[Part], str]:
    """The parts of a claim card, ranked for fit, and its tail (the id); why: the command the tail names
    for the full chain (/why@bot in a group)."""
    parts: list[Part] = []
    if not claim.active:
        parts.append((t(lang, "retired"), KEEP))
    colon = t(lang, "colon")
    parts.append((f"💬 <b>{t(lang, 'claim')}</b>{colon}{claim_text(claim, lang)}", KEEP))
    shown = claim.sources[:MAX_SOURCES_SHOWN]
    cited = [s for s in shown if s.kind != COMMENT]
    comments = [s for s in shown if s.kind == COMMENT]  # the article does not cite its readers: say what they are
    article = read_in_article(claim)
    plain = "" if article else "_no_article"  # no stated_in: the card names no article that cites anyone
    if cited:
        many = "" if len(cited) == 1 else "_many"
        as_cited = f" ({t(lang, 'as_cited' + many)})" if article else ""
        parts.append(f"<b>{t(lang, 'sources' + plain + many)}</b>{as_cited}{colon.rstrip()}")
        parts.extend((source_line(s, lang, in_article=article), IMPORTANT if i == 0 else DETAIL)
                     for i, s in enumerate(cited))
    if comments:
        head = t(lang, "comment_sources" + plain + ("" if len(comments) == 1 else "_many"))
        parts.append(f"<b>{head}</b>{colon.rstrip()}")
        parts.extend((source_line(s, lang, show_kind=False), IMPORTANT if i == 0 and not cited else DETAIL)
                     for i, s in enumerate(comments))
    if len(claim.sources) > MAX_SOURCES_SHOWN:
        parts.append((t(lang, "more_sources", count=len(claim.sources) - MAX_SOURCES_SHOWN), IMPORTANT))
    parts.append((link_line(claim, lang), KEEP))
    if claim.link == "inferred":
        deps = base.rests_on(claim)
        shown_deps = deps[:10]
        retired = retired_premises_line(base, claim, shown_deps, lang)
        if retired:
            parts.append((retired, KEEP))
        if claim.reasoning:
            parts.append(f"<i>{t(lang, 'reasoning')}</i>{colon}{clip(claim.reasoning_in(lang), 800)}")
        if deps:  # what an inference rests on is part of its link: the first few, and any retired, always stay
            parts.append((t(lang, "rests_on"), KEEP))
            for i, dep in enumerate(shown_deps):
                parts.append((f"  ↳ {retired_mark(dep, lang)}{clip(dep.text_in(lang), 220)} "
                              f"[{link_name(dep, lang)}] <code>{esc(dep.id)}</code>",
                              KEEP if i < 3 or not dep.active else IMPORTANT))
    where = stated_in_line(claim, lang)
    if where:
        parts.append((where, DETAIL))
    tail = f"🆔 <code>{esc(claim.id)}</code>"
    if claim.link == "inferred":
        tail += " · " + t(lang, "more_why", command=esc(why), id=esc(claim.id))
    return parts, tail


def render_claim(base: ClaimBase, claim: Claim, lang: str, why: str = "/why") -> Reply:
    """A claim card: the claim, its stated sources, the link in plain words, where it was read; why: the
    command its tail names for an inferred claim's full chain."""
    parts, tail = claim_parts(base, claim, lang, why)
    return Reply(fit(parts, tail))


def render_result(base: ClaimBase, result: SearchResult, lang: str, qid: str | None = None) -> Reply:
    """The reply to a question (qid: its id in the question log): a claim card, a few suggestions, or a
    clear no-match."""
    if result.outcome == ANSWER and result.best is not None:
        return render_claim(base, result.best.claim, lang)
    if result.outcome == SUGGEST and result.matches:
        # a confident score that only lacks a lead over the next claim: say so, not "not sure"
        close = result.matches[0].score >= base.matcher.thresholds.answer and len(result.matches) > 1
        head = ("suggest_numbers" if result.matches[0].other_numbers_from is not None
                else "suggest_close" if close else "suggest_head")
        parts: list[Part] = [t(lang, head)]
        buttons = []
        floor = base.matcher.thresholds.suggest  # weaker runners-up are noise, not suggestions
        shown = [m for i, m in enumerate(result.matches[:3]) if i == 0 or m.score >= floor]
        for number, match in enumerate(shown, 1):  # no score: next to "I cannot tell", 93/100 reads as a contradiction
            parts.append(f"{number}. {clip(match.claim.text_in(lang), 300)} <i>({link_name(match.claim, lang)})</i>")
            buttons.append([(f"{number}. {shorten(match.claim.text_in(lang), 60)}",
                             claim_callback(match.id, qid))])
        parts.append(t(lang, "suggest_tap"))
        return Reply(fit(parts), buttons)
    return Reply(t(lang, "none"))


# How much of each step /why shows, fullest first: (a step's text, an inferred step's reasoning; 0: a pointer
# to its own /why). The start of a reasoning goes before the end of a step's text. The claim asked about
# keeps its text and reasoning.
WHY_LIMITS = ((300, 900), (300, 240), (300, 120), (250, 120), (200, 120), (160, 120), (120, 120),
              (160, 0), (120, 0), (80, 0))


def render_why(base: ClaimBase, claim: Claim, lang: str) -> Reply:
    """The whole chain of an inferred claim, down to the explicit claims and their sources; a long chain
    shortens its steps' texts and reasonings before it leaves anything out."""
    if claim.link == "explicit":
        parts, tail = claim_parts(base, claim, lang)
        return Reply(fit([(t(lang, "why_explicit"), KEEP), ("", KEEP), *parts], tail))
    chain = base.chain(claim)
    retired = retired_premises_line(base, claim, [node for _, node in chain[1:]], lang)
    for text_limit, reasoning_limit in WHY_LIMITS:
        parts = _why_parts(chain, lang, text_limit, reasoning_limit, retired)
        if size(parts) <= MAX_MESSAGE:
            return Reply(fit(parts))
    return Reply(fit(parts, t(lang, "why_cut"), gap=t(lang, "why_gap")))


def _why_parts(chain: list[tuple[int, Claim]], lang: str, text_limit: int, reasoning_limit: int,
               retired: str | None = None) -> list[Part]:
    parts: list[Part] = [(t(lang, "why_head"), KEEP)]
    if retired:
        parts.append((retired, KEEP))
    for depth, node in chain:
        indent = "    " * min(depth, 8)
        mark = "✅" if node.link == "explicit" else "🔎"
        shown = clip(node.text_in(lang), 300 if depth == 0 else text_limit)
        rank = KEEP if depth == 0 or not node.active else IMPORTANT  # a retired step is never left out unseen
        parts.append((f"{indent}{mark} {retired_mark(node, lang)}{shown} <code>{esc(node.id)}</code>", rank))
        if node.link == "explicit":
            for source in node.sources[:MAX_SOURCES_SHOWN]:
                date = f", {esc(source.date)}" if source.date else ""
                parts.append((f"{indent}    — {clip(source_label(source, lang), 150)}{date}", IMPORTANT))
            continue
        limit = 900 if depth == 0 else reasoning_limit
        by = who(node, lang)
        if not limit:  # its own /why shows it whole; a line this short stays as long as its step
            parts.append((f"{indent}    — {t(lang, 'why_see', id=esc(node.id))}", IMPORTANT))
            continue
        because = clip(node.reasoning_in(lang), limit) if node.reasoning else (clip(by, min(limit, 700)) if by else None)
        if because:
            parts.append((f"{indent}    — {t(lang, 'reasoning').lower()}{t(lang, 'colon')}{because}", DETAIL))
    return parts


_TAG = re.compile(r"<[^>]+>")


def html_to_text(text: str) -> str:
    """The plain text a Telegram client shows for an HTML message (for the console)."""
    return html.unescape(_TAG.sub("", text))
