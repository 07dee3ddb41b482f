"""Issue 77, items 1-2 and 6: a person's RFC or CURP, typed as people type them (letters for
the digits of its date, its parts apart, a line break between them, small or full-width
letters), is refused at every door of every published text: the pages, the API, the admin and
the console («Entes», the institution's texts). What the demonstration publishes in its month
carries no personal datum; an agency's acronym and the institution's name stored before the
rule are published masked; a company's RFC is not a person's, and a quote's supplier keeps it.

The keys are generated with their check characters (tests.datos_personales_mx: SAT's and
RENAPO's algorithms written here, not the product's nor python-stdnum's)."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as ejemplos
from hypothesis import strategies as st
from rest_framework.test import APIClient

from dictamenes.models import (
    CambioPendiente,
    Contrato,
    Cotizacion,
    Ente,
    EnteNombre,
    EntregaOCDS,
    Partida,
    Solicitud,
    TextosInstitucionales,
)
from dictamenes.organizacion.selectors.textos import textos_vigentes
from dictamenes.organizacion.services import textos as textos_servicio
from dictamenes.organizacion.services.entes import ERROR_ANTERIOR_CON_DATOS_PERSONALES
from dictamenes.seguimiento.services import contratos
from estandares.datos_personales import ERROR_DATOS_PERSONALES, hallazgos
from estandares.models import Perfil as PerfilTecnico
from estandares.selectors import publicacion_vigente
from publico.apps import _enmascarar_entregas
from publico.ocds import guardadas
from tests import perfiles
from tests.conftest import entrar
from tests.datos_personales_mx import curp, escrita, rfc_fisica, rfc_moral
from tests.dictamenes.flujo_utils import PDF_MINIMO, borrador, presentada, usuario

pytestmark = pytest.mark.django_db

INICIO_DEL_MENSAJE = str(ERROR_DATOS_PERSONALES).split("%(datos)s")[0]
EMPRESA = "Redes del Pacífico, S.A. de C.V."
# Its RFC, in its own field (issue 88): a company's, published as the party's identifier.
EMPRESA_RFC = rfc_moral("RPA", datetime.date(1985, 1, 1), "B3")


@pytest.fixture
def ids(demo):
    """A draft of the requester's agency with one item (tests.dictamenes.flujo_utils)."""
    solicitud = borrador()
    return {"borrador": solicitud.pk, "partida": solicitud.partidas.get().pk}


def _clave(**opciones):
    """A person's RFC or CURP as typed, the whole key, and how the message names it."""
    return st.one_of(
        escrita(rfc_fisica(), **opciones).map(lambda e: (*e, "el RFC «")),
        escrita(curp(), **opciones).map(lambda e: (*e, "la CURP «")),
    )


def _ejemplos(prueba):
    return ejemplos(
        max_examples=perfiles.ejemplos(10),
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )(prueba)


def _foto() -> dict:
    """What a door would write, counted from the rows."""
    return {
        modelo.__name__: modelo.objects.count()
        for modelo in (
            Solicitud,
            Partida,
            Cotizacion,
            Contrato,
            Ente,
            CambioPendiente,
            TextosInstitucionales,
        )
    }


def _solicitud(**cambios) -> dict:
    return {
        "tipo_operacion": "adquisicion",
        "titulo": "Renovación de equipo",
        "justificacion": "Equipos con más de diez años de uso.",
        "alineacion": "Eje 3: gobierno digital eficiente.",
        "monto_estimado": "20000.00",
        "ejercicio": timezone.localdate().year,
    } | cambios


def _partida(perfil, descripcion: str) -> dict:
    return {
        "perfil": perfil.pk,
        "descripcion": descripcion,
        "cantidad": 2,
        "precio_unitario": "10000.00",
        "capitulo": "5000",
        "partida_especifica": "51501",
        "guardar": "1",
        "esp-nucleos_cpu": "8",
        "esp-ram": "16",
        "esp-almacenamiento": "512",
        "esp-tipo_almacenamiento": "SSD",
        "esp-garantia_sitio": "3",
    }


def _cotizacion(proveedor: str) -> dict:
    hoy = timezone.localdate()
    return {
        "cot-proveedor": proveedor,
        "cot-precio_unitario": "10000",
        "cot-fecha": (hoy - datetime.timedelta(days=2)).isoformat(),
        "cot-vigencia": (hoy + datetime.timedelta(days=20)).isoformat(),
        "cot-archivo": SimpleUploadedFile("cotizacion.pdf", PDF_MINIMO, "application/pdf"),
    }


