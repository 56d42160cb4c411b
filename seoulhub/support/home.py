from .models import Firm, Programme
from .permissions import firms_of
from .services import is_open


def home_card(request) -> dict:
    programmes = list(Programme.objects.only("pk", "opens_on", "closes_on", "rolling", "source_created_at"))
    return {
        "firms": Firm.objects.count(),
        "programmes": len(programmes),
        "open": sum(is_open(p) for p in programmes),
        "latest": list(Programme.objects.order_by("-source_created_at", "-pk")[:3]),
        "my_firm": firms_of(request.user).first(),
    }
