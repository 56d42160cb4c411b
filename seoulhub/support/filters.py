"""The firm and programme lists' filters: one definition each, read by the pages (/support/firms/,
/support/programmes/), their CSV/XLSX exports and the API (/api/v1/firms, /api/v1/programmes)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from seoulhub.core.filtering import ChoiceFilter, LookupChoiceFilter, StrictBooleanFilter
from seoulhub.taxonomy.models import District, Technology

from .models import Firm, Programme

SEARCH_MAX_LENGTH = 200


def technology_filter() -> LookupChoiceFilter:
    return LookupChoiceFilter(
        field_name="technologies",
        queryset=Technology.objects.all(),
        lookups=("slug",),
        distinct=True,
        error_messages={"invalid_choice": _("There is no technology '%(value)s'; choose one from the list.")},
    )


class FirmFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", max_length=SEARCH_MAX_LENGTH)
    district = LookupChoiceFilter(
        field_name="district",
        queryset=District.objects.all(),
        lookups=("name_ko", "adm_code"),
        error_messages={
            "invalid_choice": _(
                "'%(value)s' is not one of Seoul's 25 districts (gu); give its Korean name, e.g. 강남구, or its code."
            )
        },
    )
    tech = technology_filter()

    class Meta:
        model = Firm
        fields: list[str] = []

    def search(self, queryset, name, value):
        """Korean and English names and the products."""
        return queryset.filter(Q(name_ko__icontains=value) | Q(name_en__icontains=value) | Q(products__icontains=value))


class ProgrammeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", max_length=SEARCH_MAX_LENGTH)
    kind = ChoiceFilter(
        choices=Programme.Kind.choices, error_messages={"invalid_choice": _("'%(value)s' is not a kind of programme.")}
    )
    source = ChoiceFilter(
        choices=Programme.Source.choices, error_messages={"invalid_choice": _("'%(value)s' is not a programme source.")}
    )
    tech = technology_filter()
    open = StrictBooleanFilter(method="filter_open")

    class Meta:
        model = Programme
        fields: list[str] = []

    def search(self, queryset, name, value):
        """Title, summary and agency."""
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value) | Q(agency__icontains=value))

    def filter_open(self, queryset, name, value: bool):
        return queryset.open() if value else queryset.not_open()
