"""The fiscal years, one batch each: the world's requests (mundo.simular) written in order of
presentation, their folios, and the consecutives and sequences left where the services will
continue them."""

from django.db import transaction
from django.utils import timezone

from demo.estadisticas import estadisticas_actualizar
from demo.historico import filas, mundo
from demo.historico.tramite import Tramite
from dictamenes.comun.auditoria import versiones_avanzar
from dictamenes.models import Consecutivo
from dictamenes.organizacion.selectors.textos import textos_vigentes
from estandares.progreso import HECHO, OMITIDO, SIN_AVANCE, Avance


class Generador(Tramite):
    """Writes the world's cases as rows. Its staff is the people of each role times `escala`
    (at least one); the world's person i is users[i % len(users)] of that role. When there are
    more persons than users (escala > 1, the bench) a user's tasks may overlap in time: such a
    record is not a valid queue record, which is fine for measuring pages at scale."""

    def _anios(self) -> range:
        return range(self.ultimo - self.anios + 1, self.ultimo + 1)

    def _mundo(self) -> mundo.Mundo:
        return mundo.Mundo(escala=self.escala).con_areas(
            self.areas[pk].clave for pk in self.perfiles
        )

    def _roster(self) -> dict[str, int]:
        def gente(usuarios) -> int:
            return max(1, round(len(usuarios) * self.escala))

        return {
            mundo.ADMISION: gente(self.mesa),
            mundo.ESTRATEGICA: gente(self.estrategicos),
            mundo.FIRMA: gente(self.firmantes),
            **{
                mundo.paso_area(self.areas[pk].clave): gente(self.revisores.get(pk, []))
                for pk in self.perfiles
            },
        }

    def generar(self, avisar=lambda texto: None, avance: Avance = SIN_AVANCE) -> dict:
        self.firma_preparar()
        self.requirentes_asegurar()
        # Every dictamen of this run is issued under the current texts: read once, not per
        # dictamen (Dictamen.textos' default would query each time).
        self.textos = textos_vigentes()
        self.folios_dictamen = dict(
            Consecutivo.objects.filter(serie="dictamen").values_list("ejercicio", "ultimo")
        )
        folios_solicitud = dict(
            Consecutivo.objects.filter(serie="solicitud").values_list("ejercicio", "ultimo")
        )
        cuenta = dict.fromkeys(filas.Lote().cuenta(), 0)
        self.mundo = self._mundo()
        self.reloj = mundo.Reloj(self.cal, desde=self.cal.periodo[0], hasta=self.cal.periodo[1])
        # fiscal year -> the world's cases: the years as one process (December's queue carries
        # into January), each year's arrivals from its own seed.
        self.casos = mundo.simular_anios(
            self.mundo,
            semillas={anio: self.semilla * 10_000 + anio for anio in self._anios()},
            calendario=self.cal,
            roster=self._roster(),
            reloj=self.reloj,
        )
        # Skipped: the dates of this year still to come.
        avance.fase("solicitudes", total=sum(self.mundo.llegadas(a) for a in self._anios()))
        for anio in self._anios():
            casos = self.casos[anio]
            lote = filas.Lote()
            numero = folios_solicitud.get(anio, 0)
            for caso in casos:
                if self._momento(caso.presentada) > self.hasta:
                    avance.avanzar(OMITIDO)
                    continue
                numero += 1
                self.solicitud(lote, anio=anio, numero=numero, caso=caso)
                avance.avanzar(HECHO)
            with transaction.atomic():
                filas.lote_escribir(lote=lote)
                self._lote_escrito(lote, anio)
                Consecutivo.objects.update_or_create(
                    serie="solicitud", ejercicio=anio, defaults={"ultimo": numero}
                )
            del_anio = lote.cuenta()
            for clave, n in del_anio.items():
                cuenta[clave] += n
            avisar(
                f"{anio}: {del_anio['solicitudes']} solicitudes, {del_anio['tareas']} tareas, "
                f"{del_anio['eventos']} eventos, {del_anio['dictamenes']} dictámenes"
            )
        with transaction.atomic():
            for anio, ultimo in self.folios_dictamen.items():
                Consecutivo.objects.update_or_create(
                    serie="dictamen", ejercicio=anio, defaults={"ultimo": ultimo}
                )
            Consecutivo.objects.update_or_create(
                serie="auditoria", ejercicio=0, defaults={"ultimo": self.numero_evento}
            )
            # Written in bulk, without the door: every year's cached figures are stale.
            versiones_avanzar(ejercicios={0})
            filas.secuencias_reiniciar()
            self._historia_escrita(cuenta)
        estadisticas_actualizar()
        return cuenta

    def _lote_escrito(self, lote: filas.Lote, anio: int) -> None:
        """After a year's batch is written, in its transaction (demo.historico.plantas adds
        quotes, contracts and deliveries there)."""

    def _historia_escrita(self, cuenta: dict) -> None:
        """After every year is written, in the last transaction."""


def generar(
    *,
    anios: int = 10,
    escala: float = 10,
    hasta=None,
    semilla: int = 2026,
    ultimo: int | None = None,
    nuevos_requirentes: bool = True,
    avisar=None,
    avance: Avance = SIN_AVANCE,
):
    hasta = hasta or timezone.now()
    return Generador(
        anios=anios,
        escala=escala,
        hasta=hasta,
        semilla=semilla,
        ultimo=ultimo,
        nuevos_requirentes=nuevos_requirentes,
    ).generar(avisar or (lambda texto: None), avance)
