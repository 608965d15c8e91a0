"""A Base's status: into and out of rectification, and revocation, through the Base machine (R-27, R-28)."""

from django.db import transaction

from bases import workflow

from ..models import Base


def base_rectification_start(*, actor, base) -> Base:
    """Put an active base under rectification; a base already under rectification stays so."""
    with transaction.atomic():
        locked = workflow.BASE.lock(base, actor)
        if locked.status != Base.Status.ACTIVE:
            return locked
        return workflow.BASE.run(locked, "start_rectification", actor=actor)


def base_rectification_end(*, actor, base) -> Base:
    """Return a base to normal once no rectification of it is open (the caller knows there is none)."""
    with transaction.atomic():
        locked = workflow.BASE.lock(base, actor)
        if locked.status != Base.Status.RECTIFICATION:
            return locked
        return workflow.BASE.run(locked, "end_rectification", actor=actor)


def base_revoke(*, actor, base, reasons: str, cause: str = "inspection") -> Base:
    """R-28: revoke the base, publish the notice, bar the institution (R-15), file non-provincial ones.

    `cause` is what failed: "inspection" or "assessment" (it names the cause in the notice).
    """
    return workflow.BASE.run(base, "revoke", actor=actor, comment=reasons, cause=cause)


def base_revoke_once(*, actor, base, reasons: str, cause: str = "inspection") -> bool:
    """Revoke the base unless another case has revoked it already; return whether this call revoked it.

    A base may have two rectifications (an inspection's and an assessment's) both ending in revocation: the
    second closes as revoked without a second notice or bar.
    """
    with transaction.atomic():
        locked = workflow.BASE.lock(base, actor)
        if locked.status == Base.Status.REVOKED:
            return False
        base_revoke(actor=actor, base=locked, reasons=reasons, cause=cause)
        return True
