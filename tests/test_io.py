"""knowledge.io: claim files in YAML, JSON (list or {claims}), JSON lines; clear errors; limits."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge import io
from knowledge.io import FileFormatError, dump_claims, file_kind, parse_items, read_items, write_claims
from knowledge.model import claim_from_dict, claims_from_data

from helpers.claims import small_base
from helpers.strategies import claim_records


def write_as(path: Path, records: list[dict], shape: str) -> Path:
    if shape == "yaml-list":
        path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    elif shape == "yaml-claims":
        path.write_text(yaml.safe_dump({"claims": records}, allow_unicode=True), encoding="utf-8")
    elif shape == "json-list":
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    elif shape == "json-claims":
        path.write_text(json.dumps({"claims": records}, indent=2), encoding="utf-8")
    else:
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("shape, name", [
    ("yaml-list", "base.yaml"), ("yaml-claims", "base.yml"), ("json-list", "base.json"),
    ("json-claims", "base.JSON"), ("jsonl", "base.jsonl"), ("jsonl", "base.ndjson"),
])
def test_every_format_reads_the_same_records(tmp_path, shape, name):
    records = small_base()
    path = write_as(tmp_path / name, records, shape)
    assert read_items(path) == records
    assert claims_from_data(read_items(path)) == claims_from_data(records)


@pytest.mark.parametrize("name, kind", [("a.yaml", "yaml"), ("a.YML", "yaml"), ("a.json", "json"),
                                        ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl")])
def test_file_kind_by_extension(name, kind):
    assert file_kind(name) == kind


@pytest.mark.parametrize("name", ["claims.txt", "claims", "claims.csv", "claims.json.bak"])
def test_an_unknown_extension_is_refused_naming_the_file(name):
    with pytest.raises(FileFormatError) as info:
        file_kind(name)
    assert name in str(info.value)


def test_a_plain_string_text_takes_the_given_language(tmp_path):
    path = tmp_path / "plain.yaml"
    path.write_text("- id: plain\n  text: Le Mali a rompu avec l'Ukraine.\n  link: explicit\n"
                    "  sources: [Le Monde]\n", encoding="utf-8")
    claim = claim_from_dict(read_items(path)[0], default_lang="fr")
    assert dict(claim.text) == {"fr": "Le Mali a rompu avec l'Ukraine."}
    assert claim.sources[0].name == "Le Monde" and claim.sources[0].kind == "other"


def test_unquoted_yaml_dates_keep_their_precision(tmp_path):
    path = tmp_path / "dates.yaml"
    path.write_text("claims:\n"
                    "- {id: a, text: A, link: explicit, sources: [{name: X, kind: press, date: 2024-07-29}]}\n"
                    "- {id: b, text: B, link: explicit, sources: [{name: X, kind: press, date: 2024-10}]}\n"
                    "- {id: c, text: C, link: explicit, sources: [{name: X, kind: press, date: 2025}]}\n",
                    encoding="utf-8")
    dates = [claim_from_dict(r).sources[0].date for r in read_items(path)]
    assert dates == ["2024-07-29", "2024-10", "2025"]


@pytest.mark.parametrize("name, content, says", [
    ("bad.yaml", "claims:\n  - id: a\n   text: misaligned\n", "not valid YAML"),
    ("bad.yaml", "- id: [unclosed\n", "not valid YAML"),
    ("bad.json", '[{"id": "a",}]', "not valid JSON"),
    ("bad.json", "", "not valid JSON"),
    ("bad.jsonl", '{"id": "a"}\n{"id": "b"\n', "line 2"),
    ("bad.json", '{"items": []}', "expected a list of claims"),
    ("bad.json", '"just a string"', "expected a list of claims"),
    ("bad.yaml", "just a sentence\n", "expected a list of claims"),
    ("bad.json", '{"claims": {"id": "a"}}', "expected a list of claims"),
])
def test_bad_files_give_file_format_error_naming_the_file(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FileFormatError) as info:
        read_items(path)
    assert str(path) in str(info.value) and says in str(info.value)


@pytest.mark.parametrize("content, says", [
    ("claims:\n  - id: a\n   text: misaligned\n",
     "line 3, column 4: not valid YAML: expected the end of the indented block, but found a 'key: value' indented "
     "differently (in the list that starts on line 2); check the indentation"),
    ("claims:\n- id: a\n  text: x: y\n", "line 3, column 10: not valid YAML: a ': ' where no key can start"),
    ('claims:\n- id: a\n  text: "open\n', "line 4, column 1: not valid YAML: the file ends before it is closed (in the "
                                           "quoted text that starts on line 3)"),
    ("claims:\n- id: a\n\ttext: b\n", "line 3, column 1: not valid YAML: a tab character; YAML indents with spaces"),
    ("- id: [unclosed\n", "line 2, column 1: not valid YAML: expected ',' or ']', but got the end of the file (in the "
                          "[ ] list that starts on line 1)"),
    ("- id: a\n---\n- id: b\n", "line 2, column 1: not valid YAML: a second document ('---')"),
])
def test_a_malformed_yaml_file_is_named_with_its_line_in_plain_words(tmp_path, content, says):
    """The trial: the parser's own text, 'in "<unicode string>", line 3', with its token names."""
    path = tmp_path / "claims.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(FileFormatError) as info:
        read_items(path)
    message = str(info.value)
    assert message == f"{path}, {says}" or message.startswith(f"{path}, {says}")
    assert "<unicode string>" not in message and "<block" not in message and "\n" not in message


