"""The demand list's filters: one definition read by the pilots page (/pilots/) and the API (/api/v1/demands)."""

import django_filters
from django.db.models import Q

from seoulhub.accounts.models import Role
from seoulhub.accounts.roles import has_role
from seoulhub.core.filtering import StrictBooleanFilter
from seoulhub.support.filters import SEARCH_MAX_LENGTH, technology_filter

from .models import Demand


def demands_visible_to(user):
    """Every demand the user may list: drafts only for officials and operators."""
    demands = Demand.objects.select_related("district").prefetch_related("technologies", "criteria")
    return demands if has_role(user, Role.OFFICIAL) else demands.exclude(status=Demand.Status.DRAFT)


class DemandFilter(django_filters.FilterSet):
    open_only = StrictBooleanFilter(method="filter_open")
    technology = technology_filter()
    q = django_filters.CharFilter(method="search", max_length=SEARCH_MAX_LENGTH)
    examples = StrictBooleanFilter(method="filter_examples")

    class Meta:
        model = Demand
        fields: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        # Open demands unless asked otherwise, on the page and in the API alike.
        if data is not None and not data.get("open_only"):
            data = data.copy()
            data["open_only"] = "true"
        super().__init__(data, *args, **kwargs)

    def filter_open(self, queryset, name, value: bool):
        return queryset.open() if value else queryset

    def search(self, queryset, name, value):
        """Title and problem."""
        return queryset.filter(Q(title__icontains=value) | Q(problem__icontains=value))

    def filter_examples(self, queryset, name, value: bool):
        return queryset if value else queryset.filter(is_example=False)
