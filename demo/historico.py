"""Years of history for measuring the system at scale: requests with their items, viewflow
processes and tasks, technical reviews, chained audit events and sealed dictámenes.

Every row is what the services would have written, with the dates of the time it happened:
each request is simulated through admission, the areas' reviews, the strategic decision and
signing, in business days, and cut at `hasta`, so the most recent ones are still open, with
their tasks waiting in the queues. Rows are written in bulk with explicit keys, one fiscal
year at a time. The signed PDF is one shared placeholder file; the seal of every dictamen
is real and verifies against the demo firmante's certificate.
"""

import contextlib
import datetime
import hashlib
import json
import random
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.token import Token

from demo import efirma_pruebas
from demo.historico_anual import RESULTADOS, TIPOS, TITULOS
from dictamenes import flow_port
from dictamenes.documentos import efirma
from dictamenes.models import (
    Area,
    Consecutivo,
    Dictamen,
    Ente,
    EventoAuditoria,
    OpinionPartida,
    Partida,
    PlazoEtapa,
    Resultado,
    RevisionArea,
    Solicitud,
)
from dictamenes.roles import Rol
from dictamenes.selectors import calendario
from dictamenes.selectors.tramite import PLAZOS_POR_OMISION
from dictamenes.services import auditoria, emision
from dictamenes.services.simulacion import PESO_MENSUAL
from estandares import cumplimiento
from estandares import selectors as estandares_selectors
from estandares.models import Perfil as PerfilTecnico

POR_ANIO = 800  # requests per fiscal year at escala 1 (Sonora: 794 in 2024)
PDF_MUESTRA = "expedientes/historico/dictamen-muestra.pdf"
CONTRASENA = "dictamen-demo-2026"


@contextlib.contextmanager
def fechas_historicas(*modelos):
    """Let bulk writes keep the given dates instead of auto_now/auto_now_add's "now"."""
    campos = [
        f for m in modelos for f in m._meta.concrete_fields if getattr(f, "auto_now_add", False)
    ] + [f for m in modelos for f in m._meta.concrete_fields if getattr(f, "auto_now", False)]
    antes = [(f, f.auto_now, f.auto_now_add) for f in campos]
    for f in campos:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in antes:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _siguiente_id(modelo) -> int:
    ultimo = modelo._base_manager.order_by("-pk").values_list("pk", flat=True).first()
    return (ultimo or 0) + 1


class _Ids:
    """Primary keys handed out in advance, so related rows can be linked before insertion."""

    def __init__(self, *modelos):
        self._siguiente = {m: _siguiente_id(m) for m in modelos}

    def __call__(self, modelo) -> int:
        valor = self._siguiente[modelo]
        self._siguiente[modelo] = valor + 1
        return valor


@dataclass
class _Lote:
    solicitudes: list = field(default_factory=list)
    partidas: list = field(default_factory=list)
    procesos: list = field(default_factory=list)
    procesos_dictamen: list = field(default_factory=list)
    tareas: list = field(default_factory=list)
    previas: list = field(default_factory=list)
    revisiones: list = field(default_factory=list)
    opiniones: list = field(default_factory=list)
    dictamenes: list = field(default_factory=list)
    eventos: list = field(default_factory=list)


