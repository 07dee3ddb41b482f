"""The metadata of the open data: a DCAT-AP 3.0 catalogue, built as an RDF graph with rdflib
and serialised by it (JSON-LD, Turtle, RDF/XML), and the Frictionless data package.

Both are drawn from publico.conjuntos, so they describe the same files with the same schemas,
and from publico.ocds.publicacion, the OCDS packages. What CKAN's harvester (ckanext-dcat)
reads is where it reads it: the licence on every distribution, the publisher on every dataset
(tests/publico/test_catalogo.py).
"""

import datetime
import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from dictamenes.comun import cache
from dictamenes.models import Solicitud
from dictamenes.models.articulos import Nombre, con_articulo
from dictamenes.organizacion.selectors.textos import textos_vigentes, textos_vigentes_en_cache
from publico import huellas, licencia, precios
from publico.conjuntos import CONJUNTOS, RECURSOS
from publico.datos_personales import nombre_publicable
from publico.esquema import Conjunto
from publico.ocds import paquetes, publicacion

# Controlled vocabularies that DCAT-AP asks for (EU Publications Office authority tables, IANA
# media types, ADMS publisher and licence types).
_EU = "http://publications.europa.eu/resource/authority/"
IDIOMA = URIRef(_EU + "language/SPA")
TEMA = URIRef(_EU + "data-theme/GOVE")  # government and public sector
TEMAS = URIRef(_EU + "data-theme")
FRECUENCIA = URIRef(_EU + "frequency/DAILY")
FORMATOS = {"csv": URIRef(_EU + "file-type/CSV"), "json": URIRef(_EU + "file-type/JSON")}
_IANA = "https://www.iana.org/assignments/media-types/"
TIPOS_MIME = {"csv": URIRef(_IANA + "text/csv"), "json": URIRef(_IANA + "application/json")}
TIPO_DE_PUBLICADOR = URIRef("http://purl.org/adms/publishertype/RegionalAuthority")
# CC BY 4.0. Its dct:title is the one CKAN's licence register gives "cc-by", which is how the
# harvester matches a licence it does not know by URI (ckanext/dcat/profiles/base.py, _license).
LICENCIA = URIRef(licencia.URL)
LICENCIA_TITULO = licencia.TITULO
TIPO_DE_LICENCIA = URIRef("http://purl.org/adms/licencetype/Attribution")
PALABRAS = ("tecnologías de la información", "gobierno digital")
# The OCDS datasets: each month's release package, and each request's record package.
OCDS_ENTREGAS = "ocds-entregas"
OCDS_REGISTROS = "ocds-registros"
PALABRAS_OCDS = ("contrataciones abiertas", "OCDS", "planeación")

# A Frictionless package name: lowercase letters, digits, "-", "_" and "." (Data Package v1).
NOMBRE_DE_PAQUETE = re.compile(r"[a-z0-9._-]+")

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FORMATOS_RDF = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle"),
    "rdf": ("xml", "application/rdf+xml"),
}


def _palabras() -> tuple[str, ...]:
    """The keywords of every dataset, with the government that publishes it: the first line of
    the current letterhead («Gobierno del Estado de …»), data and not code."""
    return (*PALABRAS, *textos_vigentes_en_cache().membrete_lineas[:1])


def _base(base: str | None) -> str:
    """The public address (None), or the one given ("" for links within the site)."""
    return (settings.DICTAMENES_URL_PUBLICA if base is None else base).rstrip("/")


def _es(texto) -> Literal:
    return Literal(str(texto), lang="es")


def _instante(valor: datetime.datetime) -> Literal:
    return Literal(valor.astimezone(datetime.UTC).replace(microsecond=0), datatype=XSD.dateTime)


