"""Moderators get their replies in their language, chosen as for readers: their /lang choice, else Telegram's
language_code, else English. Each command's main reply, the step-by-step prompts and buttons, refusals and
the review queue, through Application.process_update, in English and in French. A domain message from
knowledge/ (why a change is refused, a file's errors) stays English inside a sentence in the moderator's
language."""

from __future__ import annotations

import pytest
import yaml

from bot.render import render_claim
from test_moderation import (EXPLICIT_ID, GROUP, MEMBER, MOD, OTHER, RANDOM_GROUP, buttons, confirm, fifty, harness,
                             make_settings, texts, wait_for)

from helpers.telegram_html import check_telegram_html


def labels(calls) -> list[str]:
    return [b["text"] for c in calls for row in (c.params.get("reply_markup") or {}).get("inline_keyboard", [])
            for b in row]


def said(lang: str, text: str, en: str, fr: str) -> str:
    """The fragment of lang is in text and the other language's is not."""
    mine, other = (fr, en) if lang == "fr" else (en, fr)
    assert mine in text, f"{mine!r} not in {text!r}"
    assert other not in text, f"{other!r} in {text!r}"
    return text


@pytest.fixture(params=["en", "fr"])
def lang(request) -> str:
    return request.param


@pytest.fixture
async def mod(tmp_path, lang):
    """The bot, its moderator MOD's Telegram set to lang."""
    async with harness(make_settings(tmp_path)) as bot:
        bot.language_codes[MOD] = lang
        yield bot


def link_pair(base) -> tuple[str, str]:
    """An inferred claim and an explicit one it does not rest on yet (linking them makes no cycle)."""
    claims = base.store.all()
    inferred = next(c for c in claims if c.link == "inferred")
    explicit = next(c for c in claims if c.link == "explicit" and c.id not in inferred.rests_on)
    return inferred.id, explicit.id


# --- one-step commands ----------------------------------------------------------------------------

async def test_one_step_commands(mod, lang):
    inferred, explicit = link_pair(mod.base)
    steps = [
        ("/modhelp", "<b>Moderator commands</b>", "<b>Commandes des modérateurs</b>"),
        ("/modhelp", "<i>Fields</i>: text.fr", "<i>Champs</i> : text.fr"),
        ("/stats", "<b>Stats, last 14 days</b>", "<b>Statistiques, 14 derniers jours</b>"),
        ("/unmatched", "Nothing to review", "Rien à examiner"),
        (f"/history {EXPLICIT_ID}", "No recorded change to", "Aucune modification enregistrée pour"),
        ("/alias", "Usage: /alias &lt;id&gt; &lt;phrase people type&gt;", "Syntaxe : /alias &lt;id&gt; &lt;phrase"),
        ("/link", "Usage: /link", "Syntaxe : /link"),
        (f"/retire {EXPLICIT_ID}", "Usage: /retire", "Syntaxe : /retire"),
        ("/restore", "Usage: /restore", "Syntaxe : /restore"),
        ("/undo x", "Usage: /undo", "Syntaxe : /undo"),
        ("/history", "Usage: /history", "Syntaxe : /history"),
        ("/edit", "Usage: /edit", "Syntaxe : /edit"),
        (f"/alias {EXPLICIT_ID} zebra quokka rupture", "✅ Saved as change <b>#1</b> (alias). Undo: /undo 1",
         "✅ Enregistré comme modification <b>n° 1</b> (alias). Annuler : /undo 1"),
        (f"/link {inferred} {explicit}", "<b>#2</b> (link)", "<b>n° 2</b> (lien)"),
        (f"/retire {EXPLICIT_ID} duplicate", "<b>#3</b> (retire)", "<b>n° 3</b> (retrait)"),
        (f"/restore {EXPLICIT_ID}", "<b>#4</b> (restore)", "<b>n° 4</b> (restauration)"),
        (f"/edit {EXPLICIT_ID} title Mali breaks with Kyiv", "<b>#5</b> (edit)", "<b>n° 5</b> (modification)"),
        ("/undo 5", "<b>#6</b> (undo)", "<b>n° 6</b> (annulation)"),
        (f"/history {EXPLICIT_ID}", "changes, newest last):", "modifications, la plus récente en dernier) :"),
        (f"/history {EXPLICIT_ID}", f"moderator {MOD} · retire duplicate", f"modérateur {MOD} · retrait duplicate"),
        (f"/history {EXPLICIT_ID}", "Undo one with /undo", "Pour en annuler une : /undo"),
        ("/cancel", "Nothing to cancel.", "Rien à annuler."),
    ]
    for command, en, fr in steps:
        said(lang, texts(await mod.send(command)), en, fr)
    assert mod.base.get(inferred).rests_on[-1] == explicit and mod.base.get(EXPLICIT_ID).active


