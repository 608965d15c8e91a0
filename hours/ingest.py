"""Ingestion of training records (R-23, R-31): validate each record, then apply the accepted ones in one
transaction. The same external_id with the same content changes nothing; with new content it is a correction
kept in the history, until the year is closed.

Sized for provincial volume: one query each for classes, closed years, persons and existing records per batch;
on PostgreSQL new rows go in with COPY.
"""

import datetime
import io
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import PlanState, TrainingClass

from . import crypto
from .models import ClosedYear, FeedCounter, Person, RecordRevision, TrainingRecord

HALF = Decimal("0.5")
TENTH = Decimal("0.1")
FIELDS = ("person_id", "klass_id", "subject", "hours", "completed_on")


# The three look-ups of a batch (people by hash, records by external_id, hours so far per person and class) probe
# a unique or covering index once per value. On PostgreSQL they are written as a LATERAL join over the unnested
# array, which pins that plan: the LIMIT, aggregate or FOR UPDATE in each subquery keeps the planner from
# flattening it into a hash join over the whole table. A plain `= ANY(array)` left the planner free to scan a whole
# base's records when statistics were stale (measured on a never-analysed table of 1M rows: 0.2-0.6 s per query
# instead of ~0.05 s). The array is also one bind parameter, where the ORM compiled 10,000 `%s` markers.


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _known_persons(hashes) -> dict:
    """ID-number hash → person id, for the hashes already known."""
    hashes = list(hashes)
    if not _is_postgresql():
        return dict(Person.objects.filter(id_hash__in=hashes).values_list("id_hash", "pk"))
    with connection.cursor() as cur:
        cur.execute(
            "SELECT p.id_hash, p.id FROM unnest(%s::text[]) AS q(h) "
            "CROSS JOIN LATERAL (SELECT id_hash, id FROM hours_person WHERE id_hash = q.h LIMIT 1) p",
            [hashes],
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
            [external_ids, base.pk],
        )
    return {r.external_id: r for r in records}


CREDITED_SQL = (
    "SELECT q.p, q.k, r.total FROM unnest(%%s::bigint[], %%s::bigint[], %%s::smallint[]) AS q(p, k, y) "
    "CROSS JOIN LATERAL (SELECT sum(hours) AS total FROM hours_trainingrecord "
    "WHERE person_id = q.p AND year = q.y AND klass_id = q.k AND status = %%s %s) r WHERE r.total IS NOT NULL"
)


def _credited(triples, exclude_ids) -> dict:
    """(person id, class id) → hours of valid records so far, for (person, class, plan year) triples; records
    in exclude_ids (the ones this batch corrects) are left out, as they count with their new value."""
    from django.db.models import Sum

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
            .values_list("person_id", "klass_id")
            .annotate(total=Sum("hours"))
        )
        return {(p, k): t for p, k, t in rows}
    with connection.cursor() as cur:
        # A class lies in one plan year: probing (person, year) keeps each look-up on the covering index.
        params = [
            [p for p, _k, _y in triples],
            [k for _p, k, _y in triples],
            [y for _p, _k, y in triples],
            TrainingRecord.Status.VALID,
        ]
        if exclude_ids:
            cur.execute(CREDITED_SQL % "AND NOT (id = ANY(%s::bigint[]))", [*params, exclude_ids])
        else:
            cur.execute(CREDITED_SQL % "", params)
        return {(p, k): t for p, k, t in cur.fetchall()}


@dataclass
class Outcome:
    accepted: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    created: int = 0
    corrected: int = 0
    unchanged: int = 0


def _refuse(out, external_id, reason, row=None):
    item = {"external_id": external_id, "reason": str(reason)}
    if row is not None:
        item["row"] = row
    out.refused.append(item)


MAX_HOURS = Decimal("1000")  # far above any class; bounds the arithmetic on whatever a client sends
_hours_seen: dict = {}  # (type, value) → valid hours: a platform sends the same few values again and again
_HOURS_KEY_TYPES = (str, int, float)


def _hours(value):
    """Hours as a Decimal with one decimal place, or an error message (translated per call, never cached)."""
    cacheable = type(value) in _HOURS_KEY_TYPES
    if cacheable:
        cached = _hours_seen.get((type(value), value))
        if cached is not None:
            return cached
    try:
        hours = Decimal(value if type(value) is str else str(value))
        if not hours.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        return _("学时应为数字")
    # Compared with HALF, not 0: 1e-1000030 % 0.5 underflows to 0 and would round to 0.0 hours.
    if hours < HALF or hours > MAX_HOURS or hours % HALF != 0:
        return _("学时须大于 0，且以 0.5 学时为单位")
    hours = hours.quantize(TENTH)
    if cacheable and len(_hours_seen) < 1000:
        _hours_seen[(type(value), value)] = hours
    return hours


