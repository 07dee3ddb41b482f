from django.core.management.base import BaseCommand

from dictamenes.capacidad.services import aviso as capacidad_aviso
from dictamenes.management.cron import UnaCorridaALaVez


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Cuando el plan de capacidad prevé que alguna de las próximas cuatro semanas supere el "
        "estándar de servicio (p90 esperado), envía un correo a la revisión estratégica y a la "
        "administración con cada semana, su p90 contra el estándar y el refuerzo recomendado "
        "por área, y el enlace a «Capacidad para el cierre». Una vez por semana (ISO) aunque "
        "corra más veces; sin semanas en rojo no envía nada. Pensado para el lunes temprano."
    )

    def handle(self, *args, **options):
        resultado = capacidad_aviso.capacidad_avisar()
        semana = f"Semana {resultado.semana}"
        if resultado.ya_avisado:
            mensaje = f"{semana}: ya se avisó esta semana; no se vuelve a avisar."
        elif resultado.sin_plan:
            mensaje = f"{semana}: no hay plan de capacidad. {resultado.sin_plan}"
        elif not resultado.rojas:
            mensaje = (
                f"{semana}: ninguna de las próximas {capacidad_aviso.SEMANAS} semanas supera el "
                f"estándar de servicio ({resultado.estandar} días hábiles); no se avisa."
            )
        else:
            rojas = ", ".join(
                f"{s.lunes:%d/%m/%Y} (p90 {s.p90 if s.p90 is not None else '?'})"
                for s in resultado.rojas
            )
            if resultado.aviso is None:
                mensaje = (
                    f"{semana}: {len(resultado.rojas)} semana(s) superan el estándar de "
                    f"{resultado.estandar} días hábiles: {rojas}. No hay a quién avisar (nadie "
                    "con la revisión estratégica ni la administración tiene correo)."
                )
            else:
                mensaje = (
                    f"{semana}: {len(resultado.rojas)} semana(s) superan el estándar de "
                    f"{resultado.estandar} días hábiles: {rojas}. Se avisó por correo (aviso "
                    f"#{resultado.aviso.pk}, {len(resultado.aviso.destinatarios)} "
                    "destinatario(s))."
                )
        self.corrida_mensaje = mensaje
        self.stdout.write(mensaje)
