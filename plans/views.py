"""Pages of annual plans and training classes. Thin: parse, select, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.jurisdiction import actor_for
from kit.excel import excel_response
from kit.ints import required_int, safe_int
from kit.pages import found_or_404, render_list, showing_refusal, transition_from_post

from . import selectors, services, workflow
from .deadlines import deadline_date
from .forms import (
    ClassEvaluationForm,
    ClassProgressForm,
    PlanItemForm,
    PlanTextForm,
    TrainingClassForm,
    YearlyEvaluationForm,
)
from .models import AnnualPlan, PlanItem, PlanState, TrainingClass
from .permissions import is_base_staff


def _year(request, default):
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default


@login_required
def plan_list(request):
    today = timezone.localdate()
    my_bases = selectors.actor_bases(request.user)
    plans = (
        selectors.plans_visible_to(request.user)
        .select_related("base", "amends")
        .order_by("-year", "base__name", "kind")
    )
    existing = {(p.base_id, p.year) for p in plans if p.kind == AnnualPlan.Kind.PLAN}
    # The plan due next is next year's (due 31 December of this year, Art. 20); this year's is offered only as a
    # late filing when it is still missing.
    due_year = today.year + 1
    can_start = [(b, due_year) for b in my_bases if (b.pk, due_year) not in existing]
    can_start_late = [(b, today.year) for b in my_bases if (b.pk, today.year) not in existing]
    return render_list(
        request,
        "plans/plan_list.html",
        plans,
        per_page=30,
        can_start=can_start,
        can_start_late=can_start_late,
        next_year=due_year,
        due_date=deadline_date(due_year),
        active_nav="plans",
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_start(request):
    """GET: the page that starts a base's plan for a year (我的待办 links here); POST: start it."""
    if request.method == "POST":
        base_id = required_int(request.POST.get("base"), _("请选择基地。"), lo=1)
        year = required_int(
            request.POST.get("year"), _("年度应为 2000 至 2100 之间的整数。"), lo=2000, hi=2100
        )
    else:
        base_id = safe_int(request.GET.get("base"))
        year = safe_int(request.GET.get("year"), 0, lo=2000, hi=2100)
    base = selectors.actor_bases(request.user).filter(pk=base_id).first()
    if base is None or (request.method == "GET" and not year):
        raise Http404
    if request.method == "GET":
        existing = AnnualPlan.objects.filter(base=base, year=year, kind=AnnualPlan.Kind.PLAN).first()
        if existing is not None:
            return redirect("plans:detail", pk=existing.pk)
        return render(
            request,
            "plans/plan_start.html",
            {"base": base, "year": year, "deadline": deadline_date(year), "active_nav": "plans"},
        )
    with showing_refusal(request, message_only=True):
        plan = services.plan_create(actor=request.user, base=base, year=year)
        return redirect("plans:detail", pk=plan.pk)
    return redirect("plans:list")


@login_required
def dashboard(request):
    actor = actor_for(request.user)
    if not actor.is_authority_staff:
        raise Http404
    year = _year(request, timezone.localdate().year + 1)
    data = selectors.dashboard(user=request.user, year=year)
    state = request.GET.get("state", "")
    rows = [r for r in data["rows"] if not state or r["state"] == state or (state == "late" and r["late"])]
    if request.GET.get("format") == "xlsx":
        return _dashboard_workbook(rows, year)
    return render(
        request,
        "plans/dashboard.html",
        {
            **data,
            "rows": rows,
            "year": year,
            "state": state,
            "is_provincial": actor.is_provincial,
            "active_nav": "plan_dashboard",
        },
    )


def _dashboard_workbook(rows, year):
    """Return the filing dashboard's rows as an Excel download."""
    labels = dict(selectors.FILING_STATES)
    headers = [
        _("基地"),
        _("级别"),
        _("建设单位"),
        _("批准部门"),
        _("计划状态"),
        _("逾期"),
        _("首次报送时间"),
        _("备案时间"),
    ]
    rows_out = (
        [
            r["base"].name,
            r["base"].get_level_display(),
            r["base"].institution.name,
            r["base"].approving_authority.name,
            str(labels[r["state"]]),
            _("是") if r["late"] else "",
            timezone.localtime(r["plan"].first_submitted_at).strftime("%Y-%m-%d %H:%M")
            if r["plan"] and r["plan"].first_submitted_at
            else "",
            timezone.localtime(r["plan"].filed_at).strftime("%Y-%m-%d %H:%M")
            if r["plan"] and r["plan"].filed_at
            else "",
        ]
        for r in rows
    )
    return excel_response(
        filename=f"plans-{year}.xlsx",
        title=_("%(y)d年度计划备案情况") % {"y": year},
        headers=headers,
        rows=rows_out,
    )


