from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from demo import efirma_pruebas


class Command(BaseCommand):
    help = (
        "Crea una AC de pruebas y una e.firma de prueba para cada firmante de la demostración "
        "(solo entornos locales; la demostración confía únicamente en esa AC)."
    )

    def handle(self, *args, **options):
        if not settings.DICTAMENES_PERMITIR_DEMO:
            raise CommandError("Este entorno no permite credenciales de demostración.")
        firmantes = (
            get_user_model()
            .objects.filter(groups__permissions__codename="firmar_dictamen", perfil__isnull=False)
            .distinct()
        )
        escritos = efirma_pruebas.demo_asegurar(
            settings.DICTAMENES_EFIRMA_DEMO_DIR,
            firmantes,
            direccion_confianza=settings.DICTAMENES_CONFIANZA_LOCAL,
        )
        contrasena = efirma_pruebas.CONTRASENA_EFIRMA_DEMO
        self.stdout.write(
            f"e.firma de demostración en {settings.DICTAMENES_EFIRMA_DEMO_DIR} "
            f"({len(escritos)} archivos nuevos; contraseña {contrasena})."
        )
