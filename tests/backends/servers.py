"""Throw-away servers on loopback for the test suite: PostgreSQL, S3 (moto), Redis and the
project itself under gunicorn.

Each lives in its own temporary directory and is stopped and removed afterwards.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find_pg_bindir() -> Path | None:
    """initdb on PATH, or Debian's versioned directory (not on PATH after apt install).

    DICTAMENES_PG_BINDIR names the directory explicitly (an empty or wrong one disables it).
    """
    explicit = os.environ.get("DICTAMENES_PG_BINDIR")
    if explicit is not None:
        return Path(explicit) if (Path(explicit) / "initdb").exists() else None
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(candidates[0]).parent if candidates else None


class BackendUnavailable(Exception):
    """The server cannot run on this machine; the reason is shown in the skip."""


@dataclass
class PostgresServer:
    bindir: Path
    tmpdir: Path | None = None
    port: int | None = None
    # make bench keeps PostgreSQL's durability and passes its own memory settings.
    durable: bool = False
    opciones: tuple[str, ...] = ()

    @property
    def datadir(self) -> Path:
        assert self.tmpdir is not None
        return self.tmpdir / "data"

    def _as_owner(self) -> list[str]:
        # PostgreSQL refuses to run as root; CI runs the suite as root.
        if os.geteuid() != 0:
            return []
        try:
            pwd.getpwnam("postgres")
        except KeyError as exc:
            raise BackendUnavailable(
                "se ejecuta como root y no existe el usuario del sistema 'postgres'"
            ) from exc
        return ["runuser", "-u", "postgres", "--"]

    def start(self) -> str:
        prefix = self._as_owner()
        self.tmpdir = Path(tempfile.mkdtemp(prefix="dictamenes-pg-"))
        if prefix:
            shutil.chown(self.tmpdir, user="postgres")
        self.port = free_port()
        subprocess.run(
            [
                *prefix,
                str(self.bindir / "initdb"),
                "-D",
                str(self.datadir),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
        )
        # Durability is pointless for a throw-away test cluster; speed is not.
        options = f"-h 127.0.0.1 -p {self.port} -k {self.tmpdir}"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        options += "".join(f" -c {opcion}" for opcion in self.opciones)
        self._options = options
        self._pg_ctl_start()
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl_start(self) -> None:
        subprocess.run(
            [
                *self._as_owner(),
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-o",
                self._options,
                "-l",
                str(self.tmpdir / "server.log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
            check=True,
            capture_output=True,
        )

    def pause(self) -> None:
        """Shut the server down for real, keeping its data: resume() starts it again on the
        same port (a restart, as an operator or a failover would do)."""
        subprocess.run(
            [
                *self._as_owner(),
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-m",
                "fast",
                "-w",
                "stop",
            ],
            check=True,
            capture_output=True,
        )

    def resume(self) -> None:
        self._pg_ctl_start()

    def stop(self) -> None:
        if self.tmpdir is None:
            return
        if (self.datadir / "postmaster.pid").exists():
            subprocess.run(
                [
                    *self._as_owner(),
                    str(self.bindir / "pg_ctl"),
                    "-D",
                    str(self.datadir),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
                check=False,
                capture_output=True,
            )
        shutil.rmtree(self.tmpdir, ignore_errors=True)
        self.tmpdir = None


class S3Server:
    """moto's standalone S3 API, in a thread on 127.0.0.1.

    stop() really takes it off the network: it closes the listening socket and every open
    (keep-alive) connection, so a client in the middle of a request sees a refused or reset
    connection. start() after stop() serves again on the same port; moto keeps its buckets in
    process memory, so they are still there (tests should not count on it).
    """

    def __init__(self) -> None:
        try:
            from moto.server import ThreadedMotoServer
        except ImportError as exc:  # moto is in the lock file; this guards a partial install
            raise BackendUnavailable(f"moto[server] no está instalado ({exc})") from exc
        self._clase = ThreadedMotoServer
        self.port = free_port()
        self._server = None
        self._conexiones: list[socket.socket] = []

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        self._server = self._clase(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()
        wsgi = self._server._server
        aceptar = wsgi.get_request

        def get_request():
            conexion, direccion = aceptar()
            self._conexiones.append(conexion)
            return conexion, direccion

        wsgi.get_request = get_request
        return self.endpoint_url

    def stop(self) -> None:
        if self._server is None:
            return
        wsgi = self._server._server
        self._server.stop()
        if wsgi is not None:
            wsgi.server_close()  # moto's stop() leaves the listening socket open
        for conexion in self._conexiones:
            with contextlib.suppress(OSError):  # already closed by the client or handler
                conexion.shutdown(socket.SHUT_RDWR)
            conexion.close()
        self._conexiones.clear()
        self._server = None


def _terminate(proceso: subprocess.Popen, espera: float = 30) -> None:
    """SIGTERM (a clean shutdown), then SIGKILL if it is still there after `espera` s."""
    proceso.terminate()
    try:
        proceso.wait(timeout=espera)
    except subprocess.TimeoutExpired:
        proceso.kill()
        proceso.wait()


class RedisServer:
    """Debian's redis-server on a free loopback port, working in a temporary directory and
    keeping nothing on disk (no snapshots, no append-only file): a cache shared by processes."""

    def __init__(self) -> None:
        # DICTAMENES_REDIS_SERVER names the program explicitly (a wrong one disables it).
        binario = os.environ.get("DICTAMENES_REDIS_SERVER") or shutil.which(
            "redis-server", path=f"{os.environ.get('PATH', '')}:/usr/bin:/usr/sbin"
        )
        if not binario or not os.access(binario, os.X_OK):
            raise BackendUnavailable(
                f"no se encontró redis-server{f' en {binario}' if binario else ''} "
                "(instale el paquete redis-server)"
            )
        self.binario = binario
        self.port = free_port()
        self.tmpdir: Path | None = None
        self._proceso: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> str:
        self.tmpdir = Path(tempfile.mkdtemp(prefix="dictamenes-redis-"))
        self._proceso = subprocess.Popen(
            [
                self.binario,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--dir",
                str(self.tmpdir),
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                str(self.tmpdir / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        limite = time.monotonic() + 10
        while time.monotonic() < limite:
            if self._proceso.poll() is not None:
                break
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=1) as conexion,
            ):
                conexion.sendall(b"PING\r\n")
                if conexion.recv(16).startswith(b"+PONG"):
                    return self.url
            time.sleep(0.05)
        registro = self.tmpdir / "redis.log"
        detalle = registro.read_text(errors="replace")[-2000:] if registro.exists() else ""
        self.stop()
        raise BackendUnavailable(f"redis-server no respondió en 127.0.0.1:{self.port}\n{detalle}")

    def stop(self) -> None:
        if self._proceso is not None:
            _terminate(self._proceso)
            self._proceso = None
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None


class GunicornServer:
    """The project under gunicorn on a free loopback port, with `env` as its whole environment
    (settings module, database, cache, storage). Its port is chosen when it is created, so
    that the environment of one server can name another's address."""

    def __init__(self, *, raiz: Path, trabajadores: int = 2) -> None:
        self.raiz = raiz
        self.trabajadores = trabajadores
        self.port = free_port()
        self.registro: Path | None = None
        self._proceso: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def spawn(self, env: dict[str, str], *, registro: Path) -> None:
        """Start gunicorn without waiting for it (servers that start together boot at once)."""
        self.registro = registro
        with registro.open("ab") as salida:
            self._proceso = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    str(self.trabajadores),
                    # As behind the state's proxy (HTTP/1.0 upstream): a free worker per request.
                    "--keep-alive",
                    "0",
                    "--log-level",
                    "warning",
                ],
                cwd=self.raiz,
                env=env,
                stdout=salida,
                stderr=salida,
            )

    def wait_until_ready(self, espera: float = 60) -> str:
        """Wait until it answers HTTP; if it does not, stop it and tell why (its log)."""
        limite = time.monotonic() + espera
        while time.monotonic() < limite and self._proceso.poll() is None:
            try:
                urllib.request.urlopen(self.url + "/", timeout=10).close()  # noqa: S310
                return self.url
            except urllib.error.HTTPError:  # it answers, even if with an error page
                return self.url
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(
            f"gunicorn no respondió en {self.url}:\n"
            f"{self.registro.read_text(errors='replace')[-3000:]}"
        )

    def stop(self) -> None:
        if self._proceso is not None:
            _terminate(self._proceso)
            self._proceso = None