def _plan(request, pk):
    """Return the plan if the user may see it, else raise Http404."""
    return found_or_404(selectors.plan_detail(user=request.user, pk=pk))


@login_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    editable = plan.is_editable and is_base_staff(request.user, plan.base)
    text_form = PlanTextForm(
        request.POST or None,
        initial={"summary_narrative": plan.summary_narrative, "amendment_reason": plan.amendment_reason},
    )
    if request.method == "POST" and editable and text_form.is_valid():
        with showing_refusal(request, text_form):
            services.plan_update(
                actor=request.user,
                plan=plan,
                **(
                    {"amendment_reason": text_form.cleaned_data["amendment_reason"]}
                    if plan.kind == "amendment"
                    else {"summary_narrative": text_form.cleaned_data["summary_narrative"]}
                ),
            )
            messages.success(request, _("已保存。"))
            return redirect("plans:detail", pk=plan.pk)
    return render(
        request,
        "plans/plan_detail.html",
        _plan_context(request, plan, text_form=text_form, editable=editable),
    )


def _plan_context(request, plan, *, text_form=None, editable=None, item_form=None, class_form=None):
    """Everything the plan page shows; a refused item or class form is passed back bound, with its errors."""
    if editable is None:
        editable = plan.is_editable and is_base_staff(request.user, plan.base)
    can_open_class = plan.state == PlanState.FILED and is_base_staff(request.user, plan.base)
    if class_form is None and can_open_class:
        class_form = TrainingClassForm()
    if class_form is not None:
        # Keep the date pickers inside the plan year; the service checks it again.
        for name in ("starts_on", "ends_on"):
            class_form.fields[name].widget.attrs.update(min=f"{plan.year}-01-01", max=f"{plan.year}-12-31")
    return {
        "plan": plan,
        "items": plan.items.all(),
        "totals": selectors.plan_totals(plan),
        "summary": selectors.execution_summary(plan.base, plan.year - 1) if plan.kind == "plan" else None,
        "actions": workflow.MACHINE.available(plan, request.user),
        "next_step": selectors.plan_next_step(plan),
        "history": selectors.plan_history(plan),
        "editable": editable,
        "text_form": text_form
        or PlanTextForm(
            initial={"summary_narrative": plan.summary_narrative, "amendment_reason": plan.amendment_reason}
        ),
        "item_form": (item_form or PlanItemForm()) if editable else None,
        "item_form_open": item_form is not None,
        "class_form_open": class_form is not None and class_form.is_bound,
        "selected_item": request.POST.get("plan_item", "") if request.method == "POST" else "",
        "can_amend": plan.kind == "plan"
        and plan.state == PlanState.FILED
        and is_base_staff(request.user, plan.base)
        and timezone.localdate().year == plan.year,
        "amendments": plan.amendments.all() if plan.kind == "plan" else [],
        "can_delete": editable and plan.state == PlanState.DRAFT and plan.first_submitted_at is None,
        "class_form": class_form if can_open_class else None,
        "classes": TrainingClass.objects.filter(plan_item__plan=plan).select_related("plan_item"),
        "active_nav": "plans",
    }


@login_required
@require_POST
def item_save(request, pk, item_id=None):
    plan = _plan(request, pk)
    item = PlanItem.objects.filter(pk=item_id, plan=plan).first() if item_id else None
    form = PlanItemForm(request.POST, instance=item)
    if form.is_valid():
        with showing_refusal(request, form):
            services.plan_item_save(
                actor=request.user,
                plan=plan,
                data={k: form.cleaned_data[k] for k in PlanItemForm.Meta.fields},
                regions=form.cleaned_data["preference_regions"],
                item=item,
            )
            messages.success(request, _("已保存计划项目。"))
            return redirect("plans:detail", pk=plan.pk)
    # Refused: the plan page again, the add-item form open with what was typed and its errors.
    return render(request, "plans/plan_detail.html", _plan_context(request, plan, item_form=form))


@login_required
@require_POST
def item_remove(request, pk, item_id):
    plan = _plan(request, pk)
    with showing_refusal(request, message_only=True):
        services.plan_item_remove(actor=request.user, plan=plan, item_id=item_id)
        messages.success(request, _("已删除计划项目。"))
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_delete(request, pk):
    plan = _plan(request, pk)
    with showing_refusal(request, message_only=True):
        label = str(plan)
        services.plan_delete_draft(actor=request.user, plan=plan)
        messages.success(request, _("已删除草稿：%(p)s。") % {"p": label})
        return redirect("plans:list")
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def plan_transition(request, pk):
    plan = _plan(request, pk)
    transition_from_post(request, workflow.MACHINE, plan)
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def amendment_start(request, pk):
    plan = _plan(request, pk)
    with showing_refusal(request, message_only=True):
        amendment = services.amendment_create(actor=request.user, plan=plan)
        messages.success(request, _("已创建计划调整，请修改后提交建设单位审核。"))
        return redirect("plans:detail", pk=amendment.pk)
    return redirect("plans:detail", pk=plan.pk)


