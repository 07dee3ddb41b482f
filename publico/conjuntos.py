"""The open datasets, each described once: its Frictionless Table Schema (field names, types,
constraints and the exact values a column may hold), its description for the DCAT catalogue
and the HTML data dictionary, and for the aggregated ones the rows themselves.

The schema is the single description: /datos-abiertos/datapackage.json publishes it, the
data dictionary page is drawn from it, the catalogue links each CSV to it (dct:conformsTo),
and the tests validate every published file against it with frictionless.
"""

from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dictamenes.cifras.selectors import indicadores
from dictamenes.comun.fechas import zona_local
from dictamenes.encuestas import selectors as encuestas
from dictamenes.models import DecisionPartida, Dictamen, MotivoRechazo, Resultado, TipoOperacion
from dictamenes.models.articulos import Nombre, con_articulo
from dictamenes.organizacion.selectors.entes import fin_de_ejercicio, nombre_en, nombres_anteriores
from dictamenes.organizacion.selectors.textos import textos_vigentes_en_cache
from dictamenes.tramite.selectors import motivos
from publico import precios
from publico.ahorros import AHORROS
from publico.datos_personales import nombre_publicable, texto_publicable
from publico.esquema import (
    CONTEO,
    EJERCICIO,
    ENTE,
    ENTE_SIGLAS,
    PORCENTAJE,
    REQUERIDO,
    Campo,
    Conjunto,
    etiquetas,
)
from publico.partidas import PARTIDAS
from publico.precios import PRECIOS
from publico.senales import SENALES, SENALES_CATALOGO


def _porcentaje(parte: int, total: int) -> float:
    return round(100 * parte / total, 1) if total else 0.0


# The installation's zone, said when the data is read (the setting, never a city in code).
_ZONA = lazy(zona_local, str)()

_TIPO = Campo(
    "tipo_operacion",
    "string",
    _("Tipo de operación que se dictaminó."),
    REQUERIDO,
    valores=etiquetas(TipoOperacion.labels),
)


def _nombres(nombre) -> dict:
    """The institution after its article, alone and after «de», «a», «por» (issue 61),
    without personal data (issue 77)."""
    nombre = Nombre(nombre_publicable(str(nombre)), nombre.articulo)
    return {
        "institucion": con_articulo(nombre),
        **{f"{p}_institucion": con_articulo(nombre, p) for p in ("de", "a", "por")},
    }


def _con_institucion(texto):
    """`texto` with the current texts' institution after its article in %(institucion)s
    (%(de_institucion)s, %(a_institucion)s, %(por_institucion)s after those), read each time it
    is printed (the cache: no query once warm), not when the module loads."""
    return lazy(lambda: texto % _nombres(textos_vigentes_en_cache().institucion_nombre), str)()


_RECIBIDAS = Campo(
    "recibidas",
    "integer",
    _con_institucion(_("Solicitudes presentadas %(a_institucion)s.")),
    CONTEO,
)
_ATENDIDAS = Campo(
    "atendidas",
    "integer",
    _("Solicitudes atendidas: con dictamen emitido o desechadas."),
    CONTEO,
)
_PORCENTAJE_ATENDIDAS = Campo(
    "porcentaje_atendidas",
    "number",
    _("Atendidas entre recibidas, por ciento, con un decimal."),
    PORCENTAJE,
)


