"""A base's official documents as PDF: the recognition decision (认定决定) and the base certificate (R-17, R-18).

The certificate's QR code opens the base's public profile, so whoever holds the paper sees at once whether the
base is still recognised.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kit.pdf import qr_svg, render_pdf

from .models import Base, Notice
from .selectors import PUBLIC_STATUSES, base_public, bases_visible_to


def base_profile_url(base) -> str:
    """Return the absolute address of the base's public profile (what the certificate's QR code holds)."""
    return f"{settings.PORTAL_BASE_URL}{reverse('bases:detail', args=[base.pk])}"


def notice_number(notice) -> str:
    """Return the number a notice is cited by: its year and its number in the portal, e.g. 〔2026〕118号."""
    return _("〔%(y)d〕%(n)d号") % {"y": timezone.localtime(notice.published_at).year, "n": notice.pk}


def certificate_base_for(user, pk):
    """Return the base whose certificate `user` may have, or None.

    Anyone may have the certificate of a base that is still recognised (its profile is public); the base's own
    institution and the authorities that see it may also have that of a revoked base, marked as revoked.
    """
    base = base_public(pk)
    if base is None:
        return None
    if base.status in PUBLIC_STATUSES or bases_visible_to(user).filter(pk=base.pk).exists():
        return base
    return None


def recognition_notice(base):
    """Return the notice that published the base's recognition, or None (bases registered on import)."""
    return (
        Notice.objects.filter(base=base, kind=Notice.Kind.RECOGNITION)
        .select_related("authority")
        .order_by("published_at", "id")
        .first()
    )


def certificate_context(base) -> dict:
    notice = recognition_notice(base)
    url = base_profile_url(base)
    return {
        "base": base,
        "notice": notice,
        "notice_number": notice_number(notice) if notice else "",
        "notice_lines": notice.body.splitlines() if notice else [],
        "region": _region(base.region),
        "profile_url": url,
        "qr": qr_svg(url, size_mm=32),
        "revoked": base.status == Base.Status.REVOKED,
        "printed_at": timezone.localtime(),
    }


def _region(region) -> str:
    if region.parent_id and region.level == "county":
        return f"{region.parent.name}{region.name}"
    return region.name


def certificate_pdf(base) -> tuple[bytes, str]:
    """Return the decision and the certificate of a base as PDF bytes, and its file name."""
    pdf = render_pdf("bases/pdf/certificate.html", certificate_context(base))
    return pdf, f"{_('基地证书')}-{base.name}.pdf"
