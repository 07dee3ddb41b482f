"""The files of deploy/ as this machine runs them: each shipped file names the paths of a
Debian server (/srv/dictamenes, /etc/dictamenes, /var/lib/dictamenes, /run/dictamenes.sock)
and the site's name, ports and certificate; the tests put their own in those places, the way
an installation with other paths would edit them, and change nothing else."""

from __future__ import annotations

import contextlib
import re
import shlex
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
DEPLOY = RAIZ / "deploy"
SITIO = DEPLOY / "nginx" / "dictamenes.conf"
UNIDADES = DEPLOY / "systemd"
ENTORNO = DEPLOY / "dictamenes.env.ejemplo"

# What an installation changes, as the shipped files spell it (deploy/nginx/dictamenes.conf
# lists them in its header).
NOMBRE = "dictamenes.example.gob.mx"
CERTIFICADO = "/etc/ssl/dictamenes/certificado.pem"
LLAVE = "/etc/ssl/dictamenes/llave.pem"
ESTATICOS = "/var/lib/dictamenes/static/"
SOCKET = "/run/dictamenes.sock"
BITACORA = "/var/log/nginx/dictamenes.access.log"
CODIGO = "/srv/dictamenes"
ARCHIVO_ENTORNO = "/etc/dictamenes/dictamenes.env"
RESPALDOS = "/var/backups/dictamenes"
DATOS = "/var/lib/dictamenes"


def nginx() -> str | None:
    """Debian's nginx (in /usr/sbin, not on a user's PATH)."""
    return shutil.which("nginx", path="/usr/sbin:/usr/bin:/sbin:/bin")


def ipv6_local() -> bool:
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET6) as s:
        s.bind(("::1", 0))
        return True
    return False


def sustituir(texto: str, cambios: dict[str, str]) -> str:
    """Each shipped value by the test's; a value the file no longer has fails here (the file
    and this list must change together)."""
    for viejo, nuevo in cambios.items():
        assert viejo in texto, f"el archivo ya no dice «{viejo}»"
        texto = texto.replace(viejo, nuevo)
    return texto


@dataclass
class Sitio:
    """The site of deploy/nginx, on loopback, with a main configuration of the test's own
    (Debian's /etc/nginx/nginx.conf includes sites-enabled/ inside its `http` block the same
    way)."""

    carpeta: Path
    https: int
    http: int
    certificado: Path
    llave: Path
    estaticos: Path
    socket: Path

    def escribir(self) -> Path:
        sitio = SITIO.read_text(encoding="utf-8")
        v6 = ipv6_local()
        sitio = sustituir(
            sitio,
            {
                f"server_name {NOMBRE};": "server_name 127.0.0.1;",
                CERTIFICADO: str(self.certificado),
                LLAVE: str(self.llave),
                "listen 443 ssl http2;": f"listen 127.0.0.1:{self.https} ssl http2;",
                "listen [::]:443 ssl http2;": (
                    f"listen [::1]:{self.https} ssl http2;" if v6 else "# (sin IPv6)"
                ),
                "listen 80;": f"listen 127.0.0.1:{self.http};",
                "listen [::]:80;": f"listen [::1]:{self.http};" if v6 else "# (sin IPv6)",
                ESTATICOS: f"{self.estaticos}/",
                SOCKET: str(self.socket),
                BITACORA: str(self.carpeta / "dictamenes.access.log"),
            },
        )
        (self.carpeta / "dictamenes.conf").write_text(sitio, encoding="utf-8")
        for temporal in ("cuerpos", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.carpeta / temporal).mkdir(exist_ok=True)
        # As root, nginx's workers would run as nobody, who cannot enter the test's folders.
        usuario = "user root;\n" if _root() else ""
        principal = self.carpeta / "nginx.conf"
        principal.write_text(
            f"{usuario}daemon off;\nworker_processes 1;\npid {self.carpeta}/nginx.pid;\n"
            f"error_log {self.carpeta}/error.log warn;\nevents {{ worker_connections 256; }}\n"
            "http {\n"
            "    include /etc/nginx/mime.types;\n"
            "    default_type application/octet-stream;\n"
            f"    access_log {self.carpeta}/access.log;\n"
            f"    client_body_temp_path {self.carpeta}/cuerpos;\n"
            f"    proxy_temp_path {self.carpeta}/proxy;\n"
            f"    fastcgi_temp_path {self.carpeta}/fastcgi;\n"
            f"    uwsgi_temp_path {self.carpeta}/uwsgi;\n"
            f"    scgi_temp_path {self.carpeta}/scgi;\n"
            f"    include {self.carpeta}/dictamenes.conf;\n"
            "}\n",
            encoding="utf-8",
        )
        return principal

    def orden(self, *extra: str) -> list[str]:
        return [
            nginx(),
            "-p",
            str(self.carpeta),
            "-e",
            str(self.carpeta / "error.log"),
            "-c",
            str(self.carpeta / "nginx.conf"),
            *extra,
        ]


def _root() -> bool:
    import os

    return os.geteuid() == 0


def unidades(destino: Path, *, entorno: Path, socket_: Path, respaldos: Path) -> list[Path]:
    """Every unit of deploy/systemd, its paths replaced by this checkout's (its .venv) and the
    test's; returns the written files."""
    escritas = []
    for unidad in sorted(UNIDADES.iterdir()):
        texto = unidad.read_text(encoding="utf-8")
        cambios = {
            CODIGO: str(RAIZ),
            ARCHIVO_ENTORNO: str(entorno),
            SOCKET: str(socket_),
            RESPALDOS: str(respaldos),
        }
        texto = sustituir(texto, {k: v for k, v in cambios.items() if k in texto})
        (destino / unidad.name).write_text(texto, encoding="utf-8")
        escritas.append(destino / unidad.name)
    return escritas


def clave_valor(unidad: Path, clave: str) -> list[str]:
    """Every value of `clave=` in a unit file."""
    return [
        linea.split("=", 1)[1].strip()
        for linea in unidad.read_text(encoding="utf-8").splitlines()
        if linea.startswith(f"{clave}=")
    ]


def exec_start(unidad: Path) -> list[str]:
    """ExecStart of a unit, split as systemd splits it (shell-like quoting, no shell)."""
    (linea,) = clave_valor(unidad, "ExecStart")
    return shlex.split(linea)


_VARIABLE = re.compile(r"^(#?)([A-Z][A-Z0-9_]*)=(.*)$")


def variables(texto: str) -> dict[str, tuple[str, bool]]:
    """{name: (value, set)} of an EnvironmentFile: `set` is False for a commented example.
    Double quotes around a value are taken off, as systemd and the shell both do."""
    salida = {}
    for linea in texto.splitlines():
        encontrada = _VARIABLE.match(linea.strip())
        if not encontrada:
            continue
        comentada, nombre, valor = encontrada.groups()
        if len(valor) >= 2 and valor[0] == valor[-1] == '"':
            valor = valor[1:-1]
        salida[nombre] = (valor, not comentada)
    return salida
