"""Pages of inspections, assessments and rectifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.jurisdiction import actor_for
from accounts.models import Membership, Organization, Role, User
from bases.models import Base, MisconductReport
from bases.selectors import reports_visible_to
from kit.ints import required_int, safe_int
from kit.pages import (
    found_or_404,
    render_list,
    show_form_errors,
    showing_refusal,
    stored_file_response,
    transition_from_post,
)
from kit.pdf import pdf_response

from . import documents, rules, selectors, services, workflow
from .forms import AssessmentConfirmForm, ConfirmForm, ReplyForm, RoundForm, ScoreForm, SelfAssessmentForm
from .models import ITEMS, Assessment, Inspection, InspectionRound, Rating
from .permissions import is_base_staff, is_staff_of, reads_inspection_record


def _authority(user):
    actor = actor_for(user)
    ids = actor.orgs_with(Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
    return Organization.objects.filter(pk__in=ids).order_by("kind").first()


def _scope(authority):
    qs = Base.objects.not_revoked().order_by("name")
    return qs if authority.kind == "provincial_hr" else qs.filter(approving_authority=authority)


@login_required
def round_list(request):
    authority = _authority(request.user)
    if authority is None:
        raise Http404
    form = RoundForm(
        request.POST or None,
        scope=_scope(authority),
        initial={"year": timezone.localdate().year, "kind": "periodic"},
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        with showing_refusal(request, form):
            rnd = services.round_create(
                actor=request.user,
                authority=authority,
                kind=d["kind"],
                year=d["year"],
                title=d["title"],
                base_ids=[b.pk for b in d["bases"]],
                draw_size=d["draw_size"],
                qualified_min=d["qualified_min"],
                basic_min=d["basic_min"],
            )
            messages.success(request, _("已组织检查“%(t)s”。") % {"t": rnd.title})
            return redirect("inspections:round", pk=rnd.pk)
    return render_list(
        request,
        "inspections/round_list.html",
        selectors.rounds_visible_to(request.user).select_related("authority"),
        form=form,
        authority=authority,
        active_nav="inspections",
    )


@login_required
def round_detail(request, pk):
    rnd = found_or_404(
        selectors.rounds_visible_to(request.user).select_related("authority").filter(pk=pk).first()
    )
    verified = services.redraw(rnd) if rnd.draw_seed else None
    inspections = list(rnd.inspections.select_related("base"))
    drawn = sorted(i.base_id for i in inspections)
    unconfirmed = sum(1 for i in inspections if i.state != Inspection.State.CONFIRMED)
    # Offered once every conclusion is confirmed, as the service requires (it checks again when pressed).
    can_publish = is_staff_of(request.user, rnd.authority_id) and rnd.state == "open" and not unconfirmed
    return render(
        request,
        "inspections/round_detail.html",
        {
            "rnd": rnd,
            "inspections": inspections,
            "verified": verified,
            "draw_matches": verified == drawn if verified is not None else None,
            "can_publish": can_publish,
            "next_step": selectors.round_next_step(rnd, unconfirmed=unconfirmed),
            "actions": [_("公布检查结果")] if can_publish else [],
            "history": selectors.round_history(rnd),
            "active_nav": "inspections",
        },
    )


@login_required
@require_POST
def round_publish(request, pk):
    with showing_refusal(request, message_only=True):
        services.round_publish(actor=request.user, round_id=pk)
        messages.success(request, _("检查结果已公布。"))
    return redirect("inspections:round", pk=pk)


@login_required
def inspection_detail(request, pk):
    insp = found_or_404(
        selectors.inspections_visible_to(request.user)
        .select_related("round__authority", "base__institution", "confirmed_by", "report")
        .filter(pk=pk)
        .first()
    )
    available = workflow.INSPECTION.available(insp, request.user)
    score_form, confirm_form = _inspection_forms(request, insp, available)
    if request.method == "POST" and _inspection_post(request, insp, score_form, confirm_form):
        return redirect("inspections:inspection", pk=insp.pk)
    show_internal = reads_inspection_record(request.user, insp)
    can_self_assess = (
        insp.round.kind == InspectionRound.Kind.PERIODIC
        and insp.state == Inspection.State.PLANNED
        and is_base_staff(request.user, insp.base)
    )
    labels = dict(ITEMS)
    return render(
        request,
        "inspections/inspection_detail.html",
        {
            "insp": insp,
            "scores": [(labels[s.item], s) for s in insp.scores.all()],
            "facts": rules.known_facts(insp.base, insp.round.year) if show_internal else [],
            "item_labels": labels,
            "self_assessment": insp.round.self_assessments.filter(base=insp.base).first()
            if show_internal
            else None,
            "score_form": score_form,
            "confirm_form": confirm_form,
            # The same question the machine asks wherever this transition is offered (data-confirm).
            "confirm_prompt": workflow.INSPECTION.transition("confirm").confirm,
            "show_internal": show_internal,
            "can_self_assess": can_self_assess,
            "next_step": selectors.inspection_next_step(insp),
            "actions": available + ([_("提交自评")] if can_self_assess else []),
            "history": selectors.inspection_history(user=request.user, inspection=insp),
            "active_nav": "inspections",
        },
    )


def _inspection_forms(request, insp, available):
    """Return the scoring and the confirmation form, each None unless the machine offers it to this user now
    (`available`), so whoever recorded the result is not offered its confirmation either.

    The one the POST names in `form` is bound to it; the other stays unbound.
    """
    can_score = any(t.action == "score" for t in available)
    can_confirm = any(t.action == "confirm" for t in available)
    score_form = None
    if can_score:
        authority_staff = User.objects.filter(
            pk__in=Membership.objects.filter(
                organization=insp.round.authority,
                role__in=[Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER, Role.AUTHORITY_ADMIN],
            ).values("user_id")
        ).order_by("username")
        initial = {"inspected_on": insp.inspected_on or timezone.localdate(), "conclusion": insp.conclusion}
        for s in insp.scores.all():
            initial[f"score_{s.item}"], initial[f"notes_{s.item}"] = s.score, s.notes
        score_form = ScoreForm(
            request.POST if request.POST.get("form") == "score" else None,
            staff=authority_staff,
            initial=initial,
        )
    confirm_form = (
        ConfirmForm(request.POST if request.POST.get("form") == "confirm" else None) if can_confirm else None
    )
    return score_form, confirm_form


def _inspection_post(request, insp, score_form, confirm_form) -> bool:
    """Record the scores or confirm the conclusion, whichever form was posted; return whether it was saved."""
    if score_form is not None and request.POST.get("form") == "score" and score_form.is_valid():
        d = score_form.cleaned_data
        with showing_refusal(request, score_form):
            services.inspection_score(
                actor=request.user,
                inspection_id=insp.pk,
                inspected_on=d["inspected_on"],
                inspectors=list(d["inspectors"]),
                scores=score_form.scores(),
                notes=score_form.notes(),
                conclusion=d["conclusion"],
            )
            messages.success(request, _("已录入检查结果，待审批人确认。"))
            return True
    if confirm_form is not None and request.POST.get("form") == "confirm" and confirm_form.is_valid():
        with showing_refusal(request, confirm_form):
            services.inspection_confirm(
                actor=request.user, inspection_id=insp.pk, **confirm_form.cleaned_data
            )
            messages.success(request, _("已确认检查结论。"))
            return True
    return False


@login_required
def self_assessment(request, round_id, base_id):
    base = Base.objects.filter(pk=base_id).first()
    rnd = (
        selectors.inspections_visible_to(request.user)
        .filter(round_id=round_id, base_id=base_id)
        .select_related("round")
        .first()
    )
    if base is None or rnd is None or not is_base_staff(request.user, base):
        raise Http404
    existing = rnd.round.self_assessments.filter(base=base).first()
    initial = {f"score_{k}": v for k, v in (existing.scores if existing else {}).items()}
    form = SelfAssessmentForm(
        request.POST or None, initial={**initial, "notes": existing.notes if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        with showing_refusal(request, form):
            services.self_assessment_file(
                actor=request.user,
                rnd=rnd.round,
                base=base,
                scores={k: form.cleaned_data[f"score_{k}"] for k, _l in ITEMS},
                notes=form.cleaned_data["notes"],
            )
            messages.success(request, _("已提交自评。"))
            return redirect("inspections:inspection", pk=rnd.pk)
    return render(
        request,
        "inspections/self_assessment.html",
        {"form": form, "base": base, "rnd": rnd.round, "active_nav": "inspections"},
    )


@login_required
def rectification_list(request):
    rects = (
        selectors.rectifications_visible_to(request.user).select_related("base").order_by("state", "deadline")
    )
    return render_list(
        request, "inspections/rectification_list.html", rects, per_page=30, active_nav="rectifications"
    )


@login_required
def rectification_detail(request, pk):
    rect = found_or_404(
        selectors.rectifications_visible_to(request.user)
        .select_related(
            "base__institution", "base__approving_authority", "inspection__round", "assessment", "ordered_by"
        )
        .filter(pk=pk)
        .first()
    )
    actions = workflow.MACHINE.available(rect, request.user)
    reply_form = (
        ReplyForm(request.POST or None, request.FILES or None)
        if any(a.action == "reply" for a in actions)
        else None
    )
    if request.method == "POST" and reply_form is not None and reply_form.is_valid():
        with showing_refusal(request, reply_form):
            services.rectification_reply(
                actor=request.user,
                rectification_id=rect.pk,
                reply=reply_form.cleaned_data["reply"],
                evidence=reply_form.cleaned_data.get("evidence"),
            )
            messages.success(request, _("已报送整改情况。"))
            return redirect("inspections:rectification", pk=rect.pk)
    return render(
        request,
        "inspections/rectification_detail.html",
        {
            "rect": rect,
            "actions": actions,
            "next_step": selectors.rectification_next_step(rect),
            "history": selectors.rectification_history(rect),
            "reply_form": reply_form,
            "evidence": rect.evidence.all(),
            "overdue": timezone.localdate() > rect.deadline,
            "active_nav": "rectifications",
        },
    )


@login_required
def rectification_evidence(request, pk, evidence_id):
    """Serve a rectification's evidence to those who may see the rectification; 404 to everyone else."""
    evidence = found_or_404(
        selectors.rectification_evidence_for(user=request.user, rectification_id=pk, evidence_id=evidence_id)
    )
    return stored_file_response(
        evidence.file, filename=evidence.original_name, content_type=evidence.content_type
    )


