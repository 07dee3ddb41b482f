"""Where this server may ask about a certificate: revocation data (OCSP, CRL) and issuers'
certificates (AIA caIssuers) come only from configured services.

A certificate names the addresses to ask (its AIA and CRL distribution points), and the
signer's certificate is the signer's to choose: asked blindly, those addresses would make the
server connect wherever the signer says (a loopback port, the cloud's metadata service, a
host of the state's network). Only addresses under a prefix of DJANGO_EFIRMA_SERVICIOS (SAT's
OCSP responder, a CA's CRL) or on the configured TSA's origin are asked; anything else is
refused before any connection, and kept so that the signer is told which address it was.

pyHanko's own requests fetchers do the work (OCSP request, CRL and certificate parsing, the
fetch budget); only their HTTP call is replaced, to check the address first and never follow
a redirect elsewhere.
"""

from __future__ import annotations

import asyncio
import logging
from urllib.parse import unquote, urlsplit

import requests
from django.conf import settings
from django.core import checks
from pyhanko_certvalidator.fetchers.api import Fetchers
from pyhanko_certvalidator.fetchers.common_utils import FetchBudget
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend
from pyhanko_certvalidator.fetchers.requests_fetchers.cert_fetch_client import (
    RequestsCertificateFetcher,
)
from pyhanko_certvalidator.fetchers.requests_fetchers.crl_client import RequestsCRLFetcher
from pyhanko_certvalidator.fetchers.requests_fetchers.ocsp_client import RequestsOCSPFetcher

logger = logging.getLogger(__name__)

_PUERTOS = {"http": 80, "https": 443}


class DireccionNoPermitida(requests.RequestException):
    """An address no configured service is at: not asked. A RequestException, so that pyHanko
    takes it as a fetch that failed (OCSPFetchError, CRLFetchError, CertificateFetchError)."""


def _partes(url: str) -> tuple[str, str, int, str] | None:
    """(scheme, host, port, path) of an http(s) URL, or None for anything that could lead
    somewhere else than it seems: credentials before the host (http://allowed@other/), dot
    segments (/crl/../admin, also percent-encoded), backslashes, a bad port."""
    try:
        partes = urlsplit(url)
        puerto = partes.port
    except ValueError:
        return None
    ruta = unquote(partes.path)
    if (
        partes.scheme not in _PUERTOS
        or not partes.hostname
        or "@" in partes.netloc
        or "\\" in url
        or any(segmento in (".", "..") for segmento in ruta.split("/"))
    ):
        return None
    anfitrion = partes.hostname.lower().rstrip(".")
    return partes.scheme, anfitrion, puerto or _PUERTOS[partes.scheme], partes.path


def permitida(url: str, prefijos) -> bool:
    """Whether `url` is under one of `prefijos`: same scheme, host and port, and a path equal
    to the prefix's or below it (https://ocsp.sat.gob.mx/edofiel allows .../edofiel/x, not
    .../edofielx)."""
    partes = _partes(url)
    if partes is None:
        return False
    for prefijo in prefijos:
        base = _partes(prefijo)
        if base is None or partes[:3] != base[:3]:
            continue
        raiz = base[3].rstrip("/")
        if not raiz or partes[3] == raiz or partes[3].startswith(raiz + "/"):
            return True
    return False


def _origen(url: str) -> str:
    partes = urlsplit(url or "")
    return f"{partes.scheme}://{partes.netloc}/" if partes.scheme and partes.netloc else ""


def prefijos_configurados() -> tuple[str, ...]:
    """DJANGO_EFIRMA_SERVICIOS, and the configured TSA's origin: the operator chose that host,
    and a timestamping provider publishes its own certificates' revocation data (the demo's
    does, on the same server)."""
    tsa = _origen(settings.DICTAMENES_TSA["URL"])
    return (*settings.DICTAMENES_EFIRMA_SERVICIOS, *([tsa] if tsa else []))