DICTAMENES = Conjunto(
    nombre="dictamenes",
    titulo=_("Dictámenes Técnicos y Estratégicos de TIC emitidos"),
    descripcion=_con_institucion(
        _(
            "Registro público de los dictámenes de TIC emitidos %(por_institucion)s: folio, "
            "ente, tipo de operación, categorías, monto solicitado y aprobado, resultado y estado. "
            "No contiene datos "
            "personales."
        )
    ),
    palabras=("dictámenes", "compras públicas"),
    campos=(
        Campo(
            "folio",
            "string",
            _(
                "Folio único del dictamen, como lo imprime su PDF: el patrón de folios de la "
                "institución al emitirlo, con el año y un número consecutivo."
            ),
            {"required": True, "unique": True},
        ),
        Campo(
            "fecha_emision",
            "date",
            format_lazy(_("Fecha de emisión, AAAA-MM-DD, hora local ({zona})."), zona=_ZONA),
            REQUERIDO,
        ),
        EJERCICIO,
        ENTE_SIGLAS,
        ENTE,
        Campo("asunto", "string", _("Asunto de la solicitud."), REQUERIDO),
        _TIPO,
        Campo(
            "categorias",
            "string",
            _("Categorías de los estándares de las partidas, separadas por «; »."),
        ),
        Campo(
            "monto_estimado_mxn",
            "number",
            _("Monto total estimado de la solicitud, en pesos, con punto decimal."),
            {"required": True, "minimum": 0},
        ),
        Campo(
            "monto_aprobado_mxn",
            "number",
            _(
                "Lo que el dictamen aprobó de las partidas de la solicitud, en pesos: cada "
                "partida por lo que se decidió de ella (completa, por menos o nada); 0 si es no "
                "favorable; vacío en los registros históricos importados, que no tienen partidas."
            ),
            {"minimum": 0},
        ),
        Campo(
            "monto_contratado_mxn",
            "number",
            _(
                "Suma de los contratos que el ente registró bajo el dictamen, en pesos; vacío "
                "si aún no registra ninguno."
            ),
            {"minimum": 0},
        ),
        Campo(
            "resultado",
            "string",
            _("Resultado del dictamen."),
            REQUERIDO,
            valores=etiquetas(Resultado.labels),
        ),
        Campo(
            "estado",
            "string",
            _(
                "Estado del dictamen a la fecha de la descarga: vigente o vencido (según su "
                "vigencia), cancelado, rectificado (otro dictamen lo sustituyó: su página de "
                "verificación lo enlaza) o no favorable (no autoriza la contratación)."
            ),
            REQUERIDO,
            valores=etiquetas(Dictamen.ESTADOS.values()),
        ),
        Campo(
            "vigente_hasta",
            "date",
            _(
                "Último día de vigencia del dictamen; vacío si es no favorable, que no autoriza "
                "la contratación ni tiene vigencia."
            ),
        ),
        Campo(
            "sha256_pdf",
            "string",
            _("Huella SHA-256 del PDF firmado, para comprobar una copia."),
            {"required": True, "pattern": "[0-9a-f]{64}"},
        ),
        Campo(
            "url_verificacion",
            "string",
            _("Página pública de verificación del dictamen."),
            REQUERIDO,
            formato="uri",
        ),
        # Issue 93, item 6: after the older columns, the instant itself.
        Campo(
            "emitido_en",
            "datetime",
            _(
                "Fecha y hora exactas de emisión, en ISO 8601, en tiempo universal (UTC, "
                "+00:00) y al microsegundo: desde entonces sus compras cuentan en los precios "
                "de referencia, y una decisión anterior, aunque sea del mismo día, no las vio."
            ),
            REQUERIDO,
        ),
    ),
    clave=("folio",),
    json=True,
)


def _indicador_anual() -> list[dict]:
    return [
        {
            "ejercicio": f["ejercicio"],
            "recibidas": f["recibidas"],
            "atendidas": f["atendidas"],
            "porcentaje_atendidas": _porcentaje(f["atendidas"], f["recibidas"]),
        }
        for f in indicadores.por_ejercicio()
    ]


INDICADOR_ANUAL = Conjunto(
    nombre="indicador-anual",
    titulo=_("Indicador anual de solicitudes atendidas"),
    descripcion=_con_institucion(
        _(
            "Por ejercicio fiscal: solicitudes de dictamen recibidas, atendidas y el porcentaje "
            "atendido, la cifra que informa %(institucion)s."
        )
    ),
    palabras=("indicadores",),
    campos=(EJERCICIO, _RECIBIDAS, _ATENDIDAS, _PORCENTAJE_ATENDIDAS),
    clave=("ejercicio",),
    filas=_indicador_anual,
)


def _por_ente_y_tipo() -> list[dict]:
    tipos = {k: str(v) for k, v in TipoOperacion.choices}
    # Each year names the agency as it was called on its last day (issue 59): a renaming
    # does not rewrite what past years published.
    anteriores = nombres_anteriores()
    return [
        {
            "ejercicio": f["ejercicio"],
            "ente_siglas": nombre_publicable(f["ente__siglas"]),
            "ente": nombre_publicable(
                nombre_en(
                    ente_id=f["ente"],
                    actual=f["ente__nombre"],
                    fecha=fin_de_ejercicio(f["ejercicio"]),
                    anteriores=anteriores,
                )
            ),
            "tipo_operacion": tipos[f["tipo_operacion"]],
            "recibidas": f["recibidas"],
            "atendidas": f["atendidas"],
            "porcentaje_atendidas": _porcentaje(f["atendidas"], f["recibidas"]),
        }
        for f in indicadores.por_ejercicio_ente_tipo()
    ]


