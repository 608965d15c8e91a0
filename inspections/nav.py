"""The header entries of inspections (kit.nav): rounds, assessments, rectifications, excellent bases."""

from django.utils.translation import gettext_lazy as _

from kit.nav import PUBLIC, SUPERVISION

SUPERVISION_ENTRIES = [
    ("inspections", _("检查考核"), "inspections:rounds", 20, lambda actor: actor.is_authority_staff),
    ("assessments", _("动态评估"), "inspections:assessments", 30, lambda actor: actor.is_authority_staff),
    (
        "rectifications",
        _("整改"),
        "inspections:rectifications",
        40,
        lambda actor: actor.is_authority_staff or actor.is_institution_staff,
    ),
]
PUBLIC_ENTRIES = [
    ("excellent", _("优秀基地"), "inspections:excellent", 40, lambda actor: True),
]
ENTRIES = {SUPERVISION: SUPERVISION_ENTRIES, PUBLIC: PUBLIC_ENTRIES}
