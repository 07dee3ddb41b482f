"""OCDS 1.1 releases of the requests, from the audit chain, each kept as first published.

A request becomes a contracting process in its planning stage when it is presented; its ocid
is the prefix the Open Contracting Partnership assigns (settings.OCDS_PREFIJO_OCID) and its
folio. Each event of its life that the public should know of is one release:

    presentacion                 planning        budget, breakdown, rationale, items
    dictamen                     planningUpdate  the signed dictamen and each item's decision
    rectificacion                planningUpdate  the new dictamen, the old one marked rectified
    cancelacion                  planningUpdate  the dictamen cancelled: tender "withdrawn"
    cancelacion_solicitud,
    desistimiento, desechada     planningUpdate  closed without a dictamen: tender "withdrawn"
    contrato_registrado          award, contract the award, the contract and its supplier;
                                             «pending» while it waits for the strategic
                                             reviewer (issue 76, item 2)
    contrato_autorizado,
    contrato_no_autorizado       awardUpdate, the same award and contract, «active» once
                                 contractUpdate  authorised, «cancelled» if not
    entrega_registrada           implementation  the payment and the acta (issue 80)

The strategic decision and a proposed rectification are steps inside the Subsecretaría: they
are published when signed, with the dictamen that carries them.

The release's id is the ocid and the audit event's number, so it never changes; its date is
the event's, to the second, unless an earlier release of the same ocid has that second
already: then it is a second after that one (publico.ocds.guardadas), so that no two releases
of an ocid share a date and ocdsmerge, which orders them by date, orders them as they
happened. A presented request without events of its own (history imported from before the
system) is published with what it has: a planning release when presented and an update when
attended (sin_historia).

A release is worked out from the database the first time it is published (a month's package or
a record asks for it), with what the event recorded where it recorded it (the amount declared,
the contract) and the rest as it was then, and kept as it was published (publico.ocds.guardadas:
EntregaOCDS, and EntregaOCDSHistorica for a request without history): it never changes after,
as the standard wants (publico/ocds/extension/README.md), whatever is renamed later (the
institution, an agency).

No personal data, as in the register (publico.datos_abiertos): nobody who acted is named, and
text people typed goes through texto_publicable (an RFC or CURP in it shows masked, an
e-mail address or a telephone number hidden), the agency's name and acronym and the
institution's name too.
"""

import datetime
import json
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from dictamenes.comun.enlaces import url_verificacion
from dictamenes.models import (
    DecisionPartida,
    Dictamen,
    EventoAuditoria,
    Partida,
    Resultado,
    Solicitud,
)
from dictamenes.models.vias import monto_aprobado
from dictamenes.organizacion.selectors.entes import nombre_en, nombres_anteriores
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.precios.selectors.base import unidad_texto
from publico.datos_personales import nombre_publicable, texto_publicable
from publico.ocds.proveedores import id_de_parte, id_proveedor, proveedor_de

MONEDA = "MXN"
PLANEACION, ACTUALIZACION = ["planning"], ["planningUpdate"]
# The contract's release also carries the award it stems from (awards[], with the supplier).
CONTRATO = ["award", "contract"]
# The audit event's type -> the release's tag.
ETIQUETAS = {
    "presentacion": PLANEACION,
    "dictamen": ACTUALIZACION,
    "rectificacion": ACTUALIZACION,
    "cancelacion": ACTUALIZACION,
    "cancelacion_solicitud": ACTUALIZACION,
    "desistimiento": ACTUALIZACION,
    "desechada": ACTUALIZACION,
    "contrato_registrado": CONTRATO,
    "contrato_autorizado": ["awardUpdate", "contractUpdate"],
    "contrato_no_autorizado": ["awardUpdate", "contractUpdate"],
    "entrega_registrada": ["implementation"],
}
# A contract over the approved total by more than the office's tolerance is published as
# pending until the strategic reviewer's word (dictamenes.seguimiento.services.contratos).
ESTADO_DEL_CONTRATO = {
    "pendiente": "pending",
    "contrato_autorizado": "active",
    "contrato_no_autorizado": "cancelled",
}
# Closed without a dictamen in force: no contracting follows under this ocid.
RETIRO = frozenset({"cancelacion", "cancelacion_solicitud", "desistimiento", "desechada"})
ID_REVISORA = "MX-DICTAMEN-TIC"
_APROBADA, _NO_APROBADA = DecisionPartida.Resultado.APROBADA, DecisionPartida.Resultado.NO_APROBADA


