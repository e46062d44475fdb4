"""Checks of a form's expressions: each parses in the form's expression language (surveys/expressions.py),
uses only supported functions and names only questions, groups and repeats the form has; no calculation
depends on itself. The builder checks one expression at a time (``expression_message``), the XLSForm
import and publishing check the whole form (``expression_problems``, through ``formlogic.check_form``).
"""

from surveys import expressions, formlogic

QUESTION_EXPRESSIONS = ("relevant", "constraint", "calculation", "required_if", "choice_filter", "default", "trigger")
SECTION_EXPRESSIONS = ("relevant", "repeat_count")
# The model's field -> the form logic's attribute (its problems name the latter).
ATTRIBUTES = {"required_if": "required", "calculation": "calculation"}


def references(text):
    """The names ``${name}`` an expression reads (none when it does not parse)."""
    try:
        return set(expressions.references(expressions.parse(text)))
    except expressions.ExpressionError:
        return set()


def expressions_of(item):
    """(field, expression) of a section or question (a spec or a model), the non-empty ones."""
    fields = SECTION_EXPRESSIONS if hasattr(item, "repeat_count") else QUESTION_EXPRESSIONS
    for name in fields:
        text = getattr(item, name, "") or ""
        if name == "default" and not formlogic.is_dynamic_default(text):
            continue  # a default is a value unless it reads another question or calls a function
        if name == "trigger":
            continue  # names, checked as references below
        if name == "repeat_count" and text.strip().isdigit():
            continue
        if text.strip():
            yield name, text


def expression_message(text, names, field):
    """Why an expression cannot be used (a translated message pointing at the character), or None."""
    try:
        if field == "choice_filter":
            tree = expressions.parse(text)
            expressions.check(text, names, columns=expressions.choice_columns(tree))
        else:
            expressions.check(text, names)
    except expressions.ExpressionError as error:
        return error.message
    return None


def expression_problems(spec):
    """[(name of the item, message)] for the expressions of a FormSpec that cannot work."""
    from surveys.engine import logic_node

    nodes, choices = [], {}
    for item in spec.items:
        parent = item.parent if hasattr(item, "repeat_count") else item.section_code
        nodes.append(logic_node(item, parent))
        if getattr(item, "choice_filter", "") and item.choices:
            choices[item.code] = [
                {"name": c.value, **{str(k): str(v) for k, v in c.extra.items()}} for c in item.choices
            ]
    problems = []
    for name, found in formlogic.check_form(nodes, choices=choices).items():
        problems.extend((name, problem.message) for problem in found)
    names = {item.code for item in spec.items}
    for item in spec.questions:
        for trigger in item.trigger.replace(",", " ").split():
            reference = trigger[2:-1] if trigger.startswith("${") and trigger.endswith("}") else trigger
            if reference not in names:
                problems.append(
                    (item.code, expressions.format_message("unknown_name", {"name": reference, "column": 1}))
                )
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
