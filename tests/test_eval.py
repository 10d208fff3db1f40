"""The evaluation set (tests/eval/questions.yaml) against the curated base: issue 2's bar for the matcher."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.base import ClaimBase
from knowledge.store import curated_claims

EVAL = Path(__file__).parent / "eval" / "questions.yaml"


def load() -> list[dict]:
    return yaml.safe_load(EVAL.read_text(encoding="utf-8"))["questions"]


def expected_ids(item: dict) -> list[str]:
    expect = item["expect"]
    return [] if expect is None else [expect] if isinstance(expect, str) else list(expect)


@pytest.fixture(scope="module")
def curated_base(tmp_path_factory) -> ClaimBase:
    return ClaimBase.open(tmp_path_factory.mktemp("eval") / "claims.json")


def test_the_set_is_big_enough_and_names_real_claims():
    items = load()
    ids = {c.id for c in curated_claims()}
    in_base = [i for i in items if i["expect"] is not None]
    off_topic = [i for i in items if i["expect"] is None]
    assert len(in_base) >= 60 and len(off_topic) >= 15
    assert {i["lang"] for i in in_base} == {"fr", "en"}
    for item in in_base:
        assert set(expected_ids(item)) <= ids, item["q"]
    assert len({i["q"] for i in items}) == len(items)  # no duplicate question


def test_top1_accuracy_and_off_topic_answers(curated_base):
    misses, answered_off_topic = [], []
    items = load()
    in_base = [i for i in items if i["expect"] is not None]
    for item in items:
        result = curated_base.search(item["q"])
        if item["expect"] is None:
            if result.outcome == "answer":
                answered_off_topic.append((item["q"], result.best.id))
        elif not result.matches or result.matches[0].id not in expected_ids(item):
            misses.append((item["q"], result.matches[0].id if result.matches else None))
    accuracy = 1 - len(misses) / len(in_base)
    assert accuracy >= 0.9, f"top-1 accuracy {accuracy:.3f}; misses: {misses}"
    assert not answered_off_topic, answered_off_topic


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_examples_help_gives_get_a_direct_answer(curated_base, lang):
    """A new user tries the examples first: each must get a card, not a 'did you mean'."""
    import re

    from bot.i18n import t

    examples = re.findall(r"• <i>(.+?)</i>", t(lang, "help"))
    usage = t(lang, "ask_usage").rsplit("/ask ", 1)[1]
    assert len(examples) >= 2
    for question in [*examples, usage]:
        question = question.replace("&#x27;", "'").replace("&amp;", "&")
        assert curated_base.search(question).outcome == "answer", question
