"""Domain errors shared by every app. Views show them as messages; the API maps them to status codes."""


class DomainError(Exception):
    """A refused operation with a message for the user."""

    status_code = 400

    def __init__(self, message, *, field_errors: dict | None = None):
        super().__init__(message)
        self.message = str(message)
        self.field_errors = field_errors or {}


class PermissionRefused(DomainError):
    status_code = 403


class NotVisible(DomainError):
    status_code = 404


class WrongState(DomainError):
    status_code = 409


class InvalidInput(DomainError):
    status_code = 400
