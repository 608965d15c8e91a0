"""Every write to batches and applications other than the state transitions (those are in workflow.py)."""

from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for
from accounts.models import Membership, Organization, Role
from audit.services import audit_record
from kit.errors import InvalidInput, NotVisible, PermissionRefused, WrongState
from kit.uploads import check_upload
from notifications.services import notify

from .effects import reviewers
from .models import (
    Application,
    Attachment,
    AttachmentKind,
    Batch,
    ExpertAssignment,
    Objection,
    SiteVisit,
    StaffMember,
    default_rubric,
)
from .permissions import can_edit_application, can_manage_batches, is_reviewer
from .rules import bar_reason

LEVEL_FOR_KIND = {
    Organization.Kind.PROVINCIAL_HR: "provincial",
    Organization.Kind.MUNICIPAL_HR: "municipal",
    Organization.Kind.COUNTY_HR: "county",
    Organization.Kind.INDUSTRY_AUTHORITY: "industry",
}

# Public objections: at most this many per IP address and per phone number in a rolling hour.
OBJECTION_RATE_LIMIT = 5


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


# --- applications ---------------------------------------------------------------------------------------


def application_create(*, actor, batch: Batch, institution: Organization) -> Application:
    """Start a draft for an institution in a batch open to it; a barred institution is told why (R-15)."""
    from .selectors import batch_open_to

    actor_state = actor_for(actor)
    if not any(actor_state.has_role(r, institution.pk) for r in (Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR)):
        raise PermissionRefused(_("只有本机构的管理员或经办人可以申报。"))
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


EDITABLE_FIELDS = {
    "institution": [
        "institution_type",
        "registered_in_sichuan",
        "training_qualification",
        "legal_representative",
        "address",
        "region",
        "base_name",
        "fields",
        "contact_name",
        "contact_phone",
        "contact_email",
        "recommending_authority",
    ],
    "management": ["management_organ", "full_time_managers"],
    "resources": [
        "funding_guarantee",
        "classrooms",
        "teaching_equipment",
        "library_resources",
        "practical_site",
        "network_infrastructure",
        "platform_name",
        "platform_url",
        "platform_features",
    ],
    "scale": ["trainees_year1", "trainees_year2", "trainees_year3", "key_fields_served"],
    "credit": ["credit_declared", "credit_statement"],
}


def _lock_editable(actor, application) -> Application:
    from .selectors import visible_to

    app = (
        visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("batch", "institution")
        .filter(pk=application.pk)
        .first()
    )
    if app is None:
        raise NotVisible(_("未找到该申报。"))
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
        app = _lock_editable(actor, application)
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


STAFF_CATEGORY_WORDS = {
    "教师": StaffMember.Category.TEACHER,
    "teacher": StaffMember.Category.TEACHER,
    "政策研究": StaffMember.Category.POLICY_RESEARCH,
    "政策研究和宣讲": StaffMember.Category.POLICY_RESEARCH,
    "policy_research": StaffMember.Category.POLICY_RESEARCH,
    "技术人员": StaffMember.Category.ONLINE_TECHNICAL,
    "线上技术": StaffMember.Category.ONLINE_TECHNICAL,
    "online_technical": StaffMember.Category.ONLINE_TECHNICAL,
}
EMPLOYMENT_WORDS = {
    "专职": StaffMember.Employment.FULL_TIME,
    "full_time": StaffMember.Employment.FULL_TIME,
    "兼职": StaffMember.Employment.PART_TIME,
    "part_time": StaffMember.Employment.PART_TIME,
}