def ocid_de(folio: str) -> str:
    return f"{settings.OCDS_PREFIJO_OCID}-{folio}"


def folio_de(ocid: str) -> str | None:
    """The folio in an ocid of this publisher (None: not one of ours)."""
    prefijo = f"{settings.OCDS_PREFIJO_OCID}-"
    return ocid.removeprefix(prefijo) if ocid.startswith(prefijo) else None


def eventos():
    """The audit events that are releases: of presented requests, never of drafts (a draft
    has no folio and none of these events)."""
    return EventoAuditoria.objects.filter(
        tipo__in=ETIQUETAS, solicitud__folio__isnull=False, solicitud__importada=False
    )


def fecha_iso(momento: datetime.datetime) -> str:
    return timezone.localtime(momento).replace(microsecond=0).isoformat()


def _valor(monto) -> dict:
    return {"amount": float(Decimal(monto)), "currency": MONEDA}


def _sin_vacios(valor):
    """Drop empty strings, lists, objects and None, at any depth: OCDS asks not to publish
    empty fields (libcoveocds' additional check "empty_field")."""
    if isinstance(valor, dict):
        limpio = {k: _sin_vacios(v) for k, v in valor.items()}
        return {k: v for k, v in limpio.items() if v not in (None, "", [], {})}
    if isinstance(valor, list):
        return [v for v in map(_sin_vacios, valor) if v not in (None, "", [], {})]
    return valor


class Contexto:
    """What the releases of a set of events read, in a fixed number of queries whatever
    the number of events: the requests (with the events), their items with their profiles
    and decisions, their dictámenes, and the institution's name."""

    def __init__(self, lista: list):
        ids = {e.solicitud_id for e in lista}
        self.partidas = defaultdict(list)
        for p in (
            Partida.objects.filter(solicitud_id__in=ids)
            .select_related("perfil__categoria__publicacion", "decision__motivo")
            .order_by("solicitud_id", "pk")
        ):
            self.partidas[p.solicitud_id].append(p)
        self.dictamenes = {
            d.pk: d
            for d in Dictamen.objects.filter(solicitud_id__in=ids).only(
                "pk", "folio", "resultado", "emitido_en", "pdf_sha256", "solicitud_id"
            )
        }
        self.institucion = textos_vigentes().institucion
        # A release first published after the agency was renamed names it as it was called
        # on the release's date (issue 59), as one published on that day did.
        self.nombres_anteriores = nombres_anteriores()


def _partes(solicitud, ctx: Contexto, fecha: datetime.datetime) -> tuple[list, dict]:
    ente = solicitud.ente
    nombre = nombre_en(
        ente_id=ente.pk,
        actual=ente.nombre,
        fecha=timezone.localtime(fecha).date(),
        anteriores=ctx.nombres_anteriores,
    )
    # The acronym and the institution's name are typed by people too (issue 77).
    comprador = {
        "id": f"MX-ENTE-{nombre_publicable(ente.siglas)}",
        "name": nombre_publicable(nombre),
    }
    return [
        {**comprador, "roles": ["buyer"]},
        {"id": ID_REVISORA, "name": nombre_publicable(ctx.institucion), "roles": ["reviewBody"]},
    ], comprador


def _desglose(partidas) -> list:
    """One entry per chapter and partida específica of the items, with their amount."""
    montos = defaultdict(Decimal)
    for p in partidas:
        montos[(p.capitulo, p.partida_especifica)] += p.importe
    return [
        {
            "id": f"{capitulo}-{partida}",
            "description": f"Capítulo {capitulo}, partida específica {partida}",
            "amount": _valor(monto),
            "classifications": {"capitulo": capitulo, "partida": partida},
        }
        for (capitulo, partida), monto in sorted(montos.items())
    ]


