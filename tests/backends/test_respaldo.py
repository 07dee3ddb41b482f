"""Backup and recovery: a backup restored into a fresh installation (its own PostgreSQL
database and media folder, driven through `manage.py` in subprocesses) holds the same data,
its dictámenes and audit chain verify, and it keeps issuing folios where the original left
off. A tampered backup, or a non-empty destination, is refused and nothing is restored."""

import datetime
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import time_machine
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from dictamenes.models import Anexo, Dictamen, EventoAuditoria, Solicitud
from tests import demo_datos
from tests.backends.plugin import require_postgres
from tests.dictamenes.flujo_utils import (
    admitida,
    borrador,
    en_firma,
    firmar,
    presentada,
    rectificar,
)

ROOT = Path(__file__).resolve().parents[2]

# Run inside the restored installation: first its counts, its files, every dictamen checked
# the way the public verification page checks an uploaded PDF, and the audit chain; then the
# system still working (a draft presented, a request in firma signed).
SONDA = """
import json, django
django.setup()
from django.conf import settings
from django.contrib.auth import get_user_model
from demo import efirma_pruebas
from dictamenes.emision.documentos import efirma
from dictamenes.models import Anexo, Dictamen, EventoAuditoria, Solicitud
from dictamenes.comun import auditoria
from dictamenes.emision.services import comprobacion, emision, integridad
from dictamenes.tramite.services import solicitudes
from dictamenes.operacion.services.respaldo import sha256_en_almacen
U = get_user_model()
salida = {
    "conteos": {
        "usuarios": U.objects.count(),
        "solicitudes": Solicitud.objects.count(),
        "anexos": Anexo.objects.count(),
        "dictamenes": Dictamen.objects.count(),
        "eventos": EventoAuditoria.objects.count(),
    },
    "estados": sorted(Solicitud.objects.values_list("estado", flat=True)),
    "anexos_integros": sum(
        sha256_en_almacen(nombre=a.archivo.name) == a.sha256 for a in Anexo.objects.all()
    ),
    "dictamenes": {},
    "cadena_integra": auditoria.cadena_verificar().integra,
}
for d in Dictamen.objects.all():
    v = comprobacion.pdf_verificar(datos=integridad.dictamen_pdf_leer(dictamen=d))
    cert = efirma.x509.load_pem_x509_certificate(d.certificado_pem.encode())
    salida["dictamenes"][d.folio] = {
        "autentico": v.autentico and v.dictamen.pk == d.pk,
        "sello": efirma.sello_valido(certificado=cert, cadena=d.cadena_original, sello=d.sello),
        "cancelado": d.cancelado_en is not None,
    }
# Then carry on working in the restored installation.
s = solicitudes.solicitud_presentar(
    solicitud=Solicitud.objects.get(estado="borrador"),
    usuario=U.objects.get(username="requirente.sh"),
)
d = emision.dictamen_emitir(
    solicitud=Solicitud.objects.get(estado="firma"),
    usuario=U.objects.get(username="firmante"),
    credencial=efirma_pruebas.demo_credencial(settings.DICTAMENES_EFIRMA_DEMO_DIR, "firmante"),
)
salida["nueva_solicitud"] = s.folio
salida["nuevo_dictamen"] = d.folio
pdf_nuevo = integridad.dictamen_pdf_leer(dictamen=d)
salida["nuevo_pdf_autentico"] = comprobacion.pdf_verificar(datos=pdf_nuevo).autentico
print(json.dumps(salida))
"""


