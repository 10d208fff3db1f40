"""A moderator's save refused because another program wrote the store since the bot read it
(python -m knowledge import while the bot runs on one store without its lock): a polite reply, a log record,
and nothing lost, neither the other program's change nor anything half written."""

from __future__ import annotations

import logging

import yaml

from knowledge.audit import Curator
from knowledge.store import ClaimStore

from test_moderation import EXPLICIT_ID, MOD, confirm, harness, make_settings, texts

NOT_SAVED = "Not saved: the claim base was changed outside the bot"


def write_behind_the_bot(path) -> bytes:
    """A change made by another process on the bot's store file (as python -m knowledge import does); the file after."""
    other = ClaimStore(path)
    entry = Curator(other, via="cli").add_alias(EXPLICIT_ID, "Mali Ukraine rupture from the command line", None)
    assert entry.id == 1
    other.close()
    return path.read_bytes()


async def test_a_save_after_another_program_wrote_the_store_is_refused_politely_and_loses_nothing(tmp_path, caplog):
    async with harness(make_settings(tmp_path)) as bot:
        written = write_behind_the_bot(bot.store.path)
        with caplog.at_level(logging.ERROR):
            calls = await bot.send(f"/alias {EXPLICIT_ID} Mali Ukraine rupture")
        reply = texts(calls)
        assert NOT_SAVED in reply and "restart" in reply and "Saved" not in reply.replace("Not saved", "")
        assert "Traceback" not in reply and "claims.json" not in reply  # no internals
        assert bot.store.path.read_bytes() == written  # the other change and its history entry are kept
        assert bot.store.audit_head() == 0 and "Mali Ukraine rupture" not in bot.base.get(EXPLICIT_ID).aliases
        assert any("not saved" in r.getMessage() and "written by another program" in r.getMessage()
                   for r in caplog.records if r.levelno == logging.ERROR and r.name.startswith("bot."))
        # every later save too, until a restart reads the file again
        assert NOT_SAVED in texts(await bot.send(f"/retire {EXPLICIT_ID} a duplicate"))
        assert bot.store.path.read_bytes() == written
        reopened = ClaimStore(bot.store.path)
        assert [record["note"] for _, record in reopened.audit_entries()] == \
            ["Mali Ukraine rupture from the command line"]
        reopened.close()


async def test_the_refusal_is_in_the_moderators_language(tmp_path):
    async with harness(make_settings(tmp_path)) as bot:
        bot.language_codes[MOD] = "fr"
        write_behind_the_bot(bot.store.path)
        reply = texts(await bot.send(f"/alias {EXPLICIT_ID} rupture"))
        assert "Non enregistré : la base a été modifiée hors du bot" in reply


async def test_an_import_applied_after_another_program_wrote_the_store_writes_nothing_not_even_a_backup(tmp_path):
    async with harness(make_settings(tmp_path)) as bot:
        exported = [c.to_dict() for c in bot.store.all()]
        exported[0]["aliases"] = exported[0]["aliases"] + ["one more phrasing"]
        await bot.send("/import")
        calls = await bot.send(document=bot.request.add_file("f", yaml.safe_dump({"claims": exported}).encode(),
                                                             "base.yaml"))
        apply = confirm(calls, "im:ok:")
        written = write_behind_the_bot(bot.store.path)
        reply = texts(await bot.tap(apply))
        assert NOT_SAVED in reply and "Imported" not in reply
        assert bot.store.path.read_bytes() == written
        assert not bot.settings.backups.exists() or not any(bot.settings.backups.iterdir())
