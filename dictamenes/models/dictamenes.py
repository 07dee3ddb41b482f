"""The issued, signed dictamen."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.base import EtiquetasEnCache, Resultado
from dictamenes.models.solicitudes import Solicitud
from dictamenes.models.textos import TextosInstitucionales, textos_vigentes_pk
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import LARGO_MAX, TextoCorto, TextoLargo

# The reasons item by item, for a request of many items: twice a long text.
MOTIVOS_MAX = 2 * LARGO_MAX


def _ruta_dictamen(dictamen, nombre: str) -> str:
    solicitud = dictamen.solicitud
    return f"expedientes/{solicitud.ejercicio}/{solicitud.folio}/{nombre}"


class Dictamen(EtiquetasEnCache, models.Model):
    """The issued, signed dictamen. Never deleted or overwritten: a cancellation is recorded
    on it with its own seal, and a rectification is a new dictamen that points to it."""

    solicitud = models.ForeignKey(
        Solicitud, on_delete=models.PROTECT, related_name="dictamenes", verbose_name=_("solicitud")
    )
    folio = models.CharField(_("folio"), max_length=40, unique=True)
    resultado = models.CharField(_("resultado"), max_length=15, choices=Resultado.choices)
    condiciones = TextoLargo(
        _("condiciones"), max_length=LARGO_MAX, blank=True, validators=[SIN_DATOS_PERSONALES]
    )
    motivos = TextoLargo(_("motivos"), max_length=MOTIVOS_MAX)
    vigencia_hasta = models.DateField(_("vigente hasta"))
    firmado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("firmado por"),
    )
    firmante_nombre = TextoCorto(_("nombre de quien firma"), max_length=200)
    firmante_cargo = TextoCorto(_("cargo de quien firma"), max_length=200)
    emitido_en = models.DateTimeField(_("emitido en"))
    # What was signed, and how.
    contenido_sha256 = models.CharField(_("SHA-256 del contenido"), max_length=64)
    cadena_original = models.TextField(_("cadena original"))
    sello = models.TextField(_("sello digital"))
    certificado_numero = models.CharField(_("número de certificado"), max_length=40)
    certificado_rfc = models.CharField(_("RFC del certificado"), max_length=13)
    certificado_pem = models.TextField(_("certificado"))
    pdf = models.FileField(_("PDF firmado"), upload_to=_ruta_dictamen, max_length=300)
    pdf_sha256 = models.CharField(_("SHA-256 del PDF"), max_length=64, db_index=True)
    sustituye = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectificaciones",
        verbose_name=_("rectifica al dictamen"),
    )
    cancelado_en = models.DateTimeField(_("cancelado en"), null=True, blank=True)
    cancelado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelado por"),
    )
    motivo_cancelacion = TextoLargo(
        _("motivo de la cancelación"),
        max_length=LARGO_MAX,
        blank=True,
        validators=[SIN_DATOS_PERSONALES],
    )
    # The NOM-151 "constancia de conservación" of the signed PDF, when a provider is configured
    # (dictamenes.emision.documentos.nom151): the provider's answer as it came, and when it was
    # given.
    constancia_nom151 = models.BinaryField(_("constancia NOM-151"), blank=True, default=b"")
    constancia_nom151_en = models.DateTimeField(_("constancia NOM-151 en"), null=True, blank=True)
    # When the certificate of the PDF's last document timestamp expires (largo_plazo.
    # vence_sello_archivo): before then `sellos_archivo_renovar` must add the next one. Kept
    # here so that the operator's page counts what is due by year without opening any PDF;
    # empty for a dictamen issued before it was recorded, until the next renewal run reads it.
    sello_archivo_vence = models.DateTimeField(
        _("vence el último sello de archivo"), null=True, blank=True, db_index=True
    )
    cadena_cancelacion = models.TextField(_("cadena original de la cancelación"), blank=True)
    sello_cancelacion = models.TextField(_("sello de la cancelación"), blank=True)
    # The institution's texts it was issued under: its PDF and verification page say those,
    # whatever the texts say today.
    textos = models.ForeignKey(
        TextosInstitucionales,
        on_delete=models.PROTECT,
        default=textos_vigentes_pk,
        related_name="dictamenes",
        verbose_name=_("textos institucionales"),
    )

    class Meta:
        verbose_name = _("dictamen")
        verbose_name_plural = _("dictámenes")
        ordering = ["-emitido_en"]
        # The register, its exports and the API list newest first.
        indexes = [
            models.Index(fields=["-emitido_en", "-id"], name="dictamen_recientes_idx"),
            # The dictamen in force of each request, read from the index alone: the savings of a
            # year join the year's requests to it (cifras.selectors.ahorros), instead of reading
            # every dictamen of ten years (PostgreSQL; SQLite has no covering indexes).
            models.Index(
                fields=["solicitud"],
                include=["id", "resultado"],
                condition=models.Q(cancelado_en__isnull=True),
                name="dictamen_vigente_idx",
            ),
            # The dictámenes still valid, with what an agency's «Pendientes» asks of them (a
            # contract to record): a year's worth, not ten (PostgreSQL covers it).
            models.Index(
                fields=["vigencia_hasta"],
                include=["resultado", "solicitud"],
                condition=models.Q(cancelado_en__isnull=True),
                name="dictamen_vigencia_idx",
            ),
        ]
        constraints = [
            # At most one dictamen in force per request; a rectification cancels the old one.
            models.UniqueConstraint(
                fields=["solicitud"],
                condition=models.Q(cancelado_en__isnull=True),
                name="un_dictamen_vigente_por_solicitud",
            )
        ]

    def __str__(self) -> str:
        return f"{self.folio} · {self.get_resultado_display()}"

    # A dictamen's public status, the same words on /verificar/, in the register, its open
    # data and the API. A no favorable dictamen authorises nothing: it has no validity to be
    # in force or expire. A cancelled one with a replacement is rectified.
    ESTADOS = {
        "vigente": _("Vigente"),
        "vencido": _("Vencido"),
        "cancelado": _("Cancelado"),
        "rectificado": _("Rectificado"),
        "no_favorable": _("No favorable"),
    }

    @staticmethod
    def estado_en(*, resultado, cancelado_en, vigencia_hasta, hoy, rectificado: bool) -> str:
        """The one rule that decides the public status (a key of ESTADOS). `rectificado`:
        whether a rectification replaced it (Dictamen.sustituto_folio_sql() reads it in bulk).
        What happened last counts first: a cancellation, then the result, then the date."""
        if cancelado_en:
            return "rectificado" if rectificado else "cancelado"
        if resultado == Resultado.NO_FAVORABLE:
            return "no_favorable"
        if vigencia_hasta < hoy:
            return "vencido"
        return "vigente"

    @staticmethod
    def sustituto_folio_sql():
        """The folio of the first dictamen that rectified each one (None: not rectified), as a
        subquery: lists read the status of every row in their one query."""
        return models.Subquery(
            Dictamen.objects.filter(sustituye_id=models.OuterRef("pk"))
            .order_by("emitido_en", "pk")
            .values("folio")[:1]
        )

    @property
    def sustituto_folio(self) -> str | None:
        """The folio of the dictamen that rectified this one, read once (or annotated)."""
        if not self.cancelado_en:
            return None  # only a cancellation (by a rectification) gives it a replacement
        if "sustituto_folio" not in self.__dict__:
            # Kept once cancelled: a cancelled dictamen is never rectified afterwards.
            self.__dict__["sustituto_folio"] = (
                self.rectificaciones.order_by("emitido_en", "pk")
                .values_list("folio", flat=True)
                .first()
            )
        return self.__dict__["sustituto_folio"]

    @sustituto_folio.setter
    def sustituto_folio(self, valor) -> None:
        # A queryset annotated with sustituto_folio_sql() sets it here.
        self.__dict__["sustituto_folio"] = valor

    @property
    def estado(self) -> str:
        from django.utils import timezone

        return self.estado_en(
            resultado=self.resultado,
            cancelado_en=self.cancelado_en,
            vigencia_hasta=self.vigencia_hasta,
            hoy=timezone.localdate(),
            rectificado=self.sustituto_folio is not None,
        )

    @property
    def estado_display(self) -> str:
        return self.ESTADOS[self.estado]


class PdfAnterior(models.Model):
    """A former version of a dictamen's signed PDF. Renewing the archival timestamp appends to
    the PDF, so its SHA-256 changes; a copy handed out before still verifies by this one."""

    dictamen = models.ForeignKey(
        Dictamen,
        on_delete=models.PROTECT,
        related_name="pdfs_anteriores",
        verbose_name=_("dictamen"),
    )
    sha256 = models.CharField(_("SHA-256 del PDF"), max_length=64, unique=True)
    reemplazado_en = models.DateTimeField(_("reemplazado en"))

    class Meta:
        verbose_name = _("versión anterior del PDF")
        verbose_name_plural = _("versiones anteriores del PDF")

    def __str__(self) -> str:
        return f"{self.dictamen_id} · {self.sha256[:12]}"
