"""The claim model and its validation."""

from __future__ import annotations

import re
import sys
from types import MappingProxyType
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Iterable, Mapping, Sequence

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
# tags given as one text are split as /edit splits them ("tags (a, b)"): on commas and line breaks
TAG_SEPARATOR = r"\s*[,\n]\s*"
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


_NONE: Mapping[str, Any] = MappingProxyType({})  # the empty mapping every claim without one shares


class ClaimError(ValueError):
    """A claim failed validation; names the claim and the field.

    position (from 1) and line place a claim that has no id in its file."""

    def __init__(self, claim_id: str | None, field_name: str, message: str, *,
                 position: int | None = None, line: int | None = None) -> None:
        self.claim_id = claim_id
        self.field = field_name
        self.message = message
        self.position = position
        self.line = line
        super().__init__(f"{self.where}, field {field_name!r}: {message}")

    @property
    def where(self) -> str:
        if self.claim_id:
            return f"claim {self.claim_id!r}"
        if self.position is None:
            return "claim without id"
        return f"claim #{self.position} (no id" + (f", line {self.line})" if self.line else ")")

    def at(self, position: int | None, line: int | None = None) -> ClaimError:
        """The same error, placed at the claim's position (from 1) and line in its file."""
        return ClaimError(self.claim_id, self.field, self.message, position=position, line=line)


class InvalidClaim(ClaimError):
    """Every error of one claim record. Its claim_id, field and message are the first error's."""

    def __init__(self, errors: list[ClaimError], rests_on: tuple[str, ...] = ()) -> None:
        first = errors[0]
        super().__init__(first.claim_id, first.field, first.message)
        self.errors = list(errors)
        self.rests_on = rests_on  # the ids it names, when they could be read: checked across the file
        if len(errors) > 1:
            self.args = ("; ".join([str(first), *(f"field {e.field!r}: {e.message}" for e in errors[1:])]),)


@dataclass(frozen=True, slots=True)
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


@dataclass(frozen=True, slots=True)
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


class _Found:
    """The errors found in one claim record, in the order its fields are checked."""

    def __init__(self) -> None:
        self.cid: str | None = None
        self.errors: list[ClaimError] = []

    def add(self, field_name: str, message: str) -> None:
        self.errors.append(ClaimError(self.cid, field_name, message))


def _bad_chars(text: str) -> str | None:
    bad = BAD_CHAR_RE.search(text)
    if not bad:
        return None
    what = "an unpaired surrogate" if "\ud800" <= bad.group() <= "\udfff" else "a control character"
    return f"contains {what} (U+{ord(bad.group()):04X}) at position {bad.start()}"


def _text_field(found: _Found, name: str, value: Any, default_lang: str, limit: int) -> dict[str, str] | None:
    """Texts by language; None when the field has an error."""
    if isinstance(value, str):
        value = {default_lang: value}
    if not isinstance(value, Mapping):
        found.add(name, "must be a text or a mapping of language (fr, en) to text")
        return None
    out: dict[str, str] = {}
    ok = True
    for lang, text in value.items():
        if lang not in LANGS:
            found.add(name, f"unknown language {lang!r} (use fr or en)")
            ok = False
            continue
        if text is None:
            continue
        problem = _text_problem(text, limit)
        if problem:
            found.add(f"{name}.{lang}", problem)
            ok = False
        else:
            out[lang] = text.strip()
    return out if ok else None


def _text_problem(text: Any, limit: int) -> str | None:
    """What is wrong with one text value, or None."""
    if not isinstance(text, str) or not text.strip():
        return "must be a non-empty text"
    if len(text) > limit:
        return f"is longer than {limit} characters"
    return _bad_chars(text)


def _str_list(found: _Found, name: str, value: Any, limit: int = MAX_SHORT,
              separator: str | None = None) -> tuple[str, ...] | None:
    """Distinct stripped texts; None when the field has an error. One text is one item, or, with a
    separator, the items it separates (empty ones dropped)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [item for item in re.split(separator, value.strip()) if item.strip()] if separator else [value]
    if not isinstance(value, (list, tuple)):
        found.add(name, "must be a list of texts")
        return None
    out: list[str] = []
    ok = True
    for i, item in enumerate(value):
        problem = _text_problem(item, limit)
        if problem:
            found.add(f"{name}[{i}]", problem)
            ok = False
        elif item.strip() not in out:
            out.append(item.strip())
    return tuple(out) if ok else None


_BAD = object()  # an optional text with an error


def _opt_str(found: _Found, name: str, value: Any, limit: int = MAX_TEXT) -> Any:
    """The stripped text, None when empty, _BAD when the field has an error."""
    if value is None or value == "":
        return None
    if isinstance(value, (date,)):
        value = value.isoformat()
    if isinstance(value, int) and name.endswith("date"):
        value = str(value)
    if not isinstance(value, str):
        found.add(name, "must be a text")
        return _BAD
    problem = f"is longer than {limit} characters" if len(value) > limit else _bad_chars(value)
    if problem:
        found.add(name, problem)
        return _BAD
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


def _date(found: _Found, name: str, value: Any) -> Any:
    """A date as precise as known (YYYY, YYYY-MM, YYYY-MM-DD), None when empty, _BAD when not a date."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        value = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        value = value.strip(" \t")  # spaces around are harmless; a line break is not a date
        if not value:
            return None
    if not isinstance(value, str) or not _valid_date(value):
        found.add(name, "must be YYYY, YYYY-MM or YYYY-MM-DD (a real date)")
        return _BAD
    return value


