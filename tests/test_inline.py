"""Inline mode, fed raw update JSON: claim cards, a hint for empty or off-topic queries, feedback logged."""

from __future__ import annotations

from knowledge.base import ClaimBase
from knowledge.questions import QuestionLog

from bot.handlers.inline import MAX_CARDS, claim_card
from bot.render import MAX_MESSAGE
from helpers.claims import import_without_article
from telegram_kit import (ALICE, BRUNO, RETIRED_PREMISE, THESIS, base, bot, premise_line, retired_base,
                          start_harness)

MALI_ID = "mali-cuts-ties-with-ukraine"


def inline_query(query: str, user: dict = ALICE, query_id: str = "q1") -> dict:
    return {"inline_query": {"id": query_id, "from": user, "query": query, "offset": "", "chat_type": "supergroup"}}


async def test_a_query_gets_claim_cards(bot):
    calls = await bot.feed(inline_query("Did Mali cut ties with Ukraine?"))
    assert [c.method for c in calls] == ["answerInlineQuery"]
    params = calls[0].params
    results = params["results"]
    assert 1 <= len(results) <= MAX_CARDS
    assert results[0]["id"] == MALI_ID
    assert params["cache_time"] == 300 and params["is_personal"] is True
    base = bot.app.bot_data["services"].base
    for result in results:
        claim = base.get(result["id"])
        assert claim is not None and result["type"] == "article"
        assert result["description"].startswith("Explicit · stated by" if claim.link == "explicit"
                                                 else "Inferred · an interpretation by")
        content = result["input_message_content"]
        assert content["parse_mode"] == "HTML" and f"<code>{claim.id}</code>" in content["message_text"]
        button = result["reply_markup"]["inline_keyboard"][0][0]
        assert button["url"] == f"https://t.me/claimbot?start=claim-{claim.id}"


async def test_cards_follow_the_users_language(bot):
    calls = await bot.feed(inline_query("Le Mali a-t-il rompu avec l'Ukraine ?", user=BRUNO))
    first = calls[0].params["results"][0]
    assert first["description"].startswith("Explicite · affirmé par")
    assert "<b>Affirmation</b>" in first["input_message_content"]["message_text"]


async def test_an_empty_query_gets_a_hint(bot):
    calls = await bot.feed(inline_query(""))
    params = calls[0].params
    assert [r["id"] for r in params["results"]] == ["~hint"]
    assert params["button"] == {"text": "How to use this bot", "start_parameter": "inline-help"}


async def test_an_off_topic_query_gets_a_hint_not_an_error(bot):
    calls = await bot.feed(inline_query("best pizza recipe with pineapple"))
    results = calls[0].params["results"]
    assert [r["id"] for r in results] == ["~none"]
    assert "pizza" in results[0]["title"]


async def test_a_chosen_card_is_logged_for_the_moderators(bot, tmp_path):
    chosen = {"chosen_inline_result": {"result_id": MALI_ID, "from": ALICE, "query": "mali ukraine"}}
    hint = {"chosen_inline_result": {"result_id": "~hint", "from": ALICE, "query": ""}}
    assert await bot.feed(chosen, hint) == []
    logged = list(QuestionLog(tmp_path / "claims.questions.jsonl"))
    assert [(q.question, q.matches, q.chat_type) for q in logged] == [("mali ukraine", [MALI_ID], "inline")]


async def test_every_claim_card_fits_a_message(bot):
    base = bot.app.bot_data["services"].base
    context = type("Context", (), {"bot": bot.app.bot, "bot_data": bot.app.bot_data})()
    for claim in base.store.all():
        for lang in ("fr", "en"):
            card = claim_card(context, claim, lang)
            assert len(card.input_message_content.message_text) <= MAX_MESSAGE
            assert len(card.id.encode()) <= 64 and card.title


async def test_a_reader_comment_card_in_french_is_all_french(bot):
    calls = await bot.feed(inline_query("Zelensky tente un coup", user=BRUNO))
    first = calls[0].params["results"][0]
    assert first["id"] == "comment-zelensky-attempting-coup"
    assert first["description"] == "Explicite · affirmé par Christian (commentaire de lecteur)"
    card = first["input_message_content"]["message_text"]
    assert "<b>Commentaire d'un lecteur sous l'article</b> :" in card and "« <i>Zelensky tente un coup</i> »" in card
    assert "reader comment" not in card and "citée" not in card


async def test_a_source_name_follows_the_users_language_in_inline_cards(bot):
    calls = await bot.feed(inline_query("What did Yusov say?", user=ALICE))
    first = calls[0].params["results"][0]
    assert first["id"] == "yusov-rebels-received-necessary-information"
    assert first["description"] == ("Explicit · stated by Andriy Yusov, GUR/HUR spokesman (television interview, "
                                    "Suspilne / Rada TV)")
    card = first["input_message_content"]["message_text"]
    assert "GUR/HUR spokesman (television interview, Suspilne / Rada TV)" in card and "porte-parole" not in card


async def test_an_inline_card_speaks_of_an_article_only_when_the_claim_records_one(tmp_path):

    harness = await start_harness(tmp_path, ClaimBase.open(import_without_article(tmp_path)))
    for user, bare_head in ((ALICE, "<b>Stated by</b>:"), (BRUNO, "<b>Source</b> :")):
        calls = await harness.feed(inline_query("Mali expelled the French ambassador", user=user))
        first = calls[0].params["results"][0]
        card = first["input_message_content"]["message_text"]
        assert first["id"] == "plain-1" and bare_head in card and "<b>Reuters</b>" in card
        assert "article" not in card and "cité" not in card
    await harness.app.shutdown()


async def test_a_retired_premise_is_marked_in_the_inline_card(tmp_path, retired_base):
    harness = await start_harness(tmp_path, retired_base)
    calls = await harness.feed(inline_query("Ukraine supports jihadists in Mali", user=BRUNO))
    card = next(r for r in calls[0].params["results"] if r["id"] == THESIS)["input_message_content"]["message_text"]
    assert "Une partie de ce sur quoi cela repose a été retirée par les modérateurs" in card
    assert "⚠️ [retirée par les modérateurs]" in premise_line(card, RETIRED_PREMISE)
    await harness.app.shutdown()


async def test_an_inferred_inline_card_names_the_why_command_addressed_to_the_bot(bot):
    """A card sent through inline mode lands in any chat: /why@<bot> reaches the bot in a group, /why alone may not."""
    calls = await bot.feed(inline_query("Ukraine supports jihadists in Mali"))
    card = next(r for r in calls[0].params["results"] if r["id"] == THESIS)["input_message_content"]["message_text"]
    assert card.endswith(f"Full chain: /why@claimbot {THESIS}")
