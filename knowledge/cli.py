"""python -m knowledge: search, import, export, validate and diff claim files; the history of a claim, and undo of a
change; prune the question log."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from .approval import stated_ids
from .audit import Curator
from .base import ClaimBase
from .changes import change_parts, describe_part
from .edits import ChangeRefused, refusal
from .importing import DELETE, KEEP, RETIRE, ImportPlan, describe, plan_import, predating_line
from .io import FileFormatError, read_claim_file, write_claims
from .lock import StoreBusy, StoreLock, describe_holder
from .model import LANGS, LINKS, Claim, ClaimError
from .questions import (DEFAULT_KEEP_DAYS, FOREVER, MAX_KEEP_DAYS, Pruned, QuestionLog, default_log_path,
                        parse_keep_days)
from .store import DEFAULT_DB, ClaimStore, curated_claims
from .text import guess_lang
from .storage import StoreError


class Rejected(Exception):
    """The claim file has invalid claims; every error has been printed."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    store = Path(os.environ.get("CLAIMBOT_DB") or DEFAULT_DB)  # the bot's own setting, so both use one store

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", type=Path, default=store, help=f"store file (default: CLAIMBOT_DB, or {DEFAULT_DB})")
        return p

    search = with_db(sub.add_parser("search", help="find the claims a question is about"))
    search.add_argument("question", nargs="?", help="the question")
    search.add_argument("--batch", type=Path, help="a file with one question a line ('-' for stdin)")
    search.add_argument("--top", type=_positive, default=3, help="how many matches to show (default 3)")
    search.add_argument("--json", action="store_true", help="one JSON line per question")

    imp = with_db(sub.add_parser("import", help="add claims from a YAML, JSON or JSON lines file"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--replace", action="store_true", help="the base becomes exactly the file's claims")
    imp.add_argument("--source", help="source name for claims that have none")
    imp.add_argument("--link", choices=LINKS, help="link type for claims that have none")
    imp.add_argument("--lang", choices=LANGS, default="en", help="language of plain-text fields (default en)")
    imp.add_argument("--retire-missing", action="store_true",
                     help="retire the base's claims that the file does not hold (nothing is deleted)")
    imp.add_argument("--yes", action="store_true",
                     help=f"import even when it retires or removes more than {MASS_CHANGE} claims, or more than a "
                          f"tenth of the base (else it says what it would do and imports nothing)")

    undo = with_db(sub.add_parser("undo", help="put back every claim a change (an import, a moderator's edit) changed"))
    undo.add_argument("change", type=_change_number, help="the change number, as import and history print it (#12 or 12)")

    diff = with_db(sub.add_parser("diff", help="what importing FILE would add, change or retire"))
    diff.add_argument("file", type=Path)
    diff.add_argument("--replace", action="store_true", help="as import --replace: claims missing from FILE are removed")
    diff.add_argument("--retire-missing", action="store_true", help="as import --retire-missing")
    diff.add_argument("--source", help="source name for claims that have none")
    diff.add_argument("--link", choices=LINKS, help="link type for claims that have none")
    diff.add_argument("--lang", choices=LANGS, default="en", help="language of plain-text fields (default en)")

    exp = with_db(sub.add_parser("export", help="write the whole base to a YAML or JSON file"))
    exp.add_argument("file", type=Path)

    hist = with_db(sub.add_parser("history", help="every recorded change to a claim, oldest first, values in full"))
    hist.add_argument("id", help="the claim id")

    val = with_db(sub.add_parser("validate", help="check claim files as import would, without touching the store"))
    val.add_argument("files", type=Path, nargs="+", metavar="FILE",
                     help="each checked on its own, together with the base at --db (the curated claims when "
                          "--db does not exist yet)")

    questions = sub.add_parser("questions", help="the question log the bot keeps for the moderators")
    actions = questions.add_subparsers(dest="action", required=True)
    prune = with_db(actions.add_parser(
        "prune", help="drop the questions asked more than DAYS ago, with their votes and review decisions"))
    prune.add_argument("--questions", type=Path, default=_env_path("CLAIMBOT_QUESTIONS"),
                       help="the question log (default: CLAIMBOT_QUESTIONS, or beside the store)")
    prune.add_argument("--days", type=_keep_days,
                       help=f"keep this many days, or {FOREVER} (default: CLAIMBOT_QUESTIONS_KEEP_DAYS, or "
                            f"{DEFAULT_KEEP_DAYS})")
    prune.add_argument("--dry-run", action="store_true", help="say what would be dropped; change nothing")
    return parser


def _env_path(name: str) -> Path | None:
    return Path(os.environ[name]) if os.environ.get(name) else None


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return number


def _keep_days(value: str) -> int | str:
    """--days: what CLAIMBOT_QUESTIONS_KEEP_DAYS takes, a whole number of days or 'forever' (kept as FOREVER)."""
    try:
        days = parse_keep_days(value, "--days") if value.strip() else 0
    except ValueError:
        days = 0
    if days == 0:
        raise argparse.ArgumentTypeError(f"must be a whole number of days from 1 to {MAX_KEEP_DAYS}, or {FOREVER} "
                                         f"(keep every question: nothing is dropped), not {value[:40]!r}")
    return FOREVER if days is None else days


def _change_number(value: str) -> int:
    text = value.strip().lstrip("#")
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a change number such as 12 or #12, not {value!r}")
    return int(text)


def plural(count: int, noun: str) -> str:
    """'1 claim', '2 claims', '0 claims'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except Rejected:
        return 1
    except ClaimError as exc:
        print(f"error: {refusal(exc)}", file=sys.stderr)
        return 1
    except (ChangeRefused, FileFormatError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # e.g. an export folder that cannot be created
        print(f"error: {exc.strerror or exc}: {exc.filename or ''}", file=sys.stderr)
        return 1


def _search(args: argparse.Namespace) -> int:
    if (args.question is None) == (args.batch is None):
        print("error: give a QUESTION or --batch FILE", file=sys.stderr)
        return 2
    if args.batch is not None:
        questions = _read_batch(args.batch)
    else:
        questions = [args.question]
        if not args.question.strip():
            print("error: the question is empty", file=sys.stderr)
            return 2
    base = ClaimBase(_existing_store(args))
    top = args.top
    for question in questions:
        result = base.search(question, top=top)
        if args.json:
            print(json.dumps({
                "question": question,
                "outcome": result.outcome,
                "matches": [{"id": m.id, "score": m.score, "link": m.claim.link} for m in result.matches],
            }, ensure_ascii=False))
        else:
            print(f"{question}\n  -> {result.outcome}")
            lang = guess_lang(question)  # else each claim's first text
            for m in result.matches:
                text = m.claim.text_in(lang) if lang else next(iter(m.claim.text.values()), "")
                print(f"  {m.score:5.1f}  {m.id}  [{m.claim.link}]  {text[:90]}")
    return 0


def _backups() -> Path | None:
    """Where the bot keeps backups of the store (CLAIMBOT_BACKUPS), named when the store cannot be opened."""
    return Path(os.environ["CLAIMBOT_BACKUPS"]) if os.environ.get("CLAIMBOT_BACKUPS") else None


def _read_batch(path: Path) -> list[str]:
    """The non-blank lines of a question file, or of stdin for '-'."""
    if str(path) == "-":
        return [line.strip() for line in sys.stdin if line.strip()]
    try:
        with path.open(encoding="utf-8") as stream:
            return [line.strip() for line in stream if line.strip()]
    except FileNotFoundError as exc:
        raise FileFormatError(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"{path}: not UTF-8 text") from exc
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot be read ({exc.strerror or exc.__class__.__name__})") from exc


def _existing_store(args: argparse.Namespace) -> ClaimStore:
    """The store of a command that only reads it: a missing file is an error, never created."""
    return ClaimStore(args.db, backups=_backups(), create=False)


def _plan(args: argparse.Namespace, current: list[Claim], unchanged: str = "", audit: Iterable[Any] = ()) -> ImportPlan:
    """The import plan of the file against current (and its audit entries, ClaimStore.audit_entries); Rejected
    after printing every error, in file order, and a summary line."""
    missing = DELETE if getattr(args, "replace", False) else RETIRE if getattr(args, "retire_missing", False) else KEEP
    read = read_claim_file(args.file)
    plan = plan_import(current, read.items, missing=missing, lines=read.lines,
                       default_lang=getattr(args, "lang", "en") or "en", default_link=getattr(args, "link", None),
                       default_source=getattr(args, "source", None), exported_at=read.exported_at, audit=audit)
    if plan.errors:
        for exc in plan.errors:
            print(f"error: {refusal(exc)}", file=sys.stderr)
        bad = len({e.position if e.position is not None else e.claim_id for e in plan.errors})
        print(f"{args.file}: {plural(bad, 'invalid claim')} of {plan.in_file}, "
              f"{plural(len(plan.errors), 'error')}{unchanged}", file=sys.stderr)
        raise Rejected
    if not plan.in_file:
        print(f"error: {args.file} holds no claims{unchanged}", file=sys.stderr)
        raise Rejected
    return plan


MASS_CHANGE = 3  # claims an import may retire or remove without --yes (if also no more than a tenth of the base)


def _writes(args: argparse.Namespace, command: str, in_the_bot: str) -> contextlib.AbstractContextManager[None]:
    """Hold the store's lock while a command writes it; refused (StoreError, nothing changed) while the bot runs on
    it: the bot keeps the base in memory and its next save would write over the change (or be refused)."""
    return _holding(StoreLock(args.db, f"python -m knowledge {command}"), args.db, in_the_bot)


@contextlib.contextmanager
def _holding(lock: StoreLock, db: Path, in_the_bot: str) -> Iterator[None]:
    try:
        lock.acquire()
    except StoreBusy as exc:
        if exc.by_bot:
            raise StoreError(f"{describe_holder(exc.holder)} is running on {db}: nothing was changed. The bot keeps "
                             f"the base in memory: a change written behind it would be lost at its next save. Stop the "
                             f"bot first (then start it again), or {in_the_bot}") from None
        raise StoreError(f"{describe_holder(exc.holder)} is writing {db}: nothing was changed; try again once it "
                         f"has finished") from None
    try:
        yield
    finally:
        lock.release()


def _import(args: argparse.Namespace) -> int:
    new_plan = None  # a bad file creates nothing, not even the lock file beside the store
    if not args.db.exists():
        new_plan = _plan(args, curated_claims(), f"; nothing imported, {args.db} was not created")
    with _writes(args, "import", "send the file to the bot: /import in Telegram"):
        # a new store starts from the curated claims, created once the file is known to be valid; what the import
        # retires or removes of them was nobody's work yet: no --yes for that
        existed = args.db.exists()  # a new store has nothing to back up
        if not existed:
            plan = new_plan or _plan(args, curated_claims(), f"; nothing imported, {args.db} was not created")
            store = ClaimStore(args.db, backups=_backups())
        else:
            store = ClaimStore(args.db, backups=_backups())
            if (plan := _go_ahead(args, store, f"{args.db} is unchanged")) is None:
                return 1
        before = len(store)
        entry = copy = None
        if plan.touched:
            curator = Curator(store, via="cli")
            entry, copy = curator.apply_import(plan.pairs(), None, note=args.file.name, backup=existed,
                                               backup_dir=store.backups,
                                               replace_with=plan.final if args.replace else None)
    print(f"imported {plural(plan.in_file, 'claim')} into {args.db} ({before} before, {len(store)} now; {plan.counts()})")
    if copy is not None:
        print(f"backup of the store before the import: {copy}")
    if entry is not None:
        print(f"recorded as change #{entry.id} (from the command line, no moderator named); to undo it: "
              f"python -m knowledge undo {entry.id} (or /undo {entry.id} in the bot)")
    stated = stated_ids(plan.pairs()) if plan.touched else []
    if stated:
        print(f"explicit now, new or with new sources: {', '.join(stated)} (readers read that these sources "
              f"state the claims themselves)")
        if _second_moderator_rule():
            print("note: EXPLICIT_NEEDS_SECOND_MODERATOR is on, and the command line does not apply it: these "
                  "claims went live without a second moderator (an operator's tool, run with access to the store; "
                  "/history in the bot shows the change as from cli)")
    for found in plan.predating:
        print(f"warning: {predating_line(found)}")
    if plan.predating and entry is not None:
        print("(`python -m knowledge diff FILE` shows this before an import)")
    return 0


def _go_ahead(args: argparse.Namespace, store: ClaimStore, unchanged: str) -> ImportPlan | None:
    """The import plan, or None once it has said why the import needs --yes; Rejected for an invalid file."""
    current = store.all()
    plan = _plan(args, current, f"; nothing imported, {unchanged}", store.audit_entries())
    if not args.yes and _too_many_go(plan, len(current)):
        _refuse_mass_change(args, plan, len(current), unchanged)
        return None
    return plan


def _too_many_go(plan: ImportPlan, base_size: int) -> bool:
    """Whether the import retires or removes more than MASS_CHANGE claims, or more than a tenth of the base."""
    going = len(plan.retired) + len(plan.removed)
    return going > MASS_CHANGE or going * 10 > base_size


def _refuse_mass_change(args: argparse.Namespace, plan: ImportPlan, base_size: int, unchanged: str) -> None:
    """Say what the import would do, and how to go ahead."""
    going = plan.retired + plan.removed
    what = " and ".join(f"{verb} {len(group)}" for verb, group in (("retire", plan.retired), ("remove", plan.removed))
                        if group)
    print(f"{args.file}: importing it would {what} of the base's {plural(base_size, 'claim')}:")
    for line in describe(plan, limit=20):
        print(line)
    option = " --replace" if args.replace else " --retire-missing" if args.retire_missing else ""
    print(f"error: nothing imported, {unchanged}: an import that retires or removes more than {MASS_CHANGE} claims, "
          f"or more than a tenth of the base, needs --yes ({len(going)} would go). The whole plan: python -m "
          f"knowledge diff {args.file}{option}. To import anyway: the same command with --yes (a backup of the "
          f"store is made first, and the change can be undone)", file=sys.stderr)


def _undo(args: argparse.Namespace) -> int:
    """Put back what a change changed, as /undo does in the bot."""
    with _writes(args, "undo", f"use /undo {args.change} in Telegram"):
        curator = Curator(_existing_store(args), via="cli")
        target = curator.entry(args.change)
        undone = curator.undo(args.change, None)
    what = f"{target.action} {target.note}".strip() if target is not None else "?"
    print(f"undid change #{args.change} ({what}): {plural(len(undone.changes), 'claim')} put back, as change "
          f"#{undone.id} (python -m knowledge undo {undone.id} would redo it)")
    return 0


def _second_moderator_rule() -> bool:
    """Whether the bot's EXPLICIT_NEEDS_SECOND_MODERATOR is on in this environment (as bot/settings.py reads it)."""
    return (os.environ.get("EXPLICIT_NEEDS_SECOND_MODERATOR") or "").strip().lower() in ("1", "true", "yes", "on")


def _diff(args: argparse.Namespace) -> int:
    store = _existing_store(args)
    plan = _plan(args, store.all(), audit=store.audit_entries())
    for line in describe(plan, limit=10_000):
        print(line)
    if plan.stated:
        print(f"explicit after the import, new or with new sources: {', '.join(p.claim_id for p in plan.stated)} "
              f"(explicit: the source states the claim itself; an interpretation stays inferred)")
    for found in plan.predating:
        print(f"warning: {predating_line(found)}")
    print(f"{args.file}: {plural(plan.in_file, 'claim')}; importing would give {plan.counts()}")
    return 0


def _export(args: argparse.Namespace) -> int:
    folder = next((p for p in [args.file.parent, *args.file.parent.parents] if p.exists()), None)
    if folder is not None and not folder.is_dir():
        print(f"error: {folder} is a file, not a folder", file=sys.stderr)
        return 1
    store = _existing_store(args)
    claims = store.all()
    created = not args.file.parent.exists()
    write_claims(args.file, claims, exported_at=datetime.now(timezone.utc))
    if created:
        print(f"created folder {args.file.parent}")
    print(f"exported {plural(len(claims), 'claim')} to {args.file}")
    return 0


def _history(args: argparse.Namespace) -> int:
    """Every change to one claim (/history in Telegram lists the latest ten), each part in full."""
    store = _existing_store(args)
    curator = Curator(store)
    claim_id = args.id.strip()
    entries = curator.history(claim_id)
    if not entries:
        claim_id = curator.claim(claim_id).id  # ChangeRefused names an unknown id; any case finds a claim
        entries = curator.history(claim_id)
    if not entries:
        print(f"no recorded change to {claim_id} (it came with the base)")
        return 0
    print(f"history of {claim_id}: {plural(len(entries), 'change')}, oldest first")
    for entry in entries:
        who = f"moderator {entry.moderator}" if entry.moderator is not None else entry.via or "?"
        if entry.proposal is not None:
            who += f", approved by moderator {entry.approved_by} (pending change P{entry.proposal})"
        print(f"#{entry.id} · {entry.time} · {who} · {entry.action}" + (f" {entry.note}" if entry.note else ""))
        for change in entry.changes:
            if change.claim_id != claim_id:
                continue
            if change.before is None:
                print("  added")
            elif change.after is None:
                print("  removed")
            else:
                for path, before, after in change_parts(change.before, change.after):
                    print(f"  {path}: {describe_part(before, after, limit=None)}")
    return 0


def _import_start(args: argparse.Namespace) -> tuple[list[Claim], str]:
    """The claims import would judge a file with, and what they are: the store at --db, or the curated
    claims a new store starts from. Nothing is created."""
    if args.db.exists():
        return _existing_store(args).all(), f"the base {args.db}"
    return curated_claims(), f"the curated claims ({args.db} does not exist yet)"


def _validate(args: argparse.Namespace) -> int:
    current, against = _import_start(args)
    failed = 0
    for path in args.files:
        try:
            plan = _plan(argparse.Namespace(**{**vars(args), "file": path}), current)
        except Rejected:
            failed += 1
            continue
        except ClaimError as exc:
            print(f"error: {refusal(exc)}", file=sys.stderr)
            failed += 1
            continue
        except FileFormatError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(f"{path}: {plural(plan.in_file, 'claim')}, valid with {against}")
    return 1 if failed else 0


def _questions(args: argparse.Namespace) -> int:
    """questions prune: the log kept to its retention, as the bot does at start and once a day."""
    path = args.questions or default_log_path(args.db)
    days, setting = args.days, "--days forever"
    if days is None:
        setting = "CLAIMBOT_QUESTIONS_KEEP_DAYS=forever"
        try:
            days = parse_keep_days(os.environ.get("CLAIMBOT_QUESTIONS_KEEP_DAYS"))
        except ValueError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if days is None or days == FOREVER:
        print(f"{path}: questions are kept forever ({setting}); nothing dropped. --days N prunes anyway")
        return 0
    if not path.exists():
        print(f"{path} does not exist: nothing to prune")
        return 0
    print(f"{path}: {_pruned_line(QuestionLog(path).prune(days, dry_run=args.dry_run), args.dry_run)}")
    return 0


def _pruned_line(done: Pruned, dry_run: bool) -> str:
    """'dropped 3 entries older than 90 days (...); kept 5 (...)'."""
    dropped = [plural(done.dropped_questions, "question"), plural(done.dropped_marks, "mark")]
    if done.unreadable:
        dropped.append(plural(done.unreadable, "unreadable line"))
    drop, keep = ("would drop", "would keep") if dry_run else ("dropped", "kept")
    line = (f"{drop} {done.dropped} {'entry' if done.dropped == 1 else 'entries'} older than "
            f"{plural(done.days, 'day')}, before {done.cutoff[:16].replace('T', ' ')} UTC ({', '.join(dropped)}); "
            f"{keep} {done.kept} ({plural(done.kept_questions, 'question')}, {plural(done.kept_marks, 'mark')})")
    return line + ("; nothing changed (dry run)" if dry_run else "")


COMMANDS = {"search": _search, "import": _import, "export": _export, "validate": _validate, "diff": _diff,
            "history": _history, "undo": _undo, "questions": _questions}