URL_RE = re.compile(r"https?://\S+")  # used with fullmatch


def _url(found: _Found, name: str, value: Any) -> Any:
    """A web address (http or https only: readers are shown it), None when empty, _BAD otherwise."""
    url = _opt_str(found, name, value, MAX_SHORT)
    if isinstance(url, str) and not URL_RE.fullmatch(url):
        found.add(name, "must be an http(s) address")
        return _BAD
    return url


def _day(found: _Found, value: Any) -> Any:
    """updated_at: a whole date YYYY-MM-DD, None when empty, _BAD otherwise."""
    if isinstance(value, date):  # YAML reads an unquoted 2024-08-05 as a date
        value = value.isoformat()
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value.strip()) != 10 or not _valid_date(value.strip()):
        found.add("updated_at", "must be a date YYYY-MM-DD (a real date)")
        return _BAD
    return value.strip()


def _source(found: _Found, i: int, raw: Any) -> Source | None:
    name = f"sources[{i}]"
    if isinstance(raw, str):
        raw = {"name": raw, "kind": "other"}
    if not isinstance(raw, Mapping):
        found.add(name, "must be a mapping with name and kind")
        return None
    before = len(found.errors)
    for key in sorted(set(raw) - SOURCE_KEYS, key=str):
        found.add(f"{name}.{key}", "unknown field")
    raw_name = raw.get("name")
    names: dict[str, str] | None = {}
    if isinstance(raw_name, Mapping):  # {fr, en}: the forms of a name that has words to translate
        names = _text_field(found, f"{name}.name", raw_name, "en", MAX_SHORT)
        src_name = _in_lang(names, LANGS[0]) if names else None
        if names == {}:
            found.add(f"{name}.name", "is required")
    else:
        src_name = _opt_str(found, f"{name}.name", raw_name, MAX_SHORT)
        if src_name is None:
            found.add(f"{name}.name", "is required")
    kind = raw.get("kind") or "other"
    if kind not in SOURCE_KINDS:
        found.add(f"{name}.kind", f"must be one of: {', '.join(SOURCE_KINDS)}")
    when = _date(found, f"{name}.date", raw.get("date"))
    url = _url(found, f"{name}.url", raw.get("url"))
    quote = _opt_str(found, f"{name}.quote", raw.get("quote"))
    if len(found.errors) > before:
        return None
    return Source(name=sys.intern(src_name), kind=sys.intern(kind), date=when, quote=quote, url=url,
                  names=names or _NONE)


