"""A small claim base, as raw records, for tests that must not depend on the curated seed."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

ARTICLE = {"title": "A test article about Mali and Ukraine", "author": "test author"}


def explicit(cid: str, en: str, fr: str | None = None, *, source: str = "Test source", kind: str = "press",
             date: str | None = "2024-08-04", quote: str | None = None, **extra: Any) -> dict[str, Any]:
    """The record of an explicit claim with one source."""
    text = {"en": en}
    if fr:
        text["fr"] = fr
    src: dict[str, Any] = {"name": source, "kind": kind}
    if date:
        src["date"] = date
    if quote:
        src["quote"] = quote
    return {"id": cid, "text": text, "link": "explicit", "sources": [src], "stated_in": dict(ARTICLE), **extra}


def inferred(cid: str, en: str, fr: str | None = None, *, rests_on: list[str] | None = None,
             reasoning: str | None = "The test author infers this from the claims it rests on.",
             source: str | None = "test author", **extra: Any) -> dict[str, Any]:
    """The record of an inferred claim."""
    text = {"en": en}
    if fr:
        text["fr"] = fr
    record: dict[str, Any] = {"id": cid, "text": text, "link": "inferred", "stated_in": dict(ARTICLE), **extra}
    record["sources"] = [{"name": source, "kind": "author"}] if source else []
    if rests_on:
        record["rests_on"] = list(rests_on)
    if reasoning:
        record["reasoning"] = {"en": reasoning}
    return record


SMALL_BASE: list[dict[str, Any]] = [
    explicit("mali-cuts-ties", "Mali broke off diplomatic relations with Ukraine with immediate effect.",
             "Le Mali a rompu ses relations diplomatiques avec l'Ukraine avec effet immédiat.",
             source="Malian transitional government", kind="official statement", date="2024-08-04",
             quote="avec effet immédiat", title="Mali breaks off relations with Ukraine",
             aliases=["Mali Ukraine rupture"], tags=["mali"]),
    explicit("niger-cuts-ties", "Niger broke off diplomatic relations with Ukraine in solidarity with Mali.",
             "Le Niger a rompu ses relations diplomatiques avec l'Ukraine par solidarité avec le Mali.",
             source="Government of Niger", kind="official statement", date="2024-08-06"),
    explicit("yusov-information", "The rebels received the necessary information, and not just information.",
             "Les rebelles ont reçu les informations nécessaires, et pas seulement des informations.",
             source="Andriy Yusov, GUR spokesman", kind="official statement", date="2024-07-29",
             quote="les informations nécessaires, et pas seulement des informations"),
    explicit("drone-training", "Tuareg rebels were trained on FPV drones in Mauritania.",
             "Des rebelles touaregs ont été formés aux drones FPV en Mauritanie.",
             source="Le Monde", kind="press", date="2024-10"),
    inferred("ukraine-helped-rebels", "Ukraine helped the Tuareg rebels against Wagner.",
             "L'Ukraine a aidé les rebelles touaregs contre Wagner.",
             rests_on=["yusov-information", "drone-training"]),
    inferred("article-thesis", "Ukraine indirectly supports the jihadists in Mali.",
             "L'Ukraine soutient indirectement les djihadistes au Mali.",
             rests_on=["ukraine-helped-rebels", "mali-cuts-ties"],
             reasoning="The author chains the help to the rebels and the rebels' ties to JNIM."),
    {"id": "fr-only", "text": {"fr": "Une affirmation qui n'existe qu'en français sur les chameaux du désert."},
     "link": "explicit", "sources": [{"name": "Auteur", "kind": "author", "date": "2025"}]},
    explicit("retired-claim", "A retired claim about the old Sahara caravans.", source="Old source",
             status="retired"),
]


def small_base() -> list[dict[str, Any]]:
    """A fresh deep copy of SMALL_BASE (tests may change it)."""
    return copy.deepcopy(SMALL_BASE)


# Claims as `python -m knowledge import` makes them from a bare file: no stated_in (the file names no article).
NO_ARTICLE_FILE = [
    {"id": "plain-1", "text": "Mali expelled the French ambassador."},
    {"id": "plain-author", "text": "The Sahel caravan routes closed in 2023.", "link": "explicit",
     "sources": [{"name": "Jane Roe", "kind": "author"}]},
    {"id": "plain-comment", "text": "The caravan drivers went on strike in Gao.", "link": "explicit",
     "sources": [{"name": "Omar", "kind": "reader comment"}]},
]


def import_without_article(folder: Path) -> Path:
    """A store made by the command line: the curated base, then NO_ARTICLE_FILE imported with --source Reuters
    --link explicit, as a new user would."""
    from knowledge.cli import main

    source = folder / "f.json"
    source.write_text(json.dumps(NO_ARTICLE_FILE), encoding="utf-8")
    db = folder / "claims.json"
    assert main(["import", str(source), "--db", str(db), "--source", "Reuters", "--link", "explicit"]) == 0
    return db
