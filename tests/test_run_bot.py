"""run_bot.py: --replay FILE|- and the console chat, as real subprocesses, on temporary stores."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from bot.console import console, replay
from bot.settings import Settings
from knowledge.store import ClaimStore

from helpers.proc import run_bot
from helpers.telegram_html import check_telegram_html
from helpers.updates import USER_ID, callback_update, command_update, message_update

EXACT_MALI = "Mali broke off diplomatic relations with Ukraine with immediate effect."


@pytest.fixture
def db(store, store_path) -> Path:
    return store_path


def jsonl(updates: list[dict | str]) -> str:
    return "".join((u if isinstance(u, str) else json.dumps(u)) + "\n" for u in updates)


def parse_output(stdout: str) -> list[dict]:
    out = [json.loads(line) for line in stdout.splitlines()]
    for call in out:
        assert set(call) == {"update_id", "method", "params"}
        assert isinstance(call["update_id"], int) and isinstance(call["params"], dict)
    return out


def replay_updates() -> list[dict]:
    return [
        command_update("start", update_id=1),
        message_update(EXACT_MALI, update_id=2),
        message_update("which country broke off relations with Ukraine", update_id=3),
        callback_update("c:niger-cuts-ties", update_id=4),
        message_update("In a group", chat_type="group", chat_id=-100, update_id=5),
        command_update("claim", "article-thesis", update_id=6),
    ]


def test_replay_file_prints_one_json_line_per_bot_api_call(db, tmp_path):
    sent = replay_updates()
    updates = tmp_path / "updates.jsonl"
    updates.write_text(jsonl(sent), encoding="utf-8")
    result = run_bot("--replay", str(updates), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    calls = parse_output(result.stdout)
    assert [(c["update_id"], c["method"]) for c in calls] == [
        (1, "sendMessage"), (2, "sendMessage"), (3, "sendMessage"),
        (4, "answerCallbackQuery"), (4, "sendMessage"), (6, "sendMessage")]
    for call in calls:
        if call["method"] == "sendMessage":
            params = call["params"]
            assert params["chat_id"] == USER_ID and params["parse_mode"] == "HTML"
            check_telegram_html(params["text"])
    # params are JSON values, not JSON encoded strings
    suggest = calls[2]["params"]
    assert isinstance(suggest["reply_markup"], dict)
    assert suggest["reply_markup"]["inline_keyboard"][0][0]["callback_data"].startswith("cq:")
    assert isinstance(calls[1]["params"]["reply_parameters"], dict)
    assert calls[1]["params"]["reply_parameters"]["message_id"] == sent[1]["message"]["message_id"]
    assert calls[1]["params"]["text"].endswith("🆔 <code>mali-cuts-ties</code>")
    assert calls[4]["params"]["text"].endswith("🆔 <code>niger-cuts-ties</code>")
    assert calls[3]["params"]["callback_query_id"] == sent[3]["callback_query"]["id"]
    assert "setMyCommands" not in {c["method"] for c in calls}
    assert not (tmp_path / "data").exists()


def test_replay_from_stdin_with_bad_lines(db, tmp_path):
    lines = [command_update("help", update_id=10), "this is not json", "[1, 2]", "null", "{}",
             '{"update_id": 11, "message": "hi"}', "", command_update("help", update_id=12, language_code="fr")]
    result = run_bot("--replay", "-", "--db", str(db), cwd=tmp_path, input=jsonl(lines))
    assert result.returncode == 1  # some lines were bad
    calls = parse_output(result.stdout)
    assert [(c["update_id"], c["method"]) for c in calls] == [(10, "sendMessage"), (12, "sendMessage")]
    assert calls[1]["params"]["text"].startswith("Je retrouve")
    err = result.stderr.splitlines()
    assert "Traceback" not in result.stderr
    assert [line.split(":")[0] for line in err] == ["line 2", "line 3", "line 4", "line 5", "line 6"]
    assert all("not a Telegram update" in line for line in err)
    assert "not valid JSON" in err[0] and "array" in err[1] and "null" in err[2] and "update_id" in err[3]


def test_replay_of_a_missing_file_is_a_clear_error(db, tmp_path):
    result = run_bot("--replay", str(tmp_path / "nope.jsonl"), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1 and "nope.jsonl" in result.stderr and "Traceback" not in result.stderr


def test_replay_uses_bot_username_for_commands_addressed_to_the_bot(db, tmp_path):
    lines = [message_update("/help@mybot", update_id=1), message_update("/help@claimbot", update_id=2)]
    result = run_bot("--replay", "-", "--db", str(db), cwd=tmp_path, input=jsonl(lines), BOT_USERNAME="@mybot")
    assert result.returncode == 0, result.stderr
    assert [c["update_id"] for c in parse_output(result.stdout)] == [1]


def test_replay_with_a_damaged_store_says_so(tmp_path):
    damaged = tmp_path / "claims.json"
    damaged.write_text("", encoding="utf-8")
    result = run_bot("--replay", "-", "--db", str(damaged), cwd=tmp_path, input=jsonl([command_update("help")]))
    assert result.returncode == 1 and str(damaged) in result.stderr and "Traceback" not in result.stderr
    assert damaged.read_text(encoding="utf-8") == ""


def test_console_over_a_pipe_on_the_curated_base(tmp_path):
    db = tmp_path / "fresh" / "claims.json"
    questions = ["Does Ukraine support jihadists in Mali?", "How do I bake an apple pie?", "/lang fr",
                 "/claim mali-cuts-ties-with-ukraine"]
    result = run_bot(cwd=tmp_path, input="\n".join(questions) + "\n", CLAIMBOT_DB=str(db))
    assert result.returncode == 0, result.stderr
    assert db.is_file() and len(ClaimStore(db)) >= 20  # seeded on first start
    replies = [block for block in result.stdout.split("\n\n") if block.strip()]
    assert len(replies) == 4, result.stdout
    inferred, weather, lang, claim = replies
    assert "🔎 Inferred" in inferred and "It rests on:" in inferred and "↳" in inferred
    assert weather.startswith("No claim in the base matches your question.")
    assert lang.startswith("Désormais")
    assert "✅ Explicite" in claim and "🆔 mali-cuts-ties-with-ukraine" in claim and "2024" in claim
    assert "<b>" not in result.stdout and "&amp;" not in result.stdout  # plain text, unescaped
    assert "Traceback" not in result.stderr
    questions_log = db.with_name("claims.questions.jsonl")
    assert [json.loads(line)["question"] for line in questions_log.read_text(encoding="utf-8").splitlines()] == \
        questions[:2]


def test_console_db_option_beats_the_environment(tmp_path, db):
    other = tmp_path / "other.json"
    result = run_bot("--db", str(db), cwd=tmp_path, input=EXACT_MALI + "\n", CLAIMBOT_DB=str(other))
    assert result.returncode == 0, result.stderr
    assert "🆔 mali-cuts-ties" in result.stdout and not other.exists()


async def test_console_suggestion_buttons_are_tappable_or_typed(settings, db):
    out = io.StringIO()
    await console(settings, stdin=io.StringIO("which country broke off relations with Ukraine\n#1\n"), stdout=out)
    suggestions, opened = [block for block in out.getvalue().split("\n\n") if block.strip()]
    assert "No claim matches your question closely. Did you mean:" in suggestions
    assert "/claim mali-cuts-ties" in suggestions and "/claim niger-cuts-ties" in suggestions
    first = re.search(r"#1 \[.*\]  \(or /claim (\S+)\)", suggestions).group(1)
    assert f"🆔 {first}" in opened  # '#1' tapped the first suggestion


async def test_replay_in_process_returns_zero_and_keeps_update_ids(settings, db):
    out = io.StringIO()
    source = io.StringIO(jsonl([command_update("why", "article-thesis", update_id=41)]))
    assert await replay(settings, source, out) == 0
    [call] = [json.loads(line) for line in out.getvalue().splitlines()]
    assert call["update_id"] == 41 and "<code>drone-training</code>" in call["params"]["text"]


async def test_console_quit_stops_the_chat_before_the_next_line(settings, db):
    out = io.StringIO()
    await console(settings, stdin=io.StringIO(f"{EXACT_MALI}\n/quit\n{EXACT_MALI}\n"), stdout=out)
    assert out.getvalue().count("🆔 mali-cuts-ties") == 1 and "I do not know that command" not in out.getvalue()


def test_console_keeps_log_records_out_of_the_chat(tmp_path):
    """A refused moderator command logs a warning: it goes to console.log next to the store, not among the replies."""
    db = tmp_path / "data" / "claims.json"
    lines = ["/edit mali-cuts-ties-with-ukraine title Mali breaks with Kyiv", EXACT_MALI]
    result = run_bot("--echo", cwd=tmp_path, input="\n".join(lines) + "\n", CLAIMBOT_DB=str(db))
    assert result.returncode == 0, result.stderr
    refusal, answer = [block for block in result.stdout.split("\n\n") if block.strip()]
    assert refusal == f"> {lines[0]}\nThis command is for the moderators of this bot."
    assert answer.startswith(f"> {EXACT_MALI}\n") and "🆔 mali-cuts-ties-with-ukraine" in answer
    assert result.stderr == ""
    log = (tmp_path / "data" / "console.log").read_text(encoding="utf-8")
    assert "WARNING bot.moderators: moderation: refused /edit" in log


def test_console_logging_falls_back_to_marked_stderr_when_the_file_cannot_be_written(tmp_path, capsys):
    import logging

    from bot.console import console_logging
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        assert console_logging(tmp_path / "a-file" / "console.log", "WARNING") is None
        logging.getLogger("bot.moderators").warning("moderation: refused /edit")
        logging.getLogger("bot.moderators").info("not shown")
    finally:
        for handler in set(root.handlers) - set(handlers):
            root.removeHandler(handler)
        root.setLevel(level)
    assert capsys.readouterr().err == "log: WARNING bot.moderators: moderation: refused /edit\n"


@pytest.mark.parametrize("args", [["--replay", "tests/data/group_check.jsonl"], []])
def test_a_reader_that_leaves_early_ends_the_run_quietly(tmp_path, args):
    """`python run_bot.py --replay FILE | head`: the pipe closes before the bot writes; no BrokenPipeError traceback."""
    import subprocess
    import sys

    from helpers.proc import REPO, clean_env
    process = subprocess.Popen([sys.executable, str(REPO / "run_bot.py"), *args, "--db", str(tmp_path / "c.json")],
                               cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env=clean_env())
    process.stdout.close()  # before the bot is even up: every write it makes finds the pipe closed
    _, err = process.communicate(input=f"{EXACT_MALI}\n".encode(), timeout=60)
    assert process.returncode == 1 and err.decode() == ""


def test_replay_without_db_runs_on_a_throwaway_copy_of_the_bundled_claims(tmp_path):
    """Test updates never write the real store or question log (data/, CLAIMBOT_DB), and nothing is left behind."""
    (tmp_path / "tmp").mkdir()
    env_db = tmp_path / "env" / "claims.json"
    lines = [message_update("Did Mali cut ties with Ukraine?", update_id=1), command_update("help", update_id=2)]
    result = run_bot("--replay", "-", cwd=tmp_path, input=jsonl(lines), CLAIMBOT_DB=str(env_db),
                     CLAIMBOT_QUESTIONS=str(tmp_path / "q.jsonl"), TMPDIR=str(tmp_path / "tmp"))
    assert result.returncode == 0, result.stderr
    card, help_text = parse_output(result.stdout)
    assert card["params"]["text"].endswith("🆔 <code>mali-cuts-ties-with-ukraine</code>")  # the bundled claims
    assert help_text["method"] == "sendMessage"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp"] and list((tmp_path / "tmp").iterdir()) == []


def test_replay_with_db_uses_that_store_and_its_question_log(db, tmp_path):
    result = run_bot("--replay", "-", "--db", str(db), cwd=tmp_path, input=jsonl([message_update(EXACT_MALI)]))
    assert result.returncode == 0, result.stderr
    logged = db.with_name("claims.questions.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["question"] for line in logged] == [EXACT_MALI]


MAKE_EXPLICIT = "yusov-words-read-as-implicit-admission link explicit"


def test_a_prepared_replay_cannot_tap_a_tokened_save_button(tmp_path):
    """README: the ✅ Save of an /edit card names a token made for that card, which a file written beforehand
    cannot know: its tap saves nothing."""
    updates = [command_update("edit", MAKE_EXPLICIT), callback_update(f"ed:ok:{USER_ID}:00000000")]
    result = run_bot("--replay", "-", cwd=tmp_path, input=jsonl(updates), MODERATOR_IDS=str(USER_ID))
    calls = [json.loads(line) for line in result.stdout.splitlines()]
    (alert,) = [c for c in calls if c["method"] == "answerCallbackQuery"]
    assert "out of date" in alert["params"]["text"] and "Saved" not in result.stdout


def test_replay_fed_step_by_step_taps_the_save_button_it_was_just_shown(tmp_path):
    """README: with --replay -, each update's calls are printed (and flushed, even into a pipe) before the next
    line is read, so the next line can tap a button whose data the bot just made."""
    import queue
    import subprocess
    import sys
    import threading

    from helpers.proc import REPO, clean_env

    env = {k: v for k, v in clean_env(MODERATOR_IDS=str(USER_ID)).items() if k != "PYTHONUNBUFFERED"}
    process = subprocess.Popen([sys.executable, str(REPO / "run_bot.py"), "--replay", "-"], cwd=tmp_path,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", env=env)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)
    reader.start()
    try:
        process.stdin.write(jsonl([command_update("edit", MAKE_EXPLICIT)]))
        process.stdin.flush()
        save = None
        while save is None:  # the warning, then the card with its buttons; nothing printed yet: a timeout
            save = next(iter(re.findall(rf"ed:ok:{USER_ID}:[0-9a-f]+", lines.get(timeout=30))), None)
        process.stdin.write(jsonl([callback_update(save)]))
        process.stdin.close()
        assert process.wait(timeout=60) == 0
    finally:
        process.kill()
    reader.join(timeout=10)
    rest = "".join(lines.get() for _ in range(lines.qsize()))
    assert "Saved as change <b>#1</b>" in rest


def test_the_console_prunes_the_question_log_at_start_as_the_bot_does(tmp_path):
    db = tmp_path / "claims.json"
    log = tmp_path / "claims.questions.jsonl"
    old = {"time": "2020-01-01T00:00:00+00:00", "question": "asked in 2020", "outcome": "none", "matches": [],
           "user_id": 1, "chat_type": "private", "qid": "old0000001"}
    log.write_text(json.dumps(old) + "\n", encoding="utf-8")
    result = run_bot(cwd=tmp_path, input=EXACT_MALI + "\n", CLAIMBOT_DB=str(db), CLAIMBOT_QUESTIONS_KEEP_DAYS="30")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["question"] for line in log.read_text(encoding="utf-8").splitlines()] == [EXACT_MALI]
