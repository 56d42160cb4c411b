"""Forms of firm membership: asking to join, deciding, and the member's profile of the firm.
Every refusal says what is wrong in the reader's language; an invalid form changes nothing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from seoulhub.core.forms import ModelIdField, ModelIdsField
from seoulhub.matching.brn import InvalidBRN, validate_brn
from seoulhub.taxonomy.models import District, Technology

from .models import Firm, FirmMember, Stage, brn_error

# The largest Korean employers count their staff in the hundred thousands; a headcount above
# this is a typo (an extra zero, a revenue figure), not a firm.
MAX_EMPLOYEES = 1_000_000
MESSAGE_MAX = 1000

UNKNOWN_DISTRICT = _("'%(value)s' is not one of Seoul's 25 districts (gu); choose one from the list.")


def _district_field(label):
    return ModelIdField(
        label=label,
        queryset=District.objects.order_by("name_ko"),
        required=False,
        empty_label=_("(not in Seoul / not given)"),
        error_messages={"invalid_choice": UNKNOWN_DISTRICT},
    )


class JoinFirmForm(forms.Form):
    firm = ModelIdField(
        label=_("firm"),
        queryset=Firm.objects.all(),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the firm you want to join."),
            "invalid_choice": _("There is no firm with the id '%(value)s' in the registry; search for it by name."),
        },
    )
    message = forms.CharField(
        label=_("message to the firm (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NewFirmForm(forms.Form):
    name_ko = forms.CharField(
        label=_("Korean name"), max_length=200, error_messages={"required": _("Give the firm's Korean name.")}
    )
    brn = forms.CharField(
        label=_("business registration number"),
        max_length=14,
        help_text=_("10 digits, hyphens allowed (e.g. 124-81-00998); checked with its check digit"),
        error_messages={"required": _("Give the firm's business registration number (사업자등록번호, 10 digits).")},
    )
    district = _district_field(_("district (gu)"))
    message = forms.CharField(
        label=_("message to the operators (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_brn(self):
        try:
            return validate_brn(self.cleaned_data["brn"])
        except InvalidBRN as exc:
            raise brn_error(exc) from exc


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("approve")), ("reject", _("reject"))],
        error_messages={
            "required": _("Choose approve or reject."),
            "invalid_choice": _("'%(value)s' is not a decision; choose approve or reject."),
        },
    )
    role = forms.ChoiceField(
        label=_("role"),
        required=False,
        choices=[("", _("member (administrator if the firm has none)")), *FirmMember.MemberRole.choices],
        error_messages={"invalid_choice": _("'%(value)s' is not a member role; choose administrator or member.")},
    )
    note = forms.CharField(
        label=_("note to the requester (optional)"),
        required=False,
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FirmProfileForm(forms.Form):
    """What a member keeps up to date: where the firm is, what it makes and with which
    technologies, how many people, which stage. Technologies here are the firm's declared tags;
    tags the hub inferred from products or the KSIC code are shown but not set here."""

    district = _district_field(_("district (gu)"))
    technologies = ModelIdsField(
        label=_("technologies"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        queryset=Technology.objects.filter(active=True).order_by("name_ko"),
        error_messages={
            "invalid_choice": _("'%(value)s' is not a technology of the hub's list; choose from it."),
            "invalid_pk_value": _("'%(pk)s' is not a technology of the hub's list; choose from it."),
        },
    )
    products = forms.CharField(
        label=_("main products"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("what the firm sells, e.g. 'AI 기반 문서 인식 솔루션, 클라우드 OCR API'"),
    )
    employees = forms.IntegerField(
        label=_("employees"),
        required=False,
        min_value=0,
        max_value=MAX_EMPLOYEES,
        error_messages={
            "invalid": _("The headcount must be a whole number, e.g. 12."),
            "min_value": _("The headcount cannot be negative."),
            "max_value": _("A headcount above %(limit_value)s is not plausible; check the number."),
        },
    )
    stage = forms.ChoiceField(
        label=_("stage"),
        required=False,
        choices=[("", "—"), *Stage.choices],
        error_messages={"invalid_choice": _("'%(value)s' is not a stage; choose one from the list.")},
    )

    @classmethod
    def initial_for(cls, firm: Firm) -> dict:
        from .models import FirmTechnology

        declared = FirmTechnology.objects.filter(firm=firm, provenance=FirmTechnology.Provenance.DECLARED)
        return {
            "district": firm.district_id,
            "products": firm.products,
            "employees": firm.employees,
            "stage": firm.stage,
            "technologies": list(declared.values_list("technology_id", flat=True)),
        }
