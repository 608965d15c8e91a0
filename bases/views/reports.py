"""Misconduct reports: the public form and receipt lookup; the list and triage for staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.jurisdiction import actor_for
from audit.context import client_ip_from_request
from kit.pages import found_or_404, render_list, showing_refusal
from kit.ratelimits import limit

from .. import selectors, services
from ..forms import MisconductReportForm, ReceiptLookupForm, TriageForm
from ..models import Base, MisconductReport
from ..permissions import can_triage_report


@limit("report", method="POST")
def report_create(request, pk):
    base = get_object_or_404(Base, pk=pk)
    if base.status == Base.Status.REVOKED:
        raise Http404
    form = MisconductReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with showing_refusal(request, form):
            report = services.misconduct_report_create(
                base=base,
                category=data["category"],
                description=data["description"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                evidence=data.get("evidence"),
                ip_address=client_ip_from_request(request),
            )
            return render(request, "bases/report_receipt.html", {"report": report, "base": base})
    return render(
        request, "bases/report_form.html", {"base": base, "form": form}, status=400 if form.errors else 200
    )


@limit("report_lookup")
def report_lookup(request):
    form = ReceiptLookupForm(request.GET or None)
    report = None
    searched = form.is_valid()
    if searched:
        report = selectors.report_by_receipt(form.cleaned_data["code"])
    return render(request, "bases/report_lookup.html", {"form": form, "report": report, "searched": searched})


@login_required
def report_list(request):
    if not actor_for(request.user).is_authority_staff:
        raise Http404
    status = request.GET.get("status", "open")
    reports = selectors.reports_visible_to(request.user).select_related("base")
    if status in MisconductReport.Status.values:
        reports = reports.filter(status=status)
    return render_list(
        request,
        "bases/report_list.html",
        reports.order_by("-created_at"),
        per_page=30,
        status=status,
        statuses=MisconductReport.Status.choices,
        active_nav="reports",
    )


@login_required
def report_detail(request, pk):
    report = found_or_404(
        selectors.reports_visible_to(request.user)
        .select_related("base__approving_authority", "triaged_by")
        .filter(pk=pk)
        .first()
    )
    can_triage = can_triage_report(request.user, report)
    form = TriageForm(request.POST or None) if can_triage and report.status == "open" else None
    if request.method == "POST" and form is not None and form.is_valid():
        with showing_refusal(request, form):
            services.misconduct_report_triage(
                actor=request.user,
                report=report,
                decision=form.cleaned_data["decision"],
                outcome=form.cleaned_data["outcome"],
            )
            messages.success(request, _("已处理该举报。"))
            return redirect("bases:report", pk=report.pk)
    spot_checks = (
        list(report.inspections.select_related("round"))
        if report.status == MisconductReport.Status.SPOT_CHECK
        else []
    )
    # The spot check is opened by the reported base's authority (the province reads the report only).
    can_open_spot_check = (
        can_triage and report.status == MisconductReport.Status.SPOT_CHECK and not spot_checks
    )
    actions = []
    if form is not None:
        actions.append(_("提交处理决定"))
    if can_open_spot_check:
        actions.append(_("组织专项抽查"))
    return render(
        request,
        "bases/report_detail.html",
        {
            "report": report,
            "form": form,
            "evidence": report.evidence.all(),
            "spot_checks": spot_checks,
            "can_open_spot_check": can_open_spot_check,
            "next_step": selectors.report_next_step(report),
            "actions": actions,
            "history": selectors.report_history(report),
            "active_nav": "reports",
        },
    )
