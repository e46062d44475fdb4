"""The fields of list pages' filter boxes, written in Python.

A filter box is on every request of a list page. Rendering its fields through crispy-forms' templates
cost the interview list more than its 25 rows; this writes the same Bootstrap markup directly: a
label tied to the field, the widget with Bootstrap's class, and errors and help text tied to the
widget with aria-describedby (WCAG 2.1: errors identified and associated with their field).
"""

from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


@register.filter
def filter_field(field):
    """A bound field of a filter form as Bootstrap 5 markup: label, widget, errors, help text."""
    widget = field.field.widget
    classes = [widget.attrs.get("class", ""), "form-select" if isinstance(widget, forms.Select) else "form-control"]
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        classes.append("is-invalid")
        described_by.append(f"{field.auto_id}_error")
    attrs = {"class": " ".join(c for c in classes if c)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, field.auto_id, error) for n, error in enumerate(field.errors, start=1)),
            ),
        )
    help_text = (
        format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)
        if field.help_text
        else ""
    )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        field.as_widget(attrs=attrs),
        errors,
        help_text,
    )


@register.simple_tag
def cluster_scope_names(query):
    """The department and sector names of a list's hidden cluster scope (clusters.filters.cluster_scope), for
    the notice that says the list is narrowed; None when the query has no scope (then nothing is read)."""
    from clusters.models import Region, Sector

    code, sector = query.get("cluster_region", ""), query.get("cluster_sector", "")
    if not code and not sector:
        return None
    names = []
    if code:
        region = Region.objects.filter(code=code).only("name").first()
        names.append(region.name if region else code)
    if sector.isdigit():
        found = Sector.objects.filter(pk=sector).first()
        if found:
            names.append(f"{found.code} · {found.name}")
    return " · ".join(names)


# Parameters that order or page a list without narrowing it, and so do not open its folded filter box.
NOT_FILTERS = {"page", "sort"}


@register.simple_tag(takes_context=True)
def filters_in_use(context, *ignored):
    """Whether the request narrows the list: a list page's filter box stays folded (phones see the list
    first) unless it does. ``ignored`` names parameters set by the page itself, e.g. a cluster tab's cluster."""
    query = context["request"].GET
    skipped = NOT_FILTERS | set(ignored)
    return any(value.strip() for key in query if key not in skipped for value in query.getlist(key))
