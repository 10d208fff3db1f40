"""Private chat handlers, driven by raw update JSON through Application.process_update."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace

import pytest
from telegram import Update

from bot.app import build_application
from bot.offline import ApiCall, RecordingRequest
from bot.render import claim_callback, parse_claim_callback
from knowledge.audit import Curator
from knowledge.base import ClaimBase
from knowledge.questions import QuestionLog

from helpers.claims import import_without_article
from helpers.telegram_html import check_telegram_html
from helpers.updates import USER_ID, callback_update, command_update, edited_message_update, message_update

EXACT_MALI = "Mali broke off diplomatic relations with Ukraine with immediate effect."
AMBIGUOUS = "which country broke off relations with Ukraine"
OFF_TOPIC = "What's the weather in Paris?"


async def process(app, update: dict) -> list[ApiCall]:
    """Run one raw update through the application; the Bot API calls it made."""
    request: RecordingRequest = app.bot.request
    request.take()
    await app.process_update(Update.de_json(update, app.bot))
    return request.take()


def one_message(calls: list[ApiCall], chat_id: int = USER_ID) -> dict:
    """The single sendMessage among calls, checked as Telegram would check it."""
    sent = [c for c in calls if c.method == "sendMessage"]
    assert len(sent) == 1, [c.method for c in calls]
    params = sent[0].params
    assert params["chat_id"] == chat_id
    assert params["parse_mode"] == "HTML"
    assert params["link_preview_options"] == {"is_disabled": True}
    check_telegram_html(params["text"])
    markup = params.get("reply_markup")
    if markup:
        for row in markup["inline_keyboard"]:
            for button in row:
                assert len(button["callback_data"].encode()) <= 64 and button["text"]
    return params


def buttons(params: dict) -> list[tuple[str, str]]:
    markup = params.get("reply_markup") or {"inline_keyboard": []}
    return [(b["text"], b["callback_data"]) for row in markup["inline_keyboard"] for b in row]


# --- set-up ---------------------------------------------------------------

async def test_set_my_commands_is_called_at_initialize(app, request_recorder):
    menus = [c for c in request_recorder.calls if c.method == "setMyCommands"]
    calls = [c for c in menus if c.params["scope"] == {"type": "all_private_chats"}]
    assert [c.params.get("language_code") for c in calls] == [None, "fr"]
    for call in menus:
        for command in call.params["commands"]:
            assert re.fullmatch(r"[a-z0-9_]{1,32}", command["command"])
            assert 0 < len(command["description"]) <= 256
    for call in calls:
        names = [c["command"] for c in call.params["commands"]]
        assert names == ["ask", "claim", "why", "lang", "privacy", "help"]
    assert "Chercher" in calls[1].params["commands"][0]["description"]


# --- /start and /help -----------------------------------------------------

async def test_start_greets_and_explains(app):
    update = command_update("start")
    params = one_message(await process(app, update))
    assert params["text"].startswith("Hello! ")
    assert "explicit" in params["text"] and "inferred" in params["text"] and "/why" in params["text"]
    assert params["reply_parameters"]["message_id"] == update["message"]["message_id"]
    assert not buttons(params)


async def test_start_in_french_for_a_french_client(app):
    params = one_message(await process(app, command_update("start", language_code="fr")))
    assert params["text"].startswith("Bonjour ! ") and "explicite" in params["text"]


@pytest.mark.parametrize("payload, expected", [
    ("claim-mali-cuts-ties", "🆔 <code>mali-cuts-ties</code>"),
    ("claim-article-thesis", "🆔 <code>article-thesis</code>"),
    ("claim-nothing-here", "There is no claim with the id <code>nothing-here</code>"),
    ("cref-deadbeef", "This link does not open any claim: it is unknown or out of date."),
    ("claim-", "Send /claim followed by a claim id"),
    ("unrelated", "Hello! "),
])
async def test_start_deep_link_opens_the_claim(app, payload, expected):
    params = one_message(await process(app, command_update("start", payload)))
    assert expected in params["text"]
    assert "deadbeef" not in params["text"]  # a link's digest is no claim id to show


async def test_an_unknown_cref_link_is_out_of_date_in_french_too(app):
    params = one_message(await process(app, command_update("start", "cref-deadbeef", language_code="fr")))
    assert params["text"].replace("&#x27;", "'").startswith("Ce lien n'ouvre aucune affirmation")


@pytest.mark.parametrize("code, start", [(None, "I look up a claim"), ("en", "I look up a claim"),
                                         ("fr", "Je retrouve une affirmation"),
                                         ("fr-CA", "Je retrouve une affirmation"),
                                         ("de", "I look up a claim")])
async def test_help_in_the_client_language(app, code, start):
    params = one_message(await process(app, command_update("help", language_code=code)))
    assert params["text"].startswith(start)
    assert "&lt;question&gt;" in params["text"]


@pytest.mark.parametrize("code, start", [("en", "I do not know that command"), ("fr", "Je ne connais pas")])
async def test_an_unknown_command_gets_a_pointer_to_help(app, code, start):
    params = one_message(await process(app, command_update("foo", "bar", language_code=code)))
    assert params["text"].startswith(start) and "/help" in params["text"]


@pytest.mark.parametrize("command, code, start", [
    ("settings", "en", "/settings works in groups: there, an admin of the group sends /settings@claimbot"),
    ("settings", "fr", "/settings s'utilise dans les groupes"),
    ("check", "en", "/check works in groups: there, reply /check@claimbot to a message"),
    ("check@claimbot", "fr", "/check s'utilise dans les groupes"),
    ("optin", "en", "/optin works in channels: an admin posts it in a channel where I am an admin"),
    ("optout", "fr", "/optout s'utilise dans les canaux"),
    ("Settings", "en", "/settings works in groups"),
])
async def test_a_group_or_channel_command_in_private_says_where_it_works(app, settings, command, code, start):
    params = one_message(await process(app, command_update(command, language_code=code)))
    assert params["text"].replace("&#x27;", "'").startswith(start), params["text"]
    assert not settings.question_log.exists()


# --- questions ------------------------------------------------------------

async def test_ask_answers_with_the_claim_card(app, settings):
    params = one_message(await process(app, command_update("ask", EXACT_MALI)))
    text = params["text"]
    assert "Mali broke off diplomatic relations with Ukraine" in text
    assert "<b>Explicit</b>: stated directly by Malian transitional government" in text
    assert "avec effet immédiat" in text and text.endswith("🆔 <code>mali-cuts-ties</code>")
    logged = [json.loads(line) for line in settings.question_log.read_text(encoding="utf-8").splitlines()]
    assert logged[-1]["question"] == EXACT_MALI and logged[-1]["outcome"] == "answer"
    assert logged[-1]["matches"][0] == "mali-cuts-ties" and logged[-1]["user_id"] == USER_ID
    assert logged[-1]["chat_type"] == "private"


@pytest.mark.parametrize("args", ["", "   "])
async def test_ask_without_a_question_explains_how(app, settings, args):
    params = one_message(await process(app, message_update("/ask" + args)))
    assert params["text"].startswith("Send /ask followed by your question")
    assert not settings.question_log.exists()


async def test_plain_text_is_a_question(app):
    params = one_message(await process(app, message_update(EXACT_MALI)))
    assert "🆔 <code>mali-cuts-ties</code>" in params["text"]


async def test_a_french_question_gets_a_french_answer(app):
    question = "Le Mali a rompu ses relations diplomatiques avec l'Ukraine avec effet immédiat."
    params = one_message(await process(app, message_update(question)))
    assert "<b>Affirmation</b> : " + question in params["text"].replace("&#x27;", "'")
    assert "<b>Explicite</b>" in params["text"]


async def test_an_inferred_answer_shows_what_it_rests_on(app):
    params = one_message(await process(app, message_update("Ukraine indirectly supports the jihadists in Mali.")))
    text = params["text"]
    assert "<b>Inferred</b>" in text and "It rests on:" in text
    assert "<code>ukraine-helped-rebels</code>" in text and "<code>mali-cuts-ties</code>" in text
    assert "/why article-thesis" in text


async def test_a_caption_is_a_question(app):
    params = one_message(await process(app, message_update(caption=EXACT_MALI)))
    assert "🆔 <code>mali-cuts-ties</code>" in params["text"]


async def test_an_off_topic_question_gets_a_clear_no_match(app, settings):
    params = one_message(await process(app, message_update(OFF_TOPIC)))
    assert params["text"].startswith("No claim in the base matches your question.")
    assert not buttons(params)
    logged = json.loads(settings.question_log.read_text(encoding="utf-8").splitlines()[-1])
    assert logged["outcome"] == "none" and logged["question"] == OFF_TOPIC


async def test_suggestions_come_with_buttons_that_open_the_claim(app):
    params = one_message(await process(app, message_update(AMBIGUOUS)))
    assert params["text"].startswith("No claim matches your question closely. Did you mean:")
    found = buttons(params)
    assert 2 <= len(found) <= 3
    opens = {parse_claim_callback(data)[1]: data for _, data in found}
    assert {"mali-cuts-ties", "niger-cuts-ties"} <= set(opens)
    asked = list(QuestionLog(app.bot_data["services"].questions.path))[-1]
    assert {parse_claim_callback(data)[0] for data in opens.values()} == {asked.key}  # the question they answer
    calls = await process(app, callback_update(opens["niger-cuts-ties"]))
    assert calls[0].method == "answerCallbackQuery"
    opened = one_message(calls)
    assert opened["text"].endswith("🆔 <code>niger-cuts-ties</code>")
    assert "reply_parameters" not in opened
    # the card it opens takes 👍/👎 on that question: a 👎 puts it in the review queue
    assert [b["callback_data"] for b in opened["reply_markup"]["inline_keyboard"][-1]] == \
        [f"fb:u:{asked.key}", f"fb:d:{asked.key}"]


def test_suggestion_callback_data_round_trips_and_stays_within_64_bytes():
    assert parse_claim_callback(claim_callback("mali-cuts-ties", "AbC-12_xyz")) == ("AbC-12_xyz", "mali-cuts-ties")
    assert parse_claim_callback(claim_callback("clef:vclaim.7", "q1")) == ("q1", "clef:vclaim.7")
    assert parse_claim_callback(claim_callback("x" * 48, "AbC-12_xyz")) == ("AbC-12_xyz", "x" * 48)
    assert parse_claim_callback("c:old-style-button") == (None, "old-style-button")  # buttons sent before
    assert len(claim_callback("x" * 60, "AbC-12_xyz").encode()) <= 64


async def test_a_button_for_a_claim_that_is_gone(app):
    calls = await process(app, callback_update("c:gone-claim"))
    assert calls[0].method == "answerCallbackQuery"
    assert "There is no claim with the id <code>gone-claim</code>" in one_message(calls)["text"]


async def test_a_long_message_is_cut_not_refused(app):
    params = one_message(await process(app, message_update(("Mali Ukraine relations " * 400)[:4096])))
    assert params["text"]


# --- /claim and /why ------------------------------------------------------

@pytest.mark.parametrize("arg", ["mali-cuts-ties", "  mali-cuts-ties ", "MALI-CUTS-TIES"])
async def test_claim_shows_a_known_claim(app, arg):
    params = one_message(await process(app, command_update("claim", arg)))
    assert params["text"].endswith("🆔 <code>mali-cuts-ties</code>")
    assert "Malian transitional government" in params["text"]


@pytest.mark.parametrize("command", ["claim", "why"])
async def test_words_after_the_id_are_left_aside(app, command):
    params = one_message(await process(app, command_update(command, "mali-cuts-ties please")))
    assert "<code>mali-cuts-ties</code>" in params["text"] and "no claim" not in params["text"]
    params = one_message(await process(app, command_update(command, "nope-id with more words")))
    assert "<code>nope-id</code>." in params["text"] and "more words" not in params["text"]


async def test_claim_unknown_id_is_escaped(app):
    params = one_message(await process(app, command_update("claim", '<b>x</b>&"y"')))
    assert "<code>&lt;b&gt;x&lt;/b&gt;&amp;\"y\"</code>" in params["text"]
    assert params["text"].startswith("There is no claim with the id")


async def test_claim_without_id_explains_how(app):
    params = one_message(await process(app, command_update("claim")))
    assert params["text"].startswith("Send /claim followed by a claim id")


async def test_claim_in_french_for_a_claim_only_in_english(app):
    params = one_message(await process(app, command_update("claim", "yusov-information", language_code="fr")))
    assert "<b>Affirmation</b>" in params["text"] and "les informations nécessaires" in params["text"]
    params = one_message(await process(app, command_update("claim", "fr-only", language_code="en")))
    assert "(only available in French)" in params["text"]


async def test_why_shows_the_chain(app):
    params = one_message(await process(app, command_update("why", "article-thesis")))
    text = params["text"]
    assert text.startswith("Why this is inferred, step by step:")
    for cid in ("article-thesis", "ukraine-helped-rebels", "yusov-information", "drone-training", "mali-cuts-ties"):
        assert f"<code>{cid}</code>" in text
    assert "Andriy Yusov, GUR spokesman, 2024-07-29" in text


async def test_why_on_an_explicit_claim(app):
    params = one_message(await process(app, command_update("why", "niger-cuts-ties", language_code="fr")))
    assert params["text"].startswith("Cette affirmation est explicite")


# --- a retired premise ------------------------------------------------------

RETIRED_MARKS = {"en": "⚠️ [retired by the moderators]", "fr": "⚠️ [retirée par les modérateurs]"}


def line_of(text: str, claim_id: str) -> str:
    return next(line for line in text.splitlines() if f"<code>{claim_id}</code>" in line)


@pytest.mark.parametrize("code, notice", [("en", "Part of what this rests on has been retired by the moderators"),
                                          ("fr", "Une partie de ce sur quoi cela repose a été retirée")])
async def test_a_retired_premise_is_marked_on_the_card_and_in_why(app, base, code, notice):
    """An inference is judged by what it rests on: a premise the moderators retired never reads as standing."""
    Curator(base).retire("mali-cuts-ties", "duplicate", moderator=1)
    mark = RETIRED_MARKS[code]
    card = one_message(await process(app, message_update("Ukraine indirectly supports the jihadists in Mali.",
                                                         language_code=code)))["text"]
    assert "<code>article-thesis</code>" in card and notice in card
    assert mark in line_of(card, "mali-cuts-ties") and mark not in line_of(card, "ukraine-helped-rebels")
    why = one_message(await process(app, command_update("why", "article-thesis", language_code=code)))["text"]
    assert notice in why
    assert mark in line_of(why, "mali-cuts-ties")
    assert all(mark not in line_of(why, cid) for cid in ("article-thesis", "ukraine-helped-rebels", "drone-training"))


async def test_a_premise_retired_further_down_the_chain_is_named_on_the_card_and_marked_in_why(app, base):
    Curator(base).retire("drone-training", "source withdrawn", moderator=1)
    card = one_message(await process(app, command_update("claim", "article-thesis")))["text"]
    assert "Part of the chain this rests on has been retired by the moderators" in card
    assert RETIRED_MARKS["en"] not in card  # the card lists the direct premises, both standing
    why = one_message(await process(app, command_update("why", "article-thesis")))["text"]
    assert RETIRED_MARKS["en"] in line_of(why, "drone-training")
    direct = one_message(await process(app, command_update("claim", "ukraine-helped-rebels")))["text"]
    assert RETIRED_MARKS["en"] in line_of(direct, "drone-training")


@pytest.fixture
async def app_without_article(tmp_path, settings):
    """The bot over the curated base plus claims imported from a bare file: they record no stated_in."""
    base = ClaimBase.open(import_without_article(tmp_path))
    async with build_application(settings, request=RecordingRequest("claimbot"), base=base) as application:
        yield application


@pytest.mark.parametrize("lang, bare, cited", [
    ("en", "<b>Stated by</b>:", "<b>Stated by</b> (as cited by the article):"),
    ("fr", "<b>Source</b> :", "<b>Source citée</b> (telle que citée par l'article) :")])
async def test_a_card_speaks_of_an_article_only_when_the_claim_records_one(app_without_article, lang, bare, cited):
    app = app_without_article
    asked = "Did Mali expel the French ambassador?"
    for update in (message_update(asked, language_code=lang), command_update("claim", "plain-1", language_code=lang),
                   command_update("why", "plain-1", language_code=lang)):
        text = one_message(await process(app, update))["text"]
        assert "<b>Reuters</b>" in text and bare in text
        assert "article" not in text and "cité" not in text
    author = one_message(await process(app, command_update("claim", "plain-author", language_code=lang)))["text"]
    assert f"<b>Jane Roe</b> · {'auteur' if lang == 'fr' else 'author'}\n" in author and "article" not in author
    comment = one_message(await process(app, command_update("claim", "plain-comment", language_code=lang)))["text"]
    head = "Commentaire d'un lecteur" if lang == "fr" else "Reader comment"
    assert f"<b>{head}</b>" in comment and "<b>Omar</b>" in comment and "article" not in comment
    # a claim that records where it was read keeps saying so
    read = one_message(await process(app, command_update("claim", "mali-cuts-ties-with-ukraine", language_code=lang)))
    assert cited in read["text"]


@pytest.mark.parametrize("arg, start", [("", "Send /why followed by a claim id"),
                                        ("no-such", "There is no claim with the id")])
async def test_why_without_or_with_an_unknown_id(app, arg, start):
    params = one_message(await process(app, command_update("why", arg)))
    assert params["text"].startswith(start)


# --- /lang ----------------------------------------------------------------

async def test_lang_sets_the_reply_language_for_this_user(app):
    params = one_message(await process(app, command_update("lang", "fr", language_code="en")))
    assert params["text"] == "Désormais, je réponds en français."
    params = one_message(await process(app, command_update("help", language_code="en")))
    assert params["text"].startswith("Je retrouve une affirmation")
    params = one_message(await process(app, message_update(OFF_TOPIC, language_code="en")))
    assert params["text"].startswith("Aucune affirmation")
    other = one_message(await process(app, command_update("help", user_id=777, language_code="en")), chat_id=777)
    assert other["text"].startswith("I look up a claim")  # another user keeps English
    params = one_message(await process(app, command_update("lang", "EN")))
    assert params["text"] == "From now on I reply in English."
    assert one_message(await process(app, command_update("help")))["text"].startswith("I look up a claim")


@pytest.mark.parametrize("arg, code, expected", [
    ("de", "en", "Send /lang fr or /lang en to choose. Until you do, I reply in English, the language of your "
                 "Telegram app."),
    ("", "fr", "Envoyez /lang fr ou /lang en pour choisir. D'ici là, je réponds en français, la langue de votre "
               "application Telegram."),
    ("<b>", None, "Send /lang fr or /lang en to choose. Until you do, I reply in the language of your Telegram app "
                  "when it is French or English; otherwise in the language of your question, or, when that is "
                  "unclear (and for /help and buttons), in that of your last question."),
    ("", "de", "Send /lang fr or /lang en to choose. Until you do, I reply in the language of your Telegram app "
               "when it is French or English; otherwise"),
])
async def test_lang_with_a_bad_or_missing_choice(app, arg, code, expected):
    params = one_message(await process(app, command_update("lang", arg, language_code=code)))
    assert params["text"].replace("&#x27;", "'").startswith(expected)


async def test_lang_says_a_choice_wins_over_the_telegram_language(app):
    await process(app, command_update("lang", "fr", language_code="en"))
    params = one_message(await process(app, command_update("lang", language_code="en")))
    assert params["text"].replace("&#x27;", "'") == ("Envoyez /lang fr ou /lang en. Je réponds en français, comme "
                                                     "vous l'avez choisi avec /lang.")


# --- what is ignored ------------------------------------------------------

@pytest.mark.parametrize("update", [
    message_update(EXACT_MALI, chat_type="group", chat_id=-100123),
    edited_message_update(EXACT_MALI),
])
async def test_groups_and_edits_get_no_reply(app, update):
    assert await process(app, update) == []


# --- errors ---------------------------------------------------------------

@pytest.mark.parametrize("code, polite", [("en", "Sorry, something went wrong on my side."),
                                          ("fr", "Désolé, un problème est survenu de mon côté.")])
async def test_a_failing_handler_gets_a_polite_reply_and_a_log_entry(app, monkeypatch, caplog, code, polite):
    def broken_search(*args, **kwargs):
        raise RuntimeError("secret internals at /srv/claims.json")

    monkeypatch.setattr(app.bot_data["services"].base, "search", broken_search)
    with caplog.at_level(logging.ERROR):
        params = one_message(await process(app, message_update(EXACT_MALI, language_code=code)))
    assert params["text"].startswith(polite)
    assert "secret" not in params["text"] and "RuntimeError" not in params["text"]
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and errors[0].exc_info and isinstance(errors[0].exc_info[1], RuntimeError)


async def test_a_failing_button_gets_a_polite_reply(app, monkeypatch, caplog):
    def broken_find(*args, **kwargs):
        raise KeyError("internal")

    monkeypatch.setattr(app.bot_data["services"].base, "find_id", broken_find)
    with caplog.at_level(logging.ERROR):
        calls = await process(app, callback_update("c:mali-cuts-ties"))
    assert one_message(calls)["text"].startswith("Sorry, something went wrong")
    assert any(isinstance(r.exc_info[1], KeyError) for r in caplog.records if r.exc_info)


async def test_the_token_never_reaches_the_log(tmp_path, caplog, claims):
    from bot.app import build_application
    from bot.settings import Settings
    from knowledge.base import ClaimBase
    from knowledge.store import ClaimStore

    token = "987654:SECRET-token-value"
    settings = Settings(token=token, db_path=tmp_path / "c.json", questions_path=tmp_path / "q.jsonl",
                        rate_limit=False)
    app = build_application(settings, request=RecordingRequest(),
                            base=ClaimBase(ClaimStore(tmp_path / "c.json", seed=claims)))
    with caplog.at_level(logging.DEBUG):
        async with app:
            app.bot_data["services"].base.search = lambda *a, **k: 1 / 0
            await app.process_update(Update.de_json(message_update("anything about Wagner?"), app.bot))
    assert "SECRET" not in caplog.text and "SECRET" not in repr(settings)
    assert "ZeroDivisionError" in caplog.text


async def test_a_claim_id_with_dots_and_colons_opens_from_its_deep_link(app, base, claims):
    """A start payload holds only A-Z a-z 0-9 _ -: such an id travels as a digest and still opens."""
    from dataclasses import replace

    from bot.render_surfaces import deep_link, start_payload

    odd = replace(claims[0], id="clef:vclaim.2020-7")
    base.save(odd)
    link = deep_link("claimbot", odd.id)
    payload = link.split("start=", 1)[1]
    assert payload == start_payload(odd.id) and re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)
    params = one_message(await process(app, command_update("start", payload)))
    assert "🆔 <code>clef:vclaim.2020-7</code>" in params["text"]
    stale = one_message(await process(app, command_update("start", start_payload("clef:gone.1"))))
    assert stale["text"].startswith("This link does not open any claim: it is unknown or out of date.")


@pytest.mark.parametrize("code, head, by, mark", [
    ("fr", "<b>Commentaire d'un lecteur sous l'article</b> :", "affirmé directement par Christian (commentaire de lecteur)",
     "« <i>Zelensky tente un coup</i> »"),
    ("en", "<b>Reader comment under the article</b>:", "stated directly by Christian (reader comment)",
     "“<i>Zelensky tente un coup</i>”"),
])
async def test_a_reader_comment_card_says_what_it_is_in_the_users_language(app, base, code, head, by, mark):
    from knowledge.model import claim_from_dict

    from helpers.claims import explicit
    record = explicit("comment-coup", "Zelensky is trying a coup.", "Zelensky tente un coup.", source="Christian",
                      kind="reader comment", date=None, quote="Zelensky tente un coup")
    record["stated_in"]["part"] = {"fr": "commentaire d'un lecteur", "en": "reader comment"}
    base.save(claim_from_dict(record))
    text = one_message(await process(app, command_update("claim", "comment-coup", language_code=code)))["text"]
    assert head in text and by in text and mark in text
    assert ("(tel" not in text and "as cited" not in text and "citée" not in text)
    assert ("reader comment" not in text) if code == "fr" else ("commentaire" not in text)


@pytest.mark.parametrize("message_text, code, expected", [
    ("Aucune affirmation ne correspond de près à votre question. Vouliez-vous dire :", None, "💬 <b>Affirmation</b>"),
    ("No claim matches your question closely. Did you mean:", None, "💬 <b>Claim</b>"),
    ("Aucune affirmation ne correspond de près à votre question. Vouliez-vous dire :", "en", "💬 <b>Claim</b>"),
])
async def test_a_tapped_suggestion_opens_in_the_language_it_was_offered_in(app, message_text, code, expected):
    """Without a Telegram language, the card follows the suggestions tapped, as the reply to a question does."""
    params = one_message(await process(app, callback_update("c:mali-cuts-ties", message_text=message_text,
                                                            language_code=code)))
    assert params["text"].startswith(expected)


@pytest.mark.parametrize("card_text, expected", [
    ("Affirmation : Le Mali a rompu ses relations diplomatiques avec l'Ukraine.", "Merci. Les modérateurs"),
    ("Claim: Mali broke off diplomatic relations with Ukraine.", "Thanks. The moderators"),
])
async def test_the_thanks_for_a_vote_is_in_the_language_of_the_card(app, card_text, expected):
    calls = await process(app, callback_update("fb:d:AbC-12_xyz", message_text=card_text))
    assert calls[0].method == "answerCallbackQuery" and calls[0].params["text"].startswith(expected)


# --- the reply language of what carries no question: taps, /help --------------------------------------

def save_card_with_french_quotes(base) -> None:
    """A claim whose English card quotes French (its source's words, the article's title), as the seed's do."""
    from knowledge.model import claim_from_dict

    from helpers.claims import explicit
    record = explicit("ghulam-joined-jnim", "Around mid-2024, Hussein Ghulam joined JNIM.",
                      "Vers la mi-2024, Hussein Ghulam a rejoint le JNIM.", source="Le Monde",
                      quote="il a rejoint le JNIM avec ses hommes")
    record["stated_in"]["title"] = "Quand l'Ukraine forme aux drones de guerre et soutient les rebelles au Mali"
    base.save(claim_from_dict(record))


