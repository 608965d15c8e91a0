"""Writes of a base's registry entry, its notices, filings and versions. Called inside the transaction of the
workflow step that causes them."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization, Region
from audit.services import audit_record

from ..indexing import INDEX_FIELDS, index_columns
from ..models import FACT_FIELDS, LEVEL_MARK, Base, BaseVersion, Filing, Level, Notice


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
    base = Base(
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
        contact_email=application.contact_email,
        address=application.address,
        application=application,
    )
    # The public finds the new base by name, city and field at once, not after its first change.
    base_index(base)
    base.save(force_insert=True)
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
            # The department it is filed with, by name: words of the writer's language would not follow the reader's.
            comment=province.name,
        )
    return base


# --- the public facts of a base and their versions --------------------------------------------------------


# R-30 (Art. 26): platform names must show the industry or region and must not claim a monopoly or mislead.
MISLEADING_WORDS = ["唯一", "官方", "指定", "权威", "独家", "国家级", "全国", "中国"]


def base_facts(base) -> dict:
    """The public facts a change request may change (R-34), as one JSON document."""
    facts = {f: getattr(base, f) for f in FACT_FIELDS}
    facts["partners"] = [
        {"kind": p.kind, "name": p.name, "description": p.description}
        for p in base.partners.all().order_by("kind", "id")
    ]
    facts["fees"] = [
        {"item": f.item, "amount": str(f.amount), "unit": f.unit, "note": f.note}
        for f in base.fees.all().order_by("id")
    ]
    return facts


def base_index(base) -> list[str]:
    """Set the base's registry columns (city, fields, search text) from its facts; return their field names.

    The caller saves them, in the same save as the change that made them stale.
    """
    region = base.region if isinstance(base.region, Region) else Region.objects.get(pk=base.region_id)
    for attr, value in index_columns(
        name=base.name,
        institution=base.institution,
        fields=base.fields,
        region=region,
        certificate_no=base.certificate_no,
    ).items():
        setattr(base, attr, value)
    return INDEX_FIELDS


def base_refresh_index(base) -> None:
    """Recompute and save the denormalised prefecture and search columns of a base."""
    base.save(update_fields=base_index(base))


def base_version_record(*, base, source, actor=None, change_request=None):
    last = (
        BaseVersion.objects.filter(base=base).order_by("-number").values_list("number", flat=True).first()
        or 0
    )
    return BaseVersion.objects.create(
        base=base,
        number=last + 1,
        source=source,
        facts=base_facts(base),
        approved_by=actor if getattr(actor, "is_authenticated", False) else None,
        change_request=change_request,
    )


def platform_name_problem(name: str, level: str) -> str | None:
    for word in MISLEADING_WORDS:
        if word in (name or "") and not (word == "国家级" and level == Level.NATIONAL):
            return _("平台名称不得使用“%(w)s”等易引起混淆或具有垄断性的字样（《办法》第二十六条）。") % {
                "w": word
            }
    return None
