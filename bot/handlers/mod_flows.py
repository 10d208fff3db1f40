"""Moderators' step-by-step changes: /add, /edit <id> and /import, each a ConversationHandler."""

from __future__ import annotations

import contextlib
import logging
import secrets
import time
import warnings
from typing import Any, Callable

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import (BaseHandler, CallbackQueryHandler, CommandHandler, ContextTypes, ConversationHandler,
                          MessageHandler, TypeHandler, filters)
from telegram.warnings import PTBUserWarning

from knowledge.approval import Pending
from knowledge.audit import ADD, EDIT, IMPORT
from knowledge.changes import compact
from knowledge.edits import (ChangeRefused, check_field, check_id, check_part, editable_fields, field_value,
                             makes_stated, propose_id, split_list)
from knowledge.importing import KEEP, RETIRE, plan_import
from knowledge.io import FileFormatError, file_kind, parse_file
from knowledge.model import LINKS, SOURCE_KINDS, Claim
from knowledge.review import group_of
from knowledge.text import guess_lang, whole_number

from ..i18n import SOURCE_KIND_NAMES, t
from ..i18n_mod import tm, tn
from ..moderators import moderators_only
from ..render import MAX_CALLBACK, esc, render_claim, shorten
from ..render_mod import plan_counts, render_plan, render_refused
from ..services import services
from ..settings import Settings
from .common import send
from .mod_common import (END, apply_change, base_of, busy_elsewhere, curator, drop, message_text, mod_lang, rest_of,
                         say, say_key, send_notices_later, slot, tapped, tell_waiting, user_id, who_to_tell)

log = logging.getLogger(__name__)
(ADD_FR, ADD_EN, ADD_LINK, SRC_NAME, SRC_KIND, SRC_DATE, SRC_QUOTE, SRC_URL, SRC_MORE, STATED_IN, RESTS_ON,
 REASONING, ALIASES, ADD_ID, ADD_CONFIRM) = range(15)
ED_FIELD, ED_VALUE, ED_CONFIRM = range(20, 23)
IMP_FILE, IMP_CONFIRM = range(30, 32)
MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API serves files up to 20 MB
COMMAND_MESSAGE = filters.UpdateType.MESSAGE  # an edited command is not run again
IMPORT_CAPTION = filters.Document.ALL & filters.CaptionRegex(r"^/import(@\w+)?(\s|$)")
# confirm buttons: + <moderator id>:<preview token>, so another's tap, or an older preview's, changes nothing
SAVE_ADD, SAVE_EDIT, APPLY_IMPORT = "add:ok:", "ed:ok:", "im:ok:"
CONFIRMS = {SAVE_ADD: ("edit_stale", "edit_not_yours"), SAVE_EDIT: ("edit_stale", "edit_not_yours"),
            APPLY_IMPORT: ("import_stale", "import_not_yours")}  # (older preview, someone else's) alerts
RETIRE_MISSING = "retire-missing"  # /import's one option


# --- /add, step by step ---------------------------------------------------------------------------

def _kind_buttons(prefix: str, lang: str) -> list[list[tuple[str, str]]]:
    """Source kinds, two a row, named in lang; the data is the kind's index."""
    names = SOURCE_KIND_NAMES[lang]
    return [[(names[kind], f"{prefix}{i}") for i, kind in enumerate(SOURCE_KINDS[j:j + 2], j)]
            for j in range(0, len(SOURCE_KINDS), 2)]


