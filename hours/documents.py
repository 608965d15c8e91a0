"""The certificate of hours (学时证明) as PDF, and whether a certificate still matches the records (R-32, R-35).

A certificate stores the totals of the year when it was issued. A later correction or void of a record changes
the person's year, so the certificate no longer tells the truth: verifying it, and printing it, compare the
stored totals with the person's current year summary and say 已失效/已更新 when they differ. The PDF's QR code
holds the public verification address with the code, so an employer checks the paper in one step.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kit.pdf import qr_svg, render_pdf

from .models import Certificate, TrainingRecord
from .services import person_year_summary, year_summary

COMPARED = ("total", "general", "professional", "compliant")


@dataclass(frozen=True)
class CertificateStatus:
    current: bool
    summary: dict  # the person's year as the records have it now

    @property
    def superseded(self) -> bool:
        return not self.current


def certificate_status(cert: Certificate) -> CertificateStatus:
    """Compare the certificate's stored totals with the person's current year summary."""
    summary = person_year_summary(cert.person_id, cert.year)
    current = all(getattr(cert, key) == summary[key] for key in COMPARED)
    return CertificateStatus(current=current, summary=summary)


def verification_url(cert: Certificate) -> str:
    """Return the absolute public address that verifies the certificate (what its QR code holds)."""
    return f"{settings.PORTAL_BASE_URL}{reverse('hours:verify')}?{urlencode({'code': cert.code})}"


def certificate_by_code(code: str):
    """Return the certificate with this code (the public verification model: whoever holds the code), or None."""
    code = (code or "").strip().upper()
    if not code.isalnum() or len(code) > 16:
        return None
    return Certificate.objects.select_related("person").filter(code=code).first()


def certificate_records(cert: Certificate) -> list:
    """The year's valid records of the person, with their bases and classes, oldest first."""
    return list(
        TrainingRecord.objects.filter(
            person_id=cert.person_id, year=cert.year, status=TrainingRecord.Status.VALID
        )
        .select_related("base", "klass")
        .order_by("completed_on", "id")
    )


def certificate_context(cert: Certificate) -> dict:
    url = verification_url(cert)
    return {
        "cert": cert,
        "status": certificate_status(cert),
        "r35": year_summary(cert.year, cert.general, cert.professional),
        "min_total": settings.HOURS_MIN_TOTAL,
        "records": certificate_records(cert),
        "verify_url": url,
        "qr": qr_svg(url, size_mm=28),
        "printed_at": timezone.localtime(),
    }


def certificate_pdf(cert: Certificate) -> tuple[bytes, str]:
    """Return the certificate as PDF bytes and its file name (the year and the code, never the person's name)."""
    pdf = render_pdf("hours/pdf/certificate.html", certificate_context(cert))
    return pdf, f"{_('学时证明')}-{cert.year}-{cert.code}.pdf"
