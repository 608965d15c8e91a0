"""Pages of the recognition workflow. Thin: parse, fetch through a selector, call one service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.jurisdiction import actor_for
from accounts.models import Organization
from kit.errors import DomainError
from kit.forms_errors import apply_domain_error
from kit.ints import safe_int
from kit.pagination import paginate

from . import selectors, services, workflow
from .excel import application_workbook_response
from .forms import (
    ApplicationFilterForm,
    AttachmentForm,
    BatchForm,
    CreditStepForm,
    DeclarationForm,
    ExpertAssignForm,
    InstitutionStepForm,
    ManagementStepForm,
    ObjectionResolveForm,
    ResourcesStepForm,
    ReturnForm,
    ScaleStepForm,
    ScoreForm,
    SiteVisitForm,
    StaffMemberForm,
    StaffPasteForm,
)
from .models import RULE_KINDS, Attachment, AttachmentKind, ExpertAssignment
from .permissions import can_edit_application, can_manage_batches, is_applicant, is_approver, is_reviewer
from .rules import article8_checklist, bar_reason, staff_counts
from .snapshot import diff_snapshots

STEPS = [
    ("institution", _("机构基本情况"), InstitutionStepForm),
    ("staff", _("师资队伍"), None),
    ("management", _("管理机构与制度"), ManagementStepForm),
    ("resources", _("设施与远程教育"), ResourcesStepForm),
    ("scale", _("培训规模"), ScaleStepForm),
    ("credit", _("社会信用"), CreditStepForm),
    ("review", _("核对与提交"), None),
]
STEP_KEYS = [s[0] for s in STEPS]


def _get_app(request, pk):
    app = selectors.application_detail(user=request.user, pk=pk)
    if app is None:
        raise Http404
    return app


# --- lists ----------------------------------------------------------------------------------------------


@login_required
def application_list(request):
    form = ApplicationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = paginate(request, selectors.application_list(user=request.user, filters=filters), per_page=20)
    return render(
        request,
        "applications/application_list.html",
        {"page": page, "form": form, "active_nav": "applications"},
    )


@login_required
def batch_list(request):
    actor = actor_for(request.user)
    batches = selectors.batch_list(user=request.user)
    authorities = Organization.objects.filter(pk__in=actor.authority_ids)
    can_create = any(can_manage_batches(request.user, a) for a in authorities)
    institutions = Organization.objects.filter(pk__in=actor.institution_ids, kind="institution")
    barred = {inst.pk: bar_reason(inst) for inst in institutions}
    return render(
        request,
        "applications/batch_list.html",
        {
            "page": paginate(request, batches, per_page=20),
            "can_create": can_create,
            "institutions": institutions,
            "barred": barred,
            "active_nav": "batches",
        },
    )


@login_required
def batch_create(request):
    actor = actor_for(request.user)
    authorities = Organization.objects.filter(pk__in=list(actor.authority_ids))
    authorities = authorities.filter(
        pk__in=[a.pk for a in authorities if can_manage_batches(request.user, a)]
    )
    if not authorities.exists():
        raise Http404
    form = BatchForm(request.POST or None, authorities=authorities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            batch = services.batch_create(
                actor=request.user,
                authority=data["authority"],
                title=data["title"],
                description=data["description"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                requires_recommendation=data["requires_recommendation"],
                publicity_working_days=data["publicity_working_days"],
            )
        except DomainError as exc:
            apply_domain_error(request, exc, form)
        else:
            messages.success(request, _("已创建申报批次“%(t)s”。") % {"t": batch.title})
            return redirect("applications:batches")
    return render(request, "applications/batch_form.html", {"form": form, "active_nav": "batches"})


@login_required
@require_POST
def application_start(request, batch_id):
    batch = selectors.batch_detail(user=request.user, pk=batch_id)
    actor = actor_for(request.user)
    institution = Organization.objects.filter(
        pk__in=actor.institution_ids, pk=request.POST.get("institution")
    ).first()
    if batch is None or institution is None:
        raise Http404
    try:
        app = services.application_create(actor=request.user, batch=batch, institution=institution)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("applications:batches")
    messages.success(request, _("已创建申报草稿，每一步都会自动保存，可随时继续填写。"))
    return redirect("applications:edit", pk=app.pk, step="institution")


# --- the application ------------------------------------------------------------------------------------


@login_required
def application_detail(request, pk):
    app = _get_app(request, pk)
    user = request.user
    authority_view = is_reviewer(user, app) or is_approver(user, app) or actor_for(user).is_provincial
    assignments, average = selectors.assignments_for_authority(app) if authority_view else ([], None)
    context = {
        "app": app,
        "checklist": article8_checklist(app),
        "counts": staff_counts(app),
        "actions": workflow.action_states(app, user),
        "can_edit": can_edit_application(user, app),
        "is_applicant": is_applicant(user, app),
        "is_reviewer": is_reviewer(user, app),
        "authority_view": authority_view,
        "assignments": assignments,
        "average": average,
        "assign_form": ExpertAssignForm(application=app)
        if is_reviewer(user, app) and app.state == "expert_review"
        else None,
        "site_visit_form": SiteVisitForm() if is_reviewer(user, app) and app.state == "site_visit" else None,
        "site_visits": app.site_visits.all(),
        "objections": app.objections.select_related("evidence") if authority_view else [],
        "resolve_form": ObjectionResolveForm(),
        "return_form": ReturnForm(),
        "comments": app.section_comments.all(),
        "decisions": app.decisions.select_related("decided_by"),
        "history": selectors.history(app) if (authority_view or is_applicant(user, app)) else [],
        "attachments": [
            a for a in app.attachments.all() if a.is_current and a.kind != AttachmentKind.OBJECTION_EVIDENCE
        ],
        "active_nav": "applications",
    }
    return render(request, "applications/application_detail.html", context)


@login_required
def application_edit(request, pk, step):
    app = _get_app(request, pk)
    if step not in STEP_KEYS:
        raise Http404
    if not can_edit_application(request.user, app):
        messages.error(request, _("申报当前状态为“%(s)s”，不能修改。") % {"s": app.get_state_display()})
        return redirect("applications:detail", pk=app.pk)
    index = STEP_KEYS.index(step)
    form_class = STEPS[index][2]
    form = form_class(request.POST or None, instance=app) if form_class else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = (
            form.section_data()
            if hasattr(form, "section_data")
            else {k: form.cleaned_data[k] for k in form.Meta.fields if k in form.cleaned_data}
        )
        try:
            services.application_update(actor=request.user, application=app, section=step, data=data)
        except DomainError as exc:
            apply_domain_error(request, exc, form)
        else:
            messages.success(request, _("已保存。"))
            target = STEP_KEYS[index + 1] if "next" in request.POST and index + 1 < len(STEP_KEYS) else step
            return redirect("applications:edit", pk=app.pk, step=target)
    app = _get_app(request, pk)
    context = {
        "app": app,
        "step": step,
        "steps": STEPS,
        "index": index,
        "form": form,
        "comments": [c for c in app.section_comments.all() if c.version == app.version and c.section == step],
        "active_nav": "applications",
    }
    if step == "staff":
        context.update(
            staff=app.staff.all(),
            counts=staff_counts(app),
            one_form=StaffMemberForm(prefix="one"),
            paste_form=StaffPasteForm(prefix="paste"),
        )
    if step in ("management", "credit", "institution"):
        kinds = {
            "management": RULE_KINDS,
            "credit": [AttachmentKind.CREDIT_EVIDENCE],
            "institution": [AttachmentKind.QUALIFICATION],
        }[step]
        current = {a.kind: a for a in app.attachments.all() if a.is_current}
        context["documents"] = [(k, current.get(k)) for k in kinds]
        context["upload_form"] = AttachmentForm()
    if step == "review":
        context["checklist"] = article8_checklist(app)
        context["bar"] = bar_reason(app.institution)
        context["batch_open"] = app.batch.is_open()
        context["actions"] = [
            (t, why) for t, why in workflow.action_states(app, request.user) if t.action == "submit"
        ]
        context["other_docs"] = [
            a for a in app.attachments.all() if a.is_current and a.kind == AttachmentKind.OTHER
        ]
    return render(request, "applications/application_edit.html", context)


@login_required
@require_POST
def staff_add(request, pk):
    app = _get_app(request, pk)
    if "paste-lines" in request.POST:
        rows, errors = services.parse_staff_lines(request.POST.get("paste-lines", ""))
        if errors:
            for e in errors:
                messages.error(request, e)
            messages.error(request, _("名单有误，未添加任何人员。"))
            return redirect("applications:edit", pk=app.pk, step="staff")
    else:
        form = StaffMemberForm(request.POST, prefix="one")
        if not form.is_valid():
            for field_errors in form.errors.values():
                for e in field_errors:
                    messages.error(request, e)
            return redirect("applications:edit", pk=app.pk, step="staff")
        rows = [form.cleaned_data]
    try:
        services.staff_add(actor=request.user, application=app, people=rows)
    except DomainError as exc:
        apply_domain_error(request, exc)
    else:
        messages.success(request, _("已添加 %(n)d 人。") % {"n": len(rows)})
    return redirect("applications:edit", pk=app.pk, step="staff")


@login_required
@require_POST
def staff_remove(request, pk):
    app = _get_app(request, pk)
    ids = [i for i in (safe_int(v) for v in request.POST.getlist("staff")) if i is not None]
    try:
        removed = services.staff_remove(actor=request.user, application=app, staff_ids=ids)
    except DomainError as exc:
        apply_domain_error(request, exc)
    else:
        messages.success(request, _("已删除 %(n)d 人。") % {"n": removed})
    return redirect("applications:edit", pk=app.pk, step="staff")


@login_required
@require_POST
def attachment_upload(request, pk):
    app = _get_app(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    step = request.POST.get("step") if request.POST.get("step") in STEP_KEYS else "review"
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    else:
        try:
            services.attachment_upload(
                actor=request.user,
                application=app,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except DomainError as exc:
            apply_domain_error(request, exc)
        else:
            messages.success(request, _("已上传“%(n)s”。") % {"n": form.cleaned_data["file"].name})
    return redirect("applications:edit", pk=app.pk, step=step)


@login_required
@require_POST
def attachment_remove(request, pk, attachment_id):
    app = _get_app(request, pk)
    step = request.POST.get("step") if request.POST.get("step") in STEP_KEYS else "review"
    try:
        services.attachment_remove(actor=request.user, application=app, attachment_id=attachment_id)
    except DomainError as exc:
        apply_domain_error(request, exc)
    else:
        messages.success(request, _("已删除该材料。"))
    return redirect("applications:edit", pk=app.pk, step=step)


@login_required
def attachment_download(request, attachment_id):
    """Serve a stored document only to people who may see its application (objection evidence: authority only)."""
    attachment = get_object_or_404(Attachment, pk=attachment_id)
    app = (
        selectors.visible_to(request.user)
        .filter(pk=attachment.application_id)
        .select_related("batch")
        .first()
    )
    if app is None:
        raise Http404
    if attachment.kind == AttachmentKind.OBJECTION_EVIDENCE and not (
        is_reviewer(request.user, app)
        or is_approver(request.user, app)
        or actor_for(request.user).is_provincial
    ):
        raise Http404
    if (
        actor_for(request.user).is_expert
        and not (is_applicant(request.user, app) or is_reviewer(request.user, app))
        and attachment.kind in (AttachmentKind.SITE_VISIT, AttachmentKind.OBJECTION_EVIDENCE)
    ):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def application_transition(request, pk):
    app = _get_app(request, pk)
    action = request.POST.get("action", "")
    data = {}
    if action == "return":
        form = ReturnForm(request.POST)
        form.is_valid()
        data["section_comments"] = form.section_comments()
    try:
        workflow.transition(app, action, request.user, comment=request.POST.get("comment", ""), **data)
    except DomainError as exc:
        messages.error(request, exc.message)
        for reason in getattr(exc, "reasons", []):
            messages.error(request, reason)
        for field, errors in exc.field_errors.items():
            if field not in ("unmet",):
                for e in errors if isinstance(errors, list) else [errors]:
                    messages.error(request, e)
        if action == "submit":
            return redirect("applications:edit", pk=app.pk, step="review")
    else:
        spec = workflow.TRANSITIONS[action]
        messages.success(request, _("已完成：%(a)s。") % {"a": spec.label})
    return redirect("applications:detail", pk=app.pk)


@login_required
def application_excel(request, pk):
    app = _get_app(request, pk)
    return application_workbook_response(app)


@login_required
def version_detail(request, pk, number):
    app = _get_app(request, pk)
    version = get_object_or_404(app.versions, number=number)
    previous = app.versions.filter(number=number - 1).first()
    changes = diff_snapshots(previous.data, version.data) if previous else None
    return render(
        request,
        "applications/version_detail.html",
        {
            "app": app,
            "version": version,
            "previous": previous,
            "changes": changes,
            "active_nav": "applications",
        },
    )


# --- experts, site visit, objections --------------------------------------------------------------------


@login_required
@require_POST
def expert_assign(request, pk):
    app = _get_app(request, pk)
    form = ExpertAssignForm(request.POST, application=app)
    if form.is_valid():
        try:
            created = services.expert_assign(
                actor=request.user,
                application=app,
                experts=list(form.cleaned_data["experts"]),
                due_on=form.cleaned_data["due_on"],
            )
        except DomainError as exc:
            apply_domain_error(request, exc)
        else:
            messages.success(request, _("已选派 %(n)d 位专家。") % {"n": len(created)})
    else:
        messages.error(request, _("请选择专家。"))
    return redirect("applications:detail", pk=app.pk)


@login_required
def expert_assignments(request):
    if not actor_for(request.user).is_expert:
        raise Http404
    page = paginate(request, selectors.expert_assignment_list(user=request.user), per_page=20)
    return render(request, "applications/expert_assignments.html", {"page": page, "active_nav": "expert"})


@login_required
def assignment_detail(request, pk):
    assignment = selectors.assignment_for_expert(user=request.user, pk=pk)
    if assignment is None:
        raise Http404
    app = assignment.application
    declaration_form = DeclarationForm(request.POST if request.POST.get("form") == "declare" else None)
    score_form = ScoreForm(
        request.POST if request.POST.get("form") == "score" else None, rubric=app.batch.rubric
    )
    if request.method == "POST":
        try:
            if request.POST.get("form") == "declare" and declaration_form.is_valid():
                services.assignment_declare(
                    actor=request.user,
                    assignment_id=assignment.pk,
                    has_conflict=declaration_form.cleaned_data["has_conflict"],
                    note=declaration_form.cleaned_data["note"],
                )
                messages.success(request, _("已提交声明。"))
                return redirect("applications:assignment", pk=assignment.pk)
            if request.POST.get("form") == "score" and score_form.is_valid():
                services.assignment_submit_scores(
                    actor=request.user,
                    assignment_id=assignment.pk,
                    scores=score_form.scores(),
                    comment=score_form.cleaned_data["comment"],
                )
                messages.success(request, _("评分已提交。"))
                return redirect("applications:assignment", pk=assignment.pk)
        except DomainError as exc:
            apply_domain_error(
                request, exc, score_form if request.POST.get("form") == "score" else declaration_form
            )
    context = {
        "assignment": assignment,
        "app": app,
        "checklist": article8_checklist(app) if assignment.status != ExpertAssignment.Status.CONFLICT else [],
        "counts": staff_counts(app),
        "declaration_form": declaration_form,
        "score_form": score_form,
        "peers": selectors.peer_scores_for_expert(assignment),
        "attachments": [
            a
            for a in app.attachments.all()
            if a.is_current and a.kind not in (AttachmentKind.OBJECTION_EVIDENCE, AttachmentKind.SITE_VISIT)
        ],
        "active_nav": "expert",
    }
    return render(request, "applications/assignment_detail.html", context)


@login_required
@require_POST
def site_visit_record(request, pk):
    app = _get_app(request, pk)
    form = SiteVisitForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.site_visit_record(
                actor=request.user,
                application=app,
                visit_date=data["visit_date"],
                members=data["members"],
                findings=data["findings"],
                passed=data["passed"],
                uploads=[data["files"]] if data.get("files") else [],
            )
        except DomainError as exc:
            apply_domain_error(request, exc)
        else:
            messages.success(request, _("已录入实地考察结果。"))
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("applications:detail", pk=app.pk)


@login_required
@require_POST
def objection_resolve(request, pk, objection_id):
    app = _get_app(request, pk)
    form = ObjectionResolveForm(request.POST)
    if form.is_valid():
        try:
            services.objection_resolve(
                actor=request.user,
                objection_id=objection_id,
                upheld=form.cleaned_data["upheld"],
                outcome=form.cleaned_data["outcome"],
            )
        except DomainError as exc:
            apply_domain_error(request, exc)
        else:
            messages.success(request, _("已处理该异议。"))
    else:
        messages.error(request, _("请选择处理结论并填写处理结果。"))
    return redirect(reverse("applications:detail", args=[app.pk]) + "#objections")
