"""Change requests (R-34) and fee disclosure (R-33): validate a proposal, file it, apply an approved one."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.selectors import users_with
from audit.services import audit_record
from kit.errors import InvalidInput, NotVisible, WrongState
from kit.text import in_parentheses, join_clauses
from kit.uploads import check_upload
from notifications.services import notify

from ..models import Base, ChangeRequest, FeeStandard, Filing, Notice, Partner
from ..permissions import can_request_change
from ..uploads import store_evidence
from .registry import (
    FACT_FIELDS,
    base_facts,
    base_index,
    base_version_record,
    notice_publish,
    platform_name_problem,
    provincial_hr,
)


def change_request_clean(base, proposed: dict) -> dict:
    """Validate a proposal; return it normalised or raise with field errors."""
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
    if not can_request_change(actor, base):
        raise NotVisible(_("未找到该基地。"))
    if base.status == Base.Status.REVOKED:
        raise WrongState(_("该基地已被撤销，不能申请变更。"))
    if not (reasons or "").strip():
        raise InvalidInput(_("请填写变更理由。"), field_errors={"reasons": [_("请填写变更理由。")]})
    clean = change_request_clean(base, proposed)
    current = base_facts(base)
    if clean == current:
        raise InvalidInput(_("拟变更内容与现有信息相同。"))
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
            change_request_notify(request, "submitted", actor)
    except IntegrityError as exc:
        raise WrongState(_("该基地已有待审批的变更申请，请等待处理或撤回后再申请。")) from exc
    return request


def change_request_apply(*, actor, change_request):
    """Approval's effect: change the base, record the version, publish the notice and file the change."""
    base = Base.objects.select_for_update().get(pk=change_request.base_id)
    proposed = change_request.proposed
    old = base_facts(base)
    for f in FACT_FIELDS:
        setattr(base, f, proposed[f])
    base.save(update_fields=FACT_FIELDS + base_index(base))
    base.partners.all().delete()
    Partner.objects.bulk_create([Partner(base=base, **p) for p in proposed["partners"]])
    base.fees.all().delete()
    FeeStandard.objects.bulk_create([FeeStandard(base=base, **f) for f in proposed["fees"]])
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
        # The facts that changed, by their keys (FACT_LABELS): the history says them by name.
        comment=", ".join(changed_facts(old, proposed)),
    )


def change_request_notify(change_request, action, actor=None, comment=""):
    """Tell the authority of a (re)submitted request, and the institution of a decision."""
    base = change_request.base
    if action in ("submitted", "resubmit"):
        users = users_with(base.approving_authority_id, Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
        title = _("基地变更申请待审批：%(b)s") % {"b": base.name}
        action = "submitted"
    elif action in ("approve", "return"):
        users = users_with(base.institution_id, Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR)
        title = _("%(b)s的变更申请：%(s)s") % {"b": base.name, "s": change_request.get_state_display()}
    else:
        return
    notify(
        users=[u for u in users if u != actor],
        kind=f"change_request.{action}",
        title=title,
        body=change_request.decision_comment,
        url=reverse("bases:change", args=[change_request.pk]),
    )


# The facts a change request may change, by the names a reader knows them.
FACT_LABELS = {
    "name": gettext_lazy("基地名称"),
    "contact_name": gettext_lazy("联系人"),
    "contact_phone": gettext_lazy("联系电话"),
    "contact_email": gettext_lazy("联系邮箱"),
    "address": gettext_lazy("地址"),
    "platform_name": gettext_lazy("网络培训平台名称"),
    "platform_url": gettext_lazy("网络培训平台网址"),
    "partners": gettext_lazy("合作单位与网络学习中心"),
    "fees": gettext_lazy("收费标准"),
}


def changed_facts(old: dict, new: dict) -> list[str]:
    """Return the keys of the facts (FACT_LABELS) that differ between two base_facts."""
    return [k for k in FACT_LABELS if old.get(k) != new.get(k)]


def change_rows(old: dict, new: dict) -> list[dict]:
    """Rows for showing a change request: each fact before and after, with changed ones marked."""
    labels = FACT_LABELS
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
        return join_clauses(
            p["name"] + in_parentheses(p["description"]) if p.get("description") else p["name"] for p in items
        )

    def fees(items):
        return join_clauses(
            _("%(item)s %(amount)s 元/%(unit)s")
            % {"item": f["item"], "amount": f["amount"], "unit": f["unit"]}
            for f in items
        )

    rows.append(
        {
            "label": labels["partners"],
            "old": partners(old.get("partners", [])),
            "new": partners(new.get("partners", [])),
            "changed": old.get("partners") != new.get("partners"),
        }
    )
    rows.append(
        {
            "label": labels["fees"],
            "old": fees(old.get("fees", [])),
            "new": fees(new.get("fees", [])),
            "changed": old.get("fees") != new.get("fees"),
        }
    )
    return rows
