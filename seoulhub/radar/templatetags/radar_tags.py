from django import template
from django.utils.translation import get_language

from seoulhub.core.localcache import LocalMemo

register = template.Library()
_names = LocalMemo(seconds=60, max_items=4)


def _technology_names(language: str) -> dict[str, str]:
    from seoulhub.taxonomy.models import Technology

    field = "name_en" if language == "en" else "name_ko"
    return dict(Technology.objects.values_list("slug", field))


@register.filter
def technology_name(slug: str) -> str:
    """A technology slug as its name in the page's language ("ai" reads 인공지능 on a Korean page);
    an unknown slug is shown as it is."""
    language = "en" if get_language() == "en" else "ko"
    names = _names.read_through(language, lambda: _technology_names(language))
    return names.get(slug, slug)
