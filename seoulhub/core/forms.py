"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

from .params import parse_int


class ModelIdsField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField whose values must be ids: "²" or a 20-digit number is an invalid
    choice, not a query (on SQLite an `id IN (...)` with a number past 64 bits raised OverflowError)."""

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk":
            for raw in value:
                if parse_int(raw) is None:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": raw}
                    )
        return super()._check_values(value)


class ModelIdField(forms.ModelChoiceField):
    """The single-choice twin of ModelIdsField: a value that is not an id is an invalid choice."""

    def to_python(self, value):
        if value not in self.empty_values and (self.to_field_name or "pk") == "pk" and parse_int(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return super().to_python(value)