def _textos(**cambios) -> dict:
    """The institution's texts as they are, for its page, with `cambios`."""
    vigentes = textos_vigentes()
    campos = ("fundamentos", "membrete", "unidad_resuelve", "unidad_firma", "lugar")
    return {
        **{c: getattr(vigentes, c) for c in campos},
        **{c: getattr(vigentes, c) for c in ("folio_solicitud", "folio_dictamen")},
        **{c: getattr(vigentes, c) for c in textos_servicio.ARTICULOS},
        "accion": "textos",
        "institucion": vigentes.institucion,
        "condicion_dias_habiles": vigentes.condicion_dias_habiles,
        "casillas_enviadas": "quitar_imagen",
        "motivo": "Cambio de nombre",
    } | cambios


def _rechazada_en_cada_puerta(puertas: dict, dato, varias=None) -> None:
    """Each door (its name -> a function that sends a text and gives back the answer and the
    status it must have) sent the key as typed, inside a text of its own: refused with the
    message that names it, and nothing written. `varias`: the key with line breaks, for the
    doors of several lines (VARIAS_LINEAS)."""
    for puerta, enviar in puertas.items():
        texto, _entera, nombre = varias if varias and puerta in VARIAS_LINEAS else dato
        antes = _foto()
        respuesta, status = enviar(texto)
        assert respuesta.status_code == status, (puerta, texto)
        if respuesta["Content-Type"].startswith("application/json"):
            mensajes = [m for lista in respuesta.json().values() for m in lista]
        else:
            mensajes = [respuesta.content.decode()]
        assert any(escape(INICIO_DEL_MENSAJE + nombre) in m for m in mensajes), (puerta, texto)
        assert _foto() == antes, (puerta, texto)


VARIAS_LINEAS = {"justificacion", "api-justificacion"}


def test_en_cada_pagina_del_requirente(ids):
    """The request's title (one line) and justification (several), an item's description and
    a quote's supplier, each on its page."""
    cliente = Client()
    entrar(cliente, "requirente.sh")
    borrador, partida = ids["borrador"], ids["partida"]
    perfil = PerfilTecnico.objects.get(
        categoria__publicacion=publicacion_vigente(fecha=timezone.localdate()),
        categoria__clave="computadora-escritorio",
        clave="intermedio",
    )
    nueva = reverse("solicitudes:nueva")
    en_partida = reverse("solicitudes:partida_nueva", args=[borrador])
    cotizar = reverse("solicitudes:partida_cotizacion_agregar", args=[borrador, partida])
    puertas = {
        "titulo": lambda t: (cliente.post(nueva, _solicitud(titulo=f"Equipo de {t}")), 400),
        "justificacion": lambda t: (
            cliente.post(nueva, _solicitud(justificacion=f"Lo usará\n{t}\n.")),
            400,
        ),
        "descripcion": lambda t: (
            cliente.post(en_partida, _partida(perfil, f"Laptop para {t}")),
            400,
        ),
        "cotizacion": lambda t: (cliente.post(cotizar, _cotizacion(f"Comercial {t}")), 400),
    }

    @_ejemplos
    @given(dato=_clave(una_linea=True), varias=_clave())
    def caso(dato, varias):
        _rechazada_en_cada_puerta(puertas, dato, varias)

    caso()


def test_en_la_api(demo):
    """The API's draft: its title (one line) and its justification (several)."""
    api = APIClient()
    api.force_authenticate(usuario("requirente.sh"))

    def borrador_con(**campos):
        return api.post("/api/v1/solicitudes/", _solicitud(**campos), format="json"), 400

    puertas = {
        "api-titulo": lambda t: borrador_con(titulo=f"Para {t}"),
        "api-justificacion": lambda t: borrador_con(justificacion=f"Para\n{t}"),
    }

    @_ejemplos
    @given(dato=_clave(una_linea=True), varias=_clave())
    def caso(dato, varias):
        _rechazada_en_cada_puerta(puertas, dato, varias)

    caso()


