"""Questionnaire text in pages: always escaped, with the answers it shows (``${name}``) as live outputs."""

import re

from django import template
from django.utils.html import format_html, format_html_join

register = template.Library()
REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")


@register.filter
def form_text(text):
    """A label or hint: its text escaped, each ``${name}`` an element the form's script fills with that
    answer (ODK's "output"). Nothing in a questionnaire's text is ever read as HTML."""
    text = str(text or "")
    parts = REFERENCE.split(text)
    pieces = []
    for index, part in enumerate(parts):
        if index % 2:
            pieces.append(('<output data-output="{}"></output>', (part,)))
        elif part:
            pieces.append(("{}", (part,)))
    return format_html_join("", "{}", ((format_html(html, *args),) for html, args in pieces))


@register.filter
def field_named(form, name):
    """The bound field ``name`` of a form (a question's field in a repeat has a computed name)."""
    return form[name] if name in form.fields else None


@register.filter
def field_file(files, name):
    """The attachment that answers the media question whose field is ``name`` (or None)."""
    return (files or {}).get(name)


@register.filter
def constraint_message(question):
    return question.text("constraint_messages")


@register.filter
def widget_for(bound, question):
    """A question's input with Bootstrap's classes, its help and error tied to it, and its state shown."""
    widget = bound.field.widget
    css = (
        "form-select"
        if getattr(widget, "input_type", "") == "select" or widget.__class__.__name__.startswith("Select")
        else "form-control"
    )
    if getattr(widget, "input_type", "") == "range":
        css = "form-range"
    if bound.errors:
        css += " is-invalid"
    described = []
    if question.help:
        described.append(f"{bound.auto_id}_help")
    if bound.errors:
        described.append(f"{bound.auto_id}_error")
    attrs = {"class": css}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if bound.errors:
        attrs["aria-invalid"] = "true"
    if question.read_only:
        attrs["readonly"] = True
    return bound.as_widget(attrs=attrs)
