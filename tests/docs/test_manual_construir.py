"""manage.py manual_construir (issue 78): the manual is built in the folder that /manual/
serves, settings.DICTAMENES_MANUAL_DIR (DJANGO_VAR_DIR/manual), and a failed build leaves the
manual that was there. MkDocs itself is stood in for here (a real build takes 8 to 15 s):
tests/despliegue/test_nginx_gunicorn.py runs the real one, as the operator's pages say, and
reads its pages through nginx."""

import io
import subprocess

import pytest
from django.core.management import CommandError, call_command

from config.management.commands import manual_construir


def _mkdocs(contenido: str, *, codigo: int = 0, llamadas: list | None = None):
    """A stand-in for `mkdocs build -d <destino>`: writes an index.html there."""

    def construir(destino):
        if llamadas is not None:
            llamadas.append(destino)
        destino.mkdir(parents=True)
        (destino / "index.html").write_text(contenido, encoding="utf-8")
        return subprocess.CompletedProcess([], codigo)

    return construir


@pytest.fixture
def servido(tmp_path, settings):
    """A manual already served, as after the previous version's install."""
    carpeta = tmp_path / "var" / "manual"
    carpeta.mkdir(parents=True)
    (carpeta / "index.html").write_text("el manual de antes", encoding="utf-8")
    settings.DICTAMENES_MANUAL_DIR = carpeta
    return carpeta


@pytest.mark.django_db
def test_construye_el_manual_en_la_carpeta_que_sirve_manual(servido, monkeypatch, client):
    llamadas = []
    nuevo = _mkdocs("el manual nuevo", llamadas=llamadas)
    monkeypatch.setattr(manual_construir, "construir", nuevo)
    salida = io.StringIO()
    call_command("manual_construir", stdout=salida)

    assert b"".join(client.get("/manual/").streaming_content) == b"el manual nuevo"
    # Built beside it, then put in its place: nothing else is left in the data folder.
    assert sorted(p.name for p in servido.parent.iterdir()) == ["manual"]
    assert llamadas == [servido.with_name("manual.nuevo")]
    assert salida.getvalue() == (
        f"Manual construido en {servido}: el sistema lo sirve en /manual/.\n"
    )


@pytest.mark.django_db
def test_si_la_construccion_falla_sigue_el_manual_de_antes(servido, monkeypatch, client):
    monkeypatch.setattr(manual_construir, "construir", _mkdocs("a medias", codigo=1))
    with pytest.raises(CommandError) as error:
        call_command("manual_construir")

    assert str(error.value) == manual_construir.NO_SE_CONSTRUYO.format(destino=servido)
    assert b"".join(client.get("/manual/").streaming_content) == b"el manual de antes"
    assert sorted(p.name for p in servido.parent.iterdir()) == ["manual"]
