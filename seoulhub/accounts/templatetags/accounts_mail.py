from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def mail_folder() -> str:
    """Where mail goes when it is written to files (development and the demo), else ""."""
    if settings.PRODUCTION or not settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        return ""
    try:
        return str(settings.EMAIL_FILE_PATH.relative_to(settings.REPO_DIR))
    except ValueError:
        return str(settings.EMAIL_FILE_PATH)
