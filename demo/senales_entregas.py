"""The demo after the contract, and the signs only a year's history can show (issue 80), each
through the door a person or the daily task would use:

- «Enlaces de internet dedicados para oficinas regionales» (demo.solicitudes, contracted
  today): its delivery, on time, everything approved received and paid as contracted — no
  sign; the request page and its OCDS record (contracts.implementation) show it.
- The Registro Civil's 2026: four contracts under dictámenes of its history, two of them (the
  largest) with the same supplier, who takes most of what the agency contracted that year (a
  supplier that concentrates the agency's spend); under one of them a delivery paid over the
  contract, under the other one with fewer units than approved once its term ended; and a
  contract whose term ended months ago with no acta recorded (delivery missing).
- A conditioned dictamen of the history, whose conditions were never followed (the history
  was written without the door that turns them into obligations): they become obligations now,
  due as the rule has it from the day it was issued, long past (conditions overdue).
- The history's last request presented in the last business days of last year (presented at
  the fiscal year's close): its signs computed as `senales_calcular --todas` would, for that
  one request (the history was written in bulk, without the doors)."""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import Sum
from django.utils import timezone

from demo.rfc import rfc_de_empresa
from demo.solicitudes import PDF, _u
from dictamenes.models import Condicion, Contrato, Dictamen, Ente, Entrega, Solicitud
from dictamenes.seguimiento.services import contratos, entregas
from dictamenes.seguimiento.services.condiciones import condiciones_crear
from dictamenes.senales import services as senales

ENLACES = "Enlaces de internet dedicados para oficinas regionales"  # demo.solicitudes
DOMINANTE = "Sistemas y Redes del Yaqui, S.A. de C.V."
OTROS = ("Papelería y Cómputo de Guaymas, S.A. de C.V.", "Tecnologías del Río Sonora, S.C.")
# The Registro Civil's contracts of this year under its history: (number, supplier, role).
NUMERO = "RC-DA-CTO-{anio}-{n:03d}"


def _acta(clave: str) -> ContentFile:
    contenido = PDF.replace(b"%PDF-1.4\n", f"%PDF-1.4\n% acta {clave}\n".encode())
    archivo = ContentFile(contenido, name=f"acta-{clave}.pdf")
    archivo.size = len(contenido)
    return archivo


def _aprobadas(contrato) -> dict[str, int]:
    return {
        str(d.partida.pk): d.cantidad_aprobada
        for d in entregas.aprobadas_del_dictamen(contrato.dictamen)
    }


def _entrega(contrato, *, fecha, pagado, cantidades) -> Entrega:
    return entregas.entrega_registrar(
        contrato=contrato,
        usuario=_u(f"requirente.{contrato.dictamen.solicitud.ente.siglas.lower()}"),
        fecha=fecha,
        archivo=_acta(contrato.numero),
        monto_pagado=pagado,
        cantidades=cantidades,
    )


def _entrega_a_tiempo() -> Solicitud | None:
    contrato = (
        Contrato.objects.filter(dictamen__solicitud__titulo=ENLACES, entregas__isnull=True)
        .select_related("dictamen__solicitud__ente")
        .first()
    )
    if contrato is None:
        return None
    _entrega(
        contrato, fecha=timezone.localdate(), pagado=contrato.monto, cantidades=_aprobadas(contrato)
    )
    return contrato.dictamen.solicitud


