"""The signing machinery that issuing a dictamen (emision), cancelling and rectifying it
(rectificacion) and renewing its archive timestamps (sellos_archivo) share: who may hold the
pen (the role, the RFC, a valid e.firma), what a dictamen says (its canonical content, the
cadena original, what its PDF prints), sealing, rendering, signing and storing one
(`dictamen_sellar`), and the transaction whose stored files go away if it does not commit."""

import dataclasses
import datetime
import hashlib
import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from cryptography.hazmat.primitives import serialization
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.comun import metricas
from dictamenes.comun.enlaces import url_verificacion
from dictamenes.emision.documentos import efirma, largo_plazo, sello_tiempo
from dictamenes.emision.documentos.declaraciones import declaraciones_por_partida
from dictamenes.emision.documentos.pdf import (
    CondicionPdf,
    DatosDictamen,
    DecisionPdf,
    OpinionPdf,
    PartidaPdf,
    dictamen_pdf,
)
from dictamenes.emision.selectors import antecedentes
from dictamenes.models import Dictamen, Resultado, Solicitud
from dictamenes.organizacion.selectors.textos import membrete_imagen_leer, textos_vigentes
from dictamenes.precios.selectors.base import base_precio_texto
from dictamenes.seguimiento.services import condiciones as condiciones_servicio
from dictamenes.tramite.selectors.areas import cubiertas_de
from dictamenes.tramite.services import folios
from estandares.cumplimiento import Veredicto
from estandares.entradas import texto_normalizar

logger = logging.getLogger(__name__)

ERROR_NO_FIRMANTE = _("Solo quien tiene el rol de firmante emite o cancela dictámenes.")
ERROR_SIN_RFC_PERFIL = _("Su perfil no tiene RFC; pida al administrador que lo registre.")
ERROR_ALMACENAMIENTO = _(
    "No se pudo guardar el PDF firmado: el almacenamiento de archivos no responde. No se "
    "emitió el dictamen ni se ocupó su folio, y la solicitud sigue en espera de firma. "
    "Intente firmar de nuevo en unos minutos."
)


class AlmacenamientoNoDisponible(Exception):
    """The file storage (S3) did not take the signed PDF. Nothing was issued; the request
    can be signed again later. config.fallas answers it with a 503 page in Spanish."""


def pdf_nombre(*, folio: str) -> str:
    return "dictamen-" + folio.replace("/", "-") + ".pdf"


