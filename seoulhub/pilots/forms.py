import re

from django import forms
from django.utils.translation import gettext_lazy as _

from seoulhub.core.forms import ModelIdField, ModelIdsField
from seoulhub.support.models import Firm
from seoulhub.taxonomy.models import Technology

from .models import Demand, Kpi, Milestone, Proposal, Reference, Solution
from .partners import partner_candidates

_CRITERION_LINE = re.compile(r"^(?P<name>.+?)\s*[:：]\s*(?P<weight>\d{1,3})\s*%?$")


def parse_criteria(text: str) -> list[tuple[str, int]]:
    """'Technical merit: 60' per line -> [("Technical merit", 60)]; full-width colon accepted."""
    criteria = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        match = _CRITERION_LINE.match(line)
        if not match:
            raise forms.ValidationError(
                _("Line %(n)s: write a criterion as 'name: weight', e.g. 'Technical merit: 40'."), params={"n": number}
            )
        criteria.append((match["name"].strip(), int(match["weight"])))
    if not criteria:
        raise forms.ValidationError(_("Give at least one evaluation criterion."))
    return criteria


class TechnologyChoices(ModelIdsField):
    def label_from_instance(self, obj):
        return f"{obj.name_ko} / {obj.name_en}"


class DemandForm(forms.ModelForm):
    technologies = TechnologyChoices(
        queryset=Technology.objects.filter(active=True).order_by("name_ko"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Required technologies"),
        help_text=_("Leave empty for an open call where firms propose anything."),
    )
    criteria = forms.CharField(
        label=_("Evaluation criteria"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=_("Technical merit: 40\nFeasibility on the site: 30\nCost: 30"),
        help_text=_("One per line as 'name: weight (%)'."),
    )
    source_url = forms.URLField(label=_("source link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Demand
        fields = [
            "kind",
            "title",
            "problem",
            "place",
            "district",
            "technologies",
            "budget_krw",
            "opens_on",
            "closes_on",
            "pilot_starts_on",
            "pilot_ends_on",
            "is_example",
            "source_note",
            "source_url",
        ]
        widgets = {
            f: forms.DateInput(attrs={"type": "date"})
            for f in ["opens_on", "closes_on", "pilot_starts_on", "pilot_ends_on"]
        }
        field_classes = {"district": ModelIdField}

    def clean_criteria(self):
        return parse_criteria(self.cleaned_data["criteria"])


class ProposalForm(forms.ModelForm):
    def __init__(self, *args, user_firms=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_firm"].queryset = user_firms if user_firms is not None else Firm.objects.none()
        # Rendered as a search (templates/pilots/_partner_choices.html), not a list of every firm.
        self.fields["partners"].queryset = partner_candidates()
        self.fields["partners"].required = False
        self.fields["technologies"].queryset = Technology.objects.filter(active=True).order_by("name_ko")
        self.fields["technologies"].required = False

    class Meta:
        model = Proposal
        fields = ["lead_firm", "partners", "title", "summary", "technologies", "requested_krw"]
        field_classes = {"lead_firm": ModelIdField, "partners": ModelIdsField, "technologies": ModelIdsField}
        widgets = {"partners": forms.CheckboxSelectMultiple, "technologies": forms.CheckboxSelectMultiple}


class TransitionForm(forms.Form):
    target = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.ChoiceField(
        label=_("Evaluation outcome"), required=False, choices=[("", "—"), *Proposal.Outcome.choices]
    )
    evaluation = forms.CharField(
        label=_("Evaluation summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest with this proposal?"),
        choices=[("no", _("No conflict")), ("yes", _("I have a conflict"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    statement = forms.CharField(
        label=_("Statement (required if there is a conflict)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} ({criterion.weight}%)", min_value=0, max_value=5
            )

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "done_on"]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "done_on": forms.DateInput(attrs={"type": "date"}),
        }


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("done on"), widget=forms.DateInput(attrs={"type": "date"}))


class KpiForm(forms.ModelForm):
    class Meta:
        model = Kpi
        fields = ["name", "unit", "target", "actual", "higher_is_better"]


class SolutionForm(forms.ModelForm):
    technologies = TechnologyChoices(
        queryset=Technology.objects.filter(active=True).order_by("name_ko"),
        widget=forms.CheckboxSelectMultiple,
        label=_("Technologies"),
    )

    class Meta:
        model = Solution
        fields = ["title", "description", "technologies", "trl"]


class ReferenceForm(forms.ModelForm):
    url = forms.URLField(label=_("link"), required=False, assume_scheme="https")
    technologies = TechnologyChoices(
        queryset=Technology.objects.filter(active=True).order_by("name_ko"),
        widget=forms.CheckboxSelectMultiple,
        label=_("Technologies"),
    )

    class Meta:
        model = Reference
        fields = ["title", "client", "year", "technologies", "url"]
