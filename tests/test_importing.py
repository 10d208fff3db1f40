"""Import plans and `python -m knowledge diff | import | validate`: every error named, all or nothing."""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import yaml

from knowledge.audit import Curator
from knowledge.base import ClaimBase
from knowledge.cli import main
from knowledge.importing import DELETE, RETIRE, describe, plan_import, predating_line
from knowledge.model import Claim, claim_from_dict
from knowledge.store import ClaimStore, curated_claims


def fifty_claims(bad_index: int | None = None) -> list[dict]:
    claims = [{"id": f"imported-{i}", "text": {"en": f"Imported claim number {i}"}, "link": "explicit",
               "sources": [{"name": f"Source {i}", "kind": "press", "date": "2024-08"}]} for i in range(50)]
    if bad_index is not None:
        claims[bad_index]["sources"][0]["date"] = "August 2024"
    return claims


def test_one_invalid_claim_among_50_rejects_the_plan_naming_it():
    current = curated_claims()
    plan = plan_import(current, fifty_claims(bad_index=37))
    assert not plan.ok
    assert [e.claim_id for e in plan.errors] == ["imported-37"]
    assert plan.errors[0].field == "sources[0].date"


def test_every_error_is_listed_with_its_claim_id():
    items = fifty_claims()
    items[3]["link"] = "maybe"
    items[10]["rests_on"] = ["ghost"]
    items[10]["link"] = "inferred"
    items[10]["reasoning"] = "The test infers it."
    items.append(dict(items[20]))  # duplicate id
    items.append({"text": {"en": "no id"}})
    plan = plan_import(curated_claims(), items)
    found = {(e.claim_id, e.field) for e in plan.errors}
    assert ("imported-3", "link") in found
    assert ("imported-10", "rests_on") in found
    assert ("imported-20", "id") in found
    assert (None, "id") in found and (None, "link") in found  # the claim without id: every field error
    assert len(plan.errors) == 5
    assert [e.position for e in plan.errors] == sorted(e.position for e in plan.errors)  # file order


def test_a_file_giving_an_explicit_claim_rests_on_is_rejected_naming_it():
    items = fifty_claims()
    items[7]["rests_on"] = ["mali-cuts-ties-with-ukraine"]  # a claim of the base: only the link type is wrong
    plan = plan_import(curated_claims(), items)
    assert [(e.claim_id, e.field) for e in plan.errors] == [("imported-7", "rests_on")]
    assert "an explicit claim rests on no other claim" in plan.errors[0].message and not plan.ok


def test_plan_sorts_new_changed_retired_restored():
    current = curated_claims()
    first, second, third = (c.to_dict() for c in current[:3])
    first["text"]["en"] = "A corrected wording"
    second["status"] = "retired"
    items = [first, second, third, *fifty_claims()[:2]]
    plan = plan_import(current, items)
    assert plan.ok
    assert [p.claim_id for p in plan.new] == ["imported-0", "imported-1"]
    assert [(p.claim_id, p.fields) for p in plan.changed] == [(first["id"], ("text",))]
    assert [p.claim_id for p in plan.retired] == [second["id"]]
    assert plan.unchanged == len(current) - 2
    assert "+ imported-0 (new)" in describe(plan)
    retired_back = plan_import([plan.retired[0].after], [dict(second, status="active")])
    assert [p.claim_id for p in retired_back.restored] == [second["id"]]


def test_retire_missing_retires_and_delete_removes():
    current = curated_claims()
    keep = [c.to_dict() for c in current if not c.rests_on][:5]
    leaves = [c for c in current if c.id not in {k["id"] for k in keep}]
    retired = plan_import(current, keep, missing=RETIRE)
    assert retired.ok and {p.claim_id for p in retired.retired} == {c.id for c in leaves if c.active}
    assert not retired.removed and len(retired.final) == len(current)
    deleted = plan_import(current, keep, missing=DELETE)
    assert deleted.ok and {p.claim_id for p in deleted.removed} == {c.id for c in leaves}
    assert [c.id for c in deleted.final] == [k["id"] for k in keep]