def contenido_canonico(
    *, solicitud, resultado, condiciones, motivos, vigencia_hasta, partidas=None
) -> bytes:
    """What the dictamen says, serialised canonically: its SHA-256 goes in the cadena.
    `partidas`: the request's items in primary-key order, when the caller already has them."""
    if partidas is None:
        partidas = solicitud.partidas.order_by("pk")
    partidas = [
        {
            "id": p.pk,
            "descripcion": p.descripcion,
            "perfil": p.perfil_id,
            "cantidad": p.cantidad,
            "precio_unitario": str(p.precio_unitario),
            "veredicto": p.veredicto,
        }
        | _decision_canonica(p)
        for p in partidas
    ]
    datos = {
        "solicitud": solicitud.folio,
        "ente": solicitud.ente.siglas,
        "asunto": solicitud.titulo,
        "partidas": partidas,
        "resultado": resultado,
        "condiciones": condiciones,
        "motivos": motivos,
        "vigencia_hasta": vigencia_hasta.isoformat(),
    }
    return json.dumps(datos, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def decision_de(partida):
    """The item's strategic decision, or None (dictámenes from before decisions per item)."""
    return getattr(partida, "decision", None)


def _decision_canonica(partida) -> dict:
    """The item's decision as the sealed content says it; nothing for an item without one, so
    that content made before decisions per item existed keeps its shape."""
    d = decision_de(partida)
    if d is None:
        return {}
    decision = {
        "resultado": d.resultado,
        "cantidad_aprobada": d.cantidad_aprobada,
        "monto_aprobado": str(d.monto_aprobado),
        "motivo": d.motivo.clave if d.motivo else "",
        "texto": d.texto,
    }
    # The price basis the dictamen prints is sealed with the decision (issue 62); a decision
    # kept without one keeps the content's shape, so older dictámenes recompute the same.
    if d.base_precio:
        decision["base_precio"] = d.base_precio
    return {"decision": decision}


def _decision_pdf(partida) -> DecisionPdf | None:
    d = decision_de(partida)
    if d is None:
        return None
    return DecisionPdf(
        resultado=d.get_resultado_display(),
        cantidad=d.cantidad_aprobada,
        importe=f"${d.monto_aprobado:,.2f}",
        motivo=d.motivo.nombre if d.motivo else "",
        texto=d.texto,
        base_precio=base_precio_texto(d.base_precio),
    )


def cadena_original(*, folio, momento, ente, resultado, contenido_sha256, rfc, numero) -> str:
    campos = [
        folio,
        momento.isoformat(timespec="seconds"),
        ente,
        resultado,
        contenido_sha256,
        rfc,
        numero,
    ]
    return "||" + "|".join(campos) + "||"


@dataclass(frozen=True)
class Decision:
    resultado: str
    condiciones: str
    motivos: str

    def __post_init__(self):
        # The content is hashed and sealed before the row is cleaned: it must already be the
        # text the row will store (NFC, line breaks as LF), or the seal would not match it.
        for campo in ("condiciones", "motivos"):
            texto = texto_normalizar(getattr(self, campo) or "", multilinea=True)
            object.__setattr__(self, campo, texto)


def partidas_del_dictamen(solicitud) -> list:
    """The request's items, in primary-key order, with what the PDF prints of each: one query
    for both the canonical content and the PDF."""
    return list(
        solicitud.partidas.select_related(
            "perfil__categoria__publicacion", "decision__motivo"
        ).order_by("pk")
    )


def datos_pdf(
    *,
    solicitud,
    partidas,
    folio,
    momento,
    decision,
    vigencia_hasta,
    firmante,
    cadena,
    sello,
    numero,
    condiciones=(),
    textos,
    rectifica="",
    vista_previa=False,
) -> DatosDictamen:
    """What the PDF prints. `condiciones`: the decision's conditions as (text, area), each
    due on the day condiciones_servicio.condicion_vence gives for `momento`. `textos`: the
    institution's texts it is issued under (models.TextosInstitucionales), which it prints."""
    edicion = partidas[0].perfil.categoria.publicacion if partidas else None
    declaraciones = declaraciones_por_partida(partidas)
    vence = (
        condiciones_servicio.condicion_vence(emitido_en=momento, textos=textos)
        if condiciones
        else None
    )
    revisiones = list(
        solicitud.revisiones.select_related("area", "revisor")
        .prefetch_related(cubiertas_de(solicitud=solicitud))
        .order_by("area__nombre", "-ronda")
    )
    vistas = set()
    opiniones = []
    for r in revisiones:  # the latest round of each area
        if r.area_id in vistas:
            continue
        vistas.add(r.area_id)
        opiniones.append(
            OpinionPdf(
                area=r.areas_texto,  # a fast-track review names every area it covered
                opinion=r.get_opinion_display(),
                revisor=r.revisor.get_full_name(),
                observaciones=r.observaciones,
            )
        )
    perfil = getattr(firmante, "perfil", None)
    return DatosDictamen(
        folio=folio,
        fecha=timezone.localdate(momento),
        emitido_en=timezone.localtime(momento),
        lugar=textos.lugar,
        institucion=textos.membrete_lineas,
        fundamentos=textos.fundamentos_lineas,
        membrete_imagen=membrete_imagen_leer(textos),
        ente=str(solicitud.ente),
        asunto=solicitud.titulo,
        tipo_operacion=solicitud.get_tipo_operacion_display(),
        folio_solicitud=solicitud.folio,
        monto=f"${solicitud.monto_estimado:,.2f} MXN",
        edicion_estandares=(
            f"versión {edicion.version}: {edicion.titulo}" if edicion else "sin partidas"
        ),
        antecedentes=antecedentes.antecedentes_de(
            solicitud=solicitud, unidad=textos.unidad_resuelve_nombre, revisiones=revisiones
        ),
        partidas=tuple(
            PartidaPdf(
                descripcion=p.descripcion,
                perfil=f"{p.perfil.categoria.nombre} · {p.perfil.nombre}",
                cantidad=p.cantidad,
                importe=f"${p.importe:,.2f}",
                resultado=str(Veredicto(p.veredicto).label) if p.veredicto else "—",
                declaraciones=declaraciones[p.pk],
                decision=_decision_pdf(p),
            )
            for p in partidas
        ),
        opiniones=tuple(opiniones),
        analisis=decision.motivos,
        resultado=str(Resultado(decision.resultado).label).upper(),
        condiciones=tuple(CondicionPdf(texto=texto, vence=vence) for texto, _area in condiciones),
        dias_condiciones=condiciones_servicio.dias_habiles(textos=textos) if condiciones else 0,
        vigencia_hasta=vigencia_hasta,
        firmante_nombre=firmante.get_full_name(),
        firmante_cargo=perfil.cargo if perfil else "",
        cadena_original=cadena,
        sello=sello,
        certificado_numero=numero,
        url_verificacion=url_verificacion(folio),
        rectifica=rectifica,
        con_vigencia=decision.resultado != Resultado.NO_FAVORABLE,
        vista_previa=vista_previa,
        **_totales(partidas),
    )


def _totales(partidas) -> dict:
    """Requested and approved totals, when the items have decisions."""
    decididas = [(p, decision_de(p)) for p in partidas]
    if not any(d for _p, d in decididas):
        return {}
    solicitado = sum((p.importe for p, _d in decididas), Decimal(0))
    aprobado = sum((d.monto_aprobado for _p, d in decididas if d), Decimal(0))
    return {"total_solicitado": f"${solicitado:,.2f}", "total_aprobado": f"${aprobado:,.2f}"}


def vigencia_hasta_de(momento) -> datetime.date:
    return timezone.localdate(momento) + relativedelta(months=settings.DICTAMENES_VIGENCIA_MESES)


def condiciones_del_dictamen(solicitud, decision) -> list:
    """The decision's conditions as (text, area): only a condicionado dictamen has them, as
    condiciones_crear follows them up."""
    if decision.resultado != Resultado.CONDICIONADO:
        return []
    return condiciones_servicio.condiciones_de(solicitud=solicitud, texto=decision.condiciones)


def exigir_rol_firmante(usuario) -> None:
    if not usuario.has_perm("dictamenes.firmar_dictamen"):
        raise PermissionDenied(ERROR_NO_FIRMANTE)


def exigir_firmante(usuario, credencial, momento, *, con_pdf: bool = True):
    """The signer may sign now: role, RFC, e.firma valid and not revoked, and (`con_pdf`: a
    PDF will be signed) a TSA to timestamp the signature. Returns the validation context
    holding the revocation answer."""
    exigir_rol_firmante(usuario)
    perfil = getattr(usuario, "perfil", None)
    if perfil is None or not perfil.rfc:
        raise ValidationError(ERROR_SIN_RFC_PERFIL, code="sin_rfc")
    if con_pdf:
        sello_tiempo.sellador()  # no TSA configured: refuse before anything else
    return efirma.credencial_verificar(credencial=credencial, rfc=perfil.rfc, momento=momento)


def dictamen_sellar(
    *,
    solicitud,
    usuario,
    credencial,
    decision,
    momento,
    guardados,
    sustituye=None,
    contexto=None,
    partidas=None,
) -> Dictamen:
    """Seal, render, sign and store one dictamen. Runs inside the caller's transaction, so a
    failure anywhere gives the folio number back. The PDF is stored before the row is written
    and the transaction commits last: a dictamen row never points to a missing file. The
    stored name goes in `guardados` so that a rollback removes the file too.

    The conditions are signed without the area prefixes that say who verifies each: the
    caller passes the decision's own text to condiciones_crear, which keeps the areas.
    `partidas`: partidas_del_dictamen(solicitud), when the caller reads them for its notice
    too; otherwise they are read here."""
    vigencia_hasta = vigencia_hasta_de(momento)
    condiciones = condiciones_del_dictamen(solicitud, decision)
    if decision.condiciones:  # none (most dictámenes): no prefix to take off, no areas to read
        decision = dataclasses.replace(
            decision,
            condiciones=condiciones_servicio.condiciones_sin_area(texto=decision.condiciones),
        )
    textos = textos_vigentes()  # a new dictamen is issued under the texts in force
    folio = folios.folio_dictamen(textos=textos, anio=timezone.localdate(momento).year)
    if partidas is None:
        partidas = partidas_del_dictamen(solicitud)
    contenido = contenido_canonico(
        solicitud=solicitud,
        resultado=decision.resultado,
        condiciones=decision.condiciones,
        motivos=decision.motivos,
        vigencia_hasta=vigencia_hasta,
        partidas=partidas,
    )
    contenido_sha256 = hashlib.sha256(contenido).hexdigest()
    cadena = cadena_original(
        folio=folio,
        momento=timezone.localtime(momento),
        ente=solicitud.ente.siglas,
        resultado=decision.resultado,
        contenido_sha256=contenido_sha256,
        rfc=credencial.rfc,
        numero=credencial.numero,
    )
    sello = efirma.sellar(credencial=credencial, cadena=cadena)
    datos = datos_pdf(
        solicitud=solicitud,
        partidas=partidas,
        folio=folio,
        momento=momento,
        decision=decision,
        vigencia_hasta=vigencia_hasta,
        firmante=usuario,
        cadena=cadena,
        sello=sello,
        numero=credencial.numero,
        condiciones=condiciones,
        textos=textos,
        rectifica=sustituye.folio if sustituye else "",
    )
    pdf = dictamen_pdf(datos)
    # What the firmante waits for: the PAdES signature with its timestamp and revocation data.
    with metricas.FIRMA_SEGUNDOS.time():
        firmado = efirma.firmar_pdf(
            credencial=credencial,
            pdf=pdf,
            razon=f"Dictamen {folio}",
            lugar=textos.lugar,
            contexto=contexto,
        )
    dictamen = Dictamen(
        solicitud=solicitud,
        folio=folio,
        resultado=decision.resultado,
        condiciones=decision.condiciones,
        motivos=decision.motivos,
        vigencia_hasta=vigencia_hasta,
        firmado_por=usuario,
        firmante_nombre=datos.firmante_nombre,
        firmante_cargo=datos.firmante_cargo,
        emitido_en=momento,
        contenido_sha256=contenido_sha256,
        cadena_original=cadena,
        sello=sello,
        certificado_numero=credencial.numero,
        certificado_rfc=credencial.rfc,
        certificado_pem=credencial.certificado.public_bytes(serialization.Encoding.PEM).decode(
            "ascii"
        ),
        pdf_sha256=hashlib.sha256(firmado).hexdigest(),
        sello_archivo_vence=largo_plazo.vence_sello_archivo(firmado),
        sustituye=sustituye,
        textos=textos,
    )
    try:
        dictamen.pdf.save(pdf_nombre(folio=folio), ContentFile(firmado), save=False)
    except Exception as exc:
        logger.exception("No se pudo guardar el PDF del dictamen %s en el almacenamiento", folio)
        raise AlmacenamientoNoDisponible(ERROR_ALMACENAMIENTO) from exc
    guardados.append(dictamen.pdf.name)
    # Every field is validated, and the folio's uniqueness. Not re-read here: that the request,
    # the signer, the replaced dictamen and the texts exist (this transaction holds them: the
    # first and the third locked, the texts just read) and the one-dictamen-in-force rule
    # (checked under the same lock before signing, or the old one was just cancelled); the
    # database enforces both regardless.
    dictamen.full_clean(
        exclude=["solicitud", "firmado_por", "sustituye", "textos"], validate_constraints=False
    )
    dictamen.save()
    return dictamen


@contextmanager
def transaccion_con_archivos():
    """A transaction whose stored files go away if it does not commit (Django has no
    on_rollback hook). The commit happens when the `with` block ends, inside the `try`, so a
    failed commit also removes them. Nested in an outer transaction that rolls back later,
    the file stays as an unreferenced private object under a fresh key: harmless, since the
    retry stores its PDF under another key (file_overwrite is off)."""
    guardados: list[str] = []
    try:
        with transaction.atomic():
            yield guardados
    except BaseException:
        from django.core.files.storage import default_storage

        for nombre in guardados:
            try:
                default_storage.delete(nombre)
            except Exception:
                logger.warning("Quedó el archivo huérfano %s en el almacenamiento", nombre)
        raise


def solicitud_bloqueada(pk) -> Solicitud:
    """The request, locked until commit (only its own row), with its agency and process that
    the issuance reads anyway."""
    return (
        Solicitud.objects.select_for_update(of=("self",))
        .select_related("ente", "proceso")
        .get(pk=pk)
    )
