"""Services of the hours registry: batches, API keys, look-ups, certificates, closing years, feed. Statistics are
reads: hours.selectors."""

import hashlib
import secrets
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db import transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for
from accounts.models import Role
from audit.services import audit_record
from bases.models import Base
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from kit.storage import local_file, save_exactly
from kit.uploads import check_upload

from . import crypto, payloads
from .excel import iter_records
from .ingest import Outcome, duplicate_refusal, ingest_records
from .models import (
    ApiKey,
    ApiKeyUse,
    Certificate,
    ClosedYear,
    FeedEntry,
    IngestBatch,
    IngestChunk,
    Person,
    TrainingRecord,
)
from .permissions import is_base_staff, may_look_up_hours, may_read_full_id

# --- batches --------------------------------------------------------------------------------------------


def batch_submit(
    *, base, records: list, source: str, actor=None, file_name: str = ""
) -> tuple[IngestBatch | None, Outcome | None]:
    """Small batches are applied at once; larger ones are stored in chunks and handed to a worker on commit."""
    if len(records) > settings.HOURS_API_MAX_RECORDS and source == "api":
        raise InvalidInput(
            _("一次最多报送 %(n)d 条记录。") % {"n": settings.HOURS_API_MAX_RECORDS},
            field_errors={"records": [_("记录过多。")]},
        )
    if len(records) <= settings.HOURS_SYNC_LIMIT and source == "api":
        return None, ingest_records(base=base, records=records, source=source)
    with transaction.atomic():
        batch = IngestBatch.objects.create(base=base, source=source, created_by=actor, file_name=file_name)
        _store_chunks(batch, iter(records))
        transaction.on_commit(lambda: _enqueue(batch.pk))
    batch.refresh_from_db()
    return batch, None


def _store_chunks(batch, records) -> None:
    """Store a batch's records as sealed chunks of HOURS_CHUNK_SIZE, taking them one by one from an iterator, and
    count them on the batch. A record whose external_id came earlier in the batch is refused here: in another
    chunk it would otherwise be taken as a correction. Run inside the caller's transaction: should the iterator
    raise (a workbook over the row limit), nothing is stored."""
    size = settings.HOURS_CHUNK_SIZE
    seen, duplicates, chunk, index, total = set(), [], [], 0, 0
    for rec in records:
        total += 1
        if (refusal := duplicate_refusal(rec, seen)) is not None:
            duplicates.append(refusal)
            continue
        chunk.append(rec)
        if len(chunk) == size:
            IngestChunk.objects.create(batch=batch, index=index, payload=payloads.sealed(chunk))
            chunk, index = [], index + 1
    if chunk:
        IngestChunk.objects.create(batch=batch, index=index, payload=payloads.sealed(chunk))
    IngestBatch.objects.filter(pk=batch.pk).update(
        total=total, processed=len(duplicates), refused=duplicates, refused_count=len(duplicates)
    )


def _enqueue(batch_id):
    from .tasks import process_batch

    process_batch.delay(str(batch_id))


def batch_submit_excel(*, actor, base, upload) -> IngestBatch:
    """Store an uploaded workbook; a worker reads it, splits it into chunks and applies them (with progress)."""

    if not is_base_staff(actor, base):
        raise NotVisible(_("未找到该基地。"))
    checked = check_upload(upload)
    if checked.kind != "xlsx":
        raise InvalidInput(
            _("请上传 .xlsx 格式的工作簿。"), field_errors={"file": [_("请上传 .xlsx 格式的工作簿。")]}
        )
    with transaction.atomic():
        batch = IngestBatch.objects.create(
            base=base, source="excel", created_by=actor, file_name=(upload.name or "")[:200]
        )
        # Through the storage API: a worker on another node reads it from the shared (object) storage.
        save_exactly(payloads.upload_name(batch.pk), upload)
        audit_record(
            actor=actor,
            action="hours.excel_uploaded",
            obj=batch,
            organization=base.institution,
            comment=batch.file_name,
        )
        transaction.on_commit(lambda: _enqueue_excel(batch.pk))
    return batch


def _enqueue_excel(batch_id):
    from .tasks import process_excel

    process_excel.delay(str(batch_id))


