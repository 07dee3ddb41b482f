"""The test identity provider (tests/proveedor_oidc, django-oauth-toolkit in OIDC mode) under
gunicorn on a free loopback port, in a temporary directory of its own.

    from tests.backends.proveedor_oidc import proveedor_iniciado

    proveedor = proveedor_iniciado(
        oidc_redirect_uris=[f"{live_server.url}/cuentas/oidc/estado/login/callback/"],
        oidc_post_logout_redirect_uris=[f"{live_server.url}/"],
        llave_redirect_uris=[f"{live_server.url}/cuentas/llave/login/callback/"],
    )
    ...
    proveedor.stop()

`ProveedorOIDC(...).start()` raises BackendUnavailable when it cannot run here;
`proveedor_iniciado` turns that into skip_backend (a failure under CI=true).
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

from tests.backends.servers import BackendUnavailable, free_port

RAIZ = Path(__file__).resolve().parents[2]
AJUSTES = "tests.proveedor_oidc.ajustes"


class ProveedorOIDC:
    """Start with start(), stop with stop() (or use it as a context manager)."""

    def __init__(
        self,
        *,
        oidc_redirect_uris: Sequence[str] = (),
        oidc_post_logout_redirect_uris: Sequence[str] = (),
        llave_redirect_uris: Sequence[str] = (),
        oidc_client_id: str = "dictamenes-oidc",
        llave_client_id: str = "dictamenes-llave",
        vida_token: int = 3600,
        vida_id_token: int = 3600,
    ) -> None:
        self.oidc_redirect_uris = list(oidc_redirect_uris)
        self.oidc_post_logout_redirect_uris = list(oidc_post_logout_redirect_uris)
        self.llave_redirect_uris = list(llave_redirect_uris)
        self.oidc_client_id = oidc_client_id
        self.oidc_client_secret = secrets.token_urlsafe(32)
        self.llave_client_id = llave_client_id
        self.llave_client_secret = secrets.token_urlsafe(32)
        self.vida_token, self.vida_id_token = vida_token, vida_id_token
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.issuer = f"{self.base}/o"
        self.discovery_url = f"{self.issuer}/.well-known/openid-configuration"
        self.login_url = f"{self.base}/entrar/"
        self.llave_autorizar_url = f"{self.base}/llave/oauth.xhtml"
        self.llave_token_url = f"{self.base}/llave/rest/oauth/obtenerToken"
        self.llave_datos_url = f"{self.base}/llave/rest/oauth/datosUsuario"
        self.llave_cerrar_sesion_url = f"{self.base}/llave/cerrarSesion"
        self.caducar_url = f"{self.base}/pruebas/caducar"  # POST: every token expires
        self.sesion_url = f"{self.base}/pruebas/sesion"  # GET: {"autenticado", "usuario"}
        # POST {"modo": "otra_clave"|"alterada"|""}: the ID tokens from now on are forged
        self.firma_url = f"{self.base}/pruebas/firma"
        self.tmpdir: Path | None = None
        self._proceso: subprocess.Popen | None = None

    @property
    def registro(self) -> str:
        """The server's log so far (for assertion messages)."""
        archivo = self.tmpdir / "servidor.log" if self.tmpdir else None
        return archivo.read_text(errors="replace") if archivo and archivo.exists() else ""

    def _env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": os.environ.get("HOME", str(self.tmpdir)),
            "LANG": "C.UTF-8",
            "PYTHONPATH": str(RAIZ),
            "DJANGO_SETTINGS_MODULE": AJUSTES,
            "PROVEEDOR_OIDC_DIR": str(self.tmpdir),
            "PROVEEDOR_OIDC_EMISOR": self.issuer,
            "PROVEEDOR_OIDC_CLAVE": str(self.tmpdir / "clave.pem"),
            "PROVEEDOR_OIDC_SECRET_KEY": secrets.token_urlsafe(50),
            "PROVEEDOR_OIDC_VIDA_TOKEN": str(self.vida_token),
            "PROVEEDOR_OIDC_VIDA_ID_TOKEN": str(self.vida_id_token),
            "PROVEEDOR_OIDC_CLIENTE_OIDC": self.oidc_client_id,
            "PROVEEDOR_OIDC_SECRETO_OIDC": self.oidc_client_secret,
            "PROVEEDOR_OIDC_CLIENTE_LLAVE": self.llave_client_id,
            "PROVEEDOR_OIDC_SECRETO_LLAVE": self.llave_client_secret,
        }

    def start(self) -> ProveedorOIDC:
        for modulo, paquete in (
            ("oauth2_provider", "django-oauth-toolkit"),
            ("gunicorn", "gunicorn"),
        ):
            if find_spec(modulo) is None:
                raise BackendUnavailable(f"falta el paquete {paquete}")
        self.tmpdir = Path(tempfile.mkdtemp(prefix="dictamenes-idp-"))
        try:
            self._escribir_clave()
            self._sembrar()
            self._arrancar()
        except BaseException:
            self.stop()
            raise
        return self

    def _escribir_clave(self) -> None:
        """A fresh RSA key per server: the id_tokens of one run verify only against it."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        clave = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        pem = clave.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        archivo = self.tmpdir / "clave.pem"
        archivo.write_bytes(pem)
        archivo.chmod(0o600)

    def _sembrar(self) -> None:
        """Migrate and create the people and both clients (`sembrar`)."""
        argumentos = [sys.executable, "-m", "django", "sembrar"]
        for opcion, uris in (
            ("--oidc-redirect", self.oidc_redirect_uris),
            ("--oidc-logout-redirect", self.oidc_post_logout_redirect_uris),
            ("--llave-redirect", self.llave_redirect_uris),
        ):
            for uri in uris:
                argumentos += [opcion, uri]
        hecho = subprocess.run(
            argumentos, cwd=RAIZ, env=self._env(), capture_output=True, text=True, timeout=120
        )
        if hecho.returncode != 0:
            raise RuntimeError(f"sembrar falló en el proveedor OIDC:\n{hecho.stderr[-3000:]}")

    def _arrancar(self, espera: float = 60) -> None:
        with (self.tmpdir / "servidor.log").open("ab") as salida:
            self._proceso = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "tests.proveedor_oidc.wsgi:application",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--workers",
                    "1",
                    "--threads",
                    "4",
                    "--no-control-socket",  # gunicorn 27 shares ~/.gunicorn/gunicorn.ctl otherwise
                    "--log-level",
                    "warning",
                ],
                cwd=RAIZ,
                env=self._env(),
                stdout=salida,
                stderr=salida,
                start_new_session=True,  # its own process group, stopped as one
            )
        limite = time.monotonic() + espera
        while time.monotonic() < limite and self._proceso.poll() is None:
            try:
                with urllib.request.urlopen(self.discovery_url, timeout=5) as respuesta:  # noqa: S310
                    if json.load(respuesta).get("issuer") == self.issuer:
                        return
            except (OSError, ValueError):
                time.sleep(0.1)
        raise RuntimeError(
            f"el proveedor OIDC no respondió en {self.base}:\n{self.registro[-3000:]}"
        )

    def registrar_redirecciones(
        self,
        *,
        oidc_redirect_uris: Sequence[str] = (),
        oidc_post_logout_redirect_uris: Sequence[str] = (),
        llave_redirect_uris: Sequence[str] = (),
    ) -> None:
        """Add redirect URIs to the running provider's clients (POST /pruebas/redirecciones)."""
        for cliente, cuerpo in (
            (
                "oidc",
                {
                    "redirect_uris": oidc_redirect_uris,
                    "post_logout_redirect_uris": oidc_post_logout_redirect_uris,
                },
            ),
            ("llave", {"redirect_uris": llave_redirect_uris}),
        ):
            if not any(cuerpo.values()):
                continue
            peticion = urllib.request.Request(  # noqa: S310
                f"{self.base}/pruebas/redirecciones",
                data=json.dumps({"cliente": cliente, **cuerpo}).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            urllib.request.urlopen(peticion, timeout=10).close()  # noqa: S310
        self.oidc_redirect_uris += oidc_redirect_uris
        self.oidc_post_logout_redirect_uris += oidc_post_logout_redirect_uris
        self.llave_redirect_uris += llave_redirect_uris

    def stop(self) -> None:
        if self._proceso is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proceso.pid, signal.SIGTERM)
            try:
                self._proceso.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._proceso.pid, signal.SIGKILL)
                self._proceso.wait()
            self._proceso = None
        if self.tmpdir is not None:
            shutil.rmtree(self.tmpdir, ignore_errors=True)
            self.tmpdir = None

    def __enter__(self) -> ProveedorOIDC:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def proveedor_iniciado(**opciones) -> ProveedorOIDC:
    """A provider of its own, started; the calling test or fixture is skipped (with the reason)
    when it cannot run here, and under CI=true that skip fails the run."""
    from tests.backends.plugin import skip_backend  # the plugin imports servers.py

    try:
        return ProveedorOIDC(**opciones).start()
    except BackendUnavailable as exc:
        skip_backend(f"proveedor OIDC: {exc}")
