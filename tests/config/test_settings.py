"""Settings come from the environment, with safe local defaults and a strict production."""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parents[2]
SECRET = "x" * 20 + "-una-clave-larga-y-aleatoria-de-produccion-9f8e7d6c"


def clean_env(**env_vars) -> dict:
    """The test process's environment without our settings, plus the given ones."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "AWS_", "DATABASE_URL"))
    }
    env.update(env_vars)
    return env


def run_python(code: str, settings_module: str, **env_vars):
    env = clean_env(DJANGO_SETTINGS_MODULE=settings_module, **env_vars)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


# A new Python per case spent half of its seconds importing the same libraries (pyHanko,
# aiohttp, reportlab, psycopg…). One process per module imports them once, then runs each case
# in a child of its own (fork): the child takes the case's whole environment, runs manage.py's
# main (or the given code) as `python manage.py …` would, and its exit status and output are
# the case's. Only libraries that read no Django setting are imported beforehand, and only
# after a first case named them; the settings, Django's apps and ours are the child's to load.
_CORREDOR = r"""
import importlib, json, os, runpy, sys, tempfile, traceback

PREVIAS = ("pyhanko", "pyhanko_certvalidator", "aiohttp", "reportlab", "psycopg", "rdflib",
           "pydantic", "pydantic_core", "pikepdf", "cryptography", "asn1crypto", "jinja2",
           "holidays", "urllib3", "html5rdf", "phonenumbers")
raiz = os.getcwd()
nombres = os.path.join(tempfile.mkdtemp(), "modulos")


def hijo(caso):
    os.environ.clear()
    os.environ.update(caso["entorno"])
    for fd, ruta in ((1, caso["stdout"]), (2, caso["stderr"])):
        os.dup2(os.open(ruta, os.O_WRONLY | os.O_CREAT | os.O_TRUNC), fd)
    codigo = 0
    try:
        if "codigo" in caso:
            sys.argv = ["-c"]
            sys.path[0] = ""
            exec(compile(caso["codigo"], "<string>", "exec"), {"__name__": "__main__"})
        else:
            sys.argv = ["manage.py", *caso["argumentos"]]
            sys.path[0] = raiz
            runpy.run_path(os.path.join(raiz, "manage.py"), run_name="__main__")
    except SystemExit as salida:  # as Python ends on it: None is 0, a text is printed and 1
        codigo = salida.code
        if codigo is None:
            codigo = 0
        elif not isinstance(codigo, int):
            print(codigo, file=sys.stderr)
            codigo = 1
    except BaseException:
        traceback.print_exc()
        codigo = 1
    with open(nombres, "w") as archivo:
        archivo.write("\n".join(sys.modules))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(codigo)


for linea in sys.stdin:
    pid = os.fork()
    if pid == 0:
        hijo(json.loads(linea))
    _, estado = os.waitpid(pid, 0)
    print(json.dumps(os.waitstatus_to_exitcode(estado)), flush=True)
    if os.path.exists(nombres):
        for nombre in open(nombres).read().split():
            if nombre.split(".")[0] in PREVIAS and nombre not in sys.modules:
                try:
                    importlib.import_module(nombre)
                except Exception:
                    pass
        os.remove(nombres)
