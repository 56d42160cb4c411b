from django import template
from django.utils.translation import get_language_info

register = template.Library()


@register.filter
def language_label(code: str) -> str:
    """A language code as its name in the page's language ("pt" reads 포르투갈어 on a Korean page);
    a code Django does not know is shown as it is."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code
