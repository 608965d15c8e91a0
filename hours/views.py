"""Pages of the hours registry. The ID number only ever travels in POST bodies, never in URLs."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.jurisdiction import actor_for
from accounts.models import Role
from audit.services import audit_record
from bases.models import Base
from kit.errors import DomainError, NotVisible
from kit.excel import excel_response
from kit.forms_errors import apply_domain_error
from kit.ints import safe_int
from kit.pages import found_or_404
from kit.pagination import paginate
from kit.pdf import pdf_response
from kit.ratelimits import limit

from . import selectors, services
from .documents import certificate_by_code, certificate_pdf, certificate_status
from .excel import refused_workbook, template_bytes
from .forms import CloseYearForm, KeyForm, LookupForm, UploadForm, VerifyForm
from .models import ApiKey, Certificate, ClosedYear, IngestBatch
from .permissions import is_base_staff, may_look_up_hours, may_read_full_id


def _my_bases(user, *, with_revoked=False):
    """The bases the user reports hours for; a revoked base only to read (its page says why it takes none)."""
    actor = actor_for(user)
    bases = Base.objects.filter(
        institution_id__in=actor.orgs_with(Role.BASE_OPERATOR, Role.INSTITUTION_ADMIN)
    ).order_by("name")
    return bases if with_revoked else bases.not_revoked()


@login_required
def base_home(request):
    bases = list(_my_bases(request.user, with_revoked=True))
    if not bases:
        raise Http404
    base = next((b for b in bases if str(b.pk) == request.GET.get("base")), bases[0])
    year = safe_int(request.GET.get("year"), timezone.localdate().year, lo=2000, hi=2100)
    new_secret = request.session.pop("new_api_key", None)
    context = {
        "bases": bases,
        "base": base,
        "year": year,
        "keys": base.api_keys.order_by("-created_at"),
        "key_form": KeyForm(),
        "upload_form": UploadForm(),
        "batches": IngestBatch.objects.filter(base=base).order_by("-created_at")[:10],
        "stats": selectors.base_statistics(base_ids=[base.pk], year=year),
        "new_secret": new_secret,
        "active_nav": "hours",
    }
    return render(request, "hours/base_home.html", context)


@login_required
@require_POST
def key_issue(request, base_id):
    base = get_object_or_404(_my_bases(request.user), pk=base_id)
    form = KeyForm(request.POST)
    if form.is_valid():
        try:
            key, secret = services.api_key_issue(
                actor=request.user, label=form.cleaned_data["label"], base=base
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            # Shown once on the next page, then gone: only its hash is stored.
            request.session["new_api_key"] = {"label": key.label, "secret": secret}
    return redirect(f"/hours/?base={base.pk}")


@login_required
@require_POST
def key_revoke(request, key_id):
    key = get_object_or_404(
        ApiKey.objects.select_related("base"), pk=key_id, base__in=_my_bases(request.user)
    )
    services.api_key_revoke(actor=request.user, key=key)
    messages.success(request, _("已吊销密钥 %(p)s…。") % {"p": key.prefix})
    return redirect(f"/hours/?base={key.base_id}")


@login_required
def key_list(request):
    """The security administrator's view of every API key, with revocation."""
    try:
        keys = selectors.api_keys_for_security_admin(request.user)
    except NotVisible:
        raise Http404 from None
    return render(request, "hours/key_list.html", {"page": paginate(request, keys, per_page=50)})


@login_required
@require_POST
def key_revoke_any(request, key_id):
    if not actor_for(request.user).is_security_admin:
        raise Http404
    key = get_object_or_404(ApiKey.objects.select_related("base"), pk=key_id)
    try:
        services.api_key_revoke(actor=request.user, key=key)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已吊销密钥 %(p)s…。") % {"p": key.prefix})
    return redirect("hours:keys")


