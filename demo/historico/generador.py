"""The fiscal years, one batch each: how many requests, when they were presented, their
folios, and the consecutives and sequences left where the services will continue them."""

import datetime

from django.db import transaction
from django.utils import timezone

from demo.estadisticas import estadisticas_actualizar
from demo.historico import filas
from demo.historico.tramite import Tramite
from dictamenes.comun.auditoria import versiones_avanzar
from dictamenes.models import Consecutivo
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.simulacion.services.motor import PESO_MENSUAL
from estandares.progreso import HECHO, OMITIDO, SIN_AVANCE, Avance

POR_ANIO = 800  # requests per fiscal year at escala 1 (Sonora: 794 in 2024)


class Generador(Tramite):
    def _por_anio(self) -> dict[int, int]:
        """Requests per fiscal year: growth of about 4 % a year around the scale's mean."""
        centro = (self.anios - 1) / 2
        return {
            anio: round(POR_ANIO * self.escala * (1 + 0.04 * (anio - self.hasta.year + centro)))
            for anio in range(self.hasta.year - self.anios + 1, self.hasta.year + 1)
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
        por_anio = self._por_anio()
        # Skipped: the dates of this year still to come.
        avance.fase("solicitudes", total=sum(por_anio.values()))
        for anio, n in por_anio.items():
            meses = sorted(self.azar.choices(range(1, 13), weights=PESO_MENSUAL, k=n))
            lote = filas.Lote()
            numero = folios_solicitud.get(anio, 0)
            for mes in meses:
                fecha = self.cal.sumar(datetime.date(anio, mes, self.azar.randint(1, 28)), 0)
                presentada = self._momento(fecha)
                if presentada > self.hasta:
                    avance.avanzar(OMITIDO)
                    continue
                numero += 1
                self.solicitud(lote, anio=anio, numero=numero, presentada=presentada)
                avance.avanzar(HECHO)
            with transaction.atomic():
                filas.lote_escribir(lote=lote)
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
        estadisticas_actualizar()
        return cuenta


def generar(
    *,
    anios: int = 10,
    escala: float = 10,
    hasta=None,
    semilla: int = 2026,
    avisar=None,
    avance: Avance = SIN_AVANCE,
):
    hasta = hasta or timezone.now()
    return Generador(anios=anios, escala=escala, hasta=hasta, semilla=semilla).generar(
        avisar or (lambda texto: None), avance
    )
