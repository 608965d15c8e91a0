"""Fetch the application a page is about, through the selector that checks who may see it."""

from kit.pages import found_or_404

from .. import selectors


def application_or_404(request, pk):
    """Return the application if the user may see it, else raise Http404."""
    return found_or_404(selectors.application_detail(user=request.user, pk=pk))
