"""Who may do what to an application: small predicates used by the workflow, services and templates."""

from accounts.jurisdiction import actor_for
from accounts.models import Role

APPLICANT_ROLES = (Role.INSTITUTION_ADMIN, Role.BASE_OPERATOR)


def is_applicant(user, application) -> bool:
    actor = actor_for(user)
    return any(actor.has_role(r, application.institution_id) for r in APPLICANT_ROLES)


def is_reviewer(user, application) -> bool:
    return actor_for(user).has_role(Role.AUTHORITY_REVIEWER, application.batch.approving_authority_id)


def is_approver(user, application) -> bool:
    return actor_for(user).has_role(Role.AUTHORITY_APPROVER, application.batch.approving_authority_id)


def is_recommender(user, application) -> bool:
    if not application.recommending_authority_id:
        return False
    actor = actor_for(user)
    return any(
        actor.has_role(r, application.recommending_authority_id)
        for r in (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
    )


def is_authority_staff(user, application) -> bool:
    return is_reviewer(user, application) or is_approver(user, application)


def can_read_expert_review(user, application) -> bool:
    """The expert review (who was assigned, scores, declarations) and internal comments are the approving
    authority's and the province's alone."""
    return is_authority_staff(user, application) or actor_for(user).is_provincial


def can_edit_application(user, application) -> bool:
    return application.is_editable and is_applicant(user, application)


def can_manage_batches(user, authority) -> bool:
    actor = actor_for(user)
    return actor.has_role(Role.AUTHORITY_ADMIN, authority.pk) or (
        actor.is_provincial_admin and authority.is_authority
    )


def can_run_panel(user, batch) -> bool:
    """The approving authority's reviewers prepare the panel sheet and record the panel's resolutions."""
    return actor_for(user).has_role(Role.AUTHORITY_REVIEWER, batch.approving_authority_id)


def can_read_panel(user, batch) -> bool:
    actor = actor_for(user)
    return (
        any(
            actor.has_role(r, batch.approving_authority_id)
            for r in (Role.AUTHORITY_REVIEWER, Role.AUTHORITY_APPROVER)
        )
        or actor.is_provincial
    )
