"""The few queries a batch makes before it writes: classes, closed years, known people, existing records and
hours credited so far, each one query whatever the batch's size.

The three look-ups of a batch (people by hash, records by external_id, hours so far per person and class) probe
a unique or covering index once per value. On PostgreSQL they are written as a LATERAL join over the unnested
array, which pins that plan: the LIMIT, aggregate or FOR UPDATE in each subquery keeps the planner from
flattening it into a hash join over the whole table. A plain `= ANY(array)` left the planner free to scan a whole
base's records when statistics were stale (measured on a never-analysed table of 1M rows: 0.2-0.6 s per query
instead of ~0.05 s). The array is also one bind parameter, where the ORM compiled 10,000 `%s` markers, and
it is sent as one array literal ('{…}'), not as psycopg2's ARRAY[…] of 10,000 constants the server must parse
one by one (measured: 25-40 % off each look-up of 10,000 values).
"""

from django.db import connection
from django.db.models import Sum

from plans.models import TrainingClass

from ..models import ClosedYear, Person, TrainingRecord


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _int_array(values) -> str:
    """A PostgreSQL array literal of integers, bound as one parameter (cast in the query)."""
    return "{" + ",".join(map(str, values)) + "}"


def _text_array(values) -> str:
    """A PostgreSQL array literal of strings, each quoted (backslash and double quote escaped)."""
    return "{" + ",".join('"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"' for v in values) + "}"


def _classes(class_ids) -> dict:
    """Map class id → class, with its plan item and plan, for the classes a batch names."""
    return {k.pk: k for k in TrainingClass.objects.filter(pk__in=class_ids).select_related("plan_item__plan")}


def _closed_years(years) -> set:
    """Return the years among these that are closed."""
    return set(ClosedYear.objects.filter(year__in=years).values_list("year", flat=True))


def _known_persons(hashes) -> dict:
    """ID-number hash → person id, for the hashes already known."""
    hashes = list(hashes)
    if not _is_postgresql():
        return dict(Person.objects.filter(id_hash__in=hashes).values_list("id_hash", "pk"))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.id_hash, p.id FROM unnest(%s::text[]) AS q(h) "
            "CROSS JOIN LATERAL (SELECT id_hash, id FROM hours_person WHERE id_hash = q.h LIMIT 1) p",
            [_text_array(hashes)],
        )
        return dict(cur.fetchall())


def _existing_records(base, external_ids) -> dict:
    """external_id → the base's record, locked until the end of the transaction. Locked in key order, as an index
    scan would: concurrent batches correcting the same records in different orders must not deadlock."""
    external_ids = sorted(external_ids)
    if not _is_postgresql():
        records = TrainingRecord.objects.select_for_update().filter(base=base, external_id__in=external_ids)
    else:
        records = TrainingRecord.objects.raw(
            "SELECT r.* FROM unnest(%s::text[]) AS q(ext) CROSS JOIN LATERAL (SELECT * FROM hours_trainingrecord "
            "WHERE base_id = %s AND external_id = q.ext FOR UPDATE) r",
            [_text_array(external_ids), base.pk],
        )
    return {r.external_id: r for r in records}


def _lock_credits(pairs) -> None:
    """Hold a transaction lock per (person id, class id), in sorted order, so that concurrent batches read and
    raise a person's credited hours in a class one after the other (PostgreSQL; SQLite has one writer)."""
    if not pairs or not _is_postgresql():
        return
    keys = sorted({(p << 32 | k & 0xFFFFFFFF) & 0x7FFFFFFFFFFFFFFF for p, k in pairs})
    with connection.cursor() as cur:
        cur.execute("SELECT pg_advisory_xact_lock(k) FROM unnest(%s::bigint[]) AS k", [_int_array(keys)])


CREDITED_SQL = (
    "SELECT q.p, q.k, r.subject, r.total FROM unnest(%%s::bigint[], %%s::bigint[], %%s::smallint[]) AS q(p, k, y) "
    "CROSS JOIN LATERAL (SELECT subject, sum(hours) AS total FROM hours_trainingrecord "
    "WHERE person_id = q.p AND year = q.y AND klass_id = q.k AND status = %%s %s GROUP BY subject) r"
)


def _credited(triples, exclude_ids) -> dict:
    """(person id, class id, subject) → hours of valid records so far, for (person, class, plan year) triples;
    records in exclude_ids (the ones this batch corrects) are left out, as they count with their new value."""
    triples = list(triples)
    exclude_ids = list(exclude_ids)
    if not _is_postgresql():
        rows = (
            TrainingRecord.objects.filter(
                year__in={y for _p, _k, y in triples},
                person_id__in={p for p, _k, _y in triples},
                klass_id__in={k for _p, k, _y in triples},
                status=TrainingRecord.Status.VALID,
            )
            .exclude(pk__in=exclude_ids)
            .values_list("person_id", "klass_id", "subject")
            .annotate(total=Sum("hours"))
        )
        return {(p, k, s): t for p, k, s, t in rows}
    with connection.cursor() as cur:
        # A class lies in one plan year: probing (person, year) keeps each look-up on the covering index.
        params = [
            _int_array(p for p, _k, _y in triples),
            _int_array(k for _p, k, _y in triples),
            _int_array(y for _p, _k, y in triples),
            TrainingRecord.Status.VALID,
        ]
        if exclude_ids:
            cur.execute(CREDITED_SQL % "AND NOT (id = ANY(%s::bigint[]))", [*params, _int_array(exclude_ids)])
        else:
            cur.execute(CREDITED_SQL % "", params)
        return {(p, k, s): t for p, k, s, t in cur.fetchall()}
