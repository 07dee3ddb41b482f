from django.core.management.base import BaseCommand
from django.db import transaction

from dictamenes.management.cron import UnaCorridaALaVez
from dictamenes.models import Solicitud
from dictamenes.senales import services as senales
from dictamenes.tramite.selectors.vias import via_de_solicitud, vias_vigentes


def fracciones_por_la_regla():
    """The split purchases of a request that never went through the track's door (the
    history written in bulk, or imported), judged by the track's rule with the tracks in
    force: what the door would have recorded (Solicitud.via_fraccion)."""
    config = vias_vigentes()

    def fracciones(solicitud):
        decidida = via_de_solicitud(solicitud=solicitud, config=config)
        return [f.como_dato() for f in decidida.fracciones]

    return fracciones


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Calcula las señales que trae el paso del tiempo: condiciones vencidas, contratos sin "
        "acta de entrega-recepción, cantidades recibidas al terminar los contratos (cada día "
        "hábil). Con --todas, vuelve a calcular las señales de toda solicitud presentada (tras "
        "una carga, una importación o un cambio de umbrales)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--todas",
            action="store_true",
            help="Vuelve a calcular las señales de cada solicitud presentada.",
        )

    def handle(self, *args, todas=False, **options):
        fracciones = fracciones_por_la_regla()
        if todas:
            pendientes = (
                Solicitud.objects.exclude(estado=Solicitud.Estado.BORRADOR)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            ids = list(pendientes)
            for pk in ids:
                with transaction.atomic():
                    senales.senales_actualizar(Solicitud(pk=pk), fracciones=fracciones)
            n = len(ids)
        else:
            n = senales.senales_al_dia(fracciones=fracciones)
        self.corrida_mensaje = f"Señales de {n} solicitud(es) calculadas."
        self.stdout.write(self.corrida_mensaje)
