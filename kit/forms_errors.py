"""Show a refused service call to the user: field errors on the form, the message as a page message."""

from django.contrib import messages

from kit.errors import DomainError


def apply_domain_error(request, exc: DomainError, form=None) -> None:
    placed = False
    if form is not None:
        for field, errors in exc.field_errors.items():
            target = field if field in form.fields else None
            for error in errors if isinstance(errors, list | tuple) else [errors]:
                form.add_error(target, error)
                placed = True
    if not placed or form is None:
        messages.error(request, exc.message)
        for errors in exc.field_errors.values():
            for error in errors if isinstance(errors, list | tuple) else [errors]:
                messages.error(request, error)


def form_add_domain_error(form, exc: DomainError) -> None:
    """Put a refused service call on the form itself: each field error on its field, else the message on top."""
    for field, errors in exc.field_errors.items():
        for error in errors if isinstance(errors, list | tuple) else [errors]:
            form.add_error(field if field in form.fields else None, error)
    if not exc.field_errors:
        form.add_error(None, exc.message)
