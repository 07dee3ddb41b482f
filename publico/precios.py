"""«Precios de referencia TIC» as open data (issue 62, item 7): per standard profile, unit
and calendar quarter, how many purchases the state approved, from how many agencies, and
their median, quartiles and lowest unit price, only where the reference's minimum holds
(three purchases from two agencies, dictamenes.precios.reglas.suficiente), with the same
figures the references use (reglas.cifras). Read from the observed prices
(PrecioObservado: the items of dictámenes in force, at the price approved or paid) through a
server-side cursor, one quarter of one profile in memory at a time; the rows are few (one a
profile, unit and quarter) and are cached like the other aggregated datasets. No agency is
named and nothing people typed is published: keys and names of the standards, and figures.

Two more files of the same dataset (issue 76, item 7) let anyone rebuild a reference that a
dictamen printed: every observed price (OBSERVACIONES: profile, unit, date, normalised unit
price, source and the agency's siglas; nobody's name), and the window's figures each decision
kept (DECISIONES: DecisionPartida.base_precio, per item of each dictamen of the register).
Issue 93, item 6: each observation carries the exact instant its dictamen was issued (when it
entered the references) and each decision the instant it was made, so a purchase issued the
same day after a decision is told from one issued before it; and each decision says which
rule its figures followed (each agency once, or every purchase). The price published is the
row's own (PrecioObservado.precio), whatever rule wrote it.
Both are streamed from the database through a server-side cursor, a few hundred lines at a
time (bounded memory whatever the history); their ETag is worked out once per data version
(publico.huellas.condicional), as the register's."""

import csv
import datetime
import io
import itertools
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, IntegerField, OuterRef, Subquery
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.tablas import sin_formulas
from dictamenes.models import Dictamen, Partida, PrecioObservado, UnidadPrecio
from dictamenes.precios import reglas
from dictamenes.tramite.selectors.access import dictamenes_publicos
from estandares.models import Perfil, Publicacion
from publico.datos_personales import nombre_publicable, texto_publicable
from publico.esquema import CATEGORIA, CATEGORIA_CLAVE, REQUERIDO, Campo, Conjunto, instante

CENTAVO = Decimal("0.01")
PERIODO = r"[0-9]{4}-T[1-4]"


def periodo(fecha: datetime.date) -> str:
    """The calendar quarter of a day: 2025-07-15 → «2025-T3»."""
    return f"{fecha.year}-T{(fecha.month - 1) // 3 + 1}"


def _pesos(valor: Decimal) -> str:
    return str(Decimal(valor).quantize(CENTAVO, ROUND_HALF_UP))


def _nombres() -> dict[tuple[str, str], tuple[str, str]]:
    """(category clave, profile clave) → (category name, profile name), as the newest
    published edition that has the profile names them: one query over the catalogue."""
    nombres = {}
    filas = (
        Perfil.objects.exclude(categoria__publicacion__estado=Publicacion.Estado.BORRADOR)
        .order_by(
            F("categoria__publicacion__vigente_desde").asc(nulls_first=True),
            "categoria__publicacion__publicada_en",
            "pk",
        )
        .values_list("categoria__clave", "clave", "categoria__nombre", "nombre")
    )
    for categoria_clave, perfil_clave, categoria, perfil in filas:
        nombres[categoria_clave, perfil_clave] = (categoria, perfil)  # the newest wins
    return nombres


def _observaciones():
    """Every observed price, profile by profile and newest first (the order of the index
    precio_perfil_fecha_idx), through a server-side cursor."""
    return (
        PrecioObservado.objects.order_by("categoria_clave", "perfil_clave", "unidad", "-fecha")
        .values_list("categoria_clave", "perfil_clave", "unidad", "fecha", "precio", "ente_id")
        .iterator(chunk_size=2000)
    )


def _filas() -> list[dict]:
    nombres = _nombres()
    unidades = {clave: str(etiqueta) for clave, etiqueta in reglas.UNIDAD_NORMAL.items()}
    filas = []
    grupos = itertools.groupby(_observaciones(), key=lambda o: (*o[:3], periodo(o[3])))
    for (categoria_clave, perfil_clave, unidad, trimestre), observadas in grupos:
        precios, entes = [], set()
        for *_clave, _fecha, precio, ente_id in observadas:
            precios.append(precio)
            entes.add(ente_id)
        if not reglas.suficiente(compras=len(precios), entes=len(entes)):
            continue
        cifras = reglas.cifras(precios)
        categoria, perfil = nombres.get(
            (categoria_clave, perfil_clave), (categoria_clave, perfil_clave)
        )
        filas.append(
            {
                "categoria_clave": categoria_clave,
                "categoria": categoria,
                "perfil_clave": perfil_clave,
                "perfil": perfil,
                "unidad": unidad,
                "unidad_etiqueta": unidades[unidad],
                "periodo": trimestre,
                "compras": cifras.compras,
                "entes": len(entes),
                "mediana_mxn": _pesos(cifras.mediana),
                "cuartil_1_mxn": _pesos(cifras.cuartil_1),
                "cuartil_3_mxn": _pesos(cifras.cuartil_3),
                "minimo_mxn": _pesos(cifras.minimo),
            }
        )
    return sorted(
        filas, key=lambda f: (f["categoria_clave"], f["perfil_clave"], f["unidad"], f["periodo"])
    )


