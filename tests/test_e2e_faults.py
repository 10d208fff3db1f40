"""End to end over real HTTP: `python run_bot.py` polls a fake Bot API on 127.0.0.1 that fails on purpose.

429 with retry_after, 500 and 502, connections closed before and after the call was acted on,
answers that come after the bot's timeout, a bad request, and the port refusing connections for a
second: every update is answered exactly once (none lost, none twice), the token never shows in
the log, and the bot stops by itself on SIGTERM. Loopback only, bounded in time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

from fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "987654:E2E-secret-token-never-logged"
DATE = 1722800000
QUESTIONS = ["Did Mali cut ties with Ukraine?", "Le Niger a-t-il rompu avec l'Ukraine ?", "Who is Hussein Ghulam?",
             "Does Ukraine support jihadists in Mali?", "What's the weather in Paris?", "/help", "/start",
             "/claim mali-cuts-ties-with-ukraine"]
GROUP = {"id": -1001500000001, "type": "supergroup", "title": "Sahel news"}

PLAN = {
    "getMe": {1: "500"},
    "deleteWebhook": {1: "502"},
    "getUpdates": {3: "500", 5: "drop-before", 7: "429", 9: "drop-after", 11: "500"},
    "sendMessage": {2: "429", 5: "500", 8: "502", 11: "drop-after", 14: "stall-after", 17: "400",
                    20: "500", 23: "drop-after", 26: "stall-after", 29: "429", 32: "drop-before-retry"},
    "answerInlineQuery": {1: "500"},
}
# "drop-before" on a send cannot be told apart from "drop-after" by the bot, which then never repeats
# the send (at most once): the plan uses it only where the call is a lookup or getUpdates.
PLAN["sendMessage"][32] = "502"


def make_updates() -> tuple[list[dict], dict[int, tuple[int, int]], list[str], list[int]]:
    """Private questions from 12 users, group chatter, inline queries.

    Returns the updates, the (chat, message id) each private update must be answered at, the inline
    query ids, and the update ids that must get nothing."""
    updates, expect, inline, silent = [], {}, [], []
    number = 0
    for round_ in range(4):
        for user in range(12):
            number += 1
            uid = 600 + user
            text = QUESTIONS[(user + round_) % len(QUESTIONS)]
            person = {"id": uid, "is_bot": False, "first_name": f"U{user}", "language_code": "en"}
            message = {"message_id": number, "date": DATE, "chat": {"id": uid, "type": "private", "first_name": "U"},
                       "from": person, "text": text}
            if text.startswith("/"):
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
            updates.append({"update_id": 100 + number, "message": message})
            expect[100 + number] = (uid, number)
        number += 1
        updates.append({"update_id": 100 + number, "message": {
            "message_id": number, "date": DATE, "chat": GROUP, "text": "lol who cares about Mali",
            "from": {"id": 700 + round_, "is_bot": False, "first_name": "G"}}})
        silent.append(100 + number)
        number += 1
        updates.append({"update_id": 100 + number, "inline_query": {
            "id": f"iq{round_}", "from": {"id": 650, "is_bot": False, "first_name": "I"},
            "query": "Mali Ukraine", "offset": ""}})
        inline.append(f"iq{round_}")
    return updates, expect, inline, silent


async def test_every_update_answered_exactly_once_through_faults(tmp_path):
    api = FakeBotApi(TOKEN, PLAN, stall_seconds=2.0)
    url = await api.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "CHANNEL_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=url, TELEGRAM_TIMEOUT="1", LOG_LEVEL="DEBUG",
               CLAIMBOT_DB=str(tmp_path / "claims.json"), PYTHONUNBUFFERED="1")
    process = await asyncio.create_subprocess_exec(sys.executable, "run_bot.py", cwd=ROOT, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    log_task = asyncio.ensure_future(process.stderr.read())
    updates, expect, inline, silent = make_updates()
    try:
        for start in range(0, len(updates), 10):  # in batches, the faults fall in between
            api.add_updates(updates[start:start + 10])
            await asyncio.sleep(0.4)
            if start == 20:
                await api.refuse_connections(1.0)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            answered = {(s.params["chat_id"], s.params.get("reply_parameters", {}).get("message_id"))
                        for s in api.sends()}
            if set(expect.values()) <= answered and len(api.sends("answerInlineQuery")) >= len(inline):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(3.0)  # a send repeated after a timeout would show up by now
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(process.wait(), timeout=20)
        except asyncio.TimeoutError:
            process.kill()
            await process.wait()
        log = (await log_task).decode("utf-8", "replace")
        await api.stop()

    assert process.returncode == 0, log[-3000:]
    sent = [(s.params["chat_id"], s.params.get("reply_parameters", {}).get("message_id")) for s in api.sends()]
    for update_id, target in expect.items():
        assert sent.count(target) == 1, f"update {update_id}: answered {sent.count(target)} times\n{log[-3000:]}"
    assert len(sent) == len(expect)  # nothing else, nothing in the group
    assert not any(chat == GROUP["id"] for chat, _ in sent)
    assert sorted(s.params["inline_query_id"] for s in api.sends("answerInlineQuery")) == sorted(inline)
    done = {fault for _, _, fault in api.faults_done}
    assert {"429", "500", "502", "400", "drop-after", "stall-after", "drop-before"} <= done, api.faults_done
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "retry" in log and "not repeated" in log and "update failed: BadRequest" in log
    error_replies = [s.params["text"] for s in api.sends() if "went wrong" in s.params["text"].lower()]
    assert len(error_replies) == 1 and "BadRequest" not in error_replies[0] and TOKEN not in error_replies[0]


async def test_a_rejected_token_stops_the_bot_with_a_clear_error_and_never_shows(tmp_path):
    """PTB's InvalidToken quotes the token: neither the log nor the error message may."""
    api = FakeBotApi("111:the-right-one")
    url = await api.start()
    wrong = "222:WRONG-token-must-not-show"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(TELEGRAM_BOT_TOKEN=wrong, TELEGRAM_API_URL=url, LOG_LEVEL="DEBUG",
               CLAIMBOT_DB=str(tmp_path / "claims.json"))
    try:
        process = await asyncio.create_subprocess_exec(sys.executable, "run_bot.py", cwd=ROOT, env=env,
                                                       stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    finally:
        await api.stop()
    output = (out + err).decode("utf-8", "replace")
    assert process.returncode == 1 and "rejected TELEGRAM_BOT_TOKEN" in output
    assert wrong not in output and wrong.split(":")[1] not in output and "InvalidToken" in output


async def test_a_token_revoked_while_running_stops_the_bot_cleanly(tmp_path):
    """PTB's polling gives up on a rejected token but would leave the process idle: the bot stops, says why."""
    api = FakeBotApi(TOKEN)
    url = await api.start()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=url, CLAIMBOT_DB=str(tmp_path / "claims.json"),
               PYTHONUNBUFFERED="1")
    process = await asyncio.create_subprocess_exec(sys.executable, "run_bot.py", cwd=ROOT, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    log_task = asyncio.ensure_future(process.stderr.read())
    try:
        deadline = time.monotonic() + 30
        while api.calls["getUpdates"] < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        api.token = "987654:the-new-token"  # revoked in @BotFather
        await asyncio.wait_for(process.wait(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await api.stop()
    log = (await log_task).decode("utf-8", "replace")
    assert process.returncode == 1 and "rejected TELEGRAM_BOT_TOKEN" in log and "Application.stop() complete" in log
    assert TOKEN not in log and "Task was destroyed" not in log


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def run_to_the_end(env: dict[str, str], timeout: float = 30) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(sys.executable, "run_bot.py", cwd=ROOT, env=env,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), timeout=timeout)
    return process.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


def bot_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "WEBHOOK_", "LOG_LEVEL", "STARTUP_"))}
    env.update(TELEGRAM_BOT_TOKEN=TOKEN, CLAIMBOT_DB=str(tmp_path / "claims.json"), PYTHONUNBUFFERED="1", **extra)
    return env