INDICADOR_POR_ENTE_Y_TIPO = Conjunto(
    nombre="indicador-anual-por-ente-y-tipo",
    titulo=_("Indicador anual por ente y tipo de operación"),
    descripcion=_(
        "El indicador anual desglosado: por ejercicio fiscal, ente solicitante y tipo de "
        "operación, las solicitudes recibidas, atendidas y el porcentaje atendido."
    ),
    palabras=("indicadores",),
    campos=(
        EJERCICIO,
        ENTE_SIGLAS,
        ENTE,
        _TIPO,
        _RECIBIDAS,
        _ATENDIDAS,
        _PORCENTAJE_ATENDIDAS,
    ),
    clave=("ejercicio", "ente_siglas", "tipo_operacion"),
    filas=_por_ente_y_tipo,
)


def _llegadas() -> list[dict]:
    return [
        {"mes": f"{f['anio']:04d}-{f['mes']:02d}", "presentadas": f["n"]}
        for f in indicadores.llegadas_por_mes()
    ]


LLEGADAS_MENSUALES = Conjunto(
    nombre="llegadas-mensuales",
    titulo=_("Solicitudes presentadas por mes"),
    descripcion=format_lazy(
        _(
            "Cuántas solicitudes de dictamen se presentaron cada mes (hora local: {zona}), del "
            "primer al último mes con solicitudes; un mes sin ninguna aparece con 0."
        ),
        zona=_ZONA,
    ),
    palabras=("indicadores", "demanda"),
    campos=(
        Campo("mes", "yearmonth", _("Mes de presentación, AAAA-MM."), {"required": True}),
        Campo("presentadas", "integer", _("Solicitudes presentadas en el mes."), CONTEO),
    ),
    clave=("mes",),
    filas=_llegadas,
)


def _dias_habiles() -> list[dict]:
    return [
        {
            "ejercicio": f["ejercicio"],
            "atendidas": f["n"],
            "mediana_dias_habiles": float(f["tiempos"].mediana),
            "p90_dias_habiles": f["tiempos"].p90,
            "plazo_dias_habiles": f["plazo"],
            "porcentaje_en_plazo": _porcentaje(f["en_plazo"], f["n"]),
        }
        for f in indicadores.tiempos_por_ejercicio()
    ]


DIAS_HABILES = Conjunto(
    nombre="dias-habiles-de-atencion",
    titulo=_("Días hábiles para atender una solicitud"),
    descripcion=_(
        "Por ejercicio fiscal: la mediana y el percentil 90 de los días hábiles entre la "
        "presentación de una solicitud y su atención, el plazo y el porcentaje atendido en plazo."
    ),
    palabras=("indicadores", "tiempos de atención"),
    campos=(
        EJERCICIO,
        Campo(
            "atendidas",
            "integer",
            _("Solicitudes atendidas con días hábiles medidos."),
            CONTEO,
        ),
        Campo(
            "mediana_dias_habiles",
            "number",
            _("Mediana de días hábiles de atención."),
            {"required": True, "minimum": 0},
        ),
        Campo(
            "p90_dias_habiles",
            "integer",
            _("Percentil 90 de días hábiles: nueve de cada diez tardaron esto o menos."),
            {"required": True, "minimum": 0},
        ),
        Campo(
            "plazo_dias_habiles",
            "integer",
            _con_institucion(_("Días hábiles que suman los plazos %(de_institucion)s.")),
            {"required": True, "minimum": 1},
        ),
        Campo(
            "porcentaje_en_plazo",
            "number",
            _("Atendidas dentro del plazo, por ciento, con un decimal."),
            PORCENTAJE,
        ),
    ),
    clave=("ejercicio",),
    filas=_dias_habiles,
)


def _satisfaccion() -> list[dict]:
    return [
        {
            "ejercicio": g["ejercicio"],
            "etapa": str(g["etapa"]),
            "respuestas": g["cifras"]["n"],
            **{f"{c}_promedio": float(g["cifras"][c]) for c in encuestas.CALIFICACIONES},
        }
        for anio in encuestas.satisfaccion_por_ejercicio()
        for g in (anio, *anio["etapas"])
        if g["cifras"]
    ]


def _promedio(nombre: str, descripcion) -> Campo:
    return Campo(nombre, "number", descripcion, {"required": True, "minimum": 1, "maximum": 5})