def _archivos() -> dict[tuple[str, str], datetime.datetime]:
    return (
        {
            (conjunto.nombre, formato): huellas.modificado(
                url_de(conjunto, formato, base=""),
                functools.partial(huellas.archivo, conjunto, formato),
            )
            for conjunto in CONJUNTOS
            for formato in _formatos(conjunto)
        }
        | {
            # A dataset's further files (issue 76), streamed: dated by the bytes their view serves.
            (recurso.nombre, "csv"): huellas.modificado(
                url_de(recurso, "csv", base=""), precios.EN_FLUJO[recurso.nombre]
            )
            for recurso in _recursos()
        }
        | {
            (OCDS_ENTREGAS, mes["mes"]): huellas.modificado(
                reverse("ocds_entregas", args=[mes["mes"]]),
                functools.partial(paquetes.cuerpo_del_mes, mes["mes"]),
                paquetes.publicado_el,
            )
            for mes in publicacion.meses()
        }
    )


def fechas() -> tuple[datetime.datetime, dict[tuple[str, str], datetime.datetime]]:
    """When the data was first published (the first request presented) and when each file,
    by (dataset, format), last changed: when its bytes last did (publico.huellas, the same
    date as its Last-Modified). A change that leaves a file alone leaves its date alone."""
    with cache.version_fija():
        archivos = _archivos()
    primero = (
        Solicitud.objects.exclude(presentada_en__isnull=True)
        .order_by("presentada_en")
        .values_list("presentada_en", flat=True)
        .first()
    )
    antiguo = min(archivos.values())
    return min(primero or antiguo, antiguo), archivos


# The streamed datasets have addresses of their own; the aggregated ones share one for their
# CSV, and the one also published as JSON has its own for it.
_RUTAS_PROPIAS = {
    "dictamenes": {"csv": "datos_csv", "json": "datos_json"},
    "dictamenes-partidas": {"csv": "datos_partidas_csv", "json": "datos_partidas_json"},
    "precios-referencia": {"json": "datos_precios_json"},
}


def _recursos() -> list[Conjunto]:
    return [r for recursos in RECURSOS.values() for r in recursos]


def url_de(conjunto: Conjunto, formato: str, *, base: str | None = None) -> str:
    ruta = _RUTAS_PROPIAS.get(conjunto.nombre, {})
    if formato in ruta:
        return _base(base) + reverse(ruta[formato])
    return _base(base) + reverse("datos_conjunto", args=[conjunto.nombre])


def url_esquema(conjunto: Conjunto, *, base: str | None = None) -> str:
    return _base(base) + reverse("datos_esquema", args=[conjunto.nombre])


def _formatos(conjunto: Conjunto) -> tuple[str, ...]:
    return ("csv", "json") if conjunto.json else ("csv",)


def _vocabularios(g: Graph) -> None:
    """Type the terms of the controlled vocabularies, as DCAT-AP's range shapes ask: a
    validator (or a harvester) that has not loaded those vocabularies still knows what they are."""
    for concepto in (TEMA, TIPO_DE_PUBLICADOR, TIPO_DE_LICENCIA):
        g.add((concepto, RDF.type, SKOS.Concept))
    g.add((TEMA, SKOS.inScheme, TEMAS))
    for concepto, etiqueta in (
        (TEMA, "Gobierno y sector público"),
        (TIPO_DE_PUBLICADOR, "Autoridad regional"),
        (TIPO_DE_LICENCIA, "Atribución"),
    ):
        g.add((concepto, SKOS.prefLabel, _es(etiqueta)))
    g.add((TEMAS, RDF.type, SKOS.ConceptScheme))
    g.add((TEMAS, DCTERMS.title, _es("Temas de datos (Oficina de Publicaciones de la UE)")))
    g.add((IDIOMA, RDF.type, DCTERMS.LinguisticSystem))
    g.add((FRECUENCIA, RDF.type, DCTERMS.Frequency))
    # Each media type carries its plain name as rdfs:label, with no language: CKAN's harvester
    # reads a media type IRI by its label (ckanext-dcat, profiles/base.py, _object_value),
    # finds "text/csv" in CKAN's register of formats and shows the format as "CSV" (with
    # ckanext.dcat.normalize_ckan_format, on by default); without it, both full IRIs. The
    # harvester does not read a format IRI's label (it takes the IRI unless typed dct:IMT,
    # which DCAT-AP's shapes would refuse); the label is there for other readers. The IRIs and
    # their types stay as DCAT-AP 3.0 asks.
    for extension, formato in FORMATOS.items():
        g.add((formato, RDF.type, DCTERMS.MediaTypeOrExtent))
        g.add((formato, RDFS.label, Literal(extension.upper())))
    for tipo in TIPOS_MIME.values():
        g.add((tipo, RDF.type, DCTERMS.MediaType))
        g.add((tipo, RDFS.label, Literal(str(tipo).removeprefix(_IANA))))