def _class_id(value):
    """A class id sent as an integer, an integral float (Excel) or a string of digits; None otherwise."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    if type(value) is str:
        value = value.strip()
        if value.isascii() and value.isdigit() and len(value) <= 18:
            return int(value)
    return None


def _parse(raw, out, today_ymd=None):
    """Structural checks that need no database. Returns a cleaned dict, or None after refusing.

    Written for speed (a few microseconds a record): exact type tests instead of isinstance, cached hours."""
    if type(raw) is not dict:
        _refuse(out, None, _("缺少记录编号（external_id），或超过 64 个字符"))
        return None
    get = raw.get
    ext, row = get("external_id"), get("_row")
    if type(row) is not int:
        row = None  # the workbook row number, set by the Excel reader; anything else a client sent is dropped
    if type(ext) is int and -(10**64) < ext < 10**64:
        ext = str(ext)
    if type(ext) is str:
        ext = ext.strip()
    if type(ext) is not str or not ext or len(ext) > 64:
        echo = (ext[:64] + "…" if len(ext) > 64 else ext) if type(ext) is str else None
        _refuse(out, echo, _("缺少记录编号（external_id），或超过 64 个字符"), row)
        return None
    if not ext.isprintable():
        _refuse(
            out,
            ext.encode("unicode_escape").decode("ascii"),
            _("记录编号（external_id）只能由可见字符组成"),
            row,
        )
        return None
    id_number = get("id_number")
    if type(id_number) is int and 0 < id_number < 10**18:
        id_number = str(id_number)  # 18 digits sent as a JSON number (no X check character)
    id_number = id_number.strip().upper() if type(id_number) is str else ""
    if not crypto.is_valid(id_number, today_ymd):
        _refuse(out, ext, _("身份证号码无效（校验位或出生日期不正确）"), row)
        return None
    name = get("name")
    name = name.strip() if type(name) is str else ""
    if not name or len(name) > 60:
        _refuse(out, ext, _("缺少姓名，或超过 60 个字符"), row)
        return None
    # Control, format, surrogate and unassigned code points (a NUL, a line break from an Excel cell, a
    # right-to-left override) have no place in a name on a certificate, and a NUL or a lone surrogate would break
    # the COPY of the whole batch.
    if not name.isprintable() and any(unicodedata.category(c)[0] == "C" for c in name):
        _refuse(out, ext, _("姓名不能含控制字符或不可见字符"), row)
        return None
    subject = get("subject")
    if subject != "general" and subject != "professional":
        _refuse(out, ext, _("科目类别应为 general（公需科目）或 professional（专业科目）"), row)
        return None
    hours = _hours(get("hours"))
    if type(hours) is not Decimal:
        _refuse(out, ext, hours, row)
        return None
    completed = get("completed_on")
    if type(completed) is datetime.datetime:
        completed = completed.date()
    elif type(completed) is not datetime.date:
        try:
            # Exactly YYYY-MM-DD (Python 3.11 would also take week dates and other ISO forms).
            if (
                type(completed) is not str
                or len(completed) != 10
                or completed[4] != "-"
                or completed[7] != "-"
            ):
                raise ValueError
            if not (completed[5:7].isdigit() and completed[8:].isdigit()):
                raise ValueError
            completed = datetime.date.fromisoformat(completed)
        except ValueError:
            _refuse(out, ext, _("完成日期应为 YYYY-MM-DD"), row)
            return None
    class_id = _class_id(get("class_id"))
    if class_id is None:
        _refuse(out, ext, _("缺少培训班编号（class_id）"), row)
        return None
    return {
        "external_id": ext,
        "id_number": id_number,
        "name": name,
        "subject": subject,
        "hours": hours,
        "completed_on": completed,
        "class_id": class_id,
        "row": row,
    }


def _check_class(rec, klass, base, out):
    """R-23: the class is the base's own, under a filed plan of the record's year; hours and date fit it."""
    ext, row = rec["external_id"], rec["row"]
    if klass is None:
        _refuse(out, ext, _("培训班不存在"), row)
        return False
    if klass.base_id != base.pk:
        _refuse(out, ext, _("培训班不属于本基地"), row)
        return False
    plan = klass.plan_item.plan
    if plan.state != PlanState.FILED or plan.year != rec["completed_on"].year:
        _refuse(
            out,
            ext,
            _("培训班不在已备案的 %(y)d 年度计划内（《办法》第二十一条）") % {"y": rec["completed_on"].year},
            row,
        )
        return False
    if not klass.starts_on <= rec["completed_on"] <= klass.ends_on:
        _refuse(
            out,
            ext,
            _("完成日期不在培训班起止日期（%(a)s 至 %(b)s）内") % {"a": klass.starts_on, "b": klass.ends_on},
            row,
        )
        return False
    if rec["hours"] > klass.hours_per_trainee:
        _refuse(out, ext, _("学时超过培训班人均学时 %(h)s") % {"h": klass.hours_per_trainee}, row)
        return False
    return True


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
    now = timezone.now()
    rows = [
        (r["id_hash"], crypto.encrypt(r["id_number"]), crypto.mask(r["id_number"]), r["name"])
        for r in records
    ]
    # COPY with ids drawn first: the fast path. Should another batch have created one of these people since they
    # were looked up, the unique hash refuses the COPY; the savepoint undoes it and the slower INSERT ... ON
    # CONFLICT path below creates the rest.
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
    else:
        transaction.savepoint_commit(savepoint)
        created = {h: i for i, (h, _e, _m, _n) in zip(ids, rows, strict=True)}
        known.update(created)
        return set(created)
    with connection.cursor() as cur:
        cur.execute(
            "INSERT INTO hours_person (id_hash, id_encrypted, id_masked, name, created_at) "
            "SELECT h, e, m, n, %s FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[]) AS u(h, e, m, n) "
            "ON CONFLICT (id_hash) DO NOTHING RETURNING id_hash, id",
            [now, *(list(column) for column in zip(*rows, strict=True))],
        )
        created = dict(cur.fetchall())
    known.update(created)
    raced = [r["id_hash"] for r in records if r["id_hash"] not in created]
    if raced:
        known.update(_known_persons(raced))
    return set(created)


ID_BLOCK = 10_000  # the id sequences of hours_trainingrecord and hours_person step by this (migration 0005)


def _next_ids(table: str, count: int) -> list[int]:
    """Ids for count rows written by COPY. The table's identity sequence steps by ID_BLOCK, so one nextval reserves
    a whole block: v, v+1, …, v+ID_BLOCK-1 are this caller's alone (an ORM insert just uses v). One call instead of
    one per row (measured ~5 % of a batch)."""
    with connection.cursor() as cur:
        cur.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, -(-count // ID_BLOCK)],
        )
        starts = [r[0] for r in cur.fetchall()]
    return [start + i for start in starts for i in range(ID_BLOCK)][:count]


def _copy_text(value: str) -> str:
    """A free-text value in COPY's text format (backslash escapes; control characters are refused earlier)."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _copy(table: str, columns: list[str], lines: list[str]) -> None:
    """COPY rows already written as tab-separated lines (each ending with a newline)."""
    buffer = io.StringIO("".join(lines))
    with (
        connection.cursor() as cur,
        connection.wrap_database_errors,
    ):  # IntegrityError as Django's, like the ORM
        cur.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


