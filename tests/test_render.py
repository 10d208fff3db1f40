"""bot.render: Telegram HTML that is escaped, balanced, within 4096, and honest about the link."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.render import (MAX_CALLBACK, Reply, claim_callback, clip, esc, fit, html_to_text, render_claim, render_result,
                        render_why, source_line)
from knowledge.base import ClaimBase
from knowledge.matcher import Match, SearchResult
from knowledge.model import claim_from_dict, claims_from_data
from knowledge.store import ClaimStore

from helpers.claims import explicit, inferred, small_base
from helpers.strategies import claim_records
from helpers.telegram_html import TelegramHTMLError, check_telegram_html

HOSTILE = '<b>bold</b> & "quotes" </b><a href="javascript:alert(1)">click</a> &amp; <script>x</script>'
LANGS = ["en", "fr"]


def utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def visible(reply: Reply) -> str:
    return html_to_text(reply.text)


def base_of(records: list[dict], tmp_path, name: str = "r.json") -> ClaimBase:
    return ClaimBase(ClaimStore(tmp_path / name, seed=claims_from_data(records)))


def all_renderings(base: ClaimBase, lang: str):
    for claim in base.store.all():
        yield f"claim {claim.id}", render_claim(base, claim, lang)
        yield f"why {claim.id}", render_why(base, claim, lang)
    claims = base.store.all()
    yield "suggest", render_result(base, SearchResult("q", "suggest", [Match(c, 50.0) for c in claims[:3]]), lang)
    yield "answer", render_result(base, SearchResult("q", "answer", [Match(claims[0], 90.0)]), lang)
    yield "none", render_result(base, SearchResult("q", "none", []), lang)


# --- the checker itself must be able to fail -------------------------------

@pytest.mark.parametrize("bad", ["a < b", "a & b", "x > y", "<b>open", "<b><i>x</b></i>", "<div>x</div>",
                                 '<a href="javascript:alert(1)">x</a>', "&nbsp;", "<code><b>x</b></code>",
                                 "x" * 4097, "🔎" * 2049, "  "])
def test_the_html_checker_refuses_what_telegram_refuses(bad):
    with pytest.raises(TelegramHTMLError):
        check_telegram_html(bad)


@pytest.mark.parametrize("good", ["<b>x</b> &amp; &lt;y&gt; &quot;", "<i>a</i> <code>id</code>", "x" * 4096,
                                  '<a href="https://example.org">x</a>', "🔎" * 2048])
def test_the_html_checker_accepts_valid_telegram_html(good):
    check_telegram_html(good)


# --- escaping -------------------------------------------------------------

def hostile_records() -> list[dict]:
    src = {"name": HOSTILE, "kind": "press", "date": "2024-07", "quote": HOSTILE,
           "url": "https://example.org/?a=1&b=<2>"}
    return [
        {"id": "hostile-explicit", "title": HOSTILE, "text": {"en": HOSTILE, "fr": HOSTILE}, "link": "explicit",
         "sources": [src], "aliases": [HOSTILE],
         "stated_in": {"title": HOSTILE, "author": HOSTILE, "part": HOSTILE, "date": "2024",
                       "url": "https://example.org/?x=<y>&z"}},
        {"id": "hostile-inferred", "title": HOSTILE, "text": {"en": HOSTILE}, "link": "inferred",
         "sources": [src], "rests_on": ["hostile-explicit"], "reasoning": {"en": HOSTILE, "fr": HOSTILE}},
        {"id": "hostile-top", "text": {"fr": HOSTILE}, "link": "inferred", "rests_on": ["hostile-inferred"],
         "reasoning": HOSTILE},
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_every_claim_string_is_escaped(tmp_path, lang):
    base = base_of(hostile_records(), tmp_path)
    for what, reply in all_renderings(base, lang):
        try:
            check_telegram_html(reply.text)
        except TelegramHTMLError as exc:
            raise AssertionError(f"{what} ({lang}): {exc}") from None
        assert "<script>" not in reply.text and "<a " not in reply.text
    card = visible(render_claim(base, base.get("hostile-explicit"), lang))
    assert card.count(HOSTILE) >= 3  # text, source name, quote: shown literally, not dropped
    assert "https://example.org/?a=1&b=<2>" in card
    inferred_card = visible(render_claim(base, base.get("hostile-inferred"), lang))
    assert HOSTILE in inferred_card


def test_suggestion_buttons_carry_plain_labels_and_short_callback_data(tmp_path):
    base = base_of(hostile_records(), tmp_path)
    claims = base.store.all()
    score = base.matcher.thresholds.suggest + 1  # above the floor under which runners-up are not offered
    reply = render_result(base, SearchResult("q", "suggest", [Match(c, score) for c in claims]), "en")
    assert len(reply.buttons) == 3
    for number, (row, claim) in enumerate(zip(reply.buttons, claims), 1):
        [(label, data)] = row
        assert data == f"c:{claim.id}" and len(data.encode()) <= MAX_CALLBACK
        assert label.startswith(f"{number}. ") and len(label) <= 64
    check_telegram_html(reply.text)


def test_callback_data_fits_for_the_longest_id():
    longest = "x" * 48
    assert claim_from_dict(explicit(longest, "x")).id == longest
    assert len(claim_callback(longest).encode()) <= MAX_CALLBACK


# --- length ---------------------------------------------------------------

def huge_records() -> list[dict]:
    big_text = ("Le Mali & l'Ukraine <rupture> 🔎 " * 200)[:2000]
    sources = [{"name": ("Source & <name> 💬 " * 30)[:300], "kind": "press", "date": "2024-08-04",
                "quote": ("«quote» & <b>not bold</b> 🆔 " * 100)[:2000],
                "url": "https://example.org/" + "a&b" * 90} for _ in range(30)]
    deps = [explicit(f"dep-{i}", big_text, big_text, source="S") for i in range(40)]
    deps[0]["sources"] = sources
    chain = [inferred(f"chain-{i}", big_text, big_text, rests_on=[f"chain-{i + 1}", f"dep-{i % 40}"],
                      reasoning=big_text) for i in range(60)]
    chain.append(explicit("chain-60", big_text, source="S"))
    top = {"id": "top", "title": big_text[:300], "text": {"en": big_text, "fr": big_text}, "link": "inferred",
           "sources": sources, "rests_on": [f"dep-{i}" for i in range(40)] + ["chain-0"],
           "reasoning": {"en": big_text, "fr": big_text}, "aliases": [big_text[:300]] * 1,
           "stated_in": {"title": big_text[:300], "author": big_text[:300], "part": big_text[:300],
                         "date": "2024", "url": "https://example.org/" + "x" * 250}}
    return deps + chain + [top]


@pytest.mark.parametrize("lang", LANGS)
def test_never_over_4096_even_with_huge_claims_many_sources_and_long_chains(tmp_path, lang):
    base = base_of(huge_records(), tmp_path)
    for what, reply in all_renderings(base, lang):
        assert utf16(reply.text) <= 4096, f"{what}: {utf16(reply.text)} UTF-16 units"
        check_telegram_html(reply.text)
    for claim in base.store.all():
        text = visible(render_claim(base, claim, lang))
        # what must survive the cuts: the claim, the link in plain words, the id, and for an
        # inferred claim at least the first claim it rests on
        assert ("Explicit" in text or "Explicite" in text) == (claim.link == "explicit"), claim.id
        assert ("Inferred" in text or "Inféré" in text) == (claim.link == "inferred"), claim.id
        assert claim.text_in(lang)[:100] in text and claim.id in text.splitlines()[-1]
        if claim.rests_on:
            assert claim.rests_on[0] in text, claim.id
        why = visible(render_why(base, claim, lang))
        assert claim.text_in(lang)[:100] in why


@pytest.mark.parametrize("lang, notice, mark", [
    ("en", "Part of what this rests on has been retired", "⚠️ [retired by the moderators]"),
    ("fr", "Une partie de ce sur quoi cela repose a été retirée", "⚠️ [retirée par les modérateurs]")])
def test_retired_premises_of_a_huge_chain_stay_marked_within_4096(tmp_path, lang, notice, mark):
    records = huge_records()
    for record in records:
        if record["id"].startswith("dep-"):
            record["status"] = "retired"
    base = base_of(records, tmp_path)
    top = base.get("top")
    for reply in (render_claim(base, top, lang), render_why(base, top, lang)):
        assert utf16(reply.text) <= 4096
        check_telegram_html(reply.text)
        text = visible(reply)
        assert notice in text
        assert any(mark in line and "dep-0" in line for line in text.splitlines())


@pytest.mark.parametrize("char", ["&", "<", "🔎", "é"])
def test_a_huge_claim_text_still_shows_its_beginning_and_its_id(tmp_path, char):
    """Escaping can make a text five times longer: the card must shorten it, not drop it."""
    text = "Start of the claim " + char * 1990
    base = base_of([explicit("big", text[:2000], source="Le Monde")], tmp_path)
    reply = render_claim(base, base.get("big"), "en")
    check_telegram_html(reply.text)
    assert "Start of the claim" in visible(reply)
    assert "Le Monde" in visible(reply) and "big" in visible(reply).splitlines()[-1]


def test_fit_keeps_the_tail_and_marks_what_it_dropped():
    parts = [f"part {i} " + "x" * 500 for i in range(20)]
    text = fit(parts, "TAIL")
    assert utf16(text) <= 4096 and text.endswith("\n…\nTAIL") and text.startswith("part 0 ")
    assert fit(["a", "b"], "t") == "a\nb\nt"


@given(st.text(st.sampled_from("a&<😀"), max_size=300), st.integers(1, 400))
@example("😀" * 150, 200)  # 150 characters, 300 units
def test_clip_stays_within_its_units(text, limit):
    clipped = clip(text, limit)
    assert utf16(clipped) <= limit
    if utf16(esc(text)) <= limit:
        assert clipped == esc(text)


@given(st.lists(st.tuples(st.text(st.sampled_from("ab€😀"), max_size=900), st.sampled_from([0, 1, 2])), max_size=8),
       st.text(st.sampled_from("t😀"), max_size=300))
@example([("😀" * 2047, 1)], "")  # 4094 units: fits
@example([("😀" * 2049, 1)], "")  # 4098 units, in 2049 characters: does not
@example([("a" * 2000, 0), ("😀" * 1000, 2)], "😀" * 49)
def test_fit_cuts_only_what_does_not_fit(parts, tail):
    """Around the limit, and with characters of two UTF-16 units (what a quick length check cannot count)."""
    body = "\n".join(text for text, _ in parts)
    joined = "\n".join(filter(None, [body, tail])) if tail else body  # nothing cut
    text = fit(parts, tail)
    if utf16(joined) <= 4096:
        assert text == joined
    else:
        assert utf16(text) <= 4096 and text != joined


# --- what the card says ---------------------------------------------------

@pytest.fixture
def small(base) -> ClaimBase:
    return base


@pytest.mark.parametrize("lang, word, by", [("en", "Explicit", "stated directly by"),
                                            ("fr", "Explicite", "affirmé directement par")])
def test_an_explicit_card_names_its_source_date_and_quote(small, lang, word, by):
    reply = render_claim(small, small.get("mali-cuts-ties"), lang)
    check_telegram_html(reply.text)
    text = visible(reply)
    assert word in text and f"{by} Malian transitional government" in text
    assert "2024-08-04" in text and "avec effet immédiat" in text
    assert "A test article about Mali and Ukraine" in text and "test author" in text  # stated_in
    assert ("Inferred" not in text) and ("Inféré" not in text) and "/why" not in text
    expected = small.get("mali-cuts-ties").text[lang]
    assert expected in text
    assert text.splitlines()[-1] == "🆔 mali-cuts-ties"


@pytest.mark.parametrize("lang, word", [("en", "Inferred"), ("fr", "Inféré")])
def test_an_inferred_card_names_what_it_rests_on(small, lang, word):
    claim = small.get("ukraine-helped-rebels")
    text = visible(render_claim(small, claim, lang))
    assert word in text and "Explicit" not in text and "Explicite" not in text
    for dep_id in ("yusov-information", "drone-training"):
        dep = small.get(dep_id)
        assert dep_id in text and dep.text[lang] in text
    assert claim.reasoning_in(lang) in text
    assert "/why ukraine-helped-rebels" in text


def test_an_inferred_claim_without_named_source_says_so_without_a_question_mark(tmp_path):
    records = small_base() + [inferred("unnamed", "It was widely read as an admission.", source=None,
                                       rests_on=["yusov-information"], reasoning="Unnamed readers inferred it.")]
    base = base_of(records, tmp_path)
    for lang in LANGS:
        text = visible(render_claim(base, base.get("unnamed"), lang))
        assert "?" not in text.replace("/why", "")
        assert "Unnamed readers inferred it." in text or lang == "fr"


def test_why_shows_the_whole_chain_down_to_the_explicit_claims(small):
    reply = render_why(small, small.get("article-thesis"), "en")
    check_telegram_html(reply.text)
    lines = visible(reply).splitlines()
    chain = ["article-thesis", "ukraine-helped-rebels", "yusov-information", "drone-training", "mali-cuts-ties"]
    for cid in chain:
        assert sum(line.rstrip().endswith(cid) for line in lines) == 1, cid
    depth = {cid: next(len(line) - len(line.lstrip()) for line in lines if line.rstrip().endswith(cid))
             for cid in chain}
    assert depth["article-thesis"] < depth["ukraine-helped-rebels"] < depth["yusov-information"]
    assert depth["drone-training"] == depth["yusov-information"]
    assert depth["mali-cuts-ties"] == depth["ukraine-helped-rebels"]
    text = "\n".join(lines)
    for source in ("Andriy Yusov, GUR spokesman, 2024-07-29", "Le Monde, 2024-10",
                   "Malian transitional government, 2024-08-04"):
        assert source in text
    assert "The author chains the help to the rebels" in text


def long_chain_records(steps: int) -> list[dict]:
    """An inferred claim resting on `steps` inferred claims with long reasonings, each on two long explicit claims."""
    words = "The author reads the spokesman's words as an admission of help to the rebels, and so on. "
    records, tops = [], []
    for i in range(steps):
        facts = [explicit(f"fact-{i}-{j}", f"Fact {i}.{j}: " + "the rebels received drones and training " * 8,
                          source="Andriy Yusov, GUR/HUR spokesman (television interview, Suspilne / Rada TV)")
                 for j in range(2)]
        step = inferred(f"step-{i}", f"Step {i}: " + "Ukraine helped the rebels against Wagner in Mali " * 6,
                        rests_on=[f["id"] for f in facts], reasoning=f"Reasoning of step {i}: " + words * 8)
        records += [*facts, step]
        tops.append(step["id"])
    return records + [inferred("thesis", "Ukraine indirectly supports the jihadists in Mali.", rests_on=tops,
                               reasoning="The author chains every step.")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("steps", [3, 5])
def test_why_shortens_the_reasonings_of_a_long_chain_rather_than_leave_a_bare_ellipsis(tmp_path, lang, steps):
    base = base_of(long_chain_records(steps), tmp_path)
    reply = render_why(base, base.get("thesis"), lang)
    check_telegram_html(reply.text)
    lines = visible(reply).splitlines()
    assert utf16(reply.text) <= 4096 and "…" not in [line.strip() for line in lines]
    for i in range(steps):  # each inferred step is followed by the start of its reasoning, or where to read it
        at = next(n for n, line in enumerate(lines) if line.rstrip().endswith(f"step-{i}"))
        assert f"Reasoning of step {i}" in lines[at + 1] or f"/why step-{i}" in lines[at + 1]
        for j in range(2):
            assert any(line.rstrip().endswith(f"fact-{i}-{j}") for line in lines)


@pytest.mark.parametrize("lang", LANGS)
def test_a_chain_too_long_for_one_message_says_what_was_left_out(tmp_path, lang):
    base = base_of(long_chain_records(14), tmp_path)
    reply = render_why(base, base.get("thesis"), lang)
    lines = visible(reply).splitlines()
    assert utf16(reply.text) <= 4096 and "…" not in [line.strip() for line in lines]
    assert any(line.startswith("… (") for line in lines) and "/why" in lines[-1]


def test_why_on_an_explicit_claim_says_there_is_no_chain(small):
    text = visible(render_why(small, small.get("niger-cuts-ties"), "en"))
    assert "explicit" in text and "no chain" in text and "Government of Niger" in text


@pytest.mark.parametrize("lang, note", [("en", "(only available in French)"), ("fr", None)])
def test_language_fallback_when_a_claim_has_one_language(small, lang, note):
    text = visible(render_claim(small, small.get("fr-only"), lang))
    assert "Une affirmation qui n'existe qu'en français sur les chameaux du désert." in text
    if note:
        assert note in text
    else:
        assert "disponible seulement" not in text


def test_an_english_only_claim_in_french_says_so(tmp_path):
    base = base_of([explicit("en-only", "Only in English.", source="X")], tmp_path)
    text = visible(render_claim(base, base.get("en-only"), "fr"))
    assert "Only in English." in text and "(disponible seulement en anglais)" in text
    assert "Affirmation" in text and "Explicite" in text


def test_a_retired_claim_is_marked(small):
    text = visible(render_claim(small, small.get("retired-claim"), "en"))
    assert text.startswith("⚠️") and "retired" in text


def test_suggestions_leave_out_runners_up_below_the_suggest_score(small):
    floor = small.matcher.thresholds.suggest
    matches = [Match(small.get("mali-cuts-ties"), floor + 2), Match(small.get("article-thesis"), floor - 10)]
    reply = render_result(small, SearchResult("q", "suggest", matches), "en")
    assert [row[0][1] for row in reply.buttons] == ["c:mali-cuts-ties"]
    assert "2. " not in visible(reply)


@pytest.mark.parametrize("lang", LANGS)
def test_suggestions_list_links_and_no_scores(small, lang):
    """A score beside "I cannot tell which you mean" reads as a contradiction (93/100, yet no answer)."""
    floor = small.matcher.thresholds.suggest
    first, second = round(floor + 8.4, 1), floor + 1
    matches = [Match(small.get("mali-cuts-ties"), first), Match(small.get("article-thesis"), second)]
    reply = render_result(small, SearchResult("q", "suggest", matches), lang)
    check_telegram_html(reply.text)
    text = visible(reply)
    assert "1. " in text and "2. " in text and "/100" not in text
    names = {"en": ("explicit", "inferred"), "fr": ("explicite", "inféré")}[lang]
    lines = text.splitlines()
    assert lines[1].endswith(f" ({names[0]})") and lines[2].endswith(f" ({names[1]})")
    assert [row[0][1] for row in reply.buttons] == ["c:mali-cuts-ties", "c:article-thesis"]
    label = reply.buttons[0][0][0]  # the claim in the reader's language: the title is one untagged string
    assert label.startswith("1. ") and len(label) <= 63
    assert label[3:].rstrip("…") in small.get("mali-cuts-ties").text_in(lang)


@pytest.mark.parametrize("lang, words", [("en", "No claim in the base matches"),
                                         ("fr", "Aucune affirmation de la base ne correspond")])
def test_no_match_is_clear_and_says_how_to_ask(small, lang, words):
    reply = render_result(small, SearchResult("q", "none", []), lang)
    check_telegram_html(reply.text)
    assert reply.text.startswith(words) and not reply.buttons
    assert "moderators" in reply.text or "modérateurs" in reply.text


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(st.lists(claim_records(), min_size=1, max_size=5, unique_by=lambda r: r["id"]), st.sampled_from(LANGS))
def test_property_any_valid_claim_renders_as_valid_telegram_html(tmp_path_factory, records, lang):
    known: list[str] = []
    for record in records:  # rest only on earlier claims, so the base is valid
        if record["link"] == "inferred":
            record["rests_on"] = [i for i in record.get("rests_on", []) if i in known] or known[:1]
            if not record["rests_on"]:  # nothing earlier to rest on: an explicit claim instead
                record.pop("rests_on")
                record.pop("reasoning", None)
                record.update(link="explicit", sources=record["sources"] or [{"name": "S", "kind": "press"}])
        known.append(record["id"])
    base = ClaimBase(ClaimStore(tmp_path_factory.mktemp("p") / "c.json", seed=claims_from_data(records)))
    for what, reply in all_renderings(base, lang):
        check_telegram_html(reply.text)
        for row in reply.buttons:
            for label, data in row:
                assert label and len(data.encode()) <= MAX_CALLBACK


# --- labels, names and quote marks follow the reply language ------------------------------------------

from bot.render import quote_marks  # noqa: E402

FR_LABELS = ("Source citée", "Sources citées", "telle que citée", "Lu dans", "Commentaire d'un lecteur",
             "commentaire de lecteur", "déclaration officielle", "Affirmation", "Raisonnement")
EN_LABELS = ("Stated by", "as cited by the article", "Read in", "Reader comment", "reader comment",
             "official statement", "Claim", "Reasoning")


def bilingual_records() -> list[dict]:
    """A source whose name has words to translate, and a reader comment read under the article."""
    spokesman = explicit("yusov", "The rebels received the necessary information.",
                         "Les rebelles ont reçu les informations nécessaires.", kind="official statement",
                         quote="les informations nécessaires")
    spokesman["sources"][0]["name"] = {"fr": "Andriy Yusov, porte-parole du GUR (interview télévisée)",
                                       "en": "Andriy Yusov, GUR spokesman (television interview)"}
    comment = explicit("comment", "Zelensky is trying a coup.", "Zelensky tente un coup.", source="Christian",
                       kind="reader comment", date=None, quote="Zelensky tente un coup")
    comment["stated_in"]["part"] = {"fr": "commentaire d'un lecteur", "en": "reader comment"}
    fragments = explicit("fragments", "Mali speaks of 'international terrorism' and a 'cowardly' attack.",
                         "Le Mali parle de « terrorisme international » et d'une attaque « lâche ».",
                         kind="official statement", quote="« terrorisme international », « lâche et barbare »")
    fragments["stated_in"]["title"] = "« Un titre déjà entre guillemets »"
    thesis = inferred("thesis", "Ukraine helped the rebels.", "L'Ukraine a aidé les rebelles.",
                      rests_on=["yusov", "comment"], source="Test author")
    return [spokesman, comment, fragments, thesis]


@pytest.mark.parametrize("lang, own, by, other", [
    ("en", "Andriy Yusov, GUR spokesman (television interview)", "stated directly by", "porte-parole"),
    ("fr", "Andriy Yusov, porte-parole du GUR (interview télévisée)", "affirmé directement par", "spokesman"),
])
def test_a_source_name_with_a_form_per_language_shows_the_reply_languages(tmp_path, lang, own, by, other):
    base = base_of(bilingual_records(), tmp_path)
    card = visible(render_claim(base, base.get("yusov"), lang))
    assert f"• {own} ·" in card and f"{by} {own}." in card  # the source line and the link
    assert other not in card
    why = visible(render_why(base, base.get("thesis"), lang))
    assert f"— {own}, 2024-08-04" in why and other not in why


@pytest.mark.parametrize("lang, head, part", [("en", "Reader comment under the article:", "(reader comment)"),
                                              ("fr", "Commentaire d'un lecteur sous l'article :",
                                               "(commentaire d'un lecteur)")])
def test_a_reader_comment_is_shown_as_one_not_as_a_source_the_article_cites(tmp_path, lang, head, part):
    base = base_of(bilingual_records(), tmp_path)
    lines = visible(render_claim(base, base.get("comment"), lang)).splitlines()
    assert head in lines and lines[lines.index(head) + 1] == "• Christian"
    text = "\n".join(lines)
    assert "as cited by" not in text and "citée" not in text and "Stated by" not in text
    assert lines[-2].startswith("📄") and lines[-2].endswith(part)  # the stated_in part, in lang
    assert ("stated directly by Christian (reader comment)." if lang == "en"
            else "affirmé directement par Christian (commentaire de lecteur).") in text
    for label in (FR_LABELS if lang == "en" else EN_LABELS):
        assert label not in text, label


@pytest.mark.parametrize("lang, quoted_line", [("en", "“les informations nécessaires”"),
                                               ("fr", "« les informations nécessaires »")])
def test_a_plain_quote_gets_the_reply_languages_marks(tmp_path, lang, quoted_line):
    base = base_of(bilingual_records(), tmp_path)
    assert quoted_line in visible(render_claim(base, base.get("yusov"), lang)).splitlines()[3]


@pytest.mark.parametrize("lang", LANGS)
def test_a_quote_that_brings_its_own_marks_is_not_wrapped_again(tmp_path, lang):
    base = base_of(bilingual_records(), tmp_path)
    reply = render_claim(base, base.get("fragments"), lang)
    check_telegram_html(reply.text)
    lines = visible(reply).splitlines()
    assert "  « terrorisme international », « lâche et barbare »" in lines
    assert "« Un titre déjà entre guillemets » " in lines[-2] and "“«" not in lines[-2] and "« «" not in lines[-2]


@pytest.mark.parametrize("text, lang, marks", [
    ("plain words", "fr", ("« ", " »")),
    ("plain words", "en", ("“", "”")),
    ("« a », « b »", "fr", ("", "")),
    ("« a », « b »", "en", ("", "")),
    ("“already quoted”", "en", ("", "")),
    ('"straight quotes"', "fr", ("", "")),
    ("Yusov n’a pas dit « nous avons envoyé des instructeurs »", "fr", ("« ", " »")),  # marks inside only
    ("« ends open", "en", ("“", "”")),
    ("«", "fr", ("« ", " »")),
])
def test_quote_marks_rule(text, lang, marks):
    assert quote_marks(text, lang) == marks


def test_more_than_three_sources_are_counted_not_cut_with_a_double_stop(tmp_path):
    record = explicit("many", "Many say so.", "Beaucoup le disent.")
    record["sources"] = [{"name": name, "kind": "press"} for name in ("A", "B", "C", "D", "E")]
    base = base_of([record], tmp_path)
    assert "stated directly by A, B, C and 2 more." in visible(render_claim(base, base.get("many"), "en"))
    assert "affirmé directement par A, B, C et 2 autres." in visible(render_claim(base, base.get("many"), "fr"))


@pytest.fixture(scope="module")
def curated(tmp_path_factory) -> ClaimBase:
    return ClaimBase.open(tmp_path_factory.mktemp("curated") / "claims.json")


@pytest.mark.parametrize("lang", LANGS)
def test_every_curated_card_is_valid_html_within_the_limit_and_in_one_language(curated, lang):
    foreign = FR_LABELS + ("porte-parole", "Gouvernement de transition", "ONU ·") if lang == "en" \
        else EN_LABELS + ("spokesman", "Transitional government", "US NCTC")
    for what, reply in all_renderings(curated, lang):
        check_telegram_html(reply.text)
        assert utf16(reply.text) <= 4096, what
        text = visible(reply)
        for word in foreign:
            assert word not in text, (what, word)
        assert "« «" not in text and "“«" not in text and "“““" not in text, what


@pytest.mark.parametrize("lang, head", [("en", "Several claims match your question about equally well"),
                                        ("fr", "Plusieurs affirmations correspondent à peu près aussi bien")])
def test_confident_but_close_matches_say_so(small, lang, head):
    answer = small.matcher.thresholds.answer
    close = [Match(small.get("mali-cuts-ties"), answer + 2), Match(small.get("article-thesis"), answer + 1)]
    assert visible(render_result(small, SearchResult("q", "suggest", close), lang)).startswith(head)
    unsure = [Match(small.get("mali-cuts-ties"), answer - 2), Match(small.get("article-thesis"), answer - 3)]
    assert not visible(render_result(small, SearchResult("q", "suggest", unsure), lang)).startswith(head)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_source_line_names_its_kind_unless_it_is_other(lang):
    claim = claim_from_dict(explicit("k", "Mali cut ties.", "Le Mali a rompu.", source="Stratfor", kind="other"))
    line = source_line(claim.sources[0], lang)
    assert "Stratfor" in line and "other" not in line and "autre" not in line
    press = claim_from_dict(explicit("p", "Mali cut ties.", "Le Mali a rompu.", source="Le Monde", kind="press"))
    assert {"fr": "presse", "en": "press"}[lang] in source_line(press.sources[0], lang)
