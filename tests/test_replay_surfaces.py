"""The issue's acceptance checks, through the command line: python run_bot.py --replay FILE."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def replay(name: str, tmp_path: Path, **env: str) -> list[dict]:
    """Run the fixture through run_bot.py; the Bot API calls it printed, one dict each."""
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("TELEGRAM_BOT_TOKEN", "BOT_USERNAME", "CHANNEL_OPT_IN", "WEBHOOK_URL")}
    environment.update(env)
    command = [sys.executable, "run_bot.py", "--replay", str(DATA / name), "--db", str(tmp_path / "c.json")]
    done = subprocess.run(command, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "update failed" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_thirty_ordinary_group_messages_send_nothing(tmp_path):
    assert sum(1 for line in (DATA / "group_chatter.jsonl").open(encoding="utf-8") if line.strip()) == 30
    assert replay("group_chatter.jsonl", tmp_path) == []


def test_check_in_reply_to_a_claim_gets_exactly_one_answer(tmp_path):
    calls = replay("group_check.jsonl", tmp_path)
    assert [(c["update_id"], c["method"]) for c in calls] == [(2001, "sendMessage")]
    assert "<code>mali-cuts-ties-with-ukraine</code>" in calls[0]["params"]["text"]


def test_why_and_claim_in_a_group_answer_by_id_and_in_reply_to_a_card(tmp_path):
    calls = replay("group_why.jsonl", tmp_path)
    assert [(c["update_id"], c["method"]) for c in calls] == [(3000, "sendMessage"), (3001, "sendMessage"),
                                                              (3002, "sendMessage")]  # /why@otherbot: nothing
    assert calls[0]["params"]["text"].startswith("Why this is inferred")
    assert calls[1]["params"]["text"].startswith("Pourquoi c'est inféré")
    assert "<code>mali-cuts-ties-with-ukraine</code>" in calls[2]["params"]["text"]


def test_commands_for_another_bot_send_nothing(tmp_path):
    assert replay("other_bot.jsonl", tmp_path) == []


def test_a_channel_that_did_not_opt_in_gets_nothing(tmp_path):
    assert replay("channel_not_opted_in.jsonl", tmp_path) == []


def test_the_same_channel_posts_get_notes_once_opted_in(tmp_path):
    calls = replay("channel_not_opted_in.jsonl", tmp_path, CHANNEL_OPT_IN="-1001700000009")
    assert [c["method"] for c in calls] == ["getChat", "sendMessage", "sendMessage"]


def test_an_inline_query_gets_one_answer_with_1_to_50_results(tmp_path):
    calls = replay("inline_query.jsonl", tmp_path)
    assert [c["method"] for c in calls] == ["answerInlineQuery"]
    assert 1 <= len(calls[0]["params"]["results"]) <= 50


def test_the_bot_username_comes_from_the_environment(tmp_path):
    assert replay("group_check.jsonl", tmp_path, BOT_USERNAME="otherbot") == []


def test_offline_an_anonymous_admin_gets_the_settings_panel_and_a_member_is_refused(tmp_path):
    """README: offline, getChatMember answers "member" for everyone, so the way to be a group admin in a replay
    is to send as an anonymous admin (sender_chat: the group itself); the panel's buttons stay refused."""
    calls = replay("group_settings.jsonl", tmp_path)
    assert [(c["update_id"], c["method"]) for c in calls] == [
        (3000, "sendMessage"), (3001, "getChatMember"), (3001, "sendMessage"), (3002, "getChatMember"),
        (3002, "answerCallbackQuery")]
    panel = calls[0]["params"]
    assert "Settings for this group" in panel["text"] and panel["reply_markup"]["inline_keyboard"]
    assert calls[2]["params"]["text"] == calls[4]["params"]["text"] == "Only the group's admins can change my settings."
