"""One request through the procedure, as the services would have written it.

Every change of state takes the one door's rule (dictamenes.tramite.services.estados.
transicion_preparar) with the same event as the live step: the same tipo, descripción,
motivo and datos, the same atendida_en and business days of attention, the same result.
The rows are only kept in memory here; the batch is written in bulk (filas.lote_escribir).
Processes and tasks are viewflow's own rows, linked as the engine links them.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import STATUS
from viewflow.workflow.token import Token

from demo.historico import mercado
from demo.historico.catalogo import RESULTADOS, TIPOS, TITULOS, elegir
from demo.historico.filas import Lote
from demo.historico.mundo import PREFIJO_AREA, CasoMundo, TareaMundo
from demo.historico.sello import MOTIVOS, Sello
from dictamenes.comun import auditoria
from dictamenes.models import (
    EventoAuditoria,
    OpinionPartida,
    Partida,
    Resultado,
    RevisionArea,
    Solicitud,
)
from dictamenes.tramite.services import estados, transiciones

E = Solicitud.Estado
FALTANTES = "Falta el estudio de mercado."
RESPUESTA = "Se adjunta el estudio de mercado."
CENTAVOS = Decimal("0.01")


@dataclass
class _Caso:
    """One request being written: its rows so far and the world's course for it."""

    solicitud: Solicitud
    autor: object
    mundo: CasoMundo
    resultado: str
    pid: int = 0
    proceso: list = field(default_factory=list)  # the ProcesoDictamen row
    areas: list = field(default_factory=list)
    partidas: list = field(default_factory=list)


