"""The application's documents as PDF: the 申报表 to print and stamp (R-14), and the authority's dossier."""

from django.contrib.auth.decorators import login_required

from kit.pdf import pdf_response

from ..documents import form_pdf
from .common import application_or_404


@login_required
def application_form_pdf(request, pk):
    """Serve the 申报表 to whoever may see the application (the same selector as its page)."""
    app = application_or_404(request, pk)
    pdf, filename = form_pdf(app)
    return pdf_response(pdf, filename=filename)
