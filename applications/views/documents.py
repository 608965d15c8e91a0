"""The application's documents: the 申报表 as PDF to print and stamp (R-14), and the authority's dossier.

No login redirect: a document is found through the same selector as the application's page, and anyone it does
not show the application to (the public included) gets 404, as for every non-public document."""

from django.http import FileResponse, Http404

from audit.services import audit_record
from kit.pdf import pdf_response, safe_filename

from ..documents import form_pdf
from ..dossier import dossier_file, dossier_filename
from ..permissions import can_read_expert_review
from .common import application_or_404


def application_form_pdf(request, pk):
    """Serve the 申报表 to whoever may see the application (the same selector as its page)."""
    app = application_or_404(request, pk)
    pdf, filename = form_pdf(app)
    return pdf_response(pdf, filename=filename)


def application_dossier(request, pk):
    """Serve the complete file to the approving authority and the province: an audited read.

    Everyone else, including the applicant and the experts who may see the application, gets 404 (the file holds
    the expert review and the objectors' identities)."""
    app = application_or_404(request, pk)
    if not can_read_expert_review(request.user, app):
        raise Http404
    out, entries = dossier_file(app, user=request.user)
    audit_record(
        actor=request.user,
        action="application.dossier_exported",
        obj=app,
        organization=app.batch.approving_authority,
        comment=f"files={len(entries)}",
    )
    response = FileResponse(
        out, as_attachment=True, filename=safe_filename(dossier_filename(app)), content_type="application/zip"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
