"""The conditions of a favorable condicionado dictamen, kept as obligations.

When the dictamen is issued, each non-empty line of its conditions (as the Dirección General
wrote them in the strategic decision, bullets and numbering removed) becomes a `Condicion`,
due the business days of the institution's texts it was issued under (models.textos; 20 at
first, from DJANGO_CONDICION_DIAS_HABILES) after the issue, on the project's calendar.

Who verifies it is the area that proposed it, found simply:
- a line that begins with an area's name or key and a colon ("<nombre del área>: ...",
  "<clave del área>: ...") belongs to that area;
- otherwise, when a single area reviewed the request, to that area;
- otherwise to no area: the Dirección General, which wrote it, verifies it.

A condition whose text says it is met before contracting («… antes de contratar», «previo a
la contratación»: ANTES_DE_CONTRATAR) is marked so: a contract recorded while it is unmet is
signalled (seguimiento.services.contratos).

Then the agency (its requirentes) uploads evidence, checked by content like any anexo; the
area's reviewers verify it or reject it with a reason; a rejected one takes new evidence.
Every step passes through `_condicion_mover`, which writes the audit event in the same
transaction. Met "on time" means the accepted evidence was uploaded by the due date.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from dictamenes.avisos import services as avisos
from dictamenes.comun import archivos
from dictamenes.comun.auditoria import evento_registrar
from dictamenes.comun.fechas import fecha_larga
from dictamenes.models import Area, Condicion, Dictamen, EvidenciaCondicion, Resultado
from dictamenes.models.articulos import con_articulo
from dictamenes.organizacion.selectors.calendario import sumar_dias_habiles
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.selectors.usuarios import correos_con_permiso
from dictamenes.seguimiento.selectors.condiciones import (
    ERROR_DICTAMEN_CANCELADO,
    ERROR_EN_VERIFICACION,
    ERROR_NO_VERIFICA,
    ERROR_NO_VERIFICA_DG,
    ERROR_SIN_EVIDENCIA,
    ERROR_YA_CUMPLIDA,
    impedimento_para_subir,
    impedimento_para_verificar,
)
from dictamenes.seguimiento.selectors.condiciones import PREFIJO as _PREFIJO
from dictamenes.seguimiento.selectors.condiciones import VINETA as _VINETA
from dictamenes.seguimiento.selectors.condiciones import clave_de_area as _clave
from dictamenes.seguimiento.selectors.condiciones import (
    condiciones_sin_area as condiciones_texto_sin_area,
)
from dictamenes.senales.services import senales_actualizar
from estandares.entradas import texto_normalizar
from estandares.motivos import motivo_leer

__all__ = [
    "ERROR_DICTAMEN_CANCELADO",
    "ERROR_EN_VERIFICACION",
    "ERROR_MOTIVO",
    "ERROR_NO_VERIFICA",
    "ERROR_NO_VERIFICA_DG",
    "ERROR_SIN_ARCHIVO",
    "ERROR_SIN_EVIDENCIA",
    "ERROR_YA_CUMPLIDA",
    "condicion_evidencia_subir",
    "condicion_rechazar",
    "condicion_vence",
    "condicion_verificar",
    "condiciones_crear",
    "condiciones_de",
    "condiciones_sin_area",
    "exigir_puede_subir",
    "exigir_puede_verificar",
]

ERROR_MOTIVO = _("Escriba por qué rechaza la evidencia: el ente lo leerá para corregirla.")
ERROR_SIN_ARCHIVO = _("Adjunte el archivo con la evidencia.")


def dias_habiles(*, textos=None) -> int:
    """Business days to meet each condition: the institution's texts' (`textos`, a dictamen's
    version; by default the version in force, which the administrator edits)."""
    return (textos or textos_vigentes()).condicion_dias_habiles


def condiciones_separar(*, texto: str, areas, area_unica) -> list[tuple[str, object]]:
    """The conditions' text as (condition, area or None), one per non-empty line."""
    por_nombre = {_clave(a.nombre): a for a in areas} | {_clave(a.clave): a for a in areas}
    resultado = []
    for linea in (texto or "").splitlines():
        linea = _VINETA.sub("", linea).strip()
        if not linea:
            continue
        area = area_unica
        if (prefijo := _PREFIJO.match(linea)) and _clave(prefijo[1]) in por_nombre:
            area, linea = por_nombre[_clave(prefijo[1])], prefijo[2].strip()
            linea = linea[:1].upper() + linea[1:]
        resultado.append((linea, area))
    return resultado


