"""Wrong one-time codes count towards django-axes' lockout, with the password failures of the same (username,
IP) pair: 5 wrong answers of either kind lock the pair for 30 minutes (AXES_FAILURE_LIMIT, AXES_COOLOFF_TIME).

These take the request because axes keys its records on the client's IP; the rules of the codes themselves
live in two_factor.py.
"""

from axes.handlers.proxy import AxesProxyHandler

from kit.trail import record as audit_record


def _credentials(user) -> dict:
    return {"username": user.get_username()}


def is_locked_out(request, user) -> bool:
    """Return True if the user's (username, IP) pair is locked out now."""
    return AxesProxyHandler.is_locked(request, _credentials(user))


def record_wrong_code(request, user) -> bool:
    """Count a wrong (or throttled) code as a failed sign-in; return True if it locked the pair out.

    The handler is called directly rather than through the user_login_failed signal so the audit trail says
    what failed (a code, not a password); axes still sends user_locked_out, which the audit records.
    """
    audit_record(
        actor=None,
        actor_name=user.get_username(),
        action="auth.otp_failed",
        object_type=user._meta.label_lower,
        object_id=str(user.pk),
    )
    AxesProxyHandler.user_login_failed(sender=__name__, credentials=_credentials(user), request=request)
    return bool(getattr(request, "axes_locked_out", False))
