"""The reads of the tracks (issue 36): what the fast track's rule (tramite.reglas.vias,
`via_evaluar`) is fed with, the request's items as it reads them and the agency's other
requests for the split check (hermanas_de), and `via_de_solicitud`, the rule applied to a
request today: what presentation, admission, a correction during a prevención and the draft's
page read. Also the wording of the tracks' page and /tramite/ (the conditions, the families,
the split check's window) and, for them, the saved versions of the tracks and the standards
categories the administrator may mark as «always full review», by name."""

import datetime
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dictamenes.models import Partida, Solicitud
from dictamenes.models.vias import ConfiguracionVias, CriterioFraccion
from dictamenes.montos import pesos
from dictamenes.tramite.reglas.vias import (
    CONDICION_CATEGORIAS,
    CONDICION_MONTO,
    CONDICION_PARTIDAS,
    Hermana,
    PartidaParaVia,
    ViaDecidida,
    de_que,
    monto_de_partidas,
    via_evaluar,
)
from estandares.models import Categoria, Publicacion
from estandares.selectors import publicacion_vigente


def familias_texto(familias, nombres: dict[str, str]) -> str:
    """«Red de área local (Switch, Punto de acceso inalámbrico); …», or «ninguna»: how the
    pages and a request of change describe the families, with the categories' names."""
    if not familias:
        return str(_("ninguna"))
    return "; ".join(
        f"{f['nombre']} ({', '.join(nombres.get(c, c) for c in f['categorias'])})" for f in familias
    )


def claves_nombradas(*versiones) -> set[str]:
    """The category claves that versions (as operacion.services.vias.valores gives them, or
    ConfiguracionVias rows) name: those marked for full review and those in a family."""
    claves = set()
    for v in versiones:
        leer = v.get if isinstance(v, dict) else lambda campo, v=v: getattr(v, campo)
        claves |= set(leer("categorias_completas") or [])
        claves |= {c for f in leer("fraccion_familias") or [] for c in f["categorias"]}
    return claves


# The requests another may be split from: presented and not closed without a purchase
# (desechada, desistida, cancelada); a draft is not a request yet.
ESTADOS_HERMANAS = (
    Solicitud.Estado.ADMISION,
    Solicitud.Estado.PREVENIDA,
    Solicitud.Estado.REVISION_TECNICA,
    Solicitud.Estado.REVISION_ESTRATEGICA,
    Solicitud.Estado.FIRMA,
    Solicitud.Estado.DICTAMINADA,
)


def vias_vigentes() -> ConfiguracionVias:
    return ConfiguracionVias.objects.vigentes()


def condiciones_texto(*, config: ConfiguracionVias) -> list[str]:
    """The three conditions as /tramite/ and the tracks' page list them."""
    return [
        str(CONDICION_MONTO % {"umbral": pesos(config.umbral_monto)}),
        str(CONDICION_PARTIDAS),
        str(CONDICION_CATEGORIAS),
    ]


def ventana_texto(dias: int) -> str:
    """The split check's window as the pages read it."""
    if not dias:
        return str(_("en todo el ejercicio fiscal y las presentadas el mismo año con otro"))
    return ngettext(
        "de cualquier ejercicio fiscal, presentadas hasta %(n)d día antes o después",
        "de cualquier ejercicio fiscal, presentadas hasta %(n)d días antes o después",
        dias,
    ) % {"n": dias}


def partidas_para_via(*, solicitud, partidas=None) -> list[PartidaParaVia]:
    """The request's items as the rule reads them (or those of `partidas`, a queryset of
    them: all but the one being typed, via_en_vivo): one query."""
    partidas = solicitud.partidas.all() if partidas is None else partidas
    filas = partidas.values_list(*_CAMPOS_PARTIDA).order_by("id")
    return [_partida(*fila) for fila in filas]


_CAMPOS_PARTIDA = (
    "descripcion",
    "perfil__categoria__clave",
    "perfil__categoria__nombre",
    "perfil__categoria__publicacion__estado",
    "veredicto",
    "perfil__clave",
    "perfil__nombre",
    "cantidad",
    "precio_unitario",
)


def _partida(
    descripcion, clave, nombre, estado, veredicto, perfil, perfil_nombre, cantidad, precio
):
    publicada = estado == Publicacion.Estado.VIGENTE
    importe = Decimal(cantidad or 0) * Decimal(precio or 0)
    return PartidaParaVia(
        descripcion, clave, nombre, publicada, veredicto, perfil, perfil_nombre, importe
    )


