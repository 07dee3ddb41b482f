"""The doors that keep the price data (issue 62). A request's observations are what its
items cost under its dictamen in force: written again, whole, whenever a dictamen is issued,
rectified or cancelled, or a contract is recorded under it; each profile's reference is
computed again from its window when one of its observations changes, and every day by
`manage.py precios_recalcular` (the window slides). Callers hold the transaction."""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import DateField, Func, Q
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


def observaciones_de_solicitud(
    *,
    solicitud_id: int,
    hoy: datetime.date | None = None,
    emitido: Dictamen | None = None,
    partidas: list[Partida] | None = None,
) -> None:
    """Write again the request's observations from its dictamen in force (none without one),
    and the references of the profiles they were and are in. `emitido`: the dictamen this
    very transaction has just issued for the request (emision.services.emision), which is
    then its dictamen in force, and which no contract names yet (a contract is recorded only
    under a committed dictamen, locked): neither is read again. `partidas`: with `emitido`,
    the request's items with their profile, category and decision as the issuance read them
    to seal and print them, under the request's lock (issue 92, item 6: not read again)."""
    antes = set(
        PrecioObservado.objects.filter(solicitud_id=solicitud_id)
        .values_list("categoria_clave", "perfil_clave", "unidad")
        .order_by()
    )
    if antes:  # none (a first dictamen): nothing to delete
        PrecioObservado.objects.filter(solicitud_id=solicitud_id).delete()
    dictamen = emitido or (
        Dictamen.objects.select_related("solicitud")
        .filter(solicitud_id=solicitud_id, cancelado_en__isnull=True)
        .order_by("-emitido_en")
        .first()
    )
    nuevas = []
    if dictamen is not None:
        if emitido is None or partidas is None:
            partidas = list(
                Partida.objects.filter(solicitud_id=solicitud_id).select_related(
                    "perfil__categoria", "decision"
                )
            )
        pagado = Pagado()
        if emitido is None:
            pagado = _pagado_por_dictamen(Contrato.objects.filter(dictamen=dictamen)).get(
                dictamen.pk, pagado
            )
        # The office's tolerance caps what the contracts write: read only when they write.
        tolerancia = _tolerancia() if pagado.monto > 0 else 0
        nuevas = _observaciones_nuevas(dictamen, partidas, pagado, tolerancia)
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
    into Python for every row on SQLite, and Python's date.replace costs more per row than
    the database (~1.5 µs, 6 ms over a window of 4,000 rows)."""

    output_field = DateField()
    template = "CAST(DATE_TRUNC('month', %(expressions)s) AS date)"

    def as_sqlite(self, compiler, connection, **extra):
        # SQLite keeps a date as its ISO text.
        return self.as_sql(compiler, connection, template="SUBSTR(%(expressions)s, 1, 7) || '-01'")


def _filas(ventana) -> list[tuple[Decimal, datetime.date, int]]:
    """Every row of the window as (price, its month, agency), sorted by price: one query over
    the profile-and-date index, three columns a row, as many rows as 24 months hold (bounded
    by the window, not by the history). Issue 92, item 6: the database sorting the window
    again with its partitions (by month, by agency) cost more than sending the rows: at K=10,
    a window of 4,078 rows took four queries, ~11 ms of Python to build and read them and
    ~30 ms of the database's CPU to sort them (EXPLAIN ANALYZE 43 ms); sent whole, one query,
    3 ms."""
    return list(
        ventana.annotate(mes=_Mes("fecha"))
        .order_by("precio")
        .values_list("precio", "mes", "ente_id")
    )


def _serie(por_mes: dict) -> list[dict]:
    return [
        {
            "mes": f"{mes:%Y-%m}",
            "compras": len(en),
            "mediana": str(reglas.redondo(reglas.mediana_de_rangos(len(en), en))),
            "minimo": str(en[0]),
            "maximo": str(en[-1]),
        }
        for mes, en in sorted(por_mes.items())
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
    medians, issue 93); one query that sends back the window's rows sorted by price
    (_filas), one more only when some observation falls outside the fences (those left out,
    listed). None without an observation in the window. Written nowhere: the daily
    reference (referencia_recalcular) and the signs of a request presented on an earlier
    day (issue 80: the reference it was presented against, not today's) read it."""
    desde = desde_de(hoy)
    ventana = _ventana(clave, desde, hoy)
    filas = _filas(ventana)
    observadas = len(filas)
    if not observadas:
        return None
    # The fences, from the quartiles of every observation: sorted, rank r is precios[r].
    precios = [precio for precio, _mes, _ente in filas]
    c = reglas.cifras_de_rangos(observadas, precios, minimo=precios[0], maximo=precios[-1])
    inferior, superior = cercas.cercas(c.cuartil_1, c.cuartil_3)
    excluidas = []
    if c.minimo < inferior or c.maximo > superior:
        excluidas = _excluidas(ventana, inferior, superior)
        # What stays, inferior <= precio <= superior (on a fence it stays): a run of them.
        filas = filas[
            bisect.bisect_left(precios, inferior) : bisect.bisect_right(precios, superior)
        ]
    # What stays inside the fences, by month and by agency, each still sorted by price: its
    # purchases are its rows, its agencies those that have one.
    por_mes, por_ente = defaultdict(list), defaultdict(list)
    for precio, mes, ente_id in filas:
        por_mes[mes].append(precio)
        por_ente[ente_id].append(precio)
    medianas = [reglas.mediana_de_rangos(len(en), en) for en in por_ente.values()]
    c = reglas.cifras_por_ente(medianas, compras=len(filas))
    entes = len(medianas)
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