def _articulo(p: Partida) -> dict:
    perfil = p.perfil
    return {
        "id": str(p.pk),
        "description": texto_publicable(p.descripcion),
        "quantity": p.cantidad,
        # What the unit price is for (issue 62): «pieza», «servicio de 12 meses», «licencia
        # de 36 meses», the words the dictamen uses after its «por».
        "unit": {
            "name": unidad_texto(p.unidad, p.meses).removeprefix("por "),
            "value": _valor(p.precio_unitario),
        },
        "classification": {
            "scheme": "COG",
            "id": p.partida_especifica,
            "description": f"Capítulo {p.capitulo}, partida específica {p.partida_especifica}",
        },
        "perfilEstandar": {
            "id": perfil.clave,
            "nombre": perfil.nombre,
            "categoria": perfil.categoria.nombre,
            "edicion": perfil.categoria.publicacion.version,
        },
    }


def _decision(p: Partida, resultado_dictamen: str) -> dict:
    """The item as the dictamen decided it: the decision recorded on it, or (dictámenes
    issued before decisions per item) the whole item, none of it when no favorable."""
    decision = getattr(p, "decision", None)
    aprobado = monto_aprobado(partida=p, decision=decision, resultado_dictamen=resultado_dictamen)
    if resultado_dictamen == Resultado.NO_FAVORABLE:
        clave, cantidad = _NO_APROBADA.value, 0
    elif decision is None:
        clave, cantidad = _APROBADA.value, p.cantidad
    else:
        clave, cantidad = decision.resultado, decision.cantidad_aprobada
    # Approving less and not approving both cite a reason from the catalogue.
    motivo = decision.motivo if decision is not None and clave != _APROBADA else None
    return {
        "id": str(p.pk),
        "decisionDictamen": {
            "resultado": clave,
            "cantidadAprobada": cantidad,
            "montoAprobado": _valor(aprobado),
            "ahorro": _valor(p.importe - aprobado),
            "motivo": {"id": motivo.clave, "nombre": texto_publicable(motivo.nombre)}
            if motivo
            else None,
            "explicacion": texto_publicable(decision.texto) if decision is not None else "",
        },
    }


def _documento(d: Dictamen, estado: str) -> dict:
    return {
        "id": d.folio,
        "documentType": "needsAssessment",
        "title": f"Dictamen técnico y estratégico de TIC {d.folio}",
        "description": f"Resultado: {d.get_resultado_display()}",
        "url": url_verificacion(d.folio),
        "datePublished": fecha_iso(d.emitido_en),
        # The address is the public verification page, which shows the dictamen and links
        # its signed PDF.
        "format": "text/html",
        "language": "es",
        "sha256": d.pdf_sha256,
        "estadoDictamen": estado,
    }


def _estado_de_licitacion(resultado: str) -> str:
    # A favourable dictamen lets the agency contract: the process is planned. A no favorable
    # one does not: it stays in planning, said each time, so that a rectification to no
    # favorable takes back the "planned" of the first dictamen in the compiled record.
    return "planning" if resultado == Resultado.NO_FAVORABLE else "planned"


def _dictaminada(evento, solicitud, ctx, planeacion, licitacion) -> None:
    dictamen = ctx.dictamenes.get(evento.datos.get("dictamen") or evento.datos.get("nuevo"))
    if dictamen is None:
        return
    documentos = [_documento(dictamen, "emitido")]
    anterior = ctx.dictamenes.get(evento.datos.get("anterior"))
    if anterior is not None:
        documentos.insert(0, {**_documento(anterior, "rectificado"), "dateModified": evento.fecha})
    planeacion["documents"] = documentos
    licitacion["status"] = _estado_de_licitacion(dictamen.resultado)
    licitacion["items"] = [_decision(p, dictamen.resultado) for p in ctx.partidas[solicitud.pk]]