RECORD_COLUMNS = [
    "id",
    "base_id",
    "klass_id",
    "person_id",
    "external_id",
    "subject",
    "hours",
    "completed_on",
    "year",
    "source",
    "status",
    "void_reason",
    "version",
    "created_at",
    "updated_at",
]


def _insert_records(new_rows, now) -> list[int]:
    """Insert new records; return their ids in order."""
    if connection.vendor == "postgresql":
        ids = _next_ids("hours_trainingrecord", len(new_rows))
        stamp = now.isoformat()
        tail = f"\tvalid\t\t1\t{stamp}\t{stamp}\n"
        lines = sorted(
            (p, k, f"{i}\t{b}\t{k}\t{p}\t{_copy_text(e)}\t{s}\t{h}\t{d.isoformat()}\t{y}\t{src}{tail}")
            for i, (b, k, p, e, s, h, d, y, src) in zip(ids, new_rows, strict=True)
        )
        # Written in (person, class) order: neighbouring rows land on the same pages of the (person, year, class)
        # index, the costliest one to maintain (measured ~20 % faster COPY than arrival order).
        _copy("hours_trainingrecord", RECORD_COLUMNS, [line for _p, _k, line in lines])
        return ids
    objs = TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(
                base_id=r[0],
                klass_id=r[1],
                person_id=r[2],
                external_id=r[3],
                subject=r[4],
                hours=r[5],
                completed_on=r[6],
                year=r[7],
                source=r[8],
            )
            for r in new_rows
        ]
    )
    return [o.pk for o in objs]