@login_required
def template(request):
    response = HttpResponse(
        template_bytes(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="hours-template.xlsx"'
    return response


@login_required
@require_POST
def upload(request, base_id):
    base = get_object_or_404(_my_bases(request.user), pk=base_id)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请选择要上传的工作簿。"))
        return redirect(f"/hours/?base={base.pk}")
    try:
        batch = services.batch_submit_excel(actor=request.user, base=base, upload=form.cleaned_data["file"])
    except DomainError as exc:
        apply_domain_error(request, exc)
        return redirect(f"/hours/?base={base.pk}")
    return redirect("hours:batch", pk=batch.pk)


def _batch_for(request, pk):
    batch = IngestBatch.objects.select_related("base").filter(pk=pk).first()
    if batch is None or not is_base_staff(request.user, batch.base):
        raise Http404
    return batch


# The batch page lists this many refused rows; the download has every one.
REFUSED_ON_PAGE = 200


@login_required
def batch_page(request, pk):
    batch = _batch_for(request, pk)
    percent = (
        100
        if batch.state == IngestBatch.State.DONE
        else (100 * batch.processed // batch.total if batch.total else 0)
    )
    finished = batch.state in (IngestBatch.State.DONE, IngestBatch.State.FAILED)
    shown = selectors.batch_refused_head(batch, REFUSED_ON_PAGE) if finished and batch.refused_count else []
    return render(
        request,
        "hours/batch.html",
        {
            "batch": batch,
            "percent": percent,
            "refused_rows": shown,
            "refused_more": max(batch.refused_count - len(shown), 0) if shown else 0,
            "active_nav": "hours",
        },
    )


@login_required
def batch_status(request, pk):
    batch = _batch_for(request, pk)
    return JsonResponse(
        {
            "state": batch.state,
            "state_display": batch.get_state_display(),
            "total": batch.total,
            "processed": batch.processed,
            "accepted": batch.accepted_count,
            "refused": batch.refused_count,
            "error": batch.error,
        }
    )


@login_required
def batch_refused(request, pk):
    """The refused rows as uploaded, with reasons and ID numbers masked (an audited export)."""
    batch = _batch_for(request, pk)
    refused = selectors.batch_refused(batch)
    rows = {item["row"]: item["record"] for item in refused if "record" in item and "row" in item}
    tmp = tempfile.NamedTemporaryFile(suffix=".xlsx")  # noqa: SIM115  (closed by FileResponse)
    count = refused_workbook(tmp.name, rows, refused)
    audit_record(
        actor=request.user,
        action="hours.refused_exported",
        obj=batch,
        organization=batch.base.institution,
        comment=f"rows={count}",
    )
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"refused-{str(batch.pk)[:8]}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@login_required
def statistics_export(request, base_id, year):
    base = get_object_or_404(_my_bases(request.user, with_revoked=True), pk=base_id)
    stats = selectors.base_statistics(base_ids=[base.pk], year=year)
    return _statistics_workbook(f"hours-{year}.xlsx", stats, year)


def _statistics_workbook(filename, stats, year):
    """The statistics rows as a workbook, one row a base; the same columns for a base and for an authority."""
    headers = [
        _("基地"),
        _("基地状态"),
        _("年度"),
        _("人数"),
        _("记录数"),
        _("公需科目学时"),
        _("专业科目学时"),
        _("公益性倾斜地区学时"),
        _("倾斜地区学员学时（按学员工作地区）"),
    ]
    return excel_response(
        filename=filename,
        title=_("学时统计"),
        headers=headers,
        rows=(
            [
                s["base__name"],
                str(s["base_status_display"]),
                year,
                s["persons"],
                s["records"],
                s["general"],
                s["professional"],
                s["public_interest"],
                "；".join(f"{r['name']} {r['hours']}" for r in s["by_region"]),
            ]
            for s in stats
        ),
    )


def _statistics_year(request):
    return safe_int(request.GET.get("year"), timezone.localdate().year, lo=2000, hi=2100)


@login_required
def statistics(request):
    """Every base the authority approved (the province: every base), a page at a time, with their year's
    statistics."""
    if not may_look_up_hours(request.user):
        raise Http404
    year = _statistics_year(request)
    page = paginate(request, selectors.statistics_bases(request.user), per_page=50)
    context = {
        "page": page,
        "rows": selectors.statistics_rows(page.object_list, year=year),
        "year": year,
        "active_nav": "hours_statistics",
    }
    return render(request, "hours/statistics.html", context)


@login_required
def statistics_all_export(request):
    """The statistics of every base of the statistics page, however many (no personal data: not audited)."""
    if not may_look_up_hours(request.user):
        raise Http404
    year = _statistics_year(request)
    rows = selectors.statistics_of_every_base(selectors.statistics_bases(request.user), year=year)
    return _statistics_workbook(f"hours-statistics-{year}.xlsx", rows, year)


@login_required
def records_export(request, base_id, year):
    base = get_object_or_404(_my_bases(request.user, with_revoked=True), pk=base_id)
    audit_record(
        actor=request.user,
        action="hours.records_exported",
        obj=base,
        organization=base.institution,
        comment=str(year),
    )
    return excel_response(
        filename=f"records-{year}.xlsx",
        title=_("学时记录"),
        headers=services.RECORD_EXPORT_HEADERS,
        rows=services.records_export_rows(base=base, year=year),
    )


@login_required
@limit("person_lookup", method="POST", per_user=True)
def lookup(request):
    if not may_look_up_hours(request.user):
        raise Http404
    form = LookupForm(request.POST or None, initial={"year": timezone.localdate().year})
    result = None
    if request.method == "POST" and form.is_valid():
        full = request.POST.get("full") == "1" and may_read_full_id(request.user)
        try:
            result = services.person_lookup(
                actor=request.user,
                id_number=form.cleaned_data["id_number"],
                year=form.cleaned_data["year"],
                full=full,
            )
        except DomainError as exc:
            apply_domain_error(request, exc, form)
        if result and request.POST.get("certificate") == "1":
            cert = services.certificate_issue(
                actor=request.user, person=result["person"], year=form.cleaned_data["year"]
            )
            return redirect("hours:certificate", code=cert.code)
    return render(
        request,
        "hours/lookup.html",
        {
            "form": form,
            "result": result,
            "can_full": may_read_full_id(request.user),
            "active_nav": "hours_lookup",
        },
    )


@login_required
def certificate(request, code):
    cert = get_object_or_404(Certificate.objects.select_related("person"), code=code)
    if cert.issued_by_id != request.user.pk and not actor_for(request.user).is_provincial:
        raise Http404
    if request.GET.get("format") == "xlsx":
        rows = [
            [
                cert.person.name,
                cert.person.id_masked,
                cert.year,
                cert.total,
                cert.general,
                cert.professional,
                _("是") if cert.compliant else _("否"),
                cert.code,
            ]
        ]
        headers = [
            _("姓名"),
            _("证件号码"),
            _("年度"),
            _("总学时"),
            _("公需科目"),
            _("专业科目"),
            _("达到年度要求"),
            _("验证码"),
        ]
        return excel_response(
            filename=f"certificate-{cert.code}.xlsx", title=_("学时证明"), headers=headers, rows=rows
        )
    return render(request, "hours/certificate.html", {"cert": cert, "active_nav": "hours_lookup"})


@limit("hours_verify")
def verify(request):
    """Anyone with the code sees the masked ID, the name and the totals only."""
    form = VerifyForm(request.GET or None)
    cert = None
    searched = form.is_valid()
    if searched:
        cert = (
            Certificate.objects.select_related("person")
            .filter(code=form.cleaned_data["code"].strip().upper())
            .first()
        )
    status = certificate_status(cert) if cert else None
    return render(
        request, "hours/verify.html", {"form": form, "cert": cert, "status": status, "searched": searched}
    )


@limit("hours_verify")
def certificate_download(request, code):
    """Serve the certificate as PDF to whoever holds its code, as verification does (the code is the key)."""
    cert = found_or_404(certificate_by_code(code))
    pdf, filename = certificate_pdf(cert)
    return pdf_response(pdf, filename=filename)


@login_required
def years(request):
    if not actor_for(request.user).is_provincial_admin:
        raise Http404
    form = CloseYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.year_close(actor=request.user, year=form.cleaned_data["year"])
        except DomainError as exc:
            apply_domain_error(request, exc, form)
        else:
            messages.success(
                request,
                _("已关闭 %(y)d 年度，该年度学时不再接受新增、更正和作废。")
                % {"y": form.cleaned_data["year"]},
            )
            return redirect("hours:years")
    return render(
        request,
        "hours/years.html",
        {
            "form": form,
            "closed": ClosedYear.objects.select_related("closed_by").order_by("-year"),
            "feed_keys": ApiKey.objects.filter(scope="feed"),
            # Shown once, from server-side session data (never a message cookie), then gone.
            "new_secret": request.session.pop("new_feed_key", None),
            "active_nav": "hours_years",
        },
    )


@login_required
@require_POST
def feed_key_issue(request):
    form = KeyForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("label", []):
            messages.error(request, error)
        return redirect("hours:years")
    try:
        key, secret = services.api_key_issue(
            actor=request.user, label=form.cleaned_data["label"], scope=ApiKey.Scope.FEED
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        request.session["new_feed_key"] = {"label": key.label, "secret": secret}
    return redirect("hours:years")