async def test_a_refused_change_keeps_the_domain_reason_in_english(mod, lang):
    before = mod.snapshot()
    text = said(lang, texts(await mod.send(f"/edit {EXPLICIT_ID} sources.1.date 4 August 2024")),
                "❌ Not changed: ", "❌ Rien n'a été modifié : ")
    assert "must be YYYY" in text  # knowledge/'s message, as it is
    text = said(lang, texts(await mod.send("/undo 99")), "❌ Not changed: ", "❌ Rien n'a été modifié : ")
    assert "there is no change #99" in text
    said(lang, texts(await mod.send("/history nope")), "There is no claim with the id",
         "Aucune affirmation n'a l'identifiant")
    assert mod.snapshot() == before


async def test_export_caption(mod, lang):
    (doc,) = [c for c in await mod.send("/export") if c.method == "sendDocument"]
    count = len(mod.store.all())
    said(lang, doc.params["caption"], f"{count} claims ({count} active, 0 retired). Edit and send it back",
         f"{count} affirmations ({count} actives, 0 retirée). Modifiez le fichier")


async def test_the_moderators_group_replies_in_each_moderators_language(mod, lang):
    said(lang, texts(await mod.send("/stats", chat=GROUP)), "Stats, last 14 days", "Statistiques, 14 derniers jours")


# --- /add and /edit, step by step -----------------------------------------------------------------

async def test_add_step_by_step(mod, lang):
    said(lang, texts(await mod.send("/add")), "Step 1: the claim <b>in French</b>",
         "Étape 1 : l'affirmation <b>en français</b>")
    said(lang, texts(await mod.send("Le Burkina a rompu avec la Suède.")), "Step 2", "Étape 2")
    calls = await mod.send("Burkina Faso cut ties with Sweden.")
    said(lang, texts(calls), "Step 3: how is the claim linked", "Étape 3 : quel est le lien")
    assert buttons(calls) == ["add:l:explicit", "add:l:inferred"]
    said(lang, " ".join(labels(calls)), "✅ explicit: a source says it", "✅ explicite : une source le dit")
    said(lang, texts(await mod.tap("add:l:explicit")), "Step 4: who states it?", "Étape 4 : qui l'affirme ?")
    said(lang, texts(await mod.send("/skip")), "needs the source that states it", "a besoin de la source")
    calls = await mod.send("Ministry of Foreign Affairs of Burkina Faso")
    said(lang, texts(calls), "What kind of source is", "Quel type de source est")
    said(lang, " | ".join(labels(calls)), "official statement | press", "déclaration officielle | presse")
    said(lang, texts(await mod.tap("add:k:0")), "Its date, as precise as known", "Sa date, aussi précise")
    text = said(lang, texts(await mod.send("Aug 2024")), "Send it again, /skip or /cancel.",
                "Renvoyez une valeur corrigée, /skip ou /cancel.")
    assert "must be YYYY" in text
    said(lang, texts(await mod.send("2024-08")), "The source's own words", "Les mots mêmes de la source")
    said(lang, texts(await mod.send("/skip")), "A link to the source", "Un lien vers la source")
    calls = await mod.send("/skip")
    said(lang, texts(calls), "Source saved. Another one?", "Source enregistrée. Une autre ?")
    said(lang, " ".join(labels(calls)), "➕ another source", "➕ une autre source")
    said(lang, texts(await mod.tap("add:s:done")), "Where was the claim read?", "Où l'affirmation a-t-elle été lue ?")
    said(lang, texts(await mod.send("/skip")), "Other ways people may ask", "D'autres façons de la demander")
    calls = await mod.send("Burkina Sweden ties")
    said(lang, texts(calls), "Its id: <code>burkina-faso-cut-ties-sweden</code>",
         "Son identifiant : <code>burkina-faso-cut-ties-sweden</code>")
    said(lang, " ".join(labels(calls)), "✅ keep this id", "✅ garder cet identifiant")
    preview = await mod.tap("add:id")
    assert buttons(preview) == [confirm(preview, "add:ok:"), "add:no", f"add:v:{'en' if lang == 'fr' else 'fr'}"]
    said(lang, " | ".join(labels(preview)), "✅ Save | ✖ Cancel | 👁 as a French reader sees it",
         "✅ Enregistrer | ✖ Annuler | 👁 vue d'un lecteur anglophone")
    said(lang, texts(await mod.tap(confirm(preview, "add:ok:"))), "✅ Saved as change <b>#1</b> (add)",
         "✅ Enregistré comme modification <b>n° 1</b> (ajout)")
    claim = mod.base.get("burkina-faso-cut-ties-sweden")
    assert texts(preview) == render_claim(mod.base, claim, lang).text  # the card a reader of lang gets