@login_required
@require_POST
def class_create(request, pk):
    plan = _plan(request, pk)
    item_id = safe_int(request.POST.get("plan_item"), lo=1)
    item = PlanItem.objects.filter(pk=item_id, plan=plan).first() if item_id else None
    form = TrainingClassForm(request.POST)
    if item is None:
        form.is_valid()
        form.add_error(None, _("请选择计划项目。"))
    elif form.is_valid():
        with showing_refusal(request, form):
            klass = services.class_create(actor=request.user, plan_item=item, data=form.cleaned_data)
            messages.success(request, _("已创建培训班“%(t)s”。") % {"t": klass.title})
            return redirect("plans:class", pk=klass.pk)
    if not is_base_staff(request.user, plan.base):
        raise Http404
    return render(
        request, "plans/plan_detail.html", _plan_context(request, plan, class_form=form), status=400
    )


@login_required
def class_list(request):
    filters = {
        "year": _year(request, 0) or None,
        "status": request.GET.get("status", ""),
        "base": safe_int(request.GET.get("base"), ""),
    }
    return render_list(
        request,
        "plans/class_list.html",
        selectors.class_list(user=request.user, filters=filters),
        per_page=30,
        statuses=TrainingClass.Status.choices,
        filters=filters,
        active_nav="classes",
    )


@login_required
def class_detail(request, pk):
    klass = found_or_404(
        selectors.classes_visible_to(request.user)
        .select_related("base", "plan_item__plan")
        .filter(pk=pk)
        .first()
    )
    staff = is_base_staff(request.user, klass.base)
    progress_form = ClassProgressForm(
        request.POST if request.POST.get("form") == "progress" else None,
        initial={
            "status": klass.status,
            "enrolled_count": klass.enrolled_count,
            "completed_count": klass.completed_count,
        },
    )
    eval_form = ClassEvaluationForm(
        request.POST if request.POST.get("form") == "evaluate" else None,
        initial={"satisfaction": klass.satisfaction, "self_assessment": klass.self_assessment},
    )
    if request.method == "POST" and staff and _class_post(request, klass, progress_form, eval_form):
        return redirect("plans:class", pk=klass.pk)
    return render(
        request,
        "plans/class_detail.html",
        {
            "klass": klass,
            "staff": staff,
            "progress_form": progress_form,
            "eval_form": eval_form,
            "active_nav": "classes",
        },
    )


def _class_post(request, klass, progress_form, eval_form) -> bool:
    """Update the class's progress or save its evaluation, whichever form was posted; return whether saved."""
    if request.POST.get("form") == "progress" and progress_form.is_valid():
        d = progress_form.cleaned_data
        with showing_refusal(request, progress_form):
            services.class_update_progress(
                actor=request.user,
                klass=klass,
                status=d["status"],
                enrolled=d["enrolled_count"],
                completed=d["completed_count"],
            )
            messages.success(request, _("已更新培训班情况。"))
            return True
    if request.POST.get("form") == "evaluate" and eval_form.is_valid():
        with showing_refusal(request, eval_form):
            services.class_evaluate(actor=request.user, klass=klass, **eval_form.cleaned_data)
            messages.success(request, _("已保存课程质量评估。"))
            return True
    return False


@login_required
def yearly_evaluation(request, base_id, year):
    base = selectors.actor_bases(request.user).filter(pk=base_id).first()
    if base is None:
        raise Http404
    existing = base.yearly_evaluations.filter(year=year).first()
    form = YearlyEvaluationForm(
        request.POST or None, initial={"evaluation": existing.evaluation if existing else ""}
    )
    if request.method == "POST" and form.is_valid():
        with showing_refusal(request, form):
            services.yearly_evaluation_save(
                actor=request.user, base=base, year=year, evaluation=form.cleaned_data["evaluation"]
            )
            messages.success(request, _("已保存年度综合质量评估。"))
            return redirect("plans:list")
    summary = selectors.execution_summary(base, year)
    return render(
        request,
        "plans/yearly_evaluation.html",
        {"base": base, "year": year, "form": form, "summary": summary, "active_nav": "plans"},
    )
