"""What /import's summary says before ✅ Apply: each claim the file changes and what changes in it (before →
after, the /history change lines), within one message; the reminder of what explicit means when the file makes
claims stated by their sources; and the claims whose version in the file is older than the base's. Raw updates
through Application.process_update, as in test_moderation."""

from __future__ import annotations

from datetime import datetime

import pytest
import yaml

from bot.render import units
from test_moderation import EXPLICIT_ID, MOD, buttons, confirm, harness, make_settings, texts

from helpers.telegram_html import check_telegram_html

INFERRED_ID = "yusov-words-read-as-implicit-admission"
REMINDER = {"en": "Explicit means the stated source says this claim itself",
            "fr": "Explicite veut dire que la source nommée dit elle-même cette affirmation"}


@pytest.fixture(params=["en", "fr"])
def lang(request) -> str:
    return request.param


@pytest.fixture
async def bot(tmp_path, lang):
    async with harness(make_settings(tmp_path)) as h:
        h.language_codes[MOD] = lang
        yield h


def said(lang: str, en: str, fr: str) -> str:
    return en if lang == "en" else fr


def exported(bot) -> list[dict]:
    return [c.to_dict() for c in bot.store.all()]


async def plan_of(bot, claims: list[dict]) -> list:
    document = bot.request.add_file(f"f{len(bot.request.calls)}", yaml.safe_dump({"claims": claims}).encode(),
                                    "base.yaml")
    return await bot.send(document=document, caption="/import")


def plan_text(calls) -> str:
    (text,) = [c.params["text"] for c in calls if c.method == "sendMessage"]
    check_telegram_html(text)
    assert units(text) <= 4096
    return text


async def test_each_changed_claim_shows_what_changes_before_and_after_escaped(bot, lang):
    claims = exported(bot)
    first = next(c for c in claims if c["id"] == EXPLICIT_ID)
    old_text = first["text"]["en"]
    first["text"]["en"] = "Mali cut <ties> with Ukraine & more."
    first["aliases"] = first["aliases"] + ["rupture Mali Kyiv"]
    retired = next(c for c in claims if c["id"] == INFERRED_ID)
    retired["status"] = "retired"
    text = plan_text(await plan_of(bot, claims))
    colon = said(lang, ":", " :")
    lines = text.split("\n")
    head = lines.index(f"  <code>{EXPLICIT_ID}</code>")
    changed_text, aliases = lines[head + 1:head + 3]
    assert changed_text.startswith(f"    text.en{colon} {old_text[:40]}")  # a long before, cut: one line each
    assert changed_text.endswith("… → Mali cut &lt;ties&gt; with Ukraine &amp; more.")
    assert aliases == f"    aliases{colon} + rupture Mali Kyiv"
    assert f"{said(lang, '<b>Retired</b>:', '<b>Retirées</b> :')}\n  <code>{INFERRED_ID}</code>\n" in text
    assert "status" not in text  # a retired claim's group says so; no "active → retired" line


async def test_a_plan_of_many_long_changes_stays_one_message_and_says_how_many_it_left_out(bot, lang):
    claims = exported(bot)
    for claim in claims:
        claim["text"] = {k: v + " Amended at length, " + "word " * 60 for k, v in claim["text"].items()}
        claim["aliases"] = claim["aliases"] + [f"alias {i} of {claim['id']}" for i in range(8)]
        claim["tags"] = claim["tags"] + ["amended"]
        claim["title"] = f"Amended title of {claim['id']}"
    calls = await plan_of(bot, claims)
    text = plan_text(calls)
    shown = text.count("\n  <code>")
    assert 0 < shown < len(claims)
    left = said(lang, f"  … and {len(claims) - shown} more", f"  … et {len(claims) - shown} de plus")
    assert left in text.split("\n")
    assert said(lang, "The whole plan, each change in full: <code>python -m knowledge diff FILE</code>",
                "Le plan entier, chaque modification en entier : <code>python -m knowledge diff FICHIER</code>") in text
    assert said(lang, "Apply?", "Appliquer ?") in text.split("\n")[-1]  # the question is never cut off
    assert "\n…\n" not in text  # nothing dropped by the last resort, every claim shown is whole
    assert buttons(calls) == [confirm(calls, "im:ok:"), "im:no"]
    # each claim shown: four of its changed parts at most (text.fr, text.en, title, aliases, tags), then a count
    blocks = text.split("\n  <code>")[1:]
    assert all(len([line for line in block.split("\n") if line.startswith("    ")]) <= 5 for block in blocks)
    assert said(lang, "    … and 1 more", "    … et 1 de plus") in blocks[0].split("\n")
    await bot.tap(confirm(calls, "im:ok:"))
    assert bot.base.get(EXPLICIT_ID).tags[-1] == "amended"


