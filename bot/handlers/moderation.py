"""Moderators' commands and guided conversations: thin handlers over knowledge.audit, importing and review."""

from __future__ import annotations

import logging
import warnings
from datetime import datetime, timezone
from typing import Any, Callable

from telegram import BotCommand, BotCommandScopeChat, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (Application, BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes, ConversationHandler,
                          MessageHandler, TypeHandler, filters)
from telegram.warnings import PTBUserWarning

from knowledge.audit import AuditEntry, Curator
from knowledge.base import ClaimBase
from knowledge.edits import (ChangeRefused, check_field, check_id, check_part, editable_fields, field_value,
                             propose_id, split_list)
from knowledge.importing import KEEP, RETIRE, plan_import
from knowledge.io import FileFormatError, dump_claims, file_kind, parse_items
from knowledge.model import LINKS, SOURCE_KINDS
from knowledge.review import Notice, compute_stats, group_like, group_of, notices, review_queue
from knowledge.text import guess_lang

from ..moderators import moderators_only
from ..render import Reply, esc, render_claim, shorten
from ..render_mod import (HELP, compact, render_candidates, render_done, render_history, render_notice, render_plan,
                          render_refused, render_stats, render_unmatched, user_text)
from ..services import KEY, services
from ..settings import Settings
from .common import NO_PREVIEW, reply_lang, send

log = logging.getLogger(__name__)
END = ConversationHandler.END
(ADD_FR, ADD_EN, ADD_LINK, SRC_NAME, SRC_KIND, SRC_DATE, SRC_QUOTE, SRC_URL, SRC_MORE, STATED_IN, RESTS_ON,
 REASONING, ALIASES, ADD_ID, ADD_CONFIRM) = range(15)
ED_FIELD, ED_VALUE, ED_CONFIRM = range(20, 23)
IMP_FILE, IMP_CONFIRM = range(30, 32)
MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API serves files up to 20 MB
NOTICE_TASKS = "correction_notice_tasks"
COMMAND_MESSAGE = filters.UpdateType.MESSAGE  # an edited command is not run again
IMPORT_CAPTION = filters.Document.ALL & filters.CaptionRegex(r"^/import(@\w+)?(\s|$)")
SKIP = "or /skip"


# --- plumbing -------------------------------------------------------------------------------------

def _curator(context: ContextTypes.DEFAULT_TYPE) -> Curator:
    return Curator(services(context).base)


def _base(context: ContextTypes.DEFAULT_TYPE) -> ClaimBase:
    return services(context).base


def _uid(update: Update) -> int:
    assert update.effective_user is not None
    return update.effective_user.id


def _text(update: Update) -> str:
    message = update.effective_message
    return (message.text or "").strip() if message else ""


def _rest(update: Update, words: int) -> str:
    """The message text after the command and `words` more words, spacing kept."""
    parts = _text(update).split(None, words + 1)
    return parts[words + 1].strip() if len(parts) > words + 1 else ""


def _days(args: list[str] | None, default: int) -> int:
    try:
        return max(1, min(int(args[0]), 3650)) if args else default
    except ValueError:
        return default


def _slot(update: Update, context: ContextTypes.DEFAULT_TYPE, name: str) -> dict[str, Any]:
    """A draft for this user in this chat (a moderator may have one /add in private and one in the group)."""
    chat = update.effective_chat
    return context.user_data.setdefault(f"{name}:{chat.id if chat else 0}", {})


async def _busy_elsewhere(update: Update, context: ContextTypes.DEFAULT_TYPE, mine: str) -> bool:
    """True (and say so) when another step-by-step change is open in this chat."""
    chat = update.effective_chat
    other = next((n for n in ("add", "edit", "import") if n != mine
                  and context.user_data.get(f"{n}:{chat.id if chat else 0}")), None)
    if other is not None:
        await _say(update, context, f"You are in the middle of /{other}: finish it, or /cancel first.")
    return other is not None


def _drop(update: Update, context: ContextTypes.DEFAULT_TYPE, *names: str) -> None:
    chat = update.effective_chat
    for name in names:
        context.user_data.pop(f"{name}:{chat.id if chat else 0}", None)


async def _say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str,
               buttons: list[list[tuple[str, str]]] | None = None) -> None:
    await send(update, context, Reply(text, buttons or []))