SATISFACCION = Conjunto(
    nombre="satisfaccion",
    titulo=_("Satisfacción de los requirentes con el trámite"),
    descripcion=_(
        "Promedios de la encuesta anónima que responden los entes al terminar su solicitud "
        "(dictamen emitido o desechada), de 1 (muy mal) a 5 (muy bien): claridad de los "
        "requisitos, tiempo de atención y trato. Por ejercicio fiscal, en total y por la etapa "
        "en que terminó la solicitud. Un grupo con menos de 5 respuestas no se publica, y las "
        "respuestas entran a las cifras de cinco en cinco."
    ),
    palabras=("indicadores", "evaluación ciudadana", "satisfacción"),
    campos=(
        EJERCICIO,
        Campo(
            "etapa",
            "string",
            _("Etapa en que terminó la solicitud, o «Todas» para el total del ejercicio."),
            REQUERIDO,
            valores=lambda: [str(encuestas.TODAS), *map(str, encuestas.ETAPAS.labels)],
        ),
        Campo(
            "respuestas",
            "integer",
            _("Respuestas del grupo (nunca menos de 5)."),
            {"required": True, "minimum": encuestas.MINIMO_RESPUESTAS},
        ),
        _promedio("claridad_promedio", _("Claridad de los requisitos, promedio con un decimal.")),
        _promedio("tiempo_promedio", _("Tiempo de atención, promedio con un decimal.")),
        _promedio("trato_promedio", _("Trato recibido, promedio con un decimal.")),
    ),
    clave=("ejercicio", "etapa"),
    filas=_satisfaccion,
)


NO_APROBADA = DecisionPartida.Resultado.NO_APROBADA
REDUCIDA = DecisionPartida.Resultado.REDUCIDA


def _motivos() -> list[dict]:
    """Every active reason in every year with decisions per item, 0 included; a retired
    reason only in the years it counted."""
    conteo = motivos.conteo_por_anio()
    catalogo = list(MotivoRechazo.objects.order_by("orden", "nombre"))
    return [
        {
            "motivo_clave": m.clave,
            "motivo": texto_publicable(m.nombre),
            "descripcion": texto_publicable(m.descripcion),
            "ejercicio": anio,
            "partidas_no_aprobadas": conteo.get((m.clave, anio), {}).get(NO_APROBADA, 0),
            "partidas_aprobadas_por_menos": conteo.get((m.clave, anio), {}).get(REDUCIDA, 0),
        }
        for anio in motivos.ejercicios_con_decisiones()
        for m in catalogo
        if m.activo or conteo.get((m.clave, anio))
    ]


MOTIVOS_NO_APROBACION = Conjunto(
    nombre="motivos-no-aprobacion",
    titulo=_("Motivos de no aprobación de partidas"),
    descripcion=_(
        "El catálogo público de motivos por los que un dictamen no aprueba una partida o la "
        "aprueba por menos y, por ejercicio fiscal, cuántas partidas de dictámenes vigentes no "
        "se aprobaron y cuántas se aprobaron por menos por cada uno. Cada motivo activo aparece "
        "en cada ejercicio con decisiones por partida, con 0 si no se usó."
    ),
    palabras=("indicadores", "motivos", "transparencia"),
    campos=(
        Campo("motivo_clave", "string", _("Clave del motivo en el catálogo."), REQUERIDO),
        Campo("motivo", "string", _("Motivo de no aprobación."), REQUERIDO),
        Campo("descripcion", "string", _("Qué significa el motivo.")),
        EJERCICIO,
        Campo(
            "partidas_no_aprobadas",
            "integer",
            _("Partidas no aprobadas por este motivo en el ejercicio."),
            CONTEO,
        ),
        Campo(
            "partidas_aprobadas_por_menos",
            "integer",
            _(
                "Partidas aprobadas por menos cantidad o monto que lo solicitado por este motivo "
                "en el ejercicio."
            ),
            CONTEO,
        ),
    ),
    clave=("motivo_clave", "ejercicio"),
    filas=_motivos,
)

CONJUNTOS = (
    DICTAMENES,
    PARTIDAS,
    INDICADOR_ANUAL,
    INDICADOR_POR_ENTE_Y_TIPO,
    LLEGADAS_MENSUALES,
    DIAS_HABILES,
    SATISFACCION,
    AHORROS,
    MOTIVOS_NO_APROBACION,
    PRECIOS,
    SENALES,
    SENALES_CATALOGO,
)
# Files of a dataset beyond its own CSV (and JSON), each with its own Table Schema: in the
# catalogue, more distributions of that dataset; in the data package, more resources. Streamed
# (publico.precios.EN_FLUJO). Issue 76: the observations and the decisions' references.
RECURSOS = {PRECIOS.nombre: precios.RECURSOS}
POR_NOMBRE = {c.nombre: c for c in CONJUNTOS} | {
    r.nombre: r for recursos in RECURSOS.values() for r in recursos
}
AGREGADOS = {c.nombre: c for c in CONJUNTOS if c.filas}