def claim_from_dict(raw: Any, *, default_lang: str = "en", default_link: str | None = None,
                    default_source: str | None = None, stored: bool = False) -> Claim:
    """Build one claim from plain data, checking every field; InvalidClaim lists every error.

    stored: the record comes from the store, where an inferred claim saved before it needed both
    rests_on and reasoning still loads (any change to it must then add the missing one)."""
    if not isinstance(raw, Mapping):
        raise ClaimError(None, "claim", "must be a mapping")
    found = _Found()
    cid = raw.get("id")
    if cid is None or cid == "":
        found.add("id", "is required: 1-48 letters, digits, '-', '_', '.' or ':'")
    elif isinstance(cid, bool) or not isinstance(cid, (str, int)) or not ID_RE.fullmatch(str(cid)):
        found.cid = str(cid)
        found.add("id", "must be 1-48 letters, digits, '-', '_', '.' or ':'")
    else:
        found.cid = str(cid)
    for key in sorted(set(raw) - CLAIM_KEYS, key=str):
        found.add(str(key), "unknown field")
    text = _text_field(found, "text", raw.get("text"), default_lang, MAX_TEXT)
    if text == {}:
        found.add("text", "needs a text in fr or en")
    link = raw.get("link") or default_link
    if link not in LINKS:
        found.add("link", "must be 'explicit' or 'inferred'")
    sources_raw = raw.get("sources")
    if sources_raw is None:
        sources_raw = [{"name": default_source, "kind": "other"}] if default_source else []
    sources: tuple[Source, ...] | None = None
    if not isinstance(sources_raw, list):
        found.add("sources", "must be a list")
    else:
        built = [_source(found, i, s) for i, s in enumerate(sources_raw)]
        sources = tuple(s for s in built if s is not None) if None not in built else None
    stated_in = _stated_in(found, raw.get("stated_in") or {}, default_lang, stored=stored)
    rests_on = _str_list(found, "rests_on", raw.get("rests_on"), 48)
    reasoning_raw = raw.get("reasoning")
    reasoning = _text_field(found, "reasoning", reasoning_raw, default_lang, MAX_TEXT) if reasoning_raw else {}
    title = _opt_str(found, "title", raw.get("title"), MAX_SHORT)
    aliases = _str_list(found, "aliases", raw.get("aliases"))
    tags = _str_list(found, "tags", raw.get("tags"), 60, TAG_SEPARATOR)
    status = raw.get("status") or "active"
    if status not in STATUSES:
        found.add("status", "must be 'active' or 'retired'")
    updated_at = _opt_str(found, "updated_at", raw.get("updated_at"), 40) if stored else _day(found, raw.get("updated_at"))
    for field_name, message in _rule_errors(found.cid, link, sources, rests_on, reasoning, stored=stored):
        found.add(field_name, message)
    if found.errors:
        raise InvalidClaim(found.errors, rests_on or ())
    assert text and sources is not None and stated_in is not None and rests_on is not None
    assert reasoning is not None and aliases is not None and tags is not None
    return Claim(  # shared empty mappings and interned labels: a base of 100,000 claims holds them all
        id=str(cid), text=text, link=sys.intern(link), sources=sources, stated_in=stated_in or _NONE,
        rests_on=rests_on, reasoning=reasoning or _NONE, aliases=aliases, title=title, tags=tags,
        status=sys.intern(status), updated_at=updated_at,
    )


CHECKED_STATED_IN = {"date": _date, "url": _url}  # as a source's date and url


def _stated_in(found: _Found, raw: Any, default_lang: str, *, stored: bool = False) -> dict[str, Any] | None:
    """stated_in; stored: a date or url saved before they were checked here still loads as it was (any change to
    the claim must then correct it: the error names the field)."""
    if isinstance(raw, str):
        raw = {"title": raw}
    if not isinstance(raw, Mapping):
        found.add("stated_in", "must be a mapping (title, author, part, url, date)")
        return None
    out: dict[str, Any] = {}
    before = len(found.errors)
    for key, value in raw.items():
        if key not in STATED_IN_KEYS:
            found.add(f"stated_in.{key}", "unknown field")
            continue
        if key in TRANSLATED_STATED_IN and isinstance(value, Mapping):  # a label: {fr, en}
            forms = _text_field(found, f"stated_in.{key}", value, default_lang, MAX_SHORT)
            if forms:
                out[key] = forms
            continue
        if key in CHECKED_STATED_IN:
            scratch = _Found() if stored else found
            text_value = CHECKED_STATED_IN[key](scratch, f"stated_in.{key}", value)
            if scratch.errors and stored:
                text_value = _opt_str(found, f"stated_in.{key}", value, MAX_SHORT)
        else:
            text_value = _opt_str(found, f"stated_in.{key}", value, MAX_SHORT)
        if isinstance(text_value, str):
            out[key] = text_value
    return out if len(found.errors) == before else None


def _rule_errors(cid: str | None, link: Any, sources: tuple[Source, ...] | None, rests_on: tuple[str, ...] | None,
                 reasoning: Mapping[str, str] | None, *, stored: bool = False) -> list[tuple[str, str]]:
    """Rules that hold for one claim alone, as (field, message); a field that is None had its own error."""
    errors: list[tuple[str, str]] = []
    if link == "explicit" and sources == ():
        errors.append(("sources", "an explicit claim needs at least one source"))
    older_rule = stored and bool(rests_on or reasoning)  # stores written when either of the two sufficed
    if link == "inferred" and not older_rule:
        if rests_on == ():
            errors.append(("rests_on", "an inferred claim needs rests_on: the ids of the claims the "
                                       "inference starts from"))
        if reasoning == {}:
            errors.append(("reasoning", "an inferred claim needs reasoning: one sentence saying who infers what"))
    if link == "explicit" and rests_on and not stored:  # stores written before this rule still load
        errors.append(("rests_on", EXPLICIT_RESTS_ON))
    if link == "explicit" and reasoning and not stored:
        errors.append(("reasoning", EXPLICIT_REASONING))
    if rests_on and cid in rests_on:
        errors.append(("rests_on", "a claim cannot rest on itself"))
    return errors


EXPLICIT_RESTS_ON = ("an explicit claim rests on no other claim (its source states it): only an inferred claim "
                     "has rests_on, set together with link: inferred and its reasoning")