"""


@pytest.fixture(scope="module")
def procesos(tmp_path_factory):
    """Runs a case as its own process would: `procesos(entorno, argumentos=[…])` for manage.py,
    `procesos(entorno, codigo=…)` for `python -c`; gives returncode, stdout and stderr."""
    corredor = subprocess.Popen(
        [sys.executable, "-c", _CORREDOR],
        cwd=ROOT,
        env=clean_env(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    salidas = tmp_path_factory.mktemp("procesos")

    def correr(entorno: dict, **caso):
        rutas = {"stdout": str(salidas / "stdout"), "stderr": str(salidas / "stderr")}
        corredor.stdin.write(json.dumps({"entorno": entorno, **rutas, **caso}) + "\n")
        corredor.stdin.flush()
        codigo = json.loads(corredor.stdout.readline())
        leido = {k: Path(v).read_text() for k, v in rutas.items()}
        return SimpleNamespace(returncode=codigo, **leido)

    yield correr
    corredor.stdin.close()
    corredor.wait()


def _settings_module(settings_module: str, **env_vars):
    """The settings module as a process started with this environment would have it: the
    settings modules read the environment only when imported, so they are imported again here
    with that environment (and nothing else of ours), then this process's are put back. A
    process per case cost two seconds of start-up each."""
    propios = {n: m for n, m in sys.modules.items() if n.startswith("config.settings")}
    entorno = clean_env(DJANGO_SETTINGS_MODULE=settings_module, **env_vars)
    try:
        with mock.patch.dict(os.environ, entorno, clear=True):
            for nombre in propios:
                del sys.modules[nombre]
            return importlib.import_module(settings_module)
    finally:
        for nombre in [n for n in sys.modules if n.startswith("config.settings")]:
            del sys.modules[nombre]
        sys.modules.update(propios)


def settings_of(settings_module: str, **env_vars) -> dict:
    s = _settings_module(settings_module, **env_vars)
    db = s.DATABASES["default"]
    return {
        "engine": db["ENGINE"],
        "name": str(db["NAME"]),
        "host": db.get("HOST"),
        "storage": s.STORAGES["default"]["BACKEND"],
        "storage_options": {k: str(v) for k, v in s.STORAGES["default"]["OPTIONS"].items()},
        "email": s.EMAIL_BACKEND,
        "cache": s.CACHES["default"]["BACKEND"],
        "cache_location": str(s.CACHES["default"].get("LOCATION", "")),
        "language": s.LANGUAGE_CODE,
        "tz": s.TIME_ZONE,
        "backends": s.AUTHENTICATION_BACKENDS,
        "conn_max_age": db["CONN_MAX_AGE"],
        "health_checks": db.get("CONN_HEALTH_CHECKS"),
        "db_options": db.get("OPTIONS", {}),
    }


def test_sin_variables_usa_sqlite_archivos_locales_correo_en_consola_y_cache_en_archivos(
    tmp_path,
):
    s = settings_of("config.settings.local", DJANGO_VAR_DIR=str(tmp_path))

    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "db.sqlite3")
    assert s["storage"] == "django.core.files.storage.FileSystemStorage"
    assert s["storage_options"]["location"] == str(tmp_path / "media")
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"
    # Shared by `make run` and the commands run beside it (a profile loaded, the demo).
    assert s["cache"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert s["cache_location"] == str(tmp_path / "cache")
    assert (s["language"], s["tz"]) == ("es-mx", "America/Hermosillo")
    assert "guardian.backends.ObjectPermissionBackend" in s["backends"]


def test_otro_estado_pone_su_zona_horaria(tmp_path):
    s = settings_of(
        "config.settings.local",
        DJANGO_VAR_DIR=str(tmp_path),
        DJANGO_ZONA_HORARIA="America/Mexico_City",
    )
    assert s["tz"] == "America/Mexico_City"


def test_database_url_elige_postgresql():
    s = settings_of(
        "config.settings.local", DATABASE_URL="postgres://sgd:clave@db.interno:5432/dictamenes"
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert (s["name"], s["host"]) == ("dictamenes", "db.interno")


def test_postgresql_conserva_la_conexion_y_prepara_las_consultas_repetidas():
    """A page does not open a connection, nor does PostgreSQL plan the same query again on
    every request; behind a PgBouncer in transaction mode, preparing is turned off."""
    url = "postgres://sgd:clave@db.interno:5432/dictamenes"
    s = settings_of("config.settings.local", DATABASE_URL=url)
    assert s["conn_max_age"] == 60
    assert s["health_checks"] is True
    assert s["db_options"]["server_side_binding"] is True
    assert s["db_options"]["prepare_threshold"] == 5
    s = settings_of("config.settings.local", DATABASE_URL=url, DJANGO_DB_ENLACE_SERVIDOR="false")
    assert s["db_options"]["server_side_binding"] is False
    assert s["db_options"]["prepare_threshold"] is None


def test_almacenamiento_s3_privado_sin_sobrescritura_y_s3v4():
    s = settings_of(
        "config.settings.local",
        DJANGO_STORAGE="s3",
        DJANGO_S3_BUCKET="expedientes",
        DJANGO_S3_ENDPOINT_URL="https://s3.sonora.invalid",
        AWS_ACCESS_KEY_ID="clave",
        AWS_SECRET_ACCESS_KEY="secreto",
    )
    assert s["storage"] == "storages.backends.s3.S3Storage"
    opts = s["storage_options"]
    assert opts["bucket_name"] == "expedientes"
    assert opts["endpoint_url"] == "https://s3.sonora.invalid"
    assert opts["default_acl"] == "private"
    assert opts["file_overwrite"] == "False"
    assert opts["signature_version"] == "s3v4"


def test_almacenamiento_desconocido_se_rechaza_con_mensaje_claro():
    with pytest.raises(ImproperlyConfigured, match="DJANGO_STORAGE debe ser 'local' o 's3'"):
        _settings_module("config.settings.local", DJANGO_STORAGE="ftp")


@pytest.mark.parametrize(
    ("env_vars", "mensaje"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "dictamenes.sonora.gob.mx"}, "Falta DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": SECRET}, "Falta DJANGO_ALLOWED_HOSTS"),
        (
            {"DJANGO_SECRET_KEY": "corta", "DJANGO_ALLOWED_HOSTS": "dictamenes.sonora.gob.mx"},
            "Falta DJANGO_SECRET_KEY",
        ),
    ],
)
def test_produccion_no_arranca_sin_clave_secreta_ni_hosts(env_vars, mensaje):
    with pytest.raises(ImproperlyConfigured, match=mensaje):
        _settings_module("config.settings.production", **env_vars)


def _entorno_produccion(tmp_path, **entorno) -> dict:
    return clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="dictamenes.sonora.gob.mx",
        DJANGO_URL_PUBLICA="https://dictamenes.sonora.gob.mx",
        DJANGO_VAR_DIR=str(tmp_path),
        **entorno,
    )


def run_manage_production(tmp_path, *args, **entorno):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=_entorno_produccion(tmp_path, **entorno),
        capture_output=True,
        text=True,
    )


@pytest.fixture
def manage_produccion(procesos):
    """run_manage_production, in a child of the module's process."""

    def correr(tmp_path, *args, **entorno):
        return procesos(_entorno_produccion(tmp_path, **entorno), argumentos=list(args))

    return correr