def _contrato(evento, entrega: dict) -> None:
    datos, ocid = evento.datos, entrega["ocid"]
    if evento.tipo != "contrato_registrado":
        _contrato_resuelto(evento, entrega)
        return
    estado = "pending" if datos.get("autorizacion") == "pendiente" else "active"
    ref, parte = proveedor_de(datos)
    adjudicacion = f"{ocid}-adjudicacion-{evento.numero}"
    entrega["parties"].append(parte)
    entrega["awards"] = [
        {
            "id": adjudicacion,
            "status": estado,
            "value": _valor(datos["monto"]),
            "suppliers": [ref],
        }
    ]
    numero = texto_publicable(datos.get("numero", ""))
    entrega["contracts"] = [
        {
            "id": f"{ocid}-contrato-{evento.numero}",
            "awardID": adjudicacion,
            "title": f"Contrato {numero}",
            "description": f"Registrado bajo el dictamen {datos.get('dictamen', '')}"
            + (": en espera de la revisión estratégica" if estado == "pending" else ""),
            "status": estado,
            "value": _valor(datos["monto"]),
            "dateSigned": _dia(datos["fecha"]),
            # When it ends (issue 80), when the agency said.
            "period": {"endDate": _dia(datos["termino"])} if datos.get("termino") else None,
        }
    ]


def _dia(texto: str) -> str:
    """A date the event recorded (ISO), at the start of that day here."""
    return fecha_iso(
        datetime.datetime.combine(
            datetime.date.fromisoformat(texto),
            datetime.time(),
            tzinfo=timezone.get_current_timezone(),
        )
    )


def _entrega_del_contrato(evento, entrega: dict, comprador: dict) -> None:
    """A delivery under a contract (issue 80): the contract, by the id its registration's
    release gave it, with its implementation: what was paid, from the buyer to the supplier
    (none when nothing was), and the acta de entrega-recepción, by its date and SHA-256 (the
    file stays with the request: an acta names the people who sign it)."""
    datos, ocid = evento.datos, entrega["ocid"]
    registro = datos.get("evento_registro")
    if registro is None:  # a contract without its registration's event names no contract
        return
    ref, parte = proveedor_de(datos)
    entrega["parties"].append(parte)
    pagado = Decimal(datos["monto_pagado"])
    transacciones = (
        [
            {
                "id": f"{ocid}-pago-{evento.numero}",
                "date": _dia(datos["fecha"]),
                "value": _valor(pagado),
                "payer": dict(comprador),
                "payee": ref,
            }
        ]
        if pagado > 0
        else []
    )
    entrega["contracts"] = [
        {
            "id": f"{ocid}-contrato-{registro}",
            "awardID": f"{ocid}-adjudicacion-{registro}",
            "implementation": {
                "transactions": transacciones,
                "documents": [
                    {
                        "id": f"{ocid}-acta-{evento.numero}",
                        "documentType": "completionCertificate",
                        "title": "Acta de entrega-recepción",
                        "description": f"Contrato {texto_publicable(datos.get('numero', ''))}, "
                        f"acta del {datetime.date.fromisoformat(datos['fecha']):%d/%m/%Y}",
                        "datePublished": evento.fecha,
                        "format": datos.get("formato", ""),
                        "language": "es",
                        "sha256": datos.get("sha256", ""),
                    }
                ],
            },
        }
    ]


