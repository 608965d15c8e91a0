"""Public notices: list, detail, the Atom feed and lodging an objection during publicity."""

from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import Organization
from audit.context import client_ip_from_request
from kit.cache import public_cache
from kit.pages import found_or_404, render_list, showing_refusal

from .. import selectors
from ..models import Notice


@public_cache
def notice_list(request):
    kind = request.GET.get("kind", "")
    authority = request.GET.get("authority", "")
    notices = selectors.notice_list_public(kind=kind, authority_id=authority)
    authorities = Organization.objects.filter(notices__isnull=False).distinct().order_by("kind", "name")
    return render_list(
        request,
        "bases/notice_list.html",
        notices,
        kinds=Notice.Kind.choices,
        kind=kind,
        authority=authority,
        authorities=authorities,
        active_nav="notices",
    )


def notice_detail(request, pk):
    from applications.forms import ObjectionForm

    notice = found_or_404(selectors.notice_get_public(pk))
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
        with showing_refusal(request, form):
            lodge(
                application=notice.application,
                name=data["name"],
                phone=data["phone"],
                content=data["content"],
                evidence=data.get("evidence"),
                ip_address=client_ip_from_request(request),
            )
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