def test_check_deploy_limpio_en_produccion(tmp_path, manage_produccion):
    """Configured as production must be (with its timestamping authority), nothing to warn."""
    result = manage_produccion(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_TSA_URL="https://tsa.sonora.gob.mx/tsr",
        DJANGO_CACHE_URL=CACHE_COMPARTIDA,
        DJANGO_EFIRMA_SERVICIOS="https://cfdi.sat.gob.mx/edofiel",
        DJANGO_OCDS_PREFIJO_OCID="ocds-g4facg",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


CACHE_COMPARTIDA = "redis://cache.sonora.gob.mx:6379/1"


@pytest.mark.parametrize(
    "entorno",
    [{}, {"DJANGO_CACHE_URL": "locmemcache://"}, {"DJANGO_CACHE_URL": "dummycache://"}],
    ids=["sin-DJANGO_CACHE_URL", "memoria-del-proceso", "sin-cache"],
)
def test_check_deploy_falla_sin_cache_compartida(tmp_path, entorno, manage_produccion):
    """Each worker with its own cache keeps its own counters of the limits per address."""
    result = manage_produccion(
        tmp_path, "check", "--deploy", DJANGO_TSA_URL="https://tsa.sonora.gob.mx/tsr", **entorno
    )
    assert result.returncode != 0
    assert "sitio.E001" in result.stderr
    assert "DJANGO_CACHE_URL" in result.stderr


def test_check_deploy_avisa_sin_servicios_de_estado_de_certificados(tmp_path, manage_produccion):
    result = manage_produccion(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_TSA_URL="https://tsa.sonora.gob.mx/tsr",
        DJANGO_CACHE_URL=CACHE_COMPARTIDA,
    )
    assert result.returncode != 0
    assert "dictamenes.W153" in result.stderr


def test_un_servicio_de_estado_de_certificados_mal_escrito_se_dice(tmp_path, manage_produccion):
    result = manage_produccion(
        tmp_path, "check", DJANGO_EFIRMA_SERVICIOS="https://cfdi.sat.gob.mx/edofiel,cfdi.sat.gob.mx"
    )
    assert result.returncode != 0
    assert "dictamenes.E152" in result.stderr
    assert "«cfdi.sat.gob.mx»" in result.stderr


ES_HTTPS = """
import django
django.setup()
from django.test import RequestFactory
print(RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https").is_secure())
"""


@pytest.mark.parametrize(("proxies", "https"), [("0", "False"), ("1", "True")])
def test_x_forwarded_proto_solo_se_cree_detras_de_un_proxy(procesos, proxies, https):
    """Without a proxy of its own, the header is the client's to send: a plain request that
    says "https" is still plain."""
    entorno = clean_env(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_URL_PUBLICA="https://dictamenes.sonora.gob.mx",
        DJANGO_PROXIES=proxies,
    )
    result = procesos(entorno, codigo=ES_HTTPS)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == https


@pytest.mark.parametrize("prefijo", [None, "ocds-xxxxxx", "sonora"])
def test_check_deploy_sin_prefijo_ocds_propio_avisa(tmp_path, prefijo, manage_produccion):
    """The demo's placeholder, or something that is not "ocds-" and six characters, is not a
    prefix the Open Contracting Partnership assigned."""
    entorno = {} if prefijo is None else {"DJANGO_OCDS_PREFIJO_OCID": prefijo}
    result = manage_produccion(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **entorno)
    assert result.returncode != 0
    assert "publico.W161" in result.stdout + result.stderr
    assert "DJANGO_OCDS_PREFIJO_OCID" in result.stdout + result.stderr


def test_check_deploy_sin_tsa_en_produccion_avisa(tmp_path, manage_produccion):
    result = manage_produccion(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "dictamenes.W151" in result.stdout + result.stderr


def test_cargar_demo_no_existe_en_produccion(tmp_path, manage_produccion):
    # The demo app (demo users with public passwords, the test CA) is not installed there.
    result = manage_produccion(tmp_path, "cargar_demo")
    assert result.returncode != 0
    assert "Unknown command: 'cargar_demo'" in result.stderr
