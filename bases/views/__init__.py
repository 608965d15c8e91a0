"""Public registry, profiles and notices; change requests, misconduct reports and the import for staff.

One module per entity; the names urls.py uses are re-exported here.
"""

from .bulk_import import import_bases, import_template
from .changes import change_request_detail, change_request_new, change_request_transition
from .notices import NoticeFeed, notice_detail, notice_list, objection_lodge
from .registry import base_detail, registry, registry_export
from .reports import report_create, report_detail, report_list, report_lookup
from .staff import base_history, base_manage_list, evidence_download, filed_bases

__all__ = [
    "NoticeFeed",
    "base_detail",
    "base_history",
    "base_manage_list",
    "change_request_detail",
    "change_request_new",
    "change_request_transition",
    "evidence_download",
    "filed_bases",
    "import_bases",
    "import_template",
    "notice_detail",
    "notice_list",
    "objection_lodge",
    "registry",
    "registry_export",
    "report_create",
    "report_detail",
    "report_list",
    "report_lookup",
]
