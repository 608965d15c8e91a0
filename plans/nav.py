"""The header entries of plans (kit.nav): annual plans, classes, the filing dashboard."""

from django.utils.translation import gettext_lazy as _

from kit.nav import OPERATION

ENTRIES = {
    OPERATION: [
        ("plans", _("年度计划"), "plans:list", 20, lambda actor: actor.is_institution_staff),
        ("classes", _("培训班"), "plans:classes", 30, lambda actor: actor.is_institution_staff),
        ("plan_dashboard", _("计划备案"), "plans:dashboard", 40, lambda actor: actor.is_authority_staff),
    ]
}
