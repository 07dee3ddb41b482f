"""Review in proportion to risk (issue 36): the tracks a request may follow, the catalogue of
reasons for not approving an item, and the strategic decision on each item.

The tracks' thresholds are data the administrator keeps, versioned like the institution's
texts: each change is a new row (operacion.services.vias), never an edit, and a request
records the track it was given and why (Solicitud.via, Solicitud.via_razones)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from dictamenes.models.base import EtiquetasEnCache, VersionadasQuerySet
from dictamenes.models.precios import CentroLey, MetodoPrecio
from estandares.datos_personales import SIN_DATOS_PERSONALES
from estandares.entradas import LARGO_MAX, TextoCorto, TextoLargo


class Via(models.TextChoices):
    COMPLETA = "completa", _("Vía completa")
    RAPIDA = "rapida", _("Vía rápida")


# The law's price tests (issue 76, item 5), as the state cites them; an example, not an
# official text: the state profile's administrators write the article they apply.
LEY_ARTICULO_INICIAL = (
    "Ley de Adquisiciones, Arrendamientos y Servicios del Sector Público (DOF 16/04/2025): "
    "precio no aceptable y precio no conveniente"
)

# Version 1 of the tracks: what a fresh database starts with.
VIAS_INICIALES = {
    "rapida_activa": True,
    "umbral_monto": Decimal("500000.00"),
    # Categories (by their clave, which survives editions of the standards) always reviewed
    # by every area: security, cryptography, data centres, custom software.
    "categorias_completas": [
        "firewall-nueva-generacion",
        "servicio-centro-datos",
        "desarrollo-software",
    ],
    "dias_revision_rapida": 2,
    "dias_estrategica_rapida": 1,
    "meta_dias_rapida": 10,
    "meta_dias_completa": 20,
    # Split purchases (issue 48): the agency's other requests of the same fiscal year with an
    # item of the same category (a profile belongs to one category, so this covers the same
    # profile too) whose amounts, added to this one's, reach the threshold.
    "fraccion_activa": True,
    "fraccion_criterio": "categoria",
    "fraccion_ventana_dias": 0,
    # Families of categories the split check compares as one (issue 59, item 5): an example,
    # not an official text. Switches and wireless access points make one local network; the
    # demo's requests ask for no access point, so none of their tracks changes with it.
    # (Desktops and laptops, the other example, would make the demo's $216,000 laptop
    # request a split purchase of the Registro Civil's $1,350,000 of desktops.)
    "fraccion_familias": [
        {"nombre": "Red de área local", "categorias": ["switch", "punto-acceso"]},
    ],
    "cotizaciones_umbral": Decimal("500000.00"),
    "precio_metodo": "mediana",
    "precio_atipico_pct": 50,
    "precio_senal_pct": 25,
    # Issue 76: contracts over the dictamen, quotes that count, the method per category and
    # the law's price tests.
    "contrato_tolerancia_pct": 10,
    "contrato_absurdo_veces": 10,
    "cotizacion_antiguedad_dias": 90,
    "precio_metodos_categoria": {},
    "precio_cv_pct": 25,
    "ley_centro": "mediana",
    "ley_no_aceptable_pct": 10,
    "ley_no_conveniente_pct": 40,
    "ley_articulo": LEY_ARTICULO_INICIAL,
}


class ViasQuerySet(VersionadasQuerySet):
    def iniciales(self) -> dict:
        return {
            **VIAS_INICIALES,
            "categorias_completas": list(VIAS_INICIALES["categorias_completas"]),
            "fraccion_familias": [
                {**f, "categorias": list(f["categorias"])}
                for f in VIAS_INICIALES["fraccion_familias"]
            ],
            "precio_metodos_categoria": dict(VIAS_INICIALES["precio_metodos_categoria"]),
        }


DIAS = [MinValueValidator(1), MaxValueValidator(120)]
VENTANA_MAXIMA = 366


class CriterioFraccion(models.TextChoices):
    """What ties a request to the agency's others when looking for a split purchase."""

    CATEGORIA = "categoria", _("la misma categoría (cualquiera de sus perfiles)")
    PERFIL = "perfil", _("el mismo perfil técnico")