async def _tapped(update: Update, clear: bool = True) -> str:
    """Answer a button tap, take its keyboard away (no double taps) unless told not to, and give its data."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    if clear:
        try:
            await query.edit_message_reply_markup(None)
        except TelegramError:
            pass
    return query.data or ""


async def _apply(update: Update, context: ContextTypes.DEFAULT_TYPE,
                 change: Callable[[Curator, int], AuditEntry]) -> AuditEntry | None:
    """Make a change as this moderator; reply with what changed, or why nothing did."""
    try:
        entry = change(_curator(context), _uid(update))
    except ChangeRefused as exc:
        await send(update, context, render_refused(str(exc)))
        return None
    found = _who_to_tell(update, context, entry)
    extra = [f"📣 Telling {len(found)} people who were shown it in the last "
             f"{services(context).settings.correction_notice_days} days."] if found else []
    if entry.action == "retire":
        extra += [f"Note: <code>{esc(c.id)}</code> still rests on it." for c in _curator(context).dependents(
            entry.changes[0].claim_id)]
    await send(update, context, render_done(entry, extra))
    _send_notices_later(context, found)
    return entry


def _who_to_tell(update: Update, context: ContextTypes.DEFAULT_TYPE, entry: AuditEntry) -> list[Notice]:
    days = services(context).settings.correction_notice_days
    if days <= 0:
        return []
    return notices(entry, services(context).questions, days=days, exclude=[_uid(update)])


def _send_notices_later(context: ContextTypes.DEFAULT_TYPE, found: list[Notice]) -> None:
    if not found:
        return
    task = context.application.create_task(_send_notices(context, found), name="correction-notices")
    tasks: set = context.bot_data.setdefault(NOTICE_TASKS, set())
    tasks.add(task)
    task.add_done_callback(tasks.discard)


async def _send_notices(context: ContextTypes.DEFAULT_TYPE, found: list[Notice]) -> None:
    """Tell each person about the claim they were shown; a person who blocked the bot is skipped."""
    base = _base(context)
    for notice in found:
        claim = base.get(notice.claim_id)
        if claim is None:
            continue
        try:
            for reply in render_notice(base, claim, notice):
                await context.bot.send_message(notice.user_id, reply.text, parse_mode=ParseMode.HTML,
                                               link_preview_options=NO_PREVIEW)
        except TelegramError as exc:
            log.info("correction notice to user %s not sent (%s)", notice.user_id, exc.__class__.__name__)


# --- one-step commands ----------------------------------------------------------------------------

@moderators_only
async def mod_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/modhelp: the moderator commands."""
    await _say(update, context, HELP)


@moderators_only
async def alias_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/alias <id> <phrase>."""
    args, phrase = context.args or [], _rest(update, 1)
    if not args or not phrase:
        await _say(update, context, "Usage: /alias &lt;id&gt; &lt;phrase people type&gt;")
        return
    entry = await _apply(update, context, lambda c, uid: c.add_alias(args[0], phrase, uid))
    questions = services(context).questions
    group = group_like(questions, phrase) if entry is not None else None
    if group is not None:  # the phrase came from the review queue: it is dealt with
        questions.resolve(group.qids, _uid(update), f"alias:{entry.changes[0].claim_id}")


@moderators_only
async def link_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/link <id> <rests-on-id>."""
    args = context.args or []
    if len(args) != 2:
        await _say(update, context, "Usage: /link &lt;id&gt; &lt;id of the claim it rests on&gt;")
        return
    await _apply(update, context, lambda c, uid: c.link(args[0], args[1], uid))


@moderators_only
async def retire_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/retire <id> <reason>."""
    args, reason = context.args or [], _rest(update, 1)
    if not args or not reason:
        await _say(update, context, "Usage: /retire &lt;id&gt; &lt;reason&gt; (the claim stops answering; "
                                    "its history stays)")
        return
    await _apply(update, context, lambda c, uid: c.retire(args[0], reason, uid))


@moderators_only
async def restore_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/restore <id>."""
    args = context.args or []
    if len(args) != 1:
        await _say(update, context, "Usage: /restore &lt;id&gt;")
        return
    await _apply(update, context, lambda c, uid: c.restore(args[0], uid))


@moderators_only
async def undo_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/undo <change-id>."""
    args = context.args or []
    number = args[0].lstrip("#") if len(args) == 1 else ""
    if not number.isdigit():
        await _say(update, context, "Usage: /undo &lt;change-id&gt; (the number /history shows)")
        return
    await _apply(update, context, lambda c, uid: c.undo(int(number), uid))


@moderators_only
async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/history <id>."""
    args = context.args or []
    if len(args) != 1:
        await _say(update, context, "Usage: /history &lt;id&gt;")
        return
    curator = _curator(context)
    try:
        claim = curator.claim(args[0])
    except ChangeRefused as exc:
        await send(update, context, render_refused(str(exc)))
        return
    await send(update, context, render_history(claim, curator.history(claim.id)))


