"""The draft's staff list (师资, Art. 8): parse pasted lines, add, remove, replace."""

from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from kit.errors import InvalidInput

from ..models import (
    Application,
    StaffMember,
)
from .drafts import lock_editable

STAFF_CATEGORY_WORDS = {
    "教师": StaffMember.Category.TEACHER,
    "teacher": StaffMember.Category.TEACHER,
    "政策研究": StaffMember.Category.POLICY_RESEARCH,
    "政策研究和宣讲": StaffMember.Category.POLICY_RESEARCH,
    "policy_research": StaffMember.Category.POLICY_RESEARCH,
    "技术人员": StaffMember.Category.ONLINE_TECHNICAL,
    "线上技术": StaffMember.Category.ONLINE_TECHNICAL,
    "online_technical": StaffMember.Category.ONLINE_TECHNICAL,
}
EMPLOYMENT_WORDS = {
    "专职": StaffMember.Employment.FULL_TIME,
    "full_time": StaffMember.Employment.FULL_TIME,
    "兼职": StaffMember.Employment.PART_TIME,
    "part_time": StaffMember.Employment.PART_TIME,
}


def parse_staff_lines(text: str) -> tuple[list[dict], list[str]]:
    """Parse pasted rows `姓名, 职称, 专业领域, 类别, 专职/兼职` (tab, comma or 、 separated)."""
    rows, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.replace("\t", ",").replace("，", ",").replace("、", ",").split(",")
        parts = [p.strip() for p in parts]
        if len(parts) != 5 or not all(parts):
            errors.append(_("第 %(n)d 行：应为“姓名, 职称, 专业领域, 类别, 专职/兼职”五项。") % {"n": number})
            continue
        name, title, field, category, employment = parts
        cat = STAFF_CATEGORY_WORDS.get(category)
        emp = EMPLOYMENT_WORDS.get(employment)
        if cat is None:
            errors.append(_("第 %(n)d 行：类别应为“教师”“政策研究”或“技术人员”。") % {"n": number})
            continue
        if emp is None:
            errors.append(_("第 %(n)d 行：应填写“专职”或“兼职”。") % {"n": number})
            continue
        rows.append(
            {"name": name[:60], "title": title[:60], "field": field[:100], "category": cat, "employment": emp}
        )
    return rows, errors


def staff_add(*, actor, application: Application, people: list[dict]) -> list[StaffMember]:
    """Add people to the staff list; all rows are valid or none is saved."""
    errors = []
    for i, p in enumerate(people, start=1):
        if not all((p.get(k) or "").strip() for k in ("name", "title", "field")):
            errors.append(_("第 %(n)d 人：姓名、职称、专业领域均须填写。") % {"n": i})
        if (
            p.get("category") not in StaffMember.Category.values
            or p.get("employment") not in StaffMember.Employment.values
        ):
            errors.append(_("第 %(n)d 人：类别或专兼职无效。") % {"n": i})
    if errors:
        raise InvalidInput(_("师资名单有误，未保存任何人员。"), field_errors={"staff": errors})
    with transaction.atomic():
        app = lock_editable(actor, application)
        created = StaffMember.objects.bulk_create(
            [
                StaffMember(
                    application=app, **{k: p[k] for k in ("name", "title", "field", "category", "employment")}
                )
                for p in people
            ]
        )
        audit_record(
            actor=actor,
            action="application.staff_added",
            obj=app,
            organization=app.institution,
            comment=str(len(created)),
        )
    return created


def staff_remove(*, actor, application: Application, staff_ids: list[int]) -> int:
    with transaction.atomic():
        app = lock_editable(actor, application)
        deleted, _detail = StaffMember.objects.filter(application=app, pk__in=staff_ids).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="application.staff_removed",
                obj=app,
                organization=app.institution,
                comment=str(deleted),
            )
    return deleted


def staff_replace(*, actor, application: Application, people: list[dict]) -> None:
    """Replace the whole staff list (the API's PUT semantics)."""
    with transaction.atomic():
        app = lock_editable(actor, application)
        StaffMember.objects.filter(application=app).delete()
        if people:
            staff_add(actor=actor, application=app, people=people)
