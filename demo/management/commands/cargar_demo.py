from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from demo import (
    cambios,
    capacidad,
    confianza_local,
    encuestas,
    historico_anual,
    historico_con_pasos,
    programa,
    senales,
    solicitudes,
)
from demo import usuarios as demo
from demo.estadisticas import estadisticas_actualizar
from dictamenes.models import Area, Ente
from dictamenes.organizacion.services import areas as areas_servicio
from dictamenes.personas.services import personas
from dictamenes.precios import services as precios
from estandares import services as estandares_services
from estandares.formato import leer
from estandares.models import Publicacion


class Command(BaseCommand):
    help = "Carga los datos de demostración (idempotente). Solo para entornos locales."

    def add_arguments(self, parser):
        parser.add_argument(
            "--sin-solicitudes",
            action="store_true",
            help="Solo catálogos y usuarios, sin las solicitudes de ejemplo (para pruebas).",
        )

    def handle(self, *args, sin_solicitudes=False, **options):
        if not settings.DICTAMENES_PERMITIR_DEMO:
            raise CommandError(
                "Los datos de demostración tienen contraseñas públicas: este entorno no los "
                "permite (DICTAMENES_PERMITIR_DEMO está desactivado)."
            )
        # The demo's notices would flood the console of `make run`; nobody is there to read them.
        try:
            with (
                override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"),
                transaction.atomic(),
            ):
                creados = self._cargar(con_solicitudes=not sin_solicitudes)
        except confianza_local.OtraAC as exc:
            raise CommandError(str(exc)) from exc
        # `make run` keeps its cache in files (config.settings.local), which outlive the
        # database: a demo database made again must not be shown another one's texts.
        cache.clear()
        self.stdout.write(self.style.SUCCESS(f"Datos de demostración listos ({creados} nuevos)."))

    def _cargar(self, *, con_solicitudes: bool) -> int:
        creados = 0
        personas.roles_asegurar()
        for clave, nombre in demo.AREAS:
            if not Area.objects.filter(clave=clave).exists():
                areas_servicio.area_crear(clave=clave, nombre=nombre)
                creados += 1
        for nombre, siglas, tipo in demo.ENTES:
            if not Ente.objects.filter(siglas=siglas).exists():
                personas.ente_crear(nombre=nombre, siglas=siglas, tipo=tipo)
                creados += 1
        User = get_user_model()
        for username, nombre, apellidos, rfc, cargo, roles, siglas, areas in demo.USUARIOS:
            if User.objects.filter(username=username).exists():
                continue
            personas.usuario_crear(
                username=username,
                password=demo.CONTRASENA_DEMO,
                nombre=nombre,
                apellidos=apellidos,
                email=f"{username}@demo.invalid",
                rfc=rfc,
                cargo=cargo,
                roles=roles,
                ente=Ente.objects.get(siglas=siglas) if siglas else None,
                areas=Area.objects.filter(clave__in=areas),
            )
            creados += 1
        creados += self._cargar_estandares()
        call_command("efirma_demo", stdout=self.stdout)
        if con_solicitudes:
            # The demo's dictámenes are signed with a timestamp: the local TSA answers while
            # they are (unless `make run`'s already does, for this same CA).
            with confianza_local.en_marcha(
                settings.DICTAMENES_EFIRMA_DEMO_DIR, settings.DICTAMENES_CONFIANZA_LOCAL
            ):
                creados += programa.cargar()
                creados += solicitudes.cargar()
                creados += historico_anual.cargar()
                creados += historico_con_pasos.cargar()
                # The history was written without the doors: its prices, read once (issue 62).
                precios.observaciones_reconstruir()
                creados += encuestas.cargar()
                creados += cambios.cargar()
                creados += capacidad.cargar()
                creados += senales.cargar()
        estadisticas_actualizar()
        return creados

    def _cargar_estandares(self) -> int:
        texto = demo.CATALOGO_ESTANDARES.read_text(encoding="utf-8")
        version = leer(texto)["publicacion"]["version"]
        if Publicacion.objects.filter(version=version).exists():
            return 0
        publicacion = estandares_services.publicacion_importar(texto=texto)
        estandares_services.publicacion_publicar(publicacion=publicacion)
        return 1
