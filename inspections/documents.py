"""Inspection and assessment reports of a base as PDF, for the published results (R-25, R-26, R-27).

The report carries the nine Art. 22 items with their scores and notes, the average and the result, and the
conclusion; it names no inspector (the published notice carries no personal data either). A report whose result
is not yet confirmed (or not yet published) says so on every page.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from kit.pdf import render_pdf

from .models import ITEMS, Assessment, Inspection


def inspection_report_context(insp: Inspection) -> dict:
    scores = {s.item: s for s in insp.scores.all()}
    return {
        "insp": insp,
        "items": [(label, scores.get(key)) for key, label in ITEMS],
        "final": insp.state == Inspection.State.CONFIRMED,
        "printed_at": timezone.localtime(),
    }


def inspection_report_pdf(insp: Inspection) -> tuple[bytes, str]:
    pdf = render_pdf("inspections/pdf/inspection_report.html", inspection_report_context(insp))
    return pdf, f"{_('检查报告')}-{insp.round.year}-{insp.base.name}.pdf"


def assessment_report_pdf(assessment: Assessment) -> tuple[bytes, str]:
    context = {
        "a": assessment,
        "final": assessment.state == Assessment.State.PUBLISHED,
        "printed_at": timezone.localtime(),
    }
    pdf = render_pdf("inspections/pdf/assessment_report.html", context)
    return pdf, f"{_('评估报告')}-{assessment.year}-{assessment.base.name}.pdf"
