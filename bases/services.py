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
        contact_email=application.contact_email,
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


# --- the public facts of a base and their versions --------------------------------------------------------

FACT_FIELDS = [
    "name",
    "contact_name",
    "contact_phone",
    "contact_email",
    "address",
    "platform_name",
    "platform_url",
]

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


def base_refresh_index(base) -> None:
    """Recompute the denormalised prefecture and search columns after a change of name, fields or region."""
    from accounts.models import Region

    region = base.region if isinstance(base.region, Region) else Region.objects.get(pk=base.region_id)
    base.prefecture_id = region.code if region.level == "prefecture" else region.parent_id
    base.fields_text = "、" + "、".join(base.fields or []) + "、" if base.fields else ""
    base.search_text = " ".join(
        [base.name, base.institution.name, "、".join(base.fields or []), region.name, base.certificate_no]
    )
    base.save(update_fields=["prefecture", "fields_text", "search_text"])


def base_version_record(*, base, source, actor=None, change_request=None):
    from .models import BaseVersion

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


# --- change requests (R-34, R-33) -------------------------------------------------------------------------


def _clean_proposed(base, proposed: dict) -> dict:
    """Validate a proposal; return it normalised or raise with field errors."""
    from decimal import Decimal, InvalidOperation

    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator, URLValidator

    from kit.errors import InvalidInput

    from .models import Partner

    errors = {}
    clean = {}
    for f in FACT_FIELDS:
        value = (proposed.get(f) or "").strip() if isinstance(proposed.get(f, ""), str) else ""
        clean[f] = value
    if not clean["name"]:
        errors["name"] = [_("请填写基地名称。")]
    if not clean["contact_name"] or not clean["contact_phone"]:
        errors["contact_phone"] = [_("请填写联系人和联系电话。")]
    if clean["contact_email"]:
        try:
            EmailValidator()(clean["contact_email"])
        except ValidationError:
            errors["contact_email"] = [_("请填写有效的电子邮箱。")]
    if clean["platform_url"]:
        try:
            URLValidator(schemes=["http", "https"])(clean["platform_url"])
        except ValidationError:
            errors["platform_url"] = [_("请填写完整的网址，如 https://example.cn/")]
    problem = platform_name_problem(clean["platform_name"], base.level)
    if problem:
        errors["platform_name"] = [problem]
    partners = []
    for i, p in enumerate(proposed.get("partners") or [], start=1):
        if p.get("kind") not in Partner.Kind.values or not (p.get("name") or "").strip():
            errors.setdefault("partners", []).append(_("第 %(n)d 个合作单位：类别或名称无效。") % {"n": i})
            continue
        partners.append(
            {
                "kind": p["kind"],
                "name": p["name"].strip()[:120],
                "description": (p.get("description") or "").strip()[:300],
            }
        )
    fees = []
    for i, f in enumerate(proposed.get("fees") or [], start=1):
        try:
            amount = Decimal(str(f.get("amount"))).quantize(Decimal("0.01"))
            if amount < 0 or amount > Decimal("99999999"):
                raise InvalidOperation
        except (InvalidOperation, TypeError, ValueError):
            errors.setdefault("fees", []).append(_("第 %(n)d 项收费：金额无效。") % {"n": i})
            continue
        if not (f.get("item") or "").strip():
            errors.setdefault("fees", []).append(_("第 %(n)d 项收费：请填写收费项目。") % {"n": i})
            continue
        fees.append(
            {
                "item": f["item"].strip()[:100],
                "amount": str(amount),
                "unit": (f.get("unit") or "人").strip()[:20],
                "note": (f.get("note") or "").strip()[:200],
            }
        )
    clean["partners"], clean["fees"] = partners, fees
    if errors:
        raise InvalidInput(_("变更内容有误，请按提示修改。"), field_errors=errors)
    return clean


def fee_increases(old_fees: list, new_fees: list) -> list[str]:
    """R-33: the fee items whose amount rises, and new items (a new charge is an increase too)."""
    from decimal import Decimal

    before = {f["item"]: Decimal(f["amount"]) for f in old_fees}
    rises = []
    for f in new_fees:
        amount = Decimal(f["amount"])
        if f["item"] not in before:
            rises.append(_("新增“%(i)s”%(a)s 元/%(u)s") % {"i": f["item"], "a": f["amount"], "u": f["unit"]})
        elif amount > before[f["item"]]:
            rises.append(
                _("“%(i)s”由 %(o)s 元提高到 %(a)s 元")
                % {"i": f["item"], "o": before[f["item"]], "a": f["amount"]}
            )
    return rises


