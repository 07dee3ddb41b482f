"""What the history is written with: the people of each role, the published technical
profiles, the audit chain's head, the business-day calendar and the firmante's e.firma."""

import datetime
import hashlib
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from demo import efirma_pruebas
from demo.historico.filas import MODELOS, Ids
from dictamenes import flow_port
from dictamenes.comun import auditoria
from dictamenes.models import Area, Ente, EventoAuditoria, PlazoEtapa
from dictamenes.organizacion.selectors import calendario
from dictamenes.roles import Rol
from dictamenes.tramite.selectors.plazos import PLAZOS_POR_OMISION
from estandares import cumplimiento
from estandares import selectors as estandares_selectors
from estandares.models import Perfil as PerfilTecnico

PDF_MUESTRA = "expedientes/historico/dictamen-muestra.pdf"
CONTRASENA = "dictamen-demo-2026"


class Contexto:
    def __init__(
        self,
        *,
        anios: int,
        escala: float,
        hasta: datetime.datetime,
        semilla: int,
        ultimo: int | None = None,
        nuevos_requirentes: bool = True,
    ):
        """`ultimo`: the last fiscal year (by default `hasta`'s). `nuevos_requirentes`: give
        every agency without one a requirente; without it, only agencies with one present."""
        self.anios, self.escala, self.hasta, self.semilla = anios, escala, hasta, semilla
        self.ultimo = ultimo or hasta.year
        self.nuevos_requirentes = nuevos_requirentes
        self.azar = random.Random(semilla)  # noqa: S311 - reproducible data, not security
        # The items' prices and quantities, from a stream of their own (demo.historico.mercado).
        self.mercado = random.Random(f"{semilla}-mercado")  # noqa: S311
        self.zona = timezone.get_default_timezone()
        self.flujo = flow_port.flujo().instance
        primero = self.ultimo - anios + 1
        self.cal = calendario.Calendario.cargar(
            datetime.date(primero - 1, 12, 1), hasta.date() + datetime.timedelta(days=120)
        )
        self.ids = Ids(*MODELOS)
        self.ct_area = ContentType.objects.get_for_model(Area).pk
        self.ct_ente = ContentType.objects.get_for_model(Ente).pk
        self._personas()
        self._perfiles()
        self._cadena()
        self.plazos = {
            etapa: PlazoEtapa.objects.filter(etapa=etapa)
            .values_list("dias_habiles", flat=True)
            .first()
            or PLAZOS_POR_OMISION[etapa]
            for etapa in PLAZOS_POR_OMISION
        }

    # --- Who and what ---------------------------------------------------------------------------

    def _personas(self):
        User = get_user_model()
        con_rol = User.objects.filter(is_active=True).prefetch_related("groups", "perfil__areas")

        def de_rol(rol):
            return [u for u in con_rol if str(rol.label) in {g.name for g in u.groups.all()}]

        self.mesa = de_rol(Rol.MESA_CONTROL)
        self.estrategicos = de_rol(Rol.REVISOR_ESTRATEGICO)
        self.firmantes = [u for u in de_rol(Rol.FIRMANTE) if getattr(u, "perfil", None)]
        self.revisores = {}
        for usuario in de_rol(Rol.REVISOR_TECNICO):
            for area in usuario.perfil.areas.all():
                self.revisores.setdefault(area.pk, []).append(usuario)
        self.entes = list(Ente.objects.filter(activo=True).order_by("pk"))
        self.requirentes = {}
        for usuario in de_rol(Rol.REQUIRENTE):
            perfil = getattr(usuario, "perfil", None)
            if perfil and perfil.ente_id:
                self.requirentes.setdefault(perfil.ente_id, []).append(usuario)
        if not (self.mesa and self.estrategicos and self.firmantes and self.revisores):
            raise RuntimeError("Cargue primero la demostración (manage.py cargar_demo).")

    def requirentes_asegurar(self) -> int:
        """Every agency gets a requirente: history is written by the agency's own staff."""
        from dictamenes.personas.services import personas

        if not self.nuevos_requirentes:
            self.entes = [e for e in self.entes if e.pk in self.requirentes]
            return 0
        creados = 0
        for i, ente in enumerate(self.entes):
            if ente.pk in self.requirentes:
                continue
            usuario = personas.usuario_crear(
                username=f"requirente.{ente.siglas.lower()}",
                password=CONTRASENA,
                nombre="Enlace TIC",
                apellidos=ente.siglas,
                email=f"tic@{ente.siglas.lower()}.example.gob.mx",
                rfc=f"TIC{chr(65 + i % 26)}800101{i % 100:02d}A",
                roles=[Rol.REQUIRENTE],
                ente=ente,
                cargo="Titular de la unidad de TIC",
            )
            self.requirentes[ente.pk] = [usuario]
            creados += 1
        return creados

    def _perfiles(self):
        """Per area, the published technical profiles, with the engine's verdict on a typical
        specification (the evaluation is computed, not invented)."""
        self.perfiles = {}
        for perfil in (
            PerfilTecnico.objects.exclude(categoria__publicacion__estado="borrador")
            .select_related("categoria__area", "categoria__publicacion")
            .prefetch_related("requisitos")
        ):
            evaluacion = cumplimiento.evaluar(estandares_selectors.perfil_spec(perfil=perfil), {})
            self.perfiles.setdefault(perfil.categoria.area_id, []).append(
                (perfil, evaluacion.as_dict(), evaluacion.veredicto)
            )
        if not self.perfiles:
            raise RuntimeError("No hay estándares publicados; cargue la demostración.")
        self.areas = {a.pk: a for a in Area.objects.filter(pk__in=self.perfiles)}
        self.area_de_clave = {a.clave: pk for pk, a in self.areas.items()}

    def _cadena(self):
        ultimo = EventoAuditoria.objects.order_by("-numero").only("numero", "hash").first()
        self.numero_evento = ultimo.numero if ultimo else 0
        self.hash_anterior = ultimo.hash if ultimo else auditoria.GENESIS

    def firma_preparar(self):
        """The demo firmante's e.firma seals every dictamen; they all share one placeholder PDF."""
        from cryptography.hazmat.primitives import serialization

        carpeta = settings.DICTAMENES_EFIRMA_DEMO_DIR
        self.firmantes = [u for u in self.firmantes if (carpeta / f"{u.username}.cer").exists()]
        if not self.firmantes:
            raise RuntimeError("Falta la e.firma de demostración (manage.py efirma_demo).")
        self.credencial = efirma_pruebas.demo_credencial(carpeta, self.firmantes[0].username)
        self.firmantes = self.firmantes[:1]
        self.certificado_pem = self.credencial.certificado.public_bytes(
            serialization.Encoding.PEM
        ).decode("ascii")
        self._muestra()

    def _muestra(self):
        """The one placeholder PDF all generated dictámenes point to."""
        from reportlab.lib.pagesizes import letter
        from reportlab.pdfgen import canvas

        if not default_storage.exists(PDF_MUESTRA):
            import io

            salida = io.BytesIO()
            hoja = canvas.Canvas(salida, pagesize=letter)
            hoja.drawString(72, 720, "Dictamen del histórico de medición (marcador compartido).")
            hoja.save()
            default_storage.save(PDF_MUESTRA, ContentFile(salida.getvalue()))
        with default_storage.open(PDF_MUESTRA, "rb") as archivo:
            self.pdf_sha256 = hashlib.sha256(archivo.read()).hexdigest()

    # --- Time -------------------------------------------------------------------------------------

    def _vence(self, desde: datetime.datetime, etapa: str) -> datetime.datetime:
        """End of the stage's last business day, as calendario.vencimiento gives it live."""
        dia = self.cal.sumar(desde.astimezone(self.zona).date(), self.plazos[etapa])
        return datetime.datetime.combine(dia, datetime.time.max, tzinfo=self.zona)
