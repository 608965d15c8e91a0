"""Expert review and the site visit: assign experts, their own pages, record the visit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.jurisdiction import actor_for
from kit.ints import required_int
from kit.pages import found_or_404, render_list, show_form_errors, showing_refusal

from .. import selectors, services
from ..forms import DeclarationForm, ExpertAssignForm, ExpertDrawForm, ScoreForm, SiteVisitForm
from ..models import AttachmentKind, ExpertAssignment
from ..rules import article8_checklist, staff_counts
from .common import application_or_404


@login_required
@require_POST
def expert_assign(request, pk):
    app = application_or_404(request, pk)
    form = ExpertAssignForm(request.POST, application=app)
    if form.is_valid():
        with showing_refusal(request):
            created = services.expert_assign(
                actor=request.user,
                application=app,
                experts=list(form.cleaned_data["experts"]),
                reason=form.cleaned_data["reason"],
                due_on=form.cleaned_data["due_on"],
            )
            messages.success(request, _("已选派 %(n)d 位专家。") % {"n": len(created)})
    else:
        show_form_errors(request, form)
    return redirect("applications:detail", pk=app.pk)


@login_required
@require_POST
def expert_draw(request, pk):
    """Draw experts at random (or, with `replace`, replace a recused expert by one further draw)."""
    app = application_or_404(request, pk)
    form = ExpertDrawForm(request.POST)
    replace = request.POST.get("replace", "")
    if replace:
        with showing_refusal(request):
            draw = services.expert_replace(
                actor=request.user, assignment_id=required_int(replace, _("评审任务无效。")), seed=None
            )
            messages.success(
                request, _("已重新抽取 1 位专家替换回避的专家（随机种子 %(s)d）。") % {"s": draw.seed}
            )
    elif form.is_valid():
        with showing_refusal(request):
            draw = services.expert_draw(
                actor=request.user,
                application=app,
                count=form.cleaned_data["count"],
                seed=form.cleaned_data["seed"],
                due_on=form.cleaned_data["due_on"],
            )
            messages.success(
                request,
                _("已随机抽取 %(n)d 位专家（随机种子 %(s)d）。") % {"n": len(draw.drawn), "s": draw.seed},
            )
    else:
        show_form_errors(request, form)
    return redirect("applications:detail", pk=app.pk)


@login_required
def expert_assignments(request):
    if not actor_for(request.user).is_expert:
        raise Http404
    return render_list(
        request,
        "applications/expert_assignments.html",
        selectors.expert_assignment_list(user=request.user),
        active_nav="expert",
    )


@login_required
def assignment_detail(request, pk):
    assignment = found_or_404(selectors.assignment_for_expert(user=request.user, pk=pk))
    app = assignment.application
    declaration_form = DeclarationForm(request.POST if request.POST.get("form") == "declare" else None)
    score_form = ScoreForm(
        request.POST if request.POST.get("form") == "score" else None, rubric=app.batch.rubric
    )
    if request.method == "POST" and _assignment_post(request, assignment, declaration_form, score_form):
        return redirect("applications:assignment", pk=assignment.pk)
    context = {
        "assignment": assignment,
        "app": app,
        "declaration_form": declaration_form,
        "score_form": score_form,
        "active_nav": "expert",
        # An expert who declared a conflict sees their declaration and nothing more of the application.
        **({} if assignment.status in ExpertAssignment.NOT_SERVING else _application_context(assignment)),
    }
    return render(request, "applications/assignment_detail.html", context)


def _application_context(assignment) -> dict:
    """What an expert without a conflict reads of the application they score."""
    app = assignment.application
    return {
        "checklist": article8_checklist(app),
        "counts": staff_counts(app),
        "peers": selectors.peer_scores_for_expert(assignment),
        "attachments": [
            a
            for a in app.attachments.all()
            if a.is_current and a.kind not in (AttachmentKind.OBJECTION_EVIDENCE, AttachmentKind.SITE_VISIT)
        ],
    }


def _assignment_post(request, assignment, declaration_form, score_form) -> bool:
    """File the conflict declaration or the scores, whichever form was posted; return whether it was saved."""
    if request.POST.get("form") == "declare" and declaration_form.is_valid():
        with showing_refusal(request, declaration_form):
            services.assignment_declare(
                actor=request.user,
                assignment_id=assignment.pk,
                has_conflict=declaration_form.cleaned_data["has_conflict"] == "1",
                declines=declaration_form.cleaned_data["has_conflict"] == "2",
                note=declaration_form.cleaned_data["note"],
            )
            messages.success(request, _("已提交声明。"))
            return True
    if request.POST.get("form") == "score" and score_form.is_valid():
        with showing_refusal(request, score_form):
            services.assignment_submit_scores(
                actor=request.user,
                assignment_id=assignment.pk,
                scores=score_form.scores(),
                comment=score_form.cleaned_data["comment"],
            )
            messages.success(request, _("评分已提交。"))
            return True
    return False


@login_required
@require_POST
def site_visit_record(request, pk):
    app = application_or_404(request, pk)
    form = SiteVisitForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        with showing_refusal(request):
            services.site_visit_record(
                actor=request.user,
                application=app,
                visit_date=data["visit_date"],
                members=data["members"],
                findings=data["findings"],
                passed=data["passed"],
                uploads=[data["files"]] if data.get("files") else [],
            )
            messages.success(request, _("已录入实地考察结果。"))
    else:
        show_form_errors(request, form)
    return redirect("applications:detail", pk=app.pk)