def batch_prepare_excel(*, batch_id) -> IngestBatch:
    """Read the stored workbook into chunks (once), row by row; then process them like an API batch."""

    batch = IngestBatch.objects.get(pk=batch_id)
    if not batch.chunks.exists() and batch.state == IngestBatch.State.PENDING:
        try:
            with local_file(payloads.upload_name(batch.pk), suffix=".xlsx") as path, transaction.atomic():
                _store_chunks(batch, iter_records(path))
        except Exception as exc:  # noqa: BLE001  (any unreadable workbook ends the batch with a message)
            IngestBatch.objects.filter(pk=batch.pk).update(
                state=IngestBatch.State.FAILED, error=str(exc)[:500], finished_at=timezone.now()
            )
            failed = IngestBatch.objects.get(pk=batch.pk)
            payloads.batch_seal_after(failed)
            return failed
    return batch_process(batch_id=batch.pk)


def batch_process(*, batch_id) -> IngestBatch:
    """Apply every chunk not applied yet, each in its own transaction together with its outcome and the batch's
    progress. A worker killed in the middle leaves the chunk it was on unapplied; running again resumes there."""
    batch = IngestBatch.objects.select_related("base").get(pk=batch_id)
    if batch.state == IngestBatch.State.DONE:
        return batch
    IngestBatch.objects.filter(pk=batch.pk).update(state=IngestBatch.State.PROCESSING)
    for chunk_id in list(batch.chunks.filter(applied=False).order_by("index").values_list("pk", flat=True)):
        with transaction.atomic():
            chunk = IngestChunk.objects.select_for_update().get(pk=chunk_id)
            if chunk.applied:
                continue  # another worker got here first
            records = payloads.opened(chunk.payload)
            outcome = ingest_records(base=batch.base, records=records, source=batch.source)
            chunk.applied, chunk.accepted, chunk.refused = True, outcome.accepted, outcome.refused
            chunk.save(update_fields=["applied", "accepted", "refused"])
            # Counters, not lists: the batch row stays the same size whatever the number of chunks.
            IngestBatch.objects.filter(pk=batch.pk).update(
                accepted_count=F("accepted_count") + len(outcome.accepted),
                refused_count=F("refused_count") + len(outcome.refused),
                processed=F("processed") + len(records),
            )
        del chunk, records, outcome  # one chunk's records in memory at a time
    with transaction.atomic():
        done = IngestBatch.objects.select_for_update().get(pk=batch.pk)
        done.state, done.finished_at = IngestBatch.State.DONE, timezone.now()
        done.save(update_fields=["state", "finished_at"])
        payloads.batch_seal_after(done)
    batch.refresh_from_db()
    return batch


# --- API keys --------------------------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_key_issue(*, actor, label: str, base=None, scope=ApiKey.Scope.INGEST) -> tuple[ApiKey, str]:
    """Issue a key; the secret is returned once and only its hash is stored."""
    a = actor_for(actor)
    if scope == ApiKey.Scope.INGEST:
        if base is None or not any(
            a.has_role(r, base.institution_id) for r in (Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN)
        ):
            raise NotVisible(_("未找到该基地。"))
    elif not a.is_provincial_admin:
        raise PermissionRefused(_("只有省级系统管理员可以签发订阅密钥。"))
    if base is not None and base.status == Base.Status.REVOKED:
        raise WrongState(_("该基地资格已被撤销，不能签发接口密钥。"))
    if not (label or "").strip():
        raise InvalidInput(_("请填写密钥名称。"), field_errors={"label": [_("请填写密钥名称。")]})
    prefix = secrets.token_hex(4)
    secret = f"{prefix}.{secrets.token_urlsafe(32)}"
    key = ApiKey.objects.create(
        scope=scope,
        base=base,
        label=label.strip()[:60],
        prefix=prefix,
        key_hash=_digest(secret),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="api_key.issued",
        obj=key,
        organization=base.institution if base else None,
        comment=f"{scope} {prefix}",
    )
    return key, secret


