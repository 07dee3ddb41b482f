from django.core.management.base import BaseCommand

from dictamenes.capacidad.services.plan import SinRegistro, plan_de_capacidad
from dictamenes.management.cron import UnaCorridaALaVez


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Calcula el plan de capacidad de la hora y lo guarda, para que «Capacidad para el "
        "cierre» lo lea en vez de correr su simulación (decenas de corridas) cuando alguien "
        "la abre. Un plan ya guardado para la misma hora y los mismos datos se lee, no se "
        "calcula de nuevo. Pensado para cada hora, al empezar."
    )

    def handle(self, *args, **options):
        try:
            plan = plan_de_capacidad()
        except SinRegistro as error:
            mensaje = f"No hay plan de capacidad. {error}"
        else:
            rojas = sum(s.rojo for s in plan.total)
            mensaje = (
                f"Plan de capacidad de {plan.anio} al {plan.hoy:%d/%m/%Y}: {len(plan.total)} "
                f"semana(s), {rojas} en rojo; su simulación tomó {plan.segundos:.1f} s."
            )
        self.corrida_mensaje = mensaje
        self.stdout.write(mensaje)
