"""The writes of a validated batch, in the caller's transaction: people, new records, corrections with their
history, and the change feed."""

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import FeedCounter, FeedEntry, RecordRevision, TrainingRecord
from .checks import _cap_per_class
from .lookups import _existing_records, _is_postgresql, _lock_credits
from .outcome import _refuse
from .persons import _persons
from .pgcopy import _copy, _copy_text, _next_ids
from .regions import _note_work_regions

FIELDS = ("person_id", "klass_id", "subject", "hours", "completed_on", "work_region_id")
CORRECTED_FIELDS = [*FIELDS, "year", "version", "status", "void_reason", "source", "updated_at"]
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
    "work_region_id",
]
NULL = "\\N"  # COPY's text format for a missing value


def _apply(base, valid, classes, closed, source, now, out) -> None:
    """Write a validated batch in the caller's transaction: people, new records, corrections, feed entries."""
    person_ids, new_people = _persons(valid)
    # Batches crediting one person in one class take turns from here on (R-35: the cap holds under
    # concurrency), and the one that waited looks the records up after the other has committed them.
    # People this batch created cannot be credited by another batch before it commits: no lock needed.
    _lock_credits(
        {
            (person_ids[r["id_hash"]], r["class_id"])
            for r in valid
            if person_ids[r["id_hash"]] not in new_people
        }
    )
    existing = _existing_records(base, [r["external_id"] for r in valid])
    valid = _cap_per_class(valid, person_ids, classes, existing, out, new_people)
    new_rows, new_ext, corrections, revisions = [], [], [], []
    for rec in valid:
        ext, person_id = rec["external_id"], person_ids[rec["id_hash"]]
        old = existing.get(ext)
        if old is None:
            new_rows.append(_new_row(base, rec, person_id, source))
            new_ext.append(ext)
            continue
        if old.year in closed:
            _refuse(out, ext, _("%(y)d 年度已关闭，不能更正") % {"y": old.year}, rec["row"])
            continue
        values = _field_values(rec, person_id, old)
        if all(getattr(old, k) == v for k, v in values.items()) and old.status == TrainingRecord.Status.VALID:
            out.unchanged += 1
        else:
            revisions.append(_revision(old, "corrected", source))
            _correct(old, values, rec["completed_on"].year, source, now)
            corrections.append(old)
        out.accepted.append(ext)
    _note_work_regions(valid, existing, closed, person_ids)
    changes = []
    if new_rows:
        changes += _insert_new(new_rows, new_ext, now, out)
    if corrections:
        changes += _save_corrections(corrections, revisions, out)
    feed_append(changes, now)


def _new_row(base, rec, person_id, source) -> tuple:
    """Return a new record's values in the order _insert_records takes them."""
    completed = rec["completed_on"]
    return (
        base.pk,
        rec["class_id"],
        person_id,
        rec["external_id"],
        rec["subject"],
        rec["hours"],
        completed,
        completed.year,
        source,
        rec["work_region"],
    )


def _field_values(rec, person_id, old) -> dict:
    """Return the record's values of FIELDS, to compare the stored record with and to correct it with. A resend
    without a work region keeps the one the record has: most platforms know it only for some trainees."""
    return {
        "person_id": person_id,
        "klass_id": rec["class_id"],
        "subject": rec["subject"],
        "hours": rec["hours"],
        "completed_on": rec["completed_on"],
        "work_region_id": old.work_region_id if rec["work_region"] is None else rec["work_region"],
    }


def _revision(record, change, source) -> RecordRevision:
    """Return the history entry of the record as it stands, before it is corrected or voided."""
    return RecordRevision(
        record=record,
        version=record.version,
        previous={k: str(getattr(record, k)) for k in (*FIELDS, "status")},
        change=change,
        source=source,
    )


def _correct(old, values, year, source, now) -> None:
    """Set a stored record to its corrected values as a new, valid version (saved later, with the others)."""
    for k, v in values.items():
        setattr(old, k, v)
    old.year, old.version, old.status, old.void_reason, old.source, old.updated_at = (
        year,
        old.version + 1,
        TrainingRecord.Status.VALID,
        "",
        source,
        now,
    )


def _insert_new(new_rows, new_ext, now, out) -> list:
    """Insert the new records and count them accepted; return their feed changes."""
    ids = _insert_records(new_rows, now)
    out.accepted += new_ext
    out.created = len(new_rows)
    return [(i, "created") for i in ids]


def _save_corrections(corrections, revisions, out) -> list:
    """Save the corrected records and their history; return their feed changes."""
    TrainingRecord.objects.bulk_update(corrections, CORRECTED_FIELDS, batch_size=1000)
    RecordRevision.objects.bulk_create(revisions, batch_size=1000)
    out.corrected = len(corrections)
    return [(r.pk, "corrected") for r in corrections]


def _insert_records(new_rows, now) -> list[int]:
    """Insert new records; return their ids in order."""
    if _is_postgresql():
        ids = _next_ids("hours_trainingrecord", len(new_rows))
        stamp = now.isoformat()
        middle = f"\tvalid\t\t1\t{stamp}\t{stamp}\t"
        lines = sorted(
            (
                p,
                k,
                f"{i}\t{b}\t{k}\t{p}\t{_copy_text(e)}\t{s}\t{h}\t{d.isoformat()}\t{y}\t{src}{middle}{r or NULL}\n",
            )
            for i, (b, k, p, e, s, h, d, y, src, r) in zip(ids, new_rows, strict=True)
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
                work_region_id=r[9],
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
    if _is_postgresql():
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
        FeedEntry.objects.bulk_create(
            [FeedEntry(seq=first + n, record_id=r, action=a, at=now) for n, (r, a) in enumerate(changes)]
        )