async def test_add_inferred_refusals_cancel_and_busy(mod, lang):
    before = mod.snapshot()
    await mod.send("/add")
    await mod.send("/skip")
    said(lang, texts(await mod.send("/skip")), "A claim needs a text in French or English",
         "Une affirmation a besoin d'un texte")
    await mod.send("Mali and Niger broke with Kyiv for the same reason.")
    said(lang, texts(await mod.tap("add:l:inferred")), "who makes this inference", "qui fait cette inférence")
    said(lang, texts(await mod.send("Gobbledygook")), "What kind of source", "Quel type de source")
    said(lang, texts(await mod.send("free text")), "❌ « free text » is not a kind of source. Tap one, or type one of: "
         "official statement, press,", "❌ « free text » n'est pas un type de source. Touchez-en un, ou tapez l'un de : "
         "déclaration officielle, presse,")
    await mod.tap("add:k:3")
    for _ in range(3):
        await mod.send("/skip")
    await mod.tap("add:s:done")
    said(lang, texts(await mod.send("/skip")), "Which claims does the inference rest on?",
         "Sur quelles affirmations repose l'inférence ?")
    said(lang, texts(await mod.send("/skip")), "records the claims it rests on", "indique les affirmations")
    said(lang, texts(await mod.send(f"{EXPLICIT_ID} nope")), "No claim has the id(s): nope.",
         "Aucune affirmation n'a le ou les identifiants : nope.")
    said(lang, texts(await mod.send(EXPLICIT_ID)), "In one sentence: who infers what", "En une phrase : qui infère")
    said(lang, texts(await mod.send("/skip")), "records, in one sentence, who infers what",
         "indique, en une phrase, qui infère quoi")
    said(lang, texts(await mod.send("/stats")), "You are in the middle of a step-by-step change",
         "Vous êtes au milieu d'une modification pas à pas")
    said(lang, texts(await mod.send("/cancel")), "Cancelled. Nothing was changed.", "Annulé. Rien n'a été modifié.")
    assert mod.snapshot() == before
    answers = [c for c in await mod.tap(f"add:ok:{MOD}:00000000") if c.method == "answerCallbackQuery"]
    said(lang, answers[0].params["text"], "This step is over", "Cette étape est terminée")


async def test_edit_step_by_step(mod, lang):
    calls = await mod.send(f"/edit {EXPLICIT_ID}")
    said(lang, texts(calls), f"✏️ Editing <code>{EXPLICIT_ID}</code>. Which field?",
         f"✏️ Modification de <code>{EXPLICIT_ID}</code>. Quel champ ?")
    assert "ed:f:text.en" in buttons(calls) and "text.en" in labels(calls)  # field names are the same in both
    said(lang, labels(calls)[-1], "✖ Cancel", "✖ Annuler")
    calls = await mod.tap("ed:f:link")
    said(lang, texts(calls), "<b>link</b> is now: explicit", "<b>link</b> vaut maintenant : explicit")
    assert buttons(calls) == ["ed:v:explicit", "ed:v:inferred"]
    said(lang, " | ".join(labels(calls)), "explicit | inferred", "explicite | inféré")
    text = said(lang, texts(await mod.tap("ed:v:inferred")), "Send another value, or /cancel.",
                "Envoyez une autre valeur, ou /cancel.")
    assert "needs rests_on" in text  # the domain's reason, in English
    said(lang, texts(await mod.send("/cancel")), "Cancelled.", "Annulé.")
    await mod.send(f"/edit {EXPLICIT_ID} title")
    said(lang, texts(await mod.send("/add")), "You are in the middle of /edit", "Vous êtes au milieu de /edit")
    calls = await mod.send("Mali breaks with Kyiv")
    said(lang, " | ".join(labels(calls)), "✅ Save | ✖ Cancel", "✅ Enregistrer | ✖ Annuler")
    said(lang, texts(await mod.tap(buttons(calls)[0])), "(edit). Undo: /undo 1", "(modification). Annuler : /undo 1")
    assert mod.base.get(EXPLICIT_ID).title == "Mali breaks with Kyiv"


