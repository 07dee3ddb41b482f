"""The periodic commands, in one table: what each does, how often it runs and when it counts
as overdue. The operator's page and `estado_del_sistema` read it; the deployment's timers
(deploy/) run each one on its `calendario`, and a test holds them to this table.

`periodo` is the longest gap the schedule leaves between two runs (a weekday job: Friday to
Monday); a command is overdue when its last good run is older than its period plus the
grace. `calendario` is systemd's OnCalendar= (the crontab line is in docs/operacion/comandos.md)."""

import datetime
from dataclasses import dataclass

from django.conf import settings

MINUTO = datetime.timedelta(minutes=1)
HORA = datetime.timedelta(hours=1)
DIA = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Periodica:
    nombre: str  # manage.py <nombre>
    periodo: datetime.timedelta
    calendario: str  # systemd OnCalendar=
    descripcion: str  # one line, Spanish
    argumentos: tuple[str, ...] = ()  # what the timer adds after the name (see `respaldo`)

    @property
    def gracia(self) -> datetime.timedelta:
        """Room for a slow or late run before it counts as missed: half the period, at least
        ten minutes, at most a day."""
        return min(max(self.periodo / 2, 10 * MINUTO), DIA)

    @property
    def esperada(self) -> bool:
        """Whether this installation runs it: the NOM-151 constancias only with a provider."""
        if self.nombre == "constancias_nom151":
            return bool(settings.DICTAMENES_NOM151.get("URL"))
        return True


PERIODICAS: tuple[Periodica, ...] = (
    Periodica(
        "enviar_avisos",
        5 * MINUTO,
        "*:0/5",
        "Reintenta los correos pendientes de la bandeja de salida y publica las encuestas.",
    ),
    Periodica(
        "workflow_timers",
        15 * MINUTO,
        "*:0/15",
        "Dispara los plazos del flujo: cierra las prevenciones vencidas.",
    ),
    Periodica(
        "estado_del_sistema",
        HORA,
        "*:07",
        "Revisa el estado del sistema y avisa por correo a la administración de lo que falla.",
    ),
    Periodica(
        "constancias_nom151",
        HORA,
        "*:17",
        "Pide la constancia NOM-151 de los dictámenes que aún no la tienen (si está encendida).",
    ),
    Periodica(
        "avisar_vencimientos",
        3 * DIA,  # Friday's run is followed by Monday's
        "Mon..Fri 07:00",
        "Avisa de las tareas que vencen en dos días hábiles o menos.",
    ),
    Periodica(
        "recordar_programa",
        DIA,
        "*-*-* 07:00",
        "Recuerda a los entes las líneas de su programa anual cuyo mes se acerca.",
    ),
    Periodica(
        "recordar_vigencias",
        DIA,
        "*-*-* 07:30",
        "Recuerda a los entes el dictamen favorable a 30 y 10 días hábiles de vencer.",
    ),
    Periodica(
        "precios_recalcular",
        DIA,
        "*-*-* 00:45",
        "Recalcula los precios de referencia con la ventana de 24 meses que termina hoy.",
    ),
    Periodica(
        "senales_calcular",
        3 * DIA,  # Friday's run is followed by Monday's
        "Mon..Fri 06:30",
        "Calcula las señales que trae el tiempo: condiciones vencidas y contratos sin entrega.",
    ),
    Periodica(
        "refuerzos_concluir",
        DIA,
        "*-*-* 00:30",
        "Concluye los refuerzos de las áreas cuyo último día pasó y retira lo que otorgaron.",
    ),
    Periodica(
        "respaldo",
        DIA,
        "*-*-* 02:00",
        "Escribe el respaldo de la base de datos y los archivos (un .tar con fecha en el "
        "directorio dado).",
        argumentos=("/var/backups/dictamenes/",),
    ),
    Periodica(
        "auditoria_verificar",
        DIA,
        "*-*-* 04:00",
        "Recorre la cadena de auditoría y avisa del primer eslabón roto.",
    ),
    Periodica(
        "capacidad_avisar",
        7 * DIA,
        "Mon 07:15",
        "Avisa a la revisión estratégica y a la administración de las semanas próximas en que "
        "el plan de capacidad no alcanza el estándar de servicio.",
    ),
    Periodica(
        "capacidad_calcular",
        HORA,
        "*:01",
        "Calcula y guarda el plan de capacidad de la hora, para que su página no lo simule al "
        "abrirse.",
    ),
    Periodica(
        "sellos_archivo_renovar",
        7 * DIA,
        "Sun 03:30",
        "Renueva el sello de archivo de los dictámenes cuyo último sello vence en un año.",
    ),
)

POR_NOMBRE = {p.nombre: p for p in PERIODICAS}
