"""The proposal / pilot lifecycle as a plain state machine (no Django import).

draft -> submitted -> under_review -> selected | rejected -> running -> evaluated
-> certified -> scaled_up; a proposer may withdraw a draft or a submitted proposal.

Who acts is described by *capacities* the caller works out for one user and one proposal:
  proposer  - a member of the proposing (lead) firm
  owner     - the official who posted the demand
  official  - any city official
  operator  - a platform operator (may do everything an official may)
Preconditions that need data (e.g. "a review exists") are checked by the service layer; this
module only knows the graph and the permissions, so it can be tested and documented alone.
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT = "draft"
SUBMITTED = "submitted"
UNDER_REVIEW = "under_review"
SELECTED = "selected"
REJECTED = "rejected"
RUNNING = "running"
EVALUATED = "evaluated"
CERTIFIED = "certified"
SCALED_UP = "scaled_up"
WITHDRAWN = "withdrawn"

STATES = [DRAFT, SUBMITTED, UNDER_REVIEW, SELECTED, REJECTED, RUNNING, EVALUATED, CERTIFIED, SCALED_UP, WITHDRAWN]
FINAL_STATES = frozenset({REJECTED, SCALED_UP, WITHDRAWN})
# States in which a proposal is a pilot (it was selected and went ahead, or is about to).
PILOT_STATES = frozenset({SELECTED, RUNNING, EVALUATED, CERTIFIED, SCALED_UP})
DECIDED_STATES = frozenset({REJECTED}) | PILOT_STATES

PROPOSER = "proposer"
OWNER = "owner"
OFFICIAL = "official"
OPERATOR = "operator"
CAPACITIES = frozenset({PROPOSER, OWNER, OFFICIAL, OPERATOR})


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    action: str  # verb for buttons and e-mails
    allowed: frozenset[str]  # capacities any one of which suffices
    needs_note: bool = False  # e.g. a rejection must say why


TRANSITIONS: tuple[Transition, ...] = (
    Transition(DRAFT, SUBMITTED, "submit", frozenset({PROPOSER})),
    Transition(DRAFT, WITHDRAWN, "withdraw", frozenset({PROPOSER})),
    Transition(SUBMITTED, WITHDRAWN, "withdraw", frozenset({PROPOSER})),
    Transition(SUBMITTED, UNDER_REVIEW, "start review", frozenset({OWNER, OPERATOR})),
    Transition(UNDER_REVIEW, SELECTED, "select", frozenset({OWNER, OPERATOR})),
    Transition(UNDER_REVIEW, REJECTED, "reject", frozenset({OWNER, OPERATOR}), needs_note=True),
    Transition(SELECTED, RUNNING, "start pilot", frozenset({OWNER, OPERATOR})),
    Transition(RUNNING, EVALUATED, "evaluate", frozenset({OWNER, OPERATOR})),
    Transition(EVALUATED, CERTIFIED, "issue certificate", frozenset({OPERATOR})),
    Transition(CERTIFIED, SCALED_UP, "scale up", frozenset({OWNER, OPERATOR})),
)
_BY_EDGE = {(t.source, t.target): t for t in TRANSITIONS}


class TransitionRefused(Exception):
    """The message (English) says what was refused and what would be allowed; the attributes
    let a caller word the same refusal in another language."""

    def __init__(
        self,
        message: str,
        source: str = "",
        target: str = "",
        options: tuple[str, ...] = (),
        transition: "Transition | None" = None,
        reason: str = "",
    ):
        super().__init__(message)
        self.source, self.target, self.options = source, target, options
        self.transition, self.reason = transition, reason


class IllegalTransition(TransitionRefused):
    pass


class NotPermitted(TransitionRefused):
    pass


def next_states(state: str) -> list[str]:
    return [t.target for t in TRANSITIONS if t.source == state]


def available(state: str, capacities: set[str] | frozenset[str]) -> list[Transition]:
    """The transitions these capacities may take from this state (for buttons)."""
    return [t for t in TRANSITIONS if t.source == state and t.allowed & set(capacities)]


def check(state: str, target: str, capacities: set[str] | frozenset[str], note: str = "") -> Transition:
    """The transition from `state` to `target` if it exists and these capacities may take it."""
    if state not in STATES:
        raise IllegalTransition(f"Unknown current state {state!r}.", state, target, reason="unknown_source")
    if target not in STATES:
        raise IllegalTransition(
            f"Unknown state {target!r}; states are: {', '.join(STATES)}.",
            state,
            target,
            tuple(STATES),
            reason="unknown_target",
        )
    transition = _BY_EDGE.get((state, target))
    if transition is None:
        options = tuple(next_states(state))
        allowed = ", ".join(options) if options else "none (this state is final)"
        raise IllegalTransition(
            f"A proposal cannot go from {state} to {target}. From {state} it can go to: {allowed}.",
            state,
            target,
            options,
            reason="no_edge",
        )
    unknown = set(capacities) - CAPACITIES
    if unknown:
        raise ValueError(f"unknown capacities {sorted(unknown)}")
    if not transition.allowed & set(capacities):
        who = " or ".join(c for c in (PROPOSER, OWNER, OFFICIAL, OPERATOR) if c in transition.allowed)
        raise NotPermitted(
            f"Only the {who} may {transition.action} (from {state} to {target}).",
            state,
            target,
            transition=transition,
            reason="not_permitted",
        )
    if transition.needs_note and not note.strip():
        raise IllegalTransition(
            f"To {transition.action} a proposal, give a note saying why.",
            state,
            target,
            transition=transition,
            reason="needs_note",
        )
    return transition