@pytest.mark.parametrize("question, thanks", [("Did Ghulam join JNIM?", "Thanks. The moderators"),
                                              ("Ghulam a-t-il rejoint le JNIM ?", "Merci. Les modérateurs")])
async def test_a_vote_is_thanked_in_the_language_the_card_was_shown_in(app, base, question, thanks):
    """The card's words cannot tell: an English card quoting French sources was thanked in French."""
    from bot.render import html_to_text
    save_card_with_french_quotes(base)
    card = one_message(await process(app, message_update(question)))
    assert card["text"].endswith("🆔 <code>ghulam-joined-jnim</code>")
    vote = next(data for _, data in buttons(card) if data.startswith("fb:d:"))
    calls = await process(app, callback_update(vote, message_text=html_to_text(card["text"])))
    assert calls[0].method == "answerCallbackQuery" and calls[0].params["text"].startswith(thanks)


async def test_a_tap_on_a_message_without_labels_follows_the_last_question(app):
    await process(app, message_update("Le Mali a-t-il rompu avec l'Ukraine ?"))
    calls = await process(app, callback_update("fb:u:AbC-12_xyz", message_text="…"))
    assert calls[0].params["text"] == "Merci pour votre avis."


async def test_help_after_french_questions_is_in_french_unless_told_otherwise(app):
    await process(app, message_update("Le Mali a-t-il rompu avec l'Ukraine ?"))
    assert one_message(await process(app, command_update("help")))["text"].startswith("Je retrouve une affirmation")
    # a question that tells no language ("JNIM ?") keeps the conversation's language
    assert one_message(await process(app, message_update("JNIM ?")))["text"].startswith("Aucune affirmation")
    await process(app, command_update("lang", "en"))  # an explicit choice wins
    await process(app, message_update("Le Mali a-t-il rompu avec l'Ukraine ?"))
    assert one_message(await process(app, command_update("help")))["text"].startswith("I look up a claim")