def _prompt_text(state: int, draft: dict[str, Any], lang: str) -> tuple[str, list[list[tuple[str, str]]]]:
    inferred = draft.get("link") == "inferred"
    simple = {ADD_FR: "add_fr", ADD_EN: "add_en", SRC_DATE: "add_date", SRC_QUOTE: "add_quote", SRC_URL: "add_url",
              STATED_IN: "add_stated_in", RESTS_ON: "add_rests_on", REASONING: "add_reasoning"}
    if state in simple:
        return tm(lang, simple[state]), []
    if state == ADD_LINK:
        return (tm(lang, "add_link"),
                [[(tm(lang, "button_explicit"), "add:l:explicit")], [(tm(lang, "button_inferred"), "add:l:inferred")]])
    if state == SRC_NAME:
        return tm(lang, "add_inferrer" if inferred else "add_source"), []
    if state == SRC_KIND:
        name = draft["sources"][-1]["name"]
        return tm(lang, "add_kind", name=esc(shorten(name, 100))), _kind_buttons("add:k:", lang)
    if state == SRC_MORE:
        return (tm(lang, "add_more"),
                [[(tm(lang, "button_more"), "add:s:more"), (tm(lang, "button_go_on"), "add:s:done")]])
    if state == ALIASES:
        have = draft.get("aliases") or []
        already = tm(lang, "add_aliases_have", aliases=esc(shorten(" | ".join(have), 300))) if have else ""
        return tm(lang, "add_aliases") + already, []
    if state == ADD_ID:
        return (tm(lang, "add_id", id=esc(draft["proposed"])), [[(tm(lang, "button_keep_id"), "add:id")]])
    raise ValueError(state)


async def _next(update: Update, context: ContextTypes.DEFAULT_TYPE, state: int) -> int:
    draft = slot(update, context, "add")
    if state == ADD_ID:
        text = draft["text"].get("en") or draft["text"].get("fr") or "claim"
        draft["proposed"] = propose_id(text, _taken_ids(context))
    if state == ADD_CONFIRM:
        return await _preview_add(update, context)
    text, buttons = _prompt_text(state, draft, mod_lang(update, context))
    await say(update, context, text, buttons)
    return state


def _taken_ids(context: ContextTypes.DEFAULT_TYPE) -> set[str]:
    """The ids of the base's claims and of the claims added by changes waiting for a second moderator."""
    return {c.id for c in base_of(context).store.all()} | {
        c.claim_id for p in curator(context).proposals() for c in p.changes if c.before is None}


def _record(draft: dict[str, Any]) -> dict[str, Any]:
    """The claim record a draft makes; the domain checks it like a claim file."""
    record = {"id": draft.get("id"), "text": draft["text"], "link": draft.get("link"), "sources": draft["sources"],
              "stated_in": draft["stated_in"], "rests_on": draft["rests_on"], "reasoning": draft.get("reasoning"),
              "aliases": draft.get("aliases") or []}
    return {k: v for k, v in record.items() if v is not None}


async def _preview_add(update: Update, context: ContextTypes.DEFAULT_TYPE, lang: str | None = None) -> int:
    draft = slot(update, context, "add")
    mine = mod_lang(update, context)
    try:
        claim = curator(context).preview_add(_record(draft))
    except ChangeRefused as exc:  # nothing was being changed yet: no "Not changed"
        await say_key(update, context, "add_cannot", error=esc(str(exc)))
        return await _next(update, context, ADD_ID)
    draft["lang"] = lang = lang or draft.get("lang") or mine  # the card's language, switched by 👁
    card = render_claim(base_of(context), claim, lang)
    if curator(context).holds(ADD, [(None, claim)]) and draft.get("told_second") != claim.to_dict():
        draft["told_second"] = claim.to_dict()  # once, not again for 👁's other-language card
        await say_key(update, context, "edit_second")
    other = "fr" if lang == "en" else "en"
    save = confirm_data(update, draft, SAVE_ADD)
    await say(update, context, card.text, [[(tm(mine, "button_save"), save), (tm(mine, "button_cancel"), "add:no")],
                                            [(tm(mine, f"button_view_{other}"), f"add:v:{other}")]])
    return ADD_CONFIRM


def confirm_data(update: Update, draft: dict[str, Any], prefix: str) -> str:
    """A confirm button's data for a new preview: who asked, and a token that makes older previews stale."""
    draft["token"] = secrets.token_hex(4)
    data = f"{prefix}{user_id(update)}:{draft['token']}"
    assert len(data.encode()) <= MAX_CALLBACK
    return data


