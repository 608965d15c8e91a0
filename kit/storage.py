"""Files through Django's storage API only (issue 16): a local folder in development, an S3-compatible object
store (django-storages, MinIO or a provincial object store) in a scaled-out deployment, so that a worker on
another node finds the file a web node stored. Nothing opens MEDIA_ROOT paths itself."""

import contextlib
import os
import shutil
import tempfile

from django.core.files.storage import default_storage


@contextlib.contextmanager
def local_file(name: str, *, suffix: str = ""):
    """Yield a local path holding the stored file `name`, for readers that need one (python-calamine): the file
    itself on a local storage, else a temporary copy, removed afterwards."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:  # an object store has no local path
        path = None
    if path is not None and os.path.isfile(path):
        yield path
        return
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        with default_storage.open(name, "rb") as source:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield copy.name


def save_exactly(name: str, content) -> str:
    """Store content under exactly this name (names made unique by the caller, e.g. a batch's UUID)."""
    saved = default_storage.save(name, content)
    if saved != name:
        default_storage.delete(saved)
        raise FileExistsError(f"{name} exists already in the storage")
    return saved
