from django.db.models import F

from seoulhub.core.cards import shared_figures

from .models import Firm, Programme
from .permissions import firms_of


def figures() -> dict:
    return {
        "firms": Firm.objects.count(),
        "programmes": Programme.objects.count(),
        "open": Programme.objects.open().count(),
        "latest": list(Programme.objects.order_by(F("source_created_at").desc(nulls_last=True), "-pk")[:3]),
    }


def home_card(request) -> dict:
    return {**shared_figures("support", figures), "my_firm": firms_of(request.user).first()}
