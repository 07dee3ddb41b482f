"""Backup and recovery: one consistent snapshot of the database and of every stored file.

A backup is a single uncompressed ``.tar`` (the PDFs and attachments are already compressed;
an uncompressed tar is written and read as a stream and can be opened with any ``tar``):

- ``datos.xml``: ``dumpdata`` of every model (contenttypes, permissions and sessions are left
  out: ``migrate`` recreates the first two, and references to them use natural keys), so the
  same backup loads on PostgreSQL or SQLite. It keeps password hashes, second factors and API
  tokens (production's `dumpdata` alone refuses or redacts them): the file is itself a secret,
  its owner's alone (0600), copied off the server encrypted;
- ``archivos/<name in storage>``: every file the database references (attachments and signed
  dictamen PDFs), copied as a stream from ``default_storage`` (local disk or S3);
- ``manifiesto.json``, last: format, app version, applied migrations, counts per model, the
  audit chain's head, the dump's SHA-256 and each file's SHA-256 and size.

The dump and the list of files come from one read transaction (SERIALIZABLE READ ONLY
DEFERRABLE on PostgreSQL, a single read transaction on SQLite). Each file's SHA-256 is
checked while it is copied against the value the database stores; a missing or altered file
is recorded in the manifest (``completo: false``) and the backup is still written, so the
data and every intact file survive, but the command fails and `restaurar` refuses it.

Restoring verifies the manifest and every file before touching anything, then, in one
transaction, empties the destination, loads the dump, writes the files, resets the sequences,
verifies every dictamen (PDF hash, PAdES signature, sello digital) and the audit chain, and
ends every session (issue 93): nobody stays signed in across a restore. Anything wrong rolls
the database back and removes the files written.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from dictamenes.operacion.services import sesiones
from estandares.progreso import FALLIDO, HECHO, OMITIDO, SIN_AVANCE, Avance

FORMATO = "dictamenes-tic/respaldo"
VERSION_FORMATO = 1
MANIFIESTO = "manifiesto.json"
# XML, not JSON: Django's JSON encoder cuts datetimes to milliseconds, and the audit chain
# hashes them to the microsecond; the XML serializer writes isoformat() in full.
VOLCADO = "datos.xml"
CARPETA_ARCHIVOS = "archivos/"
# Recreated by `migrate`; the dump refers to them by natural key. Sessions are not kept, nor
# the runs of the periodic commands: they are this installation's, not the restored one's;
# nor the capacity plan kept (computed again from the restored data).
EXCLUIDOS = (
    "contenttypes",
    "auth.permission",
    "sessions",
    "dictamenes.corridaperiodica",
    "dictamenes.planguardado",
)
BLOQUE = 1024 * 1024

# (model label, file field, field holding the SHA-256 the database expects)
ARCHIVOS = (
    ("dictamenes.anexo", "archivo", "sha256"),
    ("dictamenes.dictamen", "pdf", "pdf_sha256"),
)


class ErrorRespaldo(Exception):
    """A backup or restore that cannot go on; the message is for the operator, in Spanish."""


# --- Shared helpers ---------------------------------------------------------------------------


def version_aplicacion() -> str:
    with open(Path(settings.BASE_DIR) / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["version"]


def migraciones_aplicadas() -> dict[str, list[str]]:
    aplicadas: dict[str, list[str]] = {}
    for app, nombre in MigrationRecorder(connection).applied_migrations():
        aplicadas.setdefault(app, []).append(nombre)
    return {app: sorted(nombres) for app, nombres in sorted(aplicadas.items())}


def etiquetas_excluidas() -> tuple[str, ...]:
    """EXCLUIDOS, and every model that keeps sessions wherever it lives."""
    return (*EXCLUIDOS, *(m._meta.label_lower for m in sesiones.modelos_de_sesion()))


def modelos_respaldados() -> list:
    """The concrete models whose rows go in the dump (M2M tables travel inside their owner)."""
    fuera = etiquetas_excluidas()
    return [
        m
        for m in apps.get_models()
        if m._meta.managed
        and not m._meta.proxy
        and {m._meta.app_label, m._meta.label_lower}.isdisjoint(fuera)
    ]


def conteos() -> dict[str, int]:
    return {m._meta.label_lower: m._base_manager.count() for m in modelos_respaldados()}


def cabeza_auditoria() -> dict:
    from dictamenes.models import EventoAuditoria

    ultimo = EventoAuditoria.objects.order_by("-numero").only("numero", "hash").first()
    return {"numero": ultimo.numero, "hash": ultimo.hash} if ultimo else {"numero": 0, "hash": ""}


class _LectorConHuella(io.RawIOBase):
    """Reads a file through, hashing and counting what passes (copies never hold a whole file)."""

    def __init__(self, origen):
        self.origen = origen
        self.huella = hashlib.sha256()
        self.leidos = 0

    def readable(self) -> bool:
        return True

    def read(self, n=-1) -> bytes:
        datos = self.origen.read(n)
        self.huella.update(datos)
        self.leidos += len(datos)
        return datos


def sha256_en_almacen(*, nombre: str) -> str:
    huella = hashlib.sha256()
    with default_storage.open(nombre, "rb") as f:
        for bloque in iter(lambda: f.read(BLOQUE), b""):
            huella.update(bloque)
    return huella.hexdigest()


# --- Backup -----------------------------------------------------------------------------------


@dataclass
class ResultadoRespaldo:
    ruta: Path
    manifiesto: dict
    sha256_tar: str
    segundos: float

    @property
    def completo(self) -> bool:
        return self.manifiesto["completo"]


def _archivos_referidos() -> list[dict]:
    """Every file the database references, with the SHA-256 it expects (read in the snapshot)."""
    referidos = []
    for etiqueta, campo, campo_huella in ARCHIVOS:
        modelo = apps.get_model(etiqueta)
        filas = (
            modelo._base_manager.exclude(**{campo: ""})
            .order_by("pk")
            .values_list("pk", campo, campo_huella)
        )
        for pk, nombre, huella in filas.iterator():
            referidos.append(
                {"modelo": etiqueta, "pk": pk, "campo": campo, "nombre": nombre, "esperado": huella}
            )
    return referidos


def _iniciar_instantanea() -> None:
    """Make the surrounding transaction one consistent, read-only snapshot."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # DEFERRABLE waits, if needed, for a snapshot no serializable writer can disturb,
            # and then never fails with a serialization error.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY, DEFERRABLE")
    # SQLite: the atomic block's BEGIN plus the first read fix the snapshot until the end.


