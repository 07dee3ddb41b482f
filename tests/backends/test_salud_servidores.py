"""/salud/listo under gunicorn, with the production middleware, against a PostgreSQL, a Redis
and an S3 (moto) of its own: each is stopped for real, and the answer is 503 naming it; brought
back, 200. The PostgreSQL gets this run's migrated test database (pg_dump), so the server
finds every migration applied."""

import contextlib
import json
import os
import secrets
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from django.db import connection

from tests.backends.plugin import require_postgres
from tests.backends.servers import (
    GunicornServer,
    PostgresServer,
    find_pg_bindir,
    started_redis_server,
    started_s3_server,
)

pytestmark = [pytest.mark.postgres, pytest.mark.s3]

RAIZ = Path(__file__).resolve().parents[2]
BUCKET = "expedientes-salud"


def _copiar_base(bindir: Path, destino: str) -> None:
    """This run's migrated test database (the demo catalogues in it) into `destino`."""
    ajustes = connection.settings_dict
    volcado = subprocess.run(
        [
            str(bindir / "pg_dump"),
            "--no-owner",
            "-h",
            ajustes["HOST"],
            "-p",
            str(ajustes["PORT"]),
            "-U",
            ajustes["USER"],
            ajustes["NAME"],
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [str(bindir / "psql"), "-q", "-v", "ON_ERROR_STOP=1", destino],
        input=volcado.stdout,
        check=True,
        capture_output=True,
    )


def _listo(servidor: GunicornServer) -> tuple[int, dict, str | None]:
    try:
        respuesta = urllib.request.urlopen(servidor.url + "/salud/listo", timeout=30)  # noqa: S310
    except urllib.error.HTTPError as error:
        respuesta = error
    with respuesta:
        return respuesta.status, json.loads(respuesta.read()), respuesta.headers["Set-Cookie"]


@pytest.mark.django_db
def test_listo_nombra_la_base_la_cache_o_s3_detenidos_y_vuelve(tmp_path):
    require_postgres()
    with contextlib.ExitStack() as pila:
        bindir = find_pg_bindir()
        pg = PostgresServer(bindir=bindir)
        pila.callback(pg.stop)
        base = pg.start()
        _copiar_base(bindir, base)
        redis_servidor = started_redis_server()
        pila.callback(redis_servidor.stop)
        s3 = started_s3_server()
        pila.callback(s3.stop)
        boto3.client(
            "s3",
            endpoint_url=s3.endpoint_url,
            aws_access_key_id="pruebas",
            aws_secret_access_key="pruebas-secreto",
            region_name="us-east-1",
        ).create_bucket(Bucket=BUCKET)
        servidor = GunicornServer(raiz=RAIZ, trabajadores=1)
        pila.callback(servidor.stop)
        servidor.spawn(
            {
                **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
                "DJANGO_SETTINGS_MODULE": "tests.backends.ajustes_dos_servidores",
                "DATABASE_URL": base,
                "DJANGO_CACHE_URL": redis_servidor.url,
                "DJANGO_STORAGE": "s3",
                "DJANGO_S3_BUCKET": BUCKET,
                "DJANGO_S3_ENDPOINT_URL": s3.endpoint_url,
                "AWS_ACCESS_KEY_ID": "pruebas",
                "AWS_SECRET_ACCESS_KEY": "pruebas-secreto",
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
                "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
                "DJANGO_VAR_DIR": str(tmp_path / "var"),
                "DJANGO_EMAIL_FILE_PATH": str(tmp_path / "correo"),
                "DJANGO_SALUD_TIEMPO_ESPERA": "2",
            },
            registro=tmp_path / "gunicorn.log",
        )
        servidor.wait_until_ready()

        todo_bien = {
            "base_de_datos": "ok",
            "cache": "ok",
            "almacenamiento": "ok",
            "tsa": "sin_configurar",
        }
        assert _listo(servidor) == (
            200,
            {"estado": "listo", "fallan": [], "componentes": todo_bien},
            None,
        )
        for nombre, detener, reanudar in (
            ("base_de_datos", pg.pause, pg.resume),
            ("cache", redis_servidor.stop, redis_servidor.start),
            ("almacenamiento", s3.stop, s3.start),
        ):
            detener()
            codigo, cuerpo, cookie = _listo(servidor)
            assert (codigo, cuerpo["estado"], cuerpo["fallan"]) == (503, "no_listo", [nombre])
            assert cuerpo["componentes"][nombre].startswith("falla: ")
            assert cookie is None
            reanudar()
            assert _listo(servidor)[0] == 200, nombre
