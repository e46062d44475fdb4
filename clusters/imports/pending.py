"""Uploaded files kept between their preview and its confirmation.

An import is shown first (nothing written) and applied when the user confirms. In between, the file waits in
the default storage, named in the user's session under a key of the import's own with a token that the
confirming form sends back. Files whose preview was never confirmed are swept after a day.
"""

import datetime
import uuid
from pathlib import PurePath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from clusters.imports.tables import read_table

PENDING_DIR = "imports"

PENDING_MAX_AGE = datetime.timedelta(days=1)


def sweep_pending_files(storage, *, now):
    """Delete uploaded files whose preview was never confirmed (older than a day); returns how many."""
    try:
        _dirs, names = storage.listdir(PENDING_DIR)
    except (FileNotFoundError, NotImplementedError):
        return 0
    removed = 0
    for name in names:
        path = f"{PENDING_DIR}/{name}"
        try:
            if now - storage.get_modified_time(path) > PENDING_MAX_AGE:
                storage.delete(path)
                removed += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return removed


def keep_pending_file(session, key, uploaded, *, now, **details):
    """Store ``uploaded`` until its preview is confirmed, in place of any file this session kept under ``key``
    (and sweep other users' abandoned ones). Returns what the session now holds: a fresh ``token``, the
    stored ``path`` and ``details`` (what the confirmation needs besides the file)."""
    uploaded.seek(0)
    forget_pending_file(session, key)
    sweep_pending_files(default_storage, now=now)
    extension = PurePath(uploaded.name).suffix.lower()
    path = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}{extension}", ContentFile(uploaded.read()))
    session[key] = {"token": uuid.uuid4().hex, "path": path, **details}
    return session[key]


def pending_file(session, key, token):
    """What ``keep_pending_file`` kept under ``key`` if ``token`` is its token and the file is still there;
    else None (the preview was replaced, confirmed already, or swept)."""
    pending = session.get(key)
    if not pending or pending.get("token") != token or not default_storage.exists(pending["path"]):
        return None
    return pending


def read_pending_file(pending, *, max_bytes, table_format):
    """The kept file read again into a Table (ImportFileError if it cannot be)."""
    with default_storage.open(pending["path"], "rb") as stored:
        return read_table(stored, max_bytes=max_bytes, table_format=table_format)


def forget_pending_file(session, key):
    """Drop what the session kept under ``key``, and its file."""
    pending = session.pop(key, None)
    if pending and default_storage.exists(pending["path"]):
        default_storage.delete(pending["path"])