def feed_append(changes, now) -> None:
    """Number the changes and write them to the feed. Call last in the transaction: the counter's row lock is
    held until commit, so numbers are handed out in commit order."""
    if not changes:
        return
    counter = FeedCounter.objects.select_for_update().filter(pk=1).first()
    if counter is None:
        # The migration creates the row; recreate it if it was ever removed (get_or_create settles a race).
        with transaction.atomic():
            FeedCounter.objects.get_or_create(pk=1, defaults={"last": 0})
        counter = FeedCounter.objects.select_for_update().get(pk=1)
    first = counter.last + 1
    counter.last += len(changes)
    counter.save(update_fields=["last"])
    if connection.vendor == "postgresql":
        stamp = now.isoformat()
        _copy(
            "hours_feedentry",
            ["seq", "record_id", "action", "at"],
            [
                f"{first + n}\t{record_id}\t{action}\t{stamp}\n"
                for n, (record_id, action) in enumerate(changes)
            ],
        )
    else:
        from .models import FeedEntry

        FeedEntry.objects.bulk_create(
            [FeedEntry(seq=first + n, record_id=r, action=a, at=now) for n, (r, a) in enumerate(changes)]
        )


def _cap_per_class(valid, person_ids, classes, existing, out, new_people=frozenset()):
    """A person is credited at most the class's hours per trainee in total, whatever the number of rows."""
    triples = {
        (person_ids[r["id_hash"]], r["class_id"], classes[r["class_id"]].plan_item.plan.year)
        for r in valid
        if person_ids[r["id_hash"]] not in new_people
    }
    credited = _credited(triples, [r.pk for r in existing.values()]) if triples else {}
    kept = []
    for rec in valid:
        key = (person_ids[rec["id_hash"]], rec["class_id"])
        limit = classes[rec["class_id"]].hours_per_trainee
        so_far = credited.get(key, Decimal("0"))
        if so_far + rec["hours"] > limit:
            _refuse(
                out,
                rec["external_id"],
                _("该学员在此培训班的学时合计将超过人均学时 %(h)s") % {"h": limit},
                rec["row"],
            )
            continue
        credited[key] = so_far + rec["hours"]
        kept.append(rec)
    return kept


def split_duplicates(records: list) -> tuple[list, list]:
    """Keep the first record of each external_id in a whole batch; refuse the later ones (they would otherwise
    be taken as corrections when they fall in another chunk)."""
    seen, kept, refused = set(), [], []
    for raw in records:
        ext = (
            str(raw.get("external_id")).strip()
            if isinstance(raw, dict) and raw.get("external_id") not in (None, "")
            else None
        )
        if ext is not None and ext in seen:
            refused.append(
                {
                    "external_id": ext,
                    "reason": str(_("同一批次中记录编号重复")),
                    **({"row": raw["_row"]} if raw.get("_row") else {}),
                }
            )
            continue
        if ext is not None:
            seen.add(ext)
        kept.append(raw)
    return kept, refused


def ingest_records(*, base, records: list, source: str) -> Outcome:
    """Validate and apply a batch of records for one base; return what was accepted and why others were refused."""
    out = Outcome()
    seen = set()
    parsed = []
    today_ymd = datetime.date.today().strftime("%Y%m%d")
    for raw in records:
        rec = _parse(raw, out, today_ymd)
        if rec is None:
            continue
        if rec["external_id"] in seen:
            _refuse(out, rec["external_id"], _("同一批次中记录编号重复"), rec["row"])
            continue
        seen.add(rec["external_id"])
        parsed.append(rec)
    if not parsed:
        return out
    classes = {
        k.pk: k
        for k in TrainingClass.objects.filter(pk__in={r["class_id"] for r in parsed}).select_related(
            "plan_item__plan"
        )
    }
    closed = set(
        ClosedYear.objects.filter(year__in={r["completed_on"].year for r in parsed}).values_list(
            "year", flat=True
        )
    )
    valid = []
    for rec in parsed:
        if rec["completed_on"].year in closed:
            _refuse(
                out,
                rec["external_id"],
                _("%(y)d 年度已关闭，不能新增或更正记录") % {"y": rec["completed_on"].year},
                rec["row"],
            )
        elif _check_class(rec, classes.get(rec["class_id"]), base, out):
            valid.append(rec)
    if not valid:
        return out
    now = timezone.now()
    # Optimistic: look up, then write. Should a concurrent batch commit the same new external_id first (a platform
    # resending after a timeout) or lock the same records in another order, the transaction is undone and run
    # again, and then sees that batch's rows as they are.
    mark = (len(out.accepted), len(out.refused))
    for attempt in range(3):
        try:
            with transaction.atomic():
                _apply(base, valid, classes, closed, source, now, out)
            return out
        except (IntegrityError, OperationalError) as exc:
            if attempt == 2 or getattr(exc.__cause__, "pgcode", None) not in RETRYABLE:
                raise
            del out.accepted[mark[0] :], out.refused[mark[1] :]
            out.created = out.corrected = out.unchanged = 0
    return out  # not reached: the last attempt returns or raises


