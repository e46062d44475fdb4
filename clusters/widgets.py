"""Form widgets shared by the apps."""

from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe


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
        # Django's optgroups() without a dictionary of attributes per option: the same choices, the
        # same rule for which option is selected (the first match, unless several may be).
        selected_values = set(self.format_value(value))
        has_selected = False

        def option(option_value, label):
            nonlocal has_selected
            selected = (not has_selected or self.allow_multiple_selected) and str(option_value) in selected_values
            has_selected |= selected
            # format_html's escaping, without its call per option (a list's filter box has one per cluster).
            return (
                f'<option value="{conditional_escape(option_value)}"{" selected" if selected else ""}>'
                f"{conditional_escape(label)}</option>"
            )

        parts = []  # each one escaped HTML
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an option group
                options = "".join(option(v, sub) for v, sub in label)
                parts.append(f'<optgroup label="{conditional_escape(option_value)}">{options}</optgroup>')
            else:
                parts.append(option("" if option_value is None else option_value, label))
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            _attributes(final_attrs),
            mark_safe("".join(parts)),  # noqa: S308
        )


class FastDateInput(forms.DateInput):
    """A date box written in Python instead of through Django's widget template (the HTML is the same):
    the interview list's filter box has two on every request."""

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            self.input_type,
            name,
            format_html(' value="{}"', value) if value is not None else "",
            _attributes(self.build_attrs(self.attrs, attrs)),
        )
