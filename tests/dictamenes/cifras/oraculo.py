"""An independent oracle for the figures of the indicators (issue 60, item 5): each figure
recomputed from the raw tables and the audit events, with plain SQL and straightforward Python.

It imports nothing from dictamenes.cifras, dictamenes.simulacion, publico, the selectors or the
services: only the models' table names (`_meta.db_table`), the `holidays` library (the law's
holidays) and the standard library. Its percentile, its business days and its rounding are
written out here. Where it and the pages disagree, one of them is wrong: the tests say which
figure.

The figures, as a person reads them (the indicators page, its CSV/XLSX, the API and the open
data):

- recibidas (por ejercicio): solicitudes presentadas (con fecha de presentación) de ese
  ejercicio fiscal.
- atendidas: de ellas, las que terminaron: dictaminada, desechada, desistida o cancelada.
- indicador: atendidas ÷ recibidas × 100, a un decimal (redondeo comercial, .05 hacia arriba).
- días hábiles de atención (de cada atendida): los días hábiles en (día de presentación, día
  de atención], en hora de Hermosillo, menos los que esperó al requirente: de cada prevención
  a su subsanación (o al cierre, si no se subsanó) y los días en pausa que anota cada
  respuesta a una petición de información. Hábil: de lunes a viernes, no feriado oficial de
  México ni día inhábil declarado.
- plazo: la suma de los plazos (días hábiles) de admisión, revisión por área, revisión
  estratégica y firma.
- en plazo: atendidas cuyos días hábiles de atención son ≤ plazo; % en plazo: en plazo ÷
  atendidas × 100, a un decimal.
- monto: suma del monto estimado de las recibidas.
- mediana y percentil 90 (del ejercicio): sobre los días hábiles de atención de sus atendidas.
  Mediana: el valor central (con número par, el promedio de los dos centrales). Percentil 90:
  el menor valor que más de nueve de cada diez no rebasaron (el lugar ⌊9·n/10⌋ + 1 de la
  lista ordenada; con n = 10, el mayor: la convención de la página, que la simulación del año
  repite).
- llegadas por mes: recibidas por mes de presentación (hora de Hermosillo); las del ejercicio
  elegido en sus doce meses, y en los datos abiertos todas, del primer al último mes con
  llegadas, con 0 en los meses sin ninguna.
- resultados por tipo (del ejercicio): recibidas por tipo de operación, y de ellas cuántas con
  resultado favorable, condicionado, no favorable, y cuántas desechadas.
- entes con más solicitudes: los diez entes con más recibidas del ejercicio (empates por
  siglas), con su número y la suma de su monto estimado.
- indicador por ente y tipo: recibidas y atendidas por ejercicio, ente y tipo de operación.
- estándar de servicio (por mes de atención del año, hora de Hermosillo): dictaminadas ese mes,
  y cuántas con días hábiles de atención ≤ la meta de su vía en la versión de las vías que se
  les aplicó (rápida o completa); sin versión, la meta de la vía completa de la versión más
  reciente.
- ahorro (por ejercicio, ente y clave de categoría): sobre las solicitudes no importadas con
  dictamen vigente (emitido, no cancelado), cada partida una vez:
  solicitado = cantidad × precio unitario; aprobado = el monto decidido para la partida, o la
  partida completa si no tiene decisión, o nada si el dictamen vigente es no favorable;
  ahorro = solicitado − aprobado; contratado = los contratos del dictamen vigente, repartidos
  entre sus categorías (por orden de clave) en proporción a lo aprobado de cada una (a lo
  solicitado si no aprobó nada; en partes iguales si tampoco), al centavo: cada categoría su
  parte truncada, y los centavos que sobran uno a uno a los mayores residuos (en empate, la
  primera clave). La categoría se nombra como en la edición más reciente que usó alguna
  partida contada. Por ejercicio: las sumas, y ahorro ÷ solicitado × 100 a un decimal. En las
  gráficas, el ahorro en miles de pesos, redondeado.
- ahorro frente al precio de referencia (por ejercicio, ente, clave de categoría y si la
  compra es consolidada; issue 76): sobre las mismas partidas, si el dictamen vigente no es
  no favorable. Aprobadas: las que no tienen decisión o cuya decisión aprobó alguna cantidad;
  con referencia: las de decisión con cantidad aprobada y precio de referencia guardado. De
  cada una con referencia, sobre la referencia = máx(precio unitario solicitado − referencia,
  0) × cantidad aprobada, y ahorro = sobre la referencia − máx(monto aprobado ÷ cantidad
  aprobada − referencia, 0) × cantidad aprobada: lo que la revisión recortó del precio por
  encima de la referencia. Sumas exactas, al centavo (redondeo comercial) por renglón; por
  ejercicio y tipo de compra, ahorro ÷ sobre la referencia × 100 a un decimal (sin nada sobre
  la referencia, sin porcentaje).
"""