RETRYABLE = {"23505", "40P01"}  # unique_violation, deadlock_detected


def _apply(base, valid, classes, closed, source, now, out) -> None:
    """Write a validated batch in the caller's transaction: people, new records, corrections, feed entries."""
    person_ids, new_people = _persons(valid)
    existing = _existing_records(base, [r["external_id"] for r in valid])
    valid = _cap_per_class(valid, person_ids, classes, existing, out, new_people)
    new_rows, new_ext, corrections, revisions = [], [], [], []
    for rec in valid:
        values = {
            "person_id": person_ids[rec["id_hash"]],
            "klass_id": rec["class_id"],
            "subject": rec["subject"],
            "hours": rec["hours"],
            "completed_on": rec["completed_on"],
        }
        old = existing.get(rec["external_id"])
        if old is None:
            new_rows.append(
                (
                    base.pk,
                    rec["class_id"],
                    values["person_id"],
                    rec["external_id"],
                    rec["subject"],
                    rec["hours"],
                    rec["completed_on"],
                    rec["completed_on"].year,
                    source,
                )
            )
            new_ext.append(rec["external_id"])
            continue
        if old.year in closed:
            _refuse(out, rec["external_id"], _("%(y)d 年度已关闭，不能更正") % {"y": old.year}, rec["row"])
            continue
        if all(getattr(old, k) == v for k, v in values.items()) and old.status == TrainingRecord.Status.VALID:
            out.unchanged += 1
            out.accepted.append(rec["external_id"])
            continue
        revisions.append(
            RecordRevision(
                record=old,
                version=old.version,
                previous={k: str(getattr(old, k)) for k in (*FIELDS, "status")},
                change="corrected",
                source=source,
            )
        )
        for k, v in values.items():
            setattr(old, k, v)
        old.year, old.version, old.status, old.void_reason, old.source, old.updated_at = (
            rec["completed_on"].year,
            old.version + 1,
            TrainingRecord.Status.VALID,
            "",
            source,
            now,
        )
        corrections.append(old)
        out.accepted.append(rec["external_id"])
    changes = []
    if new_rows:
        ids = _insert_records(new_rows, now)
        changes += [(i, "created") for i in ids]
        out.accepted += new_ext
        out.created = len(new_rows)
    if corrections:
        TrainingRecord.objects.bulk_update(
            corrections,
            [*FIELDS, "year", "version", "status", "void_reason", "source", "updated_at"],
            batch_size=1000,
        )
        RecordRevision.objects.bulk_create(revisions, batch_size=1000)
        changes += [(r.pk, "corrected") for r in corrections]
        out.corrected = len(corrections)
    feed_append(changes, now)


def records_void(*, base, external_ids: list[str], reason: str, source: str) -> Outcome:
    """Void records with a reason (kept in the history and the feed); refused once their year is closed."""
    out = Outcome()
    if not (reason or "").strip():
        for ext in external_ids:
            _refuse(out, ext, _("请说明作废原因"))
        return out
    now = timezone.now()
    with transaction.atomic():
        records = {
            r.external_id: r
            for r in TrainingRecord.objects.select_for_update().filter(
                base=base, external_id__in=external_ids
            )
        }
        closed = set(
            ClosedYear.objects.filter(year__in={r.year for r in records.values()}).values_list(
                "year", flat=True
            )
        )
        changes = []
        for ext in external_ids:
            rec = records.get(ext)
            if rec is None:
                _refuse(out, ext, _("记录不存在"))
            elif rec.year in closed:
                _refuse(out, ext, _("%(y)d 年度已关闭，不能作废") % {"y": rec.year})
            elif rec.status == TrainingRecord.Status.VOIDED:
                out.accepted.append(ext)
            else:
                RecordRevision.objects.create(
                    record=rec,
                    version=rec.version,
                    previous={k: str(getattr(rec, k)) for k in (*FIELDS, "status")},
                    change="voided",
                    source=source,
                )
                rec.status, rec.void_reason, rec.version, rec.updated_at = (
                    TrainingRecord.Status.VOIDED,
                    reason.strip()[:200],
                    rec.version + 1,
                    now,
                )
                rec.save(update_fields=["status", "void_reason", "version", "updated_at"])
                changes.append((rec.pk, "voided"))
                out.accepted.append(ext)
        feed_append(changes, now)
    return out