@login_required
@require_POST
def rectification_transition(request, pk):
    transition_from_post(request, workflow.MACHINE, pk)
    return redirect("inspections:rectification", pk=pk)


@login_required
def assessment_list(request):
    authority = _authority(request.user)
    year = safe_int(request.GET.get("year"), timezone.localdate().year, lo=2000, hi=2100)
    assessments = selectors.assessments_visible_to(request.user).filter(year=year).select_related("base")
    if request.method == "POST" and authority is not None:
        _assessment_post(request, authority, year)
        return redirect(f"{request.path}?year={year}")
    return render(
        request,
        "inspections/assessment_list.html",
        {
            "assessments": assessments.order_by("base__name"),
            "year": year,
            "authority": authority,
            "ratings": Rating.choices,
            "can_confirm": authority is not None
            and is_staff_of(request.user, authority.pk, Role.AUTHORITY_APPROVER),
            "active_nav": "assessments",
        },
    )


def _assessment_post(request, authority, year) -> None:
    """Propose, publish or confirm the year's ratings, as the POST's `do` says; show the outcome."""
    with showing_refusal(request):
        if request.POST.get("do") == "propose":
            created = services.assessments_propose(actor=request.user, authority=authority, year=year)
            messages.success(request, _("已生成 %(n)d 个基地的建议等次。") % {"n": len(created)})
        elif request.POST.get("do") == "publish":
            services.assessments_publish(actor=request.user, authority=authority, year=year)
            messages.success(request, _("评估结果已公布。"))
        elif request.POST.get("do") == "confirm":
            form = AssessmentConfirmForm(request.POST)
            assessment_id = required_int(request.POST.get("assessment"), _("请选择要确认的评估。"), lo=1)
            if form.is_valid():
                services.assessment_confirm(
                    actor=request.user,
                    assessment_id=assessment_id,
                    **form.cleaned_data,
                )
                messages.success(request, _("已确认评估等次。"))
            else:
                show_form_errors(request, form)