def hermanas_de(
    *, solicitud, partidas: list[PartidaParaVia], config: ConfiguracionVias
) -> list[Hermana]:
    """The items, of the categories of `partidas`, of the agency's other requests that a
    split purchase may be made of (ESTADOS_HERMANAS). With a window of days, those presented
    that many days before or after this one, whatever fiscal year they name: the same
    purchase presented in December for one year and in January for the next is caught (issue
    59, item 5). With 0, those of the same fiscal year and those presented in the same
    calendar year under another one (the requester chooses the year). One query; none when
    the check is off or the request has no items."""
    if not (config.rapida_activa and config.fraccion_activa) or not partidas:
        return []
    if monto_de_partidas(partidas) >= config.umbral_monto:
        return []  # fracciones_detectar looks no further
    categorias = {p.categoria_clave for p in partidas}
    if config.fraccion_criterio == CriterioFraccion.CATEGORIA:
        # And the other categories of their families (issue 59, item 5).
        for familia in config.fraccion_familias or []:
            if categorias & set(familia["categorias"]):
                categorias |= set(familia["categorias"])
    filas = (
        Partida.objects.filter(
            solicitud__ente_id=solicitud.ente_id,
            solicitud__estado__in=ESTADOS_HERMANAS,
            perfil__categoria__clave__in=categorias,
        )
        .exclude(solicitud_id=solicitud.pk)
        .order_by()
    )
    centro = solicitud.presentada_en or timezone.now()
    if config.fraccion_ventana_dias:
        ventana = datetime.timedelta(days=config.fraccion_ventana_dias)
        filas = filas.filter(
            solicitud__presentada_en__gte=centro - ventana,
            solicitud__presentada_en__lte=centro + ventana,
        )
    else:
        anio = timezone.localtime(centro).year
        filas = filas.filter(
            Q(solicitud__ejercicio=solicitud.ejercicio) | Q(solicitud__presentada_en__year=anio)
        )
    return [
        Hermana(folio, _partida(*fila))
        for folio, *fila in filas.values_list("solicitud__folio", *_CAMPOS_PARTIDA)
    ]


def via_de_solicitud(*, solicitud, config: ConfiguracionVias | None = None) -> ViaDecidida:
    """The track the request would follow today, with each condition and any possible split
    purchase: what presentation, admission and a correction store, and what the draft's page
    shows before presenting."""
    config = config or vias_vigentes()
    partidas = partidas_para_via(solicitud=solicitud)
    return via_evaluar(
        partidas=partidas,
        config=config,
        hermanas=hermanas_de(solicitud=solicitud, partidas=partidas, config=config),
    )


def fracciones_de(*, solicitud) -> list[dict]:
    """The possible split purchases the request's track found (Solicitud.via_fraccion), as
    its page warns of them: what ties them, the sum, and each other request's folio with its
    id for the link. One query, only when there is any."""
    if not solicitud.via_fraccion:
        return []
    folios = {folio for f in solicitud.via_fraccion for folio in f["folios"]}
    ids = dict(Solicitud.objects.filter(folio__in=folios).values_list("folio", "pk"))
    avisos = []
    for f in solicitud.via_fraccion:
        de = de_que(f["criterio"])
        avisos.append(
            {
                "de": str(de % {"nombre": f["nombre"]}),
                "suma": pesos(Decimal(f["suma"])),
                "solicitudes": [(folio, ids.get(folio)) for folio in f["folios"]],
            }
        )
    return avisos


def vias_versiones(*, limite: int):
    """The newest versions first, with who saved each: one query."""
    return ConfiguracionVias.objects.select_related("creado_por").order_by("-version")[:limite]


def categorias_vigentes() -> list[dict]:
    """The categories of the edition of the standards in force today, in its order, as
    {"clave", "nombre"}; none when no edition is in force. Two queries."""
    edicion = publicacion_vigente(fecha=timezone.localdate())
    if edicion is None:
        return []
    return list(edicion.categorias.order_by("orden", "nombre").values("clave", "nombre"))


def nombres_de_categorias(*, claves) -> dict[str, str]:
    """{clave: name} as the latest edition in force by today names each category (a clave
    survives editions; its name may change). A clave no published edition has is absent.
    One query."""
    claves = set(claves)
    if not claves:
        return {}
    filas = (
        Categoria.objects.filter(
            clave__in=claves, publicacion__vigente_desde__lte=timezone.localdate()
        )
        .exclude(publicacion__estado=Publicacion.Estado.BORRADOR)
        .order_by("clave", "-publicacion__vigente_desde")
        .values_list("clave", "nombre")
    )
    nombres: dict[str, str] = {}
    for clave, nombre in filas:
        nombres.setdefault(clave, nombre)
    return nombres