def change_request_create(*, actor, base, proposed: dict, reasons: str, evidence=()):
    """A base operator asks to change the base's key facts (R-34), with reasons and evidence."""
    from django.db import IntegrityError

    from kit.errors import InvalidInput, NotVisible, WrongState

    from .models import ChangeRequest
    from .permissions import can_request_change
    from .uploads import store_evidence

    if not can_request_change(actor, base):
        raise NotVisible(_("未找到该基地。"))
    if base.status == Base.Status.REVOKED:
        raise WrongState(_("该基地已被撤销，不能申请变更。"))
    if not (reasons or "").strip():
        raise InvalidInput(_("请填写变更理由。"), field_errors={"reasons": [_("请填写变更理由。")]})
    clean = _clean_proposed(base, proposed)
    current = base_facts(base)
    if clean == current:
        raise InvalidInput(_("拟变更内容与现有信息相同。"))
    from kit.uploads import check_upload

    for upload in evidence:
        check_upload(upload)
    try:
        with transaction.atomic():
            request = ChangeRequest.objects.create(
                base=base,
                proposed=clean,
                reasons=reasons.strip(),
                fee_increase=bool(fee_increases(current["fees"], clean["fees"])),
                requested_by=actor,
            )
            for upload in evidence:
                store_evidence(upload, change_request=request)
            audit_record(
                actor=actor,
                action="change_request.submitted",
                obj=request,
                organization=base.institution,
                to_state=request.state,
            )
            _notify_change(request, "submitted")
    except IntegrityError as exc:
        raise WrongState(_("该基地已有待审批的变更申请，请等待处理或撤回后再申请。")) from exc
    return request


def change_request_apply(*, actor, change_request):
    """Approval's effect: change the base, record the version, publish the notice and file the change."""
    from .models import FeeStandard, Filing, Partner

    base = Base.objects.select_for_update().get(pk=change_request.base_id)
    proposed = change_request.proposed
    old = base_facts(base)
    for f in FACT_FIELDS:
        setattr(base, f, proposed[f])
    base.save(update_fields=FACT_FIELDS)
    base.partners.all().delete()
    Partner.objects.bulk_create([Partner(base=base, **p) for p in proposed["partners"]])
    base.fees.all().delete()
    FeeStandard.objects.bulk_create([FeeStandard(base=base, **f) for f in proposed["fees"]])
    base_refresh_index(base)
    base_version_record(base=base, source="change", actor=actor, change_request=change_request)
    lines = [_("经审核，同意%(b)s变更下列信息：") % {"b": old["name"]}]
    for label, key in [
        (_("基地名称"), "name"),
        (_("联系人"), "contact_name"),
        (_("联系电话"), "contact_phone"),
        (_("联系邮箱"), "contact_email"),
        (_("地址"), "address"),
        (_("网络培训平台"), "platform_name"),
        (_("平台网址"), "platform_url"),
    ]:
        if old[key] != proposed[key]:
            lines.append(f"{label}：{old[key] or '—'} → {proposed[key] or '—'}")
    if old["partners"] != proposed["partners"]:
        lines.append(_("合作单位：%(v)s") % {"v": "、".join(p["name"] for p in proposed["partners"]) or "—"})
    if old["fees"] != proposed["fees"]:
        lines.append(
            _("收费标准：%(v)s")
            % {"v": "；".join(f"{f['item']} {f['amount']} 元/{f['unit']}" for f in proposed["fees"]) or "—"}
        )
    notice_publish(
        actor=actor,
        kind=Notice.Kind.CHANGE,
        title=_("关于%(b)s信息变更的公告") % {"b": base.name},
        body="\n".join(lines),
        authority=base.approving_authority,
        base=base,
    )
    if not base.counts_as_provincial:
        province = provincial_hr()
        Filing.objects.create(
            base=base,
            kind=Filing.Kind.CHANGE,
            change_request=change_request,
            filed_by=base.approving_authority,
            filed_with=province,
        )
        audit_record(actor=actor, action="base.change_filed", obj=base, organization=base.approving_authority)
    audit_record(
        actor=actor,
        action="base.changed",
        obj=base,
        organization=base.approving_authority,
        comment=f"change request #{change_request.pk}",
    )


def _notify_change(change_request, action):
    from django.urls import reverse

    from accounts.models import Membership, Role, User
    from notifications.services import notify

    base = change_request.base
    url = reverse("bases:change", args=[change_request.pk])
    if action == "submitted":
        orgs, roles = [base.approving_authority_id], [Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER]
        title = _("基地变更申请待审批：%(b)s") % {"b": base.name}
    else:
        orgs, roles = [base.institution_id], [Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR]
        title = _("%(b)s的变更申请：%(s)s") % {"b": base.name, "s": change_request.get_state_display()}
    users = User.objects.filter(
        pk__in=Membership.objects.filter(organization_id__in=orgs, role__in=roles).values("user_id")
    )
    notify(
        users=users,
        kind=f"change_request.{action}",
        title=title,
        body=change_request.decision_comment,
        url=url,
    )


# --- misconduct reports (R-29) ---------------------------------------------------------------------------

REPORT_RATE_LIMIT = 5  # per IP address and per phone number, in a rolling hour


