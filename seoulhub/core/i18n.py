from django.utils.translation import get_language


def localised(ko: str, en: str) -> str:
    """The English text when the interface is English and one exists, else the Korean."""
    return en if (get_language() or "ko").startswith("en") and en else ko or en