@moderators_only
async def export_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/export [json]: the whole base as a document."""
    kind = "json" if context.args and context.args[0].lower() == "json" else "yaml"
    claims = _base(context).store.all()
    active = sum(c.active for c in claims)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M")
    await context.bot.send_document(
        update.effective_chat.id, document=dump_claims(claims, kind).encode("utf-8"),
        filename=f"claims-{stamp}.{kind}",
        caption=f"{len(claims)} claims ({active} active, {len(claims) - active} retired). Edit and send it back "
                f"with /import; `python -m knowledge diff FILE` shows what it would change.")


@moderators_only
async def unmatched_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unmatched [days]: the review queue."""
    days = _days(context.args, 30)
    await send(update, context, render_unmatched(review_queue(services(context).questions, days=days), days))


@moderators_only
async def stats_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/stats [days]."""
    svc = services(context)
    stats = compute_stats(svc.questions, days=_days(context.args, 14))
    await send(update, context, render_stats(stats, svc.base, svc.base.store.audit_head()))


async def nothing_to_cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cancel outside a conversation."""
    await _say(update, context, "Nothing to cancel.")


# --- the review queue's buttons -------------------------------------------------------------------

@moderators_only
async def queue_alias_choices(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """un:a:<qid>: which claim should the question become an alias of?"""
    qid = (await _tapped(update, clear=False))[5:]
    svc = services(context)
    group = group_of(svc.questions, qid)
    if group is None:
        await _say(update, context, "That question is no longer in the log.")
        return
    lang = reply_lang(update, context)
    found = [m.claim for m in svc.base.search(group.text, top=5).matches]
    answered = [c for c in (svc.base.get(i) for i in group.claims) if c is not None]
    candidates = list({c.id: c for c in [*answered, *found]}.values())[:5]
    await send(update, context, render_candidates(group, candidates, lang))


@moderators_only
async def queue_set_alias(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """un:s:<qid>:<claim id>: attach the question as an alias; the group leaves the queue."""
    qid, _, claim_id = (await _tapped(update))[5:].partition(":")
    questions = services(context).questions
    group = group_of(questions, qid)
    if group is None:
        await _say(update, context, "That question is no longer in the log.")
        return
    entry = await _apply(update, context, lambda c, uid: c.add_alias(claim_id, group.text, uid))
    if entry is not None:
        questions.resolve(group.qids, _uid(update), f"alias:{entry.changes[0].claim_id}")


@moderators_only
async def queue_dismiss(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """un:x:<qid>: take the group off the queue (off-topic, spam, answered elsewhere)."""
    qid = (await _tapped(update, clear=False))[5:]
    questions = services(context).questions
    group = group_of(questions, qid)
    if group is None:
        await _say(update, context, "That question is no longer in the log.")
        return
    questions.resolve(group.qids, _uid(update), "dismissed")
    await _say(update, context, f"🗑 Dismissed « {esc(shorten(group.text, 200))} » "
                                f"({group.count} question{'s' if group.count > 1 else ''}).")


async def feedback_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """fb:u|d:<qid>: anyone's 👍/👎 on a reply; 👎 puts the question in the review queue."""
    query = update.callback_query
    data = query.data or ""
    up, qid = data[3:4] == "u", data[5:]
    services(context).questions.vote(qid, up, update.effective_user.id if update.effective_user else None)
    await query.answer(user_text(reply_lang(update, context), "thanks_up" if up else "thanks_down"))
    markup = getattr(query.message, "reply_markup", None)
    if markup is not None:
        rows = [row for row in markup.inline_keyboard
                if not any(str(b.callback_data or "").startswith("fb:") for b in row)]
        try:
            await query.edit_message_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
        except TelegramError:
            pass


async def expired_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button of a finished, timed-out or someone else's conversation."""
    await update.callback_query.answer("This step is over (finished, cancelled or timed out).", show_alert=True)


# --- /add, step by step ---------------------------------------------------------------------------

def _prompt_text(state: int, draft: dict[str, Any]) -> tuple[str, list[list[tuple[str, str]]]]:
    inferred = draft.get("link") == "inferred"
    if state == ADD_FR:
        return f"🆕 <b>New claim</b>. Step 1: the claim <b>in French</b>, as the source words it, {SKIP}.", []
    if state == ADD_EN:
        return f"Step 2: the claim <b>in English</b> (a faithful translation), {SKIP}.", []
    if state == ADD_LINK:
        return ("Step 3: how is the claim linked to its source?",
                [[("✅ explicit: a source says it", "add:l:explicit")],
                 [("🔎 inferred: an interpretation", "add:l:inferred")]])
    if state == SRC_NAME:
        if inferred:
            return f"Step 4: who makes this inference (e.g. the article's author)? Send the name, {SKIP}.", []
        return "Step 4: who states it? Send the source's name (person, office, outlet).", []
    if state == SRC_KIND:
        name = draft["sources"][-1]["name"]
        return (f"What kind of source is « {esc(shorten(name, 100))} »?",
                [[(kind, f"add:k:{i}") for i, kind in enumerate(SOURCE_KINDS[j:j + 2], j)]
                 for j in range(0, len(SOURCE_KINDS), 2)])
    if state == SRC_DATE:
        return f"Its date, as precise as known: 2024-07-29, 2024-07 or 2024, {SKIP}.", []
    if state == SRC_QUOTE:
        return f"The source's own words, as quoted where it was read, {SKIP}.", []
    if state == SRC_URL:
        return f"A link to the source (http…), only if you have it, {SKIP}. Never guess one.", []
    if state == SRC_MORE:
        return ("Source saved. Another one?",
                [[("➕ another source", "add:s:more"), ("➡️ go on", "add:s:done")]])
    if state == STATED_IN:
        return f"Where was the claim read? Send « title | author » (either may stay empty), {SKIP}.", []
    if state == RESTS_ON:
        return f"Which claims does the inference rest on? Their ids, separated by spaces, {SKIP}.", []
    if state == REASONING:
        return f"In one sentence: who infers what from what? {SKIP.capitalize()}.", []
    if state == ALIASES:
        have = draft.get("aliases") or []
        already = f" Already: « {esc(shorten(' | '.join(have), 300))} »." if have else ""
        return (f"Other ways people may ask for it (names, phrasings, any language), one a line or separated "
                f"by |, {SKIP}."
                f"{already}", [])
    if state == ADD_ID:
        return (f"Its id: <code>{esc(draft['proposed'])}</code>. Keep it, or send another (letters, digits, "
                "- _ . :, at most 48).", [[("✅ keep this id", "add:id")]])
    raise ValueError(state)


async def _next(update: Update, context: ContextTypes.DEFAULT_TYPE, state: int) -> int:
    draft = _slot(update, context, "add")
    if state == ADD_ID:
        text = draft["text"].get("en") or draft["text"].get("fr") or "claim"
        draft["proposed"] = propose_id(text, {c.id for c in _base(context).store.all()})
    if state == ADD_CONFIRM:
        return await _preview_add(update, context)
    text, buttons = _prompt_text(state, draft)
    await _say(update, context, text, buttons)
    return state


def _record(draft: dict[str, Any]) -> dict[str, Any]:
    """The claim record a draft makes; the domain checks it like a claim file."""
    record = {"id": draft.get("id"), "text": draft["text"], "link": draft.get("link"), "sources": draft["sources"],
              "stated_in": draft["stated_in"], "rests_on": draft["rests_on"], "reasoning": draft.get("reasoning"),
              "aliases": draft.get("aliases") or []}
    return {k: v for k, v in record.items() if v is not None}


async def _preview_add(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str | None = None) -> int:
    draft = _slot(update, context, "add")
    try:
        claim = _curator(context).preview_add(_record(draft))
    except ChangeRefused as exc:
        await send(update, context, render_refused(str(exc)))
        return await _next(update, context, ADD_ID)
    draft["lang"] = lang = lang or draft.get("lang") or reply_lang(update, context)
    card = render_claim(_base(context), claim, lang)
    other = "fr" if lang == "en" else "en"
    await _say(update, context, card.text, [[("✅ Save", "add:ok"), ("✖ Cancel", "add:no")],
                                            [(f"👁 as a {other.upper()} reader sees it", f"add:v:{other}")]])
    return ADD_CONFIRM


@moderators_only
async def add_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/add: a new claim, step by step."""
    if await _busy_elsewhere(update, context, "add"):
        return END
    _drop(update, context, "add")
    _slot(update, context, "add").update(text={}, sources=[], stated_in={}, rests_on=[], aliases=[])
    return await _next(update, context, ADD_FR)


@moderators_only
async def add_from_queue(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """un:n:<qid>: /add with a question of the review queue as its first alias."""
    qid = (await _tapped(update, clear=False))[5:]
    group = group_of(services(context).questions, qid)
    if group is None:
        await _say(update, context, "That question is no longer in the log.")
        return END
    if await _busy_elsewhere(update, context, "add"):
        return END
    _drop(update, context, "add")
    _slot(update, context, "add").update(text={}, sources=[], stated_in={}, rests_on=[], origin=group.qids,
                                         aliases=[group.text] if len(group.text) <= 300 else [])
    await _say(update, context, f"From the review queue: « {esc(shorten(group.text, 300))} » "
                                f"({group.count}×) becomes an alias of the new claim.")
    return await _next(update, context, ADD_FR)


def _step(field: str, store: Callable[[dict[str, Any], str], None], after: int | Callable[[dict], int],
          here: int) -> Callable:
    """A text step: check the value like a claim file's field, keep it, ask the next question."""
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        draft = _slot(update, context, "add")
        value = _text(update)
        try:
            value = check_part(field, value)
        except ChangeRefused as exc:
            await _say(update, context, f"❌ {esc(str(exc))}. Send it again, /skip or /cancel.")
            return here
        store(draft, value)
        return await _next(update, context, after(draft) if callable(after) else after)
    return handle


def _after_stated_in(draft: dict[str, Any]) -> int:
    return RESTS_ON if draft.get("link") == "inferred" else ALIASES


def _set_source(key: str) -> Callable[[dict[str, Any], str], None]:
    def store(draft: dict[str, Any], value: str) -> None:
        draft["sources"][-1][key] = value
    return store


def _set_text(lang: str) -> Callable[[dict[str, Any], str], None]:
    def store(draft: dict[str, Any], value: str) -> None:
        draft["text"][lang] = value
    return store


def _set_stated_in(draft: dict[str, Any], value: str) -> None:
    title, _, author = value.partition("|")
    draft["stated_in"] = {k: v.strip() for k, v in (("title", title), ("author", author)) if v.strip()}


def _set_reasoning(draft: dict[str, Any], value: str) -> None:
    lang = guess_lang(value) or ("fr" if "fr" in draft["text"] and "en" not in draft["text"] else "en")
    draft["reasoning"] = {lang: value}


def _add_aliases(draft: dict[str, Any], value: str) -> None:
    draft["aliases"] = list(dict.fromkeys([*(draft.get("aliases") or []), *split_list("aliases", value)]))


def _skip_to(state: int | Callable[[dict], int]) -> Callable:
    async def skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        draft = _slot(update, context, "add")
        return await _next(update, context, state(draft) if callable(state) else state)
    return skip


async def en_skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if not _slot(update, context, "add")["text"]:
        await _say(update, context, "A claim needs a text in French or English: send the English text.")
        return ADD_EN
    return await _next(update, context, ADD_LINK)


async def link_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    link = (await _tapped(update))[6:]
    if link not in LINKS:
        return ADD_LINK
    _slot(update, context, "add")["link"] = link
    return await _next(update, context, SRC_NAME)


async def source_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    try:
        name = check_part("sources.1.name", _text(update))
    except ChangeRefused as exc:
        await _say(update, context, f"❌ {esc(str(exc))}. Send the name again.")
        return SRC_NAME
    _slot(update, context, "add")["sources"].append({"name": name, "kind": "other"})
    return await _next(update, context, SRC_KIND)


async def source_name_skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    draft = _slot(update, context, "add")
    if draft.get("link") == "explicit" and not draft["sources"]:
        await _say(update, context, "An explicit claim needs the source that states it: send its name.")
        return SRC_NAME
    return await _next(update, context, STATED_IN)


async def source_kind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    data = await _tapped(update)
    index = int(data[6:]) if data[6:].isdigit() else -1
    if not 0 <= index < len(SOURCE_KINDS):
        return SRC_KIND
    _slot(update, context, "add")["sources"][-1]["kind"] = SOURCE_KINDS[index]
    return await _next(update, context, SRC_DATE)


async def source_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    data = await _tapped(update)
    return await _next(update, context, SRC_NAME if data == "add:s:more" else STATED_IN)


async def rests_on_ids(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    base = _base(context)
    wanted = split_list("rests_on", _text(update))
    found = [base.find_id(i) for i in wanted]
    unknown = [i for i, c in zip(wanted, found) if c is None]
    if unknown or not wanted:
        await _say(update, context, "❌ No claim has the id(s): " + esc(", ".join(unknown) or "(none)")
                   + ". Send the ids again, /skip or /cancel.")
        return RESTS_ON
    _slot(update, context, "add")["rests_on"] = list(dict.fromkeys(c.id for c in found if c))
    return await _next(update, context, REASONING)


async def reasoning_skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if not _slot(update, context, "add")["rests_on"]:
        await _say(update, context, "An inferred claim needs what it rests on or a reasoning: "
                                    "send one sentence.")
        return REASONING
    return await _next(update, context, ALIASES)


async def id_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    try:
        claim_id = check_id(_text(update))
    except ChangeRefused as exc:
        await _say(update, context, f"❌ {esc(str(exc))}. Send another id.")
        return ADD_ID
    _slot(update, context, "add")["id"] = claim_id
    return await _next(update, context, ADD_CONFIRM)


async def id_kept(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await _tapped(update)
    draft = _slot(update, context, "add")
    draft["id"] = draft["proposed"]
    return await _next(update, context, ADD_CONFIRM)


async def add_view(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Show the preview as a reader of the other language sees it."""
    lang = (await _tapped(update))[6:]
    return await _preview_add(update, context, lang if lang in ("fr", "en") else None)


async def add_save(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await _tapped(update)
    draft = _slot(update, context, "add")
    entry = await _apply(update, context, lambda c, uid: c.add(_record(draft), uid))
    if entry is None:
        return await _next(update, context, ADD_ID)
    if draft.get("origin"):
        services(context).questions.resolve(draft["origin"], _uid(update), f"added:{entry.changes[0].claim_id}")
    _drop(update, context, "add")
    return END


# --- /edit <id>, step by step ---------------------------------------------------------------------

@moderators_only
async def edit_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/edit <id> <field> <value> at once; /edit <id> [field] step by step."""
    args = context.args or []
    if len(args) >= 3:
        await _apply(update, context, lambda c, uid: c.edit(args[0], args[1], _rest(update, 2), uid))
        return END
    if not args:
        await _say(update, context, "Usage: /edit &lt;id&gt; (step by step) or /edit &lt;id&gt; &lt;field&gt; "
                                    "&lt;value&gt;. /modhelp lists the fields.")
        return END
    if await _busy_elsewhere(update, context, "edit"):
        return END
    try:
        claim = _curator(context).claim(args[0])
        if len(args) == 2:
            check_field(claim.to_dict(), args[1])
    except ChangeRefused as exc:
        await send(update, context, render_refused(str(exc)))
        return END
    _drop(update, context, "edit")
    _slot(update, context, "edit")["id"] = claim.id
    if len(args) == 2:
        return await _ask_value(update, context, args[1])
    fields = editable_fields(claim)
    rows = [[(f, f"ed:f:{f}") for f in fields[i:i + 3]] for i in range(0, len(fields), 3)]
    await _say(update, context, f"✏️ Editing <code>{esc(claim.id)}</code>. Which field?", rows + [[("✖ Cancel", "ed:no")]])
    return ED_FIELD


async def edit_field(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    return await _ask_value(update, context, (await _tapped(update))[5:])


async def _ask_value(update: Update, context: ContextTypes.DEFAULT_TYPE, field: str) -> int:
    draft = _slot(update, context, "edit")
    draft["field"] = field
    claim = _base(context).get(draft["id"])
    current = field_value(claim.to_dict(), field) if claim else None
    buttons: list[list[tuple[str, str]]] = []
    if field == "link":
        buttons = [[(link, f"ed:v:{link}") for link in LINKS]]
    elif field.startswith("sources.") and field.endswith(".kind"):
        buttons = [[(kind, f"ed:v:{i}") for i, kind in enumerate(SOURCE_KINDS[j:j + 2], j)]
                   for j in range(0, len(SOURCE_KINDS), 2)]
    await _say(update, context, f"<b>{esc(field)}</b> is now: {esc(compact(current, 600))}\n"
                                "Send the new value ('-' clears it), or /cancel.", buttons)
    return ED_VALUE


async def edit_value_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    return await _preview_edit(update, context, _text(update))


async def edit_value_tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    value = (await _tapped(update))[5:]
    return await _preview_edit(update, context, SOURCE_KINDS[int(value)] if value.isdigit()
                               and int(value) < len(SOURCE_KINDS) else value)


async def _preview_edit(update: Update, context: ContextTypes.DEFAULT_TYPE, value: str) -> int:
    draft = _slot(update, context, "edit")
    try:
        _, after = _curator(context).preview_edit(draft["id"], draft["field"], value)
    except ChangeRefused as exc:
        await _say(update, context, f"❌ {esc(str(exc))}\nSend another value, or /cancel.")
        return ED_VALUE
    draft["value"] = value
    card = render_claim(_base(context), after, reply_lang(update, context))
    await _say(update, context, card.text, [[("✅ Save", "ed:ok"), ("✖ Cancel", "ed:no")]])
    return ED_CONFIRM


async def edit_save(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await _tapped(update)
    draft = _slot(update, context, "edit")
    await _apply(update, context, lambda c, uid: c.edit(draft["id"], draft["field"], draft["value"], uid))
    _drop(update, context, "edit")
    return END


# --- /import ----------------------------------------------------------------------------------------

@moderators_only
async def import_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/import [retire-missing], or a document captioned /import."""
    message = update.effective_message
    words = (message.text or message.caption or "").split()[1:]
    if await _busy_elsewhere(update, context, "import"):
        return END
    _drop(update, context, "import")
    _slot(update, context, "import")["missing"] = RETIRE if "retire-missing" in words else KEEP
    if message.document is not None:
        return await import_file(update, context)
    await _say(update, context, "Send the claim file (YAML or JSON, as exported by /export) as a document, "
                                "or /cancel. Claims the file does not hold are kept; /import retire-missing "
                                "retires them. Nothing is written before you confirm.")
    return IMP_FILE


async def import_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    document = update.effective_message.document
    name = document.file_name or "claims.yaml"
    try:
        kind = file_kind(name)
    except FileFormatError:
        await _say(update, context, "❌ Send a .yaml, .yml, .json or .jsonl file, or /cancel.")
        return IMP_FILE
    if (document.file_size or 0) > MAX_DOWNLOAD:
        await _say(update, context, "❌ The file is larger than 20 MB, the most Telegram lets a bot download. "
                                    "Use python -m knowledge import on the server.")
        return IMP_FILE
    try:
        content = bytes(await (await document.get_file()).download_as_bytearray())
        items = parse_items(content.decode("utf-8"), kind, name)
    except UnicodeDecodeError:
        await _say(update, context, "❌ The file is not UTF-8 text. Send another, or /cancel.")
        return IMP_FILE
    except FileFormatError as exc:
        await _say(update, context, f"❌ {esc(str(exc))}\nSend another file, or /cancel.")
        return IMP_FILE
    draft = _slot(update, context, "import")
    plan = plan_import(_base(context).store.all(), items, missing=draft.get("missing", KEEP))
    await send(update, context, render_plan(plan, name))
    if plan.errors or not plan.touched:
        log.info("moderation: import of %s by user %s not applied (%d errors)", name, _uid(update), len(plan.errors))
        _drop(update, context, "import")
        return END
    draft.update(plan=plan, head=_base(context).store.audit_head(), name=name)
    return IMP_CONFIRM


async def import_apply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await _tapped(update)
    draft = _slot(update, context, "import")
    _drop(update, context, "import")
    base, settings = _base(context), services(context).settings
    if base.store.audit_head() != draft.get("head"):
        await _say(update, context, "The base changed since this summary; nothing was written. "
                                    "Send the file again to see what it would change now.")
        return END
    plan = draft["plan"]
    try:
        entry, backup = _curator(context).apply_import(plan.pairs(), _uid(update), note=draft["name"],
                                                       backup_dir=settings.backups)
    except ChangeRefused as exc:
        await send(update, context, render_refused(str(exc)))
        return END
    found = _who_to_tell(update, context, entry)
    lines = [f"✅ Imported <b>{esc(draft['name'])}</b> as change <b>#{entry.id}</b>: {esc(plan.counts())}.",
             f"Backup of the base before: <code>{esc(backup.name if backup else '-')}</code>. Undo: /undo {entry.id}"]
    if found:
        lines.append(f"📣 Telling {len(found)} people who were shown a changed claim.")
    await _say(update, context, "\n".join(lines))
    _send_notices_later(context, found)
    return END


# --- ends of conversations --------------------------------------------------------------------------

async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel, or a ✖ Cancel button: drop the draft, write nothing."""
    if update.callback_query is not None:
        await _tapped(update)
    _drop(update, context, "add", "edit", "import")
    await _say(update, context, "Cancelled. Nothing was changed.")
    return END


async def busy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Another command in the middle of a conversation."""
    await _say(update, context, "You are in the middle of a step-by-step change: answer the last question, "
                                "or /cancel first.")


async def send_a_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _say(update, context, "Send the claim file as a document (📎), or /cancel.")


async def tap_a_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _say(update, context, "Please answer with the buttons above, or /cancel.")


def timed_out(settings: Settings) -> Callable:
    async def callback(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The conversation was left idle too long."""
        if isinstance(update, Update) and update.effective_chat is not None:
            _drop(update, context, "add", "edit", "import")
            minutes = max(1, round(settings.moderation_timeout / 60))
            await context.bot.send_message(update.effective_chat.id, f"⌛ Stopped after {minutes} idle minute(s). "
                                           "Nothing was changed; start again when you are ready.")
    return callback


# --- registration -------------------------------------------------------------------------------------

MOD_COMMANDS = [("add", "New claim, step by step"), ("edit", "Change a claim"), ("alias", "Add an alias"),
                ("link", "Add what a claim rests on"), ("retire", "Retire a claim"), ("restore", "Restore a claim"),
                ("history", "Changes to a claim"), ("undo", "Undo a change"), ("export", "The base as a file"),
                ("import", "Import a claim file"), ("unmatched", "Questions to review"), ("stats", "Stats"),
                ("cancel", "Stop a step-by-step change"), ("modhelp", "Moderator commands")]


async def register_commands(application: Application, user_commands: list[tuple[str, str]]) -> None:
    """Show the user and moderator commands in the moderators' chats (one the bot cannot reach is skipped)."""
    settings: Settings = application.bot_data[KEY].settings
    chats = [*sorted(settings.moderator_ids), *([settings.moderator_chat_id] if settings.moderator_chat_id else [])]
    commands = [BotCommand(name, text) for name, text in [*user_commands, *MOD_COMMANDS]]
    for chat_id in chats:
        try:
            await application.bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id))
        except TelegramError as exc:
            log.info("moderator commands not shown in chat %s (%s)", chat_id, exc.__class__.__name__)


def _conversation(name: str, entry_points: list[BaseHandler], states: dict[int, list[BaseHandler]],
                  settings: Settings) -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():  # per_message=False is right here: steps mix buttons and typed text
        warnings.filterwarnings("ignore", message=".*CallbackQueryHandler.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states={**states, ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out(settings))]},
            fallbacks=[CommandHandler("cancel", cancel), CallbackQueryHandler(cancel, pattern=r"^(add|ed|im):no$"),
                       MessageHandler(filters.COMMAND, busy), MessageHandler(text, tap_a_button)],
            conversation_timeout=settings.moderation_timeout or None,
            name=name,
        )


def handlers(settings: Settings) -> list[BaseHandler]:
    """Every moderation handler, in order; register them before the private-chat text handler."""
    text = filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE

    def typed(field: str, store: Callable, after: Any, here: int) -> BaseHandler:
        return MessageHandler(text, _step(field, store, after, here))

    def skip(state: Any) -> BaseHandler:
        return CommandHandler("skip", _skip_to(state))

    add = _conversation("add", [CommandHandler("add", add_start, filters=COMMAND_MESSAGE),
                                CallbackQueryHandler(add_from_queue, pattern=r"^un:n:")], {
        ADD_FR: [typed("text.fr", _set_text("fr"), ADD_EN, ADD_FR), skip(ADD_EN)],
        ADD_EN: [typed("text.en", _set_text("en"), ADD_LINK, ADD_EN), CommandHandler("skip", en_skip)],
        ADD_LINK: [CallbackQueryHandler(link_chosen, pattern=r"^add:l:")],
        SRC_NAME: [MessageHandler(text, source_name), CommandHandler("skip", source_name_skip)],
        SRC_KIND: [CallbackQueryHandler(source_kind, pattern=r"^add:k:")],
        SRC_DATE: [typed("sources.1.date", _set_source("date"), SRC_QUOTE, SRC_DATE), skip(SRC_QUOTE)],
        SRC_QUOTE: [typed("sources.1.quote", _set_source("quote"), SRC_URL, SRC_QUOTE), skip(SRC_URL)],
        SRC_URL: [typed("sources.1.url", _set_source("url"), SRC_MORE, SRC_URL), skip(SRC_MORE)],
        SRC_MORE: [CallbackQueryHandler(source_more, pattern=r"^add:s:")],
        STATED_IN: [typed("stated_in.title", _set_stated_in, _after_stated_in, STATED_IN),
                    skip(_after_stated_in)],
        RESTS_ON: [MessageHandler(text, rests_on_ids), skip(REASONING)],
        REASONING: [typed("reasoning.en", _set_reasoning, ALIASES, REASONING),
                    CommandHandler("skip", reasoning_skip)],
        ALIASES: [typed("aliases", _add_aliases, ADD_ID, ALIASES), skip(ADD_ID)],
        ADD_ID: [MessageHandler(text, id_typed), CallbackQueryHandler(id_kept, pattern=r"^add:id$")],
        ADD_CONFIRM: [CallbackQueryHandler(add_save, pattern=r"^add:ok$"),
                      CallbackQueryHandler(add_view, pattern=r"^add:v:")],
    }, settings)
    edit = _conversation("edit", [CommandHandler("edit", edit_command, filters=COMMAND_MESSAGE)], {
        ED_FIELD: [CallbackQueryHandler(edit_field, pattern=r"^ed:f:")],
        ED_VALUE: [MessageHandler(text, edit_value_typed), CallbackQueryHandler(edit_value_tapped, pattern=r"^ed:v:")],
        ED_CONFIRM: [CallbackQueryHandler(edit_save, pattern=r"^ed:ok$")],
    }, settings)
    imp = _conversation("import", [CommandHandler("import", import_start, filters=COMMAND_MESSAGE),
                                   MessageHandler(IMPORT_CAPTION & filters.UpdateType.MESSAGE, import_start)], {
        IMP_FILE: [MessageHandler(filters.Document.ALL, import_file), MessageHandler(text, send_a_file)],
        IMP_CONFIRM: [CallbackQueryHandler(import_apply, pattern=r"^im:ok$")],
    }, settings)
    commands = {"modhelp": mod_help, "alias": alias_command, "link": link_command, "retire": retire_command,
                "restore": restore_command, "undo": undo_command, "history": history_command,
                "export": export_command, "unmatched": unmatched_command, "stats": stats_command,
                "cancel": nothing_to_cancel}
    return [
        add, edit, imp,
        *(CommandHandler(name, callback, filters=COMMAND_MESSAGE) for name, callback in commands.items()),
        CallbackQueryHandler(feedback_button, pattern=r"^fb:[ud]:"),
        CallbackQueryHandler(queue_alias_choices, pattern=r"^un:a:"),
        CallbackQueryHandler(queue_set_alias, pattern=r"^un:s:"),
        CallbackQueryHandler(queue_dismiss, pattern=r"^un:x:"),
        CallbackQueryHandler(expired_button, pattern=r"^(add|ed|im):"),
    ]