def parse_staff_lines(text: str) -> tuple[list[dict], list[str]]:
    """Parse pasted rows `姓名, 职称, 专业领域, 类别, 专职/兼职` (tab, comma or 、 separated)."""
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.replace("\t", ",").replace("，", ",").replace("、", ",").split(",")
        parts = [p.strip() for p in parts]
        if len(parts) != 5 or not all(parts):
            errors.append(_("第 %(n)d 行：应为“姓名, 职称, 专业领域, 类别, 专职/兼职”五项。") % {"n": number})
            continue
        name, title, field, category, employment = parts
        cat = STAFF_CATEGORY_WORDS.get(category)
        emp = EMPLOYMENT_WORDS.get(employment)
        if cat is None:
            errors.append(_("第 %(n)d 行：类别应为“教师”“政策研究”或“技术人员”。") % {"n": number})
            continue
        if emp is None:
            errors.append(_("第 %(n)d 行：应填写“专职”或“兼职”。") % {"n": number})
            continue
        rows.append(
            {"name": name[:60], "title": title[:60], "field": field[:100], "category": cat, "employment": emp}
        )
    return rows, errors


def staff_add(*, actor, application: Application, people: list[dict]) -> list[StaffMember]:
    """Add people to the staff list; all rows are valid or none is saved."""
    errors = []
    for i, p in enumerate(people, start=1):
        if not all((p.get(k) or "").strip() for k in ("name", "title", "field")):
            errors.append(_("第 %(n)d 人：姓名、职称、专业领域均须填写。") % {"n": i})
        if (
            p.get("category") not in StaffMember.Category.values
            or p.get("employment") not in StaffMember.Employment.values
        ):
            errors.append(_("第 %(n)d 人：类别或专兼职无效。") % {"n": i})
    if errors:
        raise InvalidInput(_("师资名单有误，未保存任何人员。"), field_errors={"staff": errors})
    with transaction.atomic():
        app = _lock_editable(actor, application)
        created = StaffMember.objects.bulk_create(
            [
                StaffMember(
                    application=app, **{k: p[k] for k in ("name", "title", "field", "category", "employment")}
                )
                for p in people
            ]
        )
        audit_record(
            actor=actor,
            action="application.staff_added",
            obj=app,
            organization=app.institution,
            comment=str(len(created)),
        )
    return created


def staff_remove(*, actor, application: Application, staff_ids: list[int]) -> int:
    with transaction.atomic():
        app = _lock_editable(actor, application)
        deleted, _detail = StaffMember.objects.filter(application=app, pk__in=staff_ids).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="application.staff_removed",
                obj=app,
                organization=app.institution,
                comment=str(deleted),
            )
    return deleted


def staff_replace(*, actor, application: Application, people: list[dict]) -> None:
    """Replace the whole staff list (the API's PUT semantics)."""
    with transaction.atomic():
        app = _lock_editable(actor, application)
        StaffMember.objects.filter(application=app).delete()
        if people:
            staff_add(actor=actor, application=app, people=people)


APPLICANT_KINDS = {k.value for k in AttachmentKind} - {
    AttachmentKind.SITE_VISIT,
    AttachmentKind.OBJECTION_EVIDENCE,
}
SINGLE_KINDS = {k.value for k in AttachmentKind if k.value.startswith("rule_")} | {
    AttachmentKind.QUALIFICATION
}


