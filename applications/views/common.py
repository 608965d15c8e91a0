"""Fetch the application a page is about, through the selector that checks who may see it."""

from django.http import Http404

from .. import selectors


def application_or_404(request, pk):
    """Return the application if the user may see it, else raise Http404."""
    app = selectors.application_detail(user=request.user, pk=pk)
    if app is None:
        raise Http404
    return app
