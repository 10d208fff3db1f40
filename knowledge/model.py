"""The claim model and its validation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping

LANGS = ("fr", "en")
LINKS = ("explicit", "inferred")
STATUSES = ("active", "retired")
SOURCE_KINDS = (
    "official statement",
    "press",
    "research institute",
    "author",
    "reader comment",
    "other",
)
ID_RE = re.compile(r"[A-Za-z0-9_.:-]{1,48}")  # used with fullmatch: "$" would let a final newline in
DATE_RE = re.compile(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?")
CLAIM_KEYS = {
    "id", "title", "text", "link", "sources", "stated_in", "rests_on",
    "reasoning", "aliases", "tags", "status", "updated_at",
}
SOURCE_KEYS = {"name", "kind", "date", "quote", "url"}
STATED_IN_KEYS = {"title", "author", "part", "url", "date"}
TRANSLATED_STATED_IN = {"part"}  # a label such as "reader comments"; title and author are names, kept as given
MAX_TEXT = 2000
MAX_SHORT = 300
# unpaired surrogates cannot be stored or sent as UTF-8; C0 controls (but tab, CR, LF) have no place in a claim
BAD_CHAR_RE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ClaimError(ValueError):
    """A claim failed validation; names the claim and the field."""

    def __init__(self, claim_id: str | None, field_name: str, message: str) -> None:
        self.claim_id = claim_id
        self.field = field_name
        self.message = message
        where = f"claim {claim_id!r}" if claim_id else "claim without id"
        super().__init__(f"{where}, field {field_name!r}: {message}")


@dataclass(frozen=True)
class Source:
    """A source a claim is attributed to by the text it was read in.

    name is one text when it reads the same in every language ("Le Monde"); names holds its fr/en forms
    when it has words to translate ("porte-parole du GUR" / "GUR spokesman"), and name is then its first form."""

    name: str
    kind: str
    date: str | None = None
    quote: str | None = None
    url: str | None = None
    names: Mapping[str, str] = field(default_factory=dict)

    def name_in(self, lang: str) -> str:
        """The name in lang, else in the other language."""
        return _in_lang(self.names, lang) if self.names else self.name

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": dict(self.names) if self.names else self.name, "kind": self.kind}
        for key in ("date", "quote", "url"):
            value = getattr(self, key)
            if value:
                out[key] = value
        return out


@dataclass(frozen=True)
class Claim:
    """One claim of the base."""

    id: str
    text: Mapping[str, str]
    link: str
    sources: tuple[Source, ...] = ()
    stated_in: Mapping[str, Any] = field(default_factory=dict)  # texts; "part" may also be a {fr, en} mapping
    rests_on: tuple[str, ...] = ()
    reasoning: Mapping[str, str] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()
    title: str | None = None
    tags: tuple[str, ...] = ()
    status: str = "active"
    updated_at: str | None = None

    @property
    def active(self) -> bool:
        return self.status == "active"

    def text_in(self, lang: str) -> str:
        """The claim text in lang, else in the other language."""
        return _in_lang(self.text, lang)

    def reasoning_in(self, lang: str) -> str:
        return _in_lang(self.reasoning, lang) if self.reasoning else ""

    def stated_in_value(self, key: str, lang: str) -> str:
        """One stated_in field in lang ("" when absent); only "part" has per-language forms."""
        value = self.stated_in.get(key) or ""
        return _in_lang(value, lang) if isinstance(value, Mapping) else value

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.title:
            out["title"] = self.title
        out["text"] = dict(self.text)
        out["link"] = self.link
        out["sources"] = [s.to_dict() for s in self.sources]
        if self.stated_in:
            out["stated_in"] = {k: dict(v) if isinstance(v, Mapping) else v for k, v in self.stated_in.items()}
        if self.rests_on:
            out["rests_on"] = list(self.rests_on)
        if self.reasoning:
            out["reasoning"] = dict(self.reasoning)
        out["aliases"] = list(self.aliases)
        out["tags"] = list(self.tags)
        out["status"] = self.status
        if self.updated_at:
            out["updated_at"] = self.updated_at
        return out


def _in_lang(texts: Mapping[str, str], lang: str) -> str:
    if lang in texts:
        return texts[lang]
    for other in LANGS:
        if other in texts:
            return texts[other]
    return next(iter(texts.values()), "")


def _check_chars(cid: str | None, name: str, text: str) -> None:
    bad = BAD_CHAR_RE.search(text)
    if bad:
        what = "an unpaired surrogate" if "\ud800" <= bad.group() <= "\udfff" else "a control character"
        raise ClaimError(cid, name, f"contains {what} (U+{ord(bad.group()):04X}) at position {bad.start()}")


def _text_field(cid: str | None, name: str, value: Any, default_lang: str, limit: int) -> dict[str, str]:
    if isinstance(value, str):
        value = {default_lang: value}
    if not isinstance(value, Mapping):
        raise ClaimError(cid, name, "must be a text or a mapping of language (fr, en) to text")
    out: dict[str, str] = {}
    for lang, text in value.items():
        if lang not in LANGS:
            raise ClaimError(cid, name, f"unknown language {lang!r} (use fr or en)")
        if text is None:
            continue
        if not isinstance(text, str) or not text.strip():
            raise ClaimError(cid, f"{name}.{lang}", "must be a non-empty text")
        if len(text) > limit:
            raise ClaimError(cid, f"{name}.{lang}", f"is longer than {limit} characters")
        _check_chars(cid, f"{name}.{lang}", text)
        out[lang] = text.strip()
    return out


def _str_list(cid: str | None, name: str, value: Any, limit: int = MAX_SHORT) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        raise ClaimError(cid, name, "must be a list of texts")
    out: list[str] = []
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise ClaimError(cid, f"{name}[{i}]", "must be a non-empty text")
        if len(item) > limit:
            raise ClaimError(cid, f"{name}[{i}]", f"is longer than {limit} characters")
        _check_chars(cid, f"{name}[{i}]", item)
        if item.strip() not in out:
            out.append(item.strip())
    return tuple(out)


def _opt_str(cid: str | None, name: str, value: Any, limit: int = MAX_TEXT) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, (date,)):
        value = value.isoformat()
    if isinstance(value, int) and name.endswith("date"):
        value = str(value)
    if not isinstance(value, str):
        raise ClaimError(cid, name, "must be a text")
    if len(value) > limit:
        raise ClaimError(cid, name, f"is longer than {limit} characters")
    _check_chars(cid, name, value)
    return value.strip() or None


def _valid_date(text: str) -> bool:
    if not DATE_RE.fullmatch(text):
        return False
    if len(text) == 10:
        try:
            date.fromisoformat(text)
        except ValueError:  # 2024-02-30
            return False
    return True


def _source(cid: str | None, i: int, raw: Any) -> Source:
    name = f"sources[{i}]"
    if isinstance(raw, str):
        raw = {"name": raw, "kind": "other"}
    if not isinstance(raw, Mapping):
        raise ClaimError(cid, name, "must be a mapping with name and kind")
    unknown = set(raw) - SOURCE_KEYS
    if unknown:
        raise ClaimError(cid, f"{name}.{sorted(unknown)[0]}", "unknown field")
    raw_name = raw.get("name")
    names: dict[str, str] = {}
    if isinstance(raw_name, Mapping):  # {fr, en}: the forms of a name that has words to translate
        names = _text_field(cid, f"{name}.name", raw_name, "en", MAX_SHORT)
        src_name = _in_lang(names, LANGS[0]) if names else None
    else:
        src_name = _opt_str(cid, f"{name}.name", raw_name, MAX_SHORT)
    if not src_name:
        raise ClaimError(cid, f"{name}.name", "is required")
    kind = raw.get("kind") or "other"
    if kind not in SOURCE_KINDS:
        raise ClaimError(cid, f"{name}.kind", f"must be one of: {', '.join(SOURCE_KINDS)}")
    when = _opt_str(cid, f"{name}.date", raw.get("date"), 10)
    if when and not _valid_date(when):
        raise ClaimError(cid, f"{name}.date", "must be YYYY, YYYY-MM or YYYY-MM-DD (a real date)")
    url = _opt_str(cid, f"{name}.url", raw.get("url"), MAX_SHORT)
    if url and not re.match(r"^https?://\S+$", url):
        raise ClaimError(cid, f"{name}.url", "must be an http(s) address")
    quote = _opt_str(cid, f"{name}.quote", raw.get("quote"))
    return Source(name=src_name, kind=kind, date=when, quote=quote, url=url, names=names)


def claim_from_dict(raw: Any, *, default_lang: str = "en", default_link: str | None = None,
                    default_source: str | None = None) -> Claim:
    """Build one claim from plain data, checking each field on its own."""
    if not isinstance(raw, Mapping):
        raise ClaimError(None, "claim", "must be a mapping")
    cid = raw.get("id")
    if isinstance(cid, bool) or not isinstance(cid, (str, int)) or not ID_RE.fullmatch(str(cid)):
        raise ClaimError(str(cid) if cid is not None else None, "id",
                         "must be 1-48 letters, digits, '-', '_', '.' or ':'")
    cid = str(cid)
    unknown = set(raw) - CLAIM_KEYS
    if unknown:
        raise ClaimError(cid, sorted(unknown)[0], "unknown field")
    text = _text_field(cid, "text", raw.get("text"), default_lang, MAX_TEXT)
    if not text:
        raise ClaimError(cid, "text", "needs a text in fr or en")
    link = raw.get("link") or default_link
    if link not in LINKS:
        raise ClaimError(cid, "link", "must be 'explicit' or 'inferred'")
    sources_raw = raw.get("sources")
    if sources_raw is None:
        sources_raw = [{"name": default_source, "kind": "other"}] if default_source else []
    if not isinstance(sources_raw, list):
        raise ClaimError(cid, "sources", "must be a list")
    sources = tuple(_source(cid, i, s) for i, s in enumerate(sources_raw))
    stated_in_raw = raw.get("stated_in") or {}
    if isinstance(stated_in_raw, str):
        stated_in_raw = {"title": stated_in_raw}
    if not isinstance(stated_in_raw, Mapping):
        raise ClaimError(cid, "stated_in", "must be a mapping (title, author, part, url, date)")
    stated_in: dict[str, Any] = {}
    for key, value in stated_in_raw.items():
        if key not in STATED_IN_KEYS:
            raise ClaimError(cid, f"stated_in.{key}", "unknown field")
        if key in TRANSLATED_STATED_IN and isinstance(value, Mapping):
            forms = _text_field(cid, f"stated_in.{key}", value, default_lang, MAX_SHORT)
            if forms:
                stated_in[key] = forms
            continue
        text_value = _opt_str(cid, f"stated_in.{key}", value, MAX_SHORT)
        if text_value:
            stated_in[key] = text_value
    rests_on = _str_list(cid, "rests_on", raw.get("rests_on"), 48)
    reasoning_raw = raw.get("reasoning")
    reasoning = _text_field(cid, "reasoning", reasoning_raw, default_lang, MAX_TEXT) if reasoning_raw else {}
    title = _opt_str(cid, "title", raw.get("title"), MAX_SHORT)
    status = raw.get("status") or "active"
    if status not in STATUSES:
        raise ClaimError(cid, "status", "must be 'active' or 'retired'")
    updated_at = _opt_str(cid, "updated_at", raw.get("updated_at"), 40)
    claim = Claim(
        id=cid, text=text, link=link, sources=sources, stated_in=stated_in,
        rests_on=rests_on, reasoning=reasoning,
        aliases=_str_list(cid, "aliases", raw.get("aliases")),
        title=title, tags=_str_list(cid, "tags", raw.get("tags"), 60),
        status=status, updated_at=updated_at,
    )
    check_claim(claim)
    return claim


def reloaded(claim: Claim) -> Claim:
    """The claim as it loads back from its stored form; ClaimError when it would not load.

    A Claim built directly skips claim_from_dict; a store must not write what it cannot read back."""
    return claim_from_dict(claim.to_dict())


def check_claim(claim: Claim) -> None:
    """Rules that hold for one claim alone."""
    if claim.link == "explicit" and not claim.sources:
        raise ClaimError(claim.id, "sources", "an explicit claim needs at least one source")
    if claim.link == "inferred" and not (claim.rests_on or claim.reasoning):
        raise ClaimError(claim.id, "rests_on", "an inferred claim needs rests_on or reasoning")
    if claim.id in claim.rests_on:
        raise ClaimError(claim.id, "rests_on", "a claim cannot rest on itself")


def check_base(claims: Iterable[Claim]) -> None:
    """Rules across claims: unique ids, rests_on ids exist, no cycle."""
    by_id: dict[str, Claim] = {}
    for claim in claims:
        if claim.id in by_id:
            raise ClaimError(claim.id, "id", "is used by more than one claim")
        by_id[claim.id] = claim
    for claim in by_id.values():
        for dep in claim.rests_on:
            if dep not in by_id:
                raise ClaimError(claim.id, "rests_on", f"names {dep!r}, which is not in the base")
    cycle = find_cycle(by_id)
    if cycle:
        raise ClaimError(cycle[0], "rests_on", "forms a cycle: " + " -> ".join(cycle))


def find_cycle(by_id: Mapping[str, Claim]) -> list[str] | None:
    """A rests_on cycle as a list of ids (first id repeated at the end), or None."""
    state: dict[str, int] = {}
    for start in by_id:
        if state.get(start):
            continue
        stack: list[tuple[str, Iterable[str]]] = [(start, iter(by_id[start].rests_on))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
                continue
            if child not in by_id:
                continue
            if state.get(child) == 1:
                return path[path.index(child):] + [child]
            if not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(by_id[child].rests_on)))
    return None


def claims_from_data(items: Iterable[Any], **defaults: Any) -> list[Claim]:
    """Build and check a whole base; the first error names its claim and field."""
    claims = [claim_from_dict(item, **defaults) for item in items]
    check_base(claims)
    return claims


def validate_items(items: Iterable[Any], **defaults: Any) -> tuple[list[Claim], list[ClaimError]]:
    """Every claim that builds, and every error found (per claim, then across the base)."""
    claims: list[Claim] = []
    errors: list[ClaimError] = []
    for item in items:
        try:
            claims.append(claim_from_dict(item, **defaults))
        except ClaimError as exc:
            errors.append(exc)
    if not errors:
        try:
            check_base(claims)
        except ClaimError as exc:
            errors.append(exc)
    return claims, errors