class Tramite(Sello):
    # --- Rows -------------------------------------------------------------------------------------

    def _evento(self, lote, *, tipo, descripcion, usuario, solicitud_id, momento, datos, motivo=""):
        """The next link of the audit chain, as auditoria.evento_registrar forms it."""
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

    def _mover(self, lote, solicitud, *, momento, **paso):
        """A change of state through the one door's rule (what estados.solicitud_mover
        writes), applied to the request in memory and chained as its audit event."""
        transicion = estados.transicion_preparar(
            solicitud=solicitud,
            momento=momento,
            eventos=lote.eventos[self._primer_evento :],
            calendario=self.cal,
            **paso,
        )
        transicion.aplicar(solicitud)
        self._evento(lote, solicitud_id=solicitud.pk, momento=momento, **transicion.evento)

    def _tarea(self, lote, proceso_id, nodo, *, creada, terminada, previas=(), **extra):
        tarea = Task(
            id=self.ids(Task),
            process_id=proceso_id,
            flow_task=nodo,
            flow_task_type=nodo.task_type,
            status=extra.pop("status", STATUS.DONE if terminada else STATUS.NEW),
            created=creada,
            started=extra.pop("started", creada if terminada else None),
            finished=terminada,
            token=Token(extra.pop("token", "start")),
            data=extra.pop("data", {}),
            **extra,
        )
        lote.tareas.append(tarea)
        for previa in previas:
            lote.previas.append(Task.previous.through(from_task_id=previa.pk, to_task_id=tarea.pk))
        return tarea

    def _humana(
        self, lote, proceso_id, nodo, etapa, tarea: TareaMundo, usuarios, *, previas, **extra
    ):
        """A person's task as the world served it: waiting in the queue from `lista`, in the
        hands of person i from `inicio`, done at `fin`; cut at `hasta`. Returns the task and
        when it finished (None while open)."""
        creada, inicio, fin = (self._momento(t) for t in (tarea.lista, tarea.inicio, tarea.fin))
        asignada = inicio <= self.hasta
        terminada = fin if fin <= self.hasta else None
        quien = usuarios[tarea.persona % len(usuarios)]
        fila = self._tarea(
            lote,
            proceso_id,
            nodo,
            creada=creada,
            terminada=terminada,
            previas=previas,
            owner_id=quien.pk if asignada else None,
            assigned=inicio if asignada else None,
            started=inicio if asignada else None,
            status=STATUS.DONE if terminada else (STATUS.ASSIGNED if asignada else STATUS.NEW),
            owner_permission=extra.pop("permiso"),
            data={
                "etapa": etapa,
                "vence": self._vence(creada, etapa).isoformat(),
                **extra.pop("datos", {}),
            },
            **extra,
        )
        return fila, terminada

    def _momento(self, t: float) -> datetime.datetime:
        return self.reloj.momento(t, self.zona)

    # --- One request ----------------------------------------------------------------------------

    def solicitud(self, lote: Lote, *, anio: int, numero: int, caso: CasoMundo):
        """Draft, items and presentation; then each step as the world served it, until the
        request closes or a step is still open at `hasta`."""
        azar = self.azar
        presentada = self._momento(caso.presentada)
        ente = azar.choice(self.entes)
        autor = azar.choice(self.requirentes[ente.pk])
        tipo = elegir(azar, TIPOS)
        resultado = elegir(azar, RESULTADOS)

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
            estado=E.BORRADOR,
            presentada_en=presentada,
            planeada=azar.random() < 0.7,
            creada_por=autor,
            creada_en=creada,
            actualizada_en=creada,
        )
        lote.solicitudes.append(solicitud)
        self._primer_evento = len(lote.eventos)  # this request's events, for its days of attention
        caso = _Caso(solicitud, autor, caso, resultado)
        self._borrador(lote, caso, creada=creada, tipo=tipo)
        self._presentar(lote, caso, presentada=presentada)
        admitida = self._admision(lote, caso, presentada=presentada)
        if admitida is None:
            return solicitud
        union = self._revision_tecnica(lote, caso, *admitida)
        if union is None:
            return solicitud
        decidida = self._decision(lote, caso, *union)
        if decidida is None:
            return solicitud
        self._firma(lote, caso, *decidida)
        return solicitud

    def _borrador(self, lote, caso, *, creada, tipo):
        """The draft and its items, one to three, from one or two areas."""
        azar, solicitud = self.azar, caso.solicitud
        self._evento(
            lote,
            tipo="creacion",
            descripcion="Borrador creado",
            usuario=caso.autor,
            solicitud_id=solicitud.pk,
            momento=creada,
            datos={},
        )
        caso.areas = [self.area_de_clave[clave] for clave in caso.mundo.areas]
        monto = Decimal(0)
        for i in range(azar.randint(1, 3)):
            perfil, evaluacion, veredicto = azar.choice(
                self.perfiles[caso.areas[i % len(caso.areas)]]
            )
            compra = self._compra(caso, perfil=perfil, fecha=creada, numero=i)
            partida = Partida(
                id=self.ids(Partida),
                solicitud_id=solicitud.pk,
                perfil=perfil,
                descripcion=f"{perfil.categoria.nombre}: {perfil.nombre}",
                cantidad=compra.cantidad,
                precio_unitario=compra.precio_unitario,
                unidad=compra.unidad,
                meses=compra.meses,
                capitulo="5000" if tipo in ("adquisicion", "baja") else "3000",
                partida_especifica="51501" if tipo in ("adquisicion", "baja") else "33301",
                especificaciones={},
                evaluacion=evaluacion,
                veredicto=veredicto,
            )
            monto += partida.importe
            caso.partidas.append(partida)
            self._evento(
                lote,
                tipo="partida",
                descripcion=f"Partida agregada: {partida.descripcion}",
                usuario=caso.autor,
                solicitud_id=solicitud.pk,
                momento=creada,
                datos={"partida": partida.pk, "veredicto": veredicto, "version": partida.version},
            )
        lote.partidas += caso.partidas
        solicitud.monto_estimado = monto

    def _compra(self, caso, *, perfil, fecha, numero: int) -> mercado.Precio:
        """What the `numero`-th item of the request costs and how many are bought: the market's
        draw (demo.historico.plantas overrides it to plant prices far above the market)."""
        return mercado.precio(
            self.mercado,
            categoria=perfil.categoria.clave,
            perfil=perfil.clave,
            fecha=fecha,
            hoy=self.hasta,
        )

    def _presentar(self, lote, caso, *, presentada):
        solicitud = caso.solicitud
        monto = str(solicitud.monto_estimado.quantize(CENTAVOS))
        self._mover(
            lote,
            solicitud,
            momento=presentada,
            usuario=caso.autor,
            # History predates the annual programme's lines; the declared total is the items'.
            **transiciones.presentacion(
                folio=solicitud.folio,
                en_programa=solicitud.planeada,
                linea_pk=None,
                declarado=monto,
                partidas=monto,
            ),
        )
        caso.pid = self.ids(Process)
        lote.procesos.append(
            Process(
                id=caso.pid,
                flow_class=type(self.flujo),
                status=STATUS.NEW,
                created=presentada,
                data={},
            )
        )
        # process_ptr, solicitud, admitida, subsanar_vence, area_devuelta
        caso.proceso = [caso.pid, solicitud.pk, False, None, None]
        lote.procesos_dictamen.append(caso.proceso)

    def _admision(self, lote, caso, *, presentada):
        """Admission, or a prevención answered in time (back to admission) or not (desechada).
        Returns when and after which task the technical review starts, or None."""
        f, pid, solicitud, mundo = self.flujo, caso.pid, caso.solicitud, caso.mundo
        inicio = self._tarea(lote, pid, f.presentar, creada=presentada, terminada=presentada)
        adm, momento = self._humana(
            lote,
            pid,
            f.admision,
            "admision",
            mundo.tarea("admision"),
            self.mesa,
            previas=[inicio],
            permiso="dictamenes.admitir_solicitud",
        )
        if momento is None:
            return None
        mesa = self.mesa[mundo.tarea("admision").persona % len(self.mesa)]
        si = self._tarea(lote, pid, f.admitida, creada=momento, terminada=momento, previas=[adm])
        if mundo.prevenida:
            vence = self._vence(momento, "subsanar")
            self._mover(
                lote,
                solicitud,
                momento=momento,
                usuario=mesa,
                **transiciones.prevencion(vence=vence, faltantes=FALTANTES),
            )
            caso.proceso[3] = vence
            subsanar = mundo.tarea("subsanar")
            fin_sub = self._momento(subsanar.fin)
            abierta = fin_sub > self.hasta
            sub = self._tarea(
                lote,
                pid,
                f.subsanar,
                creada=momento,
                terminada=None if abierta else fin_sub,
                previas=[si],
                owner_permission="dictamenes.actuar_como_requirente",
                owner_permission_content_type_id=self.ct_ente,
                owner_permission_obj_pk=str(solicitud.ente_id),
                data={"etapa": "subsanar", "vence": vence.isoformat()},
            )
            if abierta:
                return None
            if mundo.desechada:
                des = self._tarea(
                    lote, pid, f.desechar, creada=fin_sub, terminada=fin_sub, previas=[sub]
                )
                self._tarea(
                    lote, pid, f.fin_desechada, creada=fin_sub, terminada=fin_sub, previas=[des]
                )
                self._mover(
                    lote,
                    solicitud,
                    momento=fin_sub,
                    usuario=None,
                    **transiciones.desechada(vence=vence),
                )
                self._cerrar(lote, caso, fin_sub)
                return None
            self._mover(
                lote,
                solicitud,
                momento=fin_sub,
                usuario=caso.autor,
                **transiciones.subsanacion(respuesta=RESPUESTA),
            )
            otra = mundo.tarea("admision", 1)
            adm, momento = self._humana(
                lote,
                pid,
                f.admision,
                "admision",
                otra,
                self.mesa,
                previas=[sub],
                permiso="dictamenes.admitir_solicitud",
            )
            if momento is None:
                return None
            mesa = self.mesa[otra.persona % len(self.mesa)]
            si = self._tarea(
                lote, pid, f.admitida, creada=momento, terminada=momento, previas=[adm]
            )
        caso.proceso[2] = True
        self._mover(
            lote,
            solicitud,
            momento=momento,
            usuario=mesa,
            **transiciones.admision(areas=[self.areas[a].clave for a in caso.areas]),
        )
        return momento, si

    def _revision_tecnica(self, lote, caso, momento, si):
        """Each area's review, in parallel. Returns when and after which task the strategic
        review starts, or None while an area is still reviewing."""
        azar, f, pid, sid = self.azar, self.flujo, caso.pid, caso.solicitud.pk
        split = self._tarea(lote, pid, f.dividir, creada=momento, terminada=momento, previas=[si])
        ramas, terminadas = [], []
        for i, area_id in enumerate(sorted(caso.areas), start=1):
            area = self.areas[area_id]
            tarea = caso.mundo.tarea(f"{PREFIJO_AREA}{area.clave}")
            revisores = self.revisores[area_id]
            revisor = revisores[tarea.persona % len(revisores)]
            rama, fin_rev = self._humana(
                lote,
                pid,
                f.revision_tecnica,
                "revision_area",
                tarea,
                revisores,
                previas=[split],
                permiso="dictamenes.revisar_area",
                token=f"start/{split.pk}_{i}",
                owner_permission_content_type_id=self.ct_area,
                owner_permission_obj_pk=str(area_id),
                datos={"area": area_id},
            )
            ramas.append(rama)
            if fin_rev is None:
                continue
            terminadas.append((fin_rev, revisor))
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
            for partida in caso.partidas:
                if partida.perfil.categoria.area_id == area_id:
                    lote.opiniones.append(
                        OpinionPartida(
                            id=self.ids(OpinionPartida),
                            revision_id=rid,
                            partida_id=partida.pk,
                            opinion="Cumple lo solicitado.",
                        )
                    )
            # Not a change of state: the live step records it with evento_registrar.
            self._evento(
                lote,
                tipo="revision_area",
                descripcion=f"Revisión técnica de {area} concluida "
                f"({RevisionArea.Opinion(opinion).label})",
                usuario=revisor,
                solicitud_id=sid,
                momento=fin_rev,
                datos={"area": area.clave, "ronda": 1, "ajustes": 0, "detalle": []},
            )
        if len(terminadas) < len(caso.areas):
            return None
        momento, ultimo = max(terminadas, key=lambda terminada: terminada[0])
        union = self._tarea(
            lote, pid, f.unir_revisiones, creada=momento, terminada=momento, previas=ramas
        )
        self._mover(
            lote,
            caso.solicitud,
            momento=momento,
            usuario=ultimo,  # live, the reviewer who concludes last moves the request on
            **transiciones.fin_revision_tecnica(),
        )
        return momento, union

    def _decision(self, lote, caso, momento, union):
        """The strategic decision sets the result. Returns when and after which task the
        signature starts, and the conditions, or None while undecided."""
        f, pid, resultado = self.flujo, caso.pid, caso.resultado
        tarea = caso.mundo.tarea("revision_estrategica")
        est, momento = self._humana(
            lote,
            pid,
            f.revision_estrategica,
            "revision_estrategica",
            tarea,
            self.estrategicos,
            previas=[union],
            permiso="dictamenes.decidir_solicitud",
        )
        if momento is None:
            return None
        estrategico = self.estrategicos[tarea.persona % len(self.estrategicos)]
        condiciones = "Entregar garantía de 3 años." if resultado == Resultado.CONDICIONADO else ""
        self._mover(
            lote,
            caso.solicitud,
            momento=momento,
            usuario=estrategico,
            **transiciones.decision(resultado=resultado, condiciones=condiciones, motivos=MOTIVOS),
        )
        no = self._tarea(lote, pid, f.devuelta, creada=momento, terminada=momento, previas=[est])
        return momento, no, condiciones

    def _firma(self, lote, caso, momento, no, condiciones):
        """The firmante signs: the dictamen is sealed and the request is attended."""
        f, pid, solicitud, resultado = self.flujo, caso.pid, caso.solicitud, caso.resultado
        tarea = caso.mundo.tarea("firma")
        firma, fin_firma = self._humana(
            lote,
            pid,
            f.firma,
            "firma",
            tarea,
            self.firmantes,
            previas=[no],
            permiso="dictamenes.firmar_dictamen",
        )
        if fin_firma is None:
            return
        firmante = self.firmantes[tarea.persona % len(self.firmantes)]
        self._tarea(lote, pid, f.fin, creada=fin_firma, terminada=fin_firma, previas=[firma])
        dictamen = self._dictamen(lote, solicitud, resultado, condiciones, firmante, fin_firma)
        self._mover(
            lote,
            solicitud,
            momento=fin_firma,
            usuario=firmante,
            **transiciones.dictamen_emitido(dictamen=dictamen),
        )
        self._cerrar(lote, caso, fin_firma)

    def _cerrar(self, lote, caso, momento):
        """The request is attended (the one door set its dates): its process ends."""
        proceso = lote.procesos[-1]
        assert proceso.pk == caso.pid
        proceso.status, proceso.finished = STATUS.DONE, momento