class Instalacion:
    """Another installation of the system: its own database, var/ and media, no shared state
    with the test process but the code."""

    def __init__(self, *, url: str, var: Path):
        self.url = url
        self.var = var
        self.media = var / "media"

    def entorno(self) -> dict:
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "AWS_", "DATABASE_URL"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DJANGO_DEBUG="false",
            DATABASE_URL=self.url,
            DJANGO_VAR_DIR=str(self.var),
            # The suite's TSA and CRL serve the same test CA whose e.firma is copied here.
            DJANGO_CONFIANZA_LOCAL=settings.DICTAMENES_CONFIANZA_LOCAL,
            DJANGO_EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend",
        )
        return env

    def manage(self, *args) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.entorno(),
            capture_output=True,
            text=True,
            timeout=300,
        )

    def sonda(self) -> dict:
        resultado = subprocess.run(
            [sys.executable, "-c", SONDA],
            cwd=ROOT,
            env=self.entorno(),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert resultado.returncode == 0, resultado.stderr
        return json.loads(resultado.stdout.strip().splitlines()[-1])

    def filas(self, tabla: str) -> int:
        with psycopg.connect(self.url) as c:
            return c.execute(f"SELECT count(*) FROM {tabla}").fetchone()[0]  # noqa: S608

    def archivos(self) -> list[Path]:
        return [p for p in self.media.rglob("*") if p.is_file()] if self.media.exists() else []


@pytest.fixture
def instalacion_vacia(transactional_db, tmp_path):
    """A second PostgreSQL database on the suite's server, migrated and empty, with a fresh
    var/ (and media) that trusts the same test CA. Requested before any data is written, it
    is copied from the suite's database (CREATE DATABASE ... TEMPLATE) and emptied: the
    same schema as `migrate`, without paying for a second migrate on a loaded machine."""
    require_postgres()
    servidor = urlsplit(os.environ["DATABASE_URL"])
    nombre = f"restaurada_{uuid.uuid4().hex[:8]}"
    plantilla = connection.settings_dict["NAME"]
    admin = urlunsplit(servidor._replace(path="/postgres"))
    assert Solicitud.objects.count() == 0
    # A template database must have no other sessions: ours, and any that a thread of an
    # earlier test (a live server, a concurrency race) left open.
    connection.close()
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            [plantilla],
        )
        c.execute(f'CREATE DATABASE "{nombre}" TEMPLATE "{plantilla}"')
    url = urlunsplit(servidor._replace(path=f"/{nombre}"))
    _como_recien_migrada(url)
    var = tmp_path / "restaurada"
    (var / "efirma").mkdir(parents=True)
    # The trust roots are configuration, not data: the restored installation is configured
    # with the same CA (and the demo firmante's e.firma, to sign after restoring).
    instalacion = Instalacion(url=url, var=var)
    yield instalacion
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{nombre}" WITH (FORCE)')


def _como_recien_migrada(url: str) -> None:
    """The copy as `migrate` leaves a database: the suite's has the demo catalogues (and their
    copy, tests/demo_datos.py); only the rows `migrate` itself writes stay (the migrations
    applied, content types and permissions)."""
    conservar = ("django_migrations", "django_content_type", "auth_permission")
    with psycopg.connect(url, autocommit=True) as c:
        c.execute(f"DROP SCHEMA {demo_datos.ESQUEMA} CASCADE")
        tablas = [
            fila[0]
            for fila in c.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                " AND NOT (tablename = ANY(%s))",
                [list(conservar)],
            )
        ]
        c.execute("TRUNCATE " + ", ".join(f'public."{t}"' for t in tablas))


def _configurar_efirma(instalacion):
    for archivo in ("ca-demo.cer", "ca-tsa-demo.cer", "firmante.cer", "firmante.key"):
        shutil.copy(
            settings.DICTAMENES_EFIRMA_DEMO_DIR / archivo, instalacion.var / "efirma" / archivo
        )


def _expedientes():
    """Requests in every state, three issued dictámenes (one rectified, so cancelled)."""
    borrador(titulo="Borrador sin presentar")
    presentada(titulo="Recién presentada")
    admitida(titulo="En revisión técnica")
    en_firma(titulo="Esperando firma", motivos="Procede sin observaciones.")
    primero = firmar(
        en_firma(titulo="Firewall de nueva generación", motivos="Procede sin observaciones.")
    )
    firmar(
        en_firma(titulo="Renovación de equipos de ventanilla", motivos="Procede sin observaciones.")
    )
    rectificar(
        primero,
        motivo="Error en la descripción de la partida.",
        motivos="Procede con la descripción corregida.",
    )


def _conteos_origen():
    from django.contrib.auth import get_user_model

    return {
        "usuarios": get_user_model().objects.count(),
        "solicitudes": Solicitud.objects.count(),
        "anexos": Anexo.objects.count(),
        "dictamenes": Dictamen.objects.count(),
        "eventos": EventoAuditoria.objects.count(),
    }