def test_en_el_admin_y_en_la_consola(demo, django_user_model):
    """An agency's name and acronym as the admin adds it (the acronym at most 20 characters),
    its new name asked for on «Entes», and the institution's name on its page."""
    raiz = django_user_model.objects.create_superuser(
        "raiz", "raiz@demo.invalid", "contrasena-de-raiz-2026"
    )
    admin_sitio, consola = Client(), Client()
    admin_sitio.force_login(raiz)
    entrar(consola, "admin")
    hacienda = Ente.objects.get(siglas="SH")
    agregar = reverse("admin:dictamenes_ente_add")
    puertas = {
        "nombre": lambda t: (
            admin_sitio.post(
                agregar, {"nombre": f"Instituto {t}", "siglas": "INX", "tipo": "entidad"}
            ),
            200,
        ),
        "renombrar": lambda t: (
            consola.post(
                reverse("cuentas:entes"),
                {
                    "ente": hacienda.pk,
                    "nombre": f"Secretaría {t}",
                    "motivo": "Decreto de reorganización",
                },
            ),
            400,
        ),
        "institucion": lambda t: (
            consola.post(reverse("cuentas:institucion"), _textos(institucion=f"Subsecretaría {t}")),
            400,
        ),
    }
    siglas = {
        "siglas": lambda t: (
            admin_sitio.post(
                agregar, {"nombre": "Instituto de Pruebas", "siglas": t, "tipo": "entidad"}
            ),
            200,
        )
    }

    @_ejemplos
    @given(dato=_clave(una_linea=True), corto=_clave(una_linea=True, largo=20))
    def caso(dato, corto):
        _rechazada_en_cada_puerta(puertas, dato)
        _rechazada_en_cada_puerta(siglas, corto)

    caso()


@pytest.mark.parametrize(
    "campo", ["institucion", "unidad_resuelve", "unidad_firma", "lugar", "membrete", "fundamentos"]
)
def test_cada_texto_de_la_institucion_que_se_imprime(demo, campo):
    """Each text the dictamen prints and /verificar/ shows, on the institution's page, with the
    probe's RFC «PELJ/800101/AB1» after what it says: 400, the message, nothing asked."""
    consola = Client()
    entrar(consola, "admin")
    escrito = f"{getattr(textos_vigentes(), campo)} PELJ/800101/AB1"
    respuesta = consola.post(reverse("cuentas:institucion"), _textos(**{campo: escrito}))
    assert respuesta.status_code == 400
    mensaje = str(ERROR_DATOS_PERSONALES) % {"datos": "el RFC «PELJ/800101/AB1»"}
    assert escape(mensaje) in respuesta.content.decode()
    assert not CambioPendiente.objects.exists()


def test_un_nombre_guardado_con_un_dato_personal_se_corrige_no_se_conserva(demo):
    """An agency's name stored before the rule, with a telephone typed as the probe did: a new
    name asked without «Es una corrección» would keep it for past years (EnteNombre refuses
    it as Ente.nombre does); «Entes» says so and asks nothing. As a correction it is asked."""
    hacienda = Ente.objects.get(siglas="SH")
    guardado = "Secretaría de Hacienda, tel. 662 213 4S67"
    Ente.objects.filter(pk=hacienda.pk).update(nombre=guardado)
    # The past name's row itself refuses it, whichever door would write it.
    with pytest.raises(ValidationError) as error:
        EnteNombre(ente=hacienda, nombre=guardado, vigente_hasta=timezone.localdate()).full_clean()
    assert error.value.message_dict == {
        "nombre": [str(ERROR_DATOS_PERSONALES) % {"datos": "el teléfono «662 213 4S67»"}]
    }
    consola = Client()
    entrar(consola, "admin")
    datos = {
        "ente": hacienda.pk,
        "nombre": "Secretaría de Hacienda",
        "motivo": "Decreto de reorganización",
    }
    respuesta = consola.post(reverse("cuentas:entes"), datos)
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors["correccion"] == [
        str(ERROR_ANTERIOR_CON_DATOS_PERSONALES)
    ]
    assert not CambioPendiente.objects.exists()
    respuesta = consola.post(reverse("cuentas:entes"), {**datos, "correccion": "on"})
    assert respuesta.status_code == 302
    assert CambioPendiente.objects.get().datos["pedido"]["correccion"] is True


