"""Where files go: the local filesystem by default, any S3-compatible endpoint on request."""

from pathlib import Path

import environ

STATICFILES = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def build_storages(env: environ.Env, *, media_root: Path) -> dict:
    """Return Django's ``STORAGES`` for ``DJANGO_STORAGE`` (``local`` or ``s3``)."""
    kind = env.str("DJANGO_STORAGE", default="local")
    if kind == "local":
        default = {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media_root)},
        }
    elif kind == "s3":
        default = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": env.str("DJANGO_S3_BUCKET"),
                "endpoint_url": env.str("DJANGO_S3_ENDPOINT_URL", default=None),
                "region_name": env.str("DJANGO_S3_REGION", default="us-east-1"),
                "access_key": env.str("AWS_ACCESS_KEY_ID"),
                "secret_key": env.str("AWS_SECRET_ACCESS_KEY"),
                # Expedientes are never public: objects are private and read through a view
                # or a short-lived presigned URL.
                "default_acl": "private",
                "querystring_auth": True,
                "querystring_expire": env.int("DJANGO_S3_URL_EXPIRE", default=300),
                # Never replace an existing file silently; a new version gets a new key.
                "file_overwrite": False,
                "signature_version": "s3v4",
                "addressing_style": env.str("DJANGO_S3_ADDRESSING_STYLE", default="path"),
            },
        }
    else:
        raise environ.ImproperlyConfigured(f"DJANGO_STORAGE debe ser 'local' o 's3', no {kind!r}.")
    return {"default": default, "staticfiles": STATICFILES}
