"""Known red flags planted in the history (issue 80, item 6): a world someone else made, for
measuring the signs (bench/senales.py) against it.

Every request of the history gets what an honest agency's file has: three suppliers' quotes
per item, each with its file, from a pool of companies that share nothing (name, address,
phone, who signs); prices apart from one another and the item's own price at or under their
middle one; then, under a favourable dictamen, a contract with one of the suppliers who quoted,
within what was approved, with its term; its acta de entrega-recepción by then, with the
approved quantities, paid within the contract; the conditions of a conditioned dictamen met.
The market of this history is calm: every item is priced within 7 % of the market.

Then, at known rates and from a seeded stream of their own, cases a careful person reading
each sign's sentence (dictamenes.senales.catalogo, with the thresholds in force) would circle:
an item far above the market; fewer than three quotes; cover quotes (identical or near
prices, one file, one phone, one address, one signer, one ratio across items); a quote from
the requesting agency itself; a contract over the approved total, with a supplier who never
quoted, or after the dictamen's validity; a delivery missing, paid over the contract or
with other quantities; a condition overdue; an agency-year given to one supplier. The world
makes some on its own (a request presented in the year's last business days, a small
request of a category the agency buys again that year, a year's largest contract): those are
found here by reading the sentence, not planted, and kept apart in the truth.

The truth (request id → codes) is written to var/senales-plantadas.json, which the system
never reads. This module reads and writes rows only: it imports nothing of the signs' rules,
of the price rules or of the procedure's (tests/demo/test_plantas.py checks it)."""

import datetime
import json
import random
from collections import defaultdict
from decimal import Decimal

from demo.historico.cotizaciones_plantadas import (
    CALMO,
    CARO,
    CIERRE,
    COBERTURA,
    CONDICIONES,
    DEL_ENTE,
    DISTINTA,
    DOMINANTE,
    EXCEDE,
    FALTANTE,
    FRACCIONAMIENTO,
    PAGO,
    POCAS,
    PRECIO_ALTO,
    SIN_COTIZACION,
    SIN_MOTIVO,
    TASA,
    VIGENCIA,
    VIVAS,
    Cotizador,
    Filas,
    Llaves,
    Proveedor,
    Resumen,
    centavos,
    proveedores,
)
from dictamenes.models import (
    Anexo,
    Condicion,
    Contrato,
    Cotizacion,
    DecisionPartida,
    Entrega,
)


