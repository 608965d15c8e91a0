"""The hours registry (R-31, R-32, R-35): persons, training records, their history, the change feed, API keys,
ingestion batches, certificates and closed years."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def work_region_field():
    """A county (GB/T 2260) of Sichuan, optional; not indexed and not checked by the database, like the records'
    other references: ingestion checks it against the regions."""
    return models.ForeignKey(
        "accounts.Region",
        verbose_name=_("工作地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )


class SubjectKind(models.TextChoices):
    GENERAL = "general", _("公需科目")
    PROFESSIONAL = "professional", _("专业科目")


class Person(models.Model):
    """A professional. The resident ID number is stored encrypted and found through a keyed hash."""

    # A hex digest, matched only by equality: a UniqueConstraint rather than unique=True, which would add a second
    # (LIKE-pattern) index that every new person pays for.
    id_hash = models.CharField(max_length=64)
    id_encrypted = models.TextField()
    id_masked = models.CharField(_("证件号（脱敏）"), max_length=18)
    name = models.CharField(_("姓名"), max_length=60)
    # The county the person last worked in, from the record with the latest completion date that named one:
    # a correction of an older record does not move a person back to where they used to work. Not indexed and not
    # checked by the database, like the records' references (see TrainingRecord): nothing reads persons by region.
    work_region = work_region_field()
    work_region_on = models.DateField(_("工作地区确认日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("专业技术人员")
        verbose_name_plural = _("专业技术人员")
        constraints = [models.UniqueConstraint(fields=["id_hash"], name="person_id_hash_unique")]

    def __str__(self):
        return f"{self.name} {self.id_masked}"


class TrainingRecord(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        VOIDED = "voided", _("已作废")

    class Source(models.TextChoices):
        API = "api", _("接口")
        EXCEL = "excel", _("Excel 上传")
        MANUAL = "manual", _("手工登记")

    # The records table takes tens of millions of rows a year, so it carries only the indexes its queries use, and
    # its references are not checked by the database: a foreign-key check is one more query per row at commit
    # (measured: 0.22 s of a 10,000-record batch's 1.07 s). The ingestion service writes only ids it has just read
    # or created in the same transaction; bases, classes and persons are never deleted (PROTECT still guards the
    # ORM), and `manage.py check_hours_integrity` proves there is no dangling reference.
    base = models.ForeignKey(
        "bases.Base", on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False
    )
    klass = models.ForeignKey(
        "plans.TrainingClass",
        verbose_name=_("培训班"),
        on_delete=models.PROTECT,
        related_name="records",
        db_index=False,
        db_constraint=False,
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="records", db_index=False, db_constraint=False
    )
    external_id = models.CharField(_("基地记录编号"), max_length=64)
    subject = models.CharField(_("科目类别"), max_length=12, choices=SubjectKind.choices)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    completed_on = models.DateField(_("完成日期"))
    # The county (GB/T 2260) the trainee works in, as the base reported it: R-20 statistics count the
    # public-interest hours that reached the preference regions by it. Checked against the regions on ingestion.
    work_region = work_region_field()
    year = models.PositiveSmallIntegerField(_("年度"))
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    status = models.CharField(_("状态"), max_length=8, choices=Status.choices, default=Status.VALID)
    void_reason = models.CharField(_("作废原因"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("学时记录")
        verbose_name_plural = _("学时记录")
        constraints = [
            models.UniqueConstraint(fields=["base", "external_id"], name="record_external_id_per_base"),
            models.CheckConstraint(condition=models.Q(hours__gt=0), name="record_hours_positive"),
        ]
        indexes = [
            # The person-year summary reads (person, year); the per-class cap reads (person, year, class). Both are
            # index-only scans on PostgreSQL, and the cap touches only the rows of that one class.
            models.Index(
                fields=["person", "year", "klass"],
                include=["subject", "hours", "status"],
                name="record_person_year_class_idx",
            ),
            models.Index(fields=["base", "year"], name="record_base_year_idx"),
        ]

    def __str__(self):
        return f"{self.base_id}:{self.external_id}"


class RecordRevision(models.Model):
    """The values a record had before a correction or a void."""

    record = models.ForeignKey(TrainingRecord, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    previous = models.JSONField()
    change = models.CharField(max_length=10)
    source = models.CharField(max_length=8)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["record", "version"]

    def __str__(self):
        return f"{self.record_id} v{self.version} {self.change}"


class FeedEntry(models.Model):
    """Every creation, correction or void, numbered in commit order for the provincial system to pull."""

    seq = models.BigIntegerField(primary_key=True)
    # Read by seq only; written with ids of records created in the same transaction (see TrainingRecord).
    record = models.ForeignKey(
        TrainingRecord, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    action = models.CharField(max_length=10)
    at = models.DateTimeField()

    class Meta:
        ordering = ["seq"]

    def __str__(self):
        return f"{self.seq} {self.action} {self.record_id}"


class FeedCounter(models.Model):
    """One row. Writers take its row lock as their last step, so sequence ranges are handed out in commit order
    and a reader never sees seq N+1 committed before seq N."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last = models.BigIntegerField(default=0)

    def __str__(self):
        return str(self.last)


