"""The Spanish catalogue is complete, compiled, and covers every string in the code and templates."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
DOMAINS = ["django", "djangojs"]


def _catalogue(lang, domain):
    path = LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
    return polib.pofile(str(path)) if path.exists() else None


@pytest.mark.parametrize("domain", DOMAINS)
def test_spanish_catalogue_has_no_untranslated_or_fuzzy_entry(domain):
    po = _catalogue("es", domain)
    if po is None:
        pytest.skip(f"no {domain} strings yet")
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {domain}.po: {untranslated[:20]}"
    assert not fuzzy, f"fuzzy in {domain}.po: {fuzzy[:20]}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogue_matches_its_source(domain):
    po = _catalogue("es", domain)
    if po is None:
        pytest.skip(f"no {domain} strings yet")
    mo = polib.mofile(str(LOCALE / "es" / "LC_MESSAGES" / f"{domain}.mo"))
    compiled = {(e.msgid, e.msgstr) for e in mo if e.msgid and not e.msgid_plural}
    source = {(e.msgid, e.msgstr) for e in po.translated_entries() if not e.msgid_plural}
    assert source == compiled, "run `make messages`: the .mo is older than the .po"


def test_interface_speaks_spanish_by_default_and_english_on_request():
    from django.utils.translation import gettext

    with translation.override("es"):
        assert gettext("Sign in") == "Ingresar"
    with translation.override("en"):
        assert gettext("Sign in") == "Sign in"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="xgettext (gettext) is not installed")
def test_every_string_in_the_code_is_in_the_spanish_catalogue(tmp_path):
    # Extract the strings from a copy of the sources, as `make messages` would, and compare the msgids.
    project = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        project,
        copy,
        ignore=shutil.ignore_patterns(".venv", ".tools", ".git", "var", "media", "staticfiles", "node_modules"),
    )
    for domain in DOMAINS:
        args = ["-l", "es", "--no-obsolete", "--no-location", "--ignore=bench", "--ignore=tests"]
        if domain == "djangojs":
            args += ["-d", "djangojs", "--ignore=staticfiles"]
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", *args],
            cwd=copy,
            check=True,
            capture_output=True,
            env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "CASEBOOK_VAR_DIR": str(tmp_path / "var")},
        )
        fresh_path = copy / "locale" / "es" / "LC_MESSAGES" / f"{domain}.po"
        fresh_ids = {e.msgid for e in polib.pofile(str(fresh_path)) if not e.obsolete} if fresh_path.exists() else set()
        committed = _catalogue("es", domain)
        committed_ids = {e.msgid for e in committed if not e.obsolete} if committed else set()
        missing = sorted(fresh_ids - committed_ids)
        assert not missing, f"strings not in locale/es/{domain}.po (run `make messages`): {missing[:20]}"
