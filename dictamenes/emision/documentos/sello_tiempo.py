"""Trusted time for the signed dictamen: the RFC 3161 timestamping authority (TSA) that
stamps every signature and the archival document timestamps (PAdES B-T and B-LTA; reading
them back is in `largo_plazo`).

The TSA is DJANGO_TSA_URL (with optional DJANGO_TSA_USUARIO / DJANGO_TSA_CONTRASENA, sent as
HTTP Basic). Without one, nothing is signed: a dictamen without trusted time cannot prove,
once the signer's certificate expires, that it was signed while the certificate was valid.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

ERROR_SIN_TSA = _(
    "No hay una autoridad de sello de tiempo configurada (DJANGO_TSA_URL): sin ella el "
    "dictamen no podría probar, cuando venza el certificado, que se firmó a tiempo. No se "
    "firmó nada. Avise al administrador del sistema."
)
ERROR_TSA_NO_RESPONDE = _(
    "El servicio de sello de tiempo o el de estado de los certificados no respondió: no se "
    "firmó ni se emitió nada, no se ocupó ningún folio y todo quedó como estaba. Intente "
    "firmar de nuevo en unos minutos."
)
ERROR_TSA_SIN_CONFIANZA = _(
    "El certificado del servicio de sello de tiempo no lleva a ninguna autoridad de confianza "
    "configurada: no se firmó ni se cambió nada. Avise al administrador del sistema: la AC de "
    "la TSA debe estar en DJANGO_TSA_RAICES."
)
ERROR_TSA_RENOVAR = _(
    "El servicio de sello de tiempo no respondió: el PDF del dictamen quedó como estaba, con "
    "su sello de archivo anterior. Se intentará en la siguiente corrida."
)


def comprobar_tsa(app_configs=None, **kwargs):
    """`manage.py check --deploy`: without a TSA no dictamen can be signed."""
    from django.core.checks import Warning

    if settings.DICTAMENES_TSA["URL"]:
        return []
    return [
        Warning(
            "No hay autoridad de sello de tiempo (DJANGO_TSA_URL): ningún dictamen se podrá "
            "firmar hasta configurarla.",
            hint="Defina DJANGO_TSA_URL (y DJANGO_TSA_USUARIO / DJANGO_TSA_CONTRASENA si la TSA "
            "las pide) con la dirección RFC 3161 de su autoridad de sello de tiempo.",
            id="dictamenes.W151",
        )
    ]


def _huella(ruta) -> str:
    """What identifies a configured certificate: its bytes, or its path if it cannot be read
    (another check says that)."""
    try:
        return hashlib.sha256(Path(ruta).read_bytes()).hexdigest()
    except OSError:
        return str(Path(ruta).resolve())


def comprobar_raices(app_configs=None, **kwargs):
    """`manage.py check`: a TSA's CA listed among the e.firma roots would let that CA issue
    certificates that sign dictámenes (efirma.ancla_de_efirma); it belongs in TSA roots only."""
    from django.core.checks import Error

    de_tsa = {_huella(r) for r in settings.DICTAMENES_TSA_RAICES}
    return [
        Error(
            f"DJANGO_EFIRMA_RAICES y DJANGO_TSA_RAICES nombran el mismo certificado ({ruta}): "
            "la AC de la TSA podría emitir certificados que firmen dictámenes.",
            hint="Deje la AC de la autoridad de sello de tiempo solo en DJANGO_TSA_RAICES.",
            id="dictamenes.E154",
        )
        for ruta in settings.DICTAMENES_EFIRMA_RAICES
        if _huella(ruta) in de_tsa
    ]


@functools.cache
def _clase_sellador():
    """asn1crypto 1.5.1 takes any value whose header ends in the byte 0x80 for one of
    indefinite length (BER) and encodes it again from scratch, with everything inside it, each
    time it is dumped (wbond/asn1crypto#249): a timestamp token whose DER length is 0x..80
    (2,688 bytes with the test TSA of the history kept on 2026-11-29) was encoded again a
    dozen times per signature, about 40 ms of CPU of each PAdES B-LTA signature and 65 ms of
    pyHanko's stock signer. This token class dumps the bytes it was loaded from while nothing
    in it changed; a token of indefinite length (its EOC trailer) or changed goes the
    library's way. Returns pyHanko's HTTP client of a TSA whose tokens come back so: the DER
    that the library's first dump gives, the very bytes pyHanko embedded before, loaded once,
    so that every further dump reads them back."""
    from asn1crypto import cms
    from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

    class TokenDer(cms.ContentInfo):
        def dump(self, force=False):
            if force or self._header is None or self._trailer or self._is_mutated():
                return super().dump(force=force)
            return self._header + self._contents

    class Sellador(RequestsHTTPTimeStamper):
        async def async_timestamp(self, message_digest, md_algorithm):
            token = await super().async_timestamp(message_digest, md_algorithm)
            return TokenDer.load(token.dump())

    return Sellador


def sellador():
    """pyHanko's HTTP client of the configured TSA (`_clase_sellador`; the stock signer of
    bench/emitir.py uses this same client)."""
    config = settings.DICTAMENES_TSA
    if not config["URL"]:
        raise ValidationError(ERROR_SIN_TSA, code="sin_tsa")
    encabezados = {}
    if config["USUARIO"]:
        credencial = f"{config['USUARIO']}:{config['CONTRASENA']}".encode()
        encabezados["Authorization"] = "Basic " + base64.b64encode(credencial).decode("ascii")
    return _clase_sellador()(config["URL"], timeout=config["TIEMPO_ESPERA"], headers=encabezados)


@contextlib.contextmanager
def servicios_de_confianza(mensaje=ERROR_TSA_NO_RESPONDE):
    """A TSA, OCSP responder or CRL server that fails while signing becomes the Spanish message to
    retry; whatever was being signed is dropped with the caller's transaction."""
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps import TimestampRequestError
    from pyhanko_certvalidator import errors as cv_errors

    de_servicio = (
        TimestampRequestError,
        cv_errors.InsufficientRevinfoError,
        cv_errors.OCSPFetchError,
        cv_errors.CRLFetchError,
    )
    try:
        yield
    except cv_errors.PathBuildingError as exc:
        # Not worth retrying: the TSA's certificate chains to no configured root (its CA
        # missing from DJANGO_TSA_RAICES), which only the administrator can fix.
        logger.error("La TSA no lleva a una raíz configurada: %s", exc)
        raise ValidationError(ERROR_TSA_SIN_CONFIANZA, code="tsa_sin_confianza") from exc
    except de_servicio as exc:
        logger.warning("Un servicio de confianza falló al firmar: %s", exc)
        raise ValidationError(mensaje, code="tsa_no_responde") from exc
    except SigningError as exc:
        # pyHanko wraps what failed underneath; only a service that failed is worth retrying
        # (a signature larger than its reserved room, say, would fail the same way again).
        if isinstance(exc.__cause__, cv_errors.PathBuildingError):
            logger.error("La TSA no lleva a una raíz configurada: %s", exc)
            raise ValidationError(ERROR_TSA_SIN_CONFIANZA, code="tsa_sin_confianza") from exc
        if not isinstance(exc.__cause__, de_servicio):
            raise
        logger.warning("Un servicio de confianza falló al firmar: %s", exc)
        raise ValidationError(mensaje, code="tsa_no_responde") from exc
