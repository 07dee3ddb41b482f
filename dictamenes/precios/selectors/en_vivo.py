"""What the item form says of price while the requirente writes (issue 62, item 3): the
reference of the profile in the item's own unit, where the typed price stands against it, and
the latest purchases of the same profile by other agencies. The same answer drawn by the
server on the item's page and sent to the page's script as the person types: four queries
whatever the history (the configuration, the reference, the other purchases, their
dictámenes)."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from dictamenes.models import ConfiguracionVias, Cotizacion, Dictamen
from dictamenes.montos import pesos
from dictamenes.precios import ley as ley_de_precios
from dictamenes.precios import reglas, selectors
from dictamenes.precios.selectors.base import unidad_texto

SIN_REFERENCIA = _(
    "Aún no hay precio de referencia: menos de tres compras de al menos dos entes en los "
    "últimos 24 meses."
)
MERCADO = _("%(precio)s (%(regla)s; %(validas)s válidas de %(total)s)")
SI_NO_ACEPTABLE = _(
    "Si se aprueba a este precio, quien decide debe escribir la razón de esta partida."
)
SIN_MERCADO = _(
    "Sin cotizaciones válidas: las pruebas de precio de la ley se hacen frente al valor central "
    "de la investigación de mercado."
)
LEJANAS = ngettext_lazy(
    "Una de sus cotizaciones se aleja más de %(pct)s %% de la mediana de referencia: "
    "revísela en el mapa comparativo.",
    "%(n)s de sus cotizaciones se alejan más de %(pct)s %% de la mediana de referencia: "
    "revíselas en el mapa comparativo.",
    "n",
)
OPORTUNIDAD = _(
    "Otros entes compraron este perfil en los últimos 12 meses: una oportunidad de consolidar "
    "o de reutilizar sus especificaciones."
)


def precio_con_unidad(precio, unidad: str, meses: int | None) -> str:
    """«$80,000.00 por servicio de 12 meses»: a unit price always with what it pays for."""
    return f"{pesos(precio)} {unidad_texto(unidad, meses)}"


@dataclass(frozen=True)
class Compra:
    ente: str
    folio: str
    dictamen_folio: str  # "" when the dictamen is not public (none in force)
    fecha: datetime.date
    cantidad: int
    precio: str  # in the item's own unit, with it


@dataclass(frozen=True)
class PrecioEnVivo:
    unidad: str
    meses: int | None
    tecleado: str  # the typed price with its unit, "" without one
    referencia: dict | None  # the figures in the item's own unit, None below the minimum
    compras: int  # what the reference counts, even below the minimum
    entes: int
    posicion: reglas.Posicion | None
    otros: list[Compra] = field(default_factory=list)
    # Issue 76, item 5: the saved item's market research (its quotes, judged today in the
    # unit typed) and the law's tests of the typed price against its central value; None
    # for an item not saved yet (no quotes) or without a valid quote.
    mercado: reglas.Mercado | None = None
    ley: ley_de_precios.Prueba | None = None

    @property
    def senalada(self) -> bool:
        return bool(self.posicion and self.posicion.senalada)

    @property
    def no_aceptable(self) -> bool:
        return bool(self.ley and self.ley.no_aceptable)

    @property
    def no_conveniente(self) -> bool:
        return bool(self.ley and self.ley.no_conveniente)

    @property
    def ley_texto(self) -> str:
        """«Precio no aceptable: 13.6 % sobre la mediana de las cotizaciones válidas (…)»."""
        return capfirst(self.ley.texto) if self.ley else ""

    @property
    def mercado_texto(self) -> str:
        """«$120.00 por pieza (media (según la dispersión: …); 3 válidas de 6)»."""
        m = self.mercado
        if m is None or m.precio is None:
            return ""
        return str(
            MERCADO
            % {
                "precio": precio_con_unidad(m.precio, self.unidad, self.meses),
                "regla": m.regla,
                "validas": len(m.validas),
                "total": len(m.cotizaciones),
            }
        )

    @property
    def lejanas_texto(self) -> str:
        n = self.mercado.lejanas if self.mercado else 0
        return str(LEJANAS % {"n": n, "pct": self.mercado.atipico_pct}) if n else ""

    @property
    def unidad_texto(self) -> str:
        return unidad_texto(self.unidad, self.meses)

    @property
    def sin_referencia(self) -> str:
        return str(SIN_REFERENCIA)

    @property
    def oportunidad(self) -> str:
        return str(OPORTUNIDAD)

    @property
    def sin_mercado(self) -> str:
        return str(SIN_MERCADO)

    @property
    def si_no_aceptable(self) -> str:
        return str(SI_NO_ACEPTABLE)


def _otros(perfil, unidad, meses, ente_id, hoy) -> list[Compra]:
    filas = selectors.compras_de_otros(
        categoria_clave=perfil.categoria.clave,
        perfil_clave=perfil.clave,
        unidad=unidad,
        ente_id=ente_id,
        hoy=hoy,
    )
    publicos = {}
    if filas:
        # The dictamen in force of each purchase: its folio is the one /verificar/ knows.
        for solicitud_id, folio in (
            Dictamen.objects.filter(
                solicitud_id__in={f.solicitud_id for f in filas}, cancelado_en__isnull=True
            )
            .order_by("emitido_en", "id")
            .values_list("solicitud_id", "folio")
        ):
            publicos[solicitud_id] = folio
    return [
        Compra(
            ente=f.ente.siglas,
            folio=f.solicitud.folio or "",
            dictamen_folio=publicos.get(f.solicitud_id, ""),
            fecha=f.fecha,
            cantidad=f.cantidad,
            precio=precio_con_unidad(reglas.en_unidad_de(f.precio, unidad, meses), unidad, meses),
        )
        for f in filas
    ]


def _mercado_y_ley(partida, perfil, unidad, meses, precio, *, referencia, config, hoy):
    """The saved item's quotes judged as the market price judges them, with what is typed
    now (profile, unit, months; the quotes are in the item's unit), and the law's tests of
    the typed price."""
    cotizaciones = list(Cotizacion.objects.filter(partida_id=partida.pk).select_related("anexo"))
    como_tecleada = SimpleNamespace(
        pk=partida.pk,
        perfil=perfil,
        unidad=unidad,
        meses=meses,
        solicitud=partida.solicitud,
        cotizaciones=SimpleNamespace(all=lambda: cotizaciones),
    )
    mercado = selectors.mercado_de(como_tecleada, referencia=referencia, config=config, hoy=hoy)
    prueba = selectors.ley_de(precio, mercado, config) if precio is not None else None
    return mercado, prueba


def precio_en_vivo(
    *,
    perfil,
    unidad: str,
    meses: int | None,
    precio: Decimal | None,
    ente_id: int,
    config: ConfiguracionVias | None = None,
    hoy: datetime.date | None = None,
    partida=None,
) -> PrecioEnVivo:
    """`perfil` with its categoria; `precio` the unit price typed (None: not yet);
    `partida`: the saved item being written, whose quotes are its market research (two
    queries more: its quotes with their files, the agencies' names)."""
    hoy = hoy or timezone.localdate()
    config = config or ConfiguracionVias.objects.vigentes()
    referencia = selectors.referencia_de(
        categoria_clave=perfil.categoria.clave, perfil_clave=perfil.clave, unidad=unidad
    )
    cifras = posicion = None
    if referencia is not None and referencia.suficiente:
        en_unidad = lambda v: pesos(reglas.en_unidad_de(v, unidad, meses))  # noqa: E731
        cifras = {
            "mediana": en_unidad(referencia.mediana),
            "cuartil_1": en_unidad(referencia.cuartil_1),
            "cuartil_3": en_unidad(referencia.cuartil_3),
            "minimo": en_unidad(referencia.minimo),
            "desde": referencia.desde,
            "hasta": referencia.calculada_el,
        }
        if precio is not None:
            posicion = selectors.posicion_de(
                precio, unidad, meses, referencia=referencia, senal_pct=config.precio_senal_pct
            )
    mercado = prueba = None
    if partida is not None and partida.pk:
        mercado, prueba = _mercado_y_ley(
            partida, perfil, unidad, meses, precio, referencia=referencia, config=config, hoy=hoy
        )
    return PrecioEnVivo(
        mercado=mercado,
        ley=prueba,
        unidad=unidad,
        meses=meses,
        tecleado=precio_con_unidad(precio, unidad, meses) if precio is not None else "",
        referencia=cifras,
        compras=referencia.compras if referencia else 0,
        entes=referencia.entes if referencia else 0,
        posicion=posicion,
        otros=_otros(perfil, unidad, meses, ente_id, hoy),
    )