def _precio(nombre: str, descripcion) -> Campo:
    return Campo(nombre, "number", descripcion, {"required": True, "minimum": 0})


PRECIOS = Conjunto(
    nombre="precios-referencia",
    titulo=_("Precios de referencia TIC"),
    descripcion=_(
        "Lo que el Estado pagó por cada perfil técnico de los estándares: por perfil, unidad "
        "y trimestre natural, cuántas compras (partidas aprobadas por un dictamen vigente, al "
        "precio aprobado o, si se registraron contratos, al pagado) y de cuántos entes, y la "
        "mediana, los cuartiles y el menor precio unitario, en la unidad de cada tipo: por "
        "pieza, por mes de servicio o por licencia al año. Solo los trimestres con al menos "
        "tres compras de dos entes distintos; el trimestre en curso, con lo que va de él. "
        "Cuartiles por el método inclusivo (CUARTIL.INC de una hoja de cálculo). Este archivo "
        "no nombra entes ni contiene datos personales. Dos archivos más del conjunto rehacen la "
        "referencia que imprimió un dictamen: precios-referencia-observaciones.csv, cada "
        "compra con su fecha, unidad, precio, fuente y siglas del ente, y "
        "precios-referencia-decisiones.csv, la ventana y las cifras que guardó cada decisión."
    ),
    palabras=("precios de referencia", "compras públicas", "estándares"),
    campos=(
        CATEGORIA_CLAVE,
        CATEGORIA,
        Campo(
            "perfil_clave",
            "string",
            _("Clave del perfil técnico en su categoría (la misma en cada edición)."),
            REQUERIDO,
        ),
        Campo(
            "perfil",
            "string",
            _("Nombre del perfil técnico, como lo nombra la edición más reciente que lo tiene."),
            REQUERIDO,
        ),
        Campo(
            "unidad",
            "string",
            _(
                "Clave del tipo de precio: pieza (por pieza), servicio (por mes de servicio) o "
                "licencia (por licencia al año)."
            ),
            REQUERIDO,
            valores=lambda: list(UnidadPrecio.values),
        ),
        Campo(
            "unidad_etiqueta",
            "string",
            _("La unidad de los precios de la fila, en palabras."),
            REQUERIDO,
            valores=lambda: [str(e) for e in reglas.UNIDAD_NORMAL.values()],
        ),
        Campo(
            "periodo",
            "string",
            _(
                "Trimestre natural de la fecha de los dictámenes, AAAA-TN: T1 de enero a marzo, "
                "T2 de abril a junio, T3 de julio a septiembre, T4 de octubre a diciembre."
            ),
            {"required": True, "pattern": PERIODO},
        ),
        Campo(
            "compras",
            "integer",
            _("Partidas aprobadas del perfil en el trimestre, cada una con su precio unitario."),
            {"required": True, "minimum": reglas.COMPRAS_MINIMAS},
        ),
        Campo(
            "entes",
            "integer",
            _("Entes distintos que hicieron esas compras."),
            {"required": True, "minimum": reglas.ENTES_MINIMOS},
        ),
        _precio("mediana_mxn", _("Mediana de los precios unitarios, en pesos.")),
        _precio("cuartil_1_mxn", _("Primer cuartil de los precios unitarios, en pesos.")),
        _precio("cuartil_3_mxn", _("Tercer cuartil de los precios unitarios, en pesos.")),
        _precio("minimo_mxn", _("Menor precio unitario, en pesos.")),
    ),
    clave=("categoria_clave", "perfil_clave", "unidad", "periodo"),
    filas=_filas,
    json=True,
)


# --- Issue 76: what rebuilds a printed reference --------------------------------------------

