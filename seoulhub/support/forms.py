from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from seoulhub.core.forms import ModelIdsField
from seoulhub.taxonomy.models import KsicCode

from seoulhub.matching.brn import InvalidBRN, validate_brn

from .models import Certification, Firm, brn_error

IMPORT_MAX_BYTES = getattr(settings, "SUPPORT_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


class FirmForm(forms.ModelForm):
    """What a firm's member may edit. Source and identifiers from official lists stay as imported."""

    ksic = forms.CharField(
        label=_("KSIC code (rev. 10)"), required=False, max_length=6, help_text=_("e.g. 58221 (system software) or 582")
    )
    brn = forms.CharField(
        label=_("business registration number"),
        required=False,
        max_length=14,
        help_text=_("10 digits, hyphens allowed (e.g. 124-81-00998); checked with its check digit"),
    )
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    certifications = forms.MultipleChoiceField(
        label=_("certifications"), choices=Certification.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Firm
        fields = [
            "name_ko",
            "name_en",
            "brn",
            "district",
            "address",
            "ksic",
            "technologies",
            "founded_on",
            "employees",
            "revenue_band",
            "stage",
            "certifications",
            "website",
            "products",
            "description",
        ]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"}), "technologies": forms.CheckboxSelectMultiple}
        field_classes = {"technologies": ModelIdsField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.ksic_id:
            self.initial["ksic"] = self.instance.ksic.code
        self.fields["technologies"].queryset = self.fields["technologies"].queryset.filter(active=True)

    def clean_ksic(self):
        code = (self.cleaned_data.get("ksic") or "").strip()
        if not code:
            return None
        ksic = KsicCode.objects.filter(revision="10", code=code).first()
        if ksic is None:
            raise forms.ValidationError(_("'%(code)s' is not a KSIC rev. 10 code.") % {"code": code})
        return ksic

    def clean_brn(self):
        value = (self.cleaned_data.get("brn") or "").strip()
        if not value:
            return None
        try:
            return validate_brn(value)
        except InvalidBRN as exc:
            raise brn_error(exc) from exc

    def save(self, commit=True):
        firm = super().save(commit=False)
        if firm.district_id and not firm.province:
            firm.province = "서울특별시"
        if commit:
            firm.save()
            self.save_m2m()
        return firm


class FirmImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: name_ko (회사명), brn (사업자등록번호) or stock_code (종목코드), "
            "district, address, ksic, technologies, founded_on, employees, "
            "revenue_band, stage, certifications, website. At most 5 MB."
        ),
    )
    dry_run = forms.BooleanField(label=_("Dry run: only check, write nothing"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)d bytes; at most %(limit)d are accepted.")
                % {"size": upload.size, "limit": IMPORT_MAX_BYTES}
            )
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        return upload