class _Vigilado:
    """pyHanko's requests fetchers, asking only configured services (see the module)."""

    def __init__(self, servicios: ServiciosConfigurados, *args, **kwargs):
        self._servicios = servicios
        super().__init__(*args, **kwargs)

    def _get(self, url, *, acceptable_content_types):
        return self._pedir("GET", url, acceptable_content_types)

    def _post(self, url, data, *, content_type, acceptable_content_types):
        return self._pedir("POST", url, acceptable_content_types, data, content_type)

    def _pedir(self, metodo, url, aceptables, datos=None, tipo=None):
        # Raised here, before any connection; pyHanko's fetchers call this inside their try.
        self._servicios.exigir(url)
        encabezados = {"Accept": ",".join(aceptables), "User-Agent": self.user_agent}
        if tipo:
            encabezados["Content-Type"] = tipo

        def pedir():
            respuesta = requests.request(
                metodo,
                url,
                data=datos,
                headers=encabezados,
                timeout=self.per_request_timeout,
                # A configured service answers itself; a redirect could lead anywhere.
                allow_redirects=False,
            )
            if respuesta.status_code != 200:
                raise requests.RequestException(f"status code {respuesta.status_code}")
            return respuesta

        return asyncio.to_thread(pedir)


class _OCSP(_Vigilado, RequestsOCSPFetcher):
    pass


class _CRL(_Vigilado, RequestsCRLFetcher):
    pass


class _Certificados(_Vigilado, RequestsCertificateFetcher):
    pass


class ServiciosConfigurados(RequestsFetcherBackend):
    """pyHanko's requests fetcher backend, asking only addresses under `prefijos`. Keeps the
    addresses it refused (`rechazadas`), in the order the certificates named them."""

    def __init__(self, *, prefijos, per_request_timeout: float):
        super().__init__(per_request_timeout)
        self.prefijos = tuple(prefijos)
        self.rechazadas: list[str] = []

    def exigir(self, url: str) -> None:
        if permitida(url, self.prefijos):
            return
        if url not in self.rechazadas:
            self.rechazadas.append(url)
        logger.warning(
            "No se consultó %s: no está en DJANGO_EFIRMA_SERVICIOS ni es la TSA configurada.", url
        )
        raise DireccionNoPermitida(f"{url} no es un servicio configurado")

    def get_fetchers(self) -> Fetchers:
        tiempo, presupuesto = self.per_request_timeout, FetchBudget(self.limits)
        return Fetchers(
            ocsp_fetcher=_OCSP(self, per_request_timeout=tiempo, budget=presupuesto),
            crl_fetcher=_CRL(self, per_request_timeout=tiempo, budget=presupuesto),
            cert_fetcher=_Certificados(self, per_request_timeout=tiempo, budget=presupuesto),
        )


def servicios_configurados() -> ServiciosConfigurados:
    return ServiciosConfigurados(
        prefijos=prefijos_configurados(),
        per_request_timeout=settings.DICTAMENES_TSA["TIEMPO_ESPERA"],
    )


def comprobar_servicios(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """`manage.py check`: every entry of DJANGO_EFIRMA_SERVICIOS is an http(s) address; and,
    with --deploy, a warning when there is none (no certificate's status could be asked)."""
    return [
        checks.Error(
            f"DJANGO_EFIRMA_SERVICIOS: «{prefijo}» no es una dirección http:// o https:// "
            "con su servidor.",
            hint="Separe con comas los prefijos de las direcciones de los servicios OCSP, "
            "CRL y de certificados de las autoridades certificadoras de confianza.",
            id="dictamenes.E152",
        )
        for prefijo in settings.DICTAMENES_EFIRMA_SERVICIOS
        if _partes(prefijo) is None
    ]


def comprobar_servicios_despliegue(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    if settings.DICTAMENES_EFIRMA_SERVICIOS:
        return []
    return [
        checks.Warning(
            "No hay servicios de estado de certificados (DJANGO_EFIRMA_SERVICIOS): no se "
            "consultará ningún OCSP ni CRL de la e.firma, y un certificado que los nombre no "
            "podrá firmar.",
            hint="Defina DJANGO_EFIRMA_SERVICIOS con los prefijos de las direcciones del SAT "
            "(su OCSP y sus CRL, tal como los nombran sus certificados), separados por comas.",
            id="dictamenes.W153",
        )
    ]
