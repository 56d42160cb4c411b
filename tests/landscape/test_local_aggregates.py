"""Seoul's figures per technology: firms by district, open programmes, demands, pilots, gap."""

import pytest

from seoulhub.landscape.local import refresh_local, refresh_pilot_pairs
from seoulhub.landscape.models import TechnologyLandscape, TechnologyPair
from seoulhub.pilots import lifecycle

pytestmark = pytest.mark.django_db


def landscape(tech):
    return TechnologyLandscape.objects.get(technology=tech)


def test_firms_are_counted_per_technology_and_per_district(tech, make_firm, gangnam, mapo):
    make_firm("a", [tech["ai"], tech["robotics"]], gangnam)
    make_firm("b", [tech["ai"]], gangnam)
    make_firm("c", [tech["ai"]], mapo)
    make_firm("d", [tech["ai"]], None, province="경기도")
    refresh_local()
    ai = landscape(tech["ai"])
    assert ai.firms == 4
    assert ai.firms_by_district == {gangnam.adm_code: 2, mapo.adm_code: 1}
    assert ai.firms_in_seoul_districts == 3
    assert landscape(tech["robotics"]).firms == 1
    assert landscape(tech["quantum"]).firms == 0


def test_only_programmes_open_today_count_as_open(tech, make_programme):
    make_programme("open", [tech["quantum"]], open_now=True)
    make_programme("closed 2021", [tech["quantum"]], open_now=False)
    refresh_local()
    quantum = landscape(tech["quantum"])
    assert (quantum.programmes, quantum.open_programmes) == (2, 1)


def test_example_demands_and_pilots_are_counted_apart_from_real_ones(tech, make_demand, make_firm, make_pilot):
    firm = make_firm("pilot firm", [tech["drones"]])
    real = make_demand("real demand", [tech["drones"]])
    example = make_demand("example demand", [tech["drones"]], is_example=True)
    make_demand("closed demand", [tech["drones"]], status="closed")
    make_pilot(real, firm, [tech["drones"], tech["iot"]])
    make_pilot(example, firm, [tech["drones"]])
    make_pilot(real, firm, [tech["drones"]], state=lifecycle.SUBMITTED)  # a proposal, not a pilot
    refresh_local()
    drones = landscape(tech["drones"])
    assert (drones.open_demands, drones.open_example_demands) == (1, 1)
    assert (drones.pilots, drones.example_pilots) == (1, 1)
    assert landscape(tech["iot"]).pilots == 1


def test_refreshing_one_technology_leaves_the_others_as_they_were(tech, make_firm):
    refresh_local()
    make_firm("late", [tech["ai"], tech["cloud"]])
    refresh_local([tech["cloud"].pk])
    assert landscape(tech["cloud"]).firms == 1
    assert landscape(tech["ai"]).firms == 0


def test_a_rising_technology_with_no_firms_gets_a_bigger_gap_than_one_seoul_is_strong_in(
    tech, make_firm, make_programme
):
    for i in range(6):
        make_firm(f"ai {i}", [tech["ai"]])
    make_programme("ai voucher", [tech["ai"]])
    refresh_local()
    TechnologyLandscape.objects.filter(technology__slug__in=["ai", "quantum"]).update(emergence=1.0, significant=True)
    refresh_local()
    ai, quantum = landscape(tech["ai"]), landscape(tech["quantum"])
    assert quantum.gap == 1.0 and quantum.capacity == 0
    assert 0 < ai.gap < quantum.gap
    assert landscape(tech["cloud"]).gap == 0


def test_refreshing_twice_changes_nothing(tech, make_firm, make_programme, gangnam):
    make_firm("a", [tech["ai"]], gangnam)
    make_programme("p", [tech["ai"]])
    refresh_local()
    before = list(TechnologyLandscape.objects.values("technology_id", "firms", "open_programmes", "gap", "capacity"))
    refresh_local()
    assert (
        list(TechnologyLandscape.objects.values("technology_id", "firms", "open_programmes", "gap", "capacity"))
        == before
    )


def test_pilot_cooccurrence_counts_real_demands_and_pilots_only(tech, make_demand, make_firm, make_pilot):
    make_firm("f", [tech["drones"]])
    for i in range(3):
        make_demand(f"real {i}", [tech["drones"], tech["smart-city"]])
    make_demand("other", [tech["fintech"]])
    make_demand("example", [tech["drones"], tech["quantum"]], is_example=True)
    refresh_pilot_pairs()
    pair = TechnologyPair.objects.get(
        context="pilots",
        tech_a=min(tech["drones"].pk, tech["smart-city"].pk),
        tech_b=max(tech["drones"].pk, tech["smart-city"].pk),
    )
    assert pair.together == 3 and pair.npmi == pytest.approx(1.0)
    assert not TechnologyPair.objects.filter(context="pilots", tech_a=tech["quantum"]).exists()
    assert not TechnologyPair.objects.filter(context="pilots", tech_b=tech["quantum"]).exists()
    refresh_pilot_pairs()
    assert TechnologyPair.objects.filter(context="pilots").count() == 4  # 3 singles + 1 pair


def test_capacity_counts_declared_and_product_tags_but_not_ksic_defaults(tech, make_firm, gangnam):
    from seoulhub.support.models import FirmTechnology

    make_firm("declared", [tech["ai"]], gangnam)
    inferred = make_firm("from products", [], gangnam)
    FirmTechnology.objects.create(firm=inferred, technology=tech["ai"], provenance="products", confidence=0.63)
    default_only = make_firm("KSIC default", [], gangnam)
    FirmTechnology.objects.create(firm=default_only, technology=tech["ai"], provenance="ksic", confidence=0.3)
    refresh_local()
    assert landscape(tech["ai"]).firms == 2
    assert landscape(tech["ai"]).firms_by_district == {gangnam.adm_code: 2}
