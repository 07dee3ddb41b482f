"""What each person has to act on, for the «Pendientes» block of their home page: the agency's
preventions, information requests, conditions, contracts and surveys; the steps the
Subsecretaría's people hold or may take; the conditions' evidence a reviewer verifies; the
account changes an administrator approves.

Each group is one count and one page of rows (LIMITE), whatever the number of rows behind it,
and each row links to the exact place where the person acts. The steps are read as the inbox
and the queue read them (bandeja.py: flujos.views lists the same)."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dictamenes.comun import cache
from dictamenes.encuestas.selectors import encuestas_pendientes
from dictamenes.flow_port import Nodo, nodo
from dictamenes.models import (
    CambioPendiente,
    Condicion,
    Contrato,
    Dictamen,
    PeticionInformacion,
    Resultado,
)
from dictamenes.organizacion.selectors import calendario
from dictamenes.organizacion.selectors.usuarios import roles_de
from dictamenes.pendientes.bandeja import (
    SOLICITUD,
    ordenadas,
    tareas_en_bandeja,
    tareas_por_tomar,
)
from dictamenes.roles import Rol
from dictamenes.seguimiento.selectors.condiciones import (
    ESTADOS_PARA_SUBIR,
    areas_que_revisa,
    calendario_para,
    semaforo_de,
)
from dictamenes.seguimiento.selectors.contratos import VERIFICAN, contratos_que_esperan_a
from dictamenes.suplencias.selectors import titulares_suplidos
from dictamenes.tramite.selectors import access
from dictamenes.tramite.selectors.access import entes_de_requirente
from dictamenes.tramite.selectors.estados import EN_TRAMITE
from dictamenes.tramite.selectors.plazos import plazo_de
from dictamenes.tramite.selectors.tareas import tareas_humanas_abiertas, titulo_de

# Rows shown per group; the count says how many there are in all.
LIMITE = 10
# The roles whose work arrives as steps of the flow (the inbox and the queue).
ROLES_CON_TAREAS = {Rol.MESA_CONTROL, Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE}
NADA = _("No tiene pendientes por ahora. Cuando algo le toque, aparecerá aquí.")


@dataclass
class Entrada:
    """One thing to do: what, where (the link), and by when."""

    texto: str
    url: str
    vence: date | datetime | None = None
    restantes: int | None = None  # business days left, where the system counts them
    semaforo: str = ""
    nota: str = ""  # the agency, or when the evidence arrived


@dataclass
class Grupo:
    clave: str
    titulo: str
    total: int
    entradas: list[Entrada] = field(default_factory=list)
    todos: tuple[str, str] | None = None  # (url, label) of the full list, when there is one


def _entradas_de_tareas(tareas, *, ancla: str, cal, ahora) -> list[Entrada]:
    entradas = []
    for tarea in tareas:
        proceso = tarea.process.procesodictamen
        solicitud = proceso.solicitud
        plazo = plazo_de(tarea=tarea, ahora=ahora, calendario_=cal)
        entradas.append(
            Entrada(
                texto=f"{solicitud.folio} · {titulo_de(tarea=tarea, proceso=proceso)}",
                url=reverse("solicitudes:detalle", args=[solicitud.pk]) + ancla,
                vence=plazo["vence"],
                restantes=plazo["restantes"],
                semaforo=plazo["semaforo"],
                nota=f"{solicitud.ente.siglas} · {solicitud.titulo}",
            )
        )
    return entradas


def _grupo(clave, titulo, consulta, convertir, todos=None) -> Grupo | None:
    """A page of rows and how many there are in all, in one query whatever there is: none,
    one, or ten years of them (issue 45); None when there is nothing. The count is a scalar
    subquery that the database computes once for the page, not a count beside each row
    (COUNT(*) OVER () reads every row of the group with its joins before the page: three
    times the SQL of the requirente's contracts at K=10), nor a second query that only a
    group with something runs (the home's queries would then grow with the data)."""
    filas = list(consulta.annotate(total_del_grupo=_total(consulta))[:LIMITE])
    if not filas:
        return None
    return Grupo(
        clave=clave,
        titulo=titulo,
        total=filas[0].total_del_grupo,
        entradas=convertir(filas),
        todos=todos,
    )


def _total(consulta: QuerySet) -> Subquery:
    """How many rows `consulta` has, as a subquery: the same query, counted."""
    return Subquery(
        consulta.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"),
        output_field=IntegerField(),
    )


def _de_las_tareas(*, usuario, cal, ahora) -> list[Grupo]:
    def convertir(ancla):
        return lambda tareas: _entradas_de_tareas(tareas, ancla=ancla, cal=cal, ahora=ahora)

    suplidos = titulares_suplidos(usuario=usuario)

    grupos = [
        _grupo(
            "mis_tareas",
            _("Pasos a su cargo"),
            tareas_en_bandeja(usuario=usuario, suplidos=suplidos),
            convertir("#acciones"),
            todos=(reverse("workflow:inbox"), _("Mis tareas")),
        ),
        _grupo(
            "por_tomar",
            _("Pasos por tomar"),
            tareas_por_tomar(usuario=usuario, suplidos=suplidos),
            convertir("#t-tareas"),
            todos=(reverse("workflow:queue"), _("Tareas por tomar")),
        ),
    ]
    return [g for g in grupos if g]


# --- The agency: what its requirente answers --------------------------------------------------


def _de_la_dependencia(*, usuario, entes, cal, ahora, hoy) -> list[Grupo]:
    detalle = lambda pk, ancla="": reverse("solicitudes:detalle", args=[pk]) + ancla  # noqa: E731
    prevenciones = ordenadas(
        tareas_humanas_abiertas().filter(
            flow_task=nodo(Nodo.SUBSANAR), **{f"{SOLICITUD}__ente_id__in": entes}
        )
    )

    def de_prevenciones(tareas):
        entradas = _entradas_de_tareas(tareas, ancla="#acciones", cal=cal, ahora=ahora)
        for entrada, tarea in zip(entradas, tareas, strict=True):
            solicitud = tarea.process.procesodictamen.solicitud
            entrada.texto = _("%(folio)s · Subsanar la prevención: «%(titulo)s»") % {
                "folio": solicitud.folio,
                "titulo": solicitud.titulo,
            }
            entrada.nota = solicitud.ente.siglas
        return entradas

    peticiones = (
        PeticionInformacion.objects.filter(
            solicitud__ente_id__in=entes,
            respondida_en__isnull=True,
            solicitud__estado__in=EN_TRAMITE,
        )
        .select_related("solicitud__ente", "area")
        .order_by("pedida_en", "pk")
    )

    def de_peticiones(filas):
        return [
            Entrada(
                texto=_("%(folio)s · %(area)s pide información")
                % {
                    "folio": p.solicitud.folio,
                    "area": p.area.nombre,
                },
                url=detalle(p.solicitud_id, "#acciones"),
                nota=_("%(ente)s · pedida el %(fecha)s; el plazo del área está detenido")
                % {
                    "ente": p.solicitud.ente.siglas,
                    "fecha": f"{timezone.localtime(p.pedida_en):%d/%m/%Y}",
                },
            )
            for p in filas
        ]

    condiciones = (
        Condicion.objects.filter(
            dictamen__solicitud__ente_id__in=entes,
            dictamen__cancelado_en__isnull=True,
            estado__in=ESTADOS_PARA_SUBIR,
        )
        .select_related("dictamen__solicitud__ente")
        .order_by("vence", "dictamen_id", "numero")
    )

    def de_condiciones(filas):
        cal_c = calendario_para(filas) if filas else cal
        return [
            Entrada(
                texto=_("%(folio)s · Condición %(n)s: suba la evidencia")
                % {
                    "folio": c.dictamen.folio,
                    "n": c.numero,
                }
                if c.estado == Condicion.Estado.PENDIENTE
                else _("%(folio)s · Condición %(n)s: su evidencia fue rechazada; suba otra")
                % {"folio": c.dictamen.folio, "n": c.numero},
                url=detalle(c.dictamen.solicitud_id, f"#condicion-{c.numero}"),
                vence=c.vence,
                restantes=cal_c.habiles_entre(hoy, c.vence),
                semaforo=semaforo_de(condicion=c, hoy=hoy, calendario=cal_c),
                nota=f"{c.dictamen.solicitud.ente.siglas} · {c.texto}",
            )
            for c in filas
        ]

    contratos = (
        Dictamen.objects.filter(
            solicitud__ente_id__in=entes,
            cancelado_en__isnull=True,
            resultado__in=(Resultado.FAVORABLE, Resultado.CONDICIONADO),
            vigencia_hasta__gte=hoy,
        )
        .filter(~Exists(Contrato.objects.filter(dictamen__solicitud=OuterRef("solicitud"))))
        .select_related("solicitud__ente")
        .order_by("vigencia_hasta", "pk")
    )

    def de_contratos(filas):
        return [
            Entrada(
                texto=_("%(folio)s · Registre el contrato de «%(titulo)s»")
                % {
                    "folio": d.folio,
                    "titulo": d.solicitud.titulo,
                },
                url=detalle(d.solicitud_id, "#registrar-contrato"),
                nota=_("%(ente)s · el dictamen está vigente hasta el %(fecha)s")
                % {
                    "ente": d.solicitud.ente.siglas,
                    "fecha": f"{d.vigencia_hasta:%d/%m/%Y}",
                },
            )
            for d in filas
        ]

    grupos = [
        _grupo("prevenciones", _("Prevenciones por subsanar"), prevenciones, de_prevenciones),
        _grupo("peticiones", _("Información que le piden las áreas"), peticiones, de_peticiones),
        _grupo("condiciones", _("Condiciones por cumplir"), condiciones, de_condiciones),
        _grupo("contratos", _("Contratos por registrar"), contratos, de_contratos),
    ]
    return [g for g in grupos if g]


def _de_encuestas(*, usuario, ahora) -> Grupo | None:
    """The agency's recent surveys: they leave the list at the instant they turn
    DIAS_EN_PENDIENTES days old, not at midnight, so they are read on every visit (never
    kept with the rest of the block)."""

    def de_encuestas(filas):
        return [
            Entrada(
                texto=_("%(folio)s · Encuesta de satisfacción (opcional y anónima)")
                % {"folio": i.solicitud.folio},
                url=reverse("solicitudes:encuesta", args=[i.solicitud_id]),
                nota=i.solicitud.titulo,
            )
            for i in filas
        ]

    return _grupo(
        "encuestas",
        _("Encuestas de satisfacción"),
        encuestas_pendientes(usuario=usuario, ahora=ahora),
        de_encuestas,
    )


# --- Verifying evidence, approving changes ----------------------------------------------------


def _evidencias_por_verificar(*, usuario, roles) -> Grupo | None:
    """The evidence that waits for this person: the conditions of their areas (a reviewer),
    or without an area (the Dirección General), but none that separation of duties keeps
    them from (access.sin_impedimento): the query form of seguimiento's
    impedimento_para_verificar, checked against it on one table of cases
    (tests/dictamenes/tramite/test_separacion.py)."""
    if usuario.is_superuser:
        return None
    alcance = Q(pk__in=[])
    if Rol.REVISOR_TECNICO in roles:
        alcance |= Q(area_id__in=areas_que_revisa(usuario=usuario))
    if Rol.REVISOR_ESTRATEGICO in roles and usuario.has_perm("dictamenes.decidir_solicitud"):
        alcance |= Q(area__isnull=True)
    consulta = (
        Condicion.objects.filter(
            alcance,
            access.sin_impedimento(
                usuario=usuario, accion=access.VERIFICAR, solicitud="dictamen__solicitud"
            ),
            estado=Condicion.Estado.EN_VERIFICACION,
            dictamen__cancelado_en__isnull=True,
        )
        .select_related("dictamen__solicitud__ente")
        .order_by("presentada_en", "pk")
    )

    def convertir(filas):
        return [
            Entrada(
                texto=_("%(folio)s · Condición %(n)s: verifique la evidencia")
                % {
                    "folio": c.dictamen.folio,
                    "n": c.numero,
                },
                url=reverse("solicitudes:detalle", args=[c.dictamen.solicitud_id])
                + f"#condicion-{c.numero}",
                nota=_("%(ente)s · evidencia recibida el %(fecha)s")
                % {
                    "ente": c.dictamen.solicitud.ente.siglas,
                    "fecha": f"{timezone.localtime(c.presentada_en):%d/%m/%Y}"
                    if c.presentada_en
                    else "",
                },
            )
            for c in filas
        ]

    return _grupo(
        "evidencias",
        _("Evidencia de condiciones por verificar"),
        consulta,
        convertir,
        todos=(reverse("planeacion:condiciones"), _("Condiciones por cumplir")),
    )


def _contratos_por_resolver(*, usuario, roles) -> Grupo | None:
    """Contracts of other agencies that wait for this person (issue 76): the strategic
    reviewer's word on one over the tolerance, or the check against its document."""
    consulta = contratos_que_esperan_a(usuario=usuario, roles=roles)
    if consulta is None:
        return None

    def convertir(filas):
        return [
            Entrada(
                texto=(
                    _("%(folio)s · Contrato %(numero)s: autorice o no el monto")
                    if c.autorizacion == Contrato.Autorizacion.PENDIENTE
                    else _("%(folio)s · Contrato %(numero)s: verifíquelo contra su documento")
                )
                % {"folio": c.dictamen.folio, "numero": c.numero},
                # The check is made on the contract's own page, its document in view.
                url=reverse("planeacion:contratos") + f"#contrato-{c.pk}"
                if c.autorizacion == Contrato.Autorizacion.PENDIENTE
                else reverse("planeacion:contrato_verificar", args=[c.pk]),
                nota=c.dictamen.solicitud.ente.siglas,
            )
            for c in filas
        ]

    todos = (reverse("planeacion:contratos"), _("Contratos señalados"))
    return _grupo("contratos_por_resolver", _("Contratos por revisar"), consulta, convertir, todos)


def _cambios_por_aprobar(*, usuario) -> Grupo | None:
    """Changes asked by another administrator, about someone else: this one may resolve them
    (the cambios page says why not, for an account this administrator created)."""
    consulta = (
        CambioPendiente.objects.filter(estado=CambioPendiente.Estado.PENDIENTE)
        .exclude(pedido_por=usuario)
        .exclude(persona=usuario)
        .select_related("persona", "pedido_por")
        .order_by("pedido_en", "pk")
    )

    def convertir(filas):
        return [
            Entrada(
                texto=_("%(tipo)s: %(que)s")
                % {
                    "tipo": c.get_tipo_display(),
                    # A change of the configuration is no one's account (issue 48).
                    "que": (c.persona.get_full_name() or c.persona.username)
                    if c.persona
                    else c.datos.get("titulo", ""),
                },
                url=reverse("cuentas:cambios") + f"#cambio-{c.pk}",
                nota=_("Pedido por %(quien)s el %(fecha)s")
                % {
                    "quien": c.pedido_por.get_full_name() or c.pedido_por.username,
                    "fecha": f"{timezone.localtime(c.pedido_en):%d/%m/%Y}",
                },
            )
            for c in filas
        ]

    return _grupo(
        "cambios",
        _("Cambios por aprobar"),
        consulta,
        convertir,
        todos=(reverse("cuentas:cambios"), _("Cambios por aprobar")),
    )


def pendientes_de(*, usuario) -> list[Grupo]:
    """What the person has to act on, by group, in the order they would do it. An empty list
    when there is nothing (the page says so once).

    Kept per person, roles, data version and day (comun.cache): every change that adds,
    removes or moves a pending thing writes an audit event (the door), and the rest depends
    on today's date; a step's deadline that falls before midnight ends the entry's life at
    that instant (_vida), and the surveys, which leave at an instant of their own, are read
    on every visit."""
    roles = set(roles_de(usuario=usuario))
    ahora = timezone.now()
    guardados = cache.memorizar_por(
        "pendientes",
        usuario.pk,
        sorted(roles),
        calcular=lambda: _calcular(usuario=usuario, roles=roles, ahora=ahora),
    )
    dependencia, otros = guardados
    encuestas = [_de_encuestas(usuario=usuario, ahora=ahora)] if dependencia is not None else []
    return [*(dependencia or []), *filter(None, encuestas), *otros]


def _calcular(*, usuario, roles, ahora) -> tuple[tuple | None, float | None]:
    """((the agency's groups or None when the person answers for none, the other groups),
    how many seconds they hold)."""
    hoy = timezone.localdate(ahora)
    # Only shows deadlines: the declared días inhábiles may come from the cache.
    cal = calendario.Calendario.cargar(hoy, hoy, para_mostrar=True)
    dependencia = None
    grupos: list[Grupo] = []
    if Rol.REQUIRENTE in roles and (entes := entes_de_requirente(usuario=usuario)):
        dependencia = _de_la_dependencia(
            usuario=usuario, entes=entes, cal=cal, ahora=ahora, hoy=hoy
        )
    if roles & ROLES_CON_TAREAS:
        grupos += _de_las_tareas(usuario=usuario, cal=cal, ahora=ahora)
    if roles & {Rol.REVISOR_TECNICO, Rol.REVISOR_ESTRATEGICO}:
        grupos += filter(None, [_evidencias_por_verificar(usuario=usuario, roles=roles)])
    if roles & VERIFICAN:
        grupos += filter(None, [_contratos_por_resolver(usuario=usuario, roles=roles)])
    if Rol.ADMINISTRADOR in roles:
        grupos += filter(None, [_cambios_por_aprobar(usuario=usuario)])
    return (dependencia, grupos), _vida([*(dependencia or []), *grupos], ahora)


def _vida(grupos, ahora) -> float | None:
    """Seconds until the first shown deadline passes (its light turns red): a step's
    deadline is an instant; a condition's, a date (the day is in the key)."""
    instantes = [
        e.vence
        for g in grupos
        for e in g.entradas
        if isinstance(e.vence, datetime) and e.vence > ahora
    ]
    return (min(instantes) - ahora).total_seconds() if instantes else None
