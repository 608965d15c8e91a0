"""The header entries of applications (kit.nav): applying, batches, expert reviews."""

from django.utils.translation import gettext_lazy as _

from kit.nav import APPLY


def _staff(actor):
    return actor.is_authority_staff or actor.is_institution_staff


ENTRIES = {
    APPLY: [
        ("applications", _("基地申报"), "applications:list", 10, _staff),
        ("batches", _("申报批次"), "applications:batches", 20, _staff),
        ("expert", _("评审任务"), "applications:expert_assignments", 30, lambda actor: actor.is_expert),
    ]
}
