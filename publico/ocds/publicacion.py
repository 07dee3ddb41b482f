"""What the site says about its OCDS publication: the months with releases (for the index
page, the DCAT catalogue and the data package), the records, and the standard's addresses
a catalogue points to (dct:conformsTo)."""

from collections import Counter, defaultdict

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone

from publico.ocds import entregas, estandar, paquetes

DESCRIPCION = (
    "Cada solicitud de dictamen presentada, como la etapa de planeación de un proceso de "
    "contratación en el Estándar de Datos para las Contrataciones Abiertas (OCDS 1.1): su "
    "presupuesto por capítulo y partida, su justificación, el dictamen firmado, la decisión "
    "sobre cada partida y el contrato registrado. Sin datos personales."
)
TITULO_ENTREGAS = "Paquete de entregas OCDS de {mes}"
TITULO_DATASET_ENTREGAS = "Contrataciones abiertas (OCDS): entregas de cada mes"
TITULO_DATASET_REGISTROS = "Contrataciones abiertas (OCDS): registro de cada solicitud"
TITULO_REGISTROS_DISTRIBUCION = "Paquetes de registro OCDS, uno por solicitud (JSON)"
TITULO_REGISTRO = "Paquete de registro OCDS de {ocid}"
# What each package conforms to: the standard's documentation of its schema (1.1).
_DOCUMENTACION = "https://standard.open-contracting.org/1.1/en/schema/"
CONFORME_ENTREGAS = _DOCUMENTACION + "release_package/"
CONFORME_REGISTROS = _DOCUMENTACION + "record_package/"
TIPO_DE_MEDIOS = "application/json"


def _por_mes(consulta, campo: str) -> Counter:
    zona = timezone.get_current_timezone()
    filas = (
        consulta.annotate(inicio=TruncMonth(campo, tzinfo=zona))
        .values("inicio")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return Counter({f"{fila['inicio']:%Y-%m}": fila["n"] for fila in filas})


def _cuentas() -> Counter:
    """Releases per month: the audit events, and the two facts of each request without
    history (presented; attended, when it was closed). Three queries."""
    sin_historia = entregas.sin_historia()
    return (
        _por_mes(entregas.eventos(), "ocurrido_en")
        + _por_mes(sin_historia, "presentada_en")
        + _por_mes(
            sin_historia.filter(estado__in=entregas.CERRADAS, atendida_en__isnull=False),
            "atendida_en",
        )
    )


def meses() -> list[dict]:
    """Each month with releases, oldest first: {"mes": "AAAA-MM", "url", "entregas": how
    many releases, "titulo"}."""
    return [
        {
            "mes": mes,
            "url": paquetes.url_del_mes(mes),
            "entregas": n,
            "titulo": TITULO_ENTREGAS.format(mes=mes),
        }
        for mes, n in sorted(_cuentas().items())
    ]


def registros_por_mes() -> dict[str, list[dict]]:
    """The record of every presented request, by the month it was presented in: {"AAAA-MM":
    [{"ocid", "folio", "url"}]}, in the order of presentation. Two queries."""
    presentadas = [
        *entregas.eventos()
        .filter(tipo="presentacion")
        .values_list("solicitud__folio", "ocurrido_en"),
        *entregas.sin_historia().values_list("folio", "presentada_en"),
    ]
    por_mes = defaultdict(list)
    for folio, momento in sorted(presentadas, key=lambda fila: (fila[1], fila[0])):
        ocid = entregas.ocid_de(folio)
        mes = f"{timezone.localtime(momento):%Y-%m}"
        por_mes[mes].append({"ocid": ocid, "folio": folio, "url": paquetes.url_del_registro(ocid)})
    return dict(por_mes)


def extensiones() -> list[str]:
    """The extensions every package lists (their extension.json)."""
    return estandar.urls_de_extensiones()


def recursos() -> list[dict]:
    """The same packages as Frictionless data package resources. They are JSON, not tables:
    a package that lists them is a "data-package", no longer a "tabular-data-package"."""
    return [
        {
            "name": f"ocds-entregas-{mes['mes']}",
            "title": mes["titulo"],
            "path": mes["url"],
            "format": "json",
            "mediatype": TIPO_DE_MEDIOS,
            "profile": "data-resource",
            "description": f"Paquete de entregas de OCDS 1.1 ({CONFORME_ENTREGAS}).",
        }
        for mes in meses()
    ]
