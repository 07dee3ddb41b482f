"""Years of history for measuring the system at scale: requests with their items, viewflow
processes and tasks, technical reviews, chained audit events and sealed dictámenes.

Every row is what the services would have written, with the dates of the time it happened:
each request is simulated through admission, the areas' reviews, the strategic decision and
signing, in business days, and cut at `hasta`, so the most recent ones are still open, with
their tasks waiting in the queues. Every change of state takes the one door's rule
(dictamenes.tramite.services.estados), so the history cannot drift from the live flow. Rows are
written in bulk with explicit keys, one fiscal year at a time. The signed PDF is one shared
placeholder file; the seal of every dictamen is real and verifies against the demo firmante's
certificate.

    contexto   the people, the technical profiles, the chain's head, the calendar, the e.firma
    tramite    one request through the procedure
    filas      keys, the year's batch and its bulk write
    generador  the years, their folios and consecutives
"""

from demo.historico.filas import fechas_historicas
from demo.historico.generador import POR_ANIO, Generador, generar

__all__ = ["POR_ANIO", "Generador", "fechas_historicas", "generar"]
