"""The OCDS schemas here are the standard's, unchanged: each file's SHA-256 is the one recorded
in publico/ocds/esquemas/SHA256SUMS, and every file there is recorded."""

import hashlib

from publico.ocds import estandar


def test_cada_esquema_traido_tiene_la_huella_registrada():
    registradas = {}
    for linea in (estandar.ESQUEMAS / "SHA256SUMS").read_text().splitlines():
        huella, ruta = linea.split("  ", 1)
        registradas[ruta.removeprefix("./")] = huella
    presentes = {
        ruta.relative_to(estandar.ESQUEMAS).as_posix(): hashlib.sha256(
            ruta.read_bytes()
        ).hexdigest()
        for ruta in estandar.ESQUEMAS.rglob("*")
        if ruta.is_file() and ruta.name not in ("SHA256SUMS", "README.md")
    }
    assert presentes == registradas
    assert {"estandar/LICENSE", "estandar/release-schema.json"} <= set(presentes)
