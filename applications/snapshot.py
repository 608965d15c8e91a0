"""A JSON picture of the 申报表: frozen at each submission and at the decision, and compared between versions."""

from django.utils.translation import gettext as _

from .models import SECTION_FIELDS, Application, StaffMember

# Every field of the steps, by value (the region by its code); the recommender is a choice, not content.
SCALAR_FIELDS = [
    "region_id" if f == "region" else f
    for fields in SECTION_FIELDS.values()
    for f in fields
    if f != "recommending_authority"
]


def application_snapshot(app: Application) -> dict:
    data = {name: getattr(app, name) for name in SCALAR_FIELDS}
    data["institution"] = {
        "id": app.institution_id,
        "name": app.institution.name,
        "credit_code": app.institution.credit_code,
    }
    data["batch"] = {"id": app.batch_id, "title": app.batch.title, "level": app.batch.level}
    data["staff"] = [
        {
            "name": s.name,
            "title": s.title,
            "field": s.field,
            "category": s.category,
            "employment": s.employment,
        }
        for s in app.staff.order_by("id")
    ]
    data["attachments"] = [
        {"id": a.pk, "kind": a.kind, "name": a.original_name, "sha256": a.sha256}
        for a in app.attachments.filter(is_current=True).order_by("kind", "id")
    ]
    return data


def field_label(name: str) -> str:
    if name == "staff":
        return _("师资人员名单")
    if name == "attachments":
        return _("申报材料")
    if name == "region_id":
        return str(Application._meta.get_field("region").verbose_name)
    try:
        return str(Application._meta.get_field(name).verbose_name)
    except Exception:  # noqa: BLE001
        return name


def _staff_key(p):
    return (p["name"], p["category"], p["employment"], p["title"], p["field"])


def diff_snapshots(old: dict, new: dict) -> list[dict]:
    """Return the changed fields between two versions, with staff and documents as added/removed items."""
    changes = []
    for name in SCALAR_FIELDS:
        if old.get(name) != new.get(name):
            changes.append(
                {"field": name, "label": field_label(name), "old": old.get(name), "new": new.get(name)}
            )
    old_staff = {_staff_key(p) for p in old.get("staff", [])}
    new_staff = {_staff_key(p) for p in new.get("staff", [])}
    categories = dict(StaffMember.Category.choices)
    employment = dict(StaffMember.Employment.choices)

    def show(k):
        return f"{k[0]}（{categories.get(k[1], k[1])}，{employment.get(k[2], k[2])}，{k[3]}，{k[4]}）"

    if old_staff != new_staff:
        changes.append(
            {
                "field": "staff",
                "label": field_label("staff"),
                "added": [show(k) for k in sorted(new_staff - old_staff)],
                "removed": [show(k) for k in sorted(old_staff - new_staff)],
            }
        )
    old_docs = {(d["kind"], d["sha256"]): d["name"] for d in old.get("attachments", [])}
    new_docs = {(d["kind"], d["sha256"]): d["name"] for d in new.get("attachments", [])}
    if set(old_docs) != set(new_docs):
        changes.append(
            {
                "field": "attachments",
                "label": field_label("attachments"),
                "added": [new_docs[k] for k in sorted(set(new_docs) - set(old_docs))],
                "removed": [old_docs[k] for k in sorted(set(old_docs) - set(new_docs))],
            }
        )
    return changes
