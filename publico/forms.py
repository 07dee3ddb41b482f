"""A citizen uploads a dictamen's PDF to verify it."""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from publico import subida


class FolioForm(forms.Form):
    """The folio as a person types it (from the paper, the e-mail or the QR's page)."""

    folio = forms.CharField(label=_("Folio del dictamen"), max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The example in the pattern of the institution in force, not another state's.
        ejemplo = textos_vigentes_en_cache().folio_dictamen.format(
            anio=timezone.localdate().year, numero=7
        )
        self.fields["folio"].help_text = _(
            "Como aparece en el dictamen, por ejemplo %(ejemplo)s; sin importar espacios ni "
            "mayúsculas."
        ) % {"ejemplo": ejemplo}


class VerificarForm(forms.Form):
    # Required by clean_pdf: an upload stopped for its size arrives with no file, and the
    # person must read why, not "this field is required".
    pdf = forms.FileField(label=_("PDF del dictamen"), required=False)

    def __init__(self, *args, error_subida: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.error_subida = error_subida
        self.fields["pdf"].help_text = _("El PDF tal como lo recibió, de hasta %(maximo)s.") % {
            "maximo": filesizeformat(subida.maximo())
        }

    def clean_pdf(self):
        if self.error_subida:
            raise forms.ValidationError(self.error_subida, code="tamano")
        pdf = self.cleaned_data.get("pdf")
        if not pdf:
            raise forms.ValidationError(self.fields["pdf"].error_messages["required"], "required")
        return pdf
