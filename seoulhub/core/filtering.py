"""List filters shared by a page and its API operation (django-filter).

One FilterSet per list decides what each query parameter means. The page and the REST API both
hand it `request.GET`, so the same parameters select the same rows on both:
- `filter_page()`: the rows, or none and the form's messages (in the page's language) when a
  parameter is invalid; the view answers 400 with those messages.
- `filter_api()`: the rows, or a 422 `{"message", "errors"}` in English (the API's language).
- `query_schema()`: the FilterSet's parameters as a ninja Schema, so the OpenAPI document lists
  them; the operation declares it and still reads `request.GET` through the FilterSet.
"""

from __future__ import annotations

from typing import Any

import django_filters
import pydantic
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from ninja.errors import ValidationError as ApiValidationError

SHOWN_VALUE_LENGTH = 40  # a hostile 5,000-character value is cut in the message that quotes it


def shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= SHOWN_VALUE_LENGTH else text[:SHOWN_VALUE_LENGTH] + "…"


class StrictBooleanField(forms.Field):
    """true/false as the API has always read them (pydantic's words: true/false, 1/0, yes/no, on/off);
    anything else is an error, where Django's NullBooleanField would quietly read it as "not given"."""

    TRUE = frozenset({"true", "1", "yes", "on", "t", "y"})
    FALSE = frozenset({"false", "0", "no", "off", "f", "n"})
    default_error_messages = {"invalid": _("'%(value)s' is neither true nor false.")}

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in self.TRUE:
            return True
        if word in self.FALSE:
            return False
        raise ValidationError(self.error_messages["invalid"], code="invalid", params={"value": shown(value)})


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class LookupChoiceField(forms.ModelChoiceField):
    """One object named by any of several unique fields (a gu by 강남구 or 11680)."""

    def __init__(self, *args, lookups: tuple[str, ...] = ("pk",), **kwargs):
        self.lookups = lookups
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        condition = Q()
        for lookup in self.lookups:
            condition |= Q(**{lookup: text})
        found = self.queryset.filter(condition).first() if self.queryset is not None else None
        if found is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": shown(value)}
            )
        return found


class LookupChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = LookupChoiceField


class CutChoiceField(forms.ChoiceField):
    """A choice whose error quotes the value cut to a readable length."""

    def validate(self, value: Any) -> None:
        try:
            super().validate(value)
        except ValidationError as exc:
            if exc.code != "invalid_choice":
                raise
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": shown(value)}
            ) from exc


class ChoiceFilter(django_filters.ChoiceFilter):
    field_class = CutChoiceField


def filter_page(filterset_class, request, queryset: QuerySet) -> tuple[QuerySet, Any, list[str]]:
    """(rows, the bound FilterSet, messages): no rows and the messages when a parameter is invalid."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if filterset.is_valid():
        return filterset.qs, filterset, []
    messages = [str(message) for errors in filterset.errors.values() for message in errors]
    return queryset.none(), filterset, messages


def filter_api(filterset_class, request, queryset: QuerySet) -> QuerySet:
    """The rows, or ninja's ValidationError (the API answers 422, in English)."""
    with translation.override("en"):
        filterset = filterset_class(request.GET, queryset=queryset, request=request)
        if not filterset.is_valid():
            raise ApiValidationError(
                [
                    {"loc": ["query", name], "msg": str(message), "type": "value_error"}
                    for name, errors in filterset.errors.items()
                    for message in errors
                ]
            )
    return filterset.qs


def query_schema(filterset_class, name: str, descriptions: dict[str, str]) -> type[Schema]:
    """The FilterSet's parameters for the OpenAPI document: each an optional string, with the allowed
    values where they are a fixed list. Validation stays with the FilterSet."""
    fields: dict[str, Any] = {}
    for parameter, definition in filterset_class.base_filters.items():
        extra: dict[str, Any] = {}
        if isinstance(definition, StrictBooleanFilter):
            extra["enum"] = ["true", "false"]
        elif isinstance(definition, django_filters.ChoiceFilter) and not isinstance(
            definition, django_filters.ModelChoiceFilter
        ):
            extra["enum"] = [str(value) for value, _label in definition.extra["choices"]]
        fields[parameter] = (
            str,
            pydantic.Field("", description=descriptions.get(parameter, ""), json_schema_extra=extra or None),
        )
    return pydantic.create_model(name, __base__=Schema, **fields)
