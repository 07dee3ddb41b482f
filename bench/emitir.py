"""Issuance at scale: N dictámenes through the firmante's own service (render, seal, sign with
PAdES B-LTA, store, close the task), each followed by pyHanko signing the very same PDF bare
with the same B-LTA (a signer built once, none of our checks), which is the floor: the two
interleaved, their ratio per round. Prints JSON."""

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

from demo import confianza_local, efirma_pruebas  # noqa: E402
from demo import solicitudes as solicitudes_demo  # noqa: E402
from dictamenes.emision.documentos import efirma, sello_tiempo  # noqa: E402
from dictamenes.emision.services import emision  # noqa: E402
from dictamenes.models import Solicitud  # noqa: E402


def _pico_mb() -> float:
    """Peak resident memory of this process since the last reset (VmHWM), in MB."""
    for linea in Path("/proc/self/status").read_text().splitlines():
        if linea.startswith("VmHWM:"):
            return int(linea.split()[1]) / 1024
    return float("nan")


def _reiniciar_pico() -> None:
    Path("/proc/self/clear_refs").write_text("5")


def emitir(n: int, rondas: int = 3) -> dict:
    """N dictámenes through the service, each followed by pyHanko signing the same PDF bare:
    the two sides interleaved, so both see the same noise; the ratio of their medians per
    round, over `rondas` rounds."""
    firmante = get_user_model().objects.get(username="firmante")
    credencial = efirma_pruebas.demo_credencial(settings.DICTAMENES_EFIRMA_DEMO_DIR, "firmante")
    pendientes = list(
        Solicitud.objects.filter(estado=Solicitud.Estado.FIRMA).order_by("presentada_en")[:n]
    )
    # The generated history (its world, demo/historico) works its queue down: the few it leaves
    # waiting for the signature are topped up through the doors, before any clock starts.
    preparadas = n - len(pendientes)
    pendientes += [
        solicitudes_demo.en_firma(f"Sistema de citas en línea, emisión medida {i + 1}")
        for i in range(preparadas)
    ]
    sin_firmar = {}
    firmar_original = efirma.firmar_pdf

    def firmar_y_guardar(*, pdf, **kwargs):
        sin_firmar["pdf"] = pdf  # the very PDF the service signs, for the floor
        return firmar_original(pdf=pdf, **kwargs)

    efirma.firmar_pdf = firmar_y_guardar
    _reiniciar_pico()
    base = _pico_mb()
    tiempos, solos = [], []
    firmar_solo = None
    inicio = time.perf_counter()
    for solicitud in pendientes:
        t = time.perf_counter()
        emision.dictamen_emitir(solicitud=solicitud, usuario=firmante, credencial=credencial)
        tiempos.append((time.perf_counter() - t) * 1000)
        firmar_solo = firmar_solo or firmador_solo(sin_firmar["pdf"], credencial)
        t = time.perf_counter()
        firmar_solo()
        solos.append((time.perf_counter() - t) * 1000)
    total = time.perf_counter() - inicio
    pico = _pico_mb()
    efirma.firmar_pdf = firmar_original
    tamano = max(1, len(tiempos) // rondas)
    razones = [
        statistics.median(tiempos[i : i + tamano]) / statistics.median(solos[i : i + tamano])
        for i in range(0, tamano * rondas, tamano)
        if tiempos[i : i + tamano]
    ]
    return {
        "emitidos": len(tiempos),
        "preparadas": preparadas,
        "total_s": round(total, 2),
        "mediana_ms": round(statistics.median(tiempos), 1) if tiempos else None,
        "p95_ms": round(sorted(tiempos)[int(0.95 * (len(tiempos) - 1))], 1) if tiempos else None,
        "pico_mb": round(pico, 1),
        "pico_sobre_base_mb": round(pico - base, 1),
        "pyhanko": {"firmas": len(solos), "mediana_ms": round(statistics.median(solos), 1)}
        if solos
        else None,
        "razon": {
            "mediana": round(statistics.median(razones), 2),
            "min": round(min(razones), 2),
            "max": round(max(razones), 2),
            "rondas": len(razones),
        }
        if razones
        else None,
    }


def firmador_solo(pdf: bytes, credencial):
    """pyHanko signing the same PDF with the same key, nothing else: the floor. The same
    PAdES B-LTA as the service (timestamp from the same TSA, revocation data, document
    timestamp), with pyHanko's stock signer and a fresh validation context per signature.
    Returns what signs it once."""
    from asn1crypto import keys as asn1_keys
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    llave = asn1_keys.PrivateKeyInfo.load(
        credencial.llave.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    firmante = signers.SimpleSigner(
        signing_cert=efirma._asn1(credencial.certificado), signing_key=llave, cert_registry=None
    )
    sellador = sello_tiempo.sellador()

    def firmar() -> None:
        metadatos = signers.PdfSignatureMetadata(
            field_name="Firma",
            name=credencial.nombre,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            embed_validation_info=True,
            use_pades_lta=True,
            validation_context=efirma.contexto_validacion(consultar=True),
        )
        signers.sign_pdf(
            IncrementalPdfFileWriter(io.BytesIO(pdf)),
            metadatos,
            signer=firmante,
            timestamper=sellador,
        )

    return firmar


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    # Every signature is timestamped and carries its revocation data (PAdES B-LTA): the test
    # CA's TSA and CRL answer on loopback, as in the demo.
    with confianza_local.en_marcha(
        settings.DICTAMENES_EFIRMA_DEMO_DIR, settings.DICTAMENES_CONFIANZA_LOCAL
    ):
        resultado = emitir(n)
    json.dump(resultado, sys.stdout, ensure_ascii=False)
