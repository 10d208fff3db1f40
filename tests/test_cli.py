"""python -m knowledge search | import | export | validate | diff | history | questions prune."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from knowledge.audit import Curator
from knowledge.base import ClaimBase
from knowledge.cli import main
from knowledge.io import read_items, write_claims
from knowledge.model import claims_from_data
from knowledge.store import ClaimStore

from helpers.claims import explicit, inferred, small_base
from helpers.proc import knowledge, running_bot

MATCH_KEYS = {"id", "score", "link"}
LINE_KEYS = {"question", "outcome", "matches"}
EXACT_MALI = "Mali broke off diplomatic relations with Ukraine with immediate effect."


@pytest.fixture
def db(store, store_path) -> Path:
    """A store file holding the small base (the store object is closed by its fixture)."""
    return store_path


def parse_lines(stdout: str) -> list[dict]:
    lines = stdout.splitlines()
    assert all(line.strip() for line in lines)
    return [json.loads(line) for line in lines]


def check_line(line: dict, question: str, top: int, store: ClaimStore) -> None:
    assert set(line) == LINE_KEYS
    assert line["question"] == question
    assert line["outcome"] in ("answer", "suggest", "none")
    matches = line["matches"]
    assert len(matches) <= top
    for match in matches:
        assert set(match) == MATCH_KEYS
        assert isinstance(match["score"], (int, float)) and 0 <= match["score"] <= 100
        assert match["link"] == store.get(match["id"]).link
    scores = [m["score"] for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert len({m["id"] for m in matches}) == len(matches)


# --- search ---------------------------------------------------------------

def test_search_json_subprocess_shape_and_agreement_with_the_base(db, store, tmp_path):
    result = knowledge("search", "--db", str(db), "--json", "--top", "4", EXACT_MALI, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    [line] = parse_lines(result.stdout)
    check_line(line, EXACT_MALI, 4, store)
    assert line["outcome"] == "answer" and line["matches"][0]["id"] == "mali-cuts-ties"
    assert len(line["matches"]) > 1  # the best K, not only the answer
    expected = ClaimBase(ClaimStore(db)).search(EXACT_MALI, top=4)
    assert [(m["id"], m["score"]) for m in line["matches"]] == [(m.id, m.score) for m in expected.matches]


def test_search_batch_file_one_line_per_question_in_order(db, store, tmp_path, capsys):
    questions = [EXACT_MALI, "Ukraine indirectly supports the jihadists", "What's the weather in Paris?",
                 "diplomatic relations Ukraine", "Mauritanie drones FPV"]
    batch = tmp_path / "questions.txt"
    batch.write_text("\n".join(questions[:2]) + "\n\n   \n" + "\n".join(questions[2:]) + "\n", encoding="utf-8")
    assert main(["search", "--db", str(db), "--json", "--top", "5", "--batch", str(batch)]) == 0
    lines = parse_lines(capsys.readouterr().out)
    assert [line["question"] for line in lines] == questions
    base = ClaimBase(ClaimStore(db))
    for question, line in zip(questions, lines):
        check_line(line, question, 5, store)
        expected = base.search(question, top=5)
        assert line["outcome"] == expected.outcome
        assert [m["id"] for m in line["matches"]] == [m.id for m in expected.matches]
    weather = lines[2]
    assert weather["outcome"] == "none" and weather["matches"] == []


def test_search_gives_the_best_k_whatever_the_outcome(db, capsys):
    # a partial match that two claims share (Sahel is in neither): not an answer, and both are listed
    assert main(["search", "--db", str(db), "--json", "--top", "5", "relations with Ukraine in the Sahel"]) == 0
    [line] = parse_lines(capsys.readouterr().out)
    assert line["outcome"] != "answer"
    assert {"mali-cuts-ties", "niger-cuts-ties"} <= {m["id"] for m in line["matches"]}
    assert main(["search", "--db", str(db), "--json", "--top", "1", "relations with Ukraine in the Sahel"]) == 0
    [line] = parse_lines(capsys.readouterr().out)
    assert len(line["matches"]) == 1
    # a weak overlap is "none" but its candidates are still listed
    weak = "chameaux météo demain pluie orage soleil vent température humidité prévisions"
    assert main(["search", "--db", str(db), "--json", "--top", "3", weak]) == 0
    [line] = parse_lines(capsys.readouterr().out)
    assert line["outcome"] == "none" and [m["id"] for m in line["matches"]] == ["fr-only"]


def test_search_batch_from_stdin_subprocess(db, store, tmp_path):
    result = knowledge("search", "--db", str(db), "--json", "--batch", "-", cwd=tmp_path,
                       input=f"{EXACT_MALI}\nLe Niger a rompu avec l'Ukraine\n")
    assert result.returncode == 0, result.stderr
    lines = parse_lines(result.stdout)
    assert [line["question"] for line in lines] == [EXACT_MALI, "Le Niger a rompu avec l'Ukraine"]
    for line in lines:
        check_line(line, line["question"], 3, store)
    assert lines[1]["matches"][0]["id"] == "niger-cuts-ties"


def test_search_text_output_names_the_outcome_and_ids(db, capsys):
    assert main(["search", "--db", str(db), EXACT_MALI]) == 0
    out = capsys.readouterr().out
    assert out.startswith(EXACT_MALI) and "-> answer" in out and "mali-cuts-ties" in out and "[explicit]" in out


@pytest.mark.parametrize("args", [[], ["a question", "--batch", "q.txt"]])
def test_search_needs_exactly_one_of_question_or_batch(db, capsys, args):
    assert main(["search", "--db", str(db), *args]) == 2
    assert "QUESTION or --batch" in capsys.readouterr().err


def test_search_with_a_missing_batch_file_is_a_clear_error(db, tmp_path):
    result = knowledge("search", "--db", str(db), "--batch", str(tmp_path / "nope.txt"), cwd=tmp_path)
    assert result.returncode == 1
    assert "nope.txt" in result.stderr and "Traceback" not in result.stderr


def test_search_on_a_damaged_store_is_a_clear_error(tmp_path):
    damaged = tmp_path / "claims.json"
    damaged.write_text('{"claims": ', encoding="utf-8")
    result = knowledge("search", "--db", str(damaged), "anything", cwd=tmp_path)
    assert result.returncode == 1
    assert str(damaged) in result.stderr and "Traceback" not in result.stderr
    assert damaged.read_text(encoding="utf-8") == '{"claims": '


@pytest.mark.parametrize("command", [["search", "Mali Ukraine"], ["export", "out.yaml"], ["diff", "in.yaml"],
                                     ["history", "mali-cuts-ties"]])
def test_read_only_commands_refuse_a_missing_store_and_create_nothing(tmp_path, command):
    """search, export and diff only read the store: a mistyped --db must not make a new one from the seed."""
    write_records(tmp_path / "in.yaml", many_records(2))
    db = tmp_path / "new" / "claims.json"
    result = knowledge(*command, "--db", str(db), cwd=tmp_path)
    assert result.returncode == 1
    assert f"{db} does not exist" in result.stderr and "Traceback" not in result.stderr
    assert not db.parent.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["in.yaml"]


def test_import_into_a_new_store_starts_from_the_curated_base(tmp_path, capsys):
    db = tmp_path / "new" / "claims.json"
    assert main(["import", str(write_records(tmp_path / "in.yaml", many_records(2))), "--db", str(db)]) == 0
    store = ClaimStore(db)
    assert len(store) >= 20 and store.get("imported-1") is not None and store.get("mali-cuts-ties-with-ukraine")


def test_an_invalid_import_into_a_new_store_creates_nothing(tmp_path, capsys):
    records = many_records(2)
    records[1]["link"] = "unsure"
    db = tmp_path / "new" / "claims.json"
    assert main(["import", str(write_records(tmp_path / "in.yaml", records)), "--db", str(db)]) == 1
    assert f"{db} was not created" in capsys.readouterr().err and not db.parent.exists()


# --- import ---------------------------------------------------------------

def many_records(count: int) -> list[dict]:
    return [explicit(f"imported-{i}", f"Imported claim number {i}.", source=f"Source {i}") for i in range(count)]


def write_records(path: Path, records: list[dict]) -> Path:
    if path.suffix == ".jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    elif path.suffix == ".json":
        path.write_text(json.dumps({"claims": records}), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(records, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["bad.jsonl", "bad.json", "bad.yaml"])
def test_import_is_all_or_nothing_subprocess(db, tmp_path, name):
    records = many_records(40)
    records[23]["link"] = "certain"
    path = write_records(tmp_path / name, records)
    before = db.read_bytes()
    result = knowledge("import", str(path), "--db", str(db), cwd=tmp_path)
    assert result.returncode != 0
    assert "'imported-23'" in result.stderr and "'link'" in result.stderr and "Traceback" not in result.stderr
    assert db.read_bytes() == before


@pytest.mark.parametrize("breakage, claim_id, field", [
    (lambda rs: rs.append(inferred("dangling", "x", rests_on=["not-in-base"])), "dangling", "rests_on"),
    (lambda rs: rs.append(explicit("imported-3", "Same id again.")), "imported-3", "id"),
    (lambda rs: rs.__setitem__(5, {**rs[5], "sources": []}), "imported-5", "sources"),
    (lambda rs: rs.__setitem__(7, {**rs[7], "id": "has space"}), "has space", "id"),
])
def test_import_rejects_the_file_naming_the_bad_claim(db, tmp_path, capsys, breakage, claim_id, field):
    records = many_records(12)
    breakage(records)
    path = write_records(tmp_path / "claims.jsonl", records)
    before = db.read_bytes()
    assert main(["import", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert f"'{claim_id}'" in err and f"'{field}'" in err
    assert db.read_bytes() == before


def test_import_reports_every_bad_claim(db, tmp_path, capsys):
    records = many_records(10)
    for i in (2, 4, 8):
        records[i]["link"] = "unsure"
    assert main(["import", str(write_records(tmp_path / "c.json", records)), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert all(f"'imported-{i}'" in err for i in (2, 4, 8)) and "3 invalid claims" in err


@pytest.mark.parametrize("name", ["new.jsonl", "new.json", "new.yaml"])
def test_import_adds_the_claims_of_every_format(db, tmp_path, claims, name, capsys):
    records = many_records(15) + [inferred("builds-on-old", "Rests on a claim already in the base.",
                                           rests_on=["mali-cuts-ties", "imported-0"])]
    path = write_records(tmp_path / name, records)
    assert main(["import", str(path), "--db", str(db)]) == 0
    assert f"imported {len(records)} claims" in capsys.readouterr().out
    reopened = ClaimStore(db)
    assert len(reopened) == len(claims) + len(records)
    assert [reopened.get(r["id"]) for r in records] == claims_from_data(small_base() + records)[len(claims):]


def test_import_replace_makes_the_base_exactly_the_file(db, tmp_path, capsys):
    path = write_records(tmp_path / "only.yaml", many_records(5))
    assert main(["import", str(path), "--db", str(db), "--replace", "--yes"]) == 0
    assert sorted(c.id for c in ClaimStore(db).all()) == [f"imported-{i}" for i in range(5)]


def test_import_replace_into_a_store_that_does_not_exist_yet(tmp_path, capsys):
    db = tmp_path / "fresh" / "claims.json"
    path = write_records(tmp_path / "only.yaml", many_records(3))
    assert main(["import", str(path), "--db", str(db), "--replace"]) == 0
    assert sorted(c.id for c in ClaimStore(db).all()) == ["imported-0", "imported-1", "imported-2"]


def test_import_defaults_for_source_link_and_language(db, tmp_path, capsys):
    path = tmp_path / "plain.jsonl"
    path.write_text(json.dumps({"id": "plain-fr", "text": "Le Burkina a protesté."}) + "\n"
                    + json.dumps({"id": "own-source", "text": "Own source.", "link": "inferred", "reasoning": "r",
                                  "rests_on": ["plain-fr"], "sources": [{"name": "Mine", "kind": "author"}]}) + "\n",
                    encoding="utf-8")
    before = db.read_bytes()
    assert main(["import", str(path), "--db", str(db)]) == 1  # no --link: plain-fr has no link
    assert "'plain-fr'" in capsys.readouterr().err and db.read_bytes() == before
    assert main(["import", str(path), "--db", str(db), "--source", "Le Monde", "--link", "explicit",
                 "--lang", "fr"]) == 0
    store = ClaimStore(db)
    plain = store.get("plain-fr")
    assert dict(plain.text) == {"fr": "Le Burkina a protesté."} and plain.link == "explicit"
    assert [(s.name, s.kind) for s in plain.sources] == [("Le Monde", "other")]
    own = store.get("own-source")
    assert own.link == "inferred" and [s.name for s in own.sources] == ["Mine"]


def test_import_text_language_defaults_to_english(db, tmp_path, capsys):
    path = tmp_path / "plain.yaml"
    path.write_text("- {id: plain-en, text: Burkina protested., link: inferred, reasoning: r, rests_on: [mali-cuts-ties]}\n",
                    encoding="utf-8")
    assert main(["import", str(path), "--db", str(db)]) == 0
    assert dict(ClaimStore(db).get("plain-en").text) == {"en": "Burkina protested."}


def test_import_of_a_file_without_claims_changes_nothing(db, tmp_path, capsys):
    path = tmp_path / "empty.yaml"
    path.write_text("claims: []\n", encoding="utf-8")
    before = db.read_bytes()
    assert main(["import", str(path), "--db", str(db), "--replace"]) == 1
    assert "no claims" in capsys.readouterr().err and db.read_bytes() == before


@pytest.mark.parametrize("name, content", [("c.txt", "hello"), ("c.json", "{oops"), ("missing.yaml", None)])
def test_import_of_an_unreadable_file_names_it(db, tmp_path, capsys, name, content):
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    before = db.read_bytes()
    assert main(["import", str(tmp_path / name), "--db", str(db)]) == 1
    assert name in capsys.readouterr().err and db.read_bytes() == before


# --- export ---------------------------------------------------------------

def test_export_yaml_then_import_then_export_json_round_trip_subprocess(db, claims, tmp_path):
    exported = tmp_path / "out" / "base.yaml"
    result = knowledge("export", str(exported), "--db", str(db), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"exported {len(claims)} claims" in result.stdout
    assert claims_from_data(read_items(exported)) == claims  # retired claims too
    copy_db = tmp_path / "copy.json"
    result = knowledge("import", str(exported), "--db", str(copy_db), "--replace", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    as_json = tmp_path / "base.json"
    assert knowledge("export", str(as_json), "--db", str(copy_db), cwd=tmp_path).returncode == 0
    assert claims_from_data(read_items(as_json)) == claims
    assert json.loads(as_json.read_text(encoding="utf-8"))["claims"] == [c.to_dict() for c in claims]


def test_an_export_says_when_it_was_made_and_diff_and_import_name_a_change_made_after_it(db, claims, tmp_path,
                                                                                          capsys):
    """The same day as the export, so updated_at alone could not tell: the audit log's time does."""
    exported = tmp_path / "base.yaml"
    assert main(["export", str(exported), "--db", str(db)]) == 0
    stamp = yaml.safe_load(exported.read_text(encoding="utf-8"))["exported_at"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp)
    claim_id = claims[0].id
    store = ClaimStore(db)
    entry = Curator(store, via="cli").add_alias(claim_id, "added after the export", 7)
    store.close()
    changed_at = datetime.fromisoformat(entry.time).strftime("%Y-%m-%d %H:%M:%S UTC")
    warning = (f"warning: {claim_id} was changed by #{entry.id} at {changed_at}, after this file was exported "
               f"({stamp.replace('T', ' ').replace('Z', ' UTC')}); importing this file's version undoes it")
    capsys.readouterr()
    assert main(["diff", str(exported), "--db", str(db)]) == 0
    assert warning in capsys.readouterr().out.splitlines()
    assert main(["import", str(exported), "--db", str(db)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert warning in out and "(`python -m knowledge diff FILE` shows this before an import)" in out
    assert "added after the export" not in ClaimStore(db).get(claim_id).aliases


def test_export_to_an_unknown_extension_writes_nothing(db, tmp_path, capsys):
    assert main(["export", str(tmp_path / "base.csv"), "--db", str(db)]) == 1
    assert "base.csv" in capsys.readouterr().err and not (tmp_path / "base.csv").exists()


def test_export_to_a_path_that_cannot_be_created_is_a_clear_error(db, tmp_path, capsys):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    assert main(["export", str(tmp_path / "a-file" / "base.yaml"), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "a-file" in err


# --- validate -------------------------------------------------------------

def test_validate_a_good_file_subprocess_touches_no_store(tmp_path):
    path = write_records(tmp_path / "good.yaml", small_base())
    result = knowledge("validate", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"{len(small_base())} claims, valid" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.yaml"]


def test_validate_a_bad_file_subprocess_names_the_claim_and_field(tmp_path):
    records = small_base()
    records[2]["sources"][0]["date"] = "2024-02-30"
    path = write_records(tmp_path / "bad.jsonl", records)
    result = knowledge("validate", str(path), cwd=tmp_path)
    assert result.returncode == 1
    assert "'yusov-information'" in result.stderr and "'sources.1.date'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("breakage, claim_id", [
    (lambda rs: rs.append(explicit("mali-cuts-ties", "Again.")), "mali-cuts-ties"),
    (lambda rs: rs.append(inferred("dangling", "x", rests_on=["ghost"])), "dangling"),
    (lambda rs: rs[2].update(link="inferred", rests_on=["article-thesis"], reasoning="r"), None),  # a cycle
])
def test_validate_checks_the_file_as_a_whole(tmp_path, capsys, breakage, claim_id):
    records = small_base()
    breakage(records)
    assert main(["validate", str(write_records(tmp_path / "base.json", records)), "--db", str(tmp_path / "no.json")]) == 1
    err = capsys.readouterr().err
    assert "'rests_on'" in err or "'id'" in err
    if claim_id:
        assert f"'{claim_id}'" in err
    else:
        assert "cycle" in err


def test_validate_the_shipped_curated_base(tmp_path, capsys):
    seed = Path(__file__).resolve().parent.parent / "knowledge" / "curated" / "seed.yaml"
    assert main(["validate", str(seed), "--db", str(tmp_path / "none.json")]) == 0
    assert "claims, valid" in capsys.readouterr().out


TRIAL_YAML = """\
- id: ok-one
  text: {en: A valid claim.}
  link: explicit
  sources: [{name: Le Monde, kind: press}]
- id: a1
  text: {fr: "", en: Something}
  link: explicit
  sources: [{name: X, kind: blog, url: notaurl, date: "2024-13-45"}]
  rests_on: [ghost]
- text: {en: A claim without an id.}
  link: explicit
  sources: [{name: Y, kind: press}]
- id: ok-one
  text: {en: Same id again.}
  link: explicit
  sources: [{name: Z, kind: press}]
"""


def test_validate_lists_every_error_in_file_order_then_a_summary_line_subprocess(tmp_path):
    path = tmp_path / "trial.yaml"
    path.write_text(TRIAL_YAML, encoding="utf-8")
    result = knowledge("validate", str(path), cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines == [
        "error: claim 'a1', field 'text.fr': must be a non-empty text",
        "error: claim 'a1', field 'sources.1.kind': must be one of: official statement, press, research "
        "institute, author, reader comment, other",
        "error: claim 'a1', field 'sources.1.date': must be YYYY, YYYY-MM or YYYY-MM-DD (a real date)",
        "error: claim 'a1', field 'sources.1.url': must be an http(s) address",
        "error: claim 'a1', field 'rests_on': an explicit claim rests on no other claim (its source states it): "
        "only an inferred claim has rests_on, set together with link: inferred and its reasoning",
        "error: claim 'a1', field 'rests_on': names 'ghost', which is not in this file nor in the base",
        "error: claim #3 (no id, line 10), field 'id': is required: 1-48 letters, digits, '-', '_', '.' or ':'",
        "error: claim 'ok-one', field 'id': appears more than once in the file",
        f"{path}: 3 invalid claims of 4, 8 errors",
    ]


def test_import_summary_is_on_its_own_line_and_says_nothing_was_imported(db, tmp_path, capsys):
    records = many_records(4)
    records.append(dict(records[0]))
    assert main(["import", str(write_records(tmp_path / "dup.yaml", records)), "--db", str(db)]) == 1
    *errors, summary = capsys.readouterr().err.splitlines()
    assert errors == ["error: claim 'imported-0', field 'id': appears more than once in the file"]
    assert summary == f"{tmp_path / 'dup.yaml'}: 1 invalid claim of 5, 1 error; nothing imported, {db} is unchanged"


def test_export_says_which_folder_it_created_and_refuses_a_file_as_folder(db, tmp_path, capsys):
    target = tmp_path / "new" / "x.yaml"
    assert main(["export", "--db", str(db), str(target)]) == 0
    assert f"created folder {tmp_path / 'new'}" in capsys.readouterr().out and target.exists()
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    assert main(["export", "--db", str(db), str(tmp_path / "a-file" / "sub" / "x.yaml")]) == 1
    assert f"{tmp_path / 'a-file'} is a file, not a folder" in capsys.readouterr().err


@pytest.mark.parametrize("args, message", [(["--top", "0", "a question"], "must be 1 or more"),
                                           (["--top", "-1", "a question"], "must be 1 or more"),
                                           (["  "], "the question is empty")])
def test_search_refuses_a_top_under_one_and_an_empty_question(db, capsys, args, message):
    with pytest.raises(SystemExit) if "--top" in args else contextlib.nullcontext():
        assert main(["search", "--db", str(db), *args]) == 2
    assert message in capsys.readouterr().err


def test_search_shows_the_claim_in_the_language_of_the_question(db, capsys):
    assert main(["search", "--db", str(db), "--top", "1", "Le Niger a-t-il rompu avec l'Ukraine ?"]) == 0
    assert "Le Niger a rompu" in capsys.readouterr().out


@pytest.mark.parametrize("question, shown, hidden", [
    ("Did Le Monde say Tuareg rebels got FPV drones?", "Tuareg rebels were trained", "Des rebelles"),
    ("Le Monde a-t-il dit que des rebelles touaregs ont été formés ?", "Des rebelles touaregs", "Tuareg rebels were"),
])
def test_search_takes_a_name_such_as_le_monde_for_no_sign_of_french(db, capsys, question, shown, hidden):
    assert main(["search", "--db", str(db), "--top", "1", question]) == 0
    out = capsys.readouterr().out
    assert "drone-training" in out and shown in out and hidden not in out


def test_search_shows_a_claims_first_text_when_the_question_tells_no_language(db, capsys):
    assert main(["search", "--db", str(db), "--top", "1", "Tuareg FPV Mauritania"]) == 0
    assert "Tuareg rebels were trained on FPV drones in Mauritania." in capsys.readouterr().out


@pytest.mark.parametrize("key, value, message", [
    ("date", "July", "must be YYYY, YYYY-MM or YYYY-MM-DD (a real date)"),
    ("url", "javascript:alert(1)", "must be an http(s) address"),
])
def test_validate_and_import_check_stated_in_date_and_url_as_sources_are(db, tmp_path, capsys, key, value, message):
    records = many_records(2)
    records[1]["stated_in"] = {"title": "An article", key: value}
    path = write_records(tmp_path / "in.yaml", records)
    before = db.read_bytes()
    for command in (["validate", str(path)], ["import", str(path)]):
        assert main([*command, "--db", str(db)]) == 1
        assert f"claim 'imported-1', field 'stated_in.{key}': {message}" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_validate_several_files_reports_each(tmp_path, capsys):
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text((Path(__file__).resolve().parents[1] / "knowledge" / "curated" / "seed.yaml").read_text(encoding="utf-8"),
                    encoding="utf-8")
    bad.write_text("synonyms: {}\n", encoding="utf-8")
    none = str(tmp_path / "none.json")
    assert main(["validate", str(good), str(bad), "--db", none]) == 1
    captured = capsys.readouterr()
    assert f"{good}: 34 claims, valid" in captured.out and str(bad) in captured.err
    assert main(["validate", str(good), str(good), "--db", none]) == 0


def test_validate_judges_a_file_with_the_base_as_import_does(db, tmp_path, capsys):
    builds_on = inferred("builds-on-mali", "Rests on a claim of the base only.", rests_on=["mali-cuts-ties"])
    path = write_records(tmp_path / "one.yaml", [builds_on])
    before = db.read_bytes()
    assert main(["validate", str(path), "--db", str(db)]) == 0
    assert capsys.readouterr().out == f"{path}: 1 claim, valid with the base {db}\n"
    assert db.read_bytes() == before
    assert main(["import", str(path), "--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith("imported 1 claim into")


def test_validate_says_where_a_missing_rests_on_id_was_looked_for(db, tmp_path, capsys):
    path = write_records(tmp_path / "one.yaml", [inferred("dangling", "x", rests_on=["ghost"])])
    for command in (["validate"], ["import"], ["diff"]):
        assert main([*command, str(path), "--db", str(db)]) == 1
        assert "names 'ghost', which is not in this file nor in the base" in capsys.readouterr().err
    # with --replace the base's claims go: a file claim resting on one of them is refused
    path = write_records(tmp_path / "two.yaml", [inferred("builds-on-mali", "x", rests_on=["mali-cuts-ties"])])
    assert main(["diff", str(path), "--db", str(db), "--replace"]) == 1
    assert "names 'mali-cuts-ties', which is not in this file (the base is replaced by it)" in capsys.readouterr().err


def test_validate_without_a_store_judges_with_the_curated_claims_and_creates_nothing_subprocess(tmp_path):
    """The trial: a claim resting on a curated claim the file does not hold; import accepts it, so validate must."""
    path = write_records(tmp_path / "one.yaml", [inferred("builds-on-mali", "Rests on a curated claim.",
                                                          rests_on=["mali-cuts-ties-with-ukraine"])])
    result = knowledge("validate", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{path}: 1 claim, valid with the curated claims (data/claims.json does not exist yet)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one.yaml"]


@pytest.mark.parametrize("content", ["claims: []\n", "[]\n", ""])
@pytest.mark.parametrize("command", [["validate"], ["diff"], ["diff", "--replace"], ["import", "--replace"]])
def test_a_file_without_claims_is_refused_by_validate_diff_and_import(db, tmp_path, capsys, content, command):
    path = tmp_path / "empty.yaml"
    path.write_text(content, encoding="utf-8")
    before = db.read_bytes()
    assert main([command[0], str(path), "--db", str(db), *command[1:]]) == 1
    out, err = capsys.readouterr()
    assert f"error: {path} holds no claims" in err and "(removed)" not in out and "valid" not in out
    assert db.read_bytes() == before


def test_summaries_say_one_claim_in_the_singular(db, tmp_path, capsys):
    path = write_records(tmp_path / "one.yaml", many_records(1))
    assert main(["diff", str(path), "--db", str(db)]) == 0
    assert f"{path}: 1 claim; importing would give 1 new," in capsys.readouterr().out
    records = many_records(1)
    records[0]["link"] = "unsure"
    assert main(["import", str(write_records(tmp_path / "bad.yaml", records)), "--db", str(db)]) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith(f"{tmp_path / 'bad.yaml'}: 1 invalid claim of 1, 1 error;")


def test_history_lists_every_change_to_a_claim_oldest_first_in_full(db, capsys):
    """/history in Telegram shows the latest ten, cut to one line each: the command line shows them all."""
    from knowledge.audit import Curator

    curator = Curator(ClaimStore(db), via="cli")
    long_title = "A title that runs on " * 12
    for number in range(12):
        curator.add_alias("mali-cuts-ties", f"phrase {number}", 7)
    curator.edit("mali-cuts-ties", "title", long_title + "(first)", 7)
    curator.edit("mali-cuts-ties", "title", long_title + "(second)", None)
    curator.link("article-thesis", "niger-cuts-ties", 7)
    assert main(["history", "MALI-cuts-ties", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "history of mali-cuts-ties: 14 changes, oldest first"
    assert lines[1].startswith("#1 · ") and lines[1].endswith(" · moderator 7 · alias phrase 0")
    assert lines[2] == "  aliases: + phrase 0"
    assert lines[-1] == f"  title: {long_title.strip()} (first) → {long_title.strip()} (second)"
    assert lines[-2].endswith(" · cli · edit title") and "#14" in lines[-2]
    assert main(["history", "article-thesis", "--db", str(db)]) == 0
    assert "  rests_on: + niger-cuts-ties" in capsys.readouterr().out.splitlines()


def test_history_names_the_moderator_who_approved_a_change(db, capsys):
    from knowledge.approval import ReviewingCurator

    curator = ReviewingCurator(ClaimStore(db), hold_stated=True)
    pending = curator.edit("mali-cuts-ties", "sources.1.quote", "Mali breaks off relations", 7)
    curator.approve(pending.id, 8)
    assert main(["history", "mali-cuts-ties", "--db", str(db)]) == 0
    head = capsys.readouterr().out.splitlines()[1]
    assert head.endswith(" · moderator 7, approved by moderator 8 (pending change P1) · edit sources.1.quote")


@pytest.mark.parametrize("rule", ["on", ""])
def test_import_says_which_claims_it_made_explicit_and_that_it_bypasses_the_second_moderator(
        db, tmp_path, capsys, monkeypatch, rule):
    monkeypatch.setenv("EXPLICIT_NEEDS_SECOND_MODERATOR", rule)
    records = [explicit("stated-new", "A new claim its source states."),
               inferred("inferred-new", "A new inference.", rests_on=["mali-cuts-ties"])]
    assert main(["import", str(write_records(tmp_path / "f.yaml", records)), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "recorded as change #1 (from the command line, no moderator named)" in out
    assert "explicit now, new or with new sources: stated-new (readers read" in out and "inferred-new (" not in out
    assert ("EXPLICIT_NEEDS_SECOND_MODERATOR is on, and the command line does not apply it" in out) == (rule == "on")
    reopened = ClaimBase(ClaimStore(db))
    assert reopened.get("stated-new") is not None and reopened.store.pending_entries() == []


def test_history_of_a_claim_never_changed_or_unknown(db, capsys):
    assert main(["history", "niger-cuts-ties", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "no recorded change to niger-cuts-ties (it came with the base)\n"
    assert main(["history", "nope", "--db", str(db)]) == 1
    assert "error: there is no claim with the id 'nope'" in capsys.readouterr().err


def test_the_store_defaults_to_claimbot_db_as_the_bot_does(db, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("CLAIMBOT_DB", str(db))
    assert main(["search", EXACT_MALI]) == 0 and "mali-cuts-ties" in capsys.readouterr().out
    monkeypatch.setenv("CLAIMBOT_DB", str(tmp_path / "nowhere.json"))
    assert main(["search", EXACT_MALI]) == 1 and "nowhere.json" in capsys.readouterr().err


# --- while the bot runs ------------------------------------------------------------------------------------

def test_while_the_bot_runs_commands_that_write_the_store_refuse_and_those_that_read_it_work(db, tmp_path):
    """The trial: an import made while the bot ran was written over by the bot's next save, history and all."""
    path = write_records(tmp_path / "one.yaml", many_records(1))
    before = db.read_bytes()
    with running_bot(db, cwd=tmp_path) as bot:
        for command, in_the_bot in [(["import", str(path)], "/import in Telegram"),
                                    (["import", str(path), "--replace", "--yes"], "/import in Telegram"),
                                    (["undo", "1"], "/undo 1 in Telegram")]:
            result = knowledge(*command, "--db", str(db), cwd=tmp_path)
            assert result.returncode == 1 and "Traceback" not in result.stderr
            assert result.stderr.startswith(f"error: the bot (console) (pid {bot.pid}, since ")
            assert f"is running on {db}: nothing was changed" in result.stderr
            assert "Stop the bot first" in result.stderr and in_the_bot in result.stderr
        assert db.read_bytes() == before
        for command in (["export", str(tmp_path / "out.yaml")], ["diff", str(path), "--retire-missing"],
                        ["history", "mali-cuts-ties"], ["validate", str(path)], ["search", EXACT_MALI],
                        ["questions", "prune", "--dry-run"], ["questions", "prune", "--days", "30"]):
            result = knowledge(*command, "--db", str(db), cwd=tmp_path)
            assert result.returncode == 0, (command, result.stderr)
    result = knowledge("import", str(path), "--db", str(db), cwd=tmp_path)  # the bot has stopped
    assert result.returncode == 0, result.stderr
    assert ClaimStore(db).get("imported-0") is not None


# --- imports that retire or remove many claims; backups, change numbers, undo --------------------------------

def test_an_import_that_would_retire_most_of_the_base_needs_yes_then_is_backed_up_and_undone(db, tmp_path, capsys):
    """The trial: a one-claim file with --retire-missing retired 35 of 36 claims at once, no prompt, no backup."""
    original = [c.to_dict() for c in ClaimStore(db).all()]
    active = len([c for c in ClaimStore(db).all() if c.active])
    path = write_records(tmp_path / "one.yaml", many_records(1))
    before = db.read_bytes()
    assert main(["import", str(path), "--db", str(db), "--retire-missing"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{path}: importing it would retire {active} of the base's {len(original)} claims:\n")
    assert "- mali-cuts-ties (retired)" in out and "+ imported-0 (new)" in out
    assert f"error: nothing imported, {db} is unchanged" in err and "needs --yes" in err
    assert f"python -m knowledge diff {path} --retire-missing" in err
    assert db.read_bytes() == before and not (db.parent / "backups").exists()

    assert main(["import", str(path), "--db", str(db), "--retire-missing", "--yes"]) == 0
    out = capsys.readouterr().out
    (backup,) = (db.parent / "backups").iterdir()
    assert backup.read_bytes() == before and f"backup of the store before the import: {backup}" in out
    assert ("recorded as change #1 (from the command line, no moderator named); to undo it: python -m knowledge "
            "undo 1 (or /undo 1 in the bot)") in out
    assert [c.id for c in ClaimStore(db).all() if c.active] == ["imported-0"]

    assert main(["undo", "#1", "--db", str(db)]) == 0
    assert capsys.readouterr().out.startswith(f"undid change #1 (import one.yaml): {active + 1} claims put back, "
                                              "as change #2")
    assert [c.to_dict() for c in ClaimStore(db).all()] == original


def test_an_import_replace_that_would_remove_claims_needs_yes(db, tmp_path, capsys):
    path = write_records(tmp_path / "one.yaml", many_records(1))
    before = db.read_bytes()
    assert main(["import", str(path), "--db", str(db), "--replace"]) == 1
    out, err = capsys.readouterr()
    assert "importing it would remove 8 of the base's 8 claims" in out and "x mali-cuts-ties (removed)" in out
    assert f"python -m knowledge diff {path} --replace" in err and db.read_bytes() == before


def test_a_new_store_may_retire_or_replace_the_curated_claims_without_yes(tmp_path, capsys):
    """Nobody's work is lost: the store did not exist, and the curated claims are shipped with the code."""
    path = write_records(tmp_path / "one.yaml", many_records(1))
    for option in ("--retire-missing", "--replace"):
        db = tmp_path / option.strip("-") / "claims.json"
        assert main(["import", str(path), "--db", str(db), option]) == 0
        assert [c.id for c in ClaimStore(db).all() if c.active] == ["imported-0"]
        assert "change #1" in capsys.readouterr().out and not (db.parent / "backups").exists()


@pytest.mark.parametrize("going, needs_yes", [(3, False), (4, True)])
def test_more_than_three_claims_retired_need_yes(tmp_path, capsys, going, needs_yes):
    db = tmp_path / "claims.json"
    claims = ClaimStore(db, seed=claims_from_data(many_records(50))).all()  # a tenth is more than four claims
    write_claims(tmp_path / "most.yaml", claims[going:])
    code = main(["import", str(tmp_path / "most.yaml"), "--db", str(db), "--retire-missing"])
    assert code == (1 if needs_yes else 0)
    assert ("needs --yes" in capsys.readouterr().err) == needs_yes
    assert sum(not c.active for c in ClaimStore(db).all()) == (0 if needs_yes else going)


def test_more_than_a_tenth_of_a_small_base_retired_needs_yes(db, tmp_path, capsys):
    claims = ClaimStore(db).all()  # 8 claims: retiring one is more than a tenth
    keep = [c for c in claims if c.id != "drone-training"]
    write_claims(tmp_path / "most.yaml", keep)
    assert main(["import", str(tmp_path / "most.yaml"), "--db", str(db), "--retire-missing"]) == 1
    assert "would retire 1 of the base's 8 claims" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "most.yaml"), "--db", str(db), "--retire-missing", "--yes"]) == 0
    assert not ClaimStore(db).get("drone-training").active


def test_every_import_that_changes_the_store_says_its_change_number_and_backup(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CLAIMBOT_BACKUPS", str(tmp_path / "elsewhere"))
    before = db.read_bytes()
    assert main(["import", str(write_records(tmp_path / "two.yaml", many_records(2))), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    (backup,) = (tmp_path / "elsewhere").iterdir()
    assert backup.read_bytes() == before and f"backup of the store before the import: {backup}" in out
    assert "change #1 (from the command line, no moderator named); to undo it: python -m knowledge undo 1" in out
    assert main(["import", str(tmp_path / "two.yaml"), "--db", str(db)]) == 0  # changes nothing: no number
    out = capsys.readouterr().out
    assert "change #" not in out and "backup" not in out and len(list((tmp_path / "elsewhere").iterdir())) == 1


def test_undo_refuses_an_unknown_or_malformed_change(db, capsys):
    before = db.read_bytes()
    assert main(["undo", "9", "--db", str(db)]) == 1
    assert "error: there is no change #9" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["undo", "x", "--db", str(db)])
    assert exit_info.value.code == 2 and "must be a change number" in capsys.readouterr().err
    assert db.read_bytes() == before


# --- questions prune ------------------------------------------------------------------------------------------

def log_rows(recent: str) -> list[dict]:
    return [
        {"time": "2020-01-01T00:00:00+00:00", "question": "old one", "outcome": "none", "matches": [], "qid": "old"},
        {"time": recent, "kind": "resolved", "qid": "old", "user_id": 9, "value": "dismissed"},  # on a dropped one
        {"time": recent, "question": "recent one", "outcome": "none", "matches": [], "qid": "new"},
        {"time": recent, "kind": "vote", "qid": "new", "user_id": 1, "value": "down"},
    ]


@pytest.fixture
def question_log(tmp_path) -> Path:
    """A question log beside tmp_path/claims.json, as the bot keeps it: one question from 2020 with a decision
    on it, one from yesterday with a 👎, and a torn last line."""
    from datetime import datetime, timedelta, timezone

    recent = (datetime.now(timezone.utc) - timedelta(days=1)).replace(microsecond=0).isoformat()
    path = tmp_path / "claims.questions.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in log_rows(recent)) + '{"time": "20', encoding="utf-8")
    return path


def logged_questions(path: Path) -> list[str]:
    from knowledge.questions import QuestionLog
    return [a.question for a in QuestionLog(path)]


PRUNED = (r": dropped 3 entries older than 30 days, before \d{4}-\d\d-\d\d \d\d:\d\d UTC "
          r"\(1 question, 1 mark, 1 unreadable line\); kept 2 \(1 question, 1 mark\)\n")


def test_questions_prune_subprocess_uses_the_bots_settings(tmp_path, question_log):
    result = knowledge("questions", "prune", cwd=tmp_path, CLAIMBOT_DB=str(tmp_path / "claims.json"),
                       CLAIMBOT_QUESTIONS_KEEP_DAYS="30")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(re.escape(str(question_log)) + PRUNED, result.stdout), result.stdout
    assert logged_questions(question_log) == ["recent one"]
    assert [json.loads(line)["qid"] for line in question_log.read_text(encoding="utf-8").splitlines()] == ["new", "new"]


def test_questions_prune_dry_run_changes_nothing(tmp_path, question_log, capsys):
    before = question_log.read_bytes()
    assert main(["questions", "prune", "--db", str(tmp_path / "claims.json"), "--days", "30", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "would drop 3 entries older than 30 days" in out and "would keep 2" in out
    assert out.rstrip().endswith("nothing changed (dry run)") and question_log.read_bytes() == before


def test_questions_prune_days_and_questions_options_beat_the_environment(tmp_path, question_log, monkeypatch, capsys):
    moved = tmp_path / "elsewhere" / "q.jsonl"
    moved.parent.mkdir()
    question_log.rename(moved)
    monkeypatch.setenv("CLAIMBOT_QUESTIONS_KEEP_DAYS", "forever")
    monkeypatch.setenv("CLAIMBOT_QUESTIONS", str(moved))
    assert main(["questions", "prune"]) == 0
    assert "kept forever" in capsys.readouterr().out and logged_questions(moved) == ["old one", "recent one"]
    assert main(["questions", "prune", "--days", "30"]) == 0
    assert re.fullmatch(re.escape(str(moved)) + PRUNED, capsys.readouterr().out)
    assert logged_questions(moved) == ["recent one"]


def test_questions_prune_defaults_to_90_days_beside_the_store(tmp_path, monkeypatch, capsys):
    from knowledge.questions import QuestionLog

    db = tmp_path / "claims.json"
    log = QuestionLog(tmp_path / "claims.questions.jsonl")
    log.record("asked today", "none", [])
    monkeypatch.setenv("CLAIMBOT_DB", str(db))
    assert main(["questions", "prune"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{log.path}: dropped 0 entries older than 90 days") and "kept 1 (1 question, 0 marks)" in out


def test_questions_prune_without_a_log_creates_nothing(tmp_path, capsys):
    assert main(["questions", "prune", "--db", str(tmp_path / "claims.json")]) == 0
    assert "claims.questions.jsonl does not exist: nothing to prune" in capsys.readouterr().out
    assert list(tmp_path.iterdir()) == []


def test_questions_prune_refuses_bad_days(tmp_path, question_log, monkeypatch, capsys):
    before = question_log.read_bytes()
    monkeypatch.setenv("CLAIMBOT_QUESTIONS_KEEP_DAYS", "0")
    assert main(["questions", "prune", "--questions", str(question_log)]) == 2
    assert "error: CLAIMBOT_QUESTIONS_KEEP_DAYS must be a whole number of days from 1 to 36500, or forever" in \
        capsys.readouterr().err
    for days in ("0", "1.5", "36501"):
        with pytest.raises(SystemExit) as exit_info:
            main(["questions", "prune", "--questions", str(question_log), "--days", days])
        assert exit_info.value.code == 2 and "--days" in capsys.readouterr().err
    assert question_log.read_bytes() == before


@pytest.mark.parametrize("days", ["forever", "Forever", " FOREVER "])
def test_questions_prune_days_forever_drops_nothing_as_the_setting_does(tmp_path, question_log, capsys, days):
    """The trial: --days forever failed with argparse's 'invalid _keep_days value'."""
    before = question_log.read_bytes()
    assert main(["questions", "prune", "--questions", str(question_log), "--days", days]) == 0
    assert capsys.readouterr().out == (f"{question_log}: questions are kept forever (--days forever); nothing "
                                       "dropped. --days N prunes anyway\n")
    assert question_log.read_bytes() == before


@pytest.mark.parametrize("days", ["", "never", "-3", "0"])
def test_questions_prune_bad_days_say_what_days_takes(tmp_path, question_log, capsys, days):
    with pytest.raises(SystemExit) as exit_info:
        main(["questions", "prune", "--questions", str(question_log), "--days", days])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and "_keep_days" not in err
    assert "argument --days: must be a whole number of days from 1 to 36500, or forever" in err
