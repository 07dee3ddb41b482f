import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo import confianza_local


class Command(BaseCommand):
    help = (
        "Sirve el sello de tiempo (RFC 3161) y la lista de revocación de la AC de pruebas en "
        "DJANGO_CONFIANZA_LOCAL (127.0.0.1:8790, u otro puerto libre elegido una vez y guardado "
        "en var/confianza_local): `make run` lo arranca junto al sitio y se "
        "detiene cuando termina el proceso que lo arrancó. Solo entornos locales."
    )

    def handle(self, *args, **options):
        direccion = settings.DICTAMENES_CONFIANZA_LOCAL
        if not (settings.DICTAMENES_PERMITIR_DEMO and direccion):
            raise CommandError("Este entorno no tiene servicios de confianza de demostración.")
        carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
        if not (carpeta / "ca-demo.cer").exists():
            raise CommandError("Falta la AC de pruebas: corra antes `manage.py cargar_demo`.")
        confianza_local.tsa_asegurar(carpeta, direccion)
        padre = os.getppid()
        servidor = confianza_local.Servidor(carpeta, direccion).iniciar()
        self.stdout.write(f"Sello de tiempo en {confianza_local.url_tsa(direccion)}")
        # Ctrl-C in `make run` stops the web server, and the shell that started this one in
        # the background may die before it can kill it: when the parent goes, this goes.
        try:
            while os.getppid() == padre:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            servidor.detener()