EXPLICIT_REASONING = ("an explicit claim has no reasoning (its source states it; nobody infers it): only an inferred "
                      "claim has reasoning, set together with link: inferred and its rests_on")


def reloaded(claim: Claim) -> Claim:
    """The claim as it loads back from its stored form; ClaimError when it would not load.

    A Claim built directly skips claim_from_dict; a store must not write what it cannot read back."""
    return claim_from_dict(claim.to_dict())


def check_claim(claim: Claim) -> None:
    """Rules that hold for one claim alone; the first broken one."""
    for field_name, message in _rule_errors(claim.id, claim.link, claim.sources, claim.rests_on, claim.reasoning):
        raise ClaimError(claim.id, field_name, message)


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


@dataclass
class CheckedFile:
    """The records of a claim file checked one by one: the claims that built, and every error."""

    count: int = 0
    claims: dict[str, Claim] = field(default_factory=dict)  # by id, in file order
    places: dict[str, tuple[int, int | None]] = field(default_factory=dict)  # id -> (position from 1, line)
    failed: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id of a record that did not build -> its rests_on
    unnamed: list[tuple[int, int | None, tuple[str, ...]]] = field(default_factory=list)  # no id: (position, line, rests_on)
    errors: list[ClaimError] = field(default_factory=list)

    def cross_errors(self, after: Mapping[str, Claim], looked_in: str = "this file") -> list[ClaimError]:
        """Rules across the base `after` (this file's claims and any others): each rests_on id exists,
        no cycle. Ids of records that failed on their own are not blamed twice. looked_in says where a
        missing id was looked for ("this file nor in the base")."""
        errors: list[ClaimError] = []
        named = [(c.id, c.rests_on) for c in after.values()] + list(self.failed.items())
        for claim_id, rests_on in named:
            for dep in rests_on:
                if dep not in after and dep not in self.failed:
                    errors.append(self.placed(claim_id, "rests_on", f"names {dep!r}, which is not in {looked_in}"))
        for position, line, rests_on in self.unnamed:  # placed by position, as their other errors are
            for dep in rests_on:
                if dep not in after and dep not in self.failed:
                    errors.append(ClaimError(None, "rests_on", f"names {dep!r}, which is not in {looked_in}",
                                             position=position, line=line))
        cycle = find_cycle(after)
        if cycle:
            errors.append(self.placed(cycle[0], "rests_on", "forms a cycle: " + " -> ".join(cycle)))
        return errors

    def placed(self, claim_id: str, field_name: str, message: str) -> ClaimError:
        position, line = self.places.get(claim_id, (None, None))
        return ClaimError(claim_id, field_name, message, position=position, line=line)

    def in_file_order(self, errors: Iterable[ClaimError]) -> list[ClaimError]:
        """Errors sorted by the position of their claim in the file (stable: a claim's field errors first);
        errors about claims the file does not hold come last."""
        return sorted(errors, key=lambda e: (e.position is None, e.position or 0))


def check_records(items: Iterable[Any], *, lines: Sequence[int | None] = (), **defaults: Any) -> CheckedFile:
    """Check each record of a file on its own (every field error), and that no id appears twice.

    lines: the line each record starts on, when known, to place the records that have no id."""
    checked = CheckedFile()
    for position, item in enumerate(items, 1):
        checked.count = position
        line = lines[position - 1] if position <= len(lines) else None
        try:
            claim = claim_from_dict(item, **defaults)
        except ClaimError as exc:
            checked.errors.extend(e.at(position, line) for e in getattr(exc, "errors", [exc]))
            if exc.claim_id in checked.places:
                checked.errors.append(ClaimError(exc.claim_id, "id", "appears more than once in the file",
                                                 position=position, line=line))
            elif exc.claim_id:
                checked.places[exc.claim_id] = (position, line)
                checked.failed[exc.claim_id] = getattr(exc, "rests_on", ())
            else:
                checked.unnamed.append((position, line, getattr(exc, "rests_on", ())))
            continue
        if claim.id in checked.claims or claim.id in checked.failed:
            checked.errors.append(ClaimError(claim.id, "id", "appears more than once in the file",
                                             position=position, line=line))
            continue
        checked.claims[claim.id] = claim
        checked.places[claim.id] = (position, line)
    return checked


def validate_items(items: Iterable[Any], *, lines: Sequence[int | None] = (),
                   **defaults: Any) -> tuple[list[Claim], list[ClaimError]]:
    """Every claim that builds, and every error found (each field of each claim, then across the file's
    claims), in file order."""
    checked = check_records(items, lines=lines, **defaults)
    errors = checked.in_file_order([*checked.errors, *checked.cross_errors(checked.claims)])
    return list(checked.claims.values()), errors