async def test_a_small_plan_lists_every_claim_and_no_whole_plan_hint(bot, lang):
    claims = exported(bot)
    for claim in claims[:3]:
        claim["aliases"] = claim["aliases"] + ["one more way to ask"]
    text = plan_text(await plan_of(bot, claims))
    assert text.count("\n  <code>") == 3 and "python -m knowledge diff" not in text


async def test_making_a_claim_explicit_by_import_shows_the_edit_reminder(bot, lang):
    claims = exported(bot)
    made = next(c for c in claims if c["id"] == INFERRED_ID)
    made["link"] = "explicit"
    del made["rests_on"], made["reasoning"]
    new = {"id": "up-new", "text": {"en": "A new claim"}, "link": "explicit",
           "sources": [{"name": "Tester", "kind": "press", "date": "2024"}]}
    text = plan_text(await plan_of(bot, [*claims, new]))
    (line,) = [line for line in text.split("\n") if REMINDER[lang] in line]
    assert line.endswith(f"<code>up-new</code>, <code>{INFERRED_ID}</code>")  # the new, then the changed
    assert line.startswith("⚠️")
    assert said(lang, "    link: inferred → explicit", "    link : inferred → explicit") in text
    # the same reminder /edit shows before it makes a claim explicit
    await bot.send("/cancel")
    edit = texts(await bot.send(f"/edit {INFERRED_ID} link explicit"))
    reminder = line.split(said(lang, " After this import", " Après cet import"))[0]
    assert reminder in edit


async def test_new_sources_of_an_explicit_claim_show_the_reminder_and_an_alias_does_not(bot, lang):
    claims = exported(bot)
    explicit = next(c for c in claims if c["id"] == EXPLICIT_ID)
    explicit["aliases"] = explicit["aliases"] + ["Mali Kyiv break"]
    assert REMINDER[lang] not in plan_text(await plan_of(bot, claims))
    await bot.send("/cancel")
    explicit["sources"] = [*explicit["sources"], {"name": "Another outlet", "kind": "press", "date": "2024-08"}]
    text = plan_text(await plan_of(bot, claims))
    assert REMINDER[lang] in text and f"<code>{EXPLICIT_ID}</code>" in text.split(REMINDER[lang])[1].split("\n")[0]


