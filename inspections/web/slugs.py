"""Slugs that arrive from visitors: checked before they reach a query.

PostgreSQL refuses to compare text holding a NUL character (it raises, where SQLite
just finds nothing), so a value that cannot be a slug is answered as "not found"
without asking the database.
"""

from django import forms
from django.core.validators import slug_re


def is_slug(value: str) -> bool:
    return bool(slug_re.fullmatch(value))


class SlugChoiceField(forms.ModelChoiceField):
    """A record chosen by its slug; a value that is not a slug is not one of the options."""

    def to_python(self, value):
        if value not in self.empty_values and not is_slug(str(value)):
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)