def condicion_vence(*, emitido_en, textos=None):
    """The day a dictamen's conditions are due: dias_habiles(textos) business days after its
    issue. The PDF prints it and each Condicion keeps it, from this one rule."""
    return sumar_dias_habiles(
        desde=timezone.localdate(emitido_en), dias=dias_habiles(textos=textos)
    )


def condiciones_de(*, solicitud, texto: str) -> list[tuple[str, object]]:
    """The conditions `texto` sets on `solicitud` as (condition, area or None): the area named
    by the line's prefix, or the only area that reviewed it."""
    revisadas = set(solicitud.revisiones.values_list("area_id", flat=True))
    areas = list(Area.objects.all())
    area_unica = (
        next((a for a in areas if a.pk in revisadas), None) if len(revisadas) == 1 else None
    )
    return condiciones_separar(texto=texto, areas=areas, area_unica=area_unica)


def condiciones_sin_area(*, texto: str) -> str:
    """The conditions as the dictamen states them, without the area prefixes («Cómputo: …»)
    that say who verifies each (selectors.condiciones.condiciones_sin_area)."""
    nombres = [n for a in Area.objects.all() for n in (a.nombre, a.clave)]
    return condiciones_texto_sin_area(texto=texto, nombres=nombres)


# What makes a condition one to be met before contracting, as the strategic reviewer writes
# it (the decision form's help says so): «antes de contratar», «antes de la contratación»,
# «previo a contratar», «previa a la contratación», in any case.
ANTES_DE_CONTRATAR = re.compile(
    r"\b(antes\s+de|previ[oa]\s+a)\s+(la\s+)?contrata(r|ci[oó]n)\b", re.I
)


def antes_de_contratar(texto: str) -> bool:
    return bool(ANTES_DE_CONTRATAR.search(texto))


def condiciones_crear(*, dictamen: Dictamen, usuario, texto: str | None = None) -> list[Condicion]:
    """Turn a condicionado dictamen's conditions into obligations (inside the issuing
    transaction: dictamenes.emision.services.emision calls it). Nothing for other results.
    `texto`: the conditions as decided, with the area prefixes that say who verifies each
    (the dictamen's own text no longer carries them); by default the dictamen's."""
    if dictamen.resultado != Resultado.CONDICIONADO:
        return []
    solicitud = dictamen.solicitud
    vence = condicion_vence(emitido_en=dictamen.emitido_en, textos=dictamen.textos)
    condiciones = []
    for numero, (texto_condicion, area) in enumerate(
        condiciones_de(solicitud=solicitud, texto=dictamen.condiciones if texto is None else texto),
        1,
    ):
        condicion = Condicion(
            dictamen=dictamen,
            numero=numero,
            texto=texto_condicion,
            area=area,
            vence=vence,
            antes_de_contratar=antes_de_contratar(texto_condicion),
        )
        condicion.full_clean(exclude=["dictamen", "area"])
        condiciones.append(condicion)
    Condicion.objects.bulk_create(condiciones)
    evento_registrar(
        tipo="condiciones_creadas",
        descripcion=f"Condiciones del dictamen {dictamen.folio} en seguimiento: "
        f"{len(condiciones)}, con vencimiento el {fecha_larga(vence)}",
        usuario=usuario,
        solicitud=solicitud,
        datos={
            "dictamen": dictamen.folio,
            "vence": vence.isoformat(),
            "condiciones": [
                {"numero": c.numero, "texto": c.texto, "area": c.area.clave if c.area else None}
                for c in condiciones
            ],
        },
    )
    return condiciones