def _recurso(g: Graph, url: str, *tipos) -> URIRef:
    """A web address, typed as DCAT-AP asks (rdfs:Resource, and whatever else it is)."""
    recurso = URIRef(url)
    for tipo in (RDFS.Resource, *tipos):
        g.add((recurso, RDF.type, tipo))
    return recurso


def grafo(*, base: str | None = None) -> Graph:
    """The DCAT-AP 3.0 catalogue of every open dataset."""
    base = _base(base)
    pagina = base + reverse("datos_abiertos")
    emitido, archivos = fechas()
    g = Graph()
    for prefijo, ns in (("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF), ("vcard", VCARD)):
        g.bind(prefijo, ns)
    _vocabularios(g)

    catalogo = URIRef(base + reverse("datos_catalogo"))
    publicador = URIRef(catalogo + "#publicador")
    # The publisher, as the administrator names it, without personal data (issue 77).
    vigente = textos_vigentes().institucion_nombre
    nombre = Nombre(nombre_publicable(str(vigente)), vigente.articulo)
    institucion = str(nombre)
    g.add((publicador, RDF.type, FOAF.Agent))
    g.add((publicador, RDF.type, FOAF.Organization))
    g.add((publicador, FOAF.name, _es(institucion)))
    g.add((publicador, DCTERMS.type, TIPO_DE_PUBLICADOR))

    contacto = URIRef(catalogo + "#contacto")
    g.add((contacto, RDF.type, VCARD.Kind))
    g.add((contacto, RDF.type, VCARD.Organization))
    g.add((contacto, VCARD.fn, _es(institucion)))
    g.add((contacto, VCARD.hasEmail, URIRef("mailto:" + settings.DICTAMENES_CONTACTO_DATOS)))
    g.add((contacto, VCARD.hasURL, URIRef(pagina)))

    g.add((LICENCIA, RDF.type, DCTERMS.LicenseDocument))
    g.add((LICENCIA, DCTERMS.title, Literal(LICENCIA_TITULO)))
    g.add((LICENCIA, DCTERMS.type, TIPO_DE_LICENCIA))

    g.add((catalogo, RDF.type, DCAT.Catalog))
    g.add((catalogo, DCTERMS.title, _es("Datos abiertos de Dictámenes TIC")))
    g.add(
        (
            catalogo,
            DCTERMS.description,
            _es(
                f"Los dictámenes de TIC que emite {con_articulo(nombre)} y los indicadores del "
                "trámite, sin datos personales."
            ),
        )
    )
    g.add((catalogo, DCTERMS.publisher, publicador))
    g.add((catalogo, FOAF.homepage, _recurso(g, pagina, FOAF.Document)))
    g.add((catalogo, DCTERMS.language, IDIOMA))
    g.add((catalogo, DCTERMS.license, LICENCIA))
    g.add((catalogo, DCAT.themeTaxonomy, TEMAS))
    g.add((catalogo, DCTERMS.issued, _instante(emitido)))
    g.add((catalogo, DCTERMS.modified, _instante(max(archivos.values()))))

    for conjunto in CONJUNTOS:
        dataset = URIRef(f"{catalogo}#{conjunto.nombre}")
        g.add((catalogo, DCAT.dataset, dataset))
        _conjunto(g, dataset, conjunto, base=base, pagina=pagina, fechas=(emitido, archivos))
        for triple in (
            (dataset, DCTERMS.publisher, publicador),
            (dataset, DCAT.contactPoint, contacto),
        ):
            g.add(triple)
    for dataset in _ocds(g, catalogo, base=base, pagina=pagina, fechas=(emitido, archivos)):
        g.add((catalogo, DCAT.dataset, dataset))
        g.add((dataset, DCTERMS.publisher, publicador))
        g.add((dataset, DCAT.contactPoint, contacto))
    return g


def _estandar_ocds(g: Graph, url: str, titulo: str) -> URIRef:
    estandar = URIRef(url)
    g.add((estandar, RDF.type, DCTERMS.Standard))
    g.add((estandar, DCTERMS.title, _es(titulo)))
    return estandar


def _dataset_ocds(g: Graph, dataset: URIRef, *, titulo, descripcion, emitido, modificado, indice):
    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.identifier, Literal(str(dataset).rsplit("#", 1)[1])))
    g.add((dataset, DCTERMS.title, _es(titulo)))
    g.add((dataset, DCTERMS.description, _es(descripcion)))
    g.add((dataset, DCAT.theme, TEMA))
    g.add((dataset, DCTERMS.language, IDIOMA))
    g.add((dataset, DCTERMS.accrualPeriodicity, FRECUENCIA))
    g.add((dataset, DCTERMS.issued, _instante(emitido)))
    g.add((dataset, DCTERMS.modified, _instante(modificado)))
    g.add((dataset, DCAT.landingPage, indice))
    for palabra in (*PALABRAS_OCDS, *_palabras()):
        g.add((dataset, DCAT.keyword, _es(palabra)))