async def test_an_idle_step_stops_in_the_moderators_language(tmp_path, lang):
    async with harness(make_settings(tmp_path, moderation_timeout=0.3)) as bot:
        bot.language_codes[MOD] = lang
        await bot.send("/add")
        stopped = ("⌛ Stopped after", "⌛ Arrêté après")
        await wait_for(lambda: any(str(c.params.get("text")).startswith(stopped) for c in bot.request.calls))
        text = said(lang, texts(bot.request.take()), "Nothing was changed; start again",
                    "Rien n'a été modifié ; recommencez")
        said(lang, text, "⌛ Stopped after 1 idle second. Nothing", "⌛ Arrêté après 1 seconde d'inactivité. Rien")
        said(lang, texts(await bot.send("Le Burkina a rompu avec la Suède.")), "⌛ Your /add had already stopped",
             "⌛ Votre /add était déjà arrêté")


# --- /import ------------------------------------------------------------------------------------------

async def test_import_summary_apply_and_refusals(mod, lang):
    said(lang, texts(await mod.send("/import")), "Send the claim file", "Envoyez le fichier d'affirmations")
    said(lang, texts(await mod.send("plain text")), "as a document (📎)", "comme document (📎)")
    said(lang, texts(await mod.send(document=mod.request.add_file("t", b"claims: []", "notes.txt"))),
         "Send a .yaml, .yml, .json or .jsonl file", "Envoyez un fichier .yaml, .yml, .json ou .jsonl")
    text = said(lang, texts(await mod.send(document=mod.request.add_file("j", b"{not json", "base.json"))),
                "Send another file, or /cancel.", "Envoyez un autre fichier, ou /cancel.")
    assert "not valid JSON" in text  # the domain's message
    exported = [c.to_dict() for c in mod.store.all()]
    content = yaml.safe_dump({"claims": exported + yaml.safe_load(fifty())["claims"][:2]}).encode()
    calls = await mod.send(document=mod.request.add_file("good", content, "base.yaml"))
    unchanged = len(exported)
    said(lang, texts(calls), f"Importing would give: 2 new, 0 changed, 0 retired, 0 restored, {unchanged} unchanged.",
         f"L'import donnerait : 2 nouvelles, 0 modifiée, 0 retirée, 0 restaurée, {unchanged} inchangées.")
    said(lang, texts(calls), "<b>New</b>:\n  <code>up-0</code>", "<b>Nouvelles</b> :\n  <code>up-0</code>")
    assert buttons(calls) == [confirm(calls, "im:ok:"), "im:no"]
    said(lang, " | ".join(labels(calls)), "✅ Apply | ✖ Cancel", "✅ Appliquer | ✖ Annuler")
    said(lang, texts(await mod.tap(confirm(calls, "im:ok:"))), "✅ Imported <b>base.yaml</b> as change <b>#1</b>: 2 new",
         "✅ <b>base.yaml</b> importé comme modification <b>n° 1</b> : 2 nouvelles")
    assert mod.base.get("up-1") is not None
    await mod.send("/import")
    calls = await mod.send(document=mod.request.add_file("again", fifty(), "base.yaml"))
    assert "#2" in texts(await mod.send(f"/alias {EXPLICIT_ID} meanwhile", user=MEMBER))  # another moderator
    said(lang, texts(await mod.tap(confirm(calls, "im:ok:"))), "The base changed since this summary",
         "La base a changé depuis ce résumé")