def _alterar_un_byte(original: Path, destino: Path, miembro: str) -> None:
    shutil.copy(original, destino)
    with tarfile.open(destino) as tar:
        desplazamiento = tar.getmember(miembro).offset_data + 200
    with open(destino, "r+b") as f:
        f.seek(desplazamiento)
        byte = f.read(1)
        f.seek(desplazamiento)
        f.write(bytes([byte[0] ^ 0x01]))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_respaldo_restaurado_en_instalacion_nueva_verifica_y_sigue_los_folios(
    instalacion_vacia, demo, tmp_path, capsys
):
    _configurar_efirma(instalacion_vacia)  # the demo fixture has just written the test CA
    _expedientes()
    origen = _conteos_origen()
    dictamenes = {d.folio: d.cancelado_en is not None for d in Dictamen.objects.all()}
    cabeza = EventoAuditoria.objects.order_by("-numero").first()
    respaldo = tmp_path / "respaldo.tar"

    call_command("respaldo", str(respaldo))
    salida_respaldo = capsys.readouterr().out

    assert "Respaldo completo." in salida_respaldo
    archivos = Anexo.objects.count() + Dictamen.objects.count()
    assert f"Respaldo · archivos: {archivos} de {archivos} (100.0 %)" in salida_respaldo
    assert f"Respaldo: copiados {archivos}, omitidos 0, faltantes o alterados 0 en " in (
        salida_respaldo
    )
    with tarfile.open(respaldo) as tar:
        manifiesto = json.load(tar.extractfile("manifiesto.json"))
        miembros = set(tar.getnames())
    assert manifiesto["completo"] and manifiesto["problemas"] == []
    esperados = {a.archivo.name: a.sha256 for a in Anexo.objects.all()} | {
        d.pdf.name: d.pdf_sha256 for d in Dictamen.objects.all()
    }
    assert {a["nombre"]: a["sha256"] for a in manifiesto["archivos"]} == esperados
    assert {f"archivos/{n}" for n in esperados} | {"datos.xml", "manifiesto.json"} == miembros
    assert manifiesto["conteos"]["dictamenes.solicitud"] == origen["solicitudes"]
    assert manifiesto["auditoria"] == {"numero": cabeza.numero, "hash": cabeza.hash}
    assert "dictamenes" in manifiesto["migraciones"]

    # A backup with one byte changed in a signed PDF is refused before anything is written.
    alterado = tmp_path / "alterado.tar"
    pdf = Dictamen.objects.order_by("pk").first().pdf.name
    _alterar_un_byte(respaldo, alterado, f"archivos/{pdf}")
    rechazo = instalacion_vacia.manage("restaurar", str(alterado))
    assert rechazo.returncode != 0
    assert f"El archivo {pdf} no coincide con su huella SHA-256" in rechazo.stderr
    assert "no se restauró nada" in rechazo.stderr
    assert instalacion_vacia.filas("dictamenes_solicitud") == 0
    assert instalacion_vacia.filas("auth_user") == 0
    assert instalacion_vacia.archivos() == []

    restaurado = instalacion_vacia.manage("restaurar", str(respaldo))
    assert restaurado.returncode == 0, restaurado.stderr
    assert "Restauración completa" in restaurado.stdout
    # Not a terminal: the lines of each phase, as a log keeps them.
    n = len(dictamenes)
    assert f"Restauración · verificar dictámenes: {n} de {n} (100.0 %)" in restaurado.stdout
    assert f"Restauración · escribir archivos: {archivos} de {archivos} (100.0 %)" in (
        restaurado.stdout
    )
    print(salida_respaldo, restaurado.stdout)  # the figures, with -s

    sonda = instalacion_vacia.sonda()
    assert sonda["conteos"] == origen
    assert sonda["estados"] == sorted(Solicitud.objects.values_list("estado", flat=True))
    assert sonda["anexos_integros"] == origen["anexos"]
    assert sonda["cadena_integra"] is True
    assert set(sonda["dictamenes"]) == set(dictamenes)
    for folio, cancelado in dictamenes.items():
        assert sonda["dictamenes"][folio] == {
            "autentico": True,
            "sello": True,
            "cancelado": cancelado,
        }
    # The restored system carries on: the next folios follow the original's, with no gap,
    # and the audit chain keeps growing from the restored head.
    anio = timezone.localdate().year
    presentadas = Solicitud.objects.exclude(folio=None).count()
    assert sonda["nueva_solicitud"] == f"SOL-{anio}-{presentadas + 1:05d}"
    assert sonda["nuevo_dictamen"] == f"SGD/DGPDGT/DT/{anio}/{len(dictamenes) + 1:04d}"
    assert sonda["nuevo_pdf_autentico"] is True
    cadena = instalacion_vacia.manage("auditoria_verificar")
    assert cadena.returncode == 0, cadena.stderr
    assert "Cadena íntegra" in cadena.stdout

    # Restoring again over the restored data is refused, and changes nothing.
    otra_vez = instalacion_vacia.manage("restaurar", str(respaldo))
    assert otra_vez.returncode != 0
    assert "La instalación de destino no está vacía" in otra_vez.stderr
    assert "--forzar" in otra_vez.stderr
    assert instalacion_vacia.filas("dictamenes_solicitud") == origen["solicitudes"]


