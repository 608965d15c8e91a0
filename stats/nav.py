"""The header entries of stats (kit.nav): the cockpit under supervision, the open data under the public pages.
Both join groups their users already have, so no role gains a top-level entry."""

from django.utils.translation import gettext_lazy as _

from kit.nav import PUBLIC, SUPERVISION

SUPERVISION_ENTRIES = [
    ("statistics", _("统计分析"), "stats:dashboard", 90, lambda actor: actor.is_authority_staff),
]
PUBLIC_ENTRIES = [
    ("open_data", _("开放数据"), "stats:public", 60, lambda actor: True),
]
ENTRIES = {SUPERVISION: SUPERVISION_ENTRIES, PUBLIC: PUBLIC_ENTRIES}
