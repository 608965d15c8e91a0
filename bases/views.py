"""Public registry, profiles and notices; change requests, misconduct reports and the import for staff."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.jurisdiction import actor_for
from accounts.models import Organization
from audit.context import client_ip_from_request
from kit.cache import public_cache
from kit.errors import DomainError
from kit.excel import excel_response
from kit.forms_errors import apply_domain_error
from kit.pagination import paginate

from . import selectors, services, workflow
from .forms import ChangeRequestForm, ImportForm, MisconductReportForm, ReceiptLookupForm, TriageForm
from .imports import bases_import, template_workbook
from .models import Base, ChangeRequest, Evidence, MisconductReport, Notice
from .permissions import can_import_bases, can_request_change, can_triage_report

# --- public -------------------------------------------------------------------------------------------------


@public_cache
def registry(request):
    filters = selectors.RegistryFilters.from_query(request.GET)
    page = paginate(request, selectors.registry_search(filters), per_page=20)
    context = {
        "page": page,
        "f": filters,
        "facets": selectors.registry_facets(filters),
        "sorts": [("recognised", _("认定日期")), ("name", _("名称")), ("certificate", _("证书编号"))],
        "counties": selectors.counties_of(filters.prefecture),
        "active_nav": "home",
    }
    return render(request, "bases/registry.html", context)


def registry_export(request):
    filters = selectors.RegistryFilters.from_query(request.GET)
    headers = [
        _("基地名称"),
        _("级别"),
        _("建设单位"),
        _("批准部门"),
        _("所在市（州）"),
        _("所在区县"),
        _("培训领域"),
        _("认定日期"),
        _("证书编号"),
        _("状态"),
        _("网络培训平台"),
        _("联系电话"),
    ]

    def rows():
        for b in selectors.registry_search(filters).iterator(chunk_size=2000):
            yield [
                b.name,
                b.get_level_display(),
                b.institution.name,
                b.approving_authority.name,
                b.prefecture.name if b.prefecture_id else "",
                b.region.name,
                "、".join(b.fields),
                b.recognised_on.isoformat(),
                b.certificate_no,
                b.get_status_display(),
                b.platform_url or b.platform_name,
                b.contact_phone,
            ]

    stamp = timezone.localtime().strftime("%Y%m%d")
    return excel_response(
        filename=f"bases-{stamp}.xlsx", title=_("继续教育基地名录"), headers=headers, rows=rows()
    )


@public_cache
def base_detail(request, pk):
    base = selectors.base_public(pk)
    if base is None:
        raise Http404
    return render(
        request,
        "bases/base_detail.html",
        {
            "base": base,
            "timeline": selectors.base_timeline(base),
            "excellent": base.assessments.filter(state="published", rating="excellent").order_by("-year")[:3],
            "active_nav": "home",
        },
    )


@public_cache
def notice_list(request):
    kind = request.GET.get("kind", "")
    authority = request.GET.get("authority", "")
    notices = selectors.notice_list_public(kind=kind, authority_id=authority)
    authorities = Organization.objects.filter(notices__isnull=False).distinct().order_by("kind", "name")
    return render(
        request,
        "bases/notice_list.html",
        {
            "page": paginate(request, notices, per_page=20),
            "kinds": Notice.Kind.choices,
            "kind": kind,
            "authority": authority,
            "authorities": authorities,
            "active_nav": "notices",
        },
    )


def notice_detail(request, pk):
    from applications.forms import ObjectionForm

    notice = selectors.notice_get_public(pk)
    if notice is None:
        raise Http404
    objection_open = (
        notice.kind == Notice.Kind.PUBLICITY
        and notice.application is not None
        and notice.application.state == "publicity"
        and notice.open_until is not None
        and timezone.localdate() <= notice.open_until
    )
    return render(
        request,
        "bases/notice_detail.html",
        {
            "notice": notice,
            "objection_open": objection_open,
            "form": ObjectionForm(),
            "listed": notice.listed_bases.all(),
            "active_nav": "notices",
        },
    )


@require_POST
def objection_lodge(request, pk):
    from applications.forms import ObjectionForm
    from applications.services import objection_lodge as lodge

    notice = selectors.notice_get_public(pk)
    if notice is None or notice.kind != Notice.Kind.PUBLICITY or notice.application is None:
        raise Http404
    form = ObjectionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            lodge(
                application=notice.application,
                name=data["name"],
                phone=data["phone"],
                content=data["content"],
                evidence=data.get("evidence"),
                ip_address=client_ip_from_request(request),
            )
        except DomainError as exc:
            apply_domain_error(request, exc, form)
        else:
            messages.success(request, _("您的异议已提交，认定部门将在公布前核实处理。"))
            return redirect("bases:notice", pk=notice.pk)
    return render(
        request,
        "bases/notice_detail.html",
        {"notice": notice, "objection_open": True, "form": form, "active_nav": "notices"},
        status=400,
    )


class NoticeFeed(Feed):
    """An Atom feed of the latest published notices."""

    feed_type = Atom1Feed
    title = gettext_lazy("四川省继续教育基地公示公告")
    subtitle = gettext_lazy("继续教育基地认定公示、认定公布、信息变更及既有基地登记公告")
    link = "/notices/"

    def items(self):
        return selectors.notice_list_public().select_related("authority")[:50]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.body

    def item_link(self, item):
        return reverse("bases:notice", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.authority.name

    def item_categories(self, item):
        return [item.get_kind_display()]


def report_create(request, pk):
    base = get_object_or_404(Base, pk=pk)
    if base.status == Base.Status.REVOKED:
        raise Http404
    form = MisconductReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.misconduct_report_create(
                base=base,
                category=data["category"],
                description=data["description"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                evidence=data.get("evidence"),
                ip_address=client_ip_from_request(request),
            )
        except DomainError as exc:
            apply_domain_error(request, exc, form)
        else:
            return render(request, "bases/report_receipt.html", {"report": report, "base": base})
    return render(
        request, "bases/report_form.html", {"base": base, "form": form}, status=400 if form.errors else 200
    )


def report_lookup(request):
    form = ReceiptLookupForm(request.GET or None)
    report = None
    searched = form.is_valid()
    if searched:
        report = selectors.report_by_receipt(form.cleaned_data["code"])
    return render(request, "bases/report_lookup.html", {"form": form, "report": report, "searched": searched})


# --- staff ----------------------------------------------------------------------------------------------


@login_required
def base_manage_list(request):
    bases = (
        selectors.bases_visible_to(request.user)
        .select_related("institution", "approving_authority")
        .order_by("name")
    )
    changes = (
        selectors.change_requests_visible_to(request.user)
        .select_related("base")
        .filter(state__in=["submitted", "returned"])
    )
    reports = selectors.reports_visible_to(request.user).select_related("base").filter(status="open")
    return render(
        request,
        "bases/manage_list.html",
        {
            "page": paginate(request, bases, per_page=30),
            "open_changes": changes[:50],
            "open_reports": reports[:50],
            "can_import": can_import_bases(request.user),
            "active_nav": "bases",
        },
    )


@login_required
def base_history(request, pk):
    base = selectors.bases_visible_to(request.user).filter(pk=pk).select_related("institution").first()
    if base is None:
        raise Http404
    versions = base.versions.select_related("approved_by", "change_request").order_by("-number")
    changes = base.change_requests.select_related("requested_by", "decided_by").order_by("-created_at")
    return render(
        request,
        "bases/base_history.html",
        {
            "base": base,
            "versions": versions,
            "changes": changes,
            "can_request": can_request_change(request.user, base),
            "active_nav": "bases",
        },
    )


@login_required
def change_request_new(request, pk):
    base = selectors.bases_visible_to(request.user).filter(pk=pk).first()
    if base is None or not can_request_change(request.user, base):
        raise Http404
    facts = services.base_facts(base)
    form = ChangeRequestForm(
        request.POST or None, request.FILES or None, initial=ChangeRequestForm.initial_from(facts)
    )
    if request.method == "POST" and form.is_valid():
        try:
            cr = services.change_request_create(
                actor=request.user,
                base=base,
                proposed=form.proposed(),
                reasons=form.cleaned_data["reasons"],
                evidence=[form.cleaned_data["evidence"]] if form.cleaned_data.get("evidence") else [],
            )
        except DomainError as exc:
            apply_domain_error(request, exc, form)
        else:
            messages.success(request, _("变更申请已提交，待批准部门审批。"))
            return redirect("bases:change", pk=cr.pk)
    return render(request, "bases/change_form.html", {"base": base, "form": form, "active_nav": "bases"})


@login_required
def change_request_detail(request, pk):
    cr = (
        selectors.change_requests_visible_to(request.user)
        .select_related("base__institution", "base__approving_authority", "requested_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if cr is None:
        raise Http404
    current = services.base_facts(cr.base)
    resubmit_form = None
    if cr.state == ChangeRequest.State.RETURNED and can_request_change(request.user, cr.base):
        resubmit_form = ChangeRequestForm(
            request.POST or None, initial=ChangeRequestForm.initial_from(cr.proposed, cr.reasons)
        )
        if request.method == "POST" and resubmit_form.is_valid():
            try:
                workflow.resubmit(
                    cr,
                    request.user,
                    proposed=resubmit_form.proposed(),
                    reasons=resubmit_form.cleaned_data["reasons"],
                )
            except DomainError as exc:
                apply_domain_error(request, exc, resubmit_form)
            else:
                messages.success(request, _("已重新提交。"))
                return redirect("bases:change", pk=cr.pk)
    before = cr.base.versions.filter(change_request=cr).first()
    compare_from = (
        current
        if cr.state != ChangeRequest.State.APPROVED
        else (
            cr.base.versions.filter(number=before.number - 1).first().facts
            if before and before.number > 1
            else {}
        )
    )
    return render(
        request,
        "bases/change_detail.html",
        {
            "cr": cr,
            "rows": services.change_rows(compare_from, cr.proposed),
            "increases": services.fee_increases(compare_from.get("fees", []), cr.proposed["fees"])
            if compare_from
            else [],
            "actions": workflow.available_actions(cr, request.user),
            "resubmit_form": resubmit_form,
            "evidence": cr.evidence.all(),
            "active_nav": "bases",
        },
    )


@login_required
@require_POST
def change_request_transition(request, pk):
    cr = selectors.change_requests_visible_to(request.user).filter(pk=pk).first()
    if cr is None:
        raise Http404
    action = request.POST.get("action", "")
    try:
        workflow.transition(cr, action, request.user, comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已完成：%(a)s。") % {"a": workflow.TRANSITIONS[action].label})
    return redirect("bases:change", pk=cr.pk)


@login_required
def evidence_download(request, pk):
    from django.http import FileResponse

    evidence = get_object_or_404(Evidence, pk=pk)
    if evidence.change_request_id:
        allowed = (
            selectors.change_requests_visible_to(request.user).filter(pk=evidence.change_request_id).exists()
        )
    else:
        allowed = selectors.reports_visible_to(request.user).filter(pk=evidence.report_id).exists()
    if not allowed:
        raise Http404
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def report_list(request):
    if not actor_for(request.user).is_authority_staff:
        raise Http404
    status = request.GET.get("status", "open")
    reports = selectors.reports_visible_to(request.user).select_related("base")
    if status in MisconductReport.Status.values:
        reports = reports.filter(status=status)
    return render(
        request,
        "bases/report_list.html",
        {
            "page": paginate(request, reports.order_by("-created_at"), per_page=30),
            "status": status,
            "statuses": MisconductReport.Status.choices,
            "active_nav": "reports",
        },
    )


@login_required
def report_detail(request, pk):
    report = (
        selectors.reports_visible_to(request.user)
        .select_related("base__approving_authority", "triaged_by")
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    form = (
        TriageForm(request.POST or None)
        if can_triage_report(request.user, report) and report.status == "open"
        else None
    )
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.misconduct_report_triage(
                actor=request.user,
                report=report,
                decision=form.cleaned_data["decision"],
                outcome=form.cleaned_data["outcome"],
            )
        except DomainError as exc:
            apply_domain_error(request, exc, form)
        else:
            messages.success(request, _("已处理该举报。"))
            return redirect("bases:report", pk=report.pk)
    return render(
        request,
        "bases/report_detail.html",
        {"report": report, "form": form, "evidence": report.evidence.all(), "active_nav": "reports"},
    )


@login_required
def import_bases(request):
    if not can_import_bases(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = bases_import(
                actor=request.user,
                upload=form.cleaned_data["file"],
                publish_notice=form.cleaned_data["publish_notice"],
            )
        except DomainError as exc:
            apply_domain_error(request, exc, form)
        else:
            if result.ok:
                messages.success(
                    request,
                    _("导入完成：新增 %(c)d 个，更新 %(u)d 个，未变化 %(n)d 个。")
                    % {"c": len(result.created), "u": result.updated, "n": result.unchanged},
                )
                return redirect("bases:import")
    return render(
        request,
        "bases/import.html",
        {"form": form, "result": result, "active_nav": "bases"},
        status=400 if result and not result.ok else 200,
    )


@login_required
def import_template(request):
    if not can_import_bases(request.user):
        raise Http404
    response = HttpResponse(
        template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="bases-import-template.xlsx"'
    return response


@login_required
def filed_bases(request):
    if not actor_for(request.user).is_provincial:
        raise Http404
    filings = selectors.filed_bases_for(request.user)
    return render(
        request,
        "bases/filed_bases.html",
        {"page": paginate(request, filings, per_page=30), "active_nav": "filed"},
    )
