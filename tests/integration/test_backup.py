"""Backup and restore, exactly as docs/operations.md tells an operator: nothing is lost on the way back."""

import hashlib
import os
import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from tests.integration.servers import PrivatePostgres, manage, site_environment

pytestmark = pytest.mark.integration

OPERATIONS = Path(settings.BASE_DIR) / "docs" / "operations.md"
COUNT_TABLES = """
SELECT string_agg(format('%s=%s', table_name, (xpath('/row/c/text()',
    query_to_xml(format('SELECT count(*) AS c FROM %I', table_name), false, true, '')))[1]::text),
    ' ' ORDER BY table_name)
FROM information_schema.tables
WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
"""


def documented_block(tag):
    """The shell block of docs/operations.md whose fence is tagged ```sh <tag>."""
    text = OPERATIONS.read_text(encoding="utf-8")
    match = re.search(rf"```sh {tag}\n(.*?)```", text, re.DOTALL)
    assert match, f"docs/operations.md has no ```sh {tag} block"
    return match.group(1)


def run_block(tag, **env):
    return subprocess.run(
        ["bash", "-c", documented_block(tag)],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )


def pdf_text(path):
    result = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def table_counts(database_url):
    result = subprocess.run(
        ["psql", "--no-psqlrc", "-At", "-c", COUNT_TABLES, database_url], capture_output=True, text=True, check=True
    )
    return dict(pair.split("=") for pair in result.stdout.split())


def file_digests(root):
    root = Path(root)
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_a_backup_restores_every_row_and_every_file(tmp_path):
    postgres = PrivatePostgres().init().start()
    try:
        source_url = postgres.create_database("casebook_live")
        restored_url = postgres.create_database("casebook_restored")
        media = tmp_path / "media"
        env = site_environment(source_url, "", MEDIA_ROOT=str(media), CASEBOOK_VAR_DIR=str(tmp_path / "var"))
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo", "--force")
        # A file of the kind the site stores, so that the media half of the backup is exercised too.
        (media / "attachments" / "1").mkdir(parents=True, exist_ok=True)
        (media / "attachments" / "1" / "photo").write_bytes(b"\xff\xd8\xff\xe0 taller de clasificacion de fibra")

        backup_dir = tmp_path / "backups"
        backup = run_block("backup", DATABASE_URL=source_url, MEDIA_ROOT=str(media), BACKUP_DIR=str(backup_dir))
        backup_path = backup.stdout.strip().splitlines()[-1]
        restored_media = tmp_path / "restored-media"
        run_block("restore", RESTORE_DATABASE_URL=restored_url, BACKUP=backup_path, MEDIA_ROOT=str(restored_media))

        original, restored = table_counts(source_url), table_counts(restored_url)
        assert restored == original
        assert int(original["clusters_cluster"]) >= 8 and int(original["clusters_actor"]) > 50
        assert file_digests(restored_media) == file_digests(media)
        restored_env = {**env, "DATABASE_URL": restored_url, "MEDIA_ROOT": str(restored_media)}
        manage(restored_env, "migrate", "--check")
        # A case study built from the restored copy says what one built from the original says.
        original_pdf, restored_pdf = tmp_path / "original.pdf", tmp_path / "restored.pdf"
        for environment, output in ((env, original_pdf), (restored_env, restored_pdf)):
            manage(environment, "make_report", "--cluster", "pelos-finos-camelidos", "--output", str(output))
        original_text, restored_text = pdf_text(original_pdf), pdf_text(restored_pdf)
        assert "Pelos Finos de Camélidos" in original_text and "Lo que dicen las entrevistas" in original_text
        assert restored_text == original_text
    finally:
        postgres.stop()