def not_yours(data: str, tapper: int | None) -> str | None:
    """The alert key for a confirm button tapped by someone other than the moderator it names, else None."""
    prefix = next((p for p in CONFIRMS if data.startswith(p)), None)
    if prefix is None or tapper is None:
        return None
    asker = data[len(prefix):].partition(":")[0]
    return CONFIRMS[prefix][1] if asker and asker != str(tapper) else None


async def confirm_refused(update: Update, context: ContextTypes.DEFAULT_TYPE, draft: dict[str, Any],
                          prefix: str) -> bool:
    """True, after a polite alert, when a confirm tap is someone else's or on an older preview: nothing changes.
    Only the asker's own older card loses its buttons; someone else's tap leaves the asker's card as it is."""
    query = update.callback_query
    asker, _, token = (query.data or "")[len(prefix):].partition(":")
    if asker == str(user_id(update)) and token == draft.get("token"):
        return False
    stale, not_yours = CONFIRMS[prefix]
    mine = asker == str(user_id(update))
    await query.answer(tm(mod_lang(update, context), stale if mine else not_yours), show_alert=True)
    if mine:
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(None)
    return True


@moderators_only
async def add_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/add: a new claim, step by step."""
    if await busy_elsewhere(update, context, "add"):
        return END
    drop(update, context, "add")
    slot(update, context, "add").update(text={}, sources=[], stated_in={}, rests_on=[], aliases=[])
    return await _next(update, context, ADD_FR)


@moderators_only
async def add_from_queue(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """un:n:<qid>: /add with a question of the review queue as its first alias."""
    qid = (await tapped(update, clear=False))[5:]
    group = group_of(services(context).questions, qid)
    if group is None:
        await say_key(update, context, "question_gone")
        return END
    if await busy_elsewhere(update, context, "add"):
        return END
    drop(update, context, "add")
    slot(update, context, "add").update(text={}, sources=[], stated_in={}, rests_on=[], origin=group.qids,
                                         aliases=[group.text] if len(group.text) <= 300 else [])
    await say_key(update, context, "from_queue", text=esc(shorten(group.text, 300)), count=group.count)
    return await _next(update, context, ADD_FR)


def _step(field: str, store: Callable[[dict[str, Any], str], None], after: int | Callable[[dict], int],
          here: int) -> Callable:
    """A text step: check the value like a claim file's field, keep it, ask the next question."""
    async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        draft = slot(update, context, "add")
        value = message_text(update)
        try:
            value = check_part(field, value)
        except ChangeRefused as exc:
            await say_key(update, context, "again_or_skip", error=esc(str(exc)))
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
        draft = slot(update, context, "add")
        return await _next(update, context, state(draft) if callable(state) else state)
    return skip


async def en_skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    if not slot(update, context, "add")["text"]:
        await say_key(update, context, "needs_text")
        return ADD_EN
    return await _next(update, context, ADD_LINK)


async def link_chosen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    link = (await tapped(update))[6:]
    if link not in LINKS:
        return ADD_LINK
    slot(update, context, "add")["link"] = link
    return await _next(update, context, SRC_NAME)


