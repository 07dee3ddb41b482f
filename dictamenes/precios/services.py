"""The doors that keep the price data (issue 62). A request's observations are what its
items cost under its dictamen in force: written again, whole, whenever a dictamen is issued,
rectified or cancelled, or a contract is recorded under it; each profile's reference is
computed again from its window when one of its observations changes, and every day by
`manage.py precios_recalcular` (the window slides). Callers hold the transaction."""

import datetime
from collections import defaultdict
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import (
    Contrato,
    DecisionPartida,
    Dictamen,
    Partida,
    PrecioObservado,
    ReferenciaPrecio,
    Resultado,
)
from dictamenes.models.vias import monto_aprobado
from dictamenes.precios import reglas

Clave = tuple[str, str, str]  # (categoria_clave, perfil_clave, unidad)


def _clave(o) -> Clave:
    return (o.categoria_clave, o.perfil_clave, o.unidad)


def _observaciones_nuevas(dictamen: Dictamen, partidas: list[Partida], contratado: Decimal):
    """The rows of a dictamen in force: each item it approved at its approved unit price,
    or at what was paid when contracts were recorded (the contracts split over the items in
    proportion to what each was approved)."""
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
    proporcion = contratado / total if contratado > 0 and total > 0 else None
    fecha = timezone.localdate(dictamen.emitido_en)
    filas = []
    for partida, cantidad, importe in aprobadas:
        unitario = importe / cantidad * (proporcion or 1)
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
                consolidada=dictamen.solicitud.compra_consolidada,
            )
        )
    return filas


def observaciones_de_solicitud(*, solicitud_id: int, hoy: datetime.date | None = None) -> None:
    """Write again the request's observations from its dictamen in force (none without one),
    and the references of the profiles they were and are in."""
    antes = {_clave(o) for o in PrecioObservado.objects.filter(solicitud_id=solicitud_id)}
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
        contratado = Contrato.objects.filter(dictamen=dictamen).aggregate(t=Sum("monto"))["t"]
        nuevas = _observaciones_nuevas(dictamen, partidas, contratado or Decimal(0))
        PrecioObservado.objects.bulk_create(nuevas)
    for clave in antes | {_clave(o) for o in nuevas}:
        referencia_recalcular(clave=clave, hoy=hoy)


def _serie(observadas) -> list[dict]:
    por_mes = defaultdict(list)
    for fecha, precio in observadas:
        por_mes[f"{fecha:%Y-%m}"].append(precio)
    serie = []
    for mes in sorted(por_mes):
        c = reglas.cifras(por_mes[mes])
        serie.append(
            {
                "mes": mes,
                "compras": c.compras,
                "mediana": str(c.mediana),
                "minimo": str(c.minimo),
                "maximo": str(c.maximo),
            }
        )
    return serie


def desde_de(hoy: datetime.date) -> datetime.date:
    """The first day of the reference's window: 24 months back."""
    return hoy - relativedelta(months=reglas.MESES_REFERENCIA)


def referencia_recalcular(*, clave: Clave, hoy: datetime.date | None = None) -> None:
    """The profile's reference in one unit, from its observations of the window: one query
    bounded by the window, one write. No observation in the window: no row."""
    hoy = hoy or timezone.localdate()
    categoria, perfil, unidad = clave
    desde = desde_de(hoy)
    filas = list(
        PrecioObservado.objects.filter(
            categoria_clave=categoria,
            perfil_clave=perfil,
            unidad=unidad,
            fecha__gte=desde,
            fecha__lte=hoy,
        ).values_list("fecha", "precio", "ente_id")
    )
    donde = {"categoria_clave": categoria, "perfil_clave": perfil, "unidad": unidad}
    if not filas:
        ReferenciaPrecio.objects.filter(**donde).delete()
        return
    c = reglas.cifras([precio for _f, precio, _e in filas])
    entes = len({e for _f, _p, e in filas})
    ReferenciaPrecio.objects.update_or_create(
        **donde,
        defaults={
            "calculada_el": hoy,
            "desde": desde,
            "compras": c.compras,
            "entes": entes,
            "suficiente": reglas.suficiente(compras=c.compras, entes=entes),
            "mediana": c.mediana,
            "cuartil_1": c.cuartil_1,
            "cuartil_3": c.cuartil_3,
            "minimo": c.minimo,
            "serie": _serie((f, p) for f, p, _e in filas),
        },
    )


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
    contratado = dict(
        Contrato.objects.filter(dictamen__cancelado_en__isnull=True)
        .values_list("dictamen_id")
        .annotate(t=Sum("monto"))
        .order_by()
    )
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
                d, por_solicitud[solicitud_id], contratado.get(d.pk) or Decimal(0)
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