class ApiKey(models.Model):
    class Scope(models.TextChoices):
        INGEST = "ingest", _("学时报送（基地培训平台）")
        FEED = "feed", _("变更订阅（省知识更新工程信息系统）")

    scope = models.CharField(_("用途"), max_length=8, choices=Scope.choices, default=Scope.INGEST)
    base = models.ForeignKey(
        "bases.Base",
        verbose_name=_("基地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_keys",
    )
    label = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("接口密钥")
        verbose_name_plural = _("接口密钥")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="ingest", base__isnull=False)
                | models.Q(scope="feed", base__isnull=True),
                name="api_key_scope_base",
            )
        ]

    def __str__(self):
        return f"{self.label} ({self.prefix}…)"


class ApiKeyUse(models.Model):
    key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=200)
    records = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.key_id} {self.at:%Y-%m-%d %H:%M}"


class IngestBatch(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        PROCESSING = "processing", _("处理中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    base = models.ForeignKey("bases.Base", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=8, choices=TrainingRecord.Source.choices)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    # Counts of the whole batch; the external_ids accepted and the refusals are kept per chunk (IngestChunk), so
    # that applying a chunk writes its own outcome instead of rewriting a list that grows with the batch.
    accepted_count = models.PositiveIntegerField(default=0)
    refused_count = models.PositiveIntegerField(default=0)
    # Refused before any chunk is applied: a record whose external_id came earlier in the batch.
    refused = models.JSONField(default=list)
    error = models.TextField(blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        # A name people read (the audit trail's object): the base and the file, or the time of an API batch.
        when = f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}" if self.created_at else ""
        return f"{self.base} {self.file_name or when}".strip()


class IngestChunk(models.Model):
    """A slice of a batch, applied in one transaction: a worker killed mid-chunk leaves it whole or not at all,
    and the batch resumes from the first chunk not applied."""

    batch = models.ForeignKey(IngestBatch, on_delete=models.CASCADE, related_name="chunks")
    index = models.PositiveIntegerField()
    # The records, sealed (hours.payloads): emptied when the batch ends.
    payload = models.JSONField()
    applied = models.BooleanField(default=False)
    # What applying the chunk gave: the external_ids accepted, and each refusal with its reason (and, once the
    # batch ends, the refused record with its ID number masked, for the refused-rows download).
    accepted = models.JSONField(default=list)
    refused = models.JSONField(default=list)

    class Meta:
        ordering = ["batch", "index"]
        constraints = [models.UniqueConstraint(fields=["batch", "index"], name="chunk_unique")]

    def __str__(self):
        return f"{self.batch_id}#{self.index}"


class ClosedYear(models.Model):
    year = models.PositiveSmallIntegerField(primary_key=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return str(self.year)


class Certificate(models.Model):
    """A certificate of a person's hours for a year (学时证明), verifiable online by its code."""

    code = models.CharField(_("验证码"), max_length=16, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="certificates")
    year = models.PositiveSmallIntegerField(_("年度"))
    total = models.DecimalField(max_digits=7, decimal_places=1)
    general = models.DecimalField(max_digits=7, decimal_places=1)
    professional = models.DecimalField(max_digits=7, decimal_places=1)
    compliant = models.BooleanField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("学时证明")
        verbose_name_plural = _("学时证明")

    def __str__(self):
        return self.code