def excellent_bases(request):
    """R-27: excellent bases, listed for priority in resource allocation (public)."""
    latest = (
        Assessment.objects.filter(state=Assessment.State.PUBLISHED, rating=Rating.EXCELLENT)
        .select_related("base__institution", "base__approving_authority")
        .order_by("-year", "base__name")
    )
    return render(request, "inspections/excellent.html", {"assessments": latest, "active_nav": "excellent"})


@login_required
@require_POST
def spot_check_from_report(request, report_id):
    """R-29: open a spot check of the reported base, linked to the report."""
    report = reports_visible_to(request.user).select_related("base").filter(pk=report_id).first()
    if report is None or report.status != MisconductReport.Status.SPOT_CHECK:
        raise Http404
    authority = Organization.objects.get(pk=report.base.approving_authority_id)
    with showing_refusal(request, message_only=True):
        rnd = services.round_create(
            actor=request.user,
            authority=authority,
            kind="spot_check",
            year=timezone.localdate().year,
            title=_("%(b)s 专项抽查") % {"b": report.base.name},
            base_ids=[report.base_id],
            report=report,
        )
        return redirect("inspections:inspection", pk=rnd.inspections.get().pk)
    return redirect("bases:report", pk=report.pk)


def inspection_report_pdf(request, pk):
    """Serve an inspection's report to those who see the inspection (as its page); 404 to anyone else."""
    insp = found_or_404(
        selectors.inspections_visible_to(request.user)
        .select_related("round__authority", "base__institution")
        .filter(pk=pk)
        .first()
    )
    pdf, filename = documents.inspection_report_pdf(insp)
    return pdf_response(pdf, filename=filename)


def assessment_report_pdf(request, pk):
    """Serve an assessment's report to those who see the assessment (as the assessment list); 404 otherwise."""
    assessment = found_or_404(
        selectors.assessments_visible_to(request.user)
        .select_related("base__institution", "base__approving_authority")
        .filter(pk=pk)
        .first()
    )
    pdf, filename = documents.assessment_report_pdf(assessment)
    return pdf_response(pdf, filename=filename)