def _distribucion_json(g: Graph, distribucion: URIRef, *, titulo, acceso, conforme, fechas):
    g.add((distribucion, RDF.type, DCAT.Distribution))
    g.add((distribucion, DCTERMS.title, _es(titulo)))
    g.add((distribucion, DCAT.accessURL, acceso))
    g.add((distribucion, DCTERMS.format, FORMATOS["json"]))
    g.add((distribucion, DCAT.mediaType, TIPOS_MIME["json"]))
    g.add((distribucion, DCTERMS.license, LICENCIA))
    g.add((distribucion, DCTERMS.conformsTo, conforme))
    g.add((distribucion, DCTERMS.issued, _instante(fechas[0])))
    g.add((distribucion, DCTERMS.modified, _instante(fechas[1])))


def _ocds(g: Graph, catalogo: URIRef, *, base, pagina, fechas) -> list[URIRef]:
    """The two OCDS datasets: the release packages, one distribution a month, and the record
    packages, one a request, reached from the OCDS page that lists them (too many to list
    here). Both conform to the standard's package schemas; a record changes only when one of
    its releases does, so both are dated by the newest month."""
    emitido, archivos = fechas
    meses = {mes: fecha for (nombre, mes), fecha in archivos.items() if nombre == OCDS_ENTREGAS}
    if not meses:
        return []
    modificado = max(meses.values())
    indice = _recurso(g, base + reverse("ocds_indice"), FOAF.Document)
    entregas = URIRef(f"{catalogo}#{OCDS_ENTREGAS}")
    registros = URIRef(f"{catalogo}#{OCDS_REGISTROS}")
    conforme_entregas = _estandar_ocds(
        g, publicacion.CONFORME_ENTREGAS, "OCDS 1.1: paquete de entregas"
    )
    conforme_registros = _estandar_ocds(
        g, publicacion.CONFORME_REGISTROS, "OCDS 1.1: paquete de registros"
    )
    for dataset, titulo, conforme in (
        (entregas, publicacion.TITULO_DATASET_ENTREGAS, conforme_entregas),
        (registros, publicacion.TITULO_DATASET_REGISTROS, conforme_registros),
    ):
        _dataset_ocds(
            g,
            dataset,
            titulo=titulo,
            descripcion=publicacion.DESCRIPCION,
            emitido=emitido,
            modificado=modificado,
            indice=indice,
        )
        g.add((dataset, DCTERMS.conformsTo, conforme))
    for mes, fecha in sorted(meses.items()):
        distribucion = URIRef(f"{entregas}-{mes}")
        g.add((entregas, DCAT.distribution, distribucion))
        _distribucion_json(
            g,
            distribucion,
            titulo=f"{publicacion.TITULO_ENTREGAS.format(mes=mes)} (JSON)",
            acceso=indice,
            conforme=conforme_entregas,
            fechas=(emitido, fecha),
        )
        url = base + reverse("ocds_entregas", args=[mes])
        g.add((distribucion, DCAT.downloadURL, _recurso(g, url)))
    distribucion = URIRef(f"{registros}-json")
    g.add((registros, DCAT.distribution, distribucion))
    _distribucion_json(
        g,
        distribucion,
        titulo=publicacion.TITULO_REGISTROS_DISTRIBUCION,
        acceso=indice,
        conforme=conforme_registros,
        fechas=(emitido, modificado),
    )
    return [entregas, registros]


