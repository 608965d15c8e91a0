"""A batch from start to end: parse every record, check the batch against the database, then apply it in one
transaction, run again should a concurrent batch get in its way."""

import datetime

from django.db import IntegrityError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .checks import _admit
from .lookups import _classes, _closed_years
from .outcome import Outcome, _refusal, _refuse
from .parse import _parse
from .regions import _county_codes
from .write import _apply

RETRYABLE = {"23505", "40P01"}  # unique_violation, deadlock_detected


def split_duplicates(records: list) -> tuple[list, list]:
    """Keep the first record of each external_id in a whole batch; refuse the later ones (they would otherwise
    be taken as corrections when they fall in another chunk)."""
    seen, kept, refused = set(), [], []
    for raw in records:
        refusal = duplicate_refusal(raw, seen)
        if refusal is None:
            kept.append(raw)
        else:
            refused.append(refusal)
    return kept, refused


def duplicate_refusal(raw, seen: set) -> dict | None:
    """Return the refusal of a record whose external_id is in seen (the batch so far), else note it and return
    None: a batch read record by record (a workbook) is split as it is read."""
    ext = (
        str(raw.get("external_id")).strip()
        if isinstance(raw, dict) and raw.get("external_id") not in (None, "")
        else None
    )
    if ext is None:
        return None
    if ext in seen:
        return _refusal(ext, _("同一批次中记录编号重复"), raw["_row"] if raw.get("_row") else None)
    seen.add(ext)
    return None


def ingest_records(*, base, records: list, source: str) -> Outcome:
    """Validate and apply a batch of records for one base; return what was accepted and why others were refused."""
    out = Outcome()
    parsed = _parse_all(records, out)
    if not parsed:
        return out
    classes = _classes({r["class_id"] for r in parsed})
    closed = _closed_years({r["completed_on"].year for r in parsed})
    valid = _admit(parsed, classes, closed, base, out)
    if valid:
        _apply_retrying(base, valid, classes, closed, source, out)
    return out


def _parse_all(records, out) -> list:
    """Return the records that parse, each external_id once; refuse the others."""
    seen = set()
    parsed = []
    today_ymd = datetime.date.today().strftime("%Y%m%d")
    counties = _county_codes(records)
    for raw in records:
        rec = _parse(raw, out, today_ymd, counties)
        if rec is None:
            continue
        if rec["external_id"] in seen:
            _refuse(out, rec["external_id"], _("同一批次中记录编号重复"), rec["row"])
            continue
        seen.add(rec["external_id"])
        parsed.append(rec)
    return parsed


def _apply_retrying(base, valid, classes, closed, source, out) -> None:
    """Apply the batch in a transaction of its own, up to three times.

    Optimistic: look up, then write. Should a concurrent batch commit the same new external_id first (a platform
    resending after a timeout) or lock the same records in another order, the transaction is undone and run
    again, and then sees that batch's rows as they are."""
    now = timezone.now()
    mark = (len(out.accepted), len(out.refused))
    for attempt in range(3):
        try:
            with transaction.atomic():
                _apply(base, valid, classes, closed, source, now, out)
            return
        except (IntegrityError, OperationalError) as exc:
            if attempt == 2 or getattr(exc.__cause__, "pgcode", None) not in RETRYABLE:
                raise
            del out.accepted[mark[0] :], out.refused[mark[1] :]
            out.created = out.corrected = out.unchanged = 0
