"""Writes to bases, notices and filings. Called inside the transaction of the workflow step that causes them."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from audit.services import audit_record

from .models import LEVEL_MARK, Base, Filing, Level, Notice


def certificate_number(*, level: str, year: int) -> tuple[str, int]:
    """Return the next certificate number of a level and year, e.g. 川继基省〔2026〕003号.

    The caller holds a transaction; the unique constraint on (level, year, seq) settles a race.
    """
    # Lock the bases of that level and year so two publications of the same day number consecutively.
    last = (
        Base.objects.select_for_update()
        .filter(level=level, certificate_year=year)
        .aggregate(m=Max("certificate_seq"))["m"]
        or 0
    )
    seq = last + 1
    return f"川继基{LEVEL_MARK[level]}〔{year}〕{seq:03d}号", seq


def notice_publish(
    *, actor, kind, title, body, authority, base=None, application=None, open_until=None
) -> Notice:
    notice = Notice.objects.create(
        kind=kind,
        title=title,
        body=body,
        authority=authority,
        base=base,
        application=application,
        published_at=timezone.now(),
        open_until=open_until,
        published_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(actor=actor, action="notice.published", obj=notice, organization=authority, comment=kind)
    return notice


def provincial_hr() -> Organization:
    return Organization.objects.get(kind=Organization.Kind.PROVINCIAL_HR)


def base_create_from_application(*, actor, application) -> Base:
    """R-18: recognition creates the Base with its certificate number; R-03: non-provincial bases are filed."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("base_create_from_application must run inside the publication transaction")
    today = timezone.localdate()
    number, seq = certificate_number(level=application.batch.level, year=today.year)
    base = Base.objects.create(
        name=application.base_name,
        institution=application.institution,
        approving_authority=application.batch.approving_authority,
        level=application.batch.level,
        region=application.region,
        fields=list(application.fields),
        certificate_no=number,
        certificate_year=today.year,
        certificate_seq=seq,
        recognised_on=today,
        platform_name=application.platform_name,
        platform_url=application.platform_url,
        contact_name=application.contact_name,
        contact_phone=application.contact_phone,
        address=application.address,
        application=application,
    )
    authority = application.batch.approving_authority
    audit_record(
        actor=actor, action="base.recognised", obj=base, organization=authority, to_state=base.status
    )
    if base.level not in (Level.PROVINCIAL, Level.NATIONAL):
        province = provincial_hr()
        filing = Filing.objects.create(base=base, filed_by=authority, filed_with=province)
        audit_record(
            actor=actor,
            action="base.filed",
            obj=filing,
            organization=authority,
            comment=_("报%(p)s备案") % {"p": province.name},
        )
    return base
