from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kit.excel import excel_response
from kit.pagination import keyset_paginate

from .forms import AuditFilterForm
from .labels import action_label, describe_comment, object_type_label, state_label
from .models import AuditEvent
from .selectors import audit_event_list, can_view_audit, object_links
from .services import audit_record


def _filtered(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, audit_event_list(user=request.user, filters=filters)


@login_required
def event_list(request):
    if not can_view_audit(request.user):
        raise Http404
    form, events = _filtered(request)
    page = keyset_paginate(request, events, per_page=50)
    links = object_links(request.user, page.object_list)
    for e in page.object_list:
        # In memory, for this page only: the object's page where this reader may open it.
        e.object_url = links.get((e.object_type, e.object_id))
    codes = AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    actions = sorted(((code, action_label(code)) for code in codes), key=lambda pair: pair[1])
    types = (
        AuditEvent.objects.exclude(object_type="").order_by().values_list("object_type", flat=True).distinct()
    )
    object_types = sorted(((t, object_type_label(t)) for t in types), key=lambda pair: pair[1])
    query = request.GET.copy()
    query.pop("before", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "actions": actions,
            "object_types": object_types,
            "query": query.urlencode(),
        },
    )


@login_required
def event_export(request):
    if not can_view_audit(request.user):
        raise Http404
    form, events = _filtered(request)
    audit_record(actor=request.user, action="audit.exported", comment=request.GET.urlencode()[:500])
    headers = [
        _("时间"),
        _("操作人"),
        _("机构"),
        _("操作"),
        _("操作代码"),
        _("对象类型"),
        _("对象类型代码"),
        _("对象编号"),
        _("对象"),
        _("原状态"),
        _("新状态"),
        _("说明"),
        _("说明原文"),
        _("IP 地址"),
    ]

    def rows():
        for e in events.iterator(chunk_size=2000):
            yield [
                timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                e.actor_name,
                e.organization.name if e.organization else "",
                action_label(e.action),
                e.action,
                object_type_label(e.object_type),
                e.object_type,
                e.object_id,
                e.object_repr,
                state_label(e.object_type, e.from_state) if e.from_state else "",
                state_label(e.object_type, e.to_state) if e.to_state else "",
                describe_comment(e),
                e.comment,
                e.ip_address or "",
            ]

    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return excel_response(filename=f"audit-{stamp}.xlsx", title=_("审计日志"), headers=headers, rows=rows())