def _bloqueada(condicion: Condicion) -> Condicion:
    """The condition, locked until commit, with what the checks read."""
    return (
        Condicion.objects.select_for_update(of=("self",))
        .select_related("dictamen__solicitud__ente", "area")
        .get(pk=condicion.pk)
    )


def _condicion_mover(*, condicion, usuario, estado, tipo, descripcion, datos=None, motivo=""):
    """The one door of a condition's change of state: save it and audit it."""
    anterior = condicion.estado
    condicion.estado = estado
    condicion.full_clean()
    condicion.save()
    evento_registrar(
        tipo=tipo,
        descripcion=f"Condición {condicion.numero} del dictamen {condicion.dictamen.folio}: "
        + descripcion,
        usuario=usuario,
        solicitud=condicion.dictamen.solicitud,
        motivo=motivo,
        datos={
            "dictamen": condicion.dictamen.folio,
            "condicion": condicion.numero,
            "de": anterior,
            "a": estado,
        }
        | (datos or {}),
    )
    return condicion


def _enlace(condicion) -> str:
    """The condition's row on its request's page, where evidence is uploaded and verified."""
    return avisos.enlace(
        "solicitudes:detalle",
        condicion.dictamen.solicitud_id,
        ancla=f"condicion-{condicion.numero}",
    )


# Refusals for the condition's state (400), not for the person's role (403).
_DE_ESTADO = (
    ERROR_YA_CUMPLIDA,
    ERROR_EN_VERIFICACION,
    ERROR_SIN_EVIDENCIA,
    ERROR_DICTAMEN_CANCELADO,
)


def _negar(impedimento) -> None:
    if impedimento:
        raise (ValidationError if impedimento in _DE_ESTADO else PermissionDenied)(impedimento)


def exigir_puede_subir(*, condicion, usuario) -> None:
    """PermissionDenied for the wrong person, ValidationError for the wrong state."""
    _negar(impedimento_para_subir(usuario=usuario, condicion=condicion))


def exigir_puede_verificar(*, condicion, usuario) -> None:
    """PermissionDenied for the wrong person, ValidationError for the wrong state."""
    _negar(impedimento_para_verificar(usuario=usuario, condicion=condicion))


@transaction.atomic
def condicion_evidencia_subir(*, condicion, usuario, archivo, nota: str = "") -> EvidenciaCondicion:
    """The agency uploads evidence that the condition is met; it waits for verification."""
    condicion = _bloqueada(condicion)
    exigir_puede_subir(condicion=condicion, usuario=usuario)
    if archivo is None:
        raise ValidationError({"archivo": ERROR_SIN_ARCHIVO}, code="sin_archivo")
    validado = archivos.validar_anexo(archivo)
    ahora = timezone.now()
    evidencia = EvidenciaCondicion(
        condicion=condicion,
        # What the upload checks found, stored as an anexo stores it.
        **{c: getattr(validado, c) for c in ("nombre", "content_type", "tamano", "sha256")},
        advertencias=list(validado.advertencias),
        nota=texto_normalizar(nota or "", multilinea=True).strip(),
        subida_por=usuario,
        subida_en=ahora,
    )
    evidencia.archivo.save(validado.nombre, archivo, save=False)
    try:
        evidencia.full_clean()
        evidencia.save()
        condicion.presentada_en = ahora
        _condicion_mover(
            condicion=condicion,
            usuario=usuario,
            estado=Condicion.Estado.EN_VERIFICACION,
            tipo="condicion_evidencia",
            descripcion=f"evidencia «{evidencia.nombre}» presentada",
            datos={"sha256": evidencia.sha256, "ruta": evidencia.archivo.name},
        )
    except Exception:
        evidencia.archivo.delete(save=False)
        raise
    if condicion.area_id:
        destinatarios = correos_con_permiso(codename="revisar_area", obj=condicion.area)
    else:
        destinatarios = correos_con_permiso(codename="decidir_solicitud")
    avisos.aviso_encolar(
        asunto=f"Evidencia por verificar: condición {condicion.numero} del dictamen "
        f"{condicion.dictamen.folio}",
        mensaje=f"{condicion.dictamen.solicitud.ente.siglas} presentó evidencia de la condición "
        f"«{condicion.texto}» (solicitud {condicion.dictamen.solicitud.folio}). Verifíquela: "
        "acredítela como cumplida o recházela con su motivo.",
        destinatarios=destinatarios,
        detalles=[
            ("Evidencia", evidencia.nombre),
            ("La condición vence el", date_format(condicion.vence, "d/m/Y")),
        ],
        enlace=_enlace(condicion),
        accion=f"Verificar la condición {condicion.numero}",
        motivo="Recibe este aviso porque su área (o "
        f"{con_articulo(textos_vigentes().unidad_resuelve_nombre)}) "
        "verifica esta condición.",
    )
    return evidencia