def _anio_del_registro_civil() -> list[Solicitud]:
    """Four contracts of the Registro Civil this year under favourable dictámenes of its
    history still valid on the contract's day (none of them yet contracted)."""
    hoy = timezone.localdate()
    # This year's once its end of August is long enough ago; before, last year's.
    anio = hoy.year if datetime.date(hoy.year, 10, 31) <= hoy else hoy.year - 1
    if Contrato.objects.filter(numero=NUMERO.format(anio=anio, n=1)).exists():
        return []
    # Contracted at the start of June, ended by the end of August: long enough ago that a
    # missing acta is overdue (senal_entrega_dias business days after the end).
    fecha, termino = datetime.date(anio, 6, 1), datetime.date(anio, 8, 31)
    candidatos = list(
        Dictamen.objects.filter(
            solicitud__ente__siglas="RC",
            resultado="favorable",
            cancelado_en__isnull=True,
            contratos__isnull=True,
            emitido_en__date__lt=fecha,
            vigencia_hasta__gte=fecha,
            solicitud__monto_estimado__lt=500_000,  # no quotes were asked for them
        )
        .select_related("solicitud__ente")
        .annotate(partidas=Sum("solicitud__partidas__cantidad"))
        .filter(partidas__gt=1)
        .order_by("emitido_en", "pk")[:8]
    )
    if len(candidatos) < 4:
        return []
    # The two largest for the supplier that concentrates the year; the two smallest for two
    # others.
    candidatos.sort(key=lambda d: (d.solicitud.monto_estimado, d.pk))
    pequenos, grandes = candidatos[:2], candidatos[-2:]
    requirente = _u("requirente.rc")
    hechos = {}
    for n, (dictamen, proveedor) in enumerate(
        [
            (grandes[0], DOMINANTE),
            (grandes[1], DOMINANTE),
            (pequenos[0], OTROS[0]),
            (pequenos[1], OTROS[1]),
        ],
        1,
    ):
        hechos[n] = contratos.contrato_registrar(
            dictamen=dictamen,
            usuario=requirente,
            numero=NUMERO.format(anio=anio, n=n),
            proveedor=proveedor,
            proveedor_rfc=rfc_de_empresa(proveedor),
            fecha=fecha,
            monto=(dictamen.solicitud.monto_estimado * Decimal("0.95")).quantize(Decimal("0.01")),
            termino=termino,
        )
    entregado = termino - datetime.timedelta(days=5)
    # Paid over the contract: the supplier's invoice with the extended warranty it never had.
    pagado = hechos[1]
    _entrega(
        pagado,
        fecha=entregado,
        pagado=(pagado.monto * Decimal("1.12")).quantize(Decimal("0.01")),
        cantidades=_aprobadas(pagado),
    )
    # Fewer units than approved, and the term already ended.
    menos = hechos[2]
    _entrega(
        menos,
        fecha=entregado,
        pagado=menos.monto,
        cantidades={k: max(v - 1, 0) for k, v in _aprobadas(menos).items()},
    )
    # On time and complete: no sign of its own.
    _entrega(hechos[3], fecha=entregado, pagado=hechos[3].monto, cantidades=_aprobadas(hechos[3]))
    # hechos[4]: no acta recorded.
    senales.senales_del_ente_actualizar(ente_id=Ente.objects.get(siglas="RC").pk, ejercicio=anio)
    return [c.dictamen.solicitud for c in hechos.values()]


def _condiciones_de_la_historia() -> Solicitud | None:
    """The history's last conditioned dictamen whose conditions were never made obligations:
    they are now, due from the day it was issued."""
    if Condicion.objects.filter(vence__lt=timezone.localdate()).exists():
        return None
    dictamen = (
        Dictamen.objects.filter(
            resultado="condicionado",
            cancelado_en__isnull=True,
            obligaciones__isnull=True,
            emitido_en__lt=timezone.now() - datetime.timedelta(days=120),
        )
        .exclude(condiciones="")
        .select_related("solicitud")
        .order_by("-emitido_en", "-pk")
        .first()
    )
    if dictamen is None:
        return None
    condiciones_crear(dictamen=dictamen, usuario=_u("admin"))
    return dictamen.solicitud


def _cierre_de_la_historia() -> Solicitud | None:
    """The history's last request presented in last December, with its signs."""
    anio = timezone.localdate().year - 1
    solicitud = (
        Solicitud.objects.filter(
            ejercicio=anio, presentada_en__date__gte=datetime.date(anio, 12, 20)
        )
        .exclude(estado=Solicitud.Estado.BORRADOR)
        .order_by("-presentada_en", "-pk")
        .first()
    )
    return solicitud


def cargar() -> list[Solicitud]:
    """The requests whose signs this module's steps changed (the caller recomputes them)."""
    hechas = []
    for hacer in (_entrega_a_tiempo, _condiciones_de_la_historia, _cierre_de_la_historia):
        if solicitud := hacer():
            hechas.append(solicitud)
    hechas += _anio_del_registro_civil()
    return hechas
