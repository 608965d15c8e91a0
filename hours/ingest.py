"""Ingestion of training records (R-23, R-31): validate each record, then apply the accepted ones in one
transaction. The same external_id with the same content changes nothing; with new content it is a correction
kept in the history, until the year is closed.

Sized for provincial volume: one query each for classes, closed years, persons and existing records per batch;
on PostgreSQL new rows go in with COPY.
"""

import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import PlanState, TrainingClass

from . import crypto
from .models import ClosedYear, FeedCounter, Person, RecordRevision, TrainingRecord

HALF = Decimal("0.5")
FIELDS = ("person_id", "klass_id", "subject", "hours", "completed_on")


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


def _parse(raw, out):
    """Structural checks that need no database. Returns a cleaned dict, or None after refusing."""
    ext = raw.get("external_id") if isinstance(raw, dict) else None
    row = raw.get("_row") if isinstance(raw, dict) else None
    if not isinstance(ext, str | int) or not str(ext).strip() or len(str(ext)) > 64:
        _refuse(
            out,
            ext if isinstance(ext, str | int) else None,
            _("缺少记录编号（external_id），或超过 64 个字符"),
            row,
        )
        return None
    ext = str(ext).strip()
    id_number = crypto.normalize(str(raw.get("id_number") or ""))
    if not crypto.is_valid(id_number):
        _refuse(out, ext, _("身份证号码无效（校验位或出生日期不正确）"), row)
        return None
    name = str(raw.get("name") or "").strip()
    if not name or len(name) > 60:
        _refuse(out, ext, _("缺少姓名，或超过 60 个字符"), row)
        return None
    subject = raw.get("subject")
    if subject not in ("general", "professional"):
        _refuse(out, ext, _("科目类别应为 general（公需科目）或 professional（专业科目）"), row)
        return None
    try:
        hours = Decimal(str(raw.get("hours")))
        if not hours.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        _refuse(out, ext, _("学时应为数字"), row)
        return None
    if hours <= 0 or hours % HALF != 0:
        _refuse(out, ext, _("学时须大于 0，且以 0.5 学时为单位"), row)
        return None
    completed = raw.get("completed_on")
    if isinstance(completed, datetime.datetime):
        completed = completed.date()
    if not isinstance(completed, datetime.date):
        try:
            completed = datetime.date.fromisoformat(str(completed or ""))
        except ValueError:
            _refuse(out, ext, _("完成日期应为 YYYY-MM-DD"), row)
            return None
    try:
        class_id = int(raw.get("class_id"))
    except (TypeError, ValueError):
        _refuse(out, ext, _("缺少培训班编号（class_id）"), row)
        return None
    return {
        "external_id": ext,
        "id_number": id_number,
        "name": name,
        "subject": subject,
        "hours": hours.quantize(Decimal("0.1")),
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
    known = dict(Person.objects.filter(id_hash__in=list(by_hash)).values_list("id_hash", "pk"))
    # Sorted, so concurrent batches creating the same people take the index locks in the same order (no deadlock).
    missing = sorted(h for h in by_hash if h not in known)
    if missing:
        Person.objects.bulk_create(
            [
                Person(
                    id_hash=h,
                    id_encrypted=crypto.encrypt(by_hash[h]["id_number"]),
                    id_masked=crypto.mask(by_hash[h]["id_number"]),
                    name=by_hash[h]["name"],
                )
                for h in missing
            ],
            ignore_conflicts=True,  # a concurrent batch may create the same person first
            batch_size=2000,
        )
        known.update(Person.objects.filter(id_hash__in=missing).values_list("id_hash", "pk"))
    # People created by this batch have no earlier records: the per-class cap needs no query for them.
    known_new = {known[h] for h in missing}
    return known, known_new


def _copy(table, columns, rows):
    buffer = io.StringIO()
    for row in rows:
        buffer.write(
            "\t".join(
                "\\N" if v is None else str(v).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")
                for v in row
            )
        )
        buffer.write("\n")
    buffer.seek(0)
    with connection.cursor() as cur:
        cur.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)


def _insert_records(new_rows, now) -> list[int]:
    """Insert new records; return their ids in order."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT nextval(pg_get_serial_sequence('hours_trainingrecord', 'id')) FROM generate_series(1, %s)",
                [len(new_rows)],
            )
            ids = [r[0] for r in cur.fetchall()]
        _copy(
            "hours_trainingrecord",
            [
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
            ],
            (
                (i, *r, "valid", "", 1, now.isoformat(), now.isoformat())
                for i, r in zip(ids, new_rows, strict=True)
            ),
        )
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
    rows = [(first + i, record_id, action, now.isoformat()) for i, (record_id, action) in enumerate(changes)]
    if connection.vendor == "postgresql":
        _copy("hours_feedentry", ["seq", "record_id", "action", "at"], rows)
    else:
        from .models import FeedEntry

        FeedEntry.objects.bulk_create(
            [FeedEntry(seq=s, record_id=r, action=a, at=now) for s, r, a, _t in rows]
        )


def _cap_per_class(valid, person_ids, classes, existing, out, new_people=frozenset()):
    """A person is credited at most the class's hours per trainee in total, whatever the number of rows."""
    from django.db.models import Sum

    pairs = {
        (person_ids[r["id_hash"]], r["class_id"]) for r in valid if person_ids[r["id_hash"]] not in new_people
    }
    credited = {}
    if pairs:
        rows = (
            TrainingRecord.objects.filter(
                # A class lies in one plan year: filtering by it keeps this on the covering index.
                year__in={classes[k].plan_item.plan.year for _p, k in pairs},
                person_id__in={p for p, _k in pairs},
                klass_id__in={k for _p, k in pairs},
                status=TrainingRecord.Status.VALID,
            )
            .exclude(
                pk__in=[r.pk for r in existing.values()]
            )  # rows this batch may correct count with their new value
            .values_list("person_id", "klass_id")
            .annotate(total=Sum("hours"))
        )
        credited = {(p, k): t for p, k, t in rows}
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
    for raw in records:
        rec = _parse(raw, out)
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
    with transaction.atomic():
        person_ids, new_people = _persons(valid)
        existing = {
            r.external_id: r
            for r in TrainingRecord.objects.select_for_update().filter(
                base=base, external_id__in=[r["external_id"] for r in valid]
            )
        }
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
                _refuse(
                    out, rec["external_id"], _("%(y)d 年度已关闭，不能更正") % {"y": old.year}, rec["row"]
                )
                continue
            if (
                all(getattr(old, k) == v for k, v in values.items())
                and old.status == TrainingRecord.Status.VALID
            ):
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
    return out


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