@transaction.atomic
def condicion_verificar(*, condicion, usuario) -> Condicion:
    """The area accepts the evidence: the condition is met, on time if the evidence came by
    its due date."""
    condicion = _bloqueada(condicion)
    exigir_puede_verificar(condicion=condicion, usuario=usuario)
    condicion.verificada_en = timezone.now()
    condicion.verificada_por = usuario
    condicion.a_tiempo = timezone.localdate(condicion.presentada_en) <= condicion.vence
    condicion.motivo_rechazo = ""
    condicion = _condicion_mover(
        condicion=condicion,
        usuario=usuario,
        estado=Condicion.Estado.CUMPLIDA,
        tipo="condicion_cumplida",
        descripcion="verificada como cumplida" + ("" if condicion.a_tiempo else " fuera de plazo"),
        datos={"a_tiempo": condicion.a_tiempo},
    )
    solicitud = condicion.dictamen.solicitud
    # Issue 80: a condition met is no longer overdue.
    senales_actualizar(solicitud)
    avisos.aviso_encolar(
        asunto=f"Condición {condicion.numero} del dictamen {condicion.dictamen.folio} cumplida",
        mensaje=f"La evidencia de la condición «{condicion.texto}» fue verificada: la condición "
        "está cumplida" + (" a tiempo." if condicion.a_tiempo else ", fuera de plazo."),
        destinatarios=avisos.correos_requirentes(solicitud=solicitud),
        enlace=_enlace(condicion),
        accion="Ver las condiciones del dictamen",
        motivo=avisos.motivo_requirente(solicitud=solicitud),
    )
    return condicion


@transaction.atomic
def condicion_rechazar(*, condicion, usuario, motivo: str) -> Condicion:
    """The area rejects the evidence with its reason; the agency may upload new evidence."""
    condicion = _bloqueada(condicion)
    exigir_puede_verificar(condicion=condicion, usuario=usuario)
    motivo = motivo_leer(motivo, campo="motivo", vacio=ERROR_MOTIVO)
    condicion.motivo_rechazo = motivo
    condicion = _condicion_mover(
        condicion=condicion,
        usuario=usuario,
        estado=Condicion.Estado.RECHAZADA,
        tipo="condicion_rechazada",
        descripcion="evidencia rechazada",
        motivo=motivo,
    )
    avisos.aviso_encolar(
        asunto=f"Evidencia rechazada: condición {condicion.numero} del dictamen "
        f"{condicion.dictamen.folio}",
        mensaje=f"La evidencia de la condición «{condicion.texto}» fue rechazada.\n\n"
        f"Motivo: {motivo}\n\nPresente otra evidencia antes del vencimiento.",
        destinatarios=avisos.correos_requirentes(solicitud=condicion.dictamen.solicitud),
        detalles=[("La condición vence el", date_format(condicion.vence, "d/m/Y"))],
        enlace=_enlace(condicion),
        accion=f"Presentar otra evidencia de la condición {condicion.numero}",
        motivo=avisos.motivo_requirente(solicitud=condicion.dictamen.solicitud),
    )
    return condicion
