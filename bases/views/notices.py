"""Public notices: list, detail, the Atom feed and lodging an objection during publicity."""

from django.contrib.syndication.views import Feed
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy

from accounts.models import Organization
from kit.cache import public_cache
from kit.pages import found_or_404, render_list

from .. import selectors
from ..models import Notice
from ..notice_panels import notice_panel


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
    notice = found_or_404(selectors.notice_get_public(pk))
    return render(
        request,
        "bases/notice_detail.html",
        {
            "notice": notice,
            "listed": notice.listed_bases.all(),
            "active_nav": "notices",
            **notice_panel(notice),
        },
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