def misconduct_report_create(
    *, base, category, description, reporter_name, reporter_phone, evidence=None, ip_address=None
):
    """Anyone may report a base for conduct Art. 25 forbids; name and phone are required; a receipt code
    lets the reporter look up the outcome later."""
    import secrets
    from datetime import timedelta

    from kit.errors import InvalidInput, PermissionRefused, WrongState

    from .models import MisconductReport
    from .uploads import store_evidence

    errors = {}
    if category not in MisconductReport.Category.values:
        errors["category"] = [_("请选择举报类别。")]
    if len((description or "").strip()) < 10:
        errors["description"] = [_("请具体说明举报内容（不少于 10 个字）。")]
    if not (reporter_name or "").strip():
        errors["reporter_name"] = [_("请填写姓名。")]
    digits = "".join(ch for ch in reporter_phone or "" if ch.isdigit())
    if not 7 <= len(digits) <= 15:
        errors["reporter_phone"] = [_("请填写有效的联系电话。")]
    if errors:
        raise InvalidInput(_("举报信息不完整。"), field_errors=errors)
    if base.status == Base.Status.REVOKED:
        raise WrongState(_("该基地已被撤销。"))
    if evidence is not None:
        from kit.uploads import check_upload

        check_upload(evidence)
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = MisconductReport.objects.filter(created_at__gte=hour_ago)
    if (ip_address and recent.filter(ip_address=ip_address).count() >= REPORT_RATE_LIMIT) or recent.filter(
        reporter_phone=reporter_phone.strip()
    ).count() >= REPORT_RATE_LIMIT:
        raise PermissionRefused(_("提交过于频繁，请一小时后再试。"))
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to misread
    with transaction.atomic():
        report = MisconductReport.objects.create(
            base=base,
            category=category,
            description=description.strip(),
            reporter_name=reporter_name.strip(),
            reporter_phone=reporter_phone.strip(),
            receipt_code="".join(secrets.choice(alphabet) for _i in range(12)),
            ip_address=ip_address,
        )
        if evidence is not None:
            store_evidence(evidence, report=report)
        audit_record(
            actor=None,
            action="report.lodged",
            obj=report,
            organization=base.approving_authority,
            comment=category,
            ip_address=ip_address,
        )
        from django.urls import reverse

        from accounts.models import Membership, Role, User
        from notifications.services import notify

        reviewers = User.objects.filter(
            pk__in=Membership.objects.filter(
                organization=base.approving_authority, role=Role.AUTHORITY_REVIEWER
            ).values("user_id")
        )
        notify(
            users=reviewers,
            kind="report.lodged",
            title=_("收到违规举报：%(b)s") % {"b": base.name},
            url=reverse("bases:report", args=[report.pk]),
        )
    return report


def misconduct_report_triage(*, actor, report, decision: str, outcome: str):
    """The approving authority dismisses a report with a reason, or sends it to a spot check (R-29)."""
    from kit.errors import InvalidInput, NotVisible, WrongState

    from .models import MisconductReport
    from .permissions import can_triage_report

    if decision not in (MisconductReport.Status.DISMISSED, MisconductReport.Status.SPOT_CHECK):
        raise InvalidInput(_("处理决定无效。"), field_errors={"decision": [_("处理决定无效。")]})
    if not (outcome or "").strip():
        raise InvalidInput(_("请填写处理意见。"), field_errors={"outcome": [_("请填写处理意见。")]})
    with transaction.atomic():
        locked = MisconductReport.objects.select_for_update().select_related("base").get(pk=report.pk)
        if not can_triage_report(actor, locked):
            raise NotVisible(_("未找到该举报。"))
        if locked.status != MisconductReport.Status.OPEN:
            raise WrongState(_("该举报已处理。"))
        before = locked.status
        locked.status, locked.outcome = decision, outcome.strip()
        locked.triaged_by, locked.triaged_at = actor, timezone.now()
        locked.save(update_fields=["status", "outcome", "triaged_by", "triaged_at"])
        audit_record(
            actor=actor,
            action="report.triaged",
            obj=locked,
            organization=locked.base.approving_authority,
            from_state=before,
            to_state=decision,
            comment=locked.outcome,
        )
    return locked


def change_rows(old: dict, new: dict) -> list[dict]:
    """Rows for showing a change request: each fact before and after, with changed ones marked."""
    labels = {
        "name": _("基地名称"),
        "contact_name": _("联系人"),
        "contact_phone": _("联系电话"),
        "contact_email": _("联系邮箱"),
        "address": _("地址"),
        "platform_name": _("网络培训平台名称"),
        "platform_url": _("网络培训平台网址"),
    }
    rows = [
        {
            "label": labels[k],
            "old": old.get(k, ""),
            "new": new.get(k, ""),
            "changed": old.get(k, "") != new.get(k, ""),
        }
        for k in FACT_FIELDS
    ]

    def partners(items):
        return "；".join(
            f"{p['name']}（{p['description']}）" if p.get("description") else p["name"] for p in items
        )

    def fees(items):
        return "；".join(f"{f['item']} {f['amount']} 元/{f['unit']}" for f in items)

    rows.append(
        {
            "label": _("合作单位与网络学习中心"),
            "old": partners(old.get("partners", [])),
            "new": partners(new.get("partners", [])),
            "changed": old.get("partners") != new.get("partners"),
        }
    )
    rows.append(
        {
            "label": _("收费标准"),
            "old": fees(old.get("fees", [])),
            "new": fees(new.get("fees", [])),
            "changed": old.get("fees") != new.get("fees"),
        }
    )
    return rows
