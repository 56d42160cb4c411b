"""Framework-free trend maths: counts per period -> emergence scores with significance.

`periods` turns dates into week/month keys, `counter` keeps counts that are updated item by
item (no recomputation), `emergence` scores a term's recent periods against its own history.
"""

from .counter import TrendCounter
from .emergence import Emergence, emergence, rank_emerging
from .periods import month_key, period_key, period_range, week_key

__all__ = [
    "Emergence",
    "TrendCounter",
    "emergence",
    "month_key",
    "period_key",
    "period_range",
    "rank_emerging",
    "week_key",
]
