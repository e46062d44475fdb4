"""The form's languages: XLSForm names them ("Español (es)", "English (en)", "Runasimi (qu)", "default"),
the interface speaks es or en. A text is read in the language asked for, else the form's default, else the
one matching the interface, else whatever the form has, so that a form without the interface's language
still reads (in its own default language) instead of being refused.
"""

import re

from django.utils.translation import get_language

SPANISH = "Español (es)"
ENGLISH = "English (en)"
DEFAULT = "default"  # pyxform's name for columns without a language (label, hint)

# Language names people write without a code, as KoBoToolbox and ODK users do.
NAMES = {
    "es": "es", "spa": "es", "spanish": "es", "español": "es", "espanol": "es", "castellano": "es",
    "en": "en", "eng": "en", "english": "en", "inglés": "en", "ingles": "en",
    "qu": "qu", "que": "qu", "quechua": "qu", "runasimi": "qu", "runa simi": "qu",
    "ay": "ay", "aym": "ay", "aymara": "ay",
    "pt": "pt", "por": "pt", "portuguese": "pt", "português": "pt", "portugues": "pt",
    "fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "français": "fr", "francais": "fr",
    "sw": "sw", "swa": "sw", "swahili": "sw", "kiswahili": "sw",
}  # fmt: skip
CODE_IN_NAME = re.compile(r"\(([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*\)\s*$")


def code_of(name):
    """The ISO 639 code of an XLSForm language name: 'Español (es)' -> 'es', 'English' -> 'en'; None if unknown."""
    if not name or name == DEFAULT:
        return None
    match = CODE_IN_NAME.search(name)
    if match:
        return match.group(1).lower()
    return NAMES.get(name.strip().lower())


def interface_code():
    return (get_language() or "es").split("-")[0].lower()


def pick(texts, language=None, fallback=None):
    """The text of ``texts`` ({language name: text}) to show: in ``language`` if it has one, else in the
    form's default ``fallback``, else in the interface's language, else the first there is (by name)."""
    if not texts:
        return ""
    if language and texts.get(language):
        return texts[language]
    if fallback and texts.get(fallback):
        return texts[fallback]
    wanted = interface_code()
    for name, text in texts.items():
        if text and code_of(name) == wanted:
            return text
    if texts.get(DEFAULT):
        return texts[DEFAULT]
    return next((texts[name] for name in sorted(texts) if texts[name]), "")


def form_language(version, requested=None):
    """The language a form is shown in: the one requested if the form has it, else the form's language that
    matches the interface, else its default language (or its first)."""
    languages = list(version.languages or [])
    if requested and requested in languages:
        return requested
    wanted = interface_code()
    for name in languages:
        if code_of(name) == wanted:
            return name
    return version.default_language or (languages[0] if languages else "")


def language_label(name):
    """How a language is offered in a list: 'default' reads as the form's own language."""
    if name == DEFAULT:
        from django.utils.translation import gettext

        return gettext("The form's language")
    return name
