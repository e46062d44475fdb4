"""Checks of a form's expressions: each one is valid and names only questions and groups the form has.

The builder checks one question at a time (``reference_problems``), the importer and publishing check
the whole form (``expression_problems``).
"""

import re

from django.utils.translation import gettext

REFERENCE = re.compile(r"\$\{([^}]*)\}")
QUESTION_EXPRESSIONS = ("relevant", "constraint", "calculation", "required_if", "choice_filter", "default", "trigger")
SECTION_EXPRESSIONS = ("relevant", "repeat_count")


def references(text):
    """The names ``${name}`` in an expression."""
    return set(REFERENCE.findall(text or ""))


def expressions_of(item):
    """(field, expression) of a section or question (a spec or a model), the non-empty ones."""
    fields = SECTION_EXPRESSIONS if hasattr(item, "repeat_count") else QUESTION_EXPRESSIONS
    for name in fields:
        text = getattr(item, name, "") or ""
        if name == "default" and "${" not in text:
            continue  # a default is a value unless it reads another question
        if text:
            yield name, text


def reference_problems(text, names, field):
    """Messages for the names an expression reads that the form does not have."""
    return [
        gettext("The expression in '%(column)s' names '%(name)s', which is not in the form.")
        % {"column": field, "name": name}
        for name in sorted(references(text) - set(names))
    ]


def expression_problems(spec):
    """[(name of the item, message)] for the expressions of a FormSpec that cannot work."""
    names = {item.code for item in spec.items}
    problems = []
    for item in spec.items:
        for field, text in expressions_of(item):
            problems.extend((item.code, message) for message in reference_problems(text, names, field))
    return problems


def readers_of(version, code, exclude=None):
    """The codes of the version's questions and groups whose expressions read ``code``."""
    from surveys.models import Question, Section

    readers = []
    for model in (Question, Section):
        items = model.objects.filter(version=version)
        if exclude is not None and isinstance(exclude, model):
            items = items.exclude(pk=exclude.pk)
        for item in items:
            if any(code in references(text) for _field, text in expressions_of(item)):
                readers.append(item.code)
    return readers