async def source_name(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    try:
        name = check_part("sources.1.name", message_text(update))
    except ChangeRefused as exc:
        await say_key(update, context, "name_again", error=esc(str(exc)))
        return SRC_NAME
    slot(update, context, "add")["sources"].append({"name": name, "kind": "other"})
    return await _next(update, context, SRC_KIND)


async def source_name_skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    draft = slot(update, context, "add")
    if draft.get("link") == "explicit" and not draft["sources"]:
        await say_key(update, context, "needs_source")
        return SRC_NAME
    return await _next(update, context, STATED_IN)


async def source_kind(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    data = await tapped(update)
    index = whole_number(data[6:])
    if index is None or index >= len(SOURCE_KINDS):
        return SRC_KIND
    slot(update, context, "add")["sources"][-1]["kind"] = SOURCE_KINDS[index]
    return await _next(update, context, SRC_DATE)


def typed_kind(text: str) -> str | None:
    """The source kind a moderator typed: its name in the claim files (press) or as a button shows it, in French or
    English (presse, author of the article); None when it is none of them."""
    wanted = " ".join(text.split()).casefold()
    return next((kind for kind in SOURCE_KINDS if wanted == kind or any(
        wanted == names[kind].casefold() for names in SOURCE_KIND_NAMES.values())), None)


async def source_kind_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """A kind typed instead of tapped, as /edit takes it."""
    kind = typed_kind(message_text(update))
    if kind is None:
        lang = mod_lang(update, context)
        kinds = ", ".join(SOURCE_KIND_NAMES[lang][k] for k in SOURCE_KINDS)
        await say_key(update, context, "kind_again", _kind_buttons("add:k:", lang),
                      kind=esc(shorten(message_text(update), 60)), kinds=esc(kinds))
        return SRC_KIND
    slot(update, context, "add")["sources"][-1]["kind"] = kind
    return await _next(update, context, SRC_DATE)


async def source_more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    data = await tapped(update)
    return await _next(update, context, SRC_NAME if data == "add:s:more" else STATED_IN)


async def rests_on_ids(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    base = base_of(context)
    wanted = split_list("rests_on", message_text(update))
    found = [base.find_id(i) for i in wanted]
    unknown = [i for i, c in zip(wanted, found) if c is None]
    if unknown or not wanted:
        ids = esc(", ".join(unknown)) or tm(mod_lang(update, context), "no_ids")
        await say_key(update, context, "unknown_ids", ids=ids)
        return RESTS_ON
    slot(update, context, "add")["rests_on"] = list(dict.fromkeys(c.id for c in found if c))
    return await _next(update, context, REASONING)


async def rests_on_skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await say_key(update, context, "needs_rests_on")
    return RESTS_ON


async def reasoning_skip(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await say_key(update, context, "needs_reasoning")
    return REASONING


async def id_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    try:
        claim_id = check_id(message_text(update))
        if claim_id in _taken_ids(context):
            raise ChangeRefused(f"the id {claim_id!r} is already used; choose another")
    except ChangeRefused as exc:
        await say_key(update, context, "id_again", error=esc(str(exc)))
        return ADD_ID
    slot(update, context, "add")["id"] = claim_id
    return await _next(update, context, ADD_CONFIRM)


async def id_kept(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    await tapped(update)
    draft = slot(update, context, "add")
    draft["id"] = draft["proposed"]
    return await _next(update, context, ADD_CONFIRM)


async def add_view(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """Show the preview as a reader of the other language sees it."""
    lang = (await tapped(update))[6:]
    return await _preview_add(update, context, lang if lang in ("fr", "en") else None)


async def add_save(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """✅ under the new claim's card: saved if it is the asker's latest card."""
    draft = slot(update, context, "add")
    if await confirm_refused(update, context, draft, SAVE_ADD):
        return ADD_CONFIRM
    await tapped(update)
    entry = await apply_change(update, context, lambda c, uid: c.add(_record(draft), uid,
                                                                     origin=draft.get("origin") or ()))
    if entry is None:
        return await _next(update, context, ADD_ID)
    if draft.get("origin") and not isinstance(entry, Pending):  # a pending one resolves them when approved
        services(context).questions.resolve(draft["origin"], user_id(update), f"added:{entry.changes[0].claim_id}")
    drop(update, context, "add")
    return END


# --- /edit <id>, step by step ---------------------------------------------------------------------

@moderators_only
async def edit_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/edit <id> <field> <value> at once; /edit <id> [field] step by step."""
    args = context.args or []
    if len(args) >= 3:
        return await _edit_at_once(update, context, args[0], args[1], rest_of(update, 2))
    if not args:
        await say_key(update, context, "usage_edit")
        return END
    if await busy_elsewhere(update, context, "edit"):
        return END
    lang = mod_lang(update, context)
    try:
        claim = curator(context).claim(args[0])
        if len(args) == 2:
            check_field(claim.to_dict(), args[1])
    except ChangeRefused as exc:
        await send(update, context, render_refused(str(exc), lang))
        return END
    drop(update, context, "edit")
    slot(update, context, "edit")["id"] = claim.id
    if len(args) == 2:
        return await _ask_value(update, context, args[1])
    fields = editable_fields(claim)
    rows = [[(f, f"ed:f:{f}") for f in fields[i:i + 3]] for i in range(0, len(fields), 3)]
    await say_key(update, context, "edit_which", rows + [[(tm(lang, "button_cancel"), "ed:no")]], id=esc(claim.id))
    return ED_FIELD


async def _edit_at_once(update: Update, context: ContextTypes.DEFAULT_TYPE, claim_id: str, field: str,
                        value: str) -> int:
    """/edit <id> <field> <value>: saved at once, unless readers would then read that the sources state the claim
    themselves (see makes_stated): then the card first, saved on ✅ like a step-by-step edit."""
    try:
        before, after = curator(context).preview_edit(claim_id, field, value)
    except ChangeRefused:
        before = after = None  # apply_change says why
    if before is None or after is None or not makes_stated(before, after):
        await apply_change(update, context, lambda c, uid: c.edit(claim_id, field, value, uid))
        return END
    if await busy_elsewhere(update, context, "edit"):
        return END
    drop(update, context, "edit")
    slot(update, context, "edit").update(id=before.id, field=field)
    return await _preview_edit(update, context, value)


async def edit_field(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    return await _ask_value(update, context, (await tapped(update))[5:])


async def _ask_value(update: Update, context: ContextTypes.DEFAULT_TYPE, field: str) -> int:
    draft = slot(update, context, "edit")
    draft["field"] = field
    claim = base_of(context).get(draft["id"])
    current = field_value(claim.to_dict(), field) if claim else None
    lang = mod_lang(update, context)
    buttons: list[list[tuple[str, str]]] = []
    if field == "link":
        buttons = [[(t(lang, f"link_name_{link}"), f"ed:v:{link}") for link in LINKS]]
    elif field.startswith("sources.") and field.endswith(".kind"):
        buttons = _kind_buttons("ed:v:", lang)
    await say_key(update, context, "edit_now", buttons, field=esc(field), value=esc(compact(current, 600)))
    return ED_VALUE


async def edit_value_typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    value, field = message_text(update), slot(update, context, "edit").get("field", "")
    if field.startswith("sources.") and field.endswith(".kind"):  # as /add takes it: presse, author of the article
        value = typed_kind(value) or value
    return await _preview_edit(update, context, value)


async def edit_value_tapped(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    value = (await tapped(update))[5:]
    index = whole_number(value)
    return await _preview_edit(update, context, SOURCE_KINDS[index] if index is not None
                               and index < len(SOURCE_KINDS) else value)


async def _preview_edit(update: Update, context: ContextTypes.DEFAULT_TYPE, value: str) -> int:
    """The card as readers will see it after the edit (a warning above it when it makes_stated), with ✅ / ✖."""
    draft = slot(update, context, "edit")
    try:
        before, after = curator(context).preview_edit(draft["id"], draft["field"], value)
    except ChangeRefused as exc:
        await say_key(update, context, "edit_again", error=esc(str(exc)))
        return ED_VALUE
    draft.update(value=value, before=before.to_dict())
    lang = mod_lang(update, context)
    if makes_stated(before, after):
        second = [tm(lang, "edit_second")] if curator(context).holds(EDIT, [(before, after)]) else []
        await say(update, context, "\n".join([tm(lang, "edit_stated_warning"), *_dropped(before, after, lang),
                                              *second]))
    card = render_claim(base_of(context), after, lang)
    save = confirm_data(update, draft, SAVE_EDIT)
    await say(update, context, card.text, [[(tm(lang, "button_save"), save), (tm(lang, "button_cancel"), "ed:no")]])
    return ED_CONFIRM


def _dropped(before: Claim, after: Claim, lang: str) -> list[str]:
    """What saving an edit that makes a claim explicit also takes away: its rests_on and its reasoning."""
    what = []
    if before.rests_on and not after.rests_on:
        what.append(tm(lang, "drops_rests_on", ids=", ".join(f"<code>{esc(i)}</code>" for i in before.rests_on)))
    if before.reasoning and not after.reasoning:
        what.append(tm(lang, "drops_reasoning"))
    return [tm(lang, "edit_drops", what=tm(lang, "and").join(what))] if what else []


async def edit_save(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """✅ under an edit's card: saved if it is the latest card's button and the claim is still as it showed it."""
    draft = slot(update, context, "edit")
    if await confirm_refused(update, context, draft, SAVE_EDIT):
        return ED_CONFIRM
    await tapped(update)
    current = base_of(context).get(draft["id"])
    if current is None or current.to_dict() != draft.get("before"):
        await say_key(update, context, "edit_changed_since", id=esc(draft["id"]))
    else:
        await apply_change(update, context, lambda c, uid: c.edit(draft["id"], draft["field"], draft["value"], uid))
    drop(update, context, "edit")
    return END


# --- /import ----------------------------------------------------------------------------------------

@moderators_only
async def import_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/import [retire-missing], or a document captioned /import."""
    message = update.effective_message
    words = [w.lower() for w in (message.text or message.caption or "").split()[1:]]
    if any(w != RETIRE_MISSING for w in words):  # a typo would import without retiring
        await say_key(update, context, "usage_import")
        return END
    if await busy_elsewhere(update, context, "import"):
        return END
    drop(update, context, "import")
    slot(update, context, "import")["missing"] = RETIRE if words else KEEP
    if message.document is not None:
        return await import_file(update, context)
    await say_key(update, context, "import_prompt_retire" if words else "import_prompt")
    return IMP_FILE


async def import_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    document = update.effective_message.document
    name = document.file_name or "claims.yaml"
    try:
        kind = file_kind(name)
    except FileFormatError:
        await say_key(update, context, "import_kind")
        return IMP_FILE
    if (document.file_size or 0) > MAX_DOWNLOAD:
        await say_key(update, context, "import_too_big")
        return IMP_FILE
    try:
        content = bytes(await (await document.get_file()).download_as_bytearray())
        read = parse_file(content.decode("utf-8"), kind, name)
        items = read.items
    except UnicodeDecodeError:
        await say_key(update, context, "import_not_utf8")
        return IMP_FILE
    except FileFormatError as exc:
        await say_key(update, context, "import_bad_file", error=esc(str(exc)))
        return IMP_FILE
    if not items:  # as the command line refuses it: with retire-missing it would retire the whole base
        await say_key(update, context, "import_empty", name=esc(shorten(name, 100)))
        return IMP_FILE
    draft = slot(update, context, "import")
    store = base_of(context).store
    plan = plan_import(store.all(), items, missing=draft.get("missing", KEEP), lines=read.lines,
                       exported_at=read.exported_at, audit=store.audit_entries())
    apply = confirm_data(update, draft, APPLY_IMPORT)
    held = plan.ok and curator(context).holds(IMPORT, plan.pairs())
    await send(update, context, render_plan(plan, name, mod_lang(update, context), apply, held=held))
    if plan.errors or not plan.touched:
        log.info("moderation: import of %s by user %s not applied (%d errors)", name, user_id(update), len(plan.errors))
        drop(update, context, "import")
        return END
    draft.update(plan=plan, head=base_of(context).store.audit_head(), name=name)
    return IMP_CONFIRM


async def import_apply(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """✅ under an import's summary: applied if it is the asker's latest summary and the base has not changed."""
    draft = slot(update, context, "import")
    if await confirm_refused(update, context, draft, APPLY_IMPORT):
        return IMP_CONFIRM
    await tapped(update)
    drop(update, context, "import")
    base, settings = base_of(context), services(context).settings
    if base.store.audit_head() != draft.get("head"):
        await say_key(update, context, "import_base_changed")
        return END
    plan, lang = draft["plan"], mod_lang(update, context)
    try:
        entry, backup = curator(context).apply_import(plan.pairs(), user_id(update), note=draft["name"],
                                                       backup_dir=settings.backups)
    except ChangeRefused as exc:
        await send(update, context, render_refused(str(exc), lang))
        return END
    if isinstance(entry, Pending):
        await tell_waiting(update, context, entry)
        return END
    found = who_to_tell(update, context, entry)
    lines = [tm(lang, "imported", name=esc(draft["name"]), id=entry.id, counts=esc(plan_counts(plan, lang))),
             tm(lang, "imported_backup", backup=esc(backup.name if backup else "-"), id=entry.id)]
    if found:
        lines.append(tm(lang, "telling_import", people=tn(lang, "n_people", len(found))))
    await say(update, context, "\n".join(lines))
    send_notices_later(context, found)
    return END


# --- ends of conversations --------------------------------------------------------------------------

async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
    """/cancel, or a ✖ Cancel button: drop the draft, write nothing."""
    if update.callback_query is not None:
        await tapped(update)
    drop(update, context, "add", "edit", "import")
    await say_key(update, context, "cancelled")
    return END


async def busy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Another command in the middle of a conversation."""
    await say_key(update, context, "busy")


async def send_a_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await say_key(update, context, "send_a_file")


async def tap_a_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await say_key(update, context, "tap_a_button")


TIMEOUT_GRACE = 600.0  # seconds after a timeout in which the moderator's next message is taken as meant for it


class TimedOut(filters.MessageFilter):
    """A message from a moderator whose step-by-step change timed out in this chat a moment ago: likely the
    answer they were typing (a claim's text), not a question for the claim base or the review queue."""

    def __init__(self, grace: float = TIMEOUT_GRACE) -> None:
        super().__init__(name="TimedOut")
        self.grace = grace
        self.ended: dict[tuple[int, int], tuple[float, str]] = {}  # (user, chat) -> (when, which conversation)

    def mark(self, user: int, chat: int, name: str) -> None:
        now = time.monotonic()
        for key in [k for k, (when, _) in self.ended.items() if now - when > self.grace]:
            del self.ended[key]
        self.ended[(user, chat)] = (now, name)

    def take(self, user: int, chat: int) -> str | None:
        """Which conversation ended, once; None after the grace period."""
        when, name = self.ended.pop((user, chat), (0.0, ""))
        return name if name and time.monotonic() - when <= self.grace else None

    def filter(self, message: Any) -> bool:
        user, chat = message.from_user, message.chat
        entry = self.ended.get((user.id, chat.id)) if user is not None and chat is not None else None
        return entry is not None and time.monotonic() - entry[0] <= self.grace


def _idle(seconds: float, lang: str) -> str:
    """"1 idle minute", "3 idle minutes", or seconds under a minute: "30 idle seconds"."""
    if seconds < 60:
        return tn(lang, "n_seconds", max(1, round(seconds)))
    return tn(lang, "n_minutes", max(1, round(seconds / 60)))


def timed_out(settings: Settings, name: str, ended: TimedOut) -> Callable:
    async def callback(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The conversation was left idle too long."""
        if isinstance(update, Update) and update.effective_chat is not None:
            drop(update, context, "add", "edit", "import")
            if update.effective_user is not None:
                ended.mark(update.effective_user.id, update.effective_chat.id, name)
            lang = mod_lang(update, context)
            await context.bot.send_message(update.effective_chat.id,
                                           tm(lang, "timed_out", minutes=_idle(settings.moderation_timeout, lang)))
    return callback


def after_timeout(ended: TimedOut) -> Callable:
    async def callback(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The first message after a timeout: say the step had ended; it is neither kept nor looked up."""
        name = ended.take(user_id(update), update.effective_chat.id)
        if name is not None:
            await say_key(update, context, "after_timeout", name=name)
    return callback


# --- registration ------------------------------------------------------------------------------------

def _conversation(name: str, entry_points: list[BaseHandler], states: dict[int, list[BaseHandler]],
                  settings: Settings, ended: TimedOut) -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():  # per_message=False is right here: steps mix buttons and typed text
        warnings.filterwarnings("ignore", message=".*CallbackQueryHandler.*", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=entry_points,
            states={**states, ConversationHandler.TIMEOUT: [TypeHandler(Update, timed_out(settings, name, ended))]},
            fallbacks=[CommandHandler("cancel", cancel), CallbackQueryHandler(cancel, pattern=r"^(add|ed|im):no$"),
                       MessageHandler(filters.COMMAND, busy), MessageHandler(text, tap_a_button)],
            conversation_timeout=settings.moderation_timeout or None,
            name=name,
        )


def conversations(settings: Settings) -> list[BaseHandler]:
    """/add, /edit and /import step by step, then what answers the first message after one timed out (register
    them before the private-chat text handler)."""
    text = filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
    ended = TimedOut()

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
        SRC_KIND: [CallbackQueryHandler(source_kind, pattern=r"^add:k:"), MessageHandler(text, source_kind_typed)],
        SRC_DATE: [typed("sources.1.date", _set_source("date"), SRC_QUOTE, SRC_DATE), skip(SRC_QUOTE)],
        SRC_QUOTE: [typed("sources.1.quote", _set_source("quote"), SRC_URL, SRC_QUOTE), skip(SRC_URL)],
        SRC_URL: [typed("sources.1.url", _set_source("url"), SRC_MORE, SRC_URL), skip(SRC_MORE)],
        SRC_MORE: [CallbackQueryHandler(source_more, pattern=r"^add:s:")],
        STATED_IN: [typed("stated_in.title", _set_stated_in, _after_stated_in, STATED_IN),
                    skip(_after_stated_in)],
        RESTS_ON: [MessageHandler(text, rests_on_ids), CommandHandler("skip", rests_on_skip)],
        REASONING: [typed("reasoning.en", _set_reasoning, ALIASES, REASONING),
                    CommandHandler("skip", reasoning_skip)],
        ALIASES: [typed("aliases", _add_aliases, ADD_ID, ALIASES), skip(ADD_ID)],
        ADD_ID: [MessageHandler(text, id_typed), CallbackQueryHandler(id_kept, pattern=r"^add:id$")],
        ADD_CONFIRM: [CallbackQueryHandler(add_save, pattern=rf"^{SAVE_ADD}"),
                      CallbackQueryHandler(add_view, pattern=r"^add:v:")],
    }, settings, ended)
    edit = _conversation("edit", [CommandHandler("edit", edit_command, filters=COMMAND_MESSAGE)], {
        ED_FIELD: [CallbackQueryHandler(edit_field, pattern=r"^ed:f:")],
        ED_VALUE: [MessageHandler(text, edit_value_typed), CallbackQueryHandler(edit_value_tapped, pattern=r"^ed:v:")],
        ED_CONFIRM: [CallbackQueryHandler(edit_save, pattern=rf"^{SAVE_EDIT}")],
    }, settings, ended)
    imp = _conversation("import", [CommandHandler("import", import_start, filters=COMMAND_MESSAGE),
                                   MessageHandler(IMPORT_CAPTION & filters.UpdateType.MESSAGE, import_start)], {
        IMP_FILE: [MessageHandler(filters.Document.ALL, import_file), MessageHandler(text, send_a_file)],
        IMP_CONFIRM: [CallbackQueryHandler(import_apply, pattern=rf"^{APPLY_IMPORT}")],
    }, settings, ended)
    return [add, edit, imp, MessageHandler(ended & text, after_timeout(ended))]
