"""The public address where anyone verifies a dictamen: printed on its PDF and in its QR code,
sent in the e-mails, published in the open data and in OCDS. A module of its own, light to
import: the e-mail service needs it in every process from the start, while the PDF machinery
(reportlab, pyHanko: 0.35 s of each process's start) loads when a PDF is made."""

from django.conf import settings


def url_verificacion(folio: str) -> str:
    return f"{settings.DICTAMENES_URL_PUBLICA.rstrip('/')}/verificar/{folio}/"
