"""The pyHanko recipe (issue 33, item 2), run exactly as the integrator's guide prints it
(docs/integracion/verificar.md): the program is read from its code block and run with the
command its first line shows, by the project's Python in isolation, so the guide and this test
cannot drift.

It must exit 0 only for a clean pass, and with anything else (a byte changed after signing,
a timestamp authority nobody trusts) exit non-zero and say why."""

import datetime
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from demo import confianza_local
from dictamenes.emision.services import emision, integridad
from tests.dictamenes import largo_plazo_utils as lp
from tests.dictamenes.flujo_utils import en_firma, firmar, usuario

pytestmark = pytest.mark.django_db

GUIA = Path(settings.BASE_DIR) / "docs" / "integracion" / "verificar.md"
DIA = datetime.timedelta(days=1)
DIEZ_ANIOS = datetime.timedelta(days=365 * 10 + 3)  # with the leap days between
ERROR_ASN1CRYPTO = "tag should have been 3, but 12 was found"
# The files the guide's command names, and what they are in the demo.
ARCHIVOS = {"ca.cer": confianza_local.CA_CER, "ca-tsa.cer": confianza_local.CA_TSA_CER}


def receta() -> str:
    texto = GUIA.read_text(encoding="utf-8")
    bloque = texto.split("<!-- receta-pyhanko -->", 1)[1].split("<!-- /receta-pyhanko -->", 1)[0]
    return re.search(r"```python\n(.*?)```", bloque, re.S).group(1)


def comando() -> list[str]:
    """The command of the recipe's first line: `# python verificar.py dictamen.pdf ca.cer …`."""
    primera = receta().splitlines()[0]
    assert primera.startswith("# python ")
    return shlex.split(primera.removeprefix("# "))


def correr(carpeta: Path, *, programa: str | None = None, argumentos=None):
    """The guide's command in `carpeta`, with the project's interpreter isolated (-I: no
    PYTHONPATH, no current folder on the path) and without Django's settings: pyHanko as
    anyone who installed it has it."""
    python, script, *por_omision = comando()
    assert (python, script) == ("python", "verificar.py")
    (carpeta / script).write_text(programa or receta(), encoding="utf-8")
    entorno = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTHON"))}
    return subprocess.run(
        [sys.executable, "-I", script, *(por_omision if argumentos is None else argumentos)],
        cwd=carpeta,
        env=entorno,
        capture_output=True,
        text=True,
        timeout=120,
    )


def correr_aqui(carpeta: Path, monkeypatch, capsys, argumentos=None) -> tuple[int, str]:
    """The guide's program in this process (where time_machine moves the clock, as it cannot
    a child's), in `carpeta`, with the command's arguments: its exit code and what it printed."""
    _, script, *por_omision = comando()
    monkeypatch.chdir(carpeta)
    monkeypatch.setattr(sys, "argv", [script, *(por_omision if argumentos is None else argumentos)])
    capsys.readouterr()
    with pytest.raises(SystemExit) as salida:
        exec(compile(receta(), script, "exec"), {"__name__": "__main__"})  # noqa: S102
    return salida.value.code, capsys.readouterr().out


def carpeta_con(tmp_path: Path, pdf: bytes) -> Path:
    """The PDF and the certificates under the names the guide's command gives them."""
    (tmp_path / "dictamen.pdf").write_bytes(pdf)
    for nombre, demo in ARCHIVOS.items():
        shutil.copy(Path(settings.DICTAMENES_EFIRMA_DEMO_DIR) / demo, tmp_path / nombre)
    return tmp_path


@pytest.fixture
def pdf(demo) -> bytes:
    return integridad.dictamen_pdf_leer(dictamen=firmar(en_firma(areas=("computo",))))


def test_el_comando_de_la_guia_nombra_el_pdf_y_las_dos_autoridades():
    assert comando() == ["python", "verificar.py", "dictamen.pdf", "ca.cer", "ca-tsa.cer"]
    texto = GUIA.read_text(encoding="utf-8")
    # The guide says where the demo's two certificates are.
    assert "`var/efirma/ca-demo.cer`" in texto and "`var/efirma/ca-tsa-demo.cer`" in texto


def test_un_dictamen_recien_emitido_da_0(pdf, tmp_path):
    resultado = correr(carpeta_con(tmp_path, pdf))
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    for linea in [
        "The signer's certificate is trusted.",
        "The signature is cryptographically sound.",
        'Trust anchor: "Common Name: AC de pruebas de Dictámenes TIC',
        "This timestamp is backed by a time stamping authority.",
        "The signature is judged VALID.",
        "Resultado AdES: AdESPassed.OK",
        "Cambios después de firmar: ModificationLevel.LTA_UPDATES",
        "Resultado: VÁLIDO",
    ]:
        assert linea in resultado.stdout, linea
    assert "NO VÁLIDO" not in resultado.stdout


