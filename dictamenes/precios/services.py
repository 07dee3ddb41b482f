"""The doors that keep the price data (issue 62). A request's observations are what its
items cost under its dictamen in force: written again, whole, whenever a dictamen is issued,
rectified or cancelled, or a contract is recorded under it; each profile's reference is
computed again from its window when one of its observations changes, and every day by
`manage.py precios_recalcular` (the window slides). Callers hold the transaction."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Count, DateField, F, Func, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import (
    ConfiguracionVias,
    Contrato,
    DecisionPartida,
    Dictamen,
    Partida,
    PrecioObservado,
    ReferenciaPrecio,
    Resultado,
)
from dictamenes.models.vias import monto_aprobado
from dictamenes.precios import cercas, reglas

Clave = tuple[str, str, str]  # (categoria_clave, perfil_clave, unidad)


def _clave(o) -> Clave:
    return (o.categoria_clave, o.perfil_clave, o.unidad)


# Issue 76, item 1: contracts are a price only once someone who is not the requester checked
# them against their documents, and only while they count (not waiting for, nor refused by,
# the strategic reviewer). What was paid is the whole of a dictamen's counting contracts: while
# one of them is unchecked, the dictamen's items stay at their approved prices (a part of the
# contracts would read as a low price).
@dataclass(frozen=True)
class Pagado:
    """What a dictamen's counting contracts add up to, once every one of them was checked, and
    who checked the last of them (no amount: some are unchecked, or there are none)."""

    monto: Decimal = Decimal(0)
    verificado_por_id: int | None = None


def _pagado_por_dictamen(contratos) -> dict[int, Pagado]:
    sumas, verificador, sin_verificar = defaultdict(Decimal), {}, set()
    for dictamen_id, monto, quien in (
        contratos.que_cuentan()
        .order_by("dictamen_id", "verificado_en", "id")
        .values_list("dictamen_id", "monto", "verificado_por_id")
    ):
        sumas[dictamen_id] += monto
        if quien is None:
            sin_verificar.add(dictamen_id)
        else:
            verificador[dictamen_id] = quien
    return {
        dictamen_id: Pagado(monto, verificador[dictamen_id])
        for dictamen_id, monto in sumas.items()
        if dictamen_id not in sin_verificar
    }


def _tope_unitario(aprobado_unitario: Decimal, tolerancia_pct: int) -> Decimal:
    """The highest unit price a contract may write: the approved one plus the office's
    tolerance; a contract above it is kept at it."""
    return aprobado_unitario * (1 + Decimal(tolerancia_pct) / 100)


def _observaciones_nuevas(
    dictamen: Dictamen, partidas: list[Partida], pagado: Pagado, tolerancia_pct: int
):
    """The rows of a dictamen in force: each item it approved at its approved unit price, or
    at what was paid when checked contracts were recorded (the contracts split over the items
    in proportion to what each was approved, never above the approved unit price by more than
    the office's tolerance)."""
    if dictamen.resultado == Resultado.NO_FAVORABLE:
        return []
    aprobadas = []
    for partida in partidas:
        decision = getattr(partida, "decision", None)
        if decision is not None and decision.resultado == DecisionPartida.Resultado.NO_APROBADA:
            continue
        cantidad = decision.cantidad_aprobada if decision is not None else partida.cantidad
        importe = monto_aprobado(
            partida=partida, decision=decision, resultado_dictamen=dictamen.resultado
        )
        if cantidad and importe > 0:
            aprobadas.append((partida, cantidad, importe))
    total = sum((importe for _p, _c, importe in aprobadas), Decimal(0))
    proporcion = pagado.monto / total if pagado.monto > 0 and total > 0 else None
    fecha = timezone.localdate(dictamen.emitido_en)
    filas = []
    for partida, cantidad, importe in aprobadas:
        aprobado_unitario = importe / cantidad
        unitario = aprobado_unitario
        if proporcion:
            unitario = min(
                aprobado_unitario * proporcion, _tope_unitario(aprobado_unitario, tolerancia_pct)
            )
        filas.append(
            PrecioObservado(
                partida=partida,
                solicitud_id=partida.solicitud_id,
                ente_id=dictamen.solicitud.ente_id,
                categoria_clave=partida.perfil.categoria.clave,
                perfil_clave=partida.perfil.clave,
                unidad=partida.unidad,
                fecha=fecha,
                cantidad=cantidad,
                precio=reglas.normalizar(unitario, partida.unidad, partida.meses),
                fuente=PrecioObservado.Fuente.CONTRATADO
                if proporcion
                else PrecioObservado.Fuente.APROBADO,
                verificado_por_id=pagado.verificado_por_id if proporcion else None,
                consolidada=dictamen.solicitud.compra_consolidada,
            )
        )
    return filas


def _tolerancia() -> int:
    return ConfiguracionVias.objects.vigentes().contrato_tolerancia_pct


def observaciones_de_solicitud(*, solicitud_id: int, hoy: datetime.date | None = None) -> None:
    """Write again the request's observations from its dictamen in force (none without one),
    and the references of the profiles they were and are in."""
    antes = set(
        PrecioObservado.objects.filter(solicitud_id=solicitud_id)
        .values_list("categoria_clave", "perfil_clave", "unidad")
        .order_by()
    )
    PrecioObservado.objects.filter(solicitud_id=solicitud_id).delete()
    dictamen = (
        Dictamen.objects.select_related("solicitud")
        .filter(solicitud_id=solicitud_id, cancelado_en__isnull=True)
        .order_by("-emitido_en")
        .first()
    )
    nuevas = []
    if dictamen is not None:
        partidas = list(
            Partida.objects.filter(solicitud_id=solicitud_id).select_related(
                "perfil__categoria", "decision"
            )
        )
        pagado = _pagado_por_dictamen(Contrato.objects.filter(dictamen=dictamen))
        nuevas = _observaciones_nuevas(
            dictamen, partidas, pagado.get(dictamen.pk, Pagado()), _tolerancia()
        )
        PrecioObservado.objects.bulk_create(nuevas)
    for clave in antes | {_clave(o) for o in nuevas}:
        referencia_recalcular(clave=clave, hoy=hoy)


def desde_de(hoy: datetime.date) -> datetime.date:
    """The first day of the reference's window: 24 months back."""
    return hoy - relativedelta(months=reglas.MESES_REFERENCIA)


def _ventana(clave: Clave, desde: datetime.date, hoy: datetime.date):
    categoria, perfil, unidad = clave
    return PrecioObservado.objects.filter(
        categoria_clave=categoria,
        perfil_clave=perfil,
        unidad=unidad,
        fecha__gte=desde,
        fecha__lte=hoy,
    ).order_by()


class _Mes(Func):
    """A date's month (its first day), in each database's own terms: TruncMonth calls back
    into Python for every row on SQLite, once for each window that partitions by it, and a
    month as text sorts by collation on PostgreSQL."""

    output_field = DateField()
    template = "CAST(DATE_TRUNC('month', %(expressions)s) AS date)"

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps a date as its ISO text.
        return self.as_sql(compiler, connection, template="SUBSTR(%(expressions)s, 1, 7) || '-01'")


def _rangos_leidos(ventana, rangos: set[int]) -> dict[int, Decimal]:
    """The window sorted by price in the database, once over all of it: the prices of the
    ranks `rangos` (0-based), all the fences read. One sort and a few rows, whatever the
    history (window functions, on PostgreSQL and SQLite alike; not percentile_cont, which
    computes in floating point: the reference must stay an exact Decimal)."""
    filas = (
        ventana.annotate(rango=Window(RowNumber(), order_by=F("precio").asc()))
        .filter(rango__in=[r + 1 for r in rangos])
        .values_list("rango", "precio")
    )
    return {rango - 1: precio for rango, precio in filas}


def _filas_leidas(ventana) -> list[dict]:
    """The window sorted by price in the database within each month and within each agency:
    each month's lowest, highest and median rows with its month's count, and each agency's
    median rows with its count. A few dozen rows whatever the history (bounded by the months
    and the agencies), on PostgreSQL and SQLite alike, the prices as columns, with their four
    decimals on both databases."""
    mes = _Mes("fecha")
    compras_mes = F("compras_mes")
    compras_ente = F("compras_ente")
    return list(
        ventana.annotate(
            mes=mes,
            rango_mes=Window(RowNumber(), partition_by=[mes], order_by=F("precio").asc()),
            compras_mes=Window(Count("pk"), partition_by=[mes]),
            rango_ente=Window(RowNumber(), partition_by=[F("ente_id")], order_by=F("precio").asc()),
            compras_ente=Window(Count("pk"), partition_by=[F("ente_id")]),
        )
        .filter(
            # RowNumber counts from 1. A median: the middle row, or the two middle ones.
            Q(rango_mes=1)
            | Q(rango_mes=compras_mes)
            | Q(rango_mes=(compras_mes + 1) / 2)
            | Q(rango_mes=compras_mes / 2 + 1)
            | Q(rango_ente=(compras_ente + 1) / 2)
            | Q(rango_ente=compras_ente / 2 + 1)
        )
        .values(
            "mes",
            "rango_mes",
            "compras_mes",
            "ente_id",
            "rango_ente",
            "compras_ente",
            "precio",
        )
    )


def _por_ente(filas: list[dict]) -> list[Decimal]:
    """Each agency's median price in the window (from its middle rows), one per agency."""
    medios, compras = defaultdict(dict), {}
    for f in filas:
        medios[f["ente_id"]][f["rango_ente"] - 1] = f["precio"]
        compras[f["ente_id"]] = f["compras_ente"]
    return [reglas.mediana_de_rangos(compras[e], en) for e, en in medios.items()]


def _por_mes(filas: list[dict]) -> dict:
    """Each month's count and its rows by rank within the month (0 is the lowest)."""
    por_mes = defaultdict(dict)
    for f in filas:
        por_mes[f["mes"]][f["rango_mes"] - 1] = f["precio"]
    compras = {f["mes"]: f["compras_mes"] for f in filas}
    return {mes: (compras[mes], en) for mes, en in sorted(por_mes.items())}


def _serie(por_mes: dict) -> list[dict]:
    return [
        {
            "mes": f"{mes:%Y-%m}",
            "compras": n,
            "mediana": str(reglas.redondo(reglas.mediana_de_rangos(n, en))),
            "minimo": str(en[0]),
            "maximo": str(en[n - 1]),
        }
        for mes, (n, en) in por_mes.items()
    ]


EXCLUIDAS_MAXIMO = 100


def _excluidas(ventana, inferior: Decimal, superior: Decimal) -> list[dict]:
    """The observations the fences leave out, each with its reason (at most EXCLUIDAS_MAXIMO,
    the farthest first on each side: the page lists them)."""
    fuera = (
        ventana.filter(Q(precio__lt=inferior) | Q(precio__gt=superior))
        .select_related("ente")
        .order_by("precio", "fecha", "id")
        .values("fecha", "precio", "fuente", "ente__siglas")[:EXCLUIDAS_MAXIMO]
    )
    return [
        {
            "fecha": f["fecha"].isoformat(),
            "precio": str(f["precio"]),
            "fuente": f["fuente"],
            "ente": f["ente__siglas"],
            "motivo": cercas.motivo(f["precio"], inferior=inferior, superior=superior),
        }
        for f in fuera
    ]


def referencia_en(*, clave: Clave, hoy: datetime.date) -> dict | None:
    """The profile's reference in one unit as it stood on `hoy`: the observations of the
    window ending that day, once the fences (precios.cercas) leave out those far from the
    rest, each agency counted once (reglas.cifras_por_ente: the figures of the agencies'
    medians, issue 93); three queries bounded by the window that send back a few rows (its
    size, the ranks the fences read, then each month's and each agency's middle rows of what
    the fences keep), one more only when some observation falls outside them (those left
    out, listed). None without an observation in the window. Written nowhere: the
    daily reference (referencia_recalcular) and the signs of a request presented on an earlier
    day (issue 80: the reference it was presented against, not today's) read it."""
    desde = desde_de(hoy)
    ventana = _ventana(clave, desde, hoy)
    observadas = ventana.count()
    if not observadas:
        return None
    # The fences, from the quartiles of every observation: the ranks they read, the lowest
    # and the highest, in one sort without partitions.
    en = _rangos_leidos(ventana, reglas.rangos(observadas) | {0, observadas - 1})
    c = reglas.cifras_de_rangos(observadas, en, minimo=en[0], maximo=en[observadas - 1])
    inferior, superior = cercas.cercas(c.cuartil_1, c.cuartil_3)
    excluidas = []
    if c.minimo < inferior or c.maximo > superior:
        excluidas = _excluidas(ventana, inferior, superior)
        ventana = ventana.filter(precio__gte=inferior, precio__lte=superior)
    # What stays inside the fences, sorted within each month and each agency once: its
    # purchases are the months' counts added up, its agencies those that have a median.
    filas = _filas_leidas(ventana)
    por_mes = _por_mes(filas)
    por_ente = _por_ente(filas)
    c = reglas.cifras_por_ente(por_ente, compras=sum(n for n, _en in por_mes.values()))
    entes = len(por_ente)
    valores = {
        "calculada_el": hoy,
        "desde": desde,
        "observadas": observadas,
        "cerca_inferior": reglas.redondo(inferior),
        "cerca_superior": reglas.redondo(superior),
        "excluidas": excluidas,
        "compras": c.compras,
        "entes": entes,
        "suficiente": reglas.suficiente(compras=c.compras, entes=entes),
        "mediana": c.mediana,
        "cuartil_1": c.cuartil_1,
        "cuartil_3": c.cuartil_3,
        "minimo": c.minimo,
        "serie": _serie(por_mes),
    }
    return valores


def referencia_recalcular(*, clave: Clave, hoy: datetime.date | None = None) -> None:
    """The profile's reference in one unit on `hoy` (referencia_en), one write. No
    observation in the window: no row."""
    hoy = hoy or timezone.localdate()
    categoria, perfil, unidad = clave
    donde = {"categoria_clave": categoria, "perfil_clave": perfil, "unidad": unidad}
    valores = referencia_en(clave=clave, hoy=hoy)
    if valores is None:
        ReferenciaPrecio.objects.filter(**donde).delete()
        return
    # One UPDATE when the profile has its reference (almost always); its first one through
    # update_or_create, which survives two writers creating it at once.
    if not ReferenciaPrecio.objects.filter(**donde).update(**valores):
        ReferenciaPrecio.objects.update_or_create(**donde, defaults=valores)


def referencias_recalcular(*, hoy: datetime.date | None = None) -> int:
    """Every profile's reference, the window moved to `hoy` (the daily run). Returns how
    many references there are."""
    hoy = hoy or timezone.localdate()
    claves = set(
        PrecioObservado.objects.values_list("categoria_clave", "perfil_clave", "unidad")
        .distinct()
        .order_by()
    )
    for clave in claves:
        referencia_recalcular(clave=clave, hoy=hoy)
    # A profile left without any observation (after a rebuild) has no reference either.
    for referencia in ReferenciaPrecio.objects.all():
        if _clave(referencia) not in claves:
            referencia.delete()
    return ReferenciaPrecio.objects.count()


def observaciones_reconstruir(*, hoy: datetime.date | None = None, lote: int = 500) -> int:
    """Every request's observations written again from the database (a loader or the
    history generator ran without the doors), then every reference. Returns the number of
    observations."""
    PrecioObservado.objects.all().delete()
    dictamenes = (
        Dictamen.objects.filter(cancelado_en__isnull=True, solicitud__importada=False)
        .select_related("solicitud")
        .order_by("solicitud_id", "-emitido_en")
    )
    vigente: dict[int, Dictamen] = {}
    for d in dictamenes.iterator(chunk_size=2000):
        vigente.setdefault(d.solicitud_id, d)
    pagado = _pagado_por_dictamen(Contrato.objects.filter(dictamen__cancelado_en__isnull=True))
    tolerancia = _tolerancia()
    ids = list(vigente)
    for i in range(0, len(ids), lote):
        parte = ids[i : i + lote]
        por_solicitud = defaultdict(list)
        for p in Partida.objects.filter(solicitud_id__in=parte).select_related(
            "perfil__categoria", "decision"
        ):
            por_solicitud[p.solicitud_id].append(p)
        nuevas = []
        for solicitud_id in parte:
            d = vigente[solicitud_id]
            nuevas += _observaciones_nuevas(
                d, por_solicitud[solicitud_id], pagado.get(d.pk, Pagado()), tolerancia
            )
        PrecioObservado.objects.bulk_create(nuevas, batch_size=1000)
    referencias_recalcular(hoy=hoy)
    return PrecioObservado.objects.count()


@transaction.atomic
def precios_reconstruir(*, hoy: datetime.date | None = None) -> tuple[int, int]:
    """observaciones_reconstruir as one audited step (manage.py precios_recalcular
    --reconstruir): nobody reads the table half rebuilt, and the event moves the data's
    version (dictamenes.comun.cache), so the open data derived from these prices («Precios de
    referencia TIC», its fingerprint and the catalogue's date of it), cached under the old
    version, is worked out again at the next read. A loader writes no event per row: without
    this one, the files would keep yesterday's prices until midnight. Returns how many
    observations and references there are."""
    observaciones = observaciones_reconstruir(hoy=hoy)
    referencias = ReferenciaPrecio.objects.count()
    evento_registrar(
        tipo="precios_reconstruidos",
        descripcion=(
            f"Precios observados reconstruidos desde los dictámenes en vigor: {observaciones} "
            f"precio(s), {referencias} precio(s) de referencia"
        ),
        datos={"observaciones": observaciones, "referencias": referencias},
    )
    return observaciones, referencias