def _conjunto(g: Graph, dataset: URIRef, conjunto: Conjunto, *, base, pagina, fechas) -> None:
    emitido, archivos = fechas
    esquema = _esquema(g, conjunto, base=base)

    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.identifier, Literal(conjunto.nombre)))
    g.add((dataset, DCTERMS.title, _es(conjunto.titulo)))
    g.add((dataset, DCTERMS.description, _es(conjunto.descripcion)))
    g.add((dataset, DCAT.theme, TEMA))
    g.add((dataset, DCTERMS.language, IDIOMA))
    g.add((dataset, DCTERMS.accrualPeriodicity, FRECUENCIA))
    g.add((dataset, DCTERMS.issued, _instante(emitido)))
    recursos = RECURSOS.get(conjunto.nombre, ())
    modificado = max(
        [archivos[conjunto.nombre, formato] for formato in _formatos(conjunto)]
        + [archivos[recurso.nombre, "csv"] for recurso in recursos]
    )
    g.add((dataset, DCTERMS.modified, _instante(modificado)))
    g.add((dataset, DCAT.landingPage, URIRef(f"{pagina}#{conjunto.nombre}")))
    g.add((URIRef(f"{pagina}#{conjunto.nombre}"), RDF.type, FOAF.Document))
    g.add((dataset, DCTERMS.conformsTo, esquema))
    for palabra in (*conjunto.palabras, *_palabras()):
        g.add((dataset, DCAT.keyword, _es(palabra)))

    for formato in _formatos(conjunto):
        _distribucion(
            g,
            dataset,
            URIRef(f"{dataset}-{formato}"),
            conjunto,
            formato,
            base=base,
            pagina=pagina,
            esquema=esquema,
            fechas=(emitido, archivos[conjunto.nombre, formato]),
        )
    # Its further files (issue 76): each a distribution of this dataset, with its own schema.
    for recurso in recursos:
        _distribucion(
            g,
            dataset,
            URIRef(f"{_catalogo_de(dataset)}#{recurso.nombre}-csv"),
            recurso,
            "csv",
            base=base,
            pagina=pagina,
            esquema=_esquema(g, recurso, base=base),
            fechas=(emitido, archivos[recurso.nombre, "csv"]),
        )


def _catalogo_de(dataset: URIRef) -> str:
    return str(dataset).rsplit("#", 1)[0]


def _esquema(g: Graph, conjunto: Conjunto, *, base) -> URIRef:
    esquema = URIRef(url_esquema(conjunto, base=base))
    g.add((esquema, RDF.type, DCTERMS.Standard))
    g.add((esquema, DCTERMS.title, _es(f"Table Schema de {conjunto.nombre}")))
    g.add((esquema, RDFS.seeAlso, URIRef("https://specs.frictionlessdata.io/table-schema/")))
    return esquema


def _distribucion(g, dataset, distribucion, conjunto, formato, *, base, pagina, esquema, fechas):
    """One file of a dataset: its address, format, licence, schema and dates."""
    g.add((dataset, DCAT.distribution, distribucion))
    g.add((distribucion, RDF.type, DCAT.Distribution))
    g.add((distribucion, DCTERMS.title, _es(f"{conjunto.titulo} ({formato.upper()})")))
    g.add((distribucion, DCAT.accessURL, _recurso(g, pagina)))
    g.add((distribucion, DCAT.downloadURL, _recurso(g, url_de(conjunto, formato, base=base))))
    g.add((distribucion, DCTERMS.format, FORMATOS[formato]))
    g.add((distribucion, DCAT.mediaType, TIPOS_MIME[formato]))
    g.add((distribucion, DCTERMS.license, LICENCIA))
    g.add((distribucion, DCTERMS.conformsTo, esquema))
    g.add((distribucion, DCTERMS.issued, _instante(fechas[0])))
    g.add((distribucion, DCTERMS.modified, _instante(fechas[1])))