class ConfiguracionVias(models.Model):
    """One version of the tracks' rules and service standard."""

    version = models.PositiveIntegerField(_("versión"), unique=True)
    creado_en = models.DateTimeField(_("guardado en"))
    creado_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("guardado por"),
    )
    motivo = TextoCorto(_("motivo del cambio"), max_length=300, blank=True)
    rapida_activa = models.BooleanField(_("vía rápida activa"), default=True)
    umbral_monto = models.DecimalField(
        _("umbral de la vía rápida (MXN)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Una solicitud de monto menor a este puede seguir la vía rápida."),
    )
    categorias_completas = models.JSONField(
        _("categorías que siempre van a revisión completa"),
        default=list,
        blank=True,
        help_text=_("Claves de categoría de los estándares."),
    )
    dias_revision_rapida = models.PositiveSmallIntegerField(
        _("plazo de la revisión técnica única (días hábiles)"), validators=DIAS
    )
    dias_estrategica_rapida = models.PositiveSmallIntegerField(
        _("plazo de la revisión estratégica en vía rápida (días hábiles)"), validators=DIAS
    )
    meta_dias_rapida = models.PositiveSmallIntegerField(
        _("estándar de servicio, vía rápida (días hábiles)"), validators=DIAS
    )
    meta_dias_completa = models.PositiveSmallIntegerField(
        _("estándar de servicio, vía completa (días hábiles)"), validators=DIAS
    )
    # Split purchases (fraccionamiento, issue 48): tramite.reglas.vias.fracciones_detectar.
    fraccion_activa = models.BooleanField(_("búsqueda de posibles fraccionamientos"), default=True)
    fraccion_criterio = models.CharField(
        _("solicitudes relacionadas: las que piden"),
        max_length=10,
        choices=CriterioFraccion.choices,
        default=CriterioFraccion.CATEGORIA,
    )
    fraccion_ventana_dias = models.PositiveSmallIntegerField(
        _("ventana de la búsqueda (días naturales)"),
        default=0,
        validators=[MaxValueValidator(VENTANA_MAXIMA)],
        help_text=_("0: todo el ejercicio fiscal."),
    )
    # [{"nombre": ..., "categorias": [clave, ...]}]: categories (by clave, which survives
    # editions) the split check compares as one, e.g. desktops and laptops (issue 59).
    fraccion_familias = models.JSONField(
        _("familias de categorías"),
        default=list,
        blank=True,
        help_text=_(
            "Categorías que la búsqueda de posibles fraccionamientos compara como una sola."
        ),
    )

    # Price (issue 62): above this amount a request's items carry three quotes each, or a
    # justification for fewer; the market price follows from them by `precio_metodo`, after
    # leaving out the quotes more than `precio_atipico_pct` away from their median; an item
    # more than `precio_senal_pct` over its profile's reference is flagged to the reviewers.
    cotizaciones_umbral = models.DecimalField(
        _("monto a partir del cual cada partida lleva tres cotizaciones (MXN)"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("500000.00"),
        validators=[MinValueValidator(Decimal(0))],
    )
    precio_metodo = models.CharField(
        _("método del precio de mercado"),
        max_length=10,
        choices=MetodoPrecio.choices,
        default=MetodoPrecio.MEDIANA,
    )
    precio_atipico_pct = models.PositiveSmallIntegerField(
        _("cotizaciones fuera de línea: más lejos de su mediana que (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    precio_senal_pct = models.PositiveSmallIntegerField(
        _("señalar la partida que pasa su precio de referencia en más de (%)"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )

    # Issue 76, items 2–5. A contract whose running total passes what the dictamen approved by
    # more than `contrato_tolerancia_pct` waits for the strategic reviewer; one of more than
    # `contrato_absurdo_veces` times the approved total is refused. A quote older than
    # `cotizacion_antiguedad_dias` does not count.
    contrato_tolerancia_pct = models.PositiveSmallIntegerField(
        _("tolerancia de un contrato sobre lo aprobado (%)"),
        default=10,
        validators=[MaxValueValidator(100)],
    )
    contrato_absurdo_veces = models.PositiveSmallIntegerField(
        _("rechazar un contrato de más de estas veces lo aprobado"),
        default=10,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
    )
    cotizacion_antiguedad_dias = models.PositiveSmallIntegerField(
        _("una cotización cuenta hasta estos días después de su fecha"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )
    # {categoria_clave: metodo}: the market price's method per category (MetodoPrecio), the
    # others by `precio_metodo`.
    precio_metodos_categoria = models.JSONField(
        _("método del precio de mercado por categoría"), default=dict, blank=True
    )
    precio_cv_pct = models.PositiveSmallIntegerField(
        _("«según la dispersión»: la media hasta este coeficiente de variación (%)"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    ley_centro = models.CharField(
        _("valor central de la investigación de mercado (pruebas de la ley)"),
        max_length=10,
        choices=CentroLey.choices,
        default=CentroLey.MEDIANA,
    )
    ley_no_aceptable_pct = models.PositiveSmallIntegerField(
        _("precio no aceptable: más de este porcentaje sobre el valor central (%)"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    ley_no_conveniente_pct = models.PositiveSmallIntegerField(
        _("precio no conveniente: más de este porcentaje bajo el valor central (%)"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(99)],
    )
    ley_articulo = TextoCorto(
        _("fundamento legal de las pruebas de precio"), max_length=300, default=LEY_ARTICULO_INICIAL
    )

    # Issue 80: the thresholds of the signs (dictamenes.senales.catalogo). The price sign reads
    # precio_senal_pct and ley_no_aceptable_pct, the quotes' sign cotizaciones_umbral.
    senal_cobertura_pct = models.DecimalField(
        _("cotizaciones casi iguales: precios o razones que difieren a lo más (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(20))],
    )
    senal_cierre_dias = models.PositiveSmallIntegerField(
        _("cierre del ejercicio: presentada en sus últimos días hábiles"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    senal_dominante_pct = models.PositiveSmallIntegerField(
        _("concentración: un proveedor con más de este % de lo contratado por el ente en el año"),
        default=60,
        validators=[MinValueValidator(10), MaxValueValidator(100)],
    )
    senal_dominante_contratos = models.PositiveSmallIntegerField(
        _("concentración: solo en entes con al menos estos contratos en el año"),
        default=4,
        validators=[MinValueValidator(2), MaxValueValidator(1000)],
    )
    senal_entrega_dias = models.PositiveSmallIntegerField(
        _("sin entrega registrada estos días hábiles después del término del contrato"),
        default=20,
        validators=[MinValueValidator(1), MaxValueValidator(250)],
    )

    objects = ViasQuerySet.as_manager()

    class Meta:
        verbose_name = _("versión de las vías de revisión")
        verbose_name_plural = _("versiones de las vías de revisión")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"Vías de revisión, versión {self.version}"

    def meta_dias(self, via: str) -> int:
        return self.meta_dias_rapida if via == Via.RAPIDA else self.meta_dias_completa


class MotivoRechazo(models.Model):
    """A published reason for not approving an item (like Chile's EVALTIC list)."""

    clave = models.SlugField(_("clave"), max_length=40, unique=True)
    nombre = TextoCorto(_("motivo"), max_length=200, validators=[SIN_DATOS_PERSONALES])
    descripcion = TextoLargo(
        _("descripción"), max_length=2000, blank=True, validators=[SIN_DATOS_PERSONALES]
    )
    orden = models.PositiveSmallIntegerField(_("orden"), default=0)
    activo = models.BooleanField(_("activo"), default=True)

    class Meta:
        verbose_name = _("motivo de no aprobación")
        verbose_name_plural = _("motivos de no aprobación")
        ordering = ["orden", "nombre"]

    def __str__(self) -> str:
        return self.nombre


class DecisionPartida(EtiquetasEnCache, models.Model):
    """The strategic reviewer's decision on one item. A new decision (after a send-back)
    replaces it; the dictamen prints the decisions in force when it is signed."""

    class Resultado(models.TextChoices):
        APROBADA = "aprobada", _("Aprobada")
        REDUCIDA = "reducida", _("Aprobada por menor monto o cantidad")
        NO_APROBADA = "no_aprobada", _("No aprobada")

    partida = models.OneToOneField(
        "dictamenes.Partida",
        on_delete=models.CASCADE,
        related_name="decision",
        verbose_name=_("partida"),
    )
    resultado = models.CharField(_("decisión"), max_length=15, choices=Resultado.choices)
    cantidad_aprobada = models.PositiveIntegerField(_("cantidad aprobada"))
    monto_aprobado = models.DecimalField(_("monto aprobado (MXN)"), max_digits=14, decimal_places=2)
    motivo = models.ForeignKey(
        MotivoRechazo,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisiones",
        verbose_name=_("motivo"),
    )
    texto = TextoLargo(
        _("explicación"), max_length=LARGO_MAX, blank=True, validators=[SIN_DATOS_PERSONALES]
    )
    decidida_por = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decidida por"),
    )
    decidida_en = models.DateTimeField(_("decidida en"))
    # The price basis at the decision (issue 62), printed by the dictamen: the profile's
    # reference and the item's market price, each in the item's own unit (None: there was
    # none), and {"referencia": {...}, "mercado": {...}} with their figures and method.
    referencia_unitaria = models.DecimalField(
        _("precio de referencia unitario (MXN)"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
    )
    mercado_unitario = models.DecimalField(
        _("precio de mercado unitario (MXN)"),
        max_digits=16,
        decimal_places=4,
        null=True,
        blank=True,
    )
    base_precio = models.JSONField(_("base del precio"), default=dict, blank=True)

    class Meta:
        verbose_name = _("decisión sobre partida")
        verbose_name_plural = _("decisiones sobre partidas")
        ordering = ["partida"]

    def __str__(self) -> str:
        return f"{self.partida} · {self.get_resultado_display()}"


def monto_aprobado(
    *, partida, decision: "DecisionPartida | None", resultado_dictamen: str
) -> Decimal:
    """What the dictamen approved of one item. With a decision per item: its amount (0 when
    not approved). Dictámenes issued before decisions per item existed approve every item
    whole. A dictamen «no favorable» approves nothing, whatever its items' decisions say (a
    rectification may have changed the result after them)."""
    if resultado_dictamen == "no_favorable":
        return Decimal(0)
    return decision.monto_aprobado if decision is not None else partida.importe