import datetime
import json
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import holidays
from django.db import connection

from dictamenes.models import (
    ConfiguracionVias,
    Contrato,
    DecisionPartida,
    DiaInhabil,
    Dictamen,
    Ente,
    EventoAuditoria,
    Partida,
    PlazoEtapa,
    Solicitud,
)
from estandares.models import Categoria, Perfil, Publicacion

HERMOSILLO = ZoneInfo("America/Hermosillo")
ATENDIDA = ("dictaminada", "desechada", "desistida", "cancelada")
ETAPAS_DEL_PLAZO = ("admision", "revision_area", "revision_estrategica", "firma")
CENTAVO = Decimal("0.01")
CERO = Decimal("0.00")


def _t(modelo) -> str:
    return modelo._meta.db_table


def _filas(sql: str, parametros=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, parametros)
        return cursor.fetchall()


def _instante(valor) -> datetime.datetime | None:
    """A stored datetime (UTC) as an aware datetime, whatever the driver hands back."""
    if valor is None:
        return None
    if isinstance(valor, str):
        valor = datetime.datetime.fromisoformat(valor)
    if valor.tzinfo is None:
        valor = valor.replace(tzinfo=datetime.UTC)
    return valor


def _local(valor) -> datetime.datetime:
    return _instante(valor).astimezone(HERMOSILLO)


def _fecha(valor) -> datetime.date:
    if isinstance(valor, str):
        return datetime.date.fromisoformat(valor[:10])
    return valor


def _pesos(valor) -> Decimal:
    return (Decimal(str(valor)) if valor is not None else CERO).quantize(CENTAVO, ROUND_HALF_UP)


def _json(valor) -> dict:
    if isinstance(valor, str | bytes):
        return json.loads(valor)
    return valor or {}


def porcentaje(parte, total, *, vacio=0.0):
    """parte ÷ total × 100 to one decimal, halves up, as a float (`vacio` when total is 0)."""
    if not total:
        return vacio
    exacto = Decimal(parte) * 100 / Decimal(total)
    return float(exacto.quantize(Decimal("0.1"), ROUND_HALF_UP))


# --- Business days --------------------------------------------------------------------------


class Habiles:
    """Monday to Friday, less Mexico's official holidays and the declared días inhábiles."""

    def __init__(self):
        self.declarados = {_fecha(f) for (f,) in _filas(f"SELECT fecha FROM {_t(DiaInhabil)}")}  # noqa: S608
        self.feriados: dict[int, set] = {}

    def es_habil(self, dia: datetime.date) -> bool:
        if dia.weekday() >= 5 or dia in self.declarados:
            return False
        if dia.year not in self.feriados:
            self.feriados[dia.year] = set(holidays.Mexico(years=dia.year))
        return dia not in self.feriados[dia.year]

    def entre(self, inicio: datetime.date, fin: datetime.date) -> int:
        """Business days in (inicio, fin], counted one date at a time (0 if fin ≤ inicio)."""
        total, dia = 0, inicio
        while dia < fin:
            dia += datetime.timedelta(days=1)
            total += self.es_habil(dia)
        return total


def plazo() -> int:
    filas = _filas(
        f"SELECT etapa, dias_habiles FROM {_t(PlazoEtapa)} WHERE etapa IN (%s, %s, %s, %s)",  # noqa: S608
        ETAPAS_DEL_PLAZO,
    )
    assert len(filas) == len(ETAPAS_DEL_PLAZO), "the test database has every stage's deadline"
    return sum(dias for _etapa, dias in filas)


# --- The requests, read once ----------------------------------------------------------------