def api_key_revoke(*, actor, key) -> ApiKey:
    """Revoke a key: its base's staff, the provincial administrator a feed key, the security administrator any."""
    a = actor_for(actor)
    allowed = a.is_security_admin or (
        a.is_provincial_admin
        if key.base is None
        else any(a.has_role(r, key.base.institution_id) for r in (Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN))
    )
    if not allowed:
        raise NotVisible(_("未找到该密钥。"))
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_key.revoked", obj=key, comment=key.prefix)
    return key


def api_key_authenticate(secret: str) -> ApiKey | None:
    """Return the live key of this secret, or None. A revoked base's keys are dead even if not yet marked."""
    prefix = (secret or "").split(".", 1)[0]
    key = (
        ApiKey.objects.select_related("base")
        .filter(prefix=prefix, revoked_at__isnull=True)
        .exclude(base__status=Base.Status.REVOKED)
        .first()
    )
    if key is None or not secrets.compare_digest(key.key_hash, _digest(secret)):
        return None
    return key


def api_keys_revoke_for_base(*, actor, base, reasons: str = "", **data) -> int:
    """R-28: revoking a base stops its training platform at once: every live key of the base is revoked."""
    keys = list(ApiKey.objects.select_for_update().filter(base=base, revoked_at__isnull=True))
    now = timezone.now()
    for key in keys:
        key.revoked_at = now
        key.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_key.revoked", obj=key, comment=f"{key.prefix} base revoked")
    return len(keys)


def api_key_log_use(*, key, ip, method, path, records=0):
    now = timezone.now()
    ApiKeyUse.objects.create(key=key, ip_address=ip, method=method, path=path[:200], records=records)
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)


# --- reading -------------------------------------------------------------------------------------------


@dataclass
class PersonYear:
    person: Person
    year: int
    total: Decimal
    general: Decimal
    professional: Decimal
    compliant: bool
    total_ok: bool
    share_ok: bool


TENTH = Decimal("0.1")


def person_year_summary(person_id: int, year: int) -> dict:
    """R-35: total, general and professional hours of a person's year (valid records only) and compliance."""
    rows = (
        TrainingRecord.objects.filter(person_id=person_id, year=year, status=TrainingRecord.Status.VALID)
        .values("subject")
        .annotate(h=Sum("hours"))
        .order_by()
    )
    # Quantized to one decimal place: SQLite's SUM of a decimal column comes back as 36, PostgreSQL's as 36.0.
    by_subject = {r["subject"]: (r["h"] or Decimal("0")).quantize(TENTH) for r in rows}
    return _year_summary(year, by_subject.get("general"), by_subject.get("professional"))


def year_summary(year: int, general: Decimal, professional: Decimal) -> dict:
    """R-35 for given general and professional hours of a year (a certificate's stored totals)."""
    return _year_summary(year, general, professional)


def _year_summary(year, general, professional) -> dict:
    """R-35 for a person's year from its general and professional hours (None: none of that kind)."""
    general = general if general is not None else Decimal("0.0")
    professional = professional if professional is not None else Decimal("0.0")
    total = general + professional
    share = Fraction(settings.HOURS_MIN_PROFESSIONAL_SHARE)
    total_ok = total >= settings.HOURS_MIN_TOTAL
    # Professional hours at least two thirds of the total (exact, with fractions).
    share_ok = total > 0 and Fraction(professional) >= share * Fraction(total)
    return {
        "year": year,
        "total": total,
        "general": general,
        "professional": professional,
        "total_ok": total_ok,
        "share_ok": share_ok,
        "compliant": total_ok and share_ok,
    }


def _summary_of_records(year, records) -> dict:
    """person_year_summary computed from the year's records already read (a look-up shows them anyway)."""
    sums = {"general": Decimal("0.0"), "professional": Decimal("0.0")}
    for r in records:
        if r.status == TrainingRecord.Status.VALID:
            sums[r.subject] += r.hours
    return _year_summary(year, sums["general"].quantize(TENTH), sums["professional"].quantize(TENTH))


