from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Technology


def technology_tree() -> list[tuple[Technology, list[Technology]]]:
    """Top-level technologies with their descendants, depth-first, for display."""
    technologies = list(Technology.objects.filter(active=True))
    children: dict[int | None, list[Technology]] = {}
    for tech in technologies:
        children.setdefault(tech.parent_id, []).append(tech)

    def descendants(tech: Technology, depth: int) -> list[Technology]:
        found = []
        for child in sorted(children.get(tech.pk, []), key=lambda t: t.name):
            child.depth = depth
            found.append(child)
            found.extend(descendants(child, depth + 1))
        return found

    return [(root, descendants(root, 1)) for root in sorted(children.get(None, []), key=lambda t: t.name)]


@require_GET
def technology_list(request):
    return render(request, "taxonomy/technology_list.html", {"tree": technology_tree()})


@require_GET
def technology_detail(request, slug: str):
    technology = get_object_or_404(Technology.objects.select_related("parent"), slug=slug, active=True)
    from seoulhub.landscape.queries import technology_landscape, is_subscribed

    return render(
        request,
        "taxonomy/technology_detail.html",
        {
            "technology": technology,
            "children": technology.children.filter(active=True),
            "landscape": technology_landscape(technology),
            "subscribed": is_subscribed(request.user, technology),
        },
    )