async def test_a_rejected_file_names_each_claim_and_field_and_fits_one_message(mod, lang):
    claims = [claim for _ in range(4) for claim in yaml.safe_load(fifty())["claims"]]
    for i, claim in enumerate(claims):
        claim["id"], claim["link"] = f"up-{i}", "implicit"
    before = mod.snapshot()
    calls = await mod.send(document=mod.request.add_file("bad", yaml.safe_dump({"claims": claims}).encode(),
                                                         "claims.yaml"), caption="/import")
    text = said(lang, texts(calls), "❌ <b>Rejected</b>: 200 errors. Nothing was changed",
                "❌ <b>Refusé</b> : 200 erreurs. Rien n'a été modifié")
    said(lang, text, "<code>up-0</code>, field <code>link</code>: ", "<code>up-0</code>, champ <code>link</code> : ")
    said(lang, text, "… and 160 more", "… et 160 de plus")
    check_telegram_html(text)  # escaped, and within 4096 UTF-16 units
    assert mod.snapshot() == before and not buttons(calls)


# --- review queue, stats, notices ---------------------------------------------------------------------

async def test_review_queue_and_stats(mod, lang):
    await mod.send("zorblax treaty of Kidal", user=OTHER)
    await mod.send("xqzv plorkk", user=OTHER)
    listing = await mod.send("/unmatched")
    text = said(lang, texts(listing), "<b>To review</b> (2 groups, last 30 days)",
                "<b>À examiner</b> (2 groupes, 30 derniers jours)")
    said(lang, text, "<i>(no match 1; last ", "<i>(sans réponse 1 ; dernière le ")
    said(lang, text, "➕ makes the question an alias", "➕ fait de la question un alias")
    said(lang, " | ".join(labels(listing)), "1. ➕ alias | 1. 🆕 new claim | 1. 🗑 dismiss",
         "1. ➕ alias | 1. 🆕 nouvelle | 1. 🗑 écarter")
    assert all(len(data.encode()) <= 64 for data in buttons(listing))
    first, second = [b[5:] for b in buttons(listing) if b.startswith("un:a:")]
    text = said(lang, texts(await mod.tap(f"un:a:{first}")), "as an alias of which claim?",
                "comme alias de quelle affirmation ?")
    said(lang, text, "Or send: /alias &lt;id&gt; ", "Ou envoyez : /alias &lt;id&gt; ")
    said(lang, texts(await mod.tap(f"un:x:{first}")), "🗑 Dismissed « ", "🗑 Écartée : « ")
    said(lang, texts(await mod.tap("un:x:abcdefghij")), "That question is no longer in the log",
         "Cette question n'est plus dans le journal")
    calls = await mod.tap(f"un:n:{second}")
    said(lang, texts(calls), "From the review queue", "Depuis la file d'examen")
    said(lang, texts(calls), "Step 1", "Étape 1")
    await mod.send("/cancel")
    text = said(lang, texts(await mod.send("/stats 7")), "Questions: 2. Answered 0 (0%)", "Questions : 2. Avec réponse 0 (0%)")
    said(lang, text, "<b>Most asked to review</b> (no answer, or a 👎", "<b>Les plus demandées, à examiner</b> (sans réponse, ou un 👎")
    active = len(mod.store.all(include_retired=False))
    said(lang, text, f"Base: {active} active claims", f"Base : {active} affirmations actives")


async def test_the_alias_candidates_buttons_are_in_the_moderators_language(mod, lang):
    """➕ on a queued question: each button names its claim in the moderator's language (the title only when
    it reads in that language), like the list above it."""
    from bot.render_mod import title_lang

    await mod.send("Qui a entraîné le FLA en Mauritanie ?", user=OTHER)
    await mod.send("Who trained the FLA in Mauritania?", user=OTHER)
    listing = await mod.send("/unmatched")
    shown = 0
    for group in [b for b in buttons(listing) if b.startswith("un:a:")]:
        calls = await mod.tap(group)
        for label, data in zip(labels(calls), buttons(calls)):
            claim = mod.base.get(data.rsplit(":", 1)[1])
            title_fits = bool(claim.title) and title_lang(claim) == lang
            named = claim.title if title_fits else claim.text[lang]
            assert named.startswith(label.removesuffix("…")), (lang, label, named)
            shown += 1
    assert shown >= 3


async def test_correction_notices_are_announced_in_the_moderators_language(tmp_path, lang):
    async with harness(make_settings(tmp_path, correction_notice_days=7)) as bot:
        bot.language_codes[MOD] = lang
        await bot.send(f"/alias {EXPLICIT_ID} zebra quokka rupture")
        await bot.send("zebra quokka rupture", user=OTHER)
        calls = await bot.send(f"/retire {EXPLICIT_ID} merged into another claim")
        said(lang, texts(calls), "📣 Telling 1 person who saw it in the last 7 days",
             "📣 Je préviens 1 personne à qui elle a été montrée depuis 7 jours")


