"""Every write to batches and applications other than the state transitions (those run on the machine of
`applications.workflow`), by entity."""

from .attachments import APPLICANT_KINDS, SINGLE_KINDS, attachment_remove, attachment_store, attachment_upload
from .batches import LEVEL_FOR_KIND, batch_create
from .bulk import BULK_ACTIONS, applications_bulk
from .drafts import (
    EDITABLE_FIELDS,
    application_create,
    application_update,
    lock_editable,
    normalize_fields,
    recommender_choices,
)
from .draws import draw_candidates, draw_pick, expert_draw, expert_replace
from .experts import assignment_declare, assignment_submit_scores, assignments_create, expert_assign
from .panel import panel_resolutions_record
from .pool import can_manage_expert, expert_profile_update
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
    "BULK_ACTIONS",
    "APPLICANT_KINDS",
    "EDITABLE_FIELDS",
    "EMPLOYMENT_WORDS",
    "LEVEL_FOR_KIND",
    "OBJECTION_RATE_LIMIT",
    "SINGLE_KINDS",
    "STAFF_CATEGORY_WORDS",
    "application_create",
    "application_update",
    "applications_bulk",
    "assignment_declare",
    "assignments_create",
    "assignment_submit_scores",
    "attachment_remove",
    "attachment_store",
    "attachment_upload",
    "batch_create",
    "can_manage_expert",
    "draw_candidates",
    "draw_pick",
    "expert_assign",
    "expert_draw",
    "expert_profile_update",
    "expert_replace",
    "lock_editable",
    "normalize_fields",
    "objection_lodge",
    "objection_resolve",
    "panel_resolutions_record",
    "parse_staff_lines",
    "recommender_choices",
    "site_visit_record",
    "staff_add",
    "staff_remove",
    "staff_replace",
]
