"""Every write of `bases`, by entity: the registry entry and its notices, change requests, misconduct reports,
and the Base's status (rectification, revocation)."""

from .changes import (
    change_request_apply,
    change_request_clean,
    change_request_create,
    change_request_notify,
    change_rows,
    fee_increases,
)
from .registry import (
    FACT_FIELDS,
    base_create_from_application,
    base_facts,
    base_index,
    base_refresh_index,
    base_version_record,
    certificate_number,
    notice_publish,
    platform_name_problem,
    provincial_hr,
)
from .reports import REPORT_RATE_LIMIT, misconduct_report_create, misconduct_report_triage
from .status import base_rectification_end, base_rectification_start, base_revoke, base_revoke_once

__all__ = [
    "FACT_FIELDS",
    "REPORT_RATE_LIMIT",
    "base_create_from_application",
    "base_facts",
    "base_index",
    "base_rectification_end",
    "base_rectification_start",
    "base_refresh_index",
    "base_revoke",
    "base_revoke_once",
    "base_version_record",
    "certificate_number",
    "change_request_apply",
    "change_request_clean",
    "change_request_create",
    "change_request_notify",
    "change_rows",
    "fee_increases",
    "misconduct_report_create",
    "misconduct_report_triage",
    "notice_publish",
    "platform_name_problem",
    "provincial_hr",
]