@pytest.mark.django_db
def test_respaldo_con_un_archivo_faltante_queda_incompleto_y_no_se_restaura(demo, tmp_path):
    solicitud = borrador(titulo="Anexo perdido")
    otra = borrador(titulo="Anexo intacto")
    perdido = solicitud.anexos.get()
    default_storage.delete(perdido.archivo.name)
    respaldo = tmp_path / "incompleto.tar"

    salida = io.StringIO()
    with pytest.raises(CommandError, match="El respaldo quedó INCOMPLETO") as error:
        call_command("respaldo", str(respaldo), stdout=salida)

    # The log says how far it got, file by file, and what is missing in the summary.
    lineas = [re.sub(r"\), .+; ", "), …; ", linea) for linea in salida.getvalue().splitlines()]
    assert lineas[1:3] == [
        "Respaldo · archivos: 1 de 2 (50.0 %), …; copiados 0, omitidos 0, faltantes o alterados 1",
        "Respaldo · archivos: 2 de 2 (100.0 %), …; copiados 1, omitidos 0, faltantes o alterados 1",
    ]
    assert lineas[3].startswith("Respaldo: copiados 1, omitidos 0, faltantes o alterados 1 en ")

    assert f"Falta el archivo de dictamenes.anexo #{perdido.pk}" in str(error.value)
    with tarfile.open(respaldo) as tar:
        manifiesto = json.load(tar.extractfile("manifiesto.json"))
        intacto = otra.anexos.get().archivo.name
        # Everything else is still in the backup: the data and the intact file.
        assert tar.extractfile(f"archivos/{intacto}").read() == default_storage.open(intacto).read()
    assert manifiesto["completo"] is False
    with pytest.raises(CommandError, match="marcado como incompleto y no se restaura"):
        call_command("restaurar", str(respaldo))
    assert Solicitud.objects.count() == 2


@pytest.mark.django_db
def test_el_respaldo_de_cada_noche_conserva_los_ultimos_y_nada_mas(demo, tmp_path):
    """The timer's form (a folder and --conservar): after a complete backup the oldest dated
    ones go, down to N with the new one; after an incomplete one nothing goes; other files of
    the folder are never touched."""
    viejos = [tmp_path / f"dictamenes-2026010{dia}-020000.tar" for dia in range(1, 5)]
    for viejo in viejos:
        viejo.write_bytes(b"respaldo de otra noche")
    ajeno = tmp_path / "copia-manual.tar"
    ajeno.write_bytes(b"de la oficina")

    anexo = borrador(titulo="Anexo perdido").anexos.get().archivo.name
    contenido = default_storage.open(anexo).read()
    default_storage.delete(anexo)
    with pytest.raises(CommandError, match="INCOMPLETO"):
        call_command("respaldo", str(tmp_path), conservar=2, stdout=io.StringIO())
    assert all(viejo.exists() for viejo in viejos)

    assert default_storage.save(anexo, ContentFile(contenido)) == anexo  # found again
    salida = io.StringIO()
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=1)):
        call_command("respaldo", str(tmp_path), conservar=3, stdout=salida)
    fechados = sorted(p.name for p in tmp_path.glob("dictamenes-*.tar"))
    # The incomplete one of tonight, the newest old one and the new complete one.
    assert len(fechados) == 3
    assert viejos[3].name in fechados and not viejos[0].exists() and not viejos[2].exists()
    assert "Se borraron 3 respaldos viejos (se conservan 3)" in salida.getvalue()
    assert ajeno.exists()
    with pytest.raises(CommandError, match="necesita una carpeta"):
        call_command("respaldo", str(tmp_path / "uno.tar"), conservar=3)
