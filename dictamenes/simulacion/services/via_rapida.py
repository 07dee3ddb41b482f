"""The fast track in the year simulation (issue 36): does reviewing in proportion to risk
bring the year-end rush within the goal?

Each recorded request is classified by the track rule itself (tramite.reglas.vias.
via_que_corresponde) with the tracks as configured (ConfiguracionVias.objects.vigentes(), or
another threshold tried without saving it). The rule reads the request's items: their
amounts (their sum is the request's amount, issue 59), their category, whether the category's
edition of the standards is in force, and the self-check's verdict. A record whose requests
have items (a year lived in the system) gives them as they are. History imported from before
the system has no items: each such request is taken as ONE item worth its recorded amount
(DERIVACION says how), and the command prints that assumption.

Then the rush (the months of arrival the command calls the rush) is measured three ways:
today, with the fast track, and with the fast track plus planning and assignment by load.
When the fast track alone does not reach the goal (p90 of META_P90 business days or less in
the rush), the thresholds are tried upwards, in steps of PASO_UMBRAL, and then without the
categories that always go to full review, until one reaches it.
"""

import copy
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.models import Partida, PlazoEtapa, Resultado, Solicitud, TipoOperacion
from dictamenes.models.vias import ConfiguracionVias, Via
from dictamenes.simulacion.services import motor
from dictamenes.tramite.reglas.vias import (
    PartidaParaVia,
    monto_de_partidas,
    via_que_corresponde,
)
from dictamenes.tramite.selectors.plazos import plazo_dias
from estandares.cumplimiento import Veredicto
from estandares.models import Categoria, Publicacion

META_P90 = 10
PASO_UMBRAL = Decimal(50_000)

# What an imported request without items is taken to be: one item of the category its type of
# operation names (the imported titles say it: "Adquisición de equipo de cómputo",
# "Renovación de licenciamiento", "Contratación de servicio de enlace", "Desarrollo de
# sistema institucional", "Arrendamiento de equipo de impresión", "Baja de bienes
# informáticos").
CATEGORIA_DEL_TIPO = {
    TipoOperacion.ADQUISICION: "computadora-escritorio",
    TipoOperacion.RENOVACION: "licencia-software",
    TipoOperacion.SERVICIO: "servicio-internet",
    TipoOperacion.DESARROLLO: "desarrollo-software",
    TipoOperacion.ARRENDAMIENTO: "impresora-multifuncional",
    TipoOperacion.BAJA: "baja-bienes",
}
DERIVACION = _(
    "{n} de {total} solicitudes del registro no tienen partidas (histórico importado): cada "
    "una se toma como una sola partida por su monto registrado, de la categoría que nombra su "
    "tipo de operación ({tipos}), con un perfil de la edición vigente de los estándares si la "
    "categoría está en ella; su autoevaluación se toma como «cumple» solo si su dictamen fue "
    "favorable sin condiciones (condicionado, no favorable o desechada: no cumple, y va a la "
    "vía completa)."
)
ERROR_VIAS_DESALINEADAS = _(
    "Las solicitudes leídas para la vía no son las llegadas del registro de {anio}."
)


@dataclass(frozen=True)
class SolicitudDelRegistro:
    llegada: datetime.date
    monto: Decimal
    partidas: tuple[PartidaParaVia, ...]


@dataclass
class Registro:
    """The recorded requests of one year as the track rule reads them, by arrival."""

    anio: int
    solicitudes: list[SolicitudDelRegistro]
    derivadas: int  # requests without items, whose one item was derived

    @property
    def supuesto(self) -> str:
        if not self.derivadas:
            return ""
        tipos = ", ".join(f"{tipo.label.lower()}: {clave}" for tipo, clave in _tipos())
        return str(DERIVACION).format(n=self.derivadas, total=len(self.solicitudes), tipos=tipos)


def _tipos():
    return [(TipoOperacion(t), clave) for t, clave in CATEGORIA_DEL_TIPO.items()]


def registro_del_anio(*, anio: int) -> Registro:
    """Three queries: the presented requests, their items, the derived items' categories."""
    zona = timezone.get_current_timezone()
    presentadas = Solicitud.objects.filter(ejercicio=anio, presentada_en__isnull=False)
    filas = list(
        presentadas.annotate(dia=TruncDate("presentada_en", tzinfo=zona))
        .values_list("pk", "dia", "monto_estimado", "tipo_operacion", "titulo", "resultado")
        .order_by("dia", "pk")
    )
    partidas: dict[int, list[PartidaParaVia]] = {}
    for sid, descripcion, clave, nombre, estado, veredicto, cantidad, precio in (
        Partida.objects.filter(solicitud__in=presentadas)
        .values_list(
            "solicitud_id",
            "descripcion",
            "perfil__categoria__clave",
            "perfil__categoria__nombre",
            "perfil__categoria__publicacion__estado",
            "veredicto",
            "cantidad",
            "precio_unitario",
        )
        .order_by("solicitud_id", "id")
    ):
        partidas.setdefault(sid, []).append(
            PartidaParaVia(
                descripcion,
                clave,
                nombre,
                estado == Publicacion.Estado.VIGENTE,
                veredicto,
                importe=Decimal(cantidad) * precio,
            )
        )
    vigentes = {}
    if len(partidas) < len(filas):
        vigentes = dict(
            Categoria.objects.filter(
                clave__in=CATEGORIA_DEL_TIPO.values(),
                publicacion__estado=Publicacion.Estado.VIGENTE,
            ).values_list("clave", "nombre")
        )
    solicitudes, derivadas = [], 0
    for sid, dia, monto, tipo, titulo, resultado in filas:
        propias = partidas.get(sid)
        if propias is None:
            derivadas += 1
            clave = CATEGORIA_DEL_TIPO.get(tipo, "")
            cumple = resultado == Resultado.FAVORABLE
            propias = [
                PartidaParaVia(
                    titulo,
                    clave,
                    vigentes.get(clave, clave),
                    clave in vigentes,
                    Veredicto.CUMPLE if cumple else Veredicto.NO_CUMPLE,
                    importe=monto or Decimal(0),
                )
            ]
        # The amount the rule reads: the items' sum (the derived item carries the recorded one).
        solicitudes.append(SolicitudDelRegistro(dia, monto_de_partidas(propias), tuple(propias)))
    return Registro(anio=anio, solicitudes=solicitudes, derivadas=derivadas)


