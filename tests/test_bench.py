"""The benchmark's code, on a tiny run: every section runs and reports; no timing is asserted."""

import json

import numpy as np
import pytest

from bench.baselines import BM25, BM25BestField, BM25OneField, NaiveWRatio, plain_tokens
from bench.clef import subset
from bench.data import ClefClaim, ClefSplit, clef_available, eval_questions
from bench.metrics import average_precision, percentile, precision_at_1, reciprocal_rank
from bench.run import main
from bench.synthetic import Generator
from bench.thresholds import Scored, choose, counts, decide
from bot.surfaces import SurfaceSettings
from knowledge.matcher import GROUP_THRESHOLDS, UNASKED_THRESHOLDS, Thresholds


def test_tiny_run_prints_the_table_and_writes_results(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert main(["--tiny", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    results = json.loads(out.read_text())
    sections = {"quality", "speed", "store", "e2e"} | ({"clef"} if clef_available() else set())
    assert sections <= set(results)
    assert "figure" in printed and "baseline (same run)" in printed and "<- chosen" in printed
    assert len(results["targets"]) == 16
    for target in results["targets"]:  # judged wherever the run has the figure (tiny sizes have no 10,000)
        assert (target["met"] is None) == (target["figure"] is None), target
    judged = {t["target"] for t in results["targets"] if t["met"] is not None}
    assert {"seed top-1 accuracy at least naive's", "seed MRR@5 at least naive's"} <= judged
    assert "one edit at 10,000 claims" not in judged  # the tiny store has 120 claims
    # every figure has its baseline from the same run
    assert results["quality"]["naive"]["in_base"] == results["quality"]["ours"]["in_base"] > 0
    held = results["quality"]["holdout"]
    assert held["naive"]["in_base"] == held["ours"]["in_base"] > 0 and held["ours"]["off_topic"] > 0
    assert "Held-out questions" in printed and "near misses: answered" in printed
    for size in results["speed"]["sizes"].values():
        assert size["ours"]["n"] > 0 and size["naive"]["n"] > 0 and size["ratio_p50"] > 0
    assert results["e2e"]["claim_bot"] > 0 and results["e2e"]["echo_bot"] > 0
    assert results["e2e"]["claim_bot_free_search"] > 0
    assert results["e2e"]["plain_bm25_bot"] > 0
    assert results["store"]["claims"] > 0 and results["store"]["edit_ms"] > 0
    assert results["speed"]["memory"]["claim_base"]["claims"] == results["speed"]["memory"]["claims"] > 0
    if clef_available():
        dev = results["clef"]["dev"]
        assert {"ours", "bm25_one_field", "bm25_best_field", "naive_wratio"} <= set(dev)
        assert results["clef"]["claims"] == 400 and dev["ours"]["queries"] > 0


def test_only_some_sections(tmp_path, capsys):
    out = tmp_path / "r.json"
    assert main(["--tiny", "--only", "store", "--out", str(out)]) == 0
    results = json.loads(out.read_text())
    assert "store" in results and "speed" not in results
    assert all(t["met"] is None for t in results["targets"])  # nothing at the targets' sizes


def test_the_chosen_thresholds_are_the_matchers_defaults():
    """bench/tune.py's choice is what the bot uses: the sweep marks the same values as Thresholds()."""
    from bench.quality import run
    result = run(log=lambda _: None)
    default = Thresholds()
    assert result["chosen"]["answer"] == default.answer
    assert result["chosen"]["suggest"] == default.suggest
    assert result["chosen"]["margin"] == default.margin
    group, unasked = result["group_chosen"], result["unasked_chosen"]
    assert (group["answer"], group["suggest"], group["margin"]) == \
        (GROUP_THRESHOLDS.answer, GROUP_THRESHOLDS.suggest, GROUP_THRESHOLDS.margin)
    assert (unasked["answer"], unasked["margin"]) == (UNASKED_THRESHOLDS.answer, UNASKED_THRESHOLDS.margin)
    assert UNASKED_THRESHOLDS.suggest == UNASKED_THRESHOLDS.answer  # unasked: a card or nothing
    surfaces = SurfaceSettings()
    assert surfaces.group_thresholds == GROUP_THRESHOLDS and surfaces.strong_thresholds == UNASKED_THRESHOLDS
    assert group["answer"] >= default.answer and unasked["answer"] >= group["answer"]  # mistakes weigh more there


def test_ranking_metrics():
    assert average_precision(["a", "b", "c"], {"b"}) == 0.5
    assert average_precision(["a", "b", "c"], {"a", "c"}) == pytest.approx((1 + 2 / 3) / 2)
    assert average_precision(["x", "y", "z", "w", "v", "g"], {"g"}) == 0.0  # beyond 5
    assert reciprocal_rank(["a", "b"], {"b"}) == 0.5 and reciprocal_rank([], {"b"}) == 0.0
    assert precision_at_1(["b"], {"b"}) == 1.0 and precision_at_1(["a", "b"], {"b"}) == 0.0
    assert percentile([1, 2, 3, 4, 5], 50) == 3 and percentile([1, 2], 100) == 2
    assert percentile(list(range(101)), 95) == 95


def test_plain_bm25_baselines():
    assert plain_tokens("Don't PANIC, 42!") == ["don", "t", "panic", "42"]
    texts = ["the cat sat on the mat", "dogs bark at night", "a cat and a dog"]
    titles = ["Cat on a mat?", "Night barking", "Pets"]
    ids = ["c1", "c2", "c3"]
    assert BM25OneField(ids, texts, titles).rank("cat mat")[0] == "c1"
    assert BM25BestField(ids, texts, titles).rank("night barking")[0] == "c2"
    scores = BM25(texts).scores("cat cat")
    assert scores[1] == 0 and scores[0] > 0 and scores[0] == BM25(texts).scores("cat")[0]  # query words once


def test_naive_wratio_picks_the_best_text_of_a_claim():
    naive = NaiveWRatio(["a", "b"], [["Mali cut ties with Ukraine", "Le Mali rompt avec l'Ukraine"], ["JNIM drones"]])
    assert naive.best("le mali rompt avec l ukraine")[0] == "a"
    scores = naive.claim_scores("JNIM drones")
    assert scores[1] == 100 and scores.shape == (2,)


def test_threshold_choice_follows_the_utility():
    right = [Scored(90, 50, True, True)] * 8 + [Scored(62, 61, True, True)] * 4
    wrong = [Scored(58, 40, False, True)] * 3
    off = [Scored(40, 30, False, False, "off")] * 5
    scored = right + wrong + off
    choice = choose(scored)
    result = counts(scored, choice.answer, choice.suggest, choice.margin)
    # the wrong ones (58) are not answered, the right ones above them are; off-topic gets nothing
    assert result == {"in_right": 12, "in_wrong": 0, "in_suggest": 3, "in_none": 0,
                      "off_answer": 0, "off_suggest": 0, "off_none": 5}
    assert 58 < choice.answer <= 62 and 40 < choice.suggest <= 58
    assert choice.utility == 12 * 1.0 + 3 * 0.5  # wrong first, right one listed: +0.5 each
    assert decide(Scored(0, 0, False, False, "off"), 0, 0, 0) == "none"


def test_a_near_tie_that_is_often_wrong_gets_a_margin():
    clear = [Scored(90, 40, True, True)] * 10
    ties_wrong = [Scored(85, 84, False, True)] * 4
    ties_right = [Scored(85, 84.5, True, True)] * 2
    choice = choose(clear + ties_wrong + ties_right)
    assert 1 < choice.margin <= 20 and choice.answer <= 85
    assert counts(clear + ties_wrong + ties_right, choice.answer, choice.suggest, choice.margin)["in_wrong"] == 0


def test_clef_subset_keeps_only_answerable_tweets():
    claims = [ClefClaim(str(i), f"text {i}", f"title {i}") for i in range(5)]
    split = ClefSplit({"t1": "a", "t2": "b", "t3": "c"}, {"t1": {"clef-1"}, "t2": {"clef-4"}, "t3": {"clef-2", "clef-3"}})
    kept, small = subset(claims, split, 4, None)
    assert [c.id for c in kept] == ["clef-0", "clef-1", "clef-2", "clef-3"]
    assert set(small.queries) == {"t1", "t3"}
    assert set(subset(claims, split, None, 1)[1].queries) == {"t1"}


def test_synthetic_data_is_seeded():
    a, b = Generator(5), Generator(5)
    assert [a.record(i) for i in range(5)] == [b.record(i) for i in range(5)]
    assert Generator(6).record(0) != Generator(5).record(0)


def test_eval_questions_load():
    questions = eval_questions()
    assert sum(1 for q in questions if q.gold) >= 60 and sum(1 for q in questions if not q.gold) >= 15


def test_tuning_never_sees_the_held_out_questions():
    from bench.data import HOLDOUT_QUESTIONS
    from bench.tune import seed_questions
    from knowledge.store import curated_claims
    from knowledge.text import fold

    held = {fold(q.q) for q in eval_questions(HOLDOUT_QUESTIONS)}
    texts, _, kinds = seed_questions(curated_claims())
    assert len(held) >= 40 and kinds.count("off") > 29  # the evaluation set's off-topic and the near misses
    assert not held & {fold(t) for t in texts}


def test_near_misses_swap_one_name_for_one_no_claim_pairs_with_the_rest():
    from bench.generated import ENTITIES, _named, near_misses
    from knowledge.store import curated_claims
    from knowledge.text import fold

    claims = curated_claims()
    aliases = {a: c for c in claims for a in c.aliases}
    made = near_misses(claims)
    assert len(made) >= 20 and all(gold == frozenset() for _, gold in made)
    names = {s for entities in ENTITIES.values() for spellings in entities for s in spellings}
    for text, _ in made:
        assert any(a.replace(old, new) == text for a in aliases for old in names if old in a for new in names
                   if new != old), text  # one alias, one name swapped
        entities = set(_named(fold(text)))
        for claim in claims:
            whole = fold(" ".join([*claim.text.values(), claim.title or "", *claim.aliases]))
            assert not entities <= set(_named(whole)), (text, claim.id)


def test_foreign_facts_name_the_base_with_facts_no_claim_about_the_name_shares():
    from bench.generated import ENTITIES, _has, foreign_facts
    from knowledge.matcher import analyse
    from knowledge.store import curated_claims
    from knowledge.text import fold

    claims = curated_claims()
    made = foreign_facts(claims)
    assert len(made) >= 20 and all(gold == frozenset() for _, gold in made)
    assert {guess for guess in ("en", "fr") if any(("?" in t and " ?" not in t) == (guess == "en") for t, _ in made)} \
        == {"en", "fr"}  # both languages
    texts = {c.id: " ".join([*c.text.values(), c.title or "", *c.aliases]) for c in claims}
    for text, _ in made:
        named = [s for kind in ENTITIES.values() for spellings in kind for s in spellings if _has(fold(text), s)]
        assert named, text
        fact = set(analyse(text)) - {w for s in named for w in analyse(s)}
        assert fact, text
        for cid, whole in texts.items():
            if any(_has(fold(whole), s) for s in named):
                assert not fact & set(analyse(whole)), (text, cid)


def test_thresholds_for_costlier_mistakes_never_go_under_the_private_ones():
    from bench.thresholds import GROUP, Choice
    scored = [Scored(70 + i, 50, True, True) for i in range(20)] + [Scored(75, 50, False, True)] * 2
    alone = choose(scored, GROUP)
    floor = Choice(alone.answer + 5, 0.0, alone.margin + 3, 0.0)
    bounded = choose(scored, GROUP, floor)
    assert bounded.answer >= floor.answer and bounded.margin >= floor.margin
    assert bounded.suggest <= bounded.answer