def respaldo_crear(
    *, destino: Path, avisar: Callable[[str], None] = lambda _: None, avance: Avance = SIN_AVANCE
):
    """Write the backup to `destino` (a new .tar). Returns a ResultadoRespaldo; the manifest's
    `completo` and `problemas` say whether every file was present and intact."""
    destino = Path(destino)
    if destino.exists():
        raise ErrorRespaldo(f"Ya existe {destino}; elija otro nombre para no sobrescribir.")
    if not destino.parent.is_dir():
        raise ErrorRespaldo(f"No existe la carpeta {destino.parent}.")
    inicio = time.monotonic()
    parcial = destino.with_name(destino.name + ".parcial")
    problemas: list[str] = []
    archivos: list[dict] = []
    try:
        parcial.touch(mode=0o600, exist_ok=False)  # its owner's alone, whatever the umask
        with tarfile.open(parcial, "w", format=tarfile.PAX_FORMAT) as tar:
            # From the command this is the outermost block; inside a caller's transaction
            # (a test's) isolation can no longer be set, and the caller's snapshot is used.
            externa = connection.in_atomic_block
            with transaction.atomic():
                if not externa:
                    _iniciar_instantanea()
                manifiesto = {
                    "formato": FORMATO,
                    "version_formato": VERSION_FORMATO,
                    "creado_en": timezone.now().isoformat(),
                    "aplicacion": {"version": version_aplicacion()},
                    "base_de_datos": connection.vendor,
                    "migraciones": migraciones_aplicadas(),
                    "conteos": conteos(),
                    "auditoria": cabeza_auditoria(),
                }
                volcado = _volcar(tar, objetos=sum(manifiesto["conteos"].values()))
                manifiesto["volcado"] = volcado
                avisar(f"Base de datos: {volcado['objetos']} objetos, {volcado['bytes']} bytes.")
                referidos = _archivos_referidos()
                avance.fase("archivos", total=len(referidos))
                for referido in referidos:
                    archivos.append(_copiar_archivo(tar, referido, problemas))
                    avance.avanzar(HECHO if archivos[-1]["integro"] else FALLIDO)
            manifiesto["archivos"] = archivos
            manifiesto["completo"] = not problemas
            manifiesto["problemas"] = problemas
            datos = json.dumps(manifiesto, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo(MANIFIESTO)
            info.size = len(datos)
            info.mtime = int(time.time())
            tar.addfile(info, io.BytesIO(datos))
        huella_tar = hashlib.sha256()
        with open(parcial, "rb") as f:
            for bloque in iter(lambda: f.read(BLOQUE), b""):
                huella_tar.update(bloque)
        os.replace(parcial, destino)
    finally:
        parcial.unlink(missing_ok=True)
    return ResultadoRespaldo(destino, manifiesto, huella_tar.hexdigest(), time.monotonic() - inicio)


def _volcar(tar: tarfile.TarFile, *, objetos: int) -> dict:
    """dumpdata into a temporary file (tar needs the size first), then into the tar."""
    with tempfile.TemporaryDirectory(prefix="respaldo-") as carpeta:
        ruta = Path(carpeta) / VOLCADO
        call_command(
            "dumpdata",
            format="xml",
            exclude=list(etiquetas_excluidas()),
            natural_foreign=True,
            use_base_manager=True,
            output=str(ruta),
            verbosity=0,
        )
        with open(ruta, "rb") as f:
            lector = _LectorConHuella(f)
            info = tar.gettarinfo(str(ruta), arcname=VOLCADO)
            tar.addfile(info, lector)
    return {
        "archivo": VOLCADO,
        "formato": "dumpdata-xml",
        "sha256": lector.huella.hexdigest(),
        "bytes": lector.leidos,
        "objetos": objetos,
    }


def _copiar_archivo(tar: tarfile.TarFile, referido: dict, problemas: list[str]) -> dict:
    nombre = referido["nombre"]
    quien = f"{referido['modelo']} #{referido['pk']} ({nombre})"
    entrada = {**referido, "sha256": "", "bytes": 0, "integro": False}
    try:
        tamano = default_storage.size(nombre)
        origen = default_storage.open(nombre, "rb")
    except Exception:  # FileNotFoundError locally, a ClientError 404 on S3, ...
        problemas.append(f"Falta el archivo de {quien} en el almacenamiento.")
        return entrada
    try:
        lector = _LectorConHuella(origen)
        info = tarfile.TarInfo(CARPETA_ARCHIVOS + nombre)
        info.size = tamano
        info.mtime = int(time.time())
        tar.addfile(info, lector)
    finally:
        origen.close()
    entrada.update(sha256=lector.huella.hexdigest(), bytes=lector.leidos)
    if entrada["sha256"] != referido["esperado"]:
        problemas.append(
            f"El archivo de {quien} no coincide con la huella SHA-256 registrada en la base "
            "de datos: está alterado o dañado."
        )
    else:
        entrada["integro"] = True
    return entrada


# --- Restore ----------------------------------------------------------------------------------


@dataclass
class ResultadoRestauracion:
    objetos: int = 0
    archivos: int = 0
    bytes_archivos: int = 0
    dictamenes_verificados: int = 0
    anexos_verificados: int = 0
    eventos_verificados: int = 0
    conteos: dict = field(default_factory=dict)
    segundos: float = 0.0


def _leer_manifiesto(tar: tarfile.TarFile) -> dict:
    try:
        miembro = tar.getmember(MANIFIESTO)
        manifiesto = json.load(tar.extractfile(miembro))
    except (KeyError, ValueError) as exc:
        raise ErrorRespaldo(
            "El respaldo no tiene un manifiesto legible (manifiesto.json): no es un respaldo "
            "de este sistema o está incompleto."
        ) from exc
    if manifiesto.get("formato") != FORMATO or manifiesto.get("version_formato") != VERSION_FORMATO:
        raise ErrorRespaldo(
            "El manifiesto no corresponde a un respaldo de Dictámenes TIC en un formato conocido."
        )
    return manifiesto


def _huella_miembro(tar: tarfile.TarFile, nombre: str) -> tuple[str, int]:
    try:
        origen = tar.extractfile(tar.getmember(nombre))
    except KeyError:
        return "", -1
    huella, leidos = hashlib.sha256(), 0
    for bloque in iter(lambda: origen.read(BLOQUE), b""):
        huella.update(bloque)
        leidos += len(bloque)
    return huella.hexdigest(), leidos


def respaldo_verificar(*, tar: tarfile.TarFile, avance: Avance = SIN_AVANCE) -> dict:
    """Check the manifest, the dump and every file against their SHA-256; nothing is written."""
    manifiesto = _leer_manifiesto(tar)
    if not manifiesto.get("completo"):
        raise ErrorRespaldo(
            "El respaldo está marcado como incompleto y no se restaura: "
            + " ".join(manifiesto.get("problemas", []))
        )
    errores = []
    volcado = manifiesto["volcado"]
    if _huella_miembro(tar, volcado["archivo"])[0] != volcado["sha256"]:
        errores.append("El volcado de la base de datos no coincide con su huella SHA-256.")
    avance.fase("verificar el respaldo", total=len(manifiesto["archivos"]))
    for archivo in manifiesto["archivos"]:
        huella, tamano = _huella_miembro(tar, CARPETA_ARCHIVOS + archivo["nombre"])
        integro = tamano >= 0 and huella == archivo["sha256"] == archivo["esperado"]
        avance.avanzar(HECHO if integro else FALLIDO)
        if tamano < 0:
            errores.append(f"Falta en el respaldo el archivo {archivo['nombre']}.")
        elif huella != archivo["sha256"] or huella != archivo["esperado"]:
            errores.append(
                f"El archivo {archivo['nombre']} no coincide con su huella SHA-256: "
                "el respaldo fue alterado o está dañado."
            )
    if errores:
        raise ErrorRespaldo(
            "El respaldo no pasó la verificación; no se restauró nada. " + " ".join(errores)
        )
    return manifiesto


def datos_existentes() -> dict[str, int]:
    """What makes an installation not empty: people, agencies, requests, dictámenes, events."""
    from dictamenes.models import Anexo, Dictamen, Ente, EventoAuditoria, Solicitud

    conteo = {
        "usuarios": get_user_model()._base_manager.count(),
        "entes": Ente._base_manager.count(),
        "solicitudes": Solicitud._base_manager.count(),
        "anexos": Anexo._base_manager.count(),
        "dictámenes": Dictamen._base_manager.count(),
        "eventos de auditoría": EventoAuditoria._base_manager.count(),
    }
    return {k: v for k, v in conteo.items() if v}


def _comparar_migraciones(manifiesto: dict) -> None:
    respaldo = manifiesto["migraciones"]
    aqui = migraciones_aplicadas()
    if respaldo == aqui:
        return
    faltan = sorted(
        f"{app}.{n}" for app, ns in respaldo.items() for n in ns if n not in aqui.get(app, [])
    )
    sobran = sorted(
        f"{app}.{n}" for app, ns in aqui.items() for n in ns if n not in respaldo.get(app, [])
    )
    detalle = []
    if faltan:
        detalle.append("faltan aquí " + ", ".join(faltan[:5]))
    if sobran:
        detalle.append("sobran aquí " + ", ".join(sobran[:5]))
    raise ErrorRespaldo(
        "Las migraciones de esta instalación no son las del respaldo ("
        + "; ".join(detalle)
        + f"). Instale la versión {manifiesto['aplicacion']['version']} de la aplicación, "
        "migre y restaure; después actualice."
    )


def respaldo_restaurar(
    *,
    origen: Path,
    forzar: bool = False,
    avisar: Callable[[str], None] = lambda _: None,
    avance: Avance = SIN_AVANCE,
) -> ResultadoRestauracion:
    inicio = time.monotonic()
    origen = Path(origen)
    if not origen.is_file():
        raise ErrorRespaldo(f"No existe el respaldo {origen}.")
    try:
        tar = tarfile.open(origen, "r:")  # noqa: SIM115 - closed by the `with tar` below
    except tarfile.TarError as exc:
        raise ErrorRespaldo(f"{origen} no es un archivo .tar legible.") from exc
    with tar:
        manifiesto = respaldo_verificar(tar=tar, avance=avance)
        avisar(
            f"Respaldo verificado: volcado y {len(manifiesto['archivos'])} archivos coinciden "
            "con sus huellas SHA-256."
        )
        _comparar_migraciones(manifiesto)
        existentes = datos_existentes()
        if existentes and not forzar:
            raise ErrorRespaldo(
                "La instalación de destino no está vacía ("
                + ", ".join(f"{n} {k}" for k, n in existentes.items())
                + "). Restaure en una instalación recién migrada, o use --forzar para "
                "reemplazar todo su contenido."
            )
        escritos: list[str] = []
        try:
            with transaction.atomic():
                # The replaced installation's sessions, before `flush` empties their table.
                claves = sesiones.claves_de_sesion()
                resultado = _cargar(
                    tar, manifiesto, forzar=forzar, escritos=escritos, avance=avance
                )
                avisar(
                    f"Cargados {resultado.objetos} objetos y {resultado.archivos} archivos; "
                    "verificando…"
                )
                _verificar_restauracion(manifiesto, resultado, avance=avance)
                sesiones.sesiones_terminar(claves=claves)
        except Exception:
            for nombre in escritos:
                default_storage.delete(nombre)
            raise
    resultado.segundos = time.monotonic() - inicio
    return resultado


def _cargar(
    tar, manifiesto, *, forzar: bool, escritos: list[str], avance: Avance
) -> ResultadoRestauracion:
    # Empty the destination: seeded rows (the default deadlines, contenttypes) would collide
    # with the backup's. An empty installation loses nothing; --forzar replaces everything.
    call_command("flush", interactive=False, verbosity=0)
    ContentType.objects.clear_cache()
    with tempfile.TemporaryDirectory(prefix="restaurar-") as carpeta:
        ruta = Path(carpeta) / VOLCADO
        with open(ruta, "wb") as f:
            origen = tar.extractfile(manifiesto["volcado"]["archivo"])
            for bloque in iter(lambda: origen.read(BLOQUE), b""):
                f.write(bloque)
        call_command("loaddata", str(ruta), verbosity=0)
    # loaddata moves the sequences of the tables it loaded; do it for every table anyway, so
    # the next row of any table gets a fresh id (PostgreSQL; SQLite needs nothing).
    if connection.vendor == "postgresql":
        sql = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for sentencia in sql:
                cursor.execute(sentencia)
    resultado = ResultadoRestauracion(objetos=manifiesto["volcado"]["objetos"])
    avance.fase("escribir archivos", total=len(manifiesto["archivos"]))
    for archivo in manifiesto["archivos"]:
        nombre = archivo["nombre"]
        if default_storage.exists(nombre):
            if sha256_en_almacen(nombre=nombre) == archivo["sha256"]:
                avance.avanzar(OMITIDO)
                continue  # already there, identical
            if not forzar:
                raise ErrorRespaldo(
                    f"El almacenamiento de destino ya tiene un archivo distinto en {nombre}; "
                    "no se restauró nada. Use --forzar para reemplazarlo."
                )
            default_storage.delete(nombre)
        miembro = tar.getmember(CARPETA_ARCHIVOS + nombre)
        guardado = default_storage.save(nombre, File(tar.extractfile(miembro), name=nombre))
        escritos.append(guardado)
        if guardado != nombre:
            raise ErrorRespaldo(f"El almacenamiento guardó {nombre} con otro nombre ({guardado}).")
        resultado.archivos += 1
        resultado.bytes_archivos += archivo["bytes"]
        avance.avanzar(HECHO)
    return resultado


def _verificar_restauracion(
    manifiesto: dict, resultado: ResultadoRestauracion, *, avance: Avance = SIN_AVANCE
) -> None:
    """Counts, every file against the SHA-256 in the database, every dictamen's signatures and
    the audit chain. Any failure raises, and the caller rolls everything back."""
    from dictamenes.comun import auditoria
    from dictamenes.models import Anexo, Dictamen

    errores = []
    resultado.conteos = conteos()
    for etiqueta, esperado in manifiesto["conteos"].items():
        if resultado.conteos.get(etiqueta) != esperado:
            errores.append(
                f"{etiqueta}: el respaldo tiene {esperado} registros y se cargaron "
                f"{resultado.conteos.get(etiqueta)}."
            )
    anexos = Anexo._base_manager.exclude(archivo="")
    avance.fase("verificar anexos", total=anexos.count())
    for anexo in anexos.iterator():
        if sha256_en_almacen(nombre=anexo.archivo.name) != anexo.sha256:
            errores.append(f"El anexo {anexo.archivo.name} no coincide con su SHA-256.")
            avance.avanzar(FALLIDO)
        else:
            resultado.anexos_verificados += 1
            avance.avanzar(HECHO)
    dictamenes = Dictamen._base_manager.order_by("pk")
    avance.fase("verificar dictámenes", total=dictamenes.count())
    for dictamen in dictamenes.iterator():
        antes = len(errores)
        _dictamen_verificar(dictamen, resultado, errores)
        avance.avanzar(HECHO if len(errores) == antes else FALLIDO)
    cadena = auditoria.cadena_verificar()
    if not cadena.integra:
        errores.append(
            f"La cadena de auditoría está rota en el evento #{cadena.roto_en.numero}: "
            f"{cadena.motivo}."
        )
    elif cabeza_auditoria() != manifiesto["auditoria"]:
        errores.append("La cabeza de la cadena de auditoría no es la registrada en el respaldo.")
    resultado.eventos_verificados = cadena.revisados
    if errores:
        raise ErrorRespaldo(
            "La restauración no pasó la verificación y se deshizo: " + " ".join(errores)
        )


def _dictamen_verificar(dictamen, resultado: ResultadoRestauracion, errores: list[str]) -> None:
    """One restored dictamen: its PDF's SHA-256, its PAdES signature, its seals."""
    from dictamenes.emision.documentos import efirma
    from dictamenes.emision.services import comprobacion, integridad

    try:
        datos = integridad.dictamen_pdf_leer(dictamen=dictamen)
    except Exception:
        errores.append(f"El PDF del dictamen {dictamen.folio} falta o no coincide con su SHA-256.")
        return
    verificacion = comprobacion.pdf_verificar(datos=datos, con_red=False)
    certificado = efirma.x509.load_pem_x509_certificate(dictamen.certificado_pem.encode())
    sello = efirma.sello_valido(
        certificado=certificado, cadena=dictamen.cadena_original, sello=dictamen.sello
    )
    cancelacion = not dictamen.cancelado_en or efirma.sello_valido(
        certificado=certificado,
        cadena=dictamen.cadena_cancelacion,
        sello=dictamen.sello_cancelacion,
    )
    if not (verificacion.autentico and verificacion.dictamen.pk == dictamen.pk):
        errores.append(
            f"La firma electrónica (PAdES) del dictamen {dictamen.folio} no es válida o no "
            "proviene de una autoridad certificadora de confianza de esta instalación."
        )
    elif not sello:
        errores.append(f"El sello digital del dictamen {dictamen.folio} no es válido.")
    elif not cancelacion:
        errores.append(f"El sello de cancelación del dictamen {dictamen.folio} no es válido.")
    else:
        resultado.dictamenes_verificados += 1
