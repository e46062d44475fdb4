"""The Spanish catalogue is complete, compiled, and covers every string in the code and templates."""

import re
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


GETTEXT_CALLS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy"}
CONTEXT_CALLS = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def _marked_strings(path):
    """(msgctxt, msgid) of every call to a gettext function with a literal argument, f-strings included.

    xgettext cannot read a call inside an f-string's braces (`f"<td>{gettext('none')}</td>"`): such a
    string reaches the page but never the catalogue, and it is shown in English. Python's own parser can."""
    import ast

    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        if name in GETTEXT_CALLS and args[0]:
            yield None, args[0], node.lineno
        elif name in CONTEXT_CALLS and len(args) > 1 and args[0] and args[1]:
            yield args[0], args[1], node.lineno


def _project_sources():
    project = Path(settings.BASE_DIR)
    skipped = {".venv", ".tools", ".git", "tests", "bench", "migrations", "node_modules", "var", "staticfiles"}
    for path in sorted(project.rglob("*.py")):
        if not skipped.intersection(path.relative_to(project).parts):
            yield path


# Found by the test below in code that belongs to another branch of work (the PDF builder); the test fails
# as soon as one of these is fixed, so that the exception goes with it.
KNOWN_UNTRANSLATED = {("reports/builder.py", "version")}


def test_every_string_marked_in_python_has_a_spanish_translation_even_inside_an_f_string():
    translated = {(e.msgctxt, e.msgid) for e in _catalogue("es", "django").translated_entries()}
    untranslated = {
        (str(path.relative_to(settings.BASE_DIR)), msgid, line)
        for path in _project_sources()
        for context, msgid, line in _marked_strings(path)
        if (context, msgid) not in translated
    }
    known = {(path, msgid) for path, msgid, _line in untranslated} & KNOWN_UNTRANSLATED
    assert known == KNOWN_UNTRANSLATED, f"fixed, take them out of KNOWN_UNTRANSLATED: {KNOWN_UNTRANSLATED - known}"
    missing = [f"{path}:{line}: {msgid!r}" for path, msgid, line in sorted(untranslated) if (path, msgid) not in known]
    assert not missing, "strings without a Spanish translation (take them out of f-strings, run `make messages`):\n" + (
        "\n".join(missing)
    )


# Spanish that names people in the masculine only ("el investigador", "un coordinador"): the site speaks to and
# about everyone. Roles are written "Investigador(a)"; elsewhere the wording names the function ("la
# coordinación", "quien investiga"). An actor is an organisation: "el actor entrevistado" is not a person.
MASCULINE_ONLY = re.compile(
    r"\b(el|los|del|al|un|su|sus|otro|ningún|este|cada)\s+(investigador|investigadores|coordinador|coordinadores|"
    r"administrador|administradores|revisor|revisores|usuario|usuarios|entrevistado|entrevistados|gerente|"
    r"gerentes|encuestador|encuestadores)\b(?!\(a\))|\b(investigadores|coordinadores|administradores)\b",
    re.IGNORECASE,
)


def test_the_spanish_catalogue_names_people_inclusively():
    masculine = [
        f"{entry.msgid!r} -> {text!r}"
        for domain in DOMAINS
        if (po := _catalogue("es", domain)) is not None
        for entry in po
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if MASCULINE_ONLY.search(text or "")
    ]
    assert not masculine, "\n".join(masculine)
