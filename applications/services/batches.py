"""Batches (申报批次, R-04): an authority opens a batch with its rubric and publicity period."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Organization
from audit.services import audit_record
from kit.errors import InvalidInput, PermissionRefused

from ..models import (
    Batch,
    default_rubric,
)
from ..permissions import can_manage_batches

LEVEL_FOR_KIND = {
    Organization.Kind.PROVINCIAL_HR: "provincial",
    Organization.Kind.MUNICIPAL_HR: "municipal",
    Organization.Kind.COUNTY_HR: "county",
    Organization.Kind.INDUSTRY_AUTHORITY: "industry",
}

# --- batches --------------------------------------------------------------------------------------------


def batch_create(
    *,
    actor,
    authority: Organization,
    title: str,
    opens_at,
    closes_at,
    requires_recommendation: bool = False,
    publicity_working_days: int = 5,
    description: str = "",
    rubric: list | None = None,
) -> Batch:
    """Open a call for applications (R-04). The level follows from the authority (R-01, R-02)."""
    if not can_manage_batches(actor, authority):
        raise PermissionRefused(_("只有本部门管理员可以创建申报批次。"))
    level = LEVEL_FOR_KIND.get(authority.kind)
    if level is None:
        raise InvalidInput(_("该机构不是认定部门。"))
    errors = {}
    if closes_at <= opens_at:
        errors["closes_at"] = [_("截止时间须晚于开始时间。")]
    if requires_recommendation and level != "provincial":
        errors["requires_recommendation"] = [_("只有省级批次可要求推荐。")]
    if not 1 <= publicity_working_days <= 30:
        errors["publicity_working_days"] = [_("公示期应为 1 至 30 个工作日。")]
    rubric = rubric or default_rubric()
    rubric_errors = _validate_rubric(rubric)
    if rubric_errors:
        errors["rubric"] = rubric_errors
    if errors:
        raise InvalidInput(_("批次信息有误，请按提示修改。"), field_errors=errors)
    with transaction.atomic():
        batch = Batch.objects.create(
            title=title,
            level=level,
            approving_authority=authority,
            description=description,
            opens_at=opens_at,
            closes_at=closes_at,
            requires_recommendation=requires_recommendation,
            publicity_working_days=publicity_working_days,
            rubric=rubric,
            created_by=actor,
        )
        audit_record(actor=actor, action="batch.created", obj=batch, organization=authority)
    return batch


def _validate_rubric(rubric) -> list:
    errors = []
    keys = set()
    for item in rubric:
        if not isinstance(item, dict) or not item.get("key") or not item.get("label"):
            errors.append(_("每个评分项须有编号和名称。"))
            continue
        if item["key"] in keys:
            errors.append(_("评分项编号重复：%(k)s") % {"k": item["key"]})
        keys.add(item["key"])
        try:
            if int(item["max"]) <= 0:
                raise ValueError
        except (KeyError, TypeError, ValueError):
            errors.append(_("评分项“%(l)s”的分值须为正整数。") % {"l": item["label"]})
    if not errors and sum(int(i["max"]) for i in rubric) != 100:
        errors.append(_("评分项满分合计须为 100 分。"))
    return errors