@pytest.mark.parametrize("arg", ["abc", "-5", "0", "3651", "1.5", "7 8", "7days"])
async def test_stats_and_unmatched_refuse_a_bad_days_argument_and_change_nothing(mod, lang, arg):
    await mod.send("zorblax treaty of Kidal", user=OTHER)
    before, logged = mod.snapshot(), mod.app.bot_data["services"].questions.path.read_bytes()
    text = said(lang, texts(await mod.send(f"/stats {arg}")),
                "Usage: /stats [days] (days: a whole number from 1 to 3650; 14 when not given)",
                "Syntaxe : /stats [jours] (jours : un nombre entier de 1 à 3650 ; 14 par défaut)")
    assert "Stats" not in text and "Statistiques" not in text
    text = said(lang, texts(await mod.send(f"/unmatched {arg}")),
                "Usage: /unmatched [days] (days: a whole number from 1 to 3650; 30 when not given)",
                "Syntaxe : /unmatched [jours] (jours : un nombre entier de 1 à 3650 ; 30 par défaut)")
    assert "zorblax" not in text
    assert mod.snapshot() == before and mod.app.bot_data["services"].questions.path.read_bytes() == logged


async def test_one_day_one_group_one_more_are_singular(mod, lang):
    said(lang, texts(await mod.send("/stats 1")), "<b>Stats, last 1 day</b>", "<b>Statistiques, 1 dernier jour</b>")
    said(lang, texts(await mod.send("/unmatched 1")), "every question of the last 1 day got an answer",
         "depuis 1 jour, toutes les questions ont eu une réponse")
    said(lang, texts(await mod.send("/unmatched 3650")), "every question of the last 3650 days got an answer",
         "depuis 3650 jours, toutes les questions ont eu une réponse")
    words = ["zorblax", "quokkafrup", "plimdrav", "xertulon", "bravnik", "cozzumel", "drintova", "frumpel",
             "glabbern", "hexwirt", "jombra"]
    await mod.send(f"{words[0]} treaty", user=OTHER)
    said(lang, texts(await mod.send("/unmatched 1")), "(1 group, last 1 day)", "(1 groupe, 1 dernier jour)")
    for word in words[1:]:
        await mod.send(f"{word} {word[::-1]}", user=OTHER)
    text = said(lang, texts(await mod.send("/unmatched")), "(11 groups, last 30 days)", "(11 groupes, 30 derniers jours)")
    said(lang, text, "… and 1 more group.", "… et 1 autre groupe.")


# --- who chooses the language ---------------------------------------------------------------------

@pytest.mark.parametrize("code, choice, expected", [
    ("en", None, "en"), ("fr", None, "fr"), ("fr-CA", None, "fr"), ("de", None, "en"), (None, None, "en"),
    ("en", "fr", "fr"), ("fr", "en", "en"),
])
async def test_the_lang_choice_then_telegrams_language_then_english(tmp_path, code, choice, expected):
    async with harness(make_settings(tmp_path)) as bot:
        bot.language_codes[MOD] = code
        if choice:
            await bot.send(f"/lang {choice}")
        said(expected, texts(await bot.send("/modhelp")), "<b>Moderator commands</b>", "<b>Commandes des modérateurs</b>")
        said(expected, texts(await bot.send("/unmatched")), "Nothing to review", "Rien à examiner")


async def test_refusals_in_the_askers_language(tmp_path, lang):
    async with harness(make_settings(tmp_path)) as bot:
        bot.language_codes[OTHER] = lang
        said(lang, texts(await bot.send("/stats", user=OTHER)), "This command is for the moderators",
             "Cette commande est réservée aux modérateurs")
        answers = [c for c in await bot.tap("un:x:abcdefghij", user=OTHER) if c.method == "answerCallbackQuery"]
        said(lang, answers[0].params["text"], "for the moderators", "réservée aux modérateurs")
        bot.language_codes[MOD] = lang
        said(lang, texts(await bot.send("/stats", chat=RANDOM_GROUP)), "in a private chat with me",
             "en discussion privée avec moi")
