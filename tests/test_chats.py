"""Per-chat settings: persisted atomically, read back, moved on migration, bounded, clear on damage."""

from __future__ import annotations

import json

import pytest

from bot.chats import MAX_NOTED, ChatSettings, ChatStore
from knowledge.storage import StoreError


def test_settings_survive_a_restart(tmp_path):
    path = tmp_path / "chats.json"
    store = ChatStore(path)
    assert store.get(-1).auto_check is False and -1 not in store
    store.update(-1, auto_check=True, lang="fr", auto_hours=6.0)
    store.update(-2, channel_opt_in=False)
    again = ChatStore(path)
    assert again.get(-1) == ChatSettings(lang="fr", auto_check=True, auto_hours=6.0)
    assert again.get(-2).channel_opt_in is False  # an explicit opt-out is kept, not confused with "unset"
    assert [p.name for p in tmp_path.iterdir()] == ["chats.json"]  # no temporary file left behind


def test_a_failed_write_changes_nothing(tmp_path, monkeypatch):
    path = tmp_path / "chats.json"
    store = ChatStore(path)
    store.update(-1, lang="en")
    before = path.read_bytes()

    def broken(*_args, **_kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("bot.chats.atomic_write_text", broken)
    with pytest.raises(OSError):
        store.update(-1, lang="fr")
    assert store.get(-1).lang == "en" and path.read_bytes() == before


def test_move_follows_a_migrated_group(tmp_path):
    store = ChatStore(tmp_path / "chats.json")
    store.update(-45, auto_check=True)
    assert store.move(-45, -10045) is True
    assert store.move(-45, -10045) is False  # the second service message finds nothing to move
    assert -45 not in store and store.get(-10045).auto_check is True
    assert ChatStore(tmp_path / "chats.json").get(-10045).auto_check is True


def test_recently_answered_respects_the_period(tmp_path):
    now = [1000.0]
    store = ChatStore(tmp_path / "chats.json", clock=lambda: now[0])
    store.mark_answered(-1, "claim-a", hours=1)
    assert store.recently_answered(-1, "claim-a", hours=1)
    assert not store.recently_answered(-1, "claim-b", hours=1)
    assert not store.recently_answered(-2, "claim-a", hours=1)
    now[0] += 3601
    assert not store.recently_answered(-1, "claim-a", hours=1)
    store.mark_answered(-1, "claim-b", hours=1)
    assert list(store.get(-1).answered) == ["claim-b"]  # expired entries are dropped on the next write


def test_noted_posts_are_bounded(tmp_path):
    store = ChatStore(tmp_path / "chats.json")
    for post in range(MAX_NOTED + 5):
        store.mark_noted(-7, post)
    assert len(store.get(-7).noted) == MAX_NOTED
    assert store.was_noted(-7, MAX_NOTED + 4) and not store.was_noted(-7, 0)


def test_a_damaged_file_is_a_clear_error(tmp_path):
    path = tmp_path / "chats.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="chats.json"):
        ChatStore(path)
    path.write_text(json.dumps({"chats": {"abc": {}}}), encoding="utf-8")
    with pytest.raises(StoreError, match="chat abc"):
        ChatStore(path)


def test_unknown_values_fall_back_to_defaults(tmp_path):
    path = tmp_path / "chats.json"
    path.write_text(json.dumps({"chats": {"-1": {"lang": "de", "note_in": "nowhere", "auto_check": "yes"}}}),
                    encoding="utf-8")
    assert ChatStore(path).get(-1) == ChatSettings()
