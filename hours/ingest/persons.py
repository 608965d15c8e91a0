"""The people of a batch: found by the hash of their ID number, or created (encrypted, masked) in the batch's
transaction."""

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .. import crypto
from ..models import Person
from .lookups import _is_postgresql, _known_persons
from .pgcopy import _copy, _copy_text, _next_ids


def _persons(records) -> tuple[dict, set]:
    """Map ID-number hash → person id, creating the persons not yet known (encrypted, masked)."""
    by_hash = {}
    for rec in records:
        rec["id_hash"] = crypto.lookup_hash(rec["id_number"])
        by_hash.setdefault(rec["id_hash"], rec)
    known = _known_persons(by_hash)
    # Sorted, so concurrent batches creating the same people take the index locks in the same order (no deadlock).
    missing = sorted(h for h in by_hash if h not in known)
    created = _create_persons([by_hash[h] for h in missing], known) if missing else set()
    # People created by this batch have no earlier records: the per-class cap needs no query for them.
    return known, {known[h] for h in created}


def _create_persons(records, known: dict) -> set:
    """Create the people of these records (hash order), adding their ids to known; return the hashes this call
    created. A concurrent batch may create the same person first: that row is skipped here and read back."""
    if not _is_postgresql():
        return _create_persons_orm(records, known)
    now = timezone.now()
    rows = [
        (r["id_hash"], crypto.encrypt(r["id_number"]), crypto.mask(r["id_number"]), r["name"])
        for r in records
    ]
    created = _copy_persons(rows, now)
    if created is None:
        created = _insert_persons_skipping_known(rows, now)
    known.update(created)
    raced = [r["id_hash"] for r in records if r["id_hash"] not in created]
    if raced:
        known.update(_known_persons(raced))
    return set(created)


def _create_persons_orm(records, known: dict) -> set:
    """Create the people through the ORM (SQLite, in development)."""
    Person.objects.bulk_create(
        [
            Person(
                id_hash=r["id_hash"],
                id_encrypted=crypto.encrypt(r["id_number"]),
                id_masked=crypto.mask(r["id_number"]),
                name=r["name"],
            )
            for r in records
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    known.update(_known_persons(r["id_hash"] for r in records))
    return {r["id_hash"] for r in records}  # SQLite has one writer at a time: no race to lose


def _copy_persons(rows, now) -> dict | None:
    """COPY the people with ids drawn first: the fast path. Return hash → id, or None when another batch has
    created one of them since the look-up: the unique hash refuses the COPY and the savepoint undoes it."""
    ids = _next_ids("hours_person", len(rows))
    stamp = now.isoformat()
    savepoint = transaction.savepoint()
    try:
        _copy(
            "hours_person",
            ["id", "id_hash", "id_encrypted", "id_masked", "name", "created_at"],
            [
                f"{i}\t{h}\t{e}\t{m}\t{_copy_text(n)}\t{stamp}\n"
                for i, (h, e, m, n) in zip(ids, rows, strict=True)
            ],
        )
    except IntegrityError:
        transaction.savepoint_rollback(savepoint)
        return None
    transaction.savepoint_commit(savepoint)
    return {h: i for i, (h, _e, _m, _n) in zip(ids, rows, strict=True)}


def _insert_persons_skipping_known(rows, now) -> dict:
    """Insert the people no other batch has created (ON CONFLICT DO NOTHING); return hash → id of those."""
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO hours_person (id_hash, id_encrypted, id_masked, name, created_at) "
            "SELECT h, e, m, n, %s FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) AS u(h, e, m, n) "
            "ON CONFLICT (id_hash) DO NOTHING RETURNING id_hash, id",
            [now, *(list(column) for column in zip(*rows, strict=True))],
        )
        return dict(cur.fetchall())
