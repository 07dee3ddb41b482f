"""The door of the signs (issue 80): each request's signs are computed when what they read
changes — the doors of presentation, quotes, admission, decision, contracts, deliveries and
conditions call senales_actualizar in their own transaction — and every business day for the
ones time brings (senales_al_dia). Pages only read what is kept. And the one door that records
what whoever decides did about a sign (senal_atender)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.comun.auditoria import evento_registrar
from dictamenes.models import Condicion, Contrato, Senal, SenalProveedor, Solicitud
from dictamenes.models.senales import CodigoSenal as C
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.roles import Rol
from dictamenes.senales.calculo import hallar
from dictamenes.separacion import regla
from estandares import identidad
from estandares.entradas import texto_normalizar
from estandares.motivos import motivo_leer


@transaction.atomic
def senales_actualizar(solicitud, *, hoy=None, fracciones=None) -> list[Senal]:
    """Compute the request's signs and keep them: a new sign is written, one that still
    holds is brought up to date (its attention kept), one that no longer holds is kept as
    withdrawn (retirada_en). A change of the set writes one audit event. Called by the doors,
    inside their transaction. Returns the signs in force."""
    le = hallar(solicitud, hoy=hoy, fracciones=fracciones)
    if le is None:
        return []
    s = le.solicitud
    ahora = timezone.now()
    existentes = {x.codigo: x for x in Senal.objects.select_for_update().filter(solicitud=s)}
    nuevas, retiradas = [], []
    for codigo, h in le.hallazgos.items():
        x = existentes.get(codigo)
        campos = {
            "texto": texto_normalizar(h.texto, multilinea=False)[:10_000],
            "evidencia": h.evidencia[:50],
            "umbrales": {k: str(v) for k, v in le.umbrales[codigo].items()},
            "ente_id": s.ente_id,
            "ejercicio": s.ejercicio,
            "vigente": True,
            "retirada_en": None,
        }
        if x is None:
            x = Senal.objects.create(solicitud=s, codigo=codigo, detectada_en=ahora, **campos)
            nuevas.append(codigo)
        else:
            if not x.vigente:
                nuevas.append(codigo)
                campos["detectada_en"] = ahora
            Senal.objects.filter(pk=x.pk).update(**campos)
        SenalProveedor.objects.filter(senal=x).delete()
        SenalProveedor.objects.bulk_create(
            [
                SenalProveedor(senal=x, nombre=p[:200], clave=identidad.nombre_canonico(p)[:200])
                for p in {identidad.nombre_canonico(p): p for p in h.proveedores}.values()
            ]
        )
    for codigo, x in existentes.items():
        if codigo not in le.hallazgos and codigo not in le.sin_leer and x.vigente:
            Senal.objects.filter(pk=x.pk).update(vigente=False, retirada_en=ahora)
            retiradas.append(codigo)
    if nuevas or retiradas:
        evento_registrar(
            tipo="senales",
            descripcion=_("Señales: %(n)s nuevas, %(r)s ya no se cumplen")
            % {"n": len(nuevas), "r": len(retiradas)},
            solicitud=s,
            datos={"nuevas": sorted(nuevas), "retiradas": sorted(retiradas)},
        )
    return list(Senal.objects.filter(solicitud=s, vigente=True))


def senales_del_ente_actualizar(*, ente_id, ejercicio, hoy=None) -> int:
    """The concentration sign reads the agency's whole year: recompute every request of the
    agency with a contract that year. Returns how many."""
    ids = (
        Contrato.objects.filter(dictamen__solicitud__ente_id=ente_id, fecha__year=ejercicio)
        .values_list("dictamen__solicitud_id", flat=True)
        .distinct()
    )
    n = 0
    for solicitud in Solicitud.objects.filter(pk__in=list(ids)):
        senales_actualizar(solicitud, hoy=hoy)
        n += 1
    return n


def senales_al_dia(hoy=None, *, fracciones=None) -> int:
    """The signs time brings (a condition overdue, a delivery not recorded, received
    quantities once the terms ended): recompute the requests with a condition not met or a
    contract that counts. Run every business day (dictamenes.management.cron)."""
    hoy = hoy or timezone.localdate()
    ids = (
        set(
            Condicion.objects.exclude(estado=Condicion.Estado.CUMPLIDA)
            .filter(vence__lt=hoy, dictamen__cancelado_en__isnull=True)
            .values_list("dictamen__solicitud_id", flat=True)
        )
        | set(
            Contrato.objects.que_cuentan()
            .filter(dictamen__cancelado_en__isnull=True)
            .values_list("dictamen__solicitud_id", flat=True)
        )
        | set(
            Senal.objects.filter(vigente=True, codigo__in=TEMPORALES).values_list(
                "solicitud_id", flat=True
            )
        )
    )
    n = 0
    for pk in sorted(ids):
        with transaction.atomic():
            senales_actualizar(Solicitud(pk=pk), hoy=hoy, fracciones=fracciones)
        n += 1
    return n


TEMPORALES = (C.CONDICIONES_VENCIDAS, C.ENTREGA_FALTANTE, C.ENTREGA_DISTINTA)

# Who records what was done about a sign: the role that decides at the request's step.
QUIEN_DECIDE = {
    Solicitud.Estado.ADMISION: Rol.MESA_CONTROL,
    Solicitud.Estado.PREVENIDA: Rol.MESA_CONTROL,
    Solicitud.Estado.REVISION_TECNICA: Rol.REVISOR_TECNICO,
    Solicitud.Estado.REVISION_ESTRATEGICA: Rol.REVISOR_ESTRATEGICO,
    Solicitud.Estado.FIRMA: Rol.FIRMANTE,
}
ERROR_NO_DECIDE = _(
    "Solo quien decide en la etapa de la solicitud (%(rol)s) registra qué se hizo con una señal."
)
# Said to someone of the request's agency: the words of separation of duties for the action.
ERROR_DEL_ENTE = regla.SEPARACION[regla.ATENDER_SENAL].mismo_ente
ERROR_ATENCION = _("Elija qué se hizo con la señal.")
ERROR_NOTA = _("Escriba en una nota qué se revisó: una señal no se cierra sin decir por qué.")
ERROR_RETIRADA = _("La señal ya no se cumple: no hay nada que atender.")


def quien_decide(solicitud) -> Rol:
    """The role that records what was done about a sign at the request's step; after the
    dictamen, the strategic review (it authorises contracts)."""
    return QUIEN_DECIDE.get(solicitud.estado, Rol.REVISOR_ESTRATEGICO)


def impedimento_atender(*, usuario, solicitud) -> str | None:
    """Why the person may not record what was done about the request's signs, or None: the
    one answer of the page (puede_atender) and of the door (senal_atender). Separation of
    duties first (separacion.regla.impedimento with ATENDER_SENAL: never a superuser, nobody
    of the request's agency); then only the role that decides at the request's step."""
    if negado := regla.impedimento(
        usuario=usuario, solicitud=solicitud, accion=regla.ATENDER_SENAL
    ):
        return negado
    rol = quien_decide(solicitud)
    if rol not in roles_de(usuario=usuario):
        return ERROR_NO_DECIDE % {"rol": rol.label}
    return None


def puede_atender(*, usuario, solicitud) -> bool:
    return (
        usuario.is_authenticated
        and impedimento_atender(usuario=usuario, solicitud=solicitud) is None
    )


@transaction.atomic
def senal_atender(*, senal, usuario, atencion: str, nota: str) -> Senal:
    """Record what whoever decides did about a sign: one of Senal.Atencion, with a note.
    Audited in the same transaction; a later attention replaces the earlier one, and the
    chain keeps both."""
    senal = Senal.objects.select_for_update().select_related("solicitud").get(pk=senal.pk)
    solicitud = senal.solicitud
    if negado := impedimento_atender(usuario=usuario, solicitud=solicitud):
        raise PermissionDenied(negado)
    if not senal.vigente:
        raise ValidationError(ERROR_RETIRADA)
    if atencion not in Senal.Atencion.values:
        raise ValidationError({"atencion": ERROR_ATENCION})
    nota = motivo_leer(nota, campo="atencion_nota", vacio=ERROR_NOTA)
    senal.atencion, senal.atencion_nota = atencion, nota
    senal.atendida_por, senal.atendida_en = usuario, timezone.now()
    senal.full_clean(exclude=["solicitud", "ente", "texto", "evidencia", "umbrales"])
    senal.save(update_fields=["atencion", "atencion_nota", "atendida_por", "atendida_en"])
    evento_registrar(
        tipo="senal_atendida",
        descripcion=_("Señal «%(s)s»: %(a)s")
        % {"s": senal.get_codigo_display(), "a": senal.get_atencion_display()},
        usuario=usuario,
        solicitud=solicitud,
        motivo=nota,
        datos={"codigo": senal.codigo, "atencion": atencion},
    )
    return senal
