"""Every write to batches and applications other than the state transitions (those run on the machine of
`applications.workflow`), by entity."""

from .attachments import APPLICANT_KINDS, SINGLE_KINDS, attachment_remove, attachment_store, attachment_upload
from .batches import LEVEL_FOR_KIND, batch_create
from .drafts import (
    EDITABLE_FIELDS,
    application_create,
    application_update,
    lock_editable,
    normalize_fields,
    recommender_choices,
)
from .experts import assignment_declare, assignment_submit_scores, expert_assign
from .publicity import OBJECTION_RATE_LIMIT, objection_lodge, objection_resolve, site_visit_record
from .staff import (
    EMPLOYMENT_WORDS,
    STAFF_CATEGORY_WORDS,
    parse_staff_lines,
    staff_add,
    staff_remove,
    staff_replace,
)

__all__ = [
    "APPLICANT_KINDS",
    "EDITABLE_FIELDS",
    "EMPLOYMENT_WORDS",
    "LEVEL_FOR_KIND",
    "OBJECTION_RATE_LIMIT",
    "SINGLE_KINDS",
    "STAFF_CATEGORY_WORDS",
    "application_create",
    "application_update",
    "assignment_declare",
    "assignment_submit_scores",
    "attachment_remove",
    "attachment_store",
    "attachment_upload",
    "batch_create",
    "expert_assign",
    "lock_editable",
    "normalize_fields",
    "objection_lodge",
    "objection_resolve",
    "parse_staff_lines",
    "recommender_choices",
    "site_visit_record",
    "staff_add",
    "staff_remove",
    "staff_replace",
]