def test_el_rfc_de_una_empresa_queda_en_la_cotizacion_en_su_campo(ids):
    """A company's RFC is procurement data (issue 77, item 2): the quote keeps it, in its own
    field (issue 88), compact; written in the name, the name is refused and nothing saved."""
    cliente = Client()
    entrar(cliente, "requirente.sh")
    url = reverse("solicitudes:partida_cotizacion_agregar", args=[ids["borrador"], ids["partida"]])
    respuesta = cliente.post(url, _cotizacion(f"{EMPRESA}, RFC {EMPRESA_RFC}"))
    assert respuesta.status_code == 400
    assert "escríbalo en el campo «RFC del proveedor»" in respuesta.content.decode()
    assert not Cotizacion.objects.filter(partida_id=ids["partida"]).exists()
    escrito = f"{EMPRESA_RFC[:3].lower()}-{EMPRESA_RFC[3:9]}-{EMPRESA_RFC[9:]}"
    respuesta = cliente.post(url, _cotizacion(EMPRESA) | {"cot-proveedor_rfc": escrito})
    assert respuesta.status_code == 302
    assert list(
        Cotizacion.objects.filter(partida_id=ids["partida"]).values_list(
            "proveedor", "proveedor_rfc"
        )
    ) == [(EMPRESA, EMPRESA_RFC)]


# --- What is published ------------------------------------------------------------------------


def _bytes(respuesta) -> bytes:
    assert respuesta.status_code == 200, respuesta
    contenido = getattr(respuesta, "streaming_content", None)
    return b"".join(contenido) if contenido is not None else respuesta.content


def _textos_de(valor):
    """Every string in a JSON document, keys and values."""
    if isinstance(valor, dict):
        for clave, v in valor.items():
            yield clave
            yield from _textos_de(v)
    elif isinstance(valor, list):
        for v in valor:
            yield from _textos_de(v)
    elif isinstance(valor, str):
        yield valor


def _publicado(cliente) -> dict[str, list[str]]:
    """Each open-data file of this month, anonymous, as its texts: a JSON file's strings, a
    CSV file's cells."""
    from publico import precios
    from publico.conjuntos import CONJUNTOS, RECURSOS
    from publico.ocds import publicacion

    def ruta(url: str) -> str:
        return "/" + url.split("/", 3)[3]

    mes = f"{timezone.localtime():%Y-%m}"
    json_urls = {
        "ocds-mes": reverse("ocds_entregas", args=[mes]),
        "registro.json": reverse("datos_json"),
        "partidas.json": reverse("datos_partidas_json"),
        "precios.json": reverse("datos_precios_json"),
        "api-registro": "/api/v1/registro/",
        "datapackage.json": reverse("datos_paquete"),
        "catalogo.jsonld": reverse("datos_dcat"),
    }
    for registro in publicacion.registros_por_mes().get(mes, []):
        json_urls[f"ocds-registro:{registro['ocid']}"] = ruta(registro["url"])
    csv_urls = {"registro.csv": reverse("datos_csv"), "partidas.csv": reverse("datos_partidas_csv")}
    nombres = [c.nombre for c in CONJUNTOS]
    nombres += [r.nombre for lista in RECURSOS.values() for r in lista]
    for nombre in [*nombres, *precios.EN_FLUJO]:
        if nombre not in ("dictamenes", "dictamenes-partidas"):
            csv_urls[nombre] = reverse("datos_conjunto", args=[nombre])
    archivos = {
        nombre: list(_textos_de(json.loads(_bytes(cliente.get(url)))))
        for nombre, url in json_urls.items()
    }
    for nombre, url in csv_urls.items():
        filas = csv.reader(io.StringIO(_bytes(cliente.get(url)).decode("utf-8-sig")))
        archivos[nombre] = [celda for fila in filas for celda in fila]
    return archivos


# Stored before the fields refused them (straight into the rows): an agency's acronym with a
# person's RFC, the institution's name with a telephone number.
SIGLAS, TELEFONO = "PELJ800101AB1", "662 213 4567"
INSTITUCION = f"Subsecretaría de Gobierno Digital, tel. {TELEFONO}"


