"""The public register as open data: the same rows as the page, as CSV and JSON, streamed.
No personal data: no names of agency staff or officials, only what the dictamen decided."""

import csv
import json

from django.conf import settings
from django.utils import timezone

from dictamenes import selectors
from dictamenes.emision import url_verificacion
from dictamenes.models import Resultado, TipoOperacion

# name, type, description: the data dictionary, published with the data.
DICCIONARIO = [
    ("folio", "texto", "Folio único del dictamen (SGD/DGPDGT/DT/<año>/<número>)."),
    ("fecha_emision", "fecha", "Fecha de emisión, AAAA-MM-DD, hora de Hermosillo."),
    ("ejercicio", "entero", "Ejercicio fiscal de la solicitud."),
    ("ente_siglas", "texto", "Siglas de la dependencia o entidad solicitante."),
    ("ente", "texto", "Nombre de la dependencia o entidad solicitante."),
    ("asunto", "texto", "Asunto de la solicitud."),
    (
        "tipo_operacion",
        "texto",
        "Adquisición, arrendamiento, renovación, servicio, desarrollo, baja.",
    ),
    ("categorias", "texto", "Categorías de los estándares de las partidas, separadas por «; »."),
    ("monto_estimado_mxn", "decimal", "Monto total estimado de la solicitud, en pesos."),
    ("resultado", "texto", "Favorable, favorable condicionado o no favorable."),
    ("estado", "texto", "Vigente, vencido o cancelado, a la fecha de la descarga."),
    ("vigente_hasta", "fecha", "Último día de vigencia del dictamen."),
    ("sha256_pdf", "texto", "Huella SHA-256 del PDF firmado, para comprobar una copia."),
    ("url_verificacion", "url", "Página pública de verificación del dictamen."),
]
CAMPOS = [nombre for nombre, _, _ in DICCIONARIO]
_TIPOS = dict(TipoOperacion.choices)
_RESULTADOS = dict(Resultado.choices)


def sin_formulas(valor):
    """Neutralise spreadsheet formula injection in exported text."""
    if isinstance(valor, str) and valor[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + valor
    return valor


def fila(dictamen) -> dict:
    solicitud = dictamen.solicitud
    categorias = sorted({p.perfil.categoria.nombre for p in solicitud.partidas.all()})
    return {
        "folio": dictamen.folio,
        "fecha_emision": timezone.localdate(dictamen.emitido_en).isoformat(),
        "ejercicio": solicitud.ejercicio,
        "ente_siglas": solicitud.ente.siglas,
        "ente": solicitud.ente.nombre,
        "asunto": solicitud.titulo,
        "tipo_operacion": str(_TIPOS.get(solicitud.tipo_operacion, "")),
        "categorias": "; ".join(categorias),
        "monto_estimado_mxn": str(solicitud.monto_estimado),
        "resultado": str(_RESULTADOS.get(dictamen.resultado, "")),
        "estado": str(dictamen.estado_display),
        "vigente_hasta": dictamen.vigencia_hasta.isoformat(),
        "sha256_pdf": dictamen.pdf_sha256,
        "url_verificacion": url_verificacion(dictamen.folio),
    }


def _filas():
    yield from (fila(d) for d in selectors.dictamenes_publicos().iterator(chunk_size=500))


class _Eco:
    def write(self, valor):
        return valor


def csv_lineas():
    escritor = csv.writer(_Eco())
    yield "\ufeff" + escritor.writerow(CAMPOS)
    for datos in _filas():
        yield escritor.writerow([sin_formulas(datos[c]) for c in CAMPOS])


def json_trozos():
    yield '{"dictamenes": ['
    for i, datos in enumerate(_filas()):
        yield ("," if i else "") + json.dumps(datos, ensure_ascii=False)
    yield "]}"


def catalogo_dcat(*, base: str | None = None) -> dict:
    """DCAT (JSON-LD) metadata, so the state's CKAN portal can harvest the dataset."""
    base = (base or settings.DICTAMENES_URL_PUBLICA).rstrip("/")
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
        },
        "@type": "dcat:Catalog",
        "dct:title": "Datos abiertos de Dictámenes TIC",
        "dct:publisher": {
            "@type": "foaf:Organization",
            "foaf:name": settings.DICTAMENES_MEMBRETE[2],
        },
        "dcat:dataset": [
            {
                "@type": "dcat:Dataset",
                "dct:identifier": "dictamenes-tic",
                "dct:title": "Dictámenes Técnicos y Estratégicos de TIC emitidos",
                "dct:description": "Registro público de los dictámenes de TIC emitidos por la "
                "Subsecretaría de Gobierno Digital: folio, ente, tipo de operación, categorías, "
                "monto, resultado y estado. No contiene datos personales.",
                "dct:language": "es",
                "dct:license": "https://creativecommons.org/licenses/by/4.0/deed.es",
                "dcat:keyword": [
                    "tecnologías de la información",
                    "dictámenes",
                    "compras públicas",
                    "gobierno digital",
                    "Sonora",
                ],
                "dct:accrualPeriodicity": "http://purl.org/cld/freq/daily",
                "dcat:landingPage": f"{base}/registro/",
                "dct:conformsTo": f"{base}/datos-abiertos/",
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dct:title": "CSV",
                        "dcat:downloadURL": f"{base}/datos-abiertos/dictamenes.csv",
                        "dcat:mediaType": "text/csv",
                    },
                    {
                        "@type": "dcat:Distribution",
                        "dct:title": "JSON",
                        "dcat:downloadURL": f"{base}/datos-abiertos/dictamenes.json",
                        "dcat:mediaType": "application/json",
                    },
                ],
            }
        ],
    }
