"""bot/ingress.py: the quick check on every update agrees with cleaning the whole update."""

from __future__ import annotations

import json
from typing import Any, Iterator

import pytest
from telegram import Bot, Update

from bot.ingress import _clean, cleaned_update, needs_cleaning
from bot.offline import OFFLINE_TOKEN

USER = {"id": 7, "is_bot": False, "first_name": "Ana", "last_name": "Lopes", "username": "ana", "language_code": "fr"}
GROUP = {"id": -100123, "type": "supergroup", "title": "Veille Sahel", "username": "veille"}
MESSAGE = {
    "message_id": 5, "date": 1_700_000_000, "chat": GROUP, "from": USER,
    "text": "Did Ukraine help jihadists in Mali?", "entities": [{"type": "text_link", "offset": 0, "length": 3,
                                                                 "url": "https://example.org/a"}],
    "reply_to_message": {"message_id": 4, "date": 1_700_000_000, "chat": GROUP, "from": USER,
                         "caption": "Kyiv a reconnu", "caption_entities": [{"type": "bold", "offset": 0, "length": 4}]},
    "forward_origin": {"type": "channel", "date": 1_700_000_000, "chat": {"id": -1001, "type": "channel",
                                                                           "title": "Sahel Intel"},
                       "message_id": 9, "author_signature": "desk"},
    "quote": {"text": "Kyiv a reconnu", "position": 0},
    "venue": {"location": {"latitude": 19.6, "longitude": 1.2}, "title": "Tinzaouaten", "address": "Kidal"},
}
UPDATES = [
    {"update_id": 1, "message": MESSAGE},
    {"update_id": 2, "callback_query": {"id": "c", "from": USER, "chat_instance": "ci", "data": "why:claim-1",
                                        "message": {"message_id": 6, "date": 1_700_000_000, "chat": GROUP,
                                                    "text": "réponse"}}},
    {"update_id": 3, "inline_query": {"id": "q", "from": USER, "query": "Wagner Tinzaouaten", "offset": "1"}},
    {"update_id": 4, "channel_post": {"message_id": 8, "date": 1_700_000_000, "sender_chat": GROUP, "chat": GROUP,
                                      "caption": "Le GUR a fourni des renseignements"}},
    {"update_id": 5, "message": {**MESSAGE, "future_field": {"note": "kept in api_kwargs"}}},
]


def string_paths(value: Any, path: tuple = ()) -> Iterator[tuple]:
    """The path of every string in JSON-like value, keys included (marked with a trailing 'key')."""
    if isinstance(value, str):
        yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from string_paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from string_paths(item, path + (index,))


def fresh(data: Any) -> Any:
    """A deep copy sharing nothing (de_json replaces the dicts it reads)."""
    return json.loads(json.dumps(data))


def spoiled(data: Any, path: tuple, bad: str) -> Any:
    data = fresh(data)
    target = data
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = target[path[-1]] + bad
    return data


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot(OFFLINE_TOKEN)


@pytest.mark.parametrize("data", UPDATES, ids=lambda d: next(k for k in d if k != "update_id"))
def test_clean_updates_pass_untouched(bot, data):
    update = Update.de_json(fresh(data), bot)
    assert needs_cleaning(update) is False
    assert cleaned_update(update) is None


@pytest.mark.parametrize("bad", ["\ud800", "\x01", "\udfff tail", "\x1f"])
@pytest.mark.parametrize("data", UPDATES, ids=lambda d: next(k for k in d if k != "update_id"))
def test_the_quick_check_finds_every_spoiled_string(bot, data, bad):
    paths = [p for p in string_paths(data) if p[-1] != "type"]  # a spoiled kind is not an update PTB can read
    flagged = 0
    for path in paths:
        update = Update.de_json(spoiled(data, path, bad), bot)
        whole = _clean(update.to_dict())[1]
        assert needs_cleaning(update) == whole, path
        if whole:
            flagged += 1
            assert needs_cleaning(cleaned_update(update)) is False, path
    assert flagged == len(paths)