def _lo_que_no_es_dato(base: str | None) -> tuple:
    """What the catalogue's and the package's bytes take from outside the database: the
    address, the site's prefix, the contact, the package's name and the language. Part of
    their cache key, so an installation (or a test) that changes a setting gets them anew."""
    return (
        _base(base),
        get_script_prefix(),
        settings.DICTAMENES_CONTACTO_DATOS,
        settings.DICTAMENES_DATOS_ABIERTOS_NOMBRE,
        get_language(),
    )


def serializar(formato: str, *, base: str | None = None) -> tuple[bytes, str]:
    """The catalogue in one of FORMATOS_RDF: its bytes and its content type.

    Built at most once per data version and day (``cache.memorizar``, as each file's
    fingerprint in publico.huellas): everything it says is the data's (any change writes an
    audit event and moves the version; the institution's texts too) or the date's. Building
    and serialising the graph took about a second a request, for the same bytes."""
    nombre, tipo = FORMATOS_RDF[formato]
    with cache.version_fija():  # the key's version is the one the graph is dated with
        contenido = cache.memorizar(
            "catalogo-dcat",
            formato,
            *_lo_que_no_es_dato(base),
            calcular=lambda: _serializado(nombre, base),
        )
    return contenido, tipo


def _serializado(nombre: str, base: str | None) -> bytes:
    contexto = {"dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD)}
    opciones = {"context": contexto, "auto_compact": True} if nombre == "json-ld" else {}
    return grafo(base=base).serialize(format=nombre, encoding="utf-8", **opciones)


def paquete(*, base: str | None = None) -> dict:
    """The Frictionless data package: every CSV with its Table Schema, inline, and every
    month's OCDS release package. Created when the newest of them last changed. Built at
    most once per data version and day, as the catalogue (`serializar`); the cache hands
    back a copy."""
    with cache.version_fija():
        return cache.memorizar(
            "catalogo-paquete", *_lo_que_no_es_dato(base), calcular=lambda: _paquete(base)
        )


def _paquete(base: str | None) -> dict:
    _, archivos = fechas()
    modificado = max(fecha for (nombre, formato), fecha in archivos.items() if formato != "json")
    return {
        # The OCDS packages are JSON, not tables: the package is a "data-package" whose CSVs
        # are each a "tabular-data-resource".
        "profile": "data-package",
        "name": settings.DICTAMENES_DATOS_ABIERTOS_NOMBRE,
        "title": "Datos abiertos de Dictámenes TIC",
        "homepage": _base(base) + reverse("datos_abiertos"),
        "created": _instante(modificado).toPython().isoformat(),
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": str(LICENCIA),
                "title": "Creative Commons Attribution 4.0",
            }
        ],
        "resources": [
            {
                "name": conjunto.nombre,
                "title": str(conjunto.titulo),
                "description": str(conjunto.descripcion),
                "path": url_de(conjunto, "csv", base=base),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n"},
                "schema": conjunto.esquema(),
            }
            for conjunto in _tablas()
        ]
        + publicacion.recursos(),
    }


def _tablas() -> list[Conjunto]:
    """Every table of the data package: each dataset's CSV, followed by its further files."""
    return [t for c in CONJUNTOS for t in (c, *RECURSOS.get(c.nombre, ()))]


def comprobar_nombre(app_configs=None, **kwargs):
    """`manage.py check`: the data package's name is one Frictionless accepts."""
    from django.core.checks import Error

    nombre = settings.DICTAMENES_DATOS_ABIERTOS_NOMBRE
    if NOMBRE_DE_PAQUETE.fullmatch(nombre):
        return []
    return [
        Error(
            f"El nombre del paquete de datos abiertos «{nombre}» no es un nombre de Frictionless: "
            "solo minúsculas sin acentos, dígitos, «-», «_» y «.».",
            hint="Corríjalo en DJANGO_DATOS_ABIERTOS_NOMBRE, p. ej. dictamenes-tic-anahuac.",
            id="publico.E162",
        )
    ]