_UNIDAD = Campo(
    "unidad",
    "string",
    _(
        "Clave del tipo de precio: pieza (por pieza), servicio (por mes de servicio) o "
        "licencia (por licencia al año)."
    ),
    REQUERIDO,
    valores=lambda: list(UnidadPrecio.values),
)
_PERFIL_CLAVE = Campo(
    "perfil_clave",
    "string",
    _("Clave del perfil técnico en su categoría (la misma en cada edición)."),
    REQUERIDO,
)
# How a reference is rebuilt from the observations, said once for both files.
REGLA_REFERENCIA = _(
    "Para rehacer la referencia que imprimió un dictamen: de precios-referencia-observaciones "
    "se toman las compras del mismo perfil y unidad con fecha entre desde y hasta de "
    "precios-referencia-decisiones (24 meses hasta el día del cálculo, ambos días incluidos) "
    "cuyo dictamen se emitió antes de la decisión (emitido_en anterior a decidida_en: las "
    "emitidas después, aunque sea el mismo día, y las del propio dictamen, no existían al "
    "decidir); se dejan fuera las que caen fuera de las cercas, más de 1.5 veces el rango "
    "intercuartílico por debajo del primer cuartil o por encima del tercero (cuartiles de "
    "todas esas compras por el método inclusivo, el CUARTIL.INC de una hoja de cálculo, a "
    "cuatro decimales; en la cerca se queda). Con la regla por_ente, cada ente cuenta una "
    "vez: la mediana de las compras que le quedan a cada ente, y de esas medianas la mediana "
    "(la referencia), los cuartiles y la menor; con la regla compras, las de todas las "
    "compras que quedan. Cada cifra a cuatro decimales; compras cuenta las que quedan y entes "
    "sus entes; la referencia pide tres compras de dos entes. En la unidad de la partida, al "
    "centavo: por pieza, igual; un servicio de n meses, por n; una licencia de n meses, por "
    "n/12 (sin meses, un servicio es de un mes y una licencia de doce)."
)

OBSERVACIONES = Conjunto(
    nombre="precios-referencia-observaciones",
    titulo=_("Precios de referencia TIC: compras observadas"),
    descripcion=format_lazy(
        _(
            "Cada compra de la que sale el precio de referencia de un perfil: una fila por "
            "partida aprobada de un dictamen vigente, con su perfil, su unidad, la fecha del "
            "dictamen, su precio unitario en la unidad de su tipo (por pieza, por mes de "
            "servicio o por licencia al año, con los cuatro decimales con que se guarda), si "
            "es el aprobado o el pagado según contratos verificados, y las siglas del ente. "
            "{regla} Son las compras de hoy: si después de decidir se canceló o rectificó un "
            "dictamen de esa ventana o se verificó un contrato, la referencia rehecha puede no "
            "ser la que usó la decisión, que queda tal cual en precios-referencia-decisiones. "
            "No contiene datos personales."
        ),
        regla=REGLA_REFERENCIA,
    ),
    palabras=("precios de referencia", "compras públicas", "estándares"),
    campos=(
        CATEGORIA_CLAVE,
        _PERFIL_CLAVE,
        _UNIDAD,
        Campo(
            "fecha",
            "date",
            _("Día en que se emitió el dictamen de la compra: el que cuenta en la ventana."),
            REQUERIDO,
        ),
        Campo(
            "precio_mxn",
            "number",
            _(
                "Precio unitario en la unidad de su tipo (por pieza, por mes de servicio o por "
                "licencia al año), en pesos, con cuatro decimales."
            ),
            {"required": True, "minimum": 0},
        ),
        Campo(
            "fuente",
            "string",
            _(
                "aprobado: el precio unitario que aprobó el dictamen; contratado: el pagado "
                "según sus contratos, verificados contra su documento."
            ),
            REQUERIDO,
            valores=lambda: list(PrecioObservado.Fuente.values),
        ),
        Campo("ente_siglas", "string", _("Siglas del ente que hizo la compra."), REQUERIDO),
        Campo(
            "folio",
            "string",
            _(
                "Folio del dictamen vigente que aprobó la compra, el de dictamenes.csv: sus "
                "compras no cuentan en la referencia que ese mismo dictamen imprimió, que se "
                "calculó antes de emitirlo."
            ),
        ),
        Campo(
            "emitido_en",
            "datetime",
            _(
                "Fecha y hora exactas en que se emitió ese dictamen, en ISO 8601, en tiempo "
                "universal (UTC, +00:00) y al microsegundo: desde entonces la compra cuenta en "
                "las referencias. Una decisión tomada antes (decidida_en en "
                "precios-referencia-decisiones) no la vio, aunque sea del mismo día. Vacía "
                "cuando lo está el folio."
            ),
        ),
    ),
    # No column names one observation: two items alike of one request are two equal rows.
    clave=(),
)


