"""The application's official documents as PDF: the 申报表 to print and stamp (R-14, Art. 10(1)).

The form is laid out from the application as it stands. It carries a version number and fingerprint only when
its content is exactly a submitted version (ApplicationVersion): then the stamped paper copy names the
electronic version it was printed from, and anyone can compare the fingerprint with the version page. Anything
else (a draft, a returned application being corrected) prints marked 草稿 and without a fingerprint.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organization
from kit.pdf import digest, render_pdf, render_pdf_cached

from .models import RULE_KINDS, Application, AttachmentKind, StaffMember
from .rules import article8_checklist, staff_counts
from .snapshot import application_snapshot

# Documents of the file that are not the applicant's own 申报材料.
REVIEW_KINDS = (AttachmentKind.SITE_VISIT, AttachmentKind.OBJECTION_EVIDENCE)


@dataclass(frozen=True)
class FormVersion:
    """What a printed form says about the version it shows."""

    number: int | None
    fingerprint: str
    submitted_at: object
    is_draft: bool

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:16]


def version_fingerprint(version) -> str:
    """Return the SHA-256 of a submitted version's frozen content (shown on the version page and the form)."""
    return digest(version.data)


def form_content(app: Application) -> dict:
    """Return the snapshot of what the form shows: the review's own documents (site-visit materials, objection
    evidence), added after submission, are not part of the applicant's form."""
    data = application_snapshot(app)
    data["attachments"] = [d for d in data["attachments"] if d["kind"] not in REVIEW_KINDS]
    return data


def form_version(app: Application) -> FormVersion:
    """Return the submitted version the form's content is exactly, or a draft mark when it is none."""
    latest = max(app.versions.all(), key=lambda v: v.number, default=None)
    if latest is not None and not app.is_editable and digest(form_content(app)) == digest(latest.data):
        return FormVersion(latest.number, version_fingerprint(latest), latest.submitted_at, False)
    return FormVersion(latest.number if latest else None, "", None, True)


def region_label(region) -> str:
    if region is None:
        return ""
    if region.parent_id and region.level == "county":
        return f"{region.parent.name}{region.name}"
    return region.name


def staff_tables(app) -> list[tuple[str, list]]:
    """The staff lists of Art. 8(2) as the paper form has them: one table a category and employment."""
    groups = [
        (_("专职教师"), StaffMember.Category.TEACHER, StaffMember.Employment.FULL_TIME),
        (_("兼职教师"), StaffMember.Category.TEACHER, StaffMember.Employment.PART_TIME),
        (_("政策研究和宣讲人员"), StaffMember.Category.POLICY_RESEARCH, None),
        (_("线上教学与平台运营技术人员"), StaffMember.Category.ONLINE_TECHNICAL, None),
    ]
    people = list(app.staff.all())
    return [
        (
            title,
            [
                p
                for p in people
                if p.category == category and (employment is None or p.employment == employment)
            ],
        )
        for title, category, employment in groups
    ]


def form_context(app: Application) -> dict:
    """Return everything the 申报表 shows, read once."""
    current = [a for a in app.attachments.all() if a.is_current]
    by_kind = {}
    for a in current:
        by_kind.setdefault(a.kind, a)
    version = form_version(app)
    types = dict(Organization.InstitutionType.choices)
    return {
        "app": app,
        "institution_type": types.get(app.institution_type, ""),
        "region": region_label(app.region),
        "version": version,
        "counts": staff_counts(app),
        "staff_tables": staff_tables(app),
        "checklist": article8_checklist(app),
        "rules": [(kind.label, by_kind.get(kind)) for kind in RULE_KINDS],
        "credit_evidence": by_kind.get(AttachmentKind.CREDIT_EVIDENCE),
        "materials": [a for a in current if a.kind not in REVIEW_KINDS],
        "printed_at": timezone.localtime(),
    }


def form_filename(app: Application, version: FormVersion) -> str:
    name = app.base_name or app.institution.name
    suffix = _("草稿") if version.is_draft else f"v{version.number}"
    return f"{_('申报表')}-{name}-{suffix}.pdf"


def form_pdf(app: Application) -> tuple[bytes, str]:
    """Return the 申报表 as PDF bytes and its file name.

    A submitted version never changes, so its PDF is rendered once (per language) and then served from the
    cache under its fingerprint; a draft is rendered each time."""
    context = form_context(app)
    version = context["version"]
    template = "applications/pdf/form.html"
    if version.is_draft:
        pdf = render_pdf(template, context)
    else:
        # The authority's name is shown but not frozen in the version: a renamed authority is a new key too.
        authority = app.batch.approving_authority.name
        pdf = render_pdf_cached(
            template, context, key=f"form:{app.pk}:{version.fingerprint}:{digest(authority)}"
        )
    return pdf, form_filename(app, version)
