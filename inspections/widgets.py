"""Form widgets that build their HTML in Python instead of through templates.

Django renders a <select> by including one template per <option>, after building a
dictionary of attributes for each; with every English council in the authority list
that was half of the timeline's render time. These widgets give the same markup as
Django's own templates (django/forms/widgets/select.html, input.html and attrs.html),
escaped by format_html, at a fraction of the cost. Select takes flat choices only
(no <optgroup>).
"""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


class Select(forms.Select):
    """A <select> of flat (value, label) choices, the first matching value selected."""

    def render(self, name, value, attrs=None, renderer=None):
        wanted = set(self.format_value(value))
        options = []
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = ""
            if option_value in wanted:
                selected = " selected"
                wanted.clear()  # one selected option, as Django's Select does
            # The standard library's escape (Django's, without its lazy-string wrapper):
            # a council list has 150 options, so each call counts.
            options.append(
                f'<option value="{html.escape(option_value)}"{selected}>'
                f"{html.escape(str(label))}</option>"
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            mark_safe("".join(options)),  # noqa: S308 - every part escaped above
        )


class _PythonRenderedInput:
    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value_attr = {} if widget["value"] is None else {"value": str(widget["value"])}
        return format_html(
            '<input type="{}" name="{}"{}>',
            widget["type"],
            widget["name"],
            flatatt(value_attr | widget["attrs"]),
        )


class TextInput(_PythonRenderedInput, forms.TextInput):
    pass


class NumberInput(_PythonRenderedInput, forms.NumberInput):
    pass
