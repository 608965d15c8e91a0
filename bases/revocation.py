"""What other apps must do when a base is revoked (R-28), run inside the revocation's transaction.

An app above `bases` registers its effect in AppConfig.ready() — `hours` revokes the base's API keys — so
the Base machine's revoke stays in `bases` without importing those apps.
"""

_effects = []


def register_revocation_effect(effect) -> None:
    """Register `effect(*, actor, base, reasons)` to run when a base is revoked."""
    if effect not in _effects:
        _effects.append(effect)


def run_revocation_effects(*, actor, base, reasons: str) -> None:
    for effect in _effects:
        effect(actor=actor, base=base, reasons=reasons)