async def test_telegrams_language_still_wins_over_the_last_question(app):
    await process(app, message_update("Le Mali a-t-il rompu avec l'Ukraine ?", language_code="en"))
    help_text = one_message(await process(app, command_update("help", language_code="en")))["text"]
    assert help_text.startswith("I look up a claim")
    assert "seen_lang" not in app.user_data.get(USER_ID, {})  # remembered only when nothing else decides


# --- small talk: what the bot does, and nothing for the moderators --------------------------------------

@pytest.mark.parametrize("text, code, start", [
    ("hello", None, "👋 I look up claims"), ("thanks", None, "👋 I look up claims"),
    ("merci", None, "👋 Je retrouve des affirmations"), ("Bonjour !", None, "👋 Je retrouve des affirmations"),
    ("?", None, "👋 I look up claims"), ("👍🙏", None, "👋 I look up claims"),
    ("how are you?", None, "👋 I look up claims"), ("?", "fr", "👋 Je retrouve des affirmations"),
    ("/ask hello", None, "👋 I look up claims"),
])
async def test_small_talk_gets_what_the_bot_does_and_is_not_logged(app, settings, text, code, start):
    params = one_message(await process(app, message_update(text, language_code=code)))
    assert params["text"].startswith(start) and "/help" in params["text"]
    assert len(params["text"]) <= 4096 and not buttons(params)
    assert not settings.question_log.exists()  # not a question for the moderators' review queue


