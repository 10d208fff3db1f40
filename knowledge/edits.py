"""One-field edits of a claim record, as moderators type them: `/edit <id> <field> <value>`."""

from __future__ import annotations

import copy
import html
import re
from typing import Any

from .model import (EXPLICIT_REASONING, EXPLICIT_RESTS_ON, ID_RE, LANGS, SOURCE_KEYS, STATED_IN_KEYS, TAG_SEPARATOR,
                    TRANSLATED_STATED_IN, Claim, ClaimError, claim_from_dict)
from .text import STOP_WORDS, fold

CLEAR = "-"
LIST_SEPARATORS = {"aliases": r"\s*\|\s*|\n", "tags": TAG_SEPARATOR, "rests_on": r"[\s,]+"}
FIELDS_HELP = (
    "text.fr, text.en, title, link, reasoning.fr, reasoning.en, rests_on (ids), aliases (a | b), "
    "tags (a, b), stated_in.title|author|part|url|date, sources.N.name|kind|date|quote|url "
    "(N from 1; N = one more than the count adds a source), sources.N (value - removes it), "
    "sources.N.name.fr|en and stated_in.part.fr|en (a form per language; a one-text value stands for the other). "
    "The value - clears a field."
)


class ChangeRefused(ValueError):
    """A change that would break a rule of the base or change nothing; the message says why."""


# link, rests_on and reasoning change together (CLAIMS.md), which one-field edits cannot do
IN_ONE_GO = "/export, change the claim in the file, /import it"
HOW_TO_MAKE_INFERRED = f"to make it inferred, set link: inferred, rests_on and reasoning together: {IN_ONE_GO}"
INFERRED_ONLY = {"rests_on": EXPLICIT_RESTS_ON, "reasoning": EXPLICIT_REASONING}


def edit_record(record: dict[str, Any], field: str, value: str) -> dict[str, Any]:
    """A copy of the claim record with one field set (value '-' clears it); the caller validates it."""
    rec = copy.deepcopy(record)
    field, value = field.strip(), value.strip()
    clear = value == CLEAR
    if not value:
        raise ChangeRefused(f"give a value for {field} ('-' clears it)")
    parts = field.split(".")
    head = parts[0]
    _check_link_rules(rec, head, value, clear)
    if head in ("text", "reasoning"):
        if len(parts) != 2 or parts[1] not in LANGS:
            raise ChangeRefused(f"say which language: {head}.fr or {head}.en")
        texts = dict(rec.get(head) or {})
        if clear:
            texts.pop(parts[1], None)
            if head == "text" and not texts:
                other = next(lang for lang in LANGS if lang != parts[1])
                raise ChangeRefused(f"a claim needs a French or English text, and {field} is its only one: set "
                                    f"text.{other} first, then clear {field}")
        else:
            texts[parts[1]] = value
        _set(rec, head, texts or None)
    elif head in ("title", "link") and len(parts) == 1:
        _set(rec, head, None if clear else value)
        if head == "link" and value == "explicit":  # an explicit claim has neither; the change shows what went
            rec.pop("rests_on", None)
            rec.pop("reasoning", None)
    elif head in LIST_SEPARATORS and len(parts) == 1:
        rec[head] = [] if clear else split_list(head, value)
    elif head == "stated_in" and len(parts) == 2 and parts[1] in STATED_IN_KEYS:
        where = dict(rec.get("stated_in") or {})
        if clear:
            where.pop(parts[1], None)
        else:
            where[parts[1]] = value
        _set(rec, "stated_in", where or None)
    elif head == "stated_in" and len(parts) == 3 and parts[1] in TRANSLATED_STATED_IN and parts[2] in LANGS:
        where = dict(rec.get("stated_in") or {})
        _set(where, parts[1], _set_form(where.get(parts[1]), parts[2], value, clear))
        _set(rec, "stated_in", where or None)
    elif head == "sources" and len(parts) in (2, 3, 4):
        rec["sources"] = _edit_sources(list(rec.get("sources") or []), parts, value, clear)
    elif head == "id":
        raise ChangeRefused("ids are stable (other claims and links name them): retire this claim and add a new one")
    elif head == "status":
        raise ChangeRefused("use /retire or /restore to change the status")
    elif head == "updated_at":
        raise ChangeRefused("updated_at is set on every change")
    else:
        raise ChangeRefused(f"unknown field {field!r}; fields: {FIELDS_HELP}")
    return rec


