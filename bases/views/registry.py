"""The public registry of bases: search, Excel export and a base's public profile."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kit.cache import public_cache
from kit.excel import excel_response
from kit.pages import found_or_404, render_list

from .. import selectors


@public_cache
def registry(request):
    filters = selectors.RegistryFilters.from_query(request.GET)
    return render_list(
        request,
        "bases/registry.html",
        selectors.registry_search(filters),
        f=filters,
        facets=selectors.registry_facets(filters),
        sorts=[("recognised", _("认定日期")), ("name", _("名称")), ("certificate", _("证书编号"))],
        counties=selectors.counties_of(filters.prefecture),
        active_nav="home",
    )


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
    base = found_or_404(selectors.base_public(pk))
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