def test_lo_que_publica_la_demostracion_en_su_mes_no_trae_datos_personales(demo):
    """The demonstration's requests (every state, a contract, all in this month), with what
    was stored before the rule and a contract of a company that writes its RFC, published for
    the first time: no text of any open-data file holds a personal datum
    (estandares.datos_personales.hallazgos, the predicate the doors refuse with), the acronym
    and the institution's name show masked, and the company's RFC as typed."""
    from demo import solicitudes

    solicitudes.cargar()
    Ente.objects.filter(siglas="SH").update(siglas=SIGLAS)
    TextosInstitucionales.objects.filter(pk=textos_vigentes().pk).update(institucion=INSTITUCION)
    # A second contract under the demonstration's, through its door, from the company.
    (contrato,) = Contrato.objects.all()
    contratos.contrato_registrar(
        dictamen=contrato.dictamen,
        usuario=usuario("requirente.sh"),
        numero="SH-DGA-CTO-2026-077",
        proveedor=EMPRESA,
        proveedor_rfc=EMPRESA_RFC,
        fecha=timezone.localdate(),
        monto=Decimal("1000.00"),
    )

    archivos = _publicado(Client())
    # The institution's contact mailbox is published on purpose (DCAT's vcard:hasEmail).
    contacto = f"mailto:{settings.DICTAMENES_CONTACTO_DATOS}"
    encontrados = {
        (nombre, texto, tuple(h.texto for h in hallados))
        for nombre, textos in archivos.items()
        for texto in textos
        if texto != contacto and (hallados := hallazgos(texto))
    }
    assert encontrados == set()
    for nombre, textos in archivos.items():
        for texto in textos:
            assert SIGLAS not in texto and TELEFONO not in texto, (nombre, texto)
    # The acronym, masked, where each file publishes it.
    for nombre in ("registro.json", "registro.csv", "api-registro", "ahorros"):
        assert "PELJ*********" in archivos[nombre], nombre
    assert "MX-ENTE-PELJ*********" in archivos["ocds-mes"]
    oculto = "Subsecretaría de Gobierno Digital, tel. [teléfono oculto]"
    for nombre in ("ocds-mes", "catalogo.jsonld"):
        assert oculto in archivos[nombre], nombre
    # The company's RFC, as typed; and each presented request has its record.
    assert EMPRESA in archivos["ocds-mes"] and EMPRESA_RFC in archivos["ocds-mes"]
    presentadas = Solicitud.objects.filter(folio__isnull=False).count()
    assert len([n for n in archivos if n.startswith("ocds-registro:")]) == presentadas


def test_una_entrega_guardada_antes_del_detector_se_enmascara_al_migrar(demo, client):
    """A release is kept as first published; one kept before the detector recognised a form
    (the outside probe's supplier «GATA7SOSO3SD1», its contract «PELJ/800101/AB1») is masked
    again by the migration each deployment runs, and the month's package serves it masked:
    the supplier's id follows its masked name in the party and in the award."""
    presentada()
    mes = reverse("ocds_entregas", args=[f"{timezone.localtime():%Y-%m}"])
    assert client.get(mes).status_code == 200
    (guardada,) = EntregaOCDS.objects.all()
    antes = json.loads(guardada.entrega)
    proveedor = {"id": "MX-PROV-0000000000000000", "name": "Juan GATA7SOSO3SD1"}
    entrega = {
        **antes,
        "parties": [*antes["parties"], {**proveedor, "roles": ["supplier"]}],
        "awards": [{"id": "adjudicacion", "suppliers": [proveedor]}],
        "contracts": [{"id": "contrato", "title": "Contrato PELJ/800101/AB1"}],
    }
    EntregaOCDS.objects.filter(pk=guardada.pk).update(
        entrega=json.dumps(entrega, ensure_ascii=False)
    )
    cache.clear()
    assert "GATA7SOSO3SD1" in _bytes(client.get(mes)).decode()

    _enmascarar_entregas(sender=apps.get_app_config("dictamenes"), using="default")
    cache.clear()
    (publicada,) = json.loads(_bytes(client.get(mes)))["releases"]
    (parte,) = [p for p in publicada["parties"] if "supplier" in p["roles"]]
    (adjudicado,) = publicada["awards"][0]["suppliers"]
    assert (parte["name"], adjudicado["name"]) == ("Juan GATA*********", "Juan GATA*********")
    assert parte["id"] == adjudicado["id"] != proveedor["id"]
    assert publicada["contracts"] == [{"id": "contrato", "title": "Contrato PELJ*********"}]
    # The rest as it was kept; and a second pass finds nothing left to mask.
    assert publicada["parties"][: len(antes["parties"])] == antes["parties"]
    assert {k: v for k, v in publicada.items() if k not in ("parties", "awards", "contracts")} == {
        k: v for k, v in antes.items() if k != "parties"
    }
    assert guardadas.entregas_enmascarar() == 0
