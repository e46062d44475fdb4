"""Form widgets shared by the apps."""

from django import forms
from django.utils.html import format_html, format_html_join


def _attributes(attrs):
    """Attributes as Django's attrs.html writes them: in order, a True one bare, a False one left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value)),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


class FastSelect(forms.Select):
    """A select box written in Python instead of a template per option.

    The HTML is Django's own (same attributes, selected option, option groups), at a fraction of the
    cost: Django renders each option through its template engine, which made the filter box of the
    interview list, with a cluster and a researcher per option, cost more than the rest of the page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((str(option["value"]), _attributes(option["attrs"]), option["label"]) for option in options),
            )
            groups.append(format_html('<optgroup label="{}">{}</optgroup>', group_name, html) if group_name else html)
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            _attributes(widget["attrs"]),
            format_html_join("", "{}", ((g,) for g in groups)),
        )
