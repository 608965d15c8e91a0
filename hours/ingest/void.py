"""Voiding records: kept in the history and the feed, and refused once their year is closed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import TrainingRecord
from .lookups import _closed_years
from .outcome import Outcome, _refuse
from .write import _revision, feed_append


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
        closed = _closed_years({r.year for r in records.values()})
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
                _void(rec, reason, source, now)
                changes.append((rec.pk, "voided"))
                out.accepted.append(ext)
        feed_append(changes, now)
    return out


def _void(rec, reason, source, now) -> None:
    """Keep the record's revision, then save it voided as a new version."""
    _revision(rec, "voided", source).save(force_insert=True)  # as RecordRevision.objects.create would
    rec.status, rec.void_reason, rec.version, rec.updated_at = (
        TrainingRecord.Status.VOIDED,
        reason.strip()[:200],
        rec.version + 1,
        now,
    )
    rec.save(update_fields=["status", "void_reason", "version", "updated_at"])