# The rule a decision's figures followed (issue 93, item 5): each agency once since it, every
# purchase before (a decision keeps the flag, precios.selectors.PrecioDePartida.base()).
POR_ENTE, COMPRAS = "por_ente", "compras"
REGLAS = (POR_ENTE, COMPRAS)


def _precio_de_la_decision(nombre: str, descripcion) -> Campo:
    return Campo(nombre, "number", descripcion, {"required": True, "minimum": 0})


DECISIONES = Conjunto(
    nombre="precios-referencia-decisiones",
    titulo=_("Precios de referencia TIC: la referencia de cada decisión"),
    descripcion=format_lazy(
        _(
            "La referencia que usó la decisión de cada partida, como se guardó al decidir y "
            "la imprimen el dictamen y su página de verificación («Base del precio»): la "
            "ventana (desde y hasta), cuántas compras y de cuántos entes quedaron dentro de "
            "las cercas, y la mediana, los cuartiles y el menor precio, en la unidad de la "
            "partida. Una fila por partida decidida con precio de referencia de cada dictamen "
            "del registro (la partida de dictamenes-partidas con el mismo folio y número); las "
            "decididas sin referencia no aparecen. {regla}"
        ),
        regla=REGLA_REFERENCIA,
    ),
    palabras=("precios de referencia", "dictámenes", "compras públicas"),
    campos=(
        Campo("folio", "string", _("Folio del dictamen, el mismo de dictamenes.csv."), REQUERIDO),
        Campo(
            "partida",
            "integer",
            _("Número de la partida en su solicitud, el mismo de dictamenes-partidas.csv."),
            {"required": True, "minimum": 1},
        ),
        CATEGORIA_CLAVE,
        _PERFIL_CLAVE,
        Campo("descripcion", "string", _("Descripción de la partida."), REQUERIDO),
        _UNIDAD,
        Campo(
            "meses",
            "integer",
            _(
                "Meses que cubre el precio unitario de un servicio o una licencia, como los "
                "guardó la decisión; vacío en una pieza o si no se dijo (un servicio se toma "
                "por un mes y una licencia por un año)."
            ),
            {"minimum": 1},
        ),
        Campo("decidida_el", "date", _("Día de la decisión sobre la partida."), REQUERIDO),
        Campo("desde", "date", _("Primer día de la ventana de la referencia."), REQUERIDO),
        Campo(
            "hasta",
            "date",
            _("Último día de la ventana: el día en que se calculó la referencia."),
            REQUERIDO,
        ),
        Campo(
            "compras",
            "integer",
            _("Compras de la ventana que quedaron dentro de las cercas."),
            {"required": True, "minimum": reglas.COMPRAS_MINIMAS},
        ),
        Campo(
            "entes",
            "integer",
            _("Entes distintos de esas compras."),
            {"required": True, "minimum": reglas.ENTES_MINIMOS},
        ),
        _precio_de_la_decision(
            "mediana_mxn",
            _("La referencia: la mediana, en la unidad de la partida, en pesos."),
        ),
        _precio_de_la_decision(
            "cuartil_1_mxn", _("Primer cuartil, en la unidad de la partida, en pesos.")
        ),
        _precio_de_la_decision(
            "cuartil_3_mxn", _("Tercer cuartil, en la unidad de la partida, en pesos.")
        ),
        _precio_de_la_decision(
            "minimo_mxn", _("Menor precio, en la unidad de la partida, en pesos.")
        ),
        Campo(
            "decidida_en",
            "datetime",
            _(
                "Fecha y hora exactas de la decisión sobre la partida, en ISO 8601, en tiempo "
                "universal (UTC, +00:00) y al microsegundo: cuentan las compras cuyo dictamen "
                "se emitió antes (emitido_en en precios-referencia-observaciones)."
            ),
            REQUERIDO,
        ),
        Campo(
            "regla",
            "string",
            _(
                "Cómo salieron las cifras: por_ente, cada ente cuenta una vez (la mediana de "
                "las medianas de lo que pagó cada ente); compras, cada compra cuenta (las "
                "decisiones anteriores a esa regla)."
            ),
            REQUERIDO,
            valores=lambda: list(REGLAS),
        ),
    ),
    clave=("folio", "partida"),
    claves_foraneas=(
        {
            "fields": ["folio", "partida"],
            "reference": {"resource": "dictamenes-partidas", "fields": ["folio", "partida"]},
        },
    ),
)


