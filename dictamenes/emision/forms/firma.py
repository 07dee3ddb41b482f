"""The e.firma, uploaded to sign, cancel or rectify a dictamen, and the proposal of a
rectification (emision.services). The request's page shows them where its selector offers
those actions (emision.acciones.en_la_pagina)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Resultado
from dictamenes.models.dictamenes import MOTIVOS_MAX
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import TextoLargoField
from estandares.motivos import MotivoField


class EfirmaForm(forms.Form):
    """The e.firma, uploaded for this one signature and never stored."""

    cer = forms.FileField(label=_("Certificado (.cer)"), required=False)
    key = forms.FileField(label=_("Llave privada (.key)"), required=False)
    p12 = forms.FileField(
        label=_("O bien, archivo PKCS#12 (.p12 o .pfx)"),
        required=False,
        help_text=_("Use el .p12 en lugar del par .cer y .key."),
    )
    contrasena = forms.CharField(
        label=_("Contraseña de la llave privada"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
    )

    MAXIMO = 64 * 1024  # an e.firma file is a few kilobytes

    def clean(self):
        datos = super().clean()
        for campo in ("cer", "key", "p12"):
            archivo = datos.get(campo)
            if archivo and archivo.size > self.MAXIMO:
                self.add_error(campo, _("Ese archivo es demasiado grande para ser una e.firma."))
        if not datos.get("p12") and not (datos.get("cer") and datos.get("key")):
            raise forms.ValidationError(
                _("Suba el .cer y el .key de su e.firma, o un archivo .p12.")
            )
        return datos

    def bytes_de(self, campo) -> bytes | None:
        archivo = self.cleaned_data.get(campo)
        return archivo.read() if archivo else None


class CancelacionForm(EfirmaForm):
    motivo = MotivoField(
        label=_("Motivo"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[SIN_DATOS_PERSONALES],
    )


class RectificacionForm(EfirmaForm):
    """The firmante signs the rectification the Dirección General proposed: the e.firma only,
    and which proposal they read (the content is not theirs to change)."""

    propuesta = forms.IntegerField(widget=forms.HiddenInput)


class PropuestaRectificacionForm(forms.Form):
    """The Dirección General's proposal: why the dictamen is rectified, and its new content."""

    motivo = MotivoField(
        label=_("Por qué se rectifica"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[SIN_DATOS_PERSONALES],
    )
    resultado = forms.ChoiceField(label=_("Resultado"), choices=Resultado.choices)
    motivos = MotivoField(
        label=_("Motivos del dictamen rectificado"),
        max_length=MOTIVOS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    condiciones = TextoLargoField(
        label=_("Condiciones (si es favorable condicionado)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        validators=[SIN_DATOS_PERSONALES],
    )