def started_redis_server() -> RedisServer:
    """A Redis of its own, started; the calling test is skipped (with the reason) when
    redis-server cannot run here, and under CI=true that skip fails the run."""
    from tests.backends.saltar import skip_backend  # pytest's; bench imports this module too

    try:
        server = RedisServer()
        server.start()
    except BackendUnavailable as exc:
        skip_backend(f"Redis: {exc}")
    return server


def started_s3_server() -> S3Server:
    """A moto S3 server of its own, started; the calling test is skipped (with the reason) when
    moto cannot run here."""
    from tests.backends.saltar import skip_backend  # pytest's; bench imports this module too

    try:
        server = S3Server()
    except BackendUnavailable as exc:
        skip_backend(f"S3: {exc}")
    server.start()
    return server


@contextlib.contextmanager
def s3_storage(endpoint_url: str, bucket: str, *, monkeypatch, media_root, **environment):
    """Django's storages on `bucket` (created here) of the S3 server at `endpoint_url`, built
    from the environment as the settings build them (DJANGO_STORAGE=s3 and the rest, plus
    `environment`); yields a boto3 client of the same server."""
    import boto3
    import environ
    from django.test import override_settings

    from config.settings.storage import build_storages

    for name, value in {
        "DJANGO_STORAGE": "s3",
        "DJANGO_S3_BUCKET": bucket,
        "DJANGO_S3_ENDPOINT_URL": endpoint_url,
        "AWS_ACCESS_KEY_ID": "pruebas",
        "AWS_SECRET_ACCESS_KEY": "pruebas-secreto",
        **environment,
    }.items():
        monkeypatch.setenv(name, value)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id="pruebas",
        aws_secret_access_key="pruebas-secreto",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=bucket)
    with override_settings(STORAGES=build_storages(environ.Env(), media_root=media_root)):
        yield client