def person_lookup(*, actor, id_number: str, year: int, full: bool = False) -> dict:
    """Look a person's year up by ID number (given in a body, never a URL): every record at every base of the
    province, each with its base, since filed hours are valid across the province (R-32). The ID number comes
    back in full only when asked by a role that may read it (`may_read_full_id`), masked otherwise: the page
    and the API share this rule."""
    if not may_look_up_hours(actor):
        raise PermissionRefused(_("只有主管部门工作人员可以查询学时。"))
    full = full and may_read_full_id(actor)
    id_number = crypto.normalize(id_number)
    if not crypto.is_valid(id_number):
        raise InvalidInput(_("身份证号码无效。"), field_errors={"id_number": [_("身份证号码无效。")]})
    person = (
        Person.objects.filter(id_hash=crypto.lookup_hash(id_number))
        .select_related("work_region__parent")
        .first()
    )
    # One query for the records; the summary is computed from them (a person has a few records a year).
    records = (
        list(
            TrainingRecord.objects.filter(person=person, year=year)
            .select_related("base", "klass")
            .order_by("completed_on", "id")
        )
        if person
        else []
    )
    visible = bool(records)
    audit_record(
        actor=actor,
        action="hours.person_lookup",
        object_type="hours.person",
        object_id=str(person.pk) if visible else "",
        comment=f"year={year} found={visible}",
    )
    if not visible:
        raise NotVisible(_("未找到该人员 %(y)d 年度的学时记录。") % {"y": year})
    if full:
        audit_record(
            actor=actor,
            action="hours.id_number_read",
            object_type="hours.person",
            object_id=str(person.pk),
            comment=f"year={year}",
        )
    return {
        "person": person,
        "id_number": id_number if full else person.id_masked,
        "summary": _summary_of_records(year, records),
        "records": records,
    }


def certificate_issue(*, actor, person, year) -> Certificate:
    summary = person_year_summary(person.pk, year)
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    cert = Certificate.objects.create(
        code="".join(secrets.choice(alphabet) for _i in range(12)),
        person=person,
        year=year,
        total=summary["total"],
        general=summary["general"],
        professional=summary["professional"],
        compliant=summary["compliant"],
        issued_by=actor,
    )
    audit_record(actor=actor, action="hours.certificate_issued", obj=cert, comment=f"year={year}")
    return cert


def year_close(*, actor, year: int) -> ClosedYear:
    if not actor_for(actor).is_provincial_admin:
        raise PermissionRefused(_("只有省级系统管理员可以关闭年度。"))
    if year >= timezone.localdate().year:
        raise WrongState(_("只能关闭已经结束的年度。"))
    obj, created = ClosedYear.objects.get_or_create(year=year, defaults={"closed_by": actor})
    if not created:
        raise WrongState(_("%(y)d 年度已关闭。") % {"y": year})
    audit_record(actor=actor, action="hours.year_closed", comment=str(year))
    return obj


def feed_page(*, after: int, limit: int = 1000) -> tuple[list, int]:
    """Changes after the cursor, in order. Numbers are assigned in commit order, so none is skipped or repeated."""
    entries = list(
        FeedEntry.objects.filter(seq__gt=after)
        .order_by("seq")
        .select_related("record__person", "record__klass")[:limit]
    )
    return entries, (entries[-1].seq if entries else after)


RECORD_EXPORT_HEADERS = [
    "记录编号",
    "身份证号码",
    "姓名",
    "培训班编号",
    "科目类别",
    "学时",
    "完成日期",
    "状态",
    "来源",
    "工作地区代码",
]


def records_export_rows(*, base, year):
    """Every record of a base's year for its own staff, streamed for a write-only workbook. It contains full
    ID numbers: the caller records the export as an audited read."""
    subjects = {"general": "公需科目", "professional": "专业科目"}
    qs = (
        TrainingRecord.objects.filter(base=base, year=year)
        .order_by("id")
        .values_list(
            "external_id",
            "person__id_encrypted",
            "person__name",
            "klass_id",
            "subject",
            "hours",
            "completed_on",
            "status",
            "source",
            "work_region_id",
        )
    )
    for ext, token, name, klass_id, subject, hours, completed, status, source, region in qs.iterator(
        chunk_size=5000
    ):
        yield [
            ext,
            crypto.decrypt(token),
            name,
            klass_id,
            subjects[subject],
            float(hours),
            completed.isoformat(),
            status,
            source,
            region or "",
        ]