def test_un_byte_cambiado_en_la_ultima_revision_da_distinto_de_0(pdf, tmp_path):
    """What the outside probe did: `/Lang` of the catalog in the last revision, written after
    the document timestamp and covered by no signature, changed by one byte. pyHanko's AdES
    indication still passes (the signed bytes are intact); its difference analysis does not."""
    posicion = pdf.rindex(rb"/Lang (es\055MX)") + len(rb"/Lang (es\055M")
    ultima_revision = pdf.rindex(b"%%EOF", 0, len(pdf) - 8)
    assert posicion > ultima_revision  # in the last revision, after every signature
    alterado = bytearray(pdf)
    alterado[posicion : posicion + 1] = b"Y"

    resultado = correr(carpeta_con(tmp_path, bytes(alterado)))

    assert resultado.returncode == 1
    assert "SuspiciousModification: Values for dict key /Lang differ" in resultado.stderr
    assert "Resultado AdES: AdESPassed.OK" in resultado.stdout  # not enough on its own
    assert "The signature is judged INVALID." in resultado.stdout
    assert (
        "NO VÁLIDO: el PDF cambió después de firmarse (ModificationLevel.OTHER)" in resultado.stdout
    )
    assert resultado.stdout.rstrip().endswith("Resultado: NO VÁLIDO")


def test_sin_la_autoridad_de_la_tsa_da_distinto_de_0(pdf, tmp_path):
    """The TSA has its own CA: trusting only the e.firma's, the timestamps prove nothing."""
    resultado = correr(carpeta_con(tmp_path, pdf), argumentos=["dictamen.pdf", "ca.cer"])
    assert resultado.returncode == 1
    assert "Resultado AdES: AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND" in resultado.stdout
    assert (
        "NO VÁLIDO: la validación a largo plazo no pasó "
        "(AdESIndeterminate.NO_CERTIFICATE_CHAIN_FOUND)" in resultado.stdout
    )


def test_sin_el_arreglo_de_asn1crypto_falla(pdf, tmp_path):
    programa = receta()
    arreglo = [linea for linea in programa.splitlines() if "_oid_specs" in linea]
    assert arreglo == [
        'asn1crypto.x509.NameTypeAndValue._oid_specs["unique_identifier"] = '
        "asn1crypto.x509.DirectoryString"
    ]
    resultado = correr(carpeta_con(tmp_path, pdf), programa=programa.replace(arreglo[0], ""))
    assert resultado.returncode != 0
    assert ERROR_ASN1CRYPTO in resultado.stderr
    assert "django" not in resultado.stderr.lower()


def test_con_el_certificado_del_firmante_vencido_da_0(demo, tmp_path):
    """Signed 350 days ago with an e.firma that expired 300 days ago: the recipe judges it at
    the time its timestamps prove, with the revocation data the PDF carries."""
    hoy = lp.ahora()
    vencida = lp.efirma_del_firmante(desde=hoy - 400 * DIA, hasta=hoy - 300 * DIA)
    with time_machine.travel(hoy - 350 * DIA, tick=True):
        dictamen = emision.dictamen_emitir(
            solicitud=en_firma(), usuario=usuario("firmante"), credencial=lp.abrir(vencida)
        )
    resultado = correr(carpeta_con(tmp_path, integridad.dictamen_pdf_leer(dictamen=dictamen)))
    assert resultado.returncode == 0, resultado.stdout + resultado.stderr
    assert "Resultado: VÁLIDO" in resultado.stdout


def test_con_la_politica_por_omision_y_sin_red_da_0_al_mes_y_a_los_diez_anios(
    pdf, tmp_path, confianza_local, monkeypatch, capsys
):
    """Issue 49, item 6. The recipe is pyHanko's default policy (revocation data required for
    every certificate, the TSA's too) and reads nothing but the PDF; the demo's CRL and TSA
    server is stopped as well. A month on, the lists embedded when signing are past their
    next update; ten years on, the signer's certificate and its CA have expired too. The last
    document timestamp is judged at that moment, with the list of its TSA's CA that the PDF
    carries (valid until that CA ends); the signature, in the past, with the lists the document
    timestamp covers."""
    carpeta = carpeta_con(tmp_path, pdf)
    hoy = lp.ahora()
    ca_efirma = lp.ca_de_prueba()[0]
    confianza_local.detener()
    try:
        for cuando in (hoy + 31 * DIA, hoy + DIEZ_ANIOS):
            with time_machine.travel(cuando, tick=True):
                codigo, salida = correr_aqui(carpeta, monkeypatch, capsys)
            assert codigo == 0, (cuando, salida)
            assert "Resultado AdES: AdESPassed.OK" in salida
            assert salida.rstrip().endswith("Resultado: VÁLIDO")
    finally:
        confianza_local.iniciar()
    assert ca_efirma.not_valid_after_utc < hoy + DIEZ_ANIOS
