"""The institution's texts (issue 35): what every dictamen prints about who issues it and under
which law, and the patterns of its folios. Each change is a new row, never an edit: a dictamen
points to the version it was issued under, so its PDF and its verification page keep saying what was
signed. The current texts are the latest version (organizacion.selectors.textos.textos_vigentes);
they change only through organizacion.services.textos.textos_guardar, which audits each change."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.articulos import ARTICULO_INICIAL, ARTICULOS, Nombre
from dictamenes.models.base import VersionadasQuerySet
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import TextoCorto, TextoLargo

DIAS_CONDICION_MIN = 1
DIAS_CONDICION_MAX = 120


def _ruta_membrete(textos, nombre: str) -> str:
    return f"institucion/membrete/v{textos.version}-{nombre}"


# The request's folio pattern before it was configurable (services/folios.py had it in code).
FOLIO_SOLICITUD_INICIAL = "SOL-{ejercicio}-{numero:05d}"


def valores_iniciales() -> dict:
    """Version 1, from the environment: DJANGO_* variables are first-time defaults only."""
    membrete = tuple(settings.DICTAMENES_MEMBRETE)
    return {
        "fundamentos": "\n".join(settings.DICTAMENES_FUNDAMENTOS),
        "membrete": "\n".join(membrete),
        "institucion": settings.DICTAMENES_INSTITUCION,
        "lugar": settings.DICTAMENES_LUGAR,
        "folio_solicitud": FOLIO_SOLICITUD_INICIAL,
        "folio_dictamen": settings.DICTAMENES_FOLIO_DICTAMEN,
        "condicion_dias_habiles": settings.DICTAMENES_CONDICION_DIAS_HABILES,
    }


# Who decides each request, as the procedure's texts name it before Anáhuac's profile made it
# a text of the institution (issue 47): what the pages, e-mails and PDFs said until then.
UNIDAD_RESUELVE_INICIAL = "Dirección General"


def unidades_iniciales() -> dict:
    """The deciding and the signing unit of version 1 (fields added after migration 0025,
    which makes version 1 from valores_iniciales): the signing unit is the institution."""
    return {
        "unidad_resuelve": UNIDAD_RESUELVE_INICIAL,
        "unidad_firma": settings.DICTAMENES_INSTITUCION,
    }


class TextosQuerySet(VersionadasQuerySet):
    def iniciales(self) -> dict:
        return {**valores_iniciales(), **unidades_iniciales()}


ARTICULOS_OPCIONES = [(a, a) for a in ARTICULOS]
# The names written after an article, each with the field that stores it.
NOMBRES_CON_ARTICULO = ("institucion", "unidad_resuelve", "unidad_firma")


def textos_vigentes_pk() -> int:
    """Default of Dictamen.textos: a dictamen made without naming its texts (the history
    generator) is issued under the current ones. emision.services.firma names them."""
    return TextosInstitucionales.objects.vigentes().pk


# The texts every dictamen prints and its public verification page shows (the institution's
# name is the publisher and reviewing body of the open data too): no personal data (issue 77),
# whichever path writes them (/cuentas/institucion/, a state's profile).
PUBLICO = [SIN_DATOS_PERSONALES]


def _lineas(texto: str) -> tuple[str, ...]:
    return tuple(linea.strip() for linea in (texto or "").splitlines() if linea.strip())


class TextosInstitucionales(models.Model):
    version = models.PositiveIntegerField(_("versión"), unique=True)
    creado_en = models.DateTimeField(_("guardado en"))
    # None for version 1, made from the settings (the environment's first-time defaults).
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guardado por"),
    )
    motivo = TextoCorto(_("motivo del cambio"), max_length=300, blank=True)
    fundamentos = TextoLargo(
        _("fundamento legal"),
        max_length=5000,
        validators=PUBLICO,
        help_text=_("Un ordenamiento por renglón; el dictamen los imprime en este orden."),
    )
    membrete = TextoLargo(
        _("renglones del membrete"),
        max_length=1000,
        validators=PUBLICO,
        help_text=_(
            "Un renglón por línea: gobierno, dependencia, subsecretaría y la dirección que "
            "firma. El primero va en negritas."
        ),
    )
    institucion = TextoCorto(
        _("nombre de la institución"),
        max_length=200,
        validators=PUBLICO,
        help_text=_("Como firma los correos y publica los datos abiertos."),
    )
    lugar = TextoCorto(_("lugar de emisión"), max_length=120, validators=PUBLICO)
    # Each name is written in a sentence after its article (issue 61: «el Instituto…», not
    # «la Instituto…»), through models.articulos; version 1's is «la», as every text said.
    institucion_articulo = models.CharField(
        _("artículo de la institución"),
        max_length=3,
        choices=ARTICULOS_OPCIONES,
        default=ARTICULO_INICIAL,
        help_text=_("El que va antes de su nombre en una frase: «la Secretaría», «el Instituto»."),
    )
    unidad_resuelve = TextoCorto(
        _("unidad que resuelve"),
        max_length=200,
        validators=PUBLICO,
        help_text=_(
            "Quien decide cada solicitud en la revisión estratégica, sin artículo: «… resolvió»."
        ),
    )
    unidad_resuelve_articulo = models.CharField(
        _("artículo de la unidad que resuelve"),
        max_length=3,
        choices=ARTICULOS_OPCIONES,
        default=ARTICULO_INICIAL,
        help_text=_("El que va antes de su nombre: «la Coordinación resolvió», «el Comité…»."),
    )
    unidad_firma = TextoCorto(
        _("unidad que firma"),
        max_length=200,
        validators=PUBLICO,
        help_text=_(
            "La unidad cuya persona titular firma los dictámenes, sin artículo: «la persona "
            "titular de la … firma»."
        ),
    )
    unidad_firma_articulo = models.CharField(
        _("artículo de la unidad que firma"),
        max_length=3,
        choices=ARTICULOS_OPCIONES,
        default=ARTICULO_INICIAL,
        help_text=_("El que va antes de su nombre: «de la Agencia», «del Instituto»."),
    )
    membrete_imagen = models.FileField(
        _("imagen del membrete"), upload_to=_ruta_membrete, max_length=300, blank=True
    )
    membrete_imagen_sha256 = models.CharField(
        _("SHA-256 de la imagen del membrete"), max_length=64, blank=True
    )
    folio_solicitud = TextoCorto(_("patrón del folio de solicitud"), max_length=60)
    folio_dictamen = TextoCorto(_("patrón del folio de dictamen"), max_length=60)
    condicion_dias_habiles = models.PositiveSmallIntegerField(
        _("días hábiles para cumplir una condición"),
        validators=[
            MinValueValidator(DIAS_CONDICION_MIN),
            MaxValueValidator(DIAS_CONDICION_MAX),
        ],
    )

    objects = TextosQuerySet.as_manager()

    class Meta:
        verbose_name = _("versión de los textos institucionales")
        verbose_name_plural = _("versiones de los textos institucionales")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Textos institucionales, versión {self.version}"

    def nombre(self, campo: str) -> Nombre:
        """One of NOMBRES_CON_ARTICULO with its article (models.articulos.con_articulo)."""
        return Nombre(getattr(self, campo), getattr(self, f"{campo}_articulo"))

    @property
    def institucion_nombre(self) -> Nombre:
        return self.nombre("institucion")

    @property
    def unidad_resuelve_nombre(self) -> Nombre:
        return self.nombre("unidad_resuelve")

    @property
    def unidad_firma_nombre(self) -> Nombre:
        return self.nombre("unidad_firma")

    @property
    def fundamentos_lineas(self) -> tuple[str, ...]:
        return _lineas(self.fundamentos)

    @property
    def membrete_lineas(self) -> tuple[str, ...]:
        return _lineas(self.membrete)
