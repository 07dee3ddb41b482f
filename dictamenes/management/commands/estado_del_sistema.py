from django.core.management.base import BaseCommand
from django.utils import timezone

from dictamenes.management.cron import RequiereAtencion, UnaCorridaALaVez
from dictamenes.operacion.selectors.asuntos import ATENCION, ETIQUETAS, FALLA, GRAVEDAD, fecha, peor
from dictamenes.operacion.selectors.estado import asuntos_de, estado_del_sistema
from dictamenes.operacion.services import alertas

# As monitoring plugins answer (Nagios, Icinga): 0 well, 1 a warning, 2 a failure.
SALIDA = {ATENCION: 1, FALLA: 2}


class Command(UnaCorridaALaVez, BaseCommand):
    help = (
        "Muestra el estado del sistema (lo mismo que /cuentas/sistema/): la bandeja de correo, "
        "los comandos periódicos, los certificados, los sellos de archivo, el último respaldo, "
        "la última verificación de la auditoría y las constancias NOM-151, cada uno con su "
        "estado, desde cuándo y qué hacer. Cuando algo pasa a «falla», envía un solo correo a "
        "la administración (no otra vez mientras siga en falla). Termina con 0 si todo está "
        "bien, 1 si algo pide atención y 2 si algo falla. Pensado para cron, cada hora."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sin-correo",
            action="store_true",
            help="Solo muestra el estado: no avisa por correo de lo que falle.",
        )

    def handle(self, *args, **options):
        ahora = timezone.now()
        secciones = estado_del_sistema(ahora=ahora)
        asuntos = asuntos_de(secciones)
        self.stdout.write(f"Estado del sistema al {fecha(ahora)}")
        for seccion in secciones:
            self.stdout.write(f"\n== {seccion.titulo} ==")
            for a in seccion.asuntos:
                desde = f" (desde {fecha(a.desde)})" if a.desde and a.estado != "bien" else ""
                self.stdout.write(f"[{ETIQUETAS[a.estado].upper()}] {a.titulo}{desde}")
                self.stdout.write(f"    {a.detalle}")
                if a.que_hacer:
                    self.stdout.write(f"    Qué hacer: {a.que_hacer}")
                if a.tabla:
                    for fila in a.tabla:
                        self.stdout.write("    " + " | ".join(fila))
        avisados = alertas.rojos_avisados()
        if options["sin_correo"]:
            rojos = {a.clave for a in asuntos if a.estado == FALLA}
            contados = rojos & avisados
        else:
            aviso, contados = alertas.alerta_avisar(asuntos=asuntos, avisados=avisados)
            if aviso is not None:
                self.stdout.write(
                    f"\nSe avisó por correo a la administración (aviso #{aviso.pk}, "
                    f"{len(aviso.destinatarios)} destinatario(s))."
                )
        self.corrida_datos = {"rojos": sorted(contados)}
        estado = peor(asuntos)
        cuantos = {e: sum(a.estado == e for a in asuntos) for e in GRAVEDAD}
        resumen = f"{cuantos[FALLA]} en falla, {cuantos[ATENCION]} piden atención."
        if estado in SALIDA:
            raise RequiereAtencion(resumen, returncode=SALIDA[estado], datos=self.corrida_datos)
        self.corrida_mensaje = "Todo bien."
        self.stdout.write("\nTodo bien.")