def solicitudes() -> list[dict]:
    """Every presented request, with its business days of attention recounted from its dates,
    its audit events and the calendar (None while not attended)."""
    filas = _filas(
        "SELECT s.id, s.ejercicio, s.estado, s.resultado, s.tipo_operacion, s.monto_estimado, "  # noqa: S608
        "s.presentada_en, s.atendida_en, s.via, s.via_config_id, e.siglas, e.nombre, s.ente_id "
        f"FROM {_t(Solicitud)} s JOIN {_t(Ente)} e ON e.id = s.ente_id "
        "WHERE s.presentada_en IS NOT NULL"
    )
    pausas: dict[int, list] = defaultdict(list)
    for solicitud_id, tipo, ocurrido, datos in _filas(
        f"SELECT solicitud_id, tipo, ocurrido_en, datos FROM {_t(EventoAuditoria)} "  # noqa: S608
        "WHERE tipo IN ('prevencion', 'subsanacion', 'respuesta_informacion') ORDER BY numero"
    ):
        pausas[solicitud_id].append((tipo, _instante(ocurrido), _json(datos)))
    habiles = Habiles()
    resultado = []
    for (pk, anio, estado, res, tipo, monto, presentada, atendida, via, config, siglas, ente,
         ente_id) in filas:  # fmt: skip
        fila = {
            "id": pk,
            "ejercicio": anio,
            "estado": estado,
            "resultado": res,
            "tipo": tipo,
            "monto": _pesos(monto),
            "presentada": _local(presentada),
            "atendida": _local(atendida) if atendida else None,
            "via": via,
            "via_config": config,
            "siglas": siglas,
            "ente": ente,
            "ente_id": ente_id,
            "dias": None,
        }
        if estado in ATENDIDA:
            fila["dias"] = _dias_de_atencion(fila, pausas[pk], habiles)
        resultado.append(fila)
    return resultado


def _dias_de_atencion(fila: dict, eventos: list, habiles: Habiles) -> int:
    fin = fila["atendida"]
    espera, prevenida = 0, None
    for tipo, ocurrido, datos in eventos:
        if ocurrido > fin:
            continue
        if tipo == "respuesta_informacion":
            espera += int(datos.get("dias_en_pausa", 0))
        elif tipo == "prevencion":
            prevenida = ocurrido.astimezone(HERMOSILLO).date()
        elif tipo == "subsanacion" and prevenida is not None:
            espera += habiles.entre(prevenida, ocurrido.astimezone(HERMOSILLO).date())
            prevenida = None
    if prevenida is not None:
        espera += habiles.entre(prevenida, fin.date())
    return max(habiles.entre(fila["presentada"].date(), fin.date()) - espera, 0)


