"""The complete file of an application for the authority's archive (Art. 10): one zip with an index.

The zip holds the 申报表, every current document of the application, the expert scores summary, the site-visit
report with its materials, the decisions, the publicity and recognition notices, the objections with their
resolution and evidence, and 目录.pdf listing each file with its size and SHA-256, so the archive can be
checked file by file. Reading it is an audited read (the view records it).
"""

import hashlib
import tempfile
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from bases.models import Notice
from kit.pdf import render_pdf, safe_filename

from .documents import form_pdf, form_version
from .models import Application, AttachmentKind, ExpertAssignment
from .permissions import is_authority_staff


@dataclass(frozen=True)
class Entry:
    """One file of the dossier, as the index lists it."""

    name: str
    description: str
    size: int
    sha256: str


def expert_summary(app: Application, *, show_names: bool) -> dict:
    """Return the submitted scores by rubric item and their averages; experts named only if `show_names`.

    The approving authority knows who scored; anyone else reading the file sees 专家一, 专家二, ... (the order
    of assignment), so the scores can be read without identifying the experts."""
    submitted = [
        a
        for a in app.assignments.select_related("expert").order_by("assigned_at", "id")
        if a.status == ExpertAssignment.Status.SUBMITTED
    ]
    rubric = app.batch.rubric
    # Scores are stored as decimal strings ("12.5"), as the scoring service cleaned them.
    table = [[_score(a.scores.get(item["key"])) for item in rubric] for a in submitted]
    rows = [
        {
            "expert": a.expert.display_name if show_names else _("专家%(n)d") % {"n": i},
            "scores": scores,
            "total": a.total,
        }
        for i, (a, scores) in enumerate(zip(submitted, table, strict=True), start=1)
    ]
    columns = [[s for s in column if s is not None] for column in zip(*table, strict=True)] if table else []
    return {
        "rubric": rubric,
        "rows": rows,
        "averages": [_mean(column) for column in columns] or [None] * len(rubric),
        "average": _mean([a.total for a in submitted]),
        "recused": sum(1 for a in app.assignments.all() if a.status == ExpertAssignment.Status.CONFLICT),
    }


def _score(value):
    return Decimal(str(value)) if value not in (None, "") else None


def _mean(values):
    return (sum(values) / len(values)).quantize(Decimal("0.1")) if values else None


def _masked_phone(phone: str) -> str:
    return ("*" * max(len(phone) - 4, 0)) + phone[-4:] if phone else ""


def dossier_context(app: Application, *, user) -> dict:
    objections = list(app.objections.select_related("evidence").order_by("lodged_at", "id"))
    for o in objections:
        o.masked_phone = _masked_phone(o.phone)
    return {
        "app": app,
        "version": form_version(app),
        "experts": expert_summary(app, show_names=is_authority_staff(user, app)),
        "site_visits": list(app.site_visits.order_by("visit_date", "id")),
        "decisions": list(app.decisions.select_related("decided_by").order_by("decided_at", "id")),
        "notices": list(
            Notice.objects.filter(application=app).select_related("authority").order_by("published_at", "id")
        ),
        "objections": objections,
        "printed_at": timezone.localtime(),
    }


def _documents(app: Application):
    """Yield (folder, description, attachment) for every current document of the file, in archive order."""
    folders = {
        AttachmentKind.SITE_VISIT: _("04-实地考察材料"),
        AttachmentKind.OBJECTION_EVIDENCE: _("07-异议证据"),
    }
    current = [a for a in app.attachments.all() if a.is_current]
    for a in sorted(current, key=lambda a: (a.kind in folders, a.kind, a.pk)):
        yield folders.get(a.kind, _("02-申报材料")), str(a.get_kind_display()), a


class _Writer:
    """Write files into the zip under unique, safe names and remember each for the index."""

    def __init__(self, archive):
        self.archive = archive
        self.entries: list[Entry] = []
        self.names: set[str] = set()

    def add(self, name: str, data: bytes, description: str) -> None:
        folder, _sep, leaf = name.rpartition("/")
        leaf = safe_filename(leaf)
        unique, n = leaf, 1
        while f"{folder}/{unique}" in self.names:
            n += 1
            stem, dot, ext = leaf.rpartition(".")
            unique = f"{stem}-{n}.{ext}" if dot else f"{leaf}-{n}"
        full = f"{folder}/{unique}" if folder else unique
        self.names.add(full)
        self.archive.writestr(full, data)
        self.entries.append(Entry(full, description, len(data), hashlib.sha256(data).hexdigest()))


def dossier_filename(app: Application) -> str:
    return f"{_('申报档案')}-{app.base_name or app.institution.name}.zip"


def dossier_write(app: Application, *, user, out) -> list[Entry]:
    """Write the dossier zip into the binary file `out`; return the entries its index lists."""
    context = dossier_context(app, user=user)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        writer = _Writer(archive)
        form, _name = form_pdf(app)
        writer.add(_("01-申报表.pdf"), form, _("申报表"))
        for folder, description, attachment in _documents(app):
            with attachment.file.open("rb") as f:
                data = f.read()
            writer.add(f"{folder}/{attachment.original_name}", data, description)
        parts = [
            ("experts", _("03-专家评审汇总.pdf"), _("专家评审汇总")),
            ("site_visits", _("04-实地考察报告.pdf"), _("实地考察报告")),
            ("decisions", _("05-认定决定.pdf"), _("认定决定")),
            ("notices", _("06-公示及公布公告.pdf"), _("公示及公布公告")),
            ("objections", _("07-异议及处理结果.pdf"), _("异议及处理结果")),
        ]
        for part, name, description in parts:
            pdf = render_pdf(
                "applications/pdf/dossier_part.html", {**context, "part": part, "title": description}
            )
            writer.add(name, pdf, description)
        listed = sorted(writer.entries, key=lambda e: e.name)
        index = render_pdf("applications/pdf/dossier_index.html", {**context, "entries": listed})
        writer.add(_("00-目录.pdf"), index, _("目录"))
    return writer.entries


def dossier_file(app: Application, *, user):
    """Return the dossier as an open temporary file (attachments can be large: it is not held in memory),
    positioned at the start, and its entries."""
    out = tempfile.TemporaryFile()  # noqa: SIM115  (closed by the response that streams it)
    entries = dossier_write(app, user=user, out=out)
    out.seek(0)
    return out, entries
