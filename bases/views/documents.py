"""A base's documents as PDF: the recognition decision and the certificate."""

from kit.pages import found_or_404
from kit.pdf import pdf_response

from ..documents import certificate_base_for, certificate_pdf


def base_certificate_pdf(request, pk):
    """Serve the decision and certificate: public for a recognised base, else to those who see the base."""
    base = found_or_404(certificate_base_for(request.user, pk))
    pdf, filename = certificate_pdf(base)
    return pdf_response(pdf, filename=filename)