def config_probada(
    config: ConfiguracionVias,
    *,
    umbral: Decimal | None = None,
    categorias: list[str] | None = None,
) -> ConfiguracionVias:
    """The configured tracks with another threshold or categories, to try: never saved."""
    probada = copy.copy(config)
    probada.pk = probada.id = None
    if umbral is not None:
        probada.umbral_monto = umbral
    if categorias is not None:
        probada.categorias_completas = categorias
    return probada


def via_rapida(*, registro: Registro, config: ConfiguracionVias, historial) -> motor.ViaRapida:
    """Each recorded arrival's track by the rule, aligned with the simulation's arrivals."""
    llegadas = sorted(historial.llegadas.elements())
    if [s.llegada for s in registro.solicitudes] != llegadas:
        raise ValueError(str(ERROR_VIAS_DESALINEADAS).format(anio=registro.anio))
    area = plazo_dias(etapa=PlazoEtapa.Etapa.REVISION_AREA)
    estrategica = plazo_dias(etapa=PlazoEtapa.Etapa.REVISION_ESTRATEGICA)
    return motor.ViaRapida(
        vias=tuple(
            via_que_corresponde(partidas=list(s.partidas), config=config)[0]
            for s in registro.solicitudes
        ),
        revision=config.dias_revision_rapida / area,
        estrategica=config.dias_estrategica_rapida / estrategica,
        plazo=historial.plazo
        - area
        - estrategica
        + config.dias_revision_rapida
        + config.dias_estrategica_rapida,
    )


def escenarios_via_rapida() -> list[motor.Escenario]:
    """(b) the fast track alone; (c) the fast track with planning and assignment by load."""
    return [
        motor.Escenario(str(_("Con vía rápida")), via_rapida=True),
        motor.Escenario(
            str(_("Vía rápida, planeación y asignación por carga")),
            via_rapida=True,
            planeacion=True,
            asignacion=True,
        ),
    ]


@dataclass(frozen=True)
class Propuesta:
    """Tracks that would reach the goal (umbral None: no threshold does it alone)."""

    umbral: Decimal
    sin_categorias: bool  # only without the categories that always go to full review
    cierre: motor.Resultado


@dataclass(frozen=True)
class Busqueda:
    propuesta: Propuesta | None
    mejor: motor.Resultado  # the rush with every request under the threshold
    # The rush if every request took the fast track, which the rule does not allow: whether
    # the fast track's own times could reach the goal at all.
    todas: motor.Resultado | None = None


def buscar_umbral(
    ajuste: motor.Ajuste,
    *,
    registro: Registro,
    config: ConfiguracionVias,
    meses: tuple[int, ...],
    semilla: int = 7,
) -> Busqueda:
    """The lowest threshold, in steps of PASO_UMBRAL above the configured one, whose fast
    track brings the rush's p90 to META_P90 or less; if none does with the configured
    categories, the same without categories that always go to full review."""
    escenario = escenarios_via_rapida()[0]

    def cierre(umbral: Decimal, categorias: list[str] | None) -> motor.Resultado:
        probada = config_probada(config, umbral=umbral, categorias=categorias)
        rapida = via_rapida(registro=registro, config=probada, historial=ajuste.historial)
        return motor.simular(ajuste, escenario, semilla=semilla, rapida=rapida).en_meses(meses)

    maximo = max((s.monto for s in registro.solicitudes), default=Decimal(0))
    techo = (maximo // PASO_UMBRAL + 1) * PASO_UMBRAL  # above every recorded amount
    inicio = (config.umbral_monto // PASO_UMBRAL + 1) * PASO_UMBRAL
    mejor = None
    for categorias in (None, []):
        con_todas = cierre(techo, categorias)
        mejor = con_todas
        if con_todas.p90 > META_P90:
            continue
        umbral = inicio
        while umbral < techo:
            resultado = cierre(umbral, categorias)
            if resultado.p90 <= META_P90:
                return Busqueda(Propuesta(umbral, categorias == [], resultado), resultado)
            umbral += PASO_UMBRAL
        return Busqueda(Propuesta(techo, categorias == [], con_todas), con_todas)
    base = via_rapida(registro=registro, config=config, historial=ajuste.historial)
    todas = motor.ViaRapida(
        vias=(Via.RAPIDA,) * len(base.vias),
        revision=base.revision,
        estrategica=base.estrategica,
        plazo=base.plazo,
    )
    resultado = motor.simular(ajuste, escenario, semilla=semilla, rapida=todas)
    return Busqueda(None, mejor, resultado.en_meses(meses))
