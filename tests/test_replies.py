"""bot/handlers/replies.py: the send options are the JSON PTB would make of its objects."""

from __future__ import annotations

import json

from telegram import ReplyParameters

from bot.handlers.replies import NO_PREVIEW, keyboard, send_options
from bot.render import Reply


def as_sent(value) -> str:
    """A parameter as PTB puts it in the request body."""
    return json.dumps(value.to_dict() if hasattr(value, "to_dict") else value)


def test_send_options_are_what_the_ptb_objects_would_send_byte_for_byte():
    reply = Reply("x", [[("1. Mali « cuts » ties", "cq:abc:mali-cuts-ties")], [("👍", "fb:u:abc"), ("👎", "fb:d:abc")]])
    options = send_options(reply, 42)
    assert as_sent(options["link_preview_options"]) == as_sent(NO_PREVIEW)
    assert as_sent(options["reply_markup"]) == as_sent(keyboard(reply))
    assert as_sent(options["reply_parameters"]) == as_sent(
        ReplyParameters(message_id=42, allow_sending_without_reply=True))


def test_send_options_without_buttons_or_message_to_reply_to():
    assert send_options(Reply("x")) == {"link_preview_options": {"is_disabled": True}}


def test_the_application_has_no_ptb_defaults_that_raw_send_options_would_skip(tmp_path):
    """send_options bypasses PTB's objects: PTB Defaults (parse mode, link preview, …) would not reach them."""
    from bot.app import build_application
    from bot.offline import RecordingRequest
    from bot.settings import Settings

    app = build_application(Settings(db_path=tmp_path / "claims.json"), request=RecordingRequest())
    assert app.bot.defaults is None
