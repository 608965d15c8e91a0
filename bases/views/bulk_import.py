"""The import of existing bases from a workbook, and its template."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kit.pages import showing_refusal

from ..forms import ImportForm
from ..imports import bases_import, template_workbook
from ..permissions import can_import_bases


@login_required
def import_bases(request):
    if not can_import_bases(request.user):
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        with showing_refusal(request, form):
            result = bases_import(
                actor=request.user,
                upload=form.cleaned_data["file"],
                publish_notice=form.cleaned_data["publish_notice"],
            )
            if result.ok:
                messages.success(
                    request,
                    _("导入完成：新增 %(c)d 个，更新 %(u)d 个，未变化 %(n)d 个。")
                    % {"c": len(result.created), "u": result.updated, "n": result.unchanged},
                )
                for row, reason in result.skipped:
                    messages.info(request, _("第 %(r)d 行：%(why)s。") % {"r": row, "why": reason})
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
