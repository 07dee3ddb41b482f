from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from werkzeug.serving import run_simple

from demo import confianza_local


class Command(BaseCommand):
    help = (
        "Sirve el sello de tiempo (RFC 3161) y la lista de revocación de la AC de pruebas en "
        "DJANGO_CONFIANZA_LOCAL (127.0.0.1:8790): `make run` lo arranca junto al sitio. Solo "
        "entornos locales."
    )

    def handle(self, *args, **options):
        direccion = settings.DICTAMENES_CONFIANZA_LOCAL
        if not (settings.DICTAMENES_PERMITIR_DEMO and direccion):
            raise CommandError("Este entorno no tiene servicios de confianza de demostración.")
        carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
        if not (carpeta / "ca-demo.cer").exists():
            raise CommandError("Falta la AC de pruebas: corra antes `manage.py cargar_demo`.")
        confianza_local.tsa_asegurar(carpeta, direccion)
        anfitrion, puerto = confianza_local.anfitrion_puerto(direccion)
        self.stdout.write(f"Sello de tiempo en {confianza_local.url_tsa(direccion)}")
        run_simple(anfitrion, puerto, confianza_local.Servicios(carpeta), threaded=True)