class Plantador(Cotizador):
    """Decides, per request, what is planted; builds the rows; keeps the truth."""

    def __init__(self, *, semilla: int, hasta: datetime.datetime, cal, config, tasa=TASA):
        self.semilla, self.hasta, self.cal, self.tasa = semilla, hasta, cal, tasa
        self.hoy = hasta.date()
        self.c = config  # the tracks' configuration in force: the thresholds of the sentences
        self.familias = {
            clave: f["nombre"] for f in config.fraccion_familias or [] for clave in f["categorias"]
        }
        self.pool = proveedores()
        self.llaves = Llaves(Anexo, Cotizacion, DecisionPartida, Contrato, Entrega, Condicion)
        self.plantadas: dict[int, set[str]] = defaultdict(set)
        self.del_mundo: dict[int, set[str]] = defaultdict(set)
        self.resumenes: dict[int, Resumen] = {}
        self.contratos: list[tuple[int, int, int, str, Decimal]] = []  # sid, ente, año, ...
        self.veces: dict[int, float] = {}  # request -> its first item, in times the market
        self.dominados: dict[tuple[int, int], Proveedor] = {}  # (ente, ejercicio) -> supplier

    # --- Draws ------------------------------------------------------------------------------------

    def azar(self, sid: int, que: str) -> random.Random:
        return random.Random(f"{self.semilla}-senales-{que}-{sid}")  # noqa: S311 - data

    def caro(self, sid: int) -> bool:
        """Whether the request's first item is planted far above the market (the price sign,
        and the approval without reason when it is approved without one)."""
        return self.azar(sid, "caro").random() < 2 * self.tasa

    def factor(self, sid: int, numero: int, azar) -> float:
        """How many times the market price the request's `numero`-th item costs."""
        veces = azar.uniform(*(CARO if numero == 0 and self.caro(sid) else CALMO))
        if numero == 0:
            self.veces[sid] = veces
        return veces

    def _cual(self, azar, opciones) -> str | None:
        """One of `opciones` at the rate each, or none."""
        x = azar.random()
        for i, opcion in enumerate(opciones):
            if x < self.tasa * (i + 1):
                return opcion
        return None

    # --- One year ---------------------------------------------------------------------------------

    def filas_vacias(self) -> Filas:
        return Filas()

    def anio(self, lote) -> Filas:
        """The rows planted on a year's batch (lote: demo.historico.filas.Lote, written)."""
        filas = Filas()
        partidas = defaultdict(list)
        for p in lote.partidas:
            partidas[p.solicitud_id].append(p)
        dictamenes = {d.solicitud_id: d for d in lote.dictamenes}
        decididas = {
            e.solicitud_id: (e.ocurrido_en, e.usuario_id)
            for e in lote.eventos
            if e.tipo == "decision_estrategica"
        }
        for s in lote.solicitudes:
            self._solicitud(filas, s, partidas[s.pk], dictamenes.get(s.pk), decididas.get(s.pk))
        return filas

    def _solicitud(self, filas, s, partidas, dictamen, decidida):
        azar = self.azar(s.pk, "solicitud")
        presentada = s.presentada_en.date()
        por_familia = defaultdict(Decimal)
        for p in partidas:
            clave = p.perfil.categoria.clave
            por_familia[self.familias.get(clave, clave)] += p.importe
        self.resumenes[s.pk] = Resumen(
            s.ente_id,
            s.ejercicio,
            presentada.year,
            s.estado in VIVAS,
            s.monto_estimado,
            por_familia,
        )
        if self._en_cierre(presentada, s.ejercicio):
            self.del_mundo[s.pk].add(CIERRE)
        caro = self.caro(s.pk)
        if caro:
            self.plantadas[s.pk].add(PRECIO_ALTO)
        # One quotes' case at most, and none on a dear item (the price sign reads the quotes).
        exigidas = s.monto_estimado >= self.c.cotizaciones_umbral * Decimal("1.2")
        opciones = (COBERTURA, DEL_ENTE, POCAS) if exigidas else (COBERTURA, DEL_ENTE)
        caso = None if caro else self._cual(azar, opciones)
        dominado = self.dominados.setdefault(
            (s.ente_id, s.ejercicio),
            self.pool[azar.randrange(len(self.pool))]
            if self.azar(s.ente_id * 10_000 + s.ejercicio, "dominio").random() < self.tasa
            else None,
        )
        quienes, mediana = self._cotizar(filas, azar, s, partidas, caso, dominado)
        if caso:
            self.plantadas[s.pk].add(caso)
        if decidida and s.resultado in ("favorable", "condicionado") and caro:
            self._decidir(filas, azar, s, partidas[0], decidida, mediana)
        if dictamen is None or dictamen.resultado == "no_favorable":
            return
        if dictamen.resultado == "condicionado":
            self._condicion(filas, azar, s, dictamen)
        self._contratar(filas, azar, s, partidas, dictamen, quienes, dominado)

    def _en_cierre(self, fecha: datetime.date, ejercicio: int) -> bool:
        """Presented in the last `senal_cierre_dias` business days of its fiscal year."""
        if fecha.year != ejercicio:
            return False
        dia, ultimos = datetime.date(ejercicio, 12, 31), []
        while len(ultimos) < self.c.senal_cierre_dias and dia.year == ejercicio:
            if self.cal.es_habil(dia):
                ultimos.append(dia)
            dia -= datetime.timedelta(days=1)
        return bool(ultimos) and fecha >= ultimos[-1]

    # --- Quotes -----------------------------------------------------------------------------------

    def _decidir(self, filas, azar, s, partida, decidida, mediana):
        """The dear item, approved whole: half the times with the decider's reason, half
        without one (the approval-without-reason sign)."""
        momento, decidio = decidida
        explicada = azar.random() < 0.5
        if not explicada:
            self.plantadas[s.pk].add(SIN_MOTIVO)
        filas.decisiones.append(
            DecisionPartida(
                id=self.llaves(DecisionPartida),
                partida_id=partida.pk,
                resultado="aprobada",
                cantidad_aprobada=partida.cantidad,
                monto_aprobado=centavos(partida.importe),
                texto="Se aprueba a este precio: incluye instalación en sitio y soporte de "
                "cinco años que las demás cotizaciones no ofrecen."
                if explicada
                else "",
                decidida_por_id=decidio,
                decidida_en=momento,
                # The price basis the decider saw: the market's price (as a reference made
                # of the state's purchases would be) and the middle of the quotes.
                referencia_unitaria=(
                    partida.precio_unitario / Decimal(f"{self.veces[s.pk]:.4f}")
                ).quantize(Decimal("0.0001")),
                mercado_unitario=mediana,
                base_precio={},
            )
        )

    def _condicion(self, filas, azar, s, dictamen):
        """The condition of a conditioned dictamen: met in time, or (planted) overdue."""
        emitido = dictamen.emitido_en.date()
        vence = self.cal.sumar(emitido, 20)
        vencida = vence < self.hoy
        # Planted only a week or more overdue; a clean one is met by its due date.
        atrasada = vence < self.hoy - datetime.timedelta(days=7) and azar.random() < 3 * self.tasa
        condicion = Condicion(
            id=self.llaves(Condicion),
            dictamen_id=dictamen.pk,
            numero=1,
            texto=dictamen.condiciones or "Entregar garantía de 3 años.",
            vence=vence,
            estado="pendiente",
        )
        if atrasada:
            self.plantadas[s.pk].add(CONDICIONES)
        elif vencida:
            entregada = datetime.datetime.combine(
                vence - datetime.timedelta(days=azar.randint(2, 10)),
                datetime.time(11),
                tzinfo=dictamen.emitido_en.tzinfo,
            )
            condicion.estado, condicion.a_tiempo = "cumplida", True
            condicion.presentada_en = max(entregada, dictamen.emitido_en)
            condicion.verificada_en = condicion.presentada_en + datetime.timedelta(days=1)
            condicion.verificada_por_id = dictamen.firmado_por_id
        filas.condiciones.append(condicion)

    def _contratar(self, filas, azar, s, partidas, dictamen, quienes, dominado):
        emitido = dictamen.emitido_en.date()
        if azar.random() < 0.1:
            return  # not (yet) contracted
        aprobado = sum((p.importe for p in partidas), Decimal(0))
        caso = self._cual(azar, (EXCEDE, SIN_COTIZACION, VIGENCIA))
        fecha = emitido + datetime.timedelta(days=azar.randint(5, 45))
        if caso == VIGENCIA:
            fecha = dictamen.vigencia_hasta + datetime.timedelta(days=azar.randint(5, 60))
        if fecha > self.hoy or fecha > dictamen.vigencia_hasta and caso != VIGENCIA:
            return
        proveedor = dominado if dominado in quienes else azar.choice(quienes)
        monto = centavos(aprobado * Decimal(f"{azar.uniform(0.85, 0.99):.4f}"))
        contrato = Contrato(
            id=self.llaves(Contrato),
            dictamen_id=dictamen.pk,
            numero=f"{s.ente.siglas}-CTO-{s.ejercicio}-{s.pk}",
            fecha=fecha,
            termino=fecha + datetime.timedelta(days=azar.randint(30, 120)),
            registrado_por_id=s.creada_por_id,
            registrado_en=datetime.datetime.combine(
                fecha, datetime.time(13), tzinfo=dictamen.emitido_en.tzinfo
            ),
            fuera_de_vigencia=caso == VIGENCIA,
        )
        if caso == EXCEDE:
            lejos = azar.random() < 0.5
            monto = centavos(aprobado * Decimal(f"{azar.uniform(2, 6):.4f}" if lejos else "1.01"))
            contrato.excede_monto = True
            contrato.motivo_exceso = "Ajuste de precios del proveedor al firmar."
            if lejos:
                contrato.autorizacion = "autorizada"
                contrato.autorizado_por_id = dictamen.firmado_por_id
                contrato.autorizado_en = contrato.registrado_en + datetime.timedelta(days=1)
                contrato.motivo_autorizacion = "Se autoriza con el motivo del ente."
        elif caso == SIN_COTIZACION:
            proveedor = azar.choice([p for p in self.pool if p not in quienes])
        if caso:
            self.plantadas[s.pk].add(caso)
        contrato.proveedor, contrato.monto = proveedor.nombre, monto
        contrato.proveedor_rfc = proveedor.rfc
        filas.contratos.append(contrato)
        self.contratos.append((s.pk, s.ente_id, fecha.year, proveedor.nombre, monto))
        if contrato.termino < self.hoy:
            self._entregar(filas, azar, s, partidas, contrato, dictamen)

    def _entregar(self, filas, azar, s, partidas, contrato, dictamen):
        """The acta de entrega-recepción by the contract's end, with what was approved, paid
        within the contract; or (planted) none long after it, paid over it, or other
        quantities."""
        caso = self._cual(azar, (FALTANTE, PAGO, DISTINTA))
        if caso == FALTANTE:
            if self.cal.sumar(contrato.termino, self.c.senal_entrega_dias + 10) < self.hoy:
                self.plantadas[s.pk].add(FALTANTE)
                return
            caso = None
        fecha = max(contrato.termino - datetime.timedelta(days=azar.randint(0, 15)), contrato.fecha)
        pagado = centavos(contrato.monto * Decimal(f"{azar.uniform(0.97, 1.0):.4f}"))
        cantidades = {str(p.pk): p.cantidad for p in partidas}
        if caso == PAGO:
            pagado = centavos(contrato.monto * Decimal(f"{azar.uniform(1.01, 1.3):.4f}"))
        elif caso == DISTINTA:
            p = azar.choice(partidas)
            menos = max(1, round(p.cantidad * azar.uniform(0.1, 0.3)))
            cantidades[str(p.pk)] = p.cantidad - menos if p.cantidad > menos else p.cantidad + 1
        if caso:
            self.plantadas[s.pk].add(caso)
        momento = datetime.datetime.combine(
            fecha, datetime.time(12), tzinfo=dictamen.emitido_en.tzinfo
        )
        anexo = self._anexo(
            filas,
            s,
            tipo="entrega",
            nombre="acta-entrega-recepcion.pdf",
            sha256=f"{azar.getrandbits(256):064x}",
            momento=momento,
        )
        filas.entregas.append(
            Entrega(
                id=self.llaves(Entrega),
                contrato_id=contrato.pk,
                fecha=fecha,
                anexo=anexo,
                monto_pagado=pagado,
                cantidades=cantidades,
                registrada_por_id=s.creada_por_id,
                registrada_en=momento,
            )
        )

    # --- Once every year is written -------------------------------------------------------------

    def cerrar(self) -> None:
        """What the world made on its own, read from the split and concentration sentences."""
        self._fraccionamientos()
        self._dominantes()

    def _fraccionamientos(self):
        """A request under the fast track's amount whose items of a category (or family), with
        those of the agency's other live requests of the same fiscal or calendar year, reach
        it."""
        por_ejercicio, por_anio, por_ambos = (
            defaultdict(Decimal),
            defaultdict(Decimal),
            defaultdict(Decimal),
        )
        for r in self.resumenes.values():
            if not r.viva:
                continue
            for clave, monto in r.por_familia.items():
                por_ejercicio[(r.ente, clave, r.ejercicio)] += monto
                por_anio[(r.ente, clave, r.anio_presentada)] += monto
                por_ambos[(r.ente, clave, r.ejercicio, r.anio_presentada)] += monto
        umbral = self.c.umbral_monto
        for sid, r in self.resumenes.items():
            if sum(r.por_familia.values(), Decimal(0)) >= umbral:
                continue
            for clave, propio in r.por_familia.items():
                suyas = (
                    por_ejercicio[(r.ente, clave, r.ejercicio)]
                    + por_anio[(r.ente, clave, r.anio_presentada)]
                    - por_ambos[(r.ente, clave, r.ejercicio, r.anio_presentada)]
                )
                otras = suyas - (propio if r.viva else 0)
                if otras > 0 and propio + otras >= umbral:
                    self.del_mundo[sid].add(FRACCIONAMIENTO)
                    break

    def _dominantes(self):
        """In a year of an agency's contracts (by their dates: what it contracted in the year)
        with enough of them, the supplier with more than the share: every request contracted
        with it that year."""
        por_anio = defaultdict(list)
        for sid, ente, anio, proveedor, monto in self.contratos:
            por_anio[(ente, anio)].append((sid, proveedor, monto))
        for (ente, anio), contratos in por_anio.items():
            if len(contratos) < self.c.senal_dominante_contratos:
                continue
            total = sum((m for _s, _p, m in contratos), Decimal(0))
            suma = defaultdict(Decimal)
            for _s, proveedor, monto in contratos:
                suma[proveedor] += monto
            for proveedor, monto in suma.items():
                if monto * 100 <= total * self.c.senal_dominante_pct:
                    continue
                # Planted on the requests of a fiscal year, signed mostly within it.
                dominado = self.dominados.get((ente, anio))
                plantado = dominado is not None and dominado.nombre == proveedor
                for sid, de, _m in contratos:
                    if de == proveedor:
                        (self.plantadas if plantado else self.del_mundo)[sid].add(DOMINANTE)

    def verdad(self, solicitudes: list[int]) -> dict:
        """What the bench compares the signs with: every request of the history, and per
        request the codes planted and those the world made."""
        return {
            "semilla": self.semilla,
            "hasta": self.hasta.isoformat(),
            "tasa": self.tasa,
            "umbrales": {
                campo: str(getattr(self.c, campo))
                for campo in (
                    "umbral_monto",
                    "cotizaciones_umbral",
                    "precio_senal_pct",
                    "ley_no_aceptable_pct",
                    "senal_cobertura_pct",
                    "senal_cierre_dias",
                    "senal_dominante_pct",
                    "senal_dominante_contratos",
                    "senal_entrega_dias",
                )
            },
            "solicitudes": sorted(solicitudes),
            "plantadas": {str(k): sorted(v) for k, v in sorted(self.plantadas.items()) if v},
            "del_mundo": {str(k): sorted(v) for k, v in sorted(self.del_mundo.items()) if v},
        }


def verdad_escribir(verdad: dict, ruta) -> None:
    ruta.parent.mkdir(parents=True, exist_ok=True)
    ruta.write_text(json.dumps(verdad, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
