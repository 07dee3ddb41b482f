from django.core.management.base import BaseCommand, CommandError

from dictamenes.comun.auditoria import cadena_verificar
from dictamenes.management.cron import UnaCorridaALaVez


class Command(UnaCorridaALaVez, BaseCommand):
    help = "Recorre la cadena de eventos de auditoría y reporta el primer eslabón roto."

    def handle(self, *args, **options):
        resultado = cadena_verificar()
        if not resultado.integra:
            evento = resultado.roto_en
            raise CommandError(
                f"Cadena rota en el evento #{evento.numero} (id {evento.pk}, "
                f"{evento.ocurrido_en:%Y-%m-%d %H:%M:%S}, «{evento.descripcion}»): "
                f"{resultado.motivo}. Eventos íntegros antes de él: {resultado.revisados}."
            )
        self.corrida_mensaje = f"Cadena íntegra: {resultado.revisados} eventos verificados."
        self.stdout.write(self.style.SUCCESS(self.corrida_mensaje))
