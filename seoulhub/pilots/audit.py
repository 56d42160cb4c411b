"""Who sees what of a proposal's audit log.

Everyone who may see a proposal sees every entry's time, states and the capacity that acted (the
process is public once a proposal is a pilot). The actor's name (a login name) and the note only
for those involved: city officials and operators, and members of the proposing firms. Login names
are not public identities and help password guessing; notes are written for the parties, and the
ones before the selection can carry review reasoning about competing proposals. docs/pilots.md
("The audit log in public") records the decision.
"""

from seoulhub.accounts.models import Role
from seoulhub.accounts.roles import has_role

from .models import AuditEntry, Proposal
from .services import member_firm_ids


def sees_audit_details(user, proposal: Proposal) -> bool:
    if has_role(user, Role.OFFICIAL):
        return True
    firms = {proposal.lead_firm_id, *proposal.partners.values_list("pk", flat=True)}
    return bool(firms & member_firm_ids(user))


def audit_entries_for(user, proposal: Proposal) -> list[AuditEntry]:
    """The proposal's audit entries, oldest first; without names and notes for the public.
    The entries given to the public are changed in memory only (an AuditEntry refuses to save twice)."""
    entries = list(proposal.audit_entries.select_related("actor").order_by("at", "pk"))
    if not sees_audit_details(user, proposal):
        for entry in entries:
            entry.actor_name, entry.note = "", ""
    return entries
