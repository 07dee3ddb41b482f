"""The conditions of a favorable condicionado dictamen, kept as obligations with a due date,
and the evidence the agency uploads to show each one met."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.catalogos import Area
from dictamenes.models.dictamenes import Dictamen
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import LARGO_MAX, TextoCorto, TextoLargo


class Condicion(models.Model):
    """One condition of the dictamen (one line of its text; `dictamen.obligaciones`, as
    `dictamen.condiciones` is the signed text), due in business days after the
    issue. The area that proposed it verifies the agency's evidence; with no area, the
    Dirección General, which wrote it (dictamenes.seguimiento.services.condiciones says how)."""

    class Estado(models.TextChoices):
        PENDIENTE = "pendiente", _("Pendiente de evidencia")
        EN_VERIFICACION = "verificacion", _("Evidencia en verificación")
        RECHAZADA = "rechazada", _("Evidencia rechazada")
        CUMPLIDA = "cumplida", _("Cumplida")

    dictamen = models.ForeignKey(
        Dictamen, on_delete=models.PROTECT, related_name="obligaciones", verbose_name=_("dictamen")
    )
    numero = models.PositiveSmallIntegerField(_("número"))
    texto = TextoLargo(_("condición"), max_length=LARGO_MAX, validators=[SIN_DATOS_PERSONALES])
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("área que la verifica"),
    )
    vence = models.DateField(_("vence"), db_index=True)
    # Said in its text («… antes de contratar»: seguimiento.services.condiciones.ANTES_DE_
    # CONTRATAR): a contract recorded while it is unmet is signalled.
    antes_de_contratar = models.BooleanField(_("se cumple antes de contratar"), default=False)
    estado = models.CharField(
        _("estado"), max_length=15, choices=Estado.choices, default=Estado.PENDIENTE
    )
    # When the evidence now under verification (or accepted) was uploaded: "on time" is
    # judged by it, not by the day the area got round to verifying it.
    presentada_en = models.DateTimeField(_("evidencia presentada en"), null=True, blank=True)
    verificada_en = models.DateTimeField(_("verificada en"), null=True, blank=True)
    verificada_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verificada por"),
    )
    a_tiempo = models.BooleanField(_("cumplida a tiempo"), null=True, blank=True)
    motivo_rechazo = TextoLargo(_("motivo del último rechazo"), max_length=LARGO_MAX, blank=True)

    class Meta:
        verbose_name = _("condición del dictamen")
        verbose_name_plural = _("condiciones del dictamen")
        ordering = ["dictamen", "numero"]
        constraints = [
            models.UniqueConstraint(fields=["dictamen", "numero"], name="condicion_numero_unico")
        ]

    def __str__(self) -> str:
        return f"{self.dictamen.folio} · {self.numero}"


def _ruta_evidencia(evidencia, nombre: str) -> str:
    solicitud = evidencia.condicion.dictamen.solicitud
    carpeta = (solicitud.folio or f"borrador-{solicitud.pk}").replace("/", "-")
    return (
        f"expedientes/{solicitud.ejercicio}/{carpeta}/condiciones/"
        f"{evidencia.condicion.numero}/{nombre}"
    )


class EvidenciaCondicion(models.Model):
    """A file the agency uploaded to show a condition met; checked by content like an anexo
    and stored with its SHA-256. Never replaced: a rejected one stays, with the next beside."""

    condicion = models.ForeignKey(
        Condicion, on_delete=models.PROTECT, related_name="evidencias", verbose_name=_("condición")
    )
    archivo = models.FileField(_("archivo"), upload_to=_ruta_evidencia, max_length=300)
    nombre = TextoCorto(_("nombre original"), max_length=160)
    content_type = models.CharField(_("tipo de contenido"), max_length=120)
    tamano = models.PositiveBigIntegerField(_("tamaño (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    advertencias = models.JSONField(_("advertencias"), default=list, blank=True)
    nota = TextoLargo(_("nota"), max_length=2000, blank=True)
    subida_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("subida por"),
    )
    subida_en = models.DateTimeField(_("subida en"))

    class Meta:
        verbose_name = _("evidencia de condición")
        verbose_name_plural = _("evidencias de condiciones")
        ordering = ["condicion", "subida_en", "id"]

    def __str__(self) -> str:
        return self.nombre