async def test_a_short_real_question_is_still_looked_up_and_logged(app, settings):
    params = one_message(await process(app, message_update("Wagner?")))
    assert not params["text"].startswith("👋")
    assert [a.question for a in QuestionLog(settings.question_log)] == ["Wagner?"]


@pytest.mark.parametrize("word", ["Wagner", "Yusov", "abc"])
async def test_a_hashtag_is_looked_up_as_its_word(app, settings, word):
    """'#Wagner' in Telegram is a hashtag: the user names a topic, so it gets what 'Wagner' gets (a card,
    suggestions, or the plain no-match that says the question is saved), never a reply about buttons."""
    tagged = one_message(await process(app, message_update(f"#{word}")))
    plain = one_message(await process(app, message_update(word)))
    assert tagged["text"] == plain["text"] and not tagged["text"].startswith("👋")
    assert [a.question for a in QuestionLog(settings.question_log)] == [f"#{word}", word]


async def test_a_stale_moderator_button_answers_in_the_language_of_the_last_question(app):
    from bot.i18n_mod import tm
    await process(app, message_update("Le Mali a-t-il rompu avec l'Ukraine ?"))
    calls = await process(app, callback_update("add:ok", message_text="…"))
    assert calls[0].method == "answerCallbackQuery" and calls[0].params["text"] == tm("fr", "step_over")


