"""The header entries of bases (kit.nav): the bases one works on, filings, misconduct reports."""

from django.utils.translation import gettext_lazy as _

from kit.nav import OPERATION, PUBLIC, SUPERVISION

OPERATION_ENTRIES = [
    (
        "bases",
        _("基地管理"),
        "bases:manage",
        10,
        lambda actor: actor.is_authority_staff or actor.is_institution_staff,
    ),
    ("filed", _("备案基地"), "bases:filed", 60, lambda actor: actor.is_provincial),
]
SUPERVISION_ENTRIES = [
    ("reports", _("违规举报"), "bases:reports", 10, lambda actor: actor.is_authority_staff),
]
PUBLIC_ENTRIES = [
    ("home", _("基地名录"), "bases:home", 10, lambda actor: True),
    ("notices", _("公示公告"), "bases:notices", 20, lambda actor: True),
    ("report_lookup", _("举报查询"), "bases:report_lookup", 30, lambda actor: True),
]
ENTRIES = {OPERATION: OPERATION_ENTRIES, SUPERVISION: SUPERVISION_ENTRIES, PUBLIC: PUBLIC_ENTRIES}
