"""python -m knowledge: search, import, export and validate claim files."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Sequence

from .base import ClaimBase
from .io import FileFormatError, read_items, write_claims
from .model import LANGS, LINKS, Claim, ClaimError, check_base, claim_from_dict
from .store import DEFAULT_DB, ClaimStore
from .storage import StoreError

MAX_ERRORS_SHOWN = 20


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m knowledge", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", type=Path, default=DEFAULT_DB, help=f"store file (default {DEFAULT_DB})")
        return p

    search = with_db(sub.add_parser("search", help="find the claims a question is about"))
    search.add_argument("question", nargs="?", help="the question")
    search.add_argument("--batch", type=Path, help="a file with one question a line ('-' for stdin)")
    search.add_argument("--top", type=int, default=3, help="how many matches to show (default 3)")
    search.add_argument("--json", action="store_true", help="one JSON line per question")

    imp = with_db(sub.add_parser("import", help="add claims from a YAML, JSON or JSON lines file"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--replace", action="store_true", help="the base becomes exactly the file's claims")
    imp.add_argument("--source", help="source name for claims that have none")
    imp.add_argument("--link", choices=LINKS, help="link type for claims that have none")
    imp.add_argument("--lang", choices=LANGS, default="en", help="language of plain-text fields (default en)")

    exp = with_db(sub.add_parser("export", help="write the whole base to a YAML or JSON file"))
    exp.add_argument("file", type=Path)

    val = sub.add_parser("validate", help="check a claim file without touching the store")
    val.add_argument("file", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (ClaimError, FileFormatError, StoreError) as exc:
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
    base = ClaimBase.open(args.db)
    top = max(args.top, 1)
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
            for m in result.matches:
                print(f"  {m.score:5.1f}  {m.id}  [{m.claim.link}]  {m.claim.text_in('en')[:90]}")
    return 0


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


def _load_file(args: argparse.Namespace) -> list[Claim]:
    """Every claim of the file, or ClaimError naming the first bad one (all of them on stderr)."""
    items = read_items(args.file)
    claims: list[Claim] = []
    errors: list[ClaimError] = []
    for item in items:
        try:
            claims.append(claim_from_dict(item, default_lang=getattr(args, "lang", "en") or "en",
                                          default_link=getattr(args, "link", None),
                                          default_source=getattr(args, "source", None)))
        except ClaimError as exc:
            errors.append(exc)
    for exc in errors[1:MAX_ERRORS_SHOWN]:
        print(f"error: {exc}", file=sys.stderr)
    if len(errors) > MAX_ERRORS_SHOWN:
        print(f"error: ... and {len(errors) - MAX_ERRORS_SHOWN} more", file=sys.stderr)
    if errors:
        raise ClaimError(errors[0].claim_id, errors[0].field,
                         errors[0].message + (f" ({len(errors)} invalid claims in {args.file})" if len(errors) > 1 else ""))
    return claims


def _import(args: argparse.Namespace) -> int:
    claims = _load_file(args)
    if not claims:
        print(f"error: {args.file} holds no claims", file=sys.stderr)
        return 1
    store = ClaimStore(args.db)
    before = len(store)
    store.put_many(claims, replace=args.replace)
    print(f"imported {len(claims)} claims into {args.db} ({before} before, {len(store)} now)")
    return 0


def _export(args: argparse.Namespace) -> int:
    store = ClaimStore(args.db)
    claims = store.all()
    write_claims(args.file, claims)
    print(f"exported {len(claims)} claims to {args.file}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    claims = _load_file(args)
    check_base(claims)
    print(f"{args.file}: {len(claims)} claims, valid")
    return 0


COMMANDS = {"search": _search, "import": _import, "export": _export, "validate": _validate}
