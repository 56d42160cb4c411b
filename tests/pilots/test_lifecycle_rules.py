"""The lifecycle state machine alone (no database)."""

import pytest

from seoulhub.pilots import lifecycle as lc


def test_the_happy_path_from_draft_to_scaled_up_is_a_chain_of_allowed_transitions():
    path = [lc.DRAFT, lc.SUBMITTED, lc.UNDER_REVIEW, lc.SELECTED, lc.RUNNING, lc.EVALUATED, lc.CERTIFIED, lc.SCALED_UP]
    for source, target in zip(path, path[1:]):
        lc.check(source, target, {lc.PROPOSER, lc.OPERATOR})


def test_skipping_review_is_refused_and_the_message_lists_what_is_possible():
    with pytest.raises(lc.IllegalTransition) as refused:
        lc.check(lc.SUBMITTED, lc.SELECTED, {lc.OPERATOR})
    message = str(refused.value)
    assert "submitted to selected" in message
    assert "under_review" in message and "withdrawn" in message


def test_final_states_allow_nothing_and_say_so():
    for state in lc.FINAL_STATES:
        assert lc.next_states(state) == []
        with pytest.raises(lc.IllegalTransition, match="final"):
            lc.check(state, lc.DRAFT, {lc.OPERATOR})


def test_a_firm_may_submit_but_not_select_itself():
    assert lc.check(lc.DRAFT, lc.SUBMITTED, {lc.PROPOSER}).action == "submit"
    with pytest.raises(lc.NotPermitted, match="owner or operator"):
        lc.check(lc.UNDER_REVIEW, lc.SELECTED, {lc.PROPOSER})


def test_an_official_who_does_not_own_the_demand_cannot_decide_on_it():
    with pytest.raises(lc.NotPermitted):
        lc.check(lc.UNDER_REVIEW, lc.SELECTED, {lc.OFFICIAL})
    lc.check(lc.UNDER_REVIEW, lc.SELECTED, {lc.OFFICIAL, lc.OWNER})


def test_only_an_operator_issues_certificates():
    with pytest.raises(lc.NotPermitted, match="operator"):
        lc.check(lc.EVALUATED, lc.CERTIFIED, {lc.OWNER, lc.OFFICIAL})
    lc.check(lc.EVALUATED, lc.CERTIFIED, {lc.OPERATOR})


def test_officials_cannot_submit_on_behalf_of_a_firm():
    with pytest.raises(lc.NotPermitted, match="proposer"):
        lc.check(lc.DRAFT, lc.SUBMITTED, {lc.OWNER, lc.OPERATOR})


def test_a_rejection_needs_a_note():
    with pytest.raises(lc.IllegalTransition, match="note"):
        lc.check(lc.UNDER_REVIEW, lc.REJECTED, {lc.OWNER}, note="  ")
    lc.check(lc.UNDER_REVIEW, lc.REJECTED, {lc.OWNER}, note="Budget exceeds the call.")


def test_unknown_states_are_named_in_the_error():
    with pytest.raises(lc.IllegalTransition, match="'finished'"):
        lc.check(lc.RUNNING, "finished", {lc.OPERATOR})


def test_available_lists_only_the_buttons_a_capacity_may_press():
    assert [t.target for t in lc.available(lc.SUBMITTED, {lc.PROPOSER})] == [lc.WITHDRAWN]
    assert [t.target for t in lc.available(lc.SUBMITTED, {lc.OWNER})] == [lc.UNDER_REVIEW]
    assert lc.available(lc.SUBMITTED, set()) == []


def test_every_state_is_reachable_from_draft():
    reached, frontier = {lc.DRAFT}, [lc.DRAFT]
    while frontier:
        for target in lc.next_states(frontier.pop()):
            if target not in reached:
                reached.add(target)
                frontier.append(target)
    assert reached == set(lc.STATES)