def test_applied_import_is_one_audited_change_and_can_be_undone(tmp_path):
    base = ClaimBase.open(tmp_path / "claims.json")
    original = [c.to_dict() for c in base.store.all()]
    plan = plan_import(base.store.all(), fifty_claims())
    curator = Curator(base)
    entry, backup = curator.apply_import(plan.pairs(), 9, backup_dir=tmp_path / "bk")
    assert json.loads(backup.read_text())["claims"]  # the copy is the base before the import
    assert len(json.loads(backup.read_text())["claims"]) == len(original)
    assert len(base.store) == len(original) + 50 and len(entry.changes) == 50
    assert base.search("Imported claim number 7").best.id == "imported-7"
    curator.undo(entry.id, 9)
    assert [c.to_dict() for c in base.store.all()] == original


# --- the command line ---------------------------------------------------------------------------

def write(path, items):
    path.write_text(yaml.safe_dump({"claims": items}, allow_unicode=True), encoding="utf-8")
    return path


def test_cli_import_rejects_a_file_with_one_bad_claim_and_leaves_the_store(tmp_path, capsys):
    db = tmp_path / "claims.json"
    ClaimStore(db).close()
    before = db.read_bytes()
    code = main(["import", str(write(tmp_path / "in.yaml", fifty_claims(bad_index=12))), "--db", str(db)])
    assert code == 1
    assert "imported-12" in capsys.readouterr().err
    assert db.read_bytes() == before