def _en_trozos(filas: Iterator[tuple], campos, filas_por_trozo: int) -> Iterator[str]:
    """CSV (UTF-8 with BOM) of these rows, a few hundred lines per chunk: the header first,
    every cell through sin_formulas (keys and text an administrator or a requester typed)."""
    primero = True
    while True:
        trozo = list(itertools.islice(filas, filas_por_trozo))
        if not trozo and not primero:
            return
        salida = io.StringIO()
        escritor = csv.writer(salida, lineterminator="\r\n")
        if primero:
            salida.write("\ufeff")
            escritor.writerow(c.nombre for c in campos)
            primero = False
        escritor.writerows((sin_formulas(v) for v in fila) for fila in trozo)
        yield salida.getvalue()


def observaciones_lineas(filas_por_trozo: int = 500) -> Iterator[str]:
    """Every observed price, profile by profile and newest first (the index's order), through
    a server-side cursor."""
    # The request's dictamen in force, as the door that writes the observations reads it.
    vigente = Dictamen.objects.filter(
        solicitud_id=OuterRef("solicitud_id"), cancelado_en__isnull=True
    ).order_by("-emitido_en", "-pk")
    filas = (
        PrecioObservado.objects.order_by(
            "categoria_clave", "perfil_clave", "unidad", "-fecha", "-pk"
        )
        .annotate(
            folio=Subquery(vigente.values("folio")[:1]),
            emitido_en=Subquery(vigente.values("emitido_en")[:1]),
        )
        .values_list(
            "categoria_clave",
            "perfil_clave",
            "unidad",
            "fecha",
            "precio",
            "fuente",
            "ente__siglas",
            "folio",
            "emitido_en",
        )
        .iterator(chunk_size=2000)
    )
    return _en_trozos(
        (
            (
                categoria,
                perfil,
                unidad,
                fecha.isoformat(),
                # The row's own price: what entered the reference, whatever rule wrote it.
                f"{precio:.4f}",
                fuente,
                nombre_publicable(siglas),
                folio,
                instante(emitido),
            )
            for categoria, perfil, unidad, fecha, precio, fuente, siglas, folio, emitido in filas
        ),
        OBSERVACIONES.campos,
        filas_por_trozo,
    )


def _decididas() -> Iterator[tuple]:
    """The row of every item decided with a reference of each dictamen of the register, its
    number within its request counted as dictamenes-partidas counts it (in primary-key order):
    the items decided without one are not read (at ten years, most of them)."""
    numero = Subquery(
        Partida.objects.filter(solicitud_id=OuterRef("solicitud_id"), pk__lte=OuterRef("pk"))
        .order_by()
        .values("solicitud_id")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )
    partidas = (
        # The decision keeps a reference unit price exactly when it kept a reference.
        Partida.objects.filter(
            solicitud__dictamenes__in=dictamenes_publicos(),
            decision__referencia_unitaria__isnull=False,
        )
        .annotate(numero=numero)
        .order_by(
            "-solicitud__dictamenes__emitido_en", "-solicitud__dictamenes__pk", "solicitud_id", "pk"
        )
        .values_list(
            "solicitud__dictamenes__folio",
            "numero",
            "perfil__categoria__clave",
            "perfil__clave",
            "descripcion",
            "decision__decidida_en",
            "decision__base_precio",
        )
        .iterator(chunk_size=2000)
    )
    for folio, numero, categoria, perfil, descripcion, decidida_en, base in partidas:
        referencia = (base or {}).get("referencia")
        if not referencia:
            continue
        unidad = base["unidad"]
        yield (
            folio,
            numero,
            categoria,
            perfil,
            texto_publicable(descripcion),
            unidad,
            None if unidad == UnidadPrecio.PIEZA else base.get("meses"),
            timezone.localdate(decidida_en).isoformat(),
            referencia["desde"],
            referencia["hasta"],
            referencia["compras"],
            referencia["entes"],
            referencia["mediana"],
            referencia["cuartil_1"],
            referencia["cuartil_3"],
            referencia["minimo"],
            instante(decidida_en),
            POR_ENTE if referencia.get("por_ente") else COMPRAS,
        )


def decisiones_lineas(filas_por_trozo: int = 500) -> Iterator[str]:
    """The reference each decision kept, per item of each dictamen of the register."""
    return _en_trozos(_decididas(), DECISIONES.campos, filas_por_trozo)


# The files of «Precios de referencia TIC» beyond its own CSV and JSON, streamed: their
# generators by name (publico.conjuntos.RECURSOS, the views and the catalogue read them).
EN_FLUJO = {
    OBSERVACIONES.nombre: observaciones_lineas,
    DECISIONES.nombre: decisiones_lineas,
}
RECURSOS = (OBSERVACIONES, DECISIONES)