def test_a_malformed_json_file_is_named_with_its_line(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text('{"claims": [\n  {"id": "a",}\n]}', encoding="utf-8")
    with pytest.raises(FileFormatError) as info:
        read_items(path)
    assert str(info.value) == f"{path}, line 2, column 14: not valid JSON (Expecting property name enclosed in double quotes)"


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(FileFormatError) as info:
        read_items(tmp_path / "nowhere.yaml")
    assert "nowhere.yaml" in str(info.value)


def test_a_file_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("- id: été\n".encode("latin-1"))
    with pytest.raises(FileFormatError) as info:
        read_items(path)
    assert "latin1.yaml" in str(info.value) and "UTF-8" in str(info.value)


def test_a_folder_named_like_a_claim_file_is_a_file_format_error(tmp_path):
    (tmp_path / "claims.json").mkdir()
    with pytest.raises(FileFormatError) as info:
        read_items(tmp_path / "claims.json")
    assert "claims.json" in str(info.value)


def test_an_empty_yaml_file_holds_no_claims(tmp_path):
    (tmp_path / "empty.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert read_items(tmp_path / "empty.yaml") == []


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(io, "MAX_FILE_BYTES", 1000)
    path = write_as(tmp_path / "big.json", small_base(), "json-list")
    assert path.stat().st_size > 1000
    with pytest.raises(FileFormatError) as info:
        read_items(path)
    assert "big.json" in str(info.value) and "larger than" in str(info.value)
    with pytest.raises(FileFormatError):
        parse_items(path.read_text(encoding="utf-8"), "json", "big.json")


@pytest.mark.parametrize("shape, name", [("json-list", "n.json"), ("jsonl", "n.jsonl"), ("yaml-claims", "n.yaml")])
def test_a_file_over_the_claim_count_limit_is_refused(tmp_path, monkeypatch, shape, name):
    monkeypatch.setattr(io, "MAX_CLAIMS", 5)
    path = write_as(tmp_path / name, small_base()[:6], shape)
    with pytest.raises(FileFormatError) as info:
        read_items(path)
    assert name in str(info.value) and "more than 5 claims" in str(info.value)
    assert len(read_items(write_as(tmp_path / ("ok-" + name), small_base()[:5], shape))) == 5


@pytest.mark.parametrize("name", ["out.yaml", "out.json", "out.jsonl", "sub/dir/out.yml"])
def test_write_then_read_gives_the_same_claims(tmp_path, claims, name):
    write_claims(tmp_path / name, claims)
    assert claims_from_data(read_items(tmp_path / name)) == claims


def test_write_to_an_unknown_extension_writes_nothing(tmp_path, claims):
    with pytest.raises(FileFormatError):
        write_claims(tmp_path / "out.txt", claims)
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(claim_records(), min_size=1, max_size=4, unique_by=lambda r: r["id"]),
       st.sampled_from(["yaml", "json", "jsonl"]))
def test_property_dump_then_parse_gives_the_same_claims(records, kind):
    """Strings such as 'yes', 'null', '2024-07' or '~' must come back as the same strings."""
    claims = [claim_from_dict(r) for r in records]
    assert [claim_from_dict(r) for r in parse_items(dump_claims(claims, kind), kind)] == claims


@pytest.mark.parametrize("value", ["yes", "no", "null", "~", "2024-07", "2024-07-29", "1e3", "0x10", "- item",
                                   "key: value", "#hash", "'quoted'", "\"dq\"", "tab\there", "@at", "!tag",
                                   "next\x85line", "line\u2028separator", "para\u2029graph", "cr\r\nlf"])
@pytest.mark.parametrize("kind", ["yaml", "json", "jsonl"])
def test_dumps_keep_strings_that_look_like_other_types_or_breaks(value, kind):
    claim = claim_from_dict({"id": "y", "text": {"en": value}, "link": "inferred", "reasoning": "r",
                             "rests_on": ["z"], "aliases": [value], "tags": [value]})
    dumped = dump_claims([claim, claim_from_dict({"id": "z", "text": "z", "link": "explicit", "sources": ["S"]})],
                         kind)
    back = [claim_from_dict(r) for r in parse_items(dumped, kind)]
    assert back[0] == claim and [c.id for c in back] == ["y", "z"]


def test_parse_located_gives_the_line_each_yaml_or_jsonl_record_starts_on():
    from knowledge.io import parse_located
    listed = "- id: a\n  text: x\n\n- text: no id\n  link: explicit\n"
    assert parse_located(listed, "yaml") == ([{"id": "a", "text": "x"}, {"text": "no id", "link": "explicit"}], [1, 4])
    wrapped = "# claims\nclaims:\n  - {id: a}\n  -\n    id: b\n"
    assert parse_located(wrapped, "yaml")[1] == [3, 5]
    assert parse_located('{"id": "a"}\n\n{"id": "b"}\n', "jsonl")[1] == [1, 3]
    assert parse_located('[{"id": "a"}, {"id": "b"}]', "json")[1] == [None, None]
    assert parse_located("", "yaml") == ([], [])
    assert parse_located(listed, "yaml")[0] == yaml.safe_load(listed)  # the same data as safe_load


@pytest.mark.parametrize("text", ["- id: a-claim\n  updated_at: 2026-02-30\n", "- id: a-claim\n  date: 2026-13-05\n",
                                  "exported_at: 2026-13-05T10:00:00Z\nclaims: []\n"])
def test_an_unquoted_date_that_cannot_be_is_a_file_error_not_a_crash(text):
    with pytest.raises(FileFormatError) as info:
        io.parse_items(text, "yaml", "base.yaml")
    assert str(info.value).startswith("base.yaml: not valid YAML: a date or time that does not exist")


@pytest.mark.parametrize("kind", ["yaml", "json"])
def test_exported_at_is_written_to_the_second_read_back_in_utc_and_never_taken_for_a_claim(claims, kind):
    moment = datetime(2026, 12, 5, 16, 3, 7, 900_000, tzinfo=timezone(timedelta(hours=2)))
    text = dump_claims(claims, kind, exported_at=moment)
    assert "2026-12-05T14:03:07Z" in text
    read = io.parse_file(text, kind)
    assert read.exported_at == datetime(2026, 12, 5, 14, 3, 7, tzinfo=timezone.utc)
    assert claims_from_data(read.items) == claims and len(read.lines) == len(claims)
    assert io.parse_file(dump_claims(claims, kind), kind).exported_at is None  # as files made before it


def test_exported_at_without_a_zone_is_utc_and_json_lines_have_none(claims):
    read = io.parse_file("exported_at: 2026-12-05T14:03:07\nclaims: []\n", "yaml")  # unquoted: YAML's timestamp
    assert read.exported_at == datetime(2026, 12, 5, 14, 3, 7, tzinfo=timezone.utc)
    text = dump_claims(claims, "jsonl", exported_at=datetime(2026, 12, 5, tzinfo=timezone.utc))
    assert "exported_at" not in text and io.parse_file(text, "jsonl").exported_at is None


@pytest.mark.parametrize("value", ["2026-12-05", "yesterday", "[1]", "''", "'2026-13-05T10:00:00Z'"])
def test_an_exported_at_that_is_no_time_is_refused_naming_the_file_and_the_field(value):
    with pytest.raises(FileFormatError) as info:
        io.parse_file(f"exported_at: {value}\nclaims: []\n", "yaml", "base.yaml")
    assert str(info.value).startswith("base.yaml: exported_at ") and "2026-01-15T14:03:07Z" in str(info.value)
