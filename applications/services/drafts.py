"""The applicant's draft: create it, save each section of the 申报表, choose the recommender."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for
from accounts.models import Organization, Role
from audit.services import audit_record
from kit.errors import InvalidInput, PermissionRefused, WrongState

from .. import workflow
from ..models import (
    SECTION_FIELDS,
    Application,
    Batch,
)
from ..permissions import can_edit_application
from ..rules import bar_reason
from ..selectors import batch_open_to

# --- applications ---------------------------------------------------------------------------------------


def application_create(*, actor, batch: Batch, institution: Organization) -> Application:
    """Start a draft for an institution in a batch open to it; a barred institution is told why (R-15)."""
    actor_state = actor_for(actor)
    if not any(actor_state.has_role(r, institution.pk) for r in (Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR)):
        raise PermissionRefused(_("只有本机构的管理员或经办人可以申报。"))
    if not institution.is_registration_confirmed:
        # a credit code is public; the authority confirms who registered it before anyone applies with it.
        raise WrongState(_("本机构的注册尚待所在地人社部门确认，确认后才能申报基地。"))
    reason = bar_reason(institution)
    if reason:
        raise WrongState(reason)
    if not batch_open_to(batch, institution):
        raise WrongState(_("该批次当前不接受本机构申报。"))
    try:
        with transaction.atomic():
            app = Application.objects.create(
                batch=batch,
                institution=institution,
                created_by=actor,
                institution_type=institution.institution_type,
                address=institution.address,
                region=institution.region,
            )
            audit_record(
                actor=actor,
                action="application.created",
                obj=app,
                organization=institution,
                to_state=app.state,
            )
    except IntegrityError as exc:
        raise WrongState(_("本机构在该批次已有进行中的申报。")) from exc
    return app


EDITABLE_FIELDS = SECTION_FIELDS


def lock_editable(actor, application) -> Application:
    """Lock the application for an edit by its applicant: 404 unseen, 409 not editable, 403 not theirs."""
    app = workflow.MACHINE.lock(application, actor)
    if not can_edit_application(actor, app):
        if not app.is_editable:
            raise WrongState(_("申报当前状态为“%(s)s”，不能修改。") % {"s": app.get_state_display()})
        raise PermissionRefused(_("只有申报单位的管理员或经办人可以修改申报。"))
    return app


def application_update(*, actor, application: Application, section: str, data: dict) -> Application:
    """Save one section of the draft (every step saves, so the applicant can resume later)."""
    allowed = EDITABLE_FIELDS.get(section)
    if allowed is None:
        raise InvalidInput(_("未知的申报部分。"))
    unknown = set(data) - set(allowed)
    if unknown:
        raise InvalidInput(
            _("包含不可修改的字段。"), field_errors={k: [_("不可修改。")] for k in sorted(unknown)}
        )
    with transaction.atomic():
        app = lock_editable(actor, application)
        if "recommending_authority" in data:
            _check_recommender(app, data["recommending_authority"])
        if "fields" in data:
            data["fields"] = normalize_fields(data["fields"])
        changed = [k for k, v in data.items() if getattr(app, k) != v]
        for key, value in data.items():
            setattr(app, key, value)
        app.full_clean(exclude=["batch", "institution", "created_by", "recommending_authority", "region"])
        app.save()
        if changed:
            audit_record(
                actor=actor,
                action="application.edited",
                obj=app,
                organization=app.institution,
                comment=f"{section}: {', '.join(changed)}",
            )
    return app


def normalize_fields(value) -> list[str]:
    if isinstance(value, str):
        for sep in ("，", "、", ";", "；", "\n"):
            value = value.replace(sep, ",")
        value = value.split(",")
    items = []
    for item in value or []:
        item = str(item).strip()
        if item and item not in items:
            items.append(item[:40])
    return items[:10]


def recommender_choices(app):
    """Who may recommend a provincial application: the municipal HR department of the institution's
    prefecture, or an industry authority."""
    prefecture = app.institution.region.prefecture
    return Organization.objects.filter(is_active=True).filter(
        kind=Organization.Kind.INDUSTRY_AUTHORITY
    ) | Organization.objects.filter(is_active=True, kind=Organization.Kind.MUNICIPAL_HR, region=prefecture)


def _check_recommender(app, organization):
    if organization is None:
        return
    if not app.batch.requires_recommendation:
        raise InvalidInput(
            _("本批次无需推荐。"), field_errors={"recommending_authority": [_("本批次无需推荐。")]}
        )
    if not recommender_choices(app).filter(pk=organization.pk).exists():
        raise InvalidInput(
            _("推荐部门须为所在市（州）人社部门或行业主管部门。"),
            field_errors={"recommending_authority": [_("推荐部门须为所在市（州）人社部门或行业主管部门。")]},
        )
