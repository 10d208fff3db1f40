"""Hypothesis strategies for valid claim records."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from knowledge.model import LINKS, SOURCE_KINDS, STATUSES


def short_text(max_size: int) -> st.SearchStrategy[str]:
    # no unpaired surrogates nor control characters: the model refuses them (knowledge/model.py BAD_CHAR_RE)
    return (st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=max_size)
            .map(str.strip).filter(bool))


ids = st.from_regex(r"[A-Za-z0-9_.:-]{1,48}", fullmatch=True)
dates = st.builds(
    lambda d, precision: d.isoformat()[:precision],
    st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), st.sampled_from([4, 7, 10]))
urls = st.from_regex(r"https?://[a-z0-9.-]{1,20}/[A-Za-z0-9/_?=&%-]{0,30}", fullmatch=True)
texts = st.dictionaries(st.sampled_from(["fr", "en"]), short_text(200), min_size=1)
names = short_text(300) | st.dictionaries(st.sampled_from(["fr", "en"]), short_text(300), min_size=1)  # one or per language
sources = st.builds(
    lambda name, kind, date, quote, url: {k: v for k, v in
                                          dict(name=name, kind=kind, date=date, quote=quote, url=url).items()
                                          if v is not None},
    names, st.sampled_from(SOURCE_KINDS), st.none() | dates, st.none() | short_text(2000),
    st.none() | urls)


@st.composite
def claim_records(draw) -> dict:
    cid = draw(ids)
    link = draw(st.sampled_from(LINKS))
    record = {"id": cid, "text": draw(texts), "link": link,
              "sources": draw(st.lists(sources, min_size=1 if link == "explicit" else 0, max_size=3)),
              "aliases": draw(st.lists(short_text(300), max_size=4, unique=True)),
              "tags": draw(st.lists(short_text(60), max_size=3, unique=True)),
              "status": draw(st.sampled_from(STATUSES))}
    if link == "inferred":
        record["rests_on"] = draw(st.lists(ids.filter(lambda d: d != cid), min_size=1, max_size=3, unique=True))
        record["reasoning"] = draw(texts)
    if draw(st.booleans()):
        record["title"] = draw(short_text(300))
    if draw(st.booleans()):
        record["stated_in"] = draw(st.fixed_dictionaries({}, optional={
            "title": short_text(300), "author": short_text(300), "part": short_text(300), "url": urls,
            "date": dates}).filter(bool))
        if "part" in record["stated_in"] and draw(st.booleans()):
            record["stated_in"]["part"] = draw(texts)  # a label, with a form per language
    if draw(st.booleans()):
        record["updated_at"] = draw(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))).isoformat()  # a whole date
    return record