def enmascarar(entrega: dict) -> dict:
    """A release kept as first published, its text people typed masked again with today's
    predicate (issue 77): what entrega_de passes through texto_publicable or
    nombre_publicable, at the same places, and the supplier's id worked out again from its
    masked name. A release written by entrega_de today comes back equal (masking is
    idempotent); one kept before the detector recognised a form comes back without it."""
    mascara = texto_publicable

    def nombre(objeto: dict, clave: str, como=nombre_publicable) -> None:
        if isinstance(objeto.get(clave), str):
            objeto[clave] = como(objeto[clave])

    entrega = json.loads(json.dumps(entrega))
    # A supplier's id as its party gives it: its company's RFC, or its masked name's digest.
    ids: dict[str, str] = {}

    def id_de(ref: dict) -> str:
        return ids.get(ref.get("id"), "") or id_proveedor(ref["name"])

    for parte in [*entrega.get("parties", []), entrega.get("buyer") or {}]:
        nombre(parte, "name")
        if "supplier" in parte.get("roles", []):
            nombre(parte.get("identifier") or {}, "legalName")
            ids[parte["id"]] = parte["id"] = id_de_parte(parte)
        else:
            nombre(parte, "id")
    for adjudicacion in entrega.get("awards", []):
        for proveedor in adjudicacion.get("suppliers", []):
            nombre(proveedor, "name", mascara)
            proveedor["id"] = id_de(proveedor)
    for contrato in entrega.get("contracts", []):
        nombre(contrato, "title", mascara)
        for documento in (contrato.get("implementation") or {}).get("documents", []):
            nombre(documento, "description", mascara)
        for transaccion in (contrato.get("implementation") or {}).get("transactions", []):
            nombre(transaccion.get("payer") or {}, "name")
            nombre(transaccion.get("payer") or {}, "id")
            beneficiario = transaccion.get("payee") or {}
            nombre(beneficiario, "name", mascara)
            if "name" in beneficiario:
                beneficiario["id"] = id_de(beneficiario)
    nombre(entrega.get("planning") or {}, "rationale", mascara)
    licitacion = entrega.get("tender") or {}
    nombre(licitacion, "title", mascara)
    for articulo in licitacion.get("items", []):
        nombre(articulo, "description", mascara)
        decision = articulo.get("decisionDictamen") or {}
        nombre(decision, "explicacion", mascara)
        nombre(decision.get("motivo") or {}, "nombre", mascara)
    return entrega


def _contrato_resuelto(evento, entrega: dict) -> None:
    """The strategic reviewer's word on a pending contract: its award and contract, by the ids
    the registration's release gave them, active or cancelled."""
    datos, ocid = evento.datos, entrega["ocid"]
    registro = datos["evento_registro"]
    estado = ESTADO_DEL_CONTRATO[evento.tipo]
    entrega["awards"] = [{"id": f"{ocid}-adjudicacion-{registro}", "status": estado}]
    entrega["contracts"] = [
        {
            "id": f"{ocid}-contrato-{registro}",
            "awardID": f"{ocid}-adjudicacion-{registro}",
            "status": estado,
        }
    ]


def entrega_de(evento, ctx: Contexto, fecha: datetime.datetime) -> dict:
    solicitud = evento.solicitud
    ocid = ocid_de(solicitud.folio)
    evento.fecha = fecha_iso(fecha)
    partes, comprador = _partes(solicitud, ctx, fecha)
    entrega = {
        "ocid": ocid,
        "id": f"{ocid}-{evento.numero}",
        "date": evento.fecha,
        "tag": list(ETIQUETAS.get(evento.tipo, ACTUALIZACION)),
        "initiationType": "tender",
        "language": "es",
        "parties": partes,
        "buyer": comprador,
    }
    planeacion, licitacion = {}, {"id": solicitud.folio}
    if evento.tipo == "presentacion":
        partidas = ctx.partidas[solicitud.pk]
        declarado = evento.datos.get("monto_declarado") or solicitud.monto_estimado
        planeacion["rationale"] = texto_publicable(solicitud.justificacion)
        planeacion["budget"] = {
            "id": f"{solicitud.folio}-presupuesto",
            "description": f"Ejercicio fiscal {solicitud.ejercicio}",
            "amount": _valor(declarado),
            "budgetBreakdown": _desglose(partidas),
        }
        licitacion |= {
            "title": texto_publicable(solicitud.titulo),
            "status": "planning",
            "items": [_articulo(p) for p in partidas],
        }
    elif evento.tipo in ("dictamen", "rectificacion"):
        _dictaminada(evento, solicitud, ctx, planeacion, licitacion)
    elif evento.tipo == DICTAMINADA_SIN_HISTORIA:
        licitacion["status"] = _estado_de_licitacion(evento.datos["resultado"])
    elif evento.tipo in RETIRO:
        licitacion["status"] = "withdrawn"
        cancelado = ctx.dictamenes.get(evento.datos.get("dictamen"))
        if evento.tipo == "cancelacion" and cancelado is not None:
            planeacion["documents"] = [
                {**_documento(cancelado, "cancelado"), "dateModified": evento.fecha}
            ]
    elif evento.tipo in ("contrato_registrado", *ESTADO_DEL_CONTRATO):
        _contrato(evento, entrega)
    elif evento.tipo == "entrega_registrada":
        _entrega_del_contrato(evento, entrega, comprador)
    entrega["planning"] = planeacion
    entrega["tender"] = licitacion
    return _sin_vacios(entrega)