async def test_telegram_unreachable_at_start_is_one_line_without_a_traceback(tmp_path):
    """Nothing listens at the Bot API address: after its tries, one error line, status 1, no token."""
    env = bot_env(tmp_path, TELEGRAM_API_URL=f"http://127.0.0.1:{free_port()}", STARTUP_RETRIES="0")
    code, out, err = await run_to_the_end(env)
    assert code == 1 and out == ""
    assert err.splitlines()[-1].startswith("error: could not reach Telegram (NetworkError (ConnectError), 1 try in ")
    assert err.splitlines()[-1].endswith("s); check TELEGRAM_API_URL and the token")
    assert "Traceback" not in err and "Network Retry Loop" not in err
    assert TOKEN not in err and TOKEN.split(":")[1] not in err


async def test_start_up_is_tried_again_until_telegram_answers(tmp_path):
    """getMe fails through the first try (the request's own retries included): start-up tries again, then polls."""
    api = FakeBotApi(TOKEN, {"getMe": {n: "500" for n in range(1, 5)}})
    url = await api.start()
    try:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "run_bot.py", cwd=ROOT, env=bot_env(tmp_path, TELEGRAM_API_URL=url),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        deadline = time.monotonic() + 30
        while api.calls["getUpdates"] < 1 and process.returncode is None and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        polled = api.calls["getUpdates"]
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), timeout=20)
    finally:
        await api.stop()
    log = err.decode("utf-8", "replace")
    assert polled >= 1 and api.calls["getMe"] == 5, log[-2000:]  # 4 failed (the first try), then the second
    assert process.returncode == 0 and "error:" not in log and TOKEN not in log