async def test_a_merci_in_an_english_conversation_does_not_switch_it_to_french(app):
    await process(app, message_update("Did Mali cut ties with Ukraine?"))
    assert one_message(await process(app, message_update("merci")))["text"].startswith("👋 Je retrouve")
    assert one_message(await process(app, command_update("help")))["text"].startswith("I look up a claim")
    await process(app, message_update("Le Mali a-t-il rompu avec l'Ukraine ?"))  # a question does
    assert one_message(await process(app, command_update("help")))["text"].startswith("Je retrouve")


@pytest.fixture
async def curated_app(tmp_path, settings, request_recorder):
    """The bot over the bundled (curated) claim base, as `make run` starts it."""
    from bot.app import build_application
    from knowledge.base import ClaimBase

    application = build_application(settings, request=request_recorder,
                                    base=ClaimBase.open(tmp_path / "curated" / "claims.json"))
    async with application:
        yield application


@pytest.mark.parametrize("greeting, code", [("hello", "en"), ("bonjour", "fr")])
async def test_the_example_the_greeting_gives_gets_a_card_on_the_curated_base(curated_app, greeting, code):
    """A new user tries the greeting's example first: it must open a claim, not a 'did you mean' list."""
    import html

    greeted = one_message(await process(curated_app, message_update(greeting, language_code=code)))["text"]
    examples = re.findall(r"<i>(.+?)</i>", greeted)
    assert len(examples) == 1, greeted
    params = one_message(await process(curated_app, message_update(html.unescape(examples[0]), language_code=code)))
    assert "🆔 <code>" in params["text"], params["text"]  # a claim card
    assert [data[:3] for _, data in buttons(params)] == ["fb:", "fb:"]  # 👍/👎 of an answer, no suggestions


async def test_a_question_with_other_dates_gets_the_claim_as_a_suggestion_saying_so(curated_app):
    params = one_message(await process(curated_app, message_update(
        "Did Niger break relations with Ukraine on August 4?", language_code="en")))
    assert params["text"].startswith("A claim of the base is about this, but it states other dates or numbers")
    assert "On 6 August 2024, Niger" in params["text"]
    assert buttons(params)[0][1].endswith("niger-cuts-ties-with-ukraine")


# --- /privacy ----------------------------------------------------------------

@pytest.mark.parametrize("keep_days, lang, kept", [
    (90, "en", "Questions are deleted after 90 days."),
    (30, "fr", "Les questions sont effacées au bout de 30 jours."),
    (None, "en", "Questions are kept until the bot's operators delete them."),
])
async def test_privacy_says_what_is_kept_and_for_how_long(settings, request_recorder, base, keep_days, lang, kept):
    application = build_application(replace(settings, questions_keep_days=keep_days), request=request_recorder,
                                    base=base)
    async with application:
        params = one_message(await process(application, command_update("privacy", language_code=lang)))
    assert params["text"].endswith(kept)
    assert ("user id" if lang == "en" else "identifiant Telegram") in params["text"]