def sin_historia():
    """Presented requests without an audit trail of their own: the history imported from
    before the system (a folio, dates, an amount and a result; no items, events or dictamen
    rows). Each is published as what it has: a planning release when it was presented and,
    once attended, an update when it was."""
    return Solicitud.objects.filter(folio__isnull=False, presentada_en__isnull=False).filter(
        ~Exists(EventoAuditoria.objects.filter(solicitud_id=OuterRef("pk"), tipo="presentacion"))
    )


# How a request without history was closed, as the event that would have said so.
DICTAMINADA_SIN_HISTORIA = "dictaminada_sin_historia"
_CIERRES = {
    Solicitud.Estado.DICTAMINADA: DICTAMINADA_SIN_HISTORIA,
    Solicitud.Estado.DESECHADA: "desechada",
    Solicitud.Estado.CANCELADA: "cancelacion_solicitud",
    Solicitud.Estado.DESISTIDA: "desistimiento",
}


CERRADAS = tuple(_CIERRES)
# The facts of a request without history, as its releases' ids end.
PRESENTADA, ATENDIDA = "presentada", "atendida"


def hechos_sin_historia(solicitud) -> list[SimpleNamespace]:
    """The facts of a request without history, shaped as audit events; their "number" (the
    release id's end) is the fact's name, as stable as an event's number."""

    def hecho(numero, tipo, momento, **datos):
        return SimpleNamespace(
            numero=numero,
            tipo=tipo,
            datos=datos,
            ocurrido_en=momento,
            solicitud=solicitud,
            solicitud_id=solicitud.pk,
        )

    hechos = [hecho(PRESENTADA, "presentacion", solicitud.presentada_en)]
    cierre = _CIERRES.get(solicitud.estado)
    if cierre and solicitud.atendida_en:
        hechos.append(hecho(ATENDIDA, cierre, solicitud.atendida_en, resultado=solicitud.resultado))
    return hechos


_CAMPOS_SOLICITUD = (
    "folio",
    "ejercicio",
    "titulo",
    "justificacion",
    "monto_estimado",
    "estado",
    "resultado",
    "presentada_en",
    "atendida_en",
    "ente__siglas",
    "ente__nombre",
)


def hechos_de(consulta, historicas, rango) -> list:
    """The events in `consulta` (a filter of eventos()) and the facts of the requests in
    `historicas` (a filter of sin_historia()); with `rango` (start, end), only those dated in it."""
    hechos = list(
        consulta.select_related("solicitud__ente").only(
            "numero",
            "tipo",
            "datos",
            "ocurrido_en",
            "solicitud_id",
            *(f"solicitud__{campo}" for campo in _CAMPOS_SOLICITUD),
        )
    )
    if historicas is not None:
        for solicitud in historicas.select_related("ente").only(*_CAMPOS_SOLICITUD):
            hechos.extend(hechos_sin_historia(solicitud))
    if rango is not None:
        hechos = [h for h in hechos if rango[0] <= h.ocurrido_en < rango[1]]
    return hechos


def orden(ocurrido_en, numero) -> tuple:
    # By date; an event's number orders two at the same instant.
    return (ocurrido_en, isinstance(numero, str), str(numero).zfill(20))


def revisora(entrega: dict) -> str | None:
    """The reviewing body's name in a release, as it was when the release was published."""
    nombres = (p.get("name") for p in entrega.get("parties", []) if p.get("id") == ID_REVISORA)
    return next(nombres, None)
