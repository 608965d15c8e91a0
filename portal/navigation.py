"""Navigation by role. Later apps add their entries here, next to the rule that shows them."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation_for(user, actor):
    if user is None or not user.is_authenticated:
        return []
    items = [{"label": _("我的待办"), "url": reverse("portal:dashboard"), "key": "dashboard"}]
    if actor.is_authority_staff or actor.is_institution_staff:
        items.append({"label": _("基地申报"), "url": reverse("applications:list"), "key": "applications"})
        items.append({"label": _("申报批次"), "url": reverse("applications:batches"), "key": "batches"})
    if actor.is_authority_staff or actor.is_institution_staff:
        items.append({"label": _("基地管理"), "url": reverse("bases:manage"), "key": "bases"})
    if actor.is_institution_staff:
        items.append({"label": _("年度计划"), "url": reverse("plans:list"), "key": "plans"})
        items.append({"label": _("学时报送"), "url": reverse("hours:home"), "key": "hours"})
        items.append({"label": _("培训班"), "url": reverse("plans:classes"), "key": "classes"})
    if actor.is_authority_staff:
        items.append({"label": _("计划备案"), "url": reverse("plans:dashboard"), "key": "plan_dashboard"})
        items.append({"label": _("学时查询"), "url": reverse("hours:lookup"), "key": "hours_lookup"})
        items.append({"label": _("学时统计"), "url": reverse("hours:statistics"), "key": "hours_statistics"})
        items.append({"label": _("违规举报"), "url": reverse("bases:reports"), "key": "reports"})
        items.append({"label": _("检查考核"), "url": reverse("inspections:rounds"), "key": "inspections"})
        items.append(
            {"label": _("动态评估"), "url": reverse("inspections:assessments"), "key": "assessments"}
        )
    if actor.is_authority_staff or actor.is_institution_staff:
        items.append(
            {"label": _("整改"), "url": reverse("inspections:rectifications"), "key": "rectifications"}
        )
    if actor.is_expert:
        items.append(
            {"label": _("评审任务"), "url": reverse("applications:expert_assignments"), "key": "expert"}
        )
    if actor.is_provincial:
        items.append({"label": _("备案基地"), "url": reverse("bases:filed"), "key": "filed"})
    manages_users = actor.is_provincial_admin or any(
        m.role in ("authority_admin", "institution_admin") for m in actor.memberships
    )
    if manages_users:
        items.append({"label": _("账户管理"), "url": reverse("accounts:organizations"), "key": "accounts"})
    confirms_registrations = actor.is_provincial_admin or any(
        m.role in ("authority_admin", "authority_reviewer") and m.organization.kind == "municipal_hr"
        for m in actor.memberships
    )
    if confirms_registrations:
        items.append(
            {"label": _("机构注册确认"), "url": reverse("accounts:registrations"), "key": "registrations"}
        )
    if actor.is_provincial_admin:
        items.append({"label": _("行政区划"), "url": reverse("accounts:regions"), "key": "regions"})
        items.append({"label": _("学时年度"), "url": reverse("hours:years"), "key": "hours_years"})
    # 三权分立: the security and the audit administrators see their own pages and nothing of the system's.
    if actor.is_security_admin:
        items.append({"label": _("登录锁定"), "url": reverse("accounts:lockouts"), "key": "lockouts"})
        items.append({"label": _("双因素认证重置"), "url": reverse("accounts:otp"), "key": "otp"})
        items.append({"label": _("接口密钥"), "url": reverse("hours:keys"), "key": "api_keys"})
    if actor.is_audit_admin:
        items.append({"label": _("审计日志"), "url": reverse("audit:events"), "key": "audit"})
    return items
