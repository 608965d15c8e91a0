"""The header entries of hours (kit.nav): reporting, look-up, statistics, years, API keys, verification."""

from django.utils.translation import gettext_lazy as _

from kit.nav import HOURS, PUBLIC, SYSTEM

HOURS_ENTRIES = [
    ("hours", _("学时报送"), "hours:home", 10, lambda actor: actor.is_institution_staff),
    ("hours_lookup", _("学时查询"), "hours:lookup", 20, lambda actor: actor.is_authority_staff),
    ("hours_statistics", _("学时统计"), "hours:statistics", 30, lambda actor: actor.is_authority_staff),
    ("hours_years", _("学时年度"), "hours:years", 40, lambda actor: actor.is_provincial_admin),
]
SYSTEM_ENTRIES = [
    ("api_keys", _("接口密钥"), "hours:keys", 70, lambda actor: actor.is_security_admin),
]
PUBLIC_ENTRIES = [
    ("hours_verify", _("学时证明验证"), "hours:verify", 50, lambda actor: True),
]
ENTRIES = {HOURS: HOURS_ENTRIES, SYSTEM: SYSTEM_ENTRIES, PUBLIC: PUBLIC_ENTRIES}
