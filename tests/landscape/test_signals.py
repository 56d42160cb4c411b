"""Seoul's figures follow writes to firms, programmes and demands without a manual refresh."""

import pytest

from seoulhub.landscape.models import TechnologyLandscape

pytestmark = pytest.mark.django_db


def firms_of(tech):
    return TechnologyLandscape.objects.get(technology=tech).firms


def test_tagging_a_firm_updates_the_count_after_commit(tech, make_firm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        firm = make_firm("signal", [tech["quantum"]])
    assert firms_of(tech["quantum"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        firm.technologies.remove(tech["quantum"])
    assert firms_of(tech["quantum"]) == 0


def test_deleting_a_firm_removes_it_from_the_counts(tech, make_firm, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        firm = make_firm("gone", [tech["xr"], tech["games"]])
    assert firms_of(tech["games"]) == 1
    with django_capture_on_commit_callbacks(execute=True):
        firm.delete()
    assert firms_of(tech["games"]) == 0 and firms_of(tech["xr"]) == 0


def test_many_writes_in_one_transaction_recount_once(
    tech, make_firm, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for i in range(30):
            make_firm(f"bulk {i}", [tech["cloud"]])
    with django_assert_max_num_queries(40):
        for callback in callbacks:
            callback()
    assert firms_of(tech["cloud"]) == 30


def test_closing_a_demand_removes_it_from_open_demands(tech, make_demand, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        demand = make_demand("to close", [tech["smart-city"]])
    assert TechnologyLandscape.objects.get(technology=tech["smart-city"]).open_demands == 1
    with django_capture_on_commit_callbacks(execute=True):
        demand.status = "closed"
        demand.save()
    assert TechnologyLandscape.objects.get(technology=tech["smart-city"]).open_demands == 0