class Generador:
    def __init__(self, *, anios: int, escala: float, hasta: datetime.datetime, semilla: int):
        self.anios, self.escala, self.hasta = anios, escala, hasta
        self.azar = random.Random(semilla)  # noqa: S311 - reproducible data, not security
        self.zona = timezone.get_default_timezone()
        self.flujo = flow_port.flujo().instance
        primero = hasta.year - anios + 1
        self.cal = calendario.Calendario.cargar(
            datetime.date(primero - 1, 12, 1), hasta.date() + datetime.timedelta(days=120)
        )
        self.ids = _Ids(Solicitud, Partida, Process, Task, RevisionArea, OpinionPartida, Dictamen)
        self.ct_area = ContentType.objects.get_for_model(Area).pk
        self.ct_ente = ContentType.objects.get_for_model(Ente).pk
        self._personas()
        self._perfiles()
        self._cadena()
        self.plazos = {
            etapa: PlazoEtapa.objects.filter(etapa=etapa)
            .values_list("dias_habiles", flat=True)
            .first()
            or PLAZOS_POR_OMISION[etapa]
            for etapa in PLAZOS_POR_OMISION
        }
        self.cuenta = dict.fromkeys(
            ("solicitudes", "partidas", "tareas", "eventos", "revisiones", "dictamenes"), 0
        )

    # --- Who and what ---------------------------------------------------------------------------

    def _personas(self):
        User = get_user_model()
        con_rol = User.objects.filter(is_active=True).prefetch_related("groups", "perfil__areas")

        def de_rol(rol):
            return [u for u in con_rol if str(rol.label) in {g.name for g in u.groups.all()}]

        self.mesa = de_rol(Rol.MESA_CONTROL)
        self.estrategicos = de_rol(Rol.REVISOR_ESTRATEGICO)
        self.firmantes = [u for u in de_rol(Rol.FIRMANTE) if getattr(u, "perfil", None)]
        self.revisores = {}
        for usuario in de_rol(Rol.REVISOR_TECNICO):
            for area in usuario.perfil.areas.all():
                self.revisores.setdefault(area.pk, []).append(usuario)
        self.entes = list(Ente.objects.filter(activo=True).order_by("pk"))
        self.requirentes = {}
        for usuario in de_rol(Rol.REQUIRENTE):
            perfil = getattr(usuario, "perfil", None)
            if perfil and perfil.ente_id:
                self.requirentes.setdefault(perfil.ente_id, []).append(usuario)
        if not (self.mesa and self.estrategicos and self.firmantes and self.revisores):
            raise RuntimeError("Cargue primero la demostración (manage.py cargar_demo).")

    def requirentes_asegurar(self) -> int:
        """Every agency gets a requirente: history is written by the agency's own staff."""
        from dictamenes.services import personas

        creados = 0
        for i, ente in enumerate(self.entes):
            if ente.pk in self.requirentes:
                continue
            usuario = personas.usuario_crear(
                username=f"requirente.{ente.siglas.lower()}",
                password=CONTRASENA,
                nombre="Enlace TIC",
                apellidos=ente.siglas,
                email=f"tic@{ente.siglas.lower()}.example.gob.mx",
                rfc=f"TIC{chr(65 + i % 26)}800101{i % 100:02d}A",
                roles=[Rol.REQUIRENTE],
                ente=ente,
                cargo="Titular de la unidad de TIC",
            )
            self.requirentes[ente.pk] = [usuario]
            creados += 1
        return creados

    def _perfiles(self):
        """Per area, the published technical profiles, with the engine's verdict on a typical
        specification (the evaluation is computed, not invented)."""
        self.perfiles = {}
        for perfil in (
            PerfilTecnico.objects.exclude(categoria__publicacion__estado="borrador")
            .select_related("categoria__area", "categoria__publicacion")
            .prefetch_related("requisitos")
        ):
            evaluacion = cumplimiento.evaluar(estandares_selectors.perfil_spec(perfil), {})
            self.perfiles.setdefault(perfil.categoria.area_id, []).append(
                (perfil, evaluacion.as_dict(), evaluacion.veredicto)
            )
        if not self.perfiles:
            raise RuntimeError("No hay estándares publicados; cargue la demostración.")
        self.areas = {a.pk: a for a in Area.objects.filter(pk__in=self.perfiles)}

    def _cadena(self):
        ultimo = EventoAuditoria.objects.order_by("-numero").only("numero", "hash").first()
        self.numero_evento = ultimo.numero if ultimo else 0
        self.hash_anterior = ultimo.hash if ultimo else auditoria.GENESIS

    # --- Time -------------------------------------------------------------------------------------

    def _momento(self, fecha: datetime.date, hora=None) -> datetime.datetime:
        hora = hora or datetime.time(self.azar.randint(8, 17), self.azar.randint(0, 59))
        return datetime.datetime.combine(fecha, hora, tzinfo=self.zona)

    def _mas(self, momento: datetime.datetime, dias: int) -> datetime.datetime:
        return self._momento(self.cal.sumar(momento.astimezone(self.zona).date(), dias))

    def _vence(self, desde: datetime.datetime, etapa: str) -> str:
        dia = self.cal.sumar(desde.astimezone(self.zona).date(), self.plazos[etapa])
        return datetime.datetime.combine(dia, datetime.time.max, tzinfo=self.zona).isoformat()

    # --- One request ----------------------------------------------------------------------------

    def _evento(self, lote, *, tipo, descripcion, usuario, solicitud_id, momento, datos, motivo=""):
        self.numero_evento += 1
        evento = EventoAuditoria(
            numero=self.numero_evento,
            tipo=tipo,
            descripcion=descripcion[:300],
            motivo=motivo,
            usuario_id=usuario.pk if usuario else None,
            solicitud_id=solicitud_id,
            datos=datos,
            ocurrido_en=momento,
            anterior_hash=self.hash_anterior,
        )
        evento.hash = auditoria.hash_de(evento)
        self.hash_anterior = evento.hash
        lote.eventos.append(evento)

    def _tarea(self, lote, proceso_id, nodo, *, creada, terminada, previas=(), **extra):
        tarea = Task(
            id=self.ids(Task),
            process_id=proceso_id,
            flow_task=nodo,
            flow_task_type=nodo.task_type,
            status=extra.pop("status", STATUS.DONE if terminada else STATUS.NEW),
            created=creada,
            started=creada if terminada else None,
            finished=terminada,
            token=Token(extra.pop("token", "start")),
            data=extra.pop("data", {}),
            **extra,
        )
        lote.tareas.append(tarea)
        for previa in previas:
            lote.previas.append(Task.previous.through(from_task_id=previa.pk, to_task_id=tarea.pk))
        return tarea

    def _humana(self, lote, proceso_id, nodo, etapa, *, creada, terminada, quien, previas, **extra):
        abierta = terminada is None
        asignada = not abierta or self.azar.random() < 0.5
        return self._tarea(
            lote,
            proceso_id,
            nodo,
            creada=creada,
            terminada=terminada,
            previas=previas,
            owner_id=quien.pk if asignada else None,
            assigned=creada if asignada else None,
            status=STATUS.DONE if not abierta else (STATUS.ASSIGNED if asignada else STATUS.NEW),
            owner_permission=extra.pop("permiso"),
            data={"etapa": etapa, "vence": self._vence(creada, etapa)},
            **extra,
        )

    def solicitud(self, lote, *, anio: int, numero: int, presentada: datetime.datetime):
        azar, f, E = self.azar, self.flujo, Solicitud.Estado
        ente = azar.choice(self.entes)
        autor = azar.choice(self.requirentes[ente.pk])
        tipo = azar.choices([v for v, _ in TIPOS], weights=[p for _, p in TIPOS])[0]
        prisa = presentada.month >= 11  # the year-end rush slows every step
        d_adm = azar.randint(1, 3 if prisa else 2)
        d_area = azar.randint(2, 12 if prisa else 7)
        d_est = azar.randint(1, 5 if prisa else 3)
        d_firma = azar.randint(1, 4 if prisa else 2)
        prevenida = azar.random() < 0.10
        desechada = prevenida and azar.random() < 0.55
        resultado = azar.choices([v for v, _ in RESULTADOS], weights=[p for _, p in RESULTADOS])[0]

        sid = self.ids(Solicitud)
        creada = presentada - datetime.timedelta(days=azar.randint(0, 6), hours=azar.randint(0, 5))
        solicitud = Solicitud(
            id=sid,
            ente=ente,
            folio=f"SOL-{anio}-{numero:05d}",
            ejercicio=anio,
            tipo_operacion=tipo,
            titulo=f"{TITULOS[tipo]} para {ente.siglas} {numero}",
            justificacion="Necesidad operativa documentada en el programa anual de la dependencia.",
            alineacion="Programa Estatal de Gobierno Digital, objetivo 2.",
            monto_estimado=Decimal(0),
            estado=E.ADMISION,
            presentada_en=presentada,
            planeada=azar.random() < 0.7,
            creada_por=autor,
            creada_en=creada,
            actualizada_en=presentada,
        )
        lote.solicitudes.append(solicitud)
        ev = self._evento
        ev(
            lote,
            tipo="creacion",
            descripcion="Borrador creado",
            usuario=autor,
            solicitud_id=sid,
            momento=creada,
            datos={},
        )

        # Items, one to three, from one or two areas.
        areas = azar.sample(sorted(self.perfiles), k=1 if azar.random() < 0.7 else 2)
        monto = Decimal(0)
        partidas = []
        for i in range(azar.randint(1, 3)):
            perfil, evaluacion, veredicto = azar.choice(self.perfiles[areas[i % len(areas)]])
            partida = Partida(
                id=self.ids(Partida),
                solicitud_id=sid,
                perfil=perfil,
                descripcion=f"{perfil.categoria.nombre}: {perfil.nombre}",
                cantidad=azar.randint(1, 200),
                precio_unitario=Decimal(azar.randrange(2_000, 90_000, 50)),
                capitulo="5000" if tipo in ("adquisicion", "baja") else "3000",
                partida_especifica="51501" if tipo in ("adquisicion", "baja") else "33301",
                especificaciones={},
                evaluacion=evaluacion,
                veredicto=veredicto,
            )
            monto += partida.importe
            partidas.append(partida)
            ev(
                lote,
                tipo="partida",
                descripcion=f"Partida agregada: {partida.descripcion}",
                usuario=autor,
                solicitud_id=sid,
                momento=creada,
                datos={"partida": partida.pk, "veredicto": veredicto},
            )
        lote.partidas += partidas
        solicitud.monto_estimado = monto
        ev(
            lote,
            tipo="presentacion",
            descripcion=f"Solicitud presentada con folio {solicitud.folio}",
            usuario=autor,
            solicitud_id=sid,
            momento=presentada,
            datos={"de": "borrador", "a": "admision"},
        )

        # The process and its tasks, cut at `hasta`.
        pid = self.ids(Process)
        lote.procesos.append(
            Process(id=pid, flow_class=type(f), status=STATUS.NEW, created=presentada, data={})
        )
        hecho = self.hasta
        mesa = azar.choice(self.mesa)
        inicio = self._tarea(lote, pid, f.presentar, creada=presentada, terminada=presentada)
        fin_adm = self._mas(presentada, d_adm)
        abierta = fin_adm > hecho
        adm = self._humana(
            lote,
            pid,
            f.admision,
            "admision",
            creada=presentada,
            terminada=None if abierta else fin_adm,
            quien=mesa,
            previas=[inicio],
            permiso="dictamenes.admitir_solicitud",
        )
        proceso = [pid, sid, True, None, None]  # admitida, subsanar_vence, area_devuelta
        lote.procesos_dictamen.append(proceso)
        if abierta:
            return solicitud
        momento = fin_adm
        si = self._tarea(lote, pid, f.admitida, creada=momento, terminada=momento, previas=[adm])
        if prevenida:
            vence = self._vence(momento, "subsanar")
            ev(
                lote,
                tipo="prevencion",
                descripcion="Solicitud prevenida",
                usuario=mesa,
                solicitud_id=sid,
                momento=momento,
                motivo="Falta el estudio de mercado.",
                datos={"de": "admision", "a": "prevenida"},
            )
            proceso[3] = datetime.datetime.fromisoformat(vence)
            fin_sub = self._mas(momento, azar.randint(2, 9))
            if desechada:
                fin_sub = proceso[3]
            abierta = fin_sub > hecho
            sub = self._tarea(
                lote,
                pid,
                f.subsanar,
                creada=momento,
                terminada=None if abierta else fin_sub,
                previas=[si],
                owner_permission="dictamenes.actuar_como_requirente",
                owner_permission_content_type_id=self.ct_ente,
                owner_permission_obj_pk=str(ente.pk),
                data={"etapa": "subsanar", "vence": vence},
            )
            if abierta:
                solicitud.estado = E.PREVENIDA
                return solicitud
            if desechada:
                des = self._tarea(
                    lote, pid, f.desechar, creada=fin_sub, terminada=fin_sub, previas=[sub]
                )
                self._tarea(
                    lote, pid, f.fin_desechada, creada=fin_sub, terminada=fin_sub, previas=[des]
                )
                ev(
                    lote,
                    tipo="desechada",
                    descripcion="Solicitud desechada: venció el plazo para subsanar",
                    usuario=None,
                    solicitud_id=sid,
                    momento=fin_sub,
                    datos={"de": "prevenida", "a": "desechada"},
                )
                return self._cerrar(lote, solicitud, E.DESECHADA, fin_sub, pid)
            ev(
                lote,
                tipo="subsanacion",
                descripcion="Prevención subsanada",
                usuario=autor,
                solicitud_id=sid,
                momento=fin_sub,
                datos={"de": "prevenida", "a": "admision"},
            )
            fin_adm2 = self._mas(fin_sub, 1)
            abierta = fin_adm2 > hecho
            adm = self._humana(
                lote,
                pid,
                f.admision,
                "admision",
                creada=fin_sub,
                terminada=None if abierta else fin_adm2,
                quien=mesa,
                previas=[sub],
                permiso="dictamenes.admitir_solicitud",
            )
            if abierta:
                return solicitud
            momento = fin_adm2
            si = self._tarea(
                lote, pid, f.admitida, creada=momento, terminada=momento, previas=[adm]
            )
        ev(
            lote,
            tipo="admision",
            descripcion="Solicitud admitida; pasa a revisión técnica",
            usuario=mesa,
            solicitud_id=sid,
            momento=momento,
            datos={
                "de": "admision",
                "a": "revision_tecnica",
                "areas": [self.areas[a].clave for a in areas],
            },
        )
        solicitud.estado = E.REVISION_TECNICA
        split = self._tarea(lote, pid, f.dividir, creada=momento, terminada=momento, previas=[si])
        ramas, terminadas = [], []
        for i, area_id in enumerate(sorted(areas), start=1):
            area = self.areas[area_id]
            revisor = azar.choice(self.revisores[area_id])
            fin_rev = self._mas(momento, azar.randint(max(1, d_area - 2), d_area))
            abierta = fin_rev > hecho
            rama = self._humana(
                lote,
                pid,
                getattr(f, f"revision_{area.clave}"),
                "revision_area",
                creada=momento,
                terminada=None if abierta else fin_rev,
                quien=revisor,
                previas=[split],
                permiso="dictamenes.revisar_area",
                token=f"start/{split.pk}_{i}",
                owner_permission_content_type_id=self.ct_area,
                owner_permission_obj_pk=str(area_id),
            )
            ramas.append(rama)
            if abierta:
                continue
            terminadas.append(fin_rev)
            rid = self.ids(RevisionArea)
            opinion = azar.choices(
                [
                    RevisionArea.Opinion.FAVORABLE,
                    RevisionArea.Opinion.CON_OBSERVACIONES,
                    RevisionArea.Opinion.NO_FAVORABLE,
                ],
                weights=[70, 22, 8],
            )[0]
            lote.revisiones.append(
                RevisionArea(
                    id=rid,
                    solicitud_id=sid,
                    area_id=area_id,
                    ronda=1,
                    revisor=revisor,
                    opinion=opinion,
                    observaciones="",
                    concluida_en=fin_rev,
                )
            )
            for partida in partidas:
                if partida.perfil.categoria.area_id == area_id:
                    lote.opiniones.append(
                        OpinionPartida(
                            id=self.ids(OpinionPartida),
                            revision_id=rid,
                            partida_id=partida.pk,
                            opinion="Cumple lo solicitado.",
                        )
                    )
            ev(
                lote,
                tipo="revision_area",
                descripcion=f"Revisión técnica de {area.nombre} concluida "
                f"({RevisionArea.Opinion(opinion).label})",
                usuario=revisor,
                solicitud_id=sid,
                momento=fin_rev,
                datos={"area": area.clave, "ronda": 1, "ajustes": 0, "detalle": []},
            )
        if len(terminadas) < len(areas):
            return solicitud
        momento = max(terminadas)
        union = self._tarea(
            lote, pid, f.unir_revisiones, creada=momento, terminada=momento, previas=ramas
        )
        ev(
            lote,
            tipo="fin_revision_tecnica",
            descripcion="Todas las áreas concluyeron; pasa a revisión estratégica",
            usuario=None,
            solicitud_id=sid,
            momento=momento,
            datos={"de": "revision_tecnica", "a": "revision_estrategica"},
        )
        solicitud.estado = E.REVISION_ESTRATEGICA
        estrategico = azar.choice(self.estrategicos)
        fin_est = self._mas(momento, d_est)
        abierta = fin_est > hecho
        est = self._humana(
            lote,
            pid,
            f.revision_estrategica,
            "revision_estrategica",
            creada=momento,
            terminada=None if abierta else fin_est,
            quien=estrategico,
            previas=[union],
            permiso="dictamenes.decidir_solicitud",
        )
        if abierta:
            return solicitud
        momento = fin_est
        solicitud.resultado = resultado
        condiciones = "Entregar garantía de 3 años." if resultado == Resultado.CONDICIONADO else ""
        ev(
            lote,
            tipo="decision_estrategica",
            descripcion=f"Decisión estratégica: {Resultado(resultado).label}",
            usuario=estrategico,
            solicitud_id=sid,
            momento=momento,
            motivo="Decisión con base en las opiniones de las áreas y la alineación al programa.",
            datos={
                "de": "revision_estrategica",
                "a": "firma",
                "resultado": resultado,
                "condiciones": condiciones,
            },
        )
        solicitud.estado = E.FIRMA
        no = self._tarea(lote, pid, f.devuelta, creada=momento, terminada=momento, previas=[est])
        firmante = azar.choice(self.firmantes)
        fin_firma = self._mas(momento, d_firma)
        abierta = fin_firma > hecho
        firma = self._humana(
            lote,
            pid,
            f.firma,
            "firma",
            creada=momento,
            terminada=None if abierta else fin_firma,
            quien=firmante,
            previas=[no],
            permiso="dictamenes.firmar_dictamen",
        )
        if abierta:
            return solicitud
        self._tarea(lote, pid, f.fin, creada=fin_firma, terminada=fin_firma, previas=[firma])
        dictamen = self._dictamen(lote, solicitud, resultado, condiciones, firmante, fin_firma)
        ev(
            lote,
            tipo="dictamen",
            descripcion=f"Dictamen {dictamen.folio} emitido: {Resultado(resultado).label}",
            usuario=firmante,
            solicitud_id=sid,
            momento=fin_firma,
            datos={
                "de": "firma",
                "a": "dictaminada",
                "dictamen": dictamen.pk,
                "folio": dictamen.folio,
                "pdf_sha256": dictamen.pdf_sha256,
                "certificado": dictamen.certificado_numero,
            },
        )
        return self._cerrar(lote, solicitud, E.DICTAMINADA, fin_firma, pid)

    def _cerrar(self, lote, solicitud, estado, momento, pid):
        solicitud.estado = estado
        solicitud.atendida_en = momento
        solicitud.actualizada_en = momento
        solicitud.dias_habiles_atencion = self.cal.habiles_entre(
            solicitud.presentada_en.astimezone(self.zona).date(),
            momento.astimezone(self.zona).date(),
        )
        proceso = lote.procesos[-1]
        assert proceso.pk == pid
        proceso.status, proceso.finished = STATUS.DONE, momento
        return solicitud

    def _dictamen(self, lote, solicitud, resultado, condiciones, firmante, momento) -> Dictamen:
        anio = momento.astimezone(self.zona).year
        self.folios_dictamen[anio] = self.folios_dictamen.get(anio, 0) + 1
        folio = settings.DICTAMENES_FOLIO_DICTAMEN.format(
            anio=anio, numero=self.folios_dictamen[anio]
        )
        contenido = json.dumps(
            {
                "solicitud": solicitud.folio,
                "ente": solicitud.ente.siglas,
                "resultado": resultado,
                "condiciones": condiciones,
                "monto": str(solicitud.monto_estimado),
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
        contenido_sha256 = hashlib.sha256(contenido).hexdigest()
        cadena = emision.cadena_original(
            folio=folio,
            momento=momento.astimezone(self.zona),
            ente=solicitud.ente.siglas,
            resultado=resultado,
            contenido_sha256=contenido_sha256,
            rfc=self.credencial.rfc,
            numero=self.credencial.numero,
        )
        dictamen = Dictamen(
            id=self.ids(Dictamen),
            solicitud_id=solicitud.pk,
            folio=folio,
            resultado=resultado,
            condiciones=condiciones,
            motivos="Decisión con base en las opiniones de las áreas y la alineación al programa.",
            vigencia_hasta=momento.astimezone(self.zona).date()
            + relativedelta(months=settings.DICTAMENES_VIGENCIA_MESES),
            firmado_por=firmante,
            firmante_nombre=firmante.get_full_name(),
            firmante_cargo=firmante.perfil.cargo,
            emitido_en=momento,
            contenido_sha256=contenido_sha256,
            cadena_original=cadena,
            sello=efirma.sellar(credencial=self.credencial, cadena=cadena),
            certificado_numero=self.credencial.numero,
            certificado_rfc=self.credencial.rfc,
            certificado_pem=self.certificado_pem,
            pdf=PDF_MUESTRA,
            pdf_sha256=self.pdf_sha256,
        )
        lote.dictamenes.append(dictamen)
        return dictamen

    # --- Writing ----------------------------------------------------------------------------------

    def _escribir(self, lote: _Lote):
        T = 2000
        with fechas_historicas(Solicitud, RevisionArea):
            Solicitud.objects.bulk_create(lote.solicitudes, batch_size=T)
            Partida.objects.bulk_create(lote.partidas, batch_size=T)
            Process.objects.bulk_create(lote.procesos, batch_size=T)
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO dictamenes_procesodictamen "
                    "(process_ptr_id, solicitud_id, admitida, subsanar_vence, area_devuelta_id) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    lote.procesos_dictamen,
                )
            Task.objects.bulk_create(lote.tareas, batch_size=T)
            Task.previous.through.objects.bulk_create(lote.previas, batch_size=T)
            RevisionArea.objects.bulk_create(lote.revisiones, batch_size=T)
            OpinionPartida.objects.bulk_create(lote.opiniones, batch_size=T)
            Dictamen.objects.bulk_create(lote.dictamenes, batch_size=T)
            EventoAuditoria.objects.bulk_create(lote.eventos, batch_size=T)
        for clave, filas in (
            ("solicitudes", lote.solicitudes),
            ("partidas", lote.partidas),
            ("tareas", lote.tareas),
            ("eventos", lote.eventos),
            ("revisiones", lote.revisiones),
            ("dictamenes", lote.dictamenes),
        ):
            self.cuenta[clave] += len(filas)

    def _muestra(self):
        """The one placeholder PDF all generated dictámenes point to."""
        from reportlab.lib.pagesizes import letter
        from reportlab.pdfgen import canvas

        if not default_storage.exists(PDF_MUESTRA):
            import io

            salida = io.BytesIO()
            hoja = canvas.Canvas(salida, pagesize=letter)
            hoja.drawString(72, 720, "Dictamen del histórico de medición (marcador compartido).")
            hoja.save()
            default_storage.save(PDF_MUESTRA, ContentFile(salida.getvalue()))
        with default_storage.open(PDF_MUESTRA, "rb") as archivo:
            self.pdf_sha256 = hashlib.sha256(archivo.read()).hexdigest()

    def generar(self, avisar=lambda texto: None) -> dict:
        from cryptography.hazmat.primitives import serialization

        carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
        self.firmantes = [u for u in self.firmantes if (carpeta / f"{u.username}.cer").exists()]
        if not self.firmantes:
            raise RuntimeError("Falta la e.firma de demostración (manage.py efirma_demo).")
        self.credencial = efirma_pruebas.demo_credencial(carpeta, self.firmantes[0].username)
        self.firmantes = self.firmantes[:1]
        self.certificado_pem = self.credencial.certificado.public_bytes(
            serialization.Encoding.PEM
        ).decode("ascii")
        self._muestra()
        self.requirentes_asegurar()
        self.folios_dictamen = dict(
            Consecutivo.objects.filter(serie="dictamen").values_list("ejercicio", "ultimo")
        )
        folios_solicitud = dict(
            Consecutivo.objects.filter(serie="solicitud").values_list("ejercicio", "ultimo")
        )
        for anio in range(self.hasta.year - self.anios + 1, self.hasta.year + 1):
            # Growth of about 4 % a year around the scale's mean.
            centro = (self.anios - 1) / 2
            n = round(POR_ANIO * self.escala * (1 + 0.04 * (anio - self.hasta.year + centro)))
            meses = sorted(self.azar.choices(range(1, 13), weights=PESO_MENSUAL, k=n))
            lote = _Lote()
            numero = folios_solicitud.get(anio, 0)
            for mes in meses:
                fecha = self.cal.sumar(datetime.date(anio, mes, self.azar.randint(1, 28)), 0)
                presentada = self._momento(fecha)
                if presentada > self.hasta:
                    continue
                numero += 1
                self.solicitud(lote, anio=anio, numero=numero, presentada=presentada)
            with transaction.atomic():
                self._escribir(lote)
                Consecutivo.objects.update_or_create(
                    serie="solicitud", ejercicio=anio, defaults={"ultimo": numero}
                )
            avisar(
                f"{anio}: {len(lote.solicitudes)} solicitudes, {len(lote.tareas)} tareas, "
                f"{len(lote.eventos)} eventos, {len(lote.dictamenes)} dictámenes"
            )
        with transaction.atomic():
            for anio, ultimo in self.folios_dictamen.items():
                Consecutivo.objects.update_or_create(
                    serie="dictamen", ejercicio=anio, defaults={"ultimo": ultimo}
                )
            Consecutivo.objects.update_or_create(
                serie="auditoria", ejercicio=0, defaults={"ultimo": self.numero_evento}
            )
            modelos = [Solicitud, Partida, Process, Task, RevisionArea, OpinionPartida, Dictamen]
            modelos += [EventoAuditoria, Task.previous.through]
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), modelos):
                    cursor.execute(sql)
        return self.cuenta


def generar(*, anios: int = 10, escala: float = 10, hasta=None, semilla: int = 2026, avisar=None):
    hasta = hasta or timezone.now()
    return Generador(anios=anios, escala=escala, hasta=hasta, semilla=semilla).generar(
        avisar or (lambda texto: None)
    )