def _store(application, kind, upload, actor) -> Attachment:
    checked = check_upload(upload)
    return Attachment.objects.create(
        application=application,
        kind=kind,
        file=upload,
        original_name=(upload.name or "")[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )


def attachment_upload(*, actor, application: Application, kind: str, upload) -> Attachment:
    """Attach a document to the applicant's draft. A rule or qualification document replaces the previous one."""
    if kind not in APPLICANT_KINDS:
        raise InvalidInput(_("材料类别无效。"), field_errors={"kind": [_("材料类别无效。")]})
    check_upload(upload)  # before the lock: a bad file changes nothing
    with transaction.atomic():
        app = _lock_editable(actor, application)
        if kind in SINGLE_KINDS:
            app.attachments.filter(kind=kind, is_current=True).update(is_current=False)
        attachment = _store(app, kind, upload, actor)
        audit_record(
            actor=actor,
            action="application.attachment_uploaded",
            obj=app,
            organization=app.institution,
            comment=f"{kind}: {attachment.original_name}",
        )
    return attachment


def attachment_remove(*, actor, application: Application, attachment_id: int) -> None:
    with transaction.atomic():
        app = _lock_editable(actor, application)
        changed = app.attachments.filter(pk=attachment_id, is_current=True).update(is_current=False)
        if not changed:
            raise NotVisible(_("未找到该材料。"))
        audit_record(
            actor=actor,
            action="application.attachment_removed",
            obj=app,
            organization=app.institution,
            comment=str(attachment_id),
        )


# --- experts --------------------------------------------------------------------------------------------


def expert_assign(*, actor, application: Application, experts: list, due_on=None) -> list[ExpertAssignment]:
    """Assign experts of the expert pool to an application in expert review. An expert who belongs to the
    applying institution has a conflict of interest and cannot be assigned."""
    from .selectors import visible_to

    with transaction.atomic():
        app = (
            visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("batch")
            .filter(pk=application.pk)
            .first()
        )
        if app is None:
            raise NotVisible(_("未找到该申报。"))
        if not is_reviewer(actor, app):
            raise PermissionRefused(_("只有认定部门的审核员可以选派专家。"))
        if app.state != Application.State.EXPERT_REVIEW:
            raise WrongState(_("只有处于专家评审阶段的申报可以选派专家。"))
        errors = []
        created = []
        for expert in experts:
            if not Membership.objects.filter(
                user=expert, role=Role.EXPERT, organization__kind="expert_pool"
            ).exists():
                errors.append(_("%(u)s 不是专家库成员。") % {"u": expert})
            elif Membership.objects.filter(user=expert, organization=app.institution).exists():
                errors.append(_("%(u)s 与申报单位存在利益关系（同一单位），须回避。") % {"u": expert})
            elif app.assignments.filter(expert=expert).exists():
                errors.append(_("%(u)s 已被选派。") % {"u": expert})
        if errors:
            raise InvalidInput(_("选派失败，未选派任何专家。"), field_errors={"experts": errors})
        due_on = due_on or (timezone.localdate() + timedelta(days=14))
        for expert in experts:
            assignment = ExpertAssignment.objects.create(
                application=app, expert=expert, assigned_by=actor, due_on=due_on
            )
            created.append(assignment)
            audit_record(
                actor=actor,
                action="application.expert_assigned",
                obj=app,
                organization=app.batch.approving_authority,
                comment=expert.get_username(),
            )
        from django.urls import reverse

        for assignment in created:
            notify(
                users=[assignment.expert],
                kind="application.expert_assigned",
                title=_("新的评审任务：%(name)s") % {"name": app.base_name},
                body=_("请于 %(d)s 前完成利益冲突声明和评分。") % {"d": due_on},
                url=reverse("applications:assignment", args=[assignment.pk]),
            )
    return created


def _lock_assignment(actor, assignment_id) -> ExpertAssignment:
    assignment = (
        ExpertAssignment.objects.select_for_update(of=("self",))
        .select_related("application__batch", "application__institution")
        .filter(pk=assignment_id, expert=actor)
        .first()
    )
    if assignment is None:
        raise NotVisible(_("未找到该评审任务。"))
    if assignment.application.state != Application.State.EXPERT_REVIEW:
        raise WrongState(_("该申报已不在专家评审阶段。"))
    return assignment


def assignment_declare(*, actor, assignment_id: int, has_conflict: bool, note: str = "") -> ExpertAssignment:
    """The expert declares whether they have a conflict of interest before seeing the scoring form."""
    with transaction.atomic():
        a = _lock_assignment(actor, assignment_id)
        if a.status != ExpertAssignment.Status.ASSIGNED:
            raise WrongState(_("已作出声明。"))
        if has_conflict and not note.strip():
            raise InvalidInput(_("请说明回避原因。"), field_errors={"note": [_("请说明回避原因。")]})
        a.status = ExpertAssignment.Status.CONFLICT if has_conflict else ExpertAssignment.Status.ACCEPTED
        a.conflict_note = note.strip()
        a.declared_at = timezone.now()
        a.save(update_fields=["status", "conflict_note", "declared_at"])
        audit_record(
            actor=actor,
            action="expert.conflict_declared" if has_conflict else "expert.no_conflict_declared",
            obj=a.application,
            organization=a.application.batch.approving_authority,
            from_state="assigned",
            to_state=a.status,
            comment=a.conflict_note,
        )
        if has_conflict:
            from django.urls import reverse

            notify(
                users=list(reviewers(a.application)),
                kind="application.expert_conflict",
                title=_("专家申请回避：%(name)s") % {"name": a.application.base_name},
                body=a.conflict_note,
                url=reverse("applications:detail", args=[a.application_id]),
            )
    return a


def assignment_submit_scores(*, actor, assignment_id: int, scores: dict, comment: str) -> ExpertAssignment:
    """Score every item of the batch's rubric within its maximum; a submitted score sheet is final."""
    with transaction.atomic():
        a = _lock_assignment(actor, assignment_id)
        if a.status == ExpertAssignment.Status.SUBMITTED:
            raise WrongState(_("评分已提交，不能修改。"))
        if a.status != ExpertAssignment.Status.ACCEPTED:
            raise WrongState(_("请先声明无利益冲突。"))
        errors = {}
        clean = {}
        for item in a.application.batch.rubric:
            raw = scores.get(item["key"])
            try:
                value = Decimal(str(raw))
            except Exception:  # noqa: BLE001
                errors[item["key"]] = [_("请填写分数。")]
                continue
            if value < 0 or value > int(item["max"]) or (value * 2) % 1 != 0:
                errors[item["key"]] = [_("分数应在 0 至 %(m)s 之间，最小单位 0.5。") % {"m": item["max"]}]
                continue
            clean[item["key"]] = str(value)
        if not comment.strip():
            errors["comment"] = [_("请填写评审意见。")]
        if errors:
            raise InvalidInput(_("评分有误，请按提示修改。"), field_errors=errors)
        a.scores = clean
        a.total = sum(Decimal(v) for v in clean.values())
        a.comment = comment.strip()
        a.status = ExpertAssignment.Status.SUBMITTED
        a.submitted_at = timezone.now()
        a.save(update_fields=["scores", "total", "comment", "status", "submitted_at"])
        audit_record(
            actor=actor,
            action="expert.scores_submitted",
            obj=a.application,
            organization=a.application.batch.approving_authority,
            from_state="accepted",
            to_state="submitted",
            comment=str(a.total),
        )
    return a


# --- site visit and objections --------------------------------------------------------------------------


def site_visit_record(
    *, actor, application, visit_date, members: str, findings: str, passed: bool, uploads=()
) -> SiteVisit:
    from .selectors import visible_to

    for upload in uploads:
        check_upload(upload)
    with transaction.atomic():
        app = (
            visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("batch")
            .filter(pk=application.pk)
            .first()
        )
        if app is None:
            raise NotVisible(_("未找到该申报。"))
        if not is_reviewer(actor, app):
            raise PermissionRefused(_("只有认定部门的审核员可以录入考察结果。"))
        if app.state != Application.State.SITE_VISIT:
            raise WrongState(_("只有处于实地考察阶段的申报可以录入考察结果。"))
        if visit_date > timezone.localdate():
            raise InvalidInput(
                _("考察日期不能晚于今天。"), field_errors={"visit_date": [_("考察日期不能晚于今天。")]}
            )
        visit = SiteVisit.objects.create(
            application=app,
            visit_date=visit_date,
            members=members,
            findings=findings,
            passed=passed,
            recorded_by=actor,
        )
        for upload in uploads:
            _store(app, AttachmentKind.SITE_VISIT, upload, actor)
        audit_record(
            actor=actor,
            action="application.site_visit_recorded",
            obj=app,
            organization=app.batch.approving_authority,
            comment=("passed" if passed else "failed") + f" {visit_date}",
        )
    return visit


def objection_lodge(
    *, application, name: str, phone: str, content: str, evidence=None, ip_address=None
) -> Objection:
    """Anyone may object during the publicity period, with name and phone (no anonymous objections)."""
    errors = {}
    if not name.strip():
        errors["name"] = [_("请填写姓名。")]
    digits = "".join(ch for ch in phone if ch.isdigit())
    if not 7 <= len(digits) <= 15:
        errors["phone"] = [_("请填写有效的联系电话。")]
    if len(content.strip()) < 10:
        errors["content"] = [_("请具体说明异议内容（不少于 10 个字）。")]
    if errors:
        raise InvalidInput(_("异议信息不完整。"), field_errors=errors)
    if evidence is not None:
        check_upload(evidence)
    with transaction.atomic():
        app = Application.objects.select_for_update().select_related("batch").get(pk=application.pk)
        today = timezone.localdate()
        if (
            app.state != Application.State.PUBLICITY
            or app.publicity_ends_on is None
            or today > app.publicity_ends_on
        ):
            raise WrongState(_("该公示已结束，不再受理异议。"))
        hour_ago = timezone.now() - timedelta(hours=1)
        recent = Objection.objects.filter(lodged_at__gte=hour_ago)
        if (
            ip_address and recent.filter(ip_address=ip_address).count() >= OBJECTION_RATE_LIMIT
        ) or recent.filter(phone=phone.strip()).count() >= OBJECTION_RATE_LIMIT:
            raise PermissionRefused(_("提交过于频繁，请一小时后再试。"))
        attachment = (
            _store(app, AttachmentKind.OBJECTION_EVIDENCE, evidence, None) if evidence is not None else None
        )
        objection = Objection.objects.create(
            application=app,
            name=name.strip(),
            phone=phone.strip(),
            content=content.strip(),
            evidence=attachment,
            ip_address=ip_address,
        )
        # The objector's identity stays out of the audit comment: it is visible to the authority only.
        audit_record(
            actor=None,
            action="application.objection_lodged",
            obj=app,
            organization=app.batch.approving_authority,
            comment=f"objection #{objection.pk}",
            ip_address=ip_address,
        )
        from django.urls import reverse

        notify(
            users=list(reviewers(app)),
            kind="application.objection_lodged",
            title=_("公示收到异议：%(name)s") % {"name": app.base_name},
            body=_("请在公布前处理该异议。"),
            url=reverse("applications:detail", args=[app.pk]),
        )
    return objection


def objection_resolve(*, actor, objection_id: int, upheld: bool, outcome: str) -> Objection:
    """The approving authority resolves an objection with a recorded outcome."""
    from .selectors import visible_to

    if not outcome.strip():
        raise InvalidInput(_("请填写处理结果。"), field_errors={"outcome": [_("请填写处理结果。")]})
    with transaction.atomic():
        objection = Objection.objects.select_for_update().filter(pk=objection_id).first()
        if objection is None or not visible_to(actor).filter(pk=objection.application_id).exists():
            raise NotVisible(_("未找到该异议。"))
        app = objection.application
        if not (
            is_reviewer(actor, app)
            or actor_for(actor).has_role(Role.AUTHORITY_APPROVER, app.batch.approving_authority_id)
        ):
            raise PermissionRefused(_("只有认定部门可以处理异议。"))
        if objection.status != Objection.Status.OPEN:
            raise WrongState(_("该异议已处理。"))
        objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
        objection.outcome = outcome.strip()
        objection.resolved_by = actor
        objection.resolved_at = timezone.now()
        objection.save(update_fields=["status", "outcome", "resolved_by", "resolved_at"])
        audit_record(
            actor=actor,
            action="application.objection_resolved",
            obj=app,
            organization=app.batch.approving_authority,
            from_state="open",
            to_state=objection.status,
            comment=objection.outcome,
        )
    return objection
