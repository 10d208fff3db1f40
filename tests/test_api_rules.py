"""The Bot API rules the offline request applies: what Telegram accepts and what it answers with 400."""

from __future__ import annotations

import pytest

from bot.api_rules import call_problem, html_problem


@pytest.mark.parametrize("text", [
    "plain", "<b>bold</b> &amp; <i>it</i>", "&lt;b&gt; &quot; &#128077; &#x1F44D;", "<code>x</code>",
    '<a href="https://t.me/claimbot?start=claim-x">more</a>', "<b><i>nested</i></b>", "a > b".replace(">", "&gt;"),
    '<span class="tg-spoiler">s</span>', '<pre><code class="language-python">x</code></pre>',
    "<blockquote expandable>q</blockquote>", "x" * 4096, "🔎" * 2048,
])
def test_valid_html(text):
    assert html_problem(text) is None


@pytest.mark.parametrize("text, why", [
    ("", "empty"), ("   \n", "empty"), ("<b></b>", "empty"),
    ("a & b", "entity"), ("&nbsp;", "entity"), ("a < b", "tag"), ("a > b", "'>'"), ("<b>x", "unclosed"),
    ("x</b>", "end tag"), ("<b><i>x</b></i>", "end tag"), ("<script>x</script>", "unsupported"),
    ('<a href="javascript:alert(1)">x</a>', "href"), ("<a>x</a>", "href"), ('<b class="x">y</b>', "attribute"),
    ('<span class="evil">x</span>', "class"), ("x" * 4097, "too long"), ("🔎" * 2049, "too long"),
    ("&lt;" * 4097, "too long"), ("<code><b>x</b></code>", "inside"),
])
def test_invalid_html(text, why):
    problem = html_problem(text)
    assert problem is not None and why in problem


def test_calls():
    ok = {"chat_id": 1, "text": "<b>x</b>", "parse_mode": "HTML"}
    assert call_problem("sendMessage", ok) is None
    assert "surrogate" in call_problem("sendMessage", {**ok, "text": "x\ud800"})
    assert "too long" in call_problem("sendMessage", {"chat_id": 1, "text": "x" * 4097})  # plain text too
    button = {"inline_keyboard": [[{"text": "a", "callback_data": "c:" + "x" * 63}]]}
    assert "callback data" in call_problem("sendMessage", {**ok, "reply_markup": button})
    results = [{"type": "article", "id": str(i), "title": "t",
                "input_message_content": {"message_text": "m", "parse_mode": "HTML"}} for i in range(51)]
    assert "at most 50" in call_problem("answerInlineQuery", {"inline_query_id": "1", "results": results})
    results[1]["input_message_content"]["message_text"] = "<b>"
    assert "unclosed" in call_problem("answerInlineQuery", {"inline_query_id": "1", "results": results[:2]})
    assert "too long" in call_problem("answerCallbackQuery", {"callback_query_id": "1", "text": "x" * 201})
    assert call_problem("getChat", {"chat_id": 1}) is None
