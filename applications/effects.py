"""Guards and effects of the recognition workflow's transitions, and who is told about each.

Each guard raises a domain error with a message for the user; each effect runs inside transition()'s
transaction after the state has changed.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import users_with
from bases.models import Notice
from bases.services import base_create_from_application, notice_publish
from kit.errors import InvalidInput, WrongState
from kit.text import colon
from notifications.services import notify

from .models import (
    ApplicationVersion,
    Decision,
    ExpertAssignment,
    Objection,
    PanelResolution,
    Section,
    SectionComment,
)
from .rules import bar_reason, hosts_municipal_or_industry_base, unmet
from .snapshot import application_snapshot
from .workdays import add_working_days

MIN_EXPERTS = 3


class RuleViolation(WrongState):
    """A guard of the regulation refused the action; `reasons` lists every unmet condition."""

    def __init__(self, message, reasons=()):
        super().__init__(message)
        self.reasons = list(reasons)
        if self.reasons:
            self.field_errors = {"unmet": self.reasons}


# --- guards ---------------------------------------------------------------------------------------------


def guard_submit(app, actor, **data):
    reason = bar_reason(app.institution)
    if reason:
        raise RuleViolation(reason, [reason])
    if not app.batch.is_open():
        raise RuleViolation(
            _("该批次申报时间为 %(o)s 至 %(c)s，当前不在申报期内。")
            % {
                "o": timezone.localtime(app.batch.opens_at).strftime("%Y-%m-%d %H:%M"),
                "c": timezone.localtime(app.batch.closes_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    missing = unmet(app)
    if missing:
        reasons = [f"{c.article} {c.label}{colon()}{c.detail}" for c in missing]
        raise RuleViolation(_("尚有 %(n)d 项申报条件未满足，不能提交。") % {"n": len(missing)}, reasons)
    if app.batch.requires_recommendation and not app.recommending_authority_id:
        raise RuleViolation(_("本批次需经推荐，请在第一步选择推荐部门。"), [_("未选择推荐部门")])


def guard_recommend(app, actor, **data):
    if not app.batch.requires_recommendation:
        raise WrongState(_("本批次无需推荐。"))


def guard_start_review(app, actor, **data):
    if app.batch.requires_recommendation and app.state != "recommended":
        raise WrongState(_("本批次须经推荐部门推荐后方可受理。"))


def guard_complete_expert_review(app, actor, **data):
    assignments = list(app.assignments.all())
    submitted = [a for a in assignments if a.status == ExpertAssignment.Status.SUBMITTED]
    pending = [
        a
        for a in assignments
        if a.status in (ExpertAssignment.Status.ASSIGNED, ExpertAssignment.Status.ACCEPTED)
    ]
    if len(submitted) < MIN_EXPERTS:
        raise RuleViolation(
            _("至少需要 %(n)d 位专家提交评分，目前 %(m)d 位。") % {"n": MIN_EXPERTS, "m": len(submitted)}
        )
    if pending:
        raise RuleViolation(_("还有 %(n)d 位专家未提交评分。") % {"n": len(pending)})


def _require_passed_visit(app, failed_message):
    visit = app.site_visits.order_by("-visit_date", "-id").first()
    if visit is None:
        raise RuleViolation(_("尚未录入实地考察结果。"))
    if not visit.passed:
        raise RuleViolation(failed_message)


def guard_complete_site_visit(app, actor, **data):
    # Only an application that passed the visit goes before the panel; a failed one is returned or rejected.
    _require_passed_visit(app, _("实地考察未通过，不能提交评审会评审；可退回补正或不予受理。"))


def guard_panel_resolution(app, actor, *, meeting=None, resolution=None, **data):
    if meeting is None or not resolution or not isinstance(resolution.get("passed"), bool):
        raise InvalidInput(
            _("评审会结论须在本批次的评审汇总表中录入。"),
            field_errors={"resolution": [_("请在评审汇总表中录入评审会结论。")]},
        )
    if meeting.batch_id != app.batch_id:
        raise InvalidInput(_("评审会不属于本申报的批次。"), field_errors={"meeting": [_("评审会无效。")]})


def on_panel_resolution(app, actor, *, meeting, resolution, **data):
    PanelResolution.objects.create(
        meeting=meeting,
        application=app,
        passed=resolution["passed"],
        votes_for=resolution.get("votes_for") or 0,
        votes_against=resolution.get("votes_against") or 0,
        votes_abstain=resolution.get("votes_abstain") or 0,
        remarks=(resolution.get("remarks") or "").strip(),
        recorded_by=actor,
    )


def panel_resolution_note(app) -> str:
    r = app.panel_resolutions.select_related("meeting").order_by("-id").first()
    if r is None:
        return ""
    # A stable form the history says in words (applications/events.py panel_resolution).
    verdict = "passed" if r.passed else "failed"
    return f"{r.meeting.held_on.isoformat()} {verdict} {r.votes_for}/{r.votes_against}/{r.votes_abstain}"


def guard_approve(app, actor, **data):
    _require_passed_visit(app, _("实地考察未通过，不能予以认定。"))
    resolution = app.panel_resolutions.order_by("-id").first()
    if resolution is None:
        raise RuleViolation(_("尚未录入评审会结论。"))
    if not resolution.passed:
        raise RuleViolation(_("评审会结论为不通过，不能予以认定。"))


def guard_publish(app, actor, **data):
    today = timezone.localdate()
    if app.publicity_ends_on is None or today <= app.publicity_ends_on:
        raise RuleViolation(_("公示期至 %(d)s 结束，期满后方可公布。") % {"d": app.publicity_ends_on})
    open_count = app.objections.filter(status=Objection.Status.OPEN).count()
    if open_count:
        raise RuleViolation(_("尚有 %(n)d 条异议未处理，处理后方可公布。") % {"n": open_count})


def guard_return(app, actor, *, section_comments=None, comment="", **data):
    comments = {k: (v or "").strip() for k, v in (section_comments or {}).items() if (v or "").strip()}
    unknown = set(comments) - set(Section.values)
    if unknown:
        raise InvalidInput(_("补正意见的部分无效。"), field_errors={"section_comments": sorted(unknown)})
    if not comments and not comment:
        raise InvalidInput(
            _("退回补正须至少针对一个部分填写意见。"),
            field_errors={"section_comments": [_("请填写补正意见。")]},
        )


# --- effects --------------------------------------------------------------------------------------------


def on_submit(app, actor, **data):
    app.version += 1
    app.submitted_at = timezone.now()
    # flag provincial applications of institutions that already host a municipal or industry base.
    app.priority = app.batch.level == "provincial" and hosts_municipal_or_industry_base(app.institution)
    app.save(update_fields=["version", "submitted_at", "priority"])
    ApplicationVersion.objects.create(
        application=app, number=app.version, data=application_snapshot(app), submitted_by=actor
    )


def on_return(app, actor, *, section_comments=None, comment="", **data):
    comments = {k: v.strip() for k, v in (section_comments or {}).items() if (v or "").strip()}
    if not comments:
        comments = {Section.INSTITUTION: comment}
    for section, text in comments.items():
        SectionComment.objects.create(
            application=app, version=app.version, section=section, comment=text, author=actor
        )


def _decide(app, actor, approved, reasons):
    Decision.objects.create(
        application=app,
        approved=approved,
        reasons=reasons,
        snapshot=application_snapshot(app),
        version=app.version,
        decided_by=actor,
    )


def on_approve(app, actor, *, comment="", **data):

    _decide(app, actor, True, comment)
    first, last, exact = add_working_days(timezone.localdate(), app.batch.publicity_working_days)
    app.publicity_starts_on, app.publicity_ends_on = first, last
    app.save(update_fields=["publicity_starts_on", "publicity_ends_on"])
    notice_publish(
        actor=actor,
        kind=Notice.Kind.PUBLICITY,
        title=_("关于%(base)s拟认定为%(level)s继续教育基地的公示")
        % {"base": app.base_name, "level": app.batch.get_level_display()},
        body=publicity_body(app, exact),
        authority=app.batch.approving_authority,
        application=app,
        open_until=last,
    )


def publicity_body(app, exact=True) -> str:
    """The public text: institution and base, level, field, region, dates. No personal data."""
    lines = [
        _("经审核、论证、考察和评审，拟认定下列施教机构为继续教育基地，现予公示。"),
        _("建设单位：%(v)s") % {"v": app.institution.name},
        _("基地名称：%(v)s") % {"v": app.base_name},
        _("基地级别：%(v)s") % {"v": app.batch.get_level_display()},
        _("培训领域：%(v)s") % {"v": "、".join(app.fields)},
        _("所在地区：%(v)s") % {"v": region_label(app.region)},
        _("公示期：%(a)s 至 %(b)s（%(n)d 个工作日）")
        % {"a": app.publicity_starts_on, "b": app.publicity_ends_on, "n": app.batch.publicity_working_days},
        _("公示期内，任何单位和个人如有异议，可通过本页面实名提出，并提供联系方式和相关证据。"),
    ]
    if not exact:
        lines.append(
            _("注：该年度法定节假日安排尚未公布，公示截止日期按周末计算，如有调整以调整后的日期为准。")
        )
    return "\n".join(lines)


def region_label(region) -> str:
    if region is None:
        return ""
    if region.parent_id and region.level == "county":
        return f"{region.parent.name}{region.name}"
    return region.name


def on_decline(app, actor, *, comment="", **data):
    _decide(app, actor, False, comment)


def on_publish(app, actor, **data):

    base = base_create_from_application(actor=actor, application=app)
    notice_publish(
        actor=actor,
        kind=Notice.Kind.RECOGNITION,
        title=_("关于认定%(base)s为%(level)s继续教育基地的公告")
        % {"base": base.name, "level": base.get_level_display()},
        body="\n".join(
            [
                _("经公示无异议（或异议已处理），现认定下列机构为继续教育基地。"),
                _("基地名称：%(v)s") % {"v": base.name},
                _("建设单位：%(v)s") % {"v": base.institution.name},
                _("基地级别：%(v)s") % {"v": base.get_level_display()},
                _("培训领域：%(v)s") % {"v": "、".join(base.fields)},
                _("所在地区：%(v)s") % {"v": region_label(base.region)},
                _("证书编号：%(v)s") % {"v": base.certificate_no},
                _("认定日期：%(v)s") % {"v": base.recognised_on},
            ]
        ),
        authority=app.batch.approving_authority,
        base=base,
        application=app,
    )


# --- who is told ----------------------------------------------------------------------------------------


def applicants(app):
    return users_with(app.institution_id, Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR)


def reviewers(app):
    return users_with(app.batch.approving_authority_id, Role.AUTHORITY_REVIEWER)


def approvers(app):
    return users_with(app.batch.approving_authority_id, Role.AUTHORITY_APPROVER)


def recommenders(app):
    return users_with(app.recommending_authority_id, Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)


def notify_transition(app, action, actor, comment):
    url = reverse("applications:detail", args=[app.pk])
    name = app.base_name or _("基地申报")
    state = app.get_state_display()
    title = _("%(name)s：%(state)s") % {"name": name, "state": state}
    body = comment or ""
    if action == "submit":
        targets = recommenders(app) if app.batch.requires_recommendation else reviewers(app)
        title = _("新的基地申报待处理：%(name)s（%(inst)s）") % {"name": name, "inst": app.institution.name}
    elif action == "recommend":
        targets = reviewers(app)
    elif action == "complete_expert_review":
        targets = list(reviewers(app)) + list(approvers(app))
    elif action == "complete_site_visit":
        # The approvers learn that a decision will follow the panel; the applicant that its file moves on.
        targets = list(applicants(app)) + list(approvers(app))
    elif action == "record_panel_resolution":
        targets = approvers(app)
    elif action == "approve":
        targets = list(applicants(app)) + list(reviewers(app))
        title = _("%(name)s 已作出认定决定，进入公示（至 %(d)s）") % {
            "name": name,
            "d": app.publicity_ends_on,
        }
    elif action in ("start_review", "pass_formal_review", "return", "reject", "decline", "publish"):
        targets = applicants(app)
        if action == "return":
            title = _("%(name)s 被退回补正，请按意见修改后重新提交") % {"name": name}
    elif action == "withdraw":
        targets = reviewers(app) if app.version else []
    else:
        targets = []
    notify(
        users=[u for u in targets if u != actor],
        kind=f"application.{action}",
        title=title,
        body=body,
        url=url,
    )