def test_cli_diff_shows_what_an_import_would_do_without_writing(tmp_path, capsys):
    db = tmp_path / "claims.json"
    store = ClaimStore(db)
    current = [c.to_dict() for c in store.all()]
    store.close()
    current[0]["aliases"] = current[0]["aliases"] + ["yet another name"]
    current[1]["status"] = "retired"
    before = db.read_bytes()
    code = main(["diff", str(write(tmp_path / "in.yaml", current + fifty_claims()[:1])), "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 0 and db.read_bytes() == before
    assert f"~ {current[0]['id']} (aliases)" in out
    assert f"- {current[1]['id']} (retired)" in out
    assert "+ imported-0 (new)" in out
    assert "1 new, 1 changed, 1 retired, 0 restored" in out


def test_cli_diff_and_validate_fail_on_invalid_input(tmp_path, capsys):
    db = tmp_path / "claims.json"
    ClaimStore(db).close()
    bad = write(tmp_path / "bad.yaml", fifty_claims(bad_index=4))
    assert main(["diff", str(bad), "--db", str(db)]) == 1
    assert "imported-4" in capsys.readouterr().err
    assert main(["validate", str(bad)]) == 1
    assert "'sources.1.date'" in capsys.readouterr().err
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert main(["diff", str(broken), "--db", str(db)]) == 1
    assert "not valid JSON" in capsys.readouterr().err


def test_cli_import_is_audited_and_retire_missing_deletes_nothing(tmp_path, capsys):
    db = tmp_path / "claims.json"
    store = ClaimStore(db)
    total = len(store)
    store.close()
    assert main(["import", str(write(tmp_path / "in.yaml", fifty_claims())), "--db", str(db),
                 "--retire-missing", "--yes"]) == 0
    store = ClaimStore(db)
    assert len(store) == total + 50
    assert all(not c.active for c in store.all() if not c.id.startswith("imported-"))
    (entry_id, record), = store.audit_entries()
    assert record["action"] == "import" and record["via"] == "cli" and record["moderator"] is None


def test_errors_come_in_file_order_across_field_and_base_rules():
    """A claim's unknown rests_on id is found after every record is read; it still comes at its place."""
    items = fifty_claims()
    items[2].update(link="inferred", rests_on=["ghost"], reasoning="The test infers it.")
    items[7]["link"] = "maybe"
    items[30]["sources"][0]["kind"] = "blog"
    items[30]["text"] = {"en": ""}
    plan = plan_import(curated_claims(), items)
    assert [(e.claim_id, e.field) for e in plan.errors] == [
        ("imported-2", "rests_on"), ("imported-7", "link"), ("imported-30", "text.en"),
        ("imported-30", "sources[0].kind")]
    assert [e.position for e in plan.errors] == [3, 8, 31, 31]


def test_an_invalid_claim_is_still_checked_for_unknown_rests_on_ids():
    items = fifty_claims()[:3]
    items[1].update(link="inferred", rests_on=["ghost", "imported-0"], reasoning="r", text={"en": ""})
    plan = plan_import([], items)
    assert [(e.claim_id, e.field) for e in plan.errors] == [("imported-1", "text.en"), ("imported-1", "rests_on")]
    assert "'ghost'" in plan.errors[1].message


def test_an_id_used_twice_is_reported_even_when_the_second_record_is_invalid():
    items = fifty_claims()[:2]
    items.append({**items[0], "link": "maybe"})
    plan = plan_import([], items)
    assert [(e.claim_id, e.field, e.position) for e in plan.errors] == [
        ("imported-0", "link", 3), ("imported-0", "id", 3)]


# --- what the plan says about a change: its parts, explicit claims, older versions ------------------------

EXPLICIT_ID, INFERRED_ID = "mali-cuts-ties-with-ukraine", "yusov-words-read-as-implicit-admission"


def curated(claim_id: str) -> dict:
    return next(c.to_dict() for c in curated_claims() if c.id == claim_id)


def stored(record: dict, **changes) -> Claim:
    return claim_from_dict({**record, **changes}, stored=True)


def test_describe_lists_each_change_of_a_kept_claim_before_and_after():
    current = curated_claims()
    changed = curated(EXPLICIT_ID)
    changed["aliases"] = changed["aliases"] + ["yet another name"]
    changed["sources"][0]["date"] = "2024-08-05"
    retired = dict(curated(INFERRED_ID), status="retired")
    lines = describe(plan_import(current, [changed, retired]))
    head = lines.index(f"~ {EXPLICIT_ID} (sources, aliases)")
    old_date = curated(EXPLICIT_ID)["sources"][0].get("date")
    assert lines[head + 1:head + 3] == [f"    sources.1.date: {old_date or '∅'} → 2024-08-05",
                                        "    aliases: + yet another name"]
    assert lines[lines.index(f"- {INFERRED_ID} (retired)") + 1:] == []  # its status is the group, not a line


def test_new_explicit_claims_and_claims_made_explicit_or_given_new_sources_are_stated():
    explicit, inferred = curated(EXPLICIT_ID), curated(INFERRED_ID)
    made_explicit = {k: v for k, v in inferred.items() if k not in ("rests_on", "reasoning")} | {"link": "explicit"}
    new_inferred = dict(inferred, id="new-inferred")
    cases = {
        "new explicit": ([fifty_claims()[0]], ["imported-0"]),
        "new inferred": ([new_inferred], []),
        "made explicit": ([made_explicit], [INFERRED_ID]),
        "explicit, source renamed": ([dict(explicit, sources=[{"name": "Someone else", "kind": "press"}])],
                                     [EXPLICIT_ID]),
        "explicit, alias added": ([dict(explicit, aliases=[*explicit["aliases"], "new"])], []),
        "explicit, retired": ([dict(explicit, status="retired", sources=[{"name": "X", "kind": "press"}])], []),
    }
    for name, (items, expected) in cases.items():
        plan = plan_import(curated_claims(), items)
        assert plan.ok, name
        assert [p.claim_id for p in plan.stated] == expected, name


def test_a_file_version_older_than_the_bases_change_is_named_with_both_dates():
    base_version = curated(EXPLICIT_ID) | {"aliases": ["added later"], "updated_at": "2026-12-05"}
    current = [stored(base_version)]
    older = curated(EXPLICIT_ID) | {"updated_at": "2026-11-28"}  # as an export made before the change wrote it
    plan = plan_import(current, [older])
    assert [(f.claim_id, f.file_date, f.base_date) for f in plan.predating] == [
        (EXPLICIT_ID, "2026-11-28", "2026-12-05")]
    assert predating_line(plan.predating[0]) == (
        f"this file's version of {EXPLICIT_ID} (2026-11-28) predates the base's change of 2026-12-05; "
        "importing it undoes it")
    retiring = plan_import(current, [older | {"status": "retired"}])
    assert [f.claim_id for f in retiring.predating] == [EXPLICIT_ID]  # retired by an old version: undone too


def test_no_warning_when_the_file_is_as_recent_or_undated_or_differs_only_by_its_date():
    base_version = curated(EXPLICIT_ID) | {"aliases": ["added later"], "updated_at": "2026-12-05"}
    current = [stored(base_version), *(c for c in curated_claims() if c.id != EXPLICIT_ID)]
    edited_export = base_version | {"aliases": ["added later", "and in the file"]}  # exported after, edited
    undated = {k: v for k, v in curated(EXPLICIT_ID).items() if k != "updated_at"}
    same_but_dated_older = base_version | {"updated_at": "2026-11-28"}
    for items in ([edited_export], [undated]):
        plan = plan_import(current, items)
        assert plan.ok and plan.touched and plan.predating == [], items
    for items in ([same_but_dated_older], [base_version | {"updated_at": "2026-12-06"}]):  # only the date differs
        plan = plan_import(current, items)
        assert plan.ok and not plan.touched and plan.predating == [] and plan.unchanged == len(current), items
        assert stored(base_version) in plan.final  # the base keeps its own date
    # retire-missing stamps the claims it retires today: they come from the base, not from an older file
    plan = plan_import(current, [curated(INFERRED_ID)], missing=RETIRE, today=date(2026, 11, 1))
    assert plan.retired and plan.predating == []


def test_cli_diff_shows_each_change_explicit_claims_and_older_versions(tmp_path, capsys):
    db = tmp_path / "claims.json"
    store = ClaimStore(db)
    exported = [c.to_dict() for c in store.all()]
    Curator(store, clock=lambda: datetime(2026, 12, 5, 9, 30)).add_alias(EXPLICIT_ID, "added later", 7)
    store.close()
    code = main(["diff", str(write(tmp_path / "old.yaml", exported + fifty_claims()[:1])), "--db", str(db)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[out.index(f"~ {EXPLICIT_ID} (aliases)") + 1] == "    aliases: − added later"
    assert (f"warning: this file's version of {EXPLICIT_ID} (2026-11-28) predates the base's change of 2026-12-05; "
            "importing it undoes it") in out
    assert any(line.startswith("explicit after the import, new or with new sources: imported-0 (") for line in out)


def test_cli_import_summary_warns_of_the_change_it_undid(tmp_path, capsys):
    db = tmp_path / "claims.json"
    store = ClaimStore(db)
    exported = [c.to_dict() for c in store.all()]
    Curator(store, clock=lambda: datetime(2026, 12, 5, 9, 30)).add_alias(EXPLICIT_ID, "added later", 7)
    store.close()
    assert main(["import", str(write(tmp_path / "old.yaml", exported)), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert f"warning: this file's version of {EXPLICIT_ID} (2026-11-28) predates the base's change of 2026-12-05" in out
    assert "/undo 2 in the bot" in out
    assert "added later" not in ClaimStore(db).get(EXPLICIT_ID).aliases
    assert main(["import", str(write(tmp_path / "same.yaml", exported)), "--db", str(db)]) == 0
    assert "warning" not in capsys.readouterr().out  # nothing left to undo


def test_a_claim_an_import_changes_is_dated_the_day_of_the_import_so_an_older_file_is_seen_later():
    """Export, edit the file, import: the claim changed that day, whatever date the file carried. Without it, a
    file exported before that import, sent back later, would undo the change unseen."""
    current = curated_claims()
    first_export = [c.to_dict() for c in current]
    edited = curated(EXPLICIT_ID) | {"aliases": ["from the edited file"]}
    plan = plan_import(current, [edited, fifty_claims()[0]], today=date(2026, 12, 5))
    (changed,) = plan.changed
    assert changed.after.updated_at == "2026-12-05" and changed.after.aliases == ("from the edited file",)
    assert next(c for c in plan.final if c.id == EXPLICIT_ID).updated_at == "2026-12-05"
    assert plan.new[0].after.updated_at is None  # a new claim keeps what its file says
    later = plan_import(plan.final, first_export, today=date(2026, 12, 9))
    assert [(f.claim_id, f.file_date, f.base_date) for f in later.predating] == [
        (EXPLICIT_ID, "2026-11-28", "2026-12-05")]


# --- a file's exported_at: changes made after the export, the same day too ----------------------------

def at(hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, 12, 5, hour, minute, second, tzinfo=timezone.utc)


def test_a_change_made_the_day_of_the_export_but_after_it_is_named_with_its_number_and_time(tmp_path):
    store = ClaimStore(tmp_path / "claims.json")
    Curator(store, clock=lambda: at(9, 30)).add_alias(EXPLICIT_ID, "before the export", 7)  # change #1
    exported = [c.to_dict() for c in store.all()]  # exported at 10:00
    Curator(store, clock=lambda: at(14, 3)).add_alias(EXPLICIT_ID, "after the export", 7)  # change #2
    assert next(r for r in exported if r["id"] == EXPLICIT_ID)["updated_at"] == store.get(EXPLICIT_ID).updated_at
    assert plan_import(store.all(), exported).predating == []  # the day alone cannot tell
    plan = plan_import(store.all(), exported, exported_at=at(10), audit=store.audit_entries())
    assert [(f.claim_id, f.change, f.changed_at, f.exported_at) for f in plan.predating] == [
        (EXPLICIT_ID, 2, "2026-12-05 14:03:00 UTC", "2026-12-05 10:00:00 UTC")]
    assert predating_line(plan.predating[0]) == (
        f"{EXPLICIT_ID} was changed by #2 at 2026-12-05 14:03:00 UTC, after this file was exported "
        "(2026-12-05 10:00:00 UTC); importing this file's version undoes it")
    # both cut to the second: a change the second of the export may be after it; the next second is not
    same_second = plan_import(store.all(), exported, exported_at=at(14, 3).replace(microsecond=900_000),
                              audit=store.audit_entries())
    assert [f.change for f in same_second.predating] == [2]
    assert plan_import(store.all(), exported, exported_at=at(14, 3, 1), audit=store.audit_entries()).predating == []


def test_with_exported_at_no_warning_for_changes_before_it_and_older_dates_still_warn(tmp_path):
    store = ClaimStore(tmp_path / "claims.json")
    Curator(store, clock=lambda: at(9, 30)).add_alias(EXPLICIT_ID, "before the export", 7)  # change #1
    exported = [c.to_dict() for c in store.all() if c.id != INFERRED_ID]  # exported at 10:00, one claim left out
    Curator(store, clock=lambda: at(14)).add_alias(INFERRED_ID, "after the export", 7)  # not in the file: kept
    edited = [dict(r, aliases=[*r["aliases"], "edited in the file"]) if r["id"] == EXPLICIT_ID else r
              for r in exported]
    plan = plan_import(store.all(), edited, exported_at=at(10), audit=store.audit_entries())
    assert [p.claim_id for p in plan.changed] == [EXPLICIT_ID] and plan.predating == []
    # a claim's version pasted from an older file is still told by its updated_at day
    pasted = [curated(EXPLICIT_ID) | {"updated_at": "2026-11-28"}]
    plan = plan_import(store.all(), pasted, exported_at=at(10), audit=store.audit_entries())
    assert [(f.claim_id, f.change, f.file_date, f.base_date) for f in plan.predating] == [
        (EXPLICIT_ID, None, "2026-11-28", "2026-12-05")]
