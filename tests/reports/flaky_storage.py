"""A file-system storage that refuses the first N saves, like a network disk that comes back.

Configured through settings.STORAGES in tests; it stands in for the storage service, not for our code.
"""

from django.core.files.storage import FileSystemStorage


class FlakyStorage(FileSystemStorage):
    failures_left = 0
    attempts = 0

    def _save(self, name, content):
        type(self).attempts += 1
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            raise OSError(28, "No space left on device (simulated outage)")
        return super()._save(name, content)


class MisconfiguredStorage(FileSystemStorage):
    """A storage whose configuration is wrong, as an object store without a bucket name would be."""

    def _save(self, name, content):
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("S3_BUCKET is empty (simulated misconfiguration)")
