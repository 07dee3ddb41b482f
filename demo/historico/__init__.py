"""Years of history for measuring the system at scale: requests with their items, viewflow
processes and tasks, technical reviews, chained audit events and sealed dictámenes.

Every row is what the services would have written, with the dates of the time it happened:
each request goes through admission, the areas' reviews, the strategic decision and signing
as a stated queueing process decides (mundo: staff, queues and service times, the ground truth
the capacity engine is checked against), and is cut at `hasta`, so the most recent ones are
still open, with their tasks waiting in the queues or in someone's hands. Every change of
state takes the one door's rule (dictamenes.tramite.services.estados), so the history cannot
drift from the live flow. Rows are written in bulk with explicit keys, one fiscal year at a
time. The signed PDF is one shared placeholder file; the seal of every dictamen is real and
verifies against the demo firmante's certificate.

    mundo      the world: arrivals, staff, queues, service times; pure Python
    contexto   the people, the technical profiles, the chain's head, the calendar, the e.firma
    tramite    one request through the procedure
    filas      keys, the year's batch and its bulk write
    generador  the years, their folios and consecutives
"""

from demo.historico.filas import fechas_historicas
from demo.historico.generador import Generador, generar

__all__ = ["Generador", "fechas_historicas", "generar"]
