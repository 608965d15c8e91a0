"""Pages of the recognition workflow. Thin: parse, fetch through a selector, call one service, render.

One module per entity; the names urls.py uses are re-exported here.
"""

from .actions import application_transition
from .attachments import attachment_download, attachment_remove, attachment_upload
from .batches import application_start, batch_create, batch_list
from .detail import application_detail, application_excel, application_list, version_detail
from .edit import application_edit, staff_add, staff_remove
from .experts import assignment_detail, expert_assign, expert_assignments, site_visit_record
from .objections import objection_resolve

__all__ = [
    "application_detail",
    "application_edit",
    "application_excel",
    "application_list",
    "application_start",
    "application_transition",
    "assignment_detail",
    "attachment_download",
    "attachment_remove",
    "attachment_upload",
    "batch_create",
    "batch_list",
    "expert_assign",
    "expert_assignments",
    "objection_resolve",
    "site_visit_record",
    "staff_add",
    "staff_remove",
    "version_detail",
]