def typed_field(field: str) -> str:
    """A field as claim checks name it (sources[2].kind, counted from 0) named as /edit takes it: sources.3.kind."""
    return re.sub(r"\[(\d+)\]", lambda m: f".{int(m.group(1)) + 1}", field)


def refusal(exc: ClaimError) -> ChangeRefused:
    """A claim check's error as a refused change, its field named as moderators type it."""
    return ChangeRefused(f"{exc.where}, field {typed_field(exc.field)!r}: {exc.message}")


def _check_link_rules(rec: dict[str, Any], head: str, value: str, clear: bool) -> None:
    """Refuse, before any value is typed, what an explicit claim cannot get by one edit: rests_on or reasoning
    (clearing one is allowed: a store written before the rule may hold them), or link: inferred without both."""
    if rec.get("link") != "explicit":
        return
    if head in INFERRED_ONLY and not clear:
        where = ClaimError(str(rec.get("id")), head, INFERRED_ONLY[head])
        raise ChangeRefused(f"{where} ({IN_ONE_GO})")
    if head == "link" and value.strip() == "inferred" and not (rec.get("rests_on") and rec.get("reasoning")):
        raise ChangeRefused(f"{rec.get('id')} is explicit, and an inferred claim also needs rests_on (the claims it "
                            f"rests on) and reasoning (who infers what), which one edit cannot set; to make it "
                            f"inferred, set the three together: {IN_ONE_GO}")