async def test_an_older_version_of_a_claim_is_named_with_the_date_of_the_change_it_undoes(bot, lang):
    claims = exported(bot)
    old = next(c for c in claims if c["id"] == EXPLICIT_ID)
    old["updated_at"] = "2026-01-15"  # an export made before the base's later changes
    assert "/undo 1" in texts(await bot.send(f"/alias {EXPLICIT_ID} a later phrasing"))
    changed_on = bot.base.get(EXPLICIT_ID).updated_at
    other = next(c for c in claims if c["id"] == INFERRED_ID)
    other["updated_at"] = "2026-01-15"  # older too, but as the base has it but for the date: nothing undone
    calls = await plan_of(bot, claims)
    text = plan_text(calls)
    assert said(lang, "⚠️ <b>Older than the base</b>: this file would undo later changes.",
                "⚠️ <b>Plus ancien que la base</b> : ce fichier annulerait des modifications ultérieures.") in text
    warning = said(lang, f"  • this file's version of <code>{EXPLICIT_ID}</code> (2026-01-15) predates the base's "
                         f"change of {changed_on}; importing it undoes it",
                   f"  • la version de <code>{EXPLICIT_ID}</code> dans ce fichier (2026-01-15) est antérieure à la "
                   f"modification de la base du {changed_on} ; l'importer l'annule")
    assert warning in text.split("\n") and INFERRED_ID not in warning and text.count("  • ") == 1
    assert said(lang, "    aliases: − a later phrasing", "    aliases : − a later phrasing") in text
    await bot.send("/cancel")
    claims = exported(bot)  # exported after the change: nothing to warn of
    next(c for c in claims if c["id"] == EXPLICIT_ID)["aliases"].append("yet another")
    assert "⚠️" not in plan_text(await plan_of(bot, claims))


async def test_a_change_made_after_an_export_the_same_day_is_named_with_its_number_and_time(bot, lang):
    """/export, a change in the bot, the exported file sent back: updated_at is the same day in both, the
    export's exported_at and the change's audit time tell it."""
    (doc,) = [c for c in await bot.send("/export") if c.method == "sendDocument"]
    name, content = doc.files["document"]
    stamp = yaml.safe_load(content)["exported_at"]
    assert "/undo 1" in texts(await bot.send(f"/alias {EXPLICIT_ID} a later phrasing"))
    ((entry_id, record),) = bot.store.audit_entries()
    changed_at = datetime.fromisoformat(record["time"]).strftime("%Y-%m-%d %H:%M:%S UTC")
    exported_at = stamp.replace("T", " ").replace("Z", " UTC")
    text = plan_text(await bot.send(document=bot.request.add_file("exported", content, name), caption="/import"))
    warning = said(lang, f"  • <code>{EXPLICIT_ID}</code> was changed by #{entry_id} at {changed_at}, after this "
                         f"file was exported ({exported_at}); importing this file's version undoes it",
                   f"  • <code>{EXPLICIT_ID}</code> a changé (modification n° {entry_id}, le {changed_at}) après "
                   f"l'export de ce fichier ({exported_at}) ; importer la version de ce fichier l'annule")
    assert warning in text.split("\n") and text.count("  • ") == 1
    assert said(lang, "    aliases: − a later phrasing", "    aliases : − a later phrasing") in text


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_longest_warnings_still_leave_the_question_and_one_message(lang):
    """Ids of 48 characters, a file name of 100, a hundred claims each older than the base and made explicit."""
    from knowledge.importing import plan_import
    from knowledge.model import claim_from_dict
    from bot.render_mod import render_plan

    ids = [f"{i:03d}-" + "x" * 44 for i in range(100)]

    def record(claim_id: str, link: str, day: str) -> dict:
        inferred = {"rests_on": [ids[0]], "reasoning": {"en": "Someone infers it."}} if link == "inferred" else {}
        return {"id": claim_id, "text": {"en": "A claim & its <words> " * 10}, "link": link,
                "sources": [{"name": "Tester", "kind": "press"}], "updated_at": day, **inferred}

    base = [claim_from_dict(record(i, "explicit" if i == ids[0] else "inferred", "2026-06-01"), stored=True)
            for i in ids]
    plan = plan_import(base, [record(i, "explicit", "2026-01-01") for i in ids])
    assert len(plan.predating) == len(plan.stated) == 99
    reply = render_plan(plan, "f" * 96 + ".yml", lang, "im:ok:1:abcdef12")
    check_telegram_html(reply.text)
    assert units(reply.text) <= 4096
    assert reply.text.endswith(said(lang, "Apply?", "Appliquer ?"))
    assert said(lang, "  … and 89 more", "  … et 89 de plus") in reply.text.split("\n")  # the older versions
    assert said(lang, "… and 89 more", "… et 89 de plus") in reply.text.split(REMINDER[lang])[1]  # stated
