"""Settings of the services around the portal, kept out of config/settings.py so it stays readable: the log format
and the object store of uploads. settings.py calls these with what they need."""

import os


def default_storage_config() -> dict | None:
    """Uploads and generated files in an S3-compatible object store (MinIO, a provincial object store) when
    STORAGE_BUCKET is set, so every web and worker node sees the same files; None: a local folder (MEDIA_ROOT)."""
    if not os.environ.get("STORAGE_BUCKET"):
        return None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["STORAGE_BUCKET"],
            "endpoint_url": os.environ.get("STORAGE_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_REGION") or None,
            "access_key": os.environ.get("STORAGE_ACCESS_KEY", ""),
            "secret_key": os.environ.get("STORAGE_SECRET_KEY", ""),
            "default_acl": None,  # private objects; files are served only through views that check permissions
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


def logging_config(*, dev_defaults: bool) -> dict:
    """JSON lines with the request and task ids in production (LOG_FORMAT=json), readable lines in development."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": "kit.logs.JsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": os.environ.get("LOG_FORMAT", "plain" if dev_defaults else "json"),
            }
        },
        "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            # WeasyPrint logs each step of every PDF at INFO; its warnings (a CSS rule it ignores) still show.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
        },
    }