def _set(rec: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        rec.pop(key, None)
    else:
        rec[key] = value


def _set_form(current: Any, lang: str, value: str, clear: bool) -> Any:
    """A text's forms with the lang form set or cleared; a one-text current value is kept as the other form,
    and a single form left becomes one text again."""
    if isinstance(current, dict):
        forms = dict(current)
    elif current:
        forms = {other: current for other in LANGS if other != lang}
    else:
        forms = {}
    if clear:
        forms.pop(lang, None)
    else:
        forms[lang] = value
    if len(forms) <= 1:
        return next(iter(forms.values()), None)
    return {other: forms[other] for other in LANGS if other in forms}


def _edit_sources(sources: list[Any], parts: list[str], value: str, clear: bool) -> list[Any]:
    try:
        number = int(parts[1])
    except ValueError:
        raise ChangeRefused("sources are numbered from 1: sources.1.name, sources.2.date, …") from None
    if not 1 <= number <= len(sources) + 1:
        raise ChangeRefused(f"this claim has {len(sources)} source(s): use sources.1 to sources.{len(sources) + 1}")
    if len(parts) == 2:
        if not clear or number > len(sources):
            raise ChangeRefused(f"sources.{number} takes only '-' (remove it); edit sources.{number}.name, .kind, …")
        del sources[number - 1]
        return sources
    key = parts[2]
    if key not in SOURCE_KEYS:
        raise ChangeRefused(f"a source has: {', '.join(sorted(SOURCE_KEYS))}")
    lang = parts[3] if len(parts) == 4 else None
    if len(parts) == 4 and (key != "name" or lang not in LANGS):
        raise ChangeRefused(f"only a source's name has a form per language: sources.{number}.name.fr or .en")
    if number == len(sources) + 1:
        if clear:
            raise ChangeRefused(f"there is no source {number} to clear")
        sources.append({"kind": "other"})
    source = dict(sources[number - 1]) if isinstance(sources[number - 1], dict) else {"name": sources[number - 1]}
    if lang:
        _set(source, key, _set_form(source.get(key), lang, value, clear))
    elif clear:
        source.pop(key, None)
    else:
        source[key] = value
    sources[number - 1] = source
    return sources


def split_list(field: str, value: str) -> list[str]:
    return [item for item in re.split(LIST_SEPARATORS[field], value.strip()) if item.strip()]


def field_value(record: dict[str, Any], field: str) -> Any:
    """The current value of a field named as in edit_record, or None."""
    node: Any = record
    for part in field.split("."):
        if isinstance(node, list):
            try:
                node = node[int(part) - 1]
            except (ValueError, IndexError):
                return None
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def editable_fields(claim: Claim) -> list[str]:
    """The fields a guided edit offers for this claim."""
    fields = ["text.fr", "text.en", "title", "link"]
    if claim.link == "inferred":
        fields += ["reasoning.fr", "reasoning.en", "rests_on"]
    fields += ["aliases", "tags", "stated_in.title", "stated_in.author"]
    for number in range(1, len(claim.sources) + 1):
        fields += [f"sources.{number}.{key}" for key in ("name", "kind", "date", "quote", "url")]
    fields.append(f"sources.{len(claim.sources) + 1}.name")
    return fields


def makes_stated(before: Claim, after: Claim) -> bool:
    """Whether a change makes a claim explicit, or changes the sources of an explicit claim: readers would then
    read that those sources state it themselves (CLAIMS.md), which a moderator should see before it is saved."""
    return after.link == "explicit" and (before.link != "explicit" or before.sources != after.sources)


def changed_fields(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    """Top-level fields that differ, updated_at left out."""
    before, after = before or {}, after or {}
    keys = [k for k in dict.fromkeys([*before, *after]) if k != "updated_at"]
    return [k for k in keys if before.get(k) != after.get(k)]


MARKUP_RE = re.compile(r"</?[A-Za-z][^<>]*>")  # an HTML tag as moderators may type one: <b>, </i>, <a href=…>


def propose_id(text: str, taken: set[str] | frozenset[str] = frozenset(), words: int = 6) -> str:
    """A slug from a claim text, unused in taken, within the id rules; tags and entities typed in the text
    (<b>, &amp;) are left out, as readers see the text."""
    text = html.unescape(MARKUP_RE.sub(" ", text))
    tokens = [w for w in fold(text).split() if w not in STOP_WORDS] or fold(text).split() or ["claim"]
    slug = tokens[0][:40]
    for token in tokens[1:words]:  # whole words only, within 40 characters
        if len(slug) + 1 + len(token) > 40:
            break
        slug = f"{slug}-{token}"
    candidate, number = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{number}"
        number += 1
    assert ID_RE.match(candidate)
    return candidate


_PROBE = {"id": "probe", "text": {"en": "probe"}, "link": "explicit", "sources": [{"name": "probe", "kind": "other"}]}
_INFERRED_PROBE = {"id": "probe", "text": {"en": "probe"}, "link": "inferred", "rests_on": ["other"],
                   "reasoning": {"en": "probe"}}


def check_part(field: str, value: str) -> str:
    """Check one value as a claim file's field is checked (field named as in edit_record); the value, stripped."""
    probe = _INFERRED_PROBE if field.split(".")[0] in INFERRED_ONLY else _PROBE
    try:
        claim_from_dict(edit_record(probe, field, value))
    except ClaimError as exc:
        raise ChangeRefused(exc.message) from exc
    return value.strip()


def check_id(value: str) -> str:
    value = value.strip()
    if not ID_RE.match(value):
        raise ChangeRefused("an id is 1-48 letters, digits, '-', '_', '.' or ':'")
    return value


def check_field(record: dict[str, Any], field: str) -> None:
    """ChangeRefused when field cannot be edited in this record, whatever the value."""
    edit_record(record, field, "x")
