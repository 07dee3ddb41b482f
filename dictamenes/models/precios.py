"""Price, the third word of the dictamen (issue 62): the quotes of each item's market
research, the unit prices the state approved and paid (one row per item under a dictamen in
force), and the reference price of each standard profile computed from them.

The observations and the references are kept by the doors that write decisions, dictámenes
and contracts (dictamenes.precios.services); no page reads the history to draw them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import TextoCorto
from estandares.identidad import validar_rfc

MESES_MAXIMO = 120


class UnidadPrecio(models.TextChoices):
    """What an item's unit price pays for. The references compare per piece, per month of
    service and per licence-year (dictamenes.precios.reglas.normalizar)."""

    PIEZA = "pieza", _("por pieza")
    SERVICIO = "servicio", _("por servicio, por los meses indicados")
    LICENCIA = "licencia", _("por licencia, por los meses indicados")


class MetodoPrecio(models.TextChoices):
    """How the market price of an item follows from its valid quotes."""

    MEDIANA = "mediana", _("mediana de las cotizaciones válidas")
    MEDIA = "media", _("media de las cotizaciones válidas")
    MENOR = "menor", _("menor precio válido")
    # Issue 76, item 4: the mean when the valid quotes agree (their coefficient of variation
    # at most ConfiguracionVias.precio_cv_pct), otherwise the median.
    DISPERSION = (
        "dispersion",
        _("según la dispersión: la media si las cotizaciones coinciden, si no la mediana"),
    )


class CentroLey(models.TextChoices):
    """The central value of the market research that the law's price tests read (issue 76,
    item 5): published summaries of the LAASSP (DOF 16/04/2025) disagree on mean or median."""

    MEDIA = "media", _("media de las cotizaciones válidas")
    MEDIANA = "mediana", _("mediana de las cotizaciones válidas")


class Cotizacion(models.Model):
    """One quote of an item's market research: a company's unit price, in the item's unit,
    with its date and validity, and the quote file itself (an Anexo of type «Cotización»)."""

    partida = models.ForeignKey(
        "dictamenes.Partida",
        on_delete=models.CASCADE,
        related_name="cotizaciones",
        verbose_name=_("partida"),
    )
    proveedor = TextoCorto(
        _("proveedor (razón social)"), max_length=200, validators=[SIN_DATOS_PERSONALES]
    )
    # Issue 88: the supplier's RFC in its own field, compact and in capitals: a company's (12
    # characters) is published as the OCDS party's identifier (MX-RFC); a person's (13) never.
    proveedor_rfc = models.CharField(
        _("RFC del proveedor"), max_length=13, blank=True, validators=[validar_rfc]
    )
    precio_unitario = models.DecimalField(
        _("precio unitario cotizado (MXN)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    fecha = models.DateField(_("fecha de la cotización"))
    vigencia = models.DateField(_("vigente hasta"))
    # Issue 80: what tells one company from another beyond its name, for the sign of cover
    # quotes (suppliers sharing an address, a phone or a person). Of the person who signs the
    # quote only a keyed hash of the name is kept (dictamenes.senales.personas.huella_de_persona):
    # it tells two quotes signed by the same person without keeping who.
    domicilio = TextoCorto(
        _("domicilio fiscal del proveedor"),
        max_length=300,
        blank=True,
        validators=[SIN_DATOS_PERSONALES],
    )
    telefono = models.CharField(_("teléfono del proveedor"), max_length=20, blank=True)
    firmante_huella = models.CharField(
        _("huella de quien firma la cotización"), max_length=64, blank=True, editable=False
    )
    anexo = models.OneToOneField(
        "dictamenes.Anexo",
        on_delete=models.PROTECT,
        related_name="cotizacion",
        verbose_name=_("archivo de la cotización"),
    )

    class Meta:
        verbose_name = _("cotización")
        verbose_name_plural = _("cotizaciones")
        ordering = ["partida", "precio_unitario", "id"]

    def __str__(self) -> str:
        return f"{self.proveedor} · {self.precio_unitario}"


class PrecioObservado(models.Model):
    """A unit price the state approved, and paid if a contract was recorded, for one item
    under a dictamen in force: the data of the reference prices. Normalised to the unit of
    its kind (per piece, per month, per licence-year)."""

    class Fuente(models.TextChoices):
        APROBADO = "aprobado", _("precio aprobado por el dictamen")
        CONTRATADO = "contratado", _("precio pagado según los contratos")

    partida = models.OneToOneField(
        "dictamenes.Partida",
        on_delete=models.CASCADE,
        related_name="precio_observado",
        verbose_name=_("partida"),
    )
    solicitud = models.ForeignKey(
        "dictamenes.Solicitud",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("solicitud"),
    )
    ente = models.ForeignKey(
        "dictamenes.Ente", on_delete=models.PROTECT, related_name="+", verbose_name=_("ente")
    )
    # A profile across the editions that continue it: its category's clave and its own.
    categoria_clave = models.SlugField(_("clave de la categoría"), max_length=60)
    perfil_clave = models.SlugField(_("clave del perfil"), max_length=60)
    unidad = models.CharField(_("unidad"), max_length=10, choices=UnidadPrecio.choices)
    fecha = models.DateField(_("fecha del dictamen"))
    cantidad = models.PositiveIntegerField(_("cantidad aprobada"))
    precio = models.DecimalField(
        _("precio unitario normalizado (MXN)"), max_digits=16, decimal_places=4
    )
    fuente = models.CharField(_("fuente"), max_length=12, choices=Fuente.choices)
    # A contracted price enters only once someone who is not the requester checked the
    # contract against its document (issue 76, item 1): who did, shown in the price history.
    verificado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contrato verificado por"),
    )
    consolidada = models.BooleanField(_("compra consolidada"), default=False)

    class Meta:
        verbose_name = _("precio observado")
        verbose_name_plural = _("precios observados")
        ordering = ["categoria_clave", "perfil_clave", "fecha", "id"]
        indexes = [
            # A profile's window, newest first: its reference, its chart and the purchases of
            # other agencies the requester sees.
            models.Index(
                fields=["categoria_clave", "perfil_clave", "unidad", "-fecha"],
                name="precio_perfil_fecha_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.categoria_clave}/{self.perfil_clave} · {self.precio}"


class ReferenciaPrecio(models.Model):
    """The reference price of a profile in one unit, over the last 24 months up to
    `calculada_el`: computed by the doors that write observations and again each day
    (`manage.py precios_recalcular`). `suficiente` is false below the minimum (three
    purchases from two agencies): then the figures are not shown as a reference."""

    categoria_clave = models.SlugField(_("clave de la categoría"), max_length=60)
    perfil_clave = models.SlugField(_("clave del perfil"), max_length=60)
    unidad = models.CharField(_("unidad"), max_length=10, choices=UnidadPrecio.choices)
    calculada_el = models.DateField(_("calculada el"))
    desde = models.DateField(_("desde"))
    compras = models.PositiveIntegerField(_("compras"))
    # Issue 76, item 1: the window's observations before the stated rule left out those far
    # from the rest (outside the fences, 1.5 × the interquartile range beyond each quartile),
    # the fences, and each one left out with its reason ([{"fecha", "precio", "fuente",
    # "motivo"}]). `compras` and every figure count what is left.
    observadas = models.PositiveIntegerField(_("compras observadas"), default=0)
    cerca_inferior = models.DecimalField(
        _("cerca inferior"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    cerca_superior = models.DecimalField(
        _("cerca superior"), max_digits=16, decimal_places=4, null=True, blank=True
    )
    excluidas = models.JSONField(_("compras excluidas"), default=list, blank=True)
    entes = models.PositiveIntegerField(_("entes"))
    suficiente = models.BooleanField(_("alcanza el mínimo"))
    mediana = models.DecimalField(_("mediana"), max_digits=16, decimal_places=4, null=True)
    cuartil_1 = models.DecimalField(_("primer cuartil"), max_digits=16, decimal_places=4, null=True)
    cuartil_3 = models.DecimalField(_("tercer cuartil"), max_digits=16, decimal_places=4, null=True)
    minimo = models.DecimalField(_("menor precio"), max_digits=16, decimal_places=4, null=True)
    # The chart: per month of the window, [{"mes": "2026-01", "compras", "mediana", "minimo",
    # "maximo"}], at most 24 points whatever the history.
    serie = models.JSONField(_("serie mensual"), default=list, blank=True)

    class Meta:
        verbose_name = _("precio de referencia")
        verbose_name_plural = _("precios de referencia")
        ordering = ["categoria_clave", "perfil_clave", "unidad"]
        constraints = [
            models.UniqueConstraint(
                fields=["categoria_clave", "perfil_clave", "unidad"], name="referencia_unica"
            )
        ]

    def __str__(self) -> str:
        return f"{self.categoria_clave}/{self.perfil_clave} ({self.get_unidad_display()})"