def mediana(valores: list[int]):
    orden = sorted(valores)
    n = len(orden)
    if not n:
        return None
    if n % 2:
        return orden[n // 2]
    return (orden[n // 2 - 1] + orden[n // 2]) / 2


def percentil_90(valores: list[int]):
    orden = sorted(valores)
    if not orden:
        return None
    return orden[9 * len(orden) // 10]


# --- The indicators -------------------------------------------------------------------------


def anuales(filas: list[dict]) -> dict[int, dict]:
    limite = plazo()
    por_anio: dict[int, dict] = {}
    for f in filas:
        a = por_anio.setdefault(
            f["ejercicio"], {"recibidas": 0, "atendidas": 0, "en_plazo": 0, "monto": CERO}
        )
        a["recibidas"] += 1
        a["monto"] += f["monto"]
        if f["estado"] in ATENDIDA:
            a["atendidas"] += 1
            a["en_plazo"] += f["dias"] <= limite
    for a in por_anio.values():
        a["indicador"] = porcentaje(a["atendidas"], a["recibidas"])
        a["pct_en_plazo"] = porcentaje(a["en_plazo"], a["atendidas"])
    return dict(sorted(por_anio.items()))


def tiempos(filas: list[dict]) -> dict[int, dict]:
    """Per year with attended requests: how many, median, p90, deadline and share on time."""
    limite = plazo()
    dias: dict[int, list] = defaultdict(list)
    for f in filas:
        if f["estado"] in ATENDIDA:
            dias[f["ejercicio"]].append(f["dias"])
    return {
        anio: {
            "atendidas": len(valores),
            "mediana": mediana(valores),
            "p90": percentil_90(valores),
            "plazo": limite,
            "pct_en_plazo": porcentaje(sum(d <= limite for d in valores), len(valores)),
        }
        for anio, valores in sorted(dias.items())
    }


def mensuales(filas: list[dict], anio: int) -> list[int]:
    conteo = Counter(f["presentada"].month for f in filas if f["ejercicio"] == anio)
    return [conteo[m] for m in range(1, 13)]


def llegadas_por_mes(filas: list[dict]) -> list[tuple[int, int, int]]:
    conteo = Counter((f["presentada"].year, f["presentada"].month) for f in filas)
    if not conteo:
        return []
    (anio, mes), ultimo = min(conteo), max(conteo)
    meses = []
    while (anio, mes) <= ultimo:
        meses.append((anio, mes, conteo[(anio, mes)]))
        anio, mes = (anio + 1, 1) if mes == 12 else (anio, mes + 1)
    return meses


def tipos(filas: list[dict], anio: int) -> dict[str, dict]:
    por_tipo: dict[str, Counter] = defaultdict(Counter)
    for f in filas:
        if f["ejercicio"] != anio:
            continue
        c = por_tipo[f["tipo"]]
        c["total"] += 1
        c[f["resultado"]] += 1
        c["desechada"] += f["estado"] == "desechada"
    claves = ("total", "favorable", "condicionado", "no_favorable", "desechada")
    return {tipo: {k: c[k] for k in claves} for tipo, c in por_tipo.items()}


def entes(filas: list[dict], anio: int) -> list[tuple]:
    por_ente: dict[str, list] = {}
    for f in filas:
        if f["ejercicio"] == anio:
            e = por_ente.setdefault(f["siglas"], [f["siglas"], f["ente"], 0, CERO])
            e[2] += 1
            e[3] += f["monto"]
    return [tuple(e) for e in sorted(por_ente.values(), key=lambda e: (-e[2], e[0]))[:10]]


def por_ente_y_tipo(filas: list[dict]) -> dict[tuple, tuple[int, int]]:
    conteo: dict[tuple, list] = defaultdict(lambda: [0, 0])
    for f in filas:
        c = conteo[(f["ejercicio"], f["siglas"], f["tipo"])]
        c[0] += 1
        c[1] += f["estado"] in ATENDIDA
    return {clave: tuple(c) for clave, c in conteo.items()}


def estandar(filas: list[dict], anio: int) -> dict:
    """Per month of attention of `anio`: (dictaminadas, within their track's target, %)."""
    versiones = {
        pk: (rapida, completa)
        for pk, rapida, completa in _filas(
            f"SELECT id, meta_dias_rapida, meta_dias_completa FROM {_t(ConfiguracionVias)}"  # noqa: S608
        )
    }
    ((hoy_rapida, hoy_completa),) = _filas(
        f"SELECT meta_dias_rapida, meta_dias_completa FROM {_t(ConfiguracionVias)} "  # noqa: S608
        f"WHERE version = (SELECT MAX(version) FROM {_t(ConfiguracionVias)})"
    )
    n, cumplen = Counter(), Counter()
    for f in filas:
        if f["estado"] != "dictaminada" or f["atendida"].year != anio:
            continue
        rapida, completa = versiones.get(f["via_config"], (None, None))
        if f["via"] == "rapida":
            meta = rapida if rapida is not None else hoy_rapida
        else:
            meta = completa if completa is not None else hoy_completa
        n[f["atendida"].month] += 1
        cumplen[f["atendida"].month] += f["dias"] <= meta
    return {
        "meses": [
            (n[m], cumplen[m], porcentaje(cumplen[m], n[m], vacio=None)) for m in range(1, 13)
        ],
        "meta_rapida": hoy_rapida,
        "meta_completa": hoy_completa,
    }


# --- The savings ----------------------------------------------------------------------------


def _repartir(total: Decimal, pesos: list[Decimal]) -> list[Decimal]:
    if sum(pesos) <= 0:
        pesos = [Decimal(1)] * len(pesos)
    centavos = int(total / CENTAVO)
    exactos = [Decimal(centavos) * p / sum(pesos) for p in pesos]
    partes = [int(e) for e in exactos]
    residuos = sorted(range(len(pesos)), key=lambda i: (-(exactos[i] - partes[i]), i))
    for i in residuos[: centavos - sum(partes)]:
        partes[i] += 1
    return [Decimal(p) * CENTAVO for p in partes]


def ahorro() -> list[dict]:
    """Rows {ejercicio, ente_siglas, ente, categoria_clave, categoria, solicitado, aprobado,
    contratado, ahorro}, ordered by year, agency and category name."""
    vigente: dict[int, tuple[int, str]] = {}  # request → (dictamen, result), the newest issued
    for dictamen, solicitud, resultado, _emitido in sorted(
        _filas(
            f"SELECT d.id, d.solicitud_id, d.resultado, d.emitido_en FROM {_t(Dictamen)} d "  # noqa: S608
            f"JOIN {_t(Solicitud)} s ON s.id = d.solicitud_id "
            "WHERE d.cancelado_en IS NULL AND s.importada = %s",
            [False],
        ),
        key=lambda f: (_instante(f[3]), f[0]),
    ):
        vigente[solicitud] = (dictamen, resultado)
    decidido = {
        partida: _pesos(monto)
        for partida, monto in _filas(
            f"SELECT partida_id, monto_aprobado FROM {_t(DecisionPartida)}"  # noqa: S608
        )
    }
    contratado: dict[int, Decimal] = defaultdict(lambda: CERO)
    for dictamen, monto in _filas(f"SELECT dictamen_id, monto FROM {_t(Contrato)}"):  # noqa: S608
        contratado[dictamen] += _pesos(monto)
    solicitud_de = {
        pk: (anio, siglas, nombre)
        for pk, anio, siglas, nombre in _filas(
            f"SELECT s.id, s.ejercicio, e.siglas, e.nombre FROM {_t(Solicitud)} s "  # noqa: S608
            f"JOIN {_t(Ente)} e ON e.id = s.ente_id"
        )
    }
    filas: dict[tuple, dict] = {}
    nombres: dict[str, tuple[int, str]] = {}
    por_dictamen: dict[int, dict[str, list]] = defaultdict(dict)
    for partida, solicitud, cantidad, precio, clave, nombre, edicion in _filas(
        "SELECT p.id, p.solicitud_id, p.cantidad, p.precio_unitario, c.clave, c.nombre, "  # noqa: S608
        f"pub.version FROM {_t(Partida)} p "
        f"JOIN {_t(Perfil)} pf ON pf.id = p.perfil_id "
        f"LEFT JOIN {_t(Categoria)} c ON c.id = pf.categoria_id "
        f"LEFT JOIN {_t(Publicacion)} pub ON pub.id = c.publicacion_id"
    ):
        if solicitud not in vigente:
            continue
        dictamen, resultado = vigente[solicitud]
        clave = clave or "sin-categoria"
        edicion = edicion or 0
        if clave not in nombres or nombres[clave][0] < edicion:
            nombres[clave] = (edicion, nombre or "Sin categoría")
        solicitado = (Decimal(cantidad) * Decimal(str(precio))).quantize(CENTAVO)
        aprobado = CERO if resultado == "no_favorable" else decidido.get(partida, solicitado)
        anio, siglas, ente = solicitud_de[solicitud]
        fila = filas.setdefault(
            (anio, siglas, clave),
            {
                "ejercicio": anio,
                "ente_siglas": siglas,
                "ente": ente,
                "categoria_clave": clave,
                "solicitado": CERO,
                "aprobado": CERO,
                "contratado": CERO,
            },
        )
        fila["solicitado"] += solicitado
        fila["aprobado"] += aprobado
        parte = por_dictamen[dictamen].setdefault(clave, [fila, CERO, CERO])
        parte[1] += aprobado
        parte[2] += solicitado
    for dictamen, partes in por_dictamen.items():
        if dictamen not in contratado:
            continue
        orden = [partes[clave] for clave in sorted(partes)]
        aprobados = [a for _f, a, _s in orden]
        pesos = aprobados if sum(aprobados) > 0 else [s for _f, _a, s in orden]
        partes_del_contrato = _repartir(contratado[dictamen], pesos)
        for (fila, _a, _s), parte in zip(orden, partes_del_contrato, strict=True):
            fila["contratado"] += parte
    resultado = []
    for fila in filas.values():
        fila["ahorro"] = fila["solicitado"] - fila["aprobado"]
        fila["categoria"] = nombres[fila["categoria_clave"]][1]
        resultado.append(fila)
    return sorted(resultado, key=lambda f: (f["ejercicio"], f["ente_siglas"], f["categoria"]))


def _sumas(filas: list[dict], clave) -> dict:
    sumas: dict = {}
    campos = ("solicitado", "aprobado", "contratado")
    for f in filas:
        s = sumas.setdefault(clave(f), dict.fromkeys(campos, CERO))
        for campo in campos:
            s[campo] += f[campo]
    for s in sumas.values():
        s["ahorro"] = s["solicitado"] - s["aprobado"]
        s["pct_ahorro"] = (
            (100 * s["ahorro"] / s["solicitado"]).quantize(Decimal("0.1"), ROUND_HALF_UP)
            if s["solicitado"]
            else None
        )
        s["ahorro_miles"] = int((s["ahorro"] / 1000).quantize(Decimal(1), ROUND_HALF_UP))
    return sumas


def ahorro_anual(filas: list[dict]) -> dict[int, dict]:
    return _sumas(filas, lambda f: f["ejercicio"])


def ahorro_por_categoria(filas: list[dict], anio: int) -> dict[tuple, dict]:
    del_anio = [f for f in filas if f["ejercicio"] == anio]
    return _sumas(del_anio, lambda f: (f["categoria_clave"], f["categoria"]))


# --- The savings against the reference (issue 76) -------------------------------------------


def _fraccion(valor) -> Fraction:
    """A stored amount as an exact fraction, whatever the driver hands back (SQLite: a float
    or an integer; PostgreSQL: a Decimal); the amounts have at most four decimals."""
    return Fraction(str(valor))


def _al_centavo(valor: Fraction) -> Decimal:
    exacto = Decimal(valor.numerator) / Decimal(valor.denominator)
    return exacto.quantize(CENTAVO, ROUND_HALF_UP)


def ahorro_referencia() -> dict[tuple, tuple]:
    """{(ejercicio, ente_siglas, categoria_clave, consolidada): (aprobadas, con referencia,
    sobre la referencia, ahorro)} of every group with items under a dictamen in force that is
    not no favorable."""
    vigente: dict[int, str] = {}  # request → result of its newest issued dictamen in force
    for _dictamen, solicitud, resultado, _emitido in sorted(
        _filas(
            f"SELECT d.id, d.solicitud_id, d.resultado, d.emitido_en FROM {_t(Dictamen)} d "  # noqa: S608
            f"JOIN {_t(Solicitud)} s ON s.id = d.solicitud_id "
            "WHERE d.cancelado_en IS NULL AND s.importada = %s",
            [False],
        ),
        key=lambda f: (_instante(f[3]), f[0]),
    ):
        vigente[solicitud] = resultado
    grupos: dict[tuple, list] = {}
    for (
        solicitud,
        anio,
        siglas,
        consolidada,
        clave,
        precio,
        decidida,
        cantidad,
        monto,
        referencia,
    ) in _filas(
        "SELECT s.id, s.ejercicio, e.siglas, s.compra_consolidada, c.clave, "  # noqa: S608
        "p.precio_unitario, d.id, d.cantidad_aprobada, d.monto_aprobado, "
        f"d.referencia_unitaria FROM {_t(Partida)} p "
        f"JOIN {_t(Solicitud)} s ON s.id = p.solicitud_id "
        f"JOIN {_t(Ente)} e ON e.id = s.ente_id "
        f"JOIN {_t(Perfil)} pf ON pf.id = p.perfil_id "
        f"LEFT JOIN {_t(Categoria)} c ON c.id = pf.categoria_id "
        f"LEFT JOIN {_t(DecisionPartida)} d ON d.partida_id = p.id"
    ):
        if vigente.get(solicitud, "no_favorable") == "no_favorable":
            continue
        grupo = grupos.setdefault(
            (anio, siglas, clave or "sin-categoria", bool(consolidada)),
            [0, 0, Fraction(0), Fraction(0)],
        )
        if decidida is None or cantidad > 0:
            grupo[0] += 1
        if decidida is None or cantidad == 0 or referencia is None:
            continue
        ref = _fraccion(referencia)
        sobre = max(_fraccion(precio) - ref, 0) * cantidad
        queda = max(_fraccion(monto) / cantidad - ref, 0) * cantidad
        grupo[1] += 1
        grupo[2] += sobre
        grupo[3] += sobre - queda
    return {
        clave: (n, con, _al_centavo(sobre), _al_centavo(ahorro))
        for clave, (n, con, sobre, ahorro) in grupos.items()
    }


def ahorro_referencia_anual(grupos: dict[tuple, tuple]) -> dict[tuple, tuple]:
    """{(ejercicio, consolidada): (aprobadas, con referencia, sobre la referencia, ahorro, %)}
    of each year and kind of purchase with approved items."""
    sumas: dict[tuple, list] = {}
    for (anio, _siglas, _clave, consolidada), (n, con, sobre, ahorro) in grupos.items():
        suma = sumas.setdefault((anio, consolidada), [0, 0, CERO, CERO])
        for i, valor in enumerate((n, con, sobre, ahorro)):
            suma[i] += valor
    return {
        clave: (
            n,
            con,
            sobre,
            ahorro,
            (100 * ahorro / sobre).quantize(Decimal("0.1"), ROUND_HALF_UP) if sobre else None,
        )
        for clave, (n, con, sobre, ahorro) in sorted(sumas.items())
        if n
    }
