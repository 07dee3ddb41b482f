"""Issue 80: what tells one supplier's quote from another's beyond its name, for the sign of
cover quotes (suppliers sharing an address, a phone or a person). The requester writes, all
optional, the company's address and phone and the name of whoever signs the quote; the name is
never stored: only its keyed hash (dictamenes.senales.personas.huella_de_persona). The phone is
a company's, ten digits as Mexico dials them. Adding or removing a quote of a presented request
recomputes its signs in the same door."""

import datetime
import hashlib
import hmac
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from dictamenes.cotizaciones import services as cotizaciones
from dictamenes.models import Anexo, Cotizacion, EventoAuditoria, Senal
from dictamenes.models.senales import CodigoSenal
from dictamenes.senales.personas import huella_de_persona
from dictamenes.tramite.services import etapas
from tests.dictamenes.flujo_utils import borrador, presentada, usuario
from tests.dictamenes.tramite.test_cotizaciones import PROVEEDOR, pdf

pytestmark = pytest.mark.django_db

HOY = timezone.localdate
TELEFONO = (
    "Escriba el teléfono de la empresa con sus 10 dígitos, p. ej. 55 1234 5678 (con o sin +52, "
    "espacios o guiones)."
)
DOMICILIO = "Blvd. Luis Encinas Johnson 520, Col. Centro, 83000 Hermosillo, Son."


def _oraculo(normalizado: str) -> str:
    """HMAC-SHA256 as Django's salted_hmac builds it (key: SHA-256 of salt + SECRET_KEY),
    written out with the standard library: no code shared with the module under test."""
    clave = hashlib.sha256(("senales.firmante" + settings.SECRET_KEY).encode()).digest()
    return hmac.new(clave, normalizado.encode(), hashlib.sha256).hexdigest()


# --- The hash of a person -------------------------------------------------------------------


def test_la_huella_es_el_hmac_del_nombre_normalizado_con_la_clave_del_servidor():
    huella = huella_de_persona("  José   PÉREZ  Núñez ")
    assert huella == _oraculo("jose perez nunez")
    assert len(huella) == 64
    # Written another way, the same person; another person, another hash.
    assert huella_de_persona("jose perez nuñez") == huella
    assert huella_de_persona("Josefa Pérez Núñez") != huella
    assert "jose" not in huella


@pytest.mark.parametrize("nombre", ["", "   ", "\t\n"])
def test_sin_nombre_no_hay_huella(nombre):
    assert huella_de_persona(nombre) == ""


def test_sin_la_clave_del_servidor_no_se_reproduce():
    """A guess of the name hashed with another key gives another hash."""
    antes = huella_de_persona("José Pérez")
    with override_settings(SECRET_KEY="otra-clave-de-otro-servidor-" + "x" * 40):
        assert huella_de_persona("José Pérez") != antes
    assert hashlib.sha256(b"jose perez").hexdigest() != antes


# --- The service -------------------------------------------------------------------------------


def _agregar(partida, *, n=1, precio="9800", **extra):
    return cotizaciones.cotizacion_agregar(
        partida=partida,
        usuario=usuario("requirente.sh"),
        proveedor=f"{PROVEEDOR[:-1]} {n}.",
        precio_unitario=Decimal(precio),
        fecha=HOY() - datetime.timedelta(days=2 + n),
        vigencia=HOY() + datetime.timedelta(days=30),
        archivo=pdf(f"cotizacion-{n}.pdf", str(n).encode()),
        **extra,
    )


@pytest.mark.parametrize(
    "escrito",
    ["6622134567", "662 213 4567", "(662) 213-45-67", "+52 662.213.4567", "+526622134567"],
)
def test_el_telefono_se_guarda_con_sus_diez_digitos(escrito):
    cotizacion = _agregar(borrador().partidas.get(), telefono=escrito)
    assert Cotizacion.objects.get(pk=cotizacion.pk).telefono == "6622134567"


@pytest.mark.parametrize(
    "escrito",
    [
        "662 213 456",  # nine digits
        "52 662 213 4567",  # «52» without its «+» is two digits more
        "01 662 213 4567",  # the old long-distance prefix
        "+1 212 555 0100",  # another country's
        "662-ABC-4567",
        "６６２２１３４５６７",  # full-width digits
        "662/213/4567",
    ],
)
def test_un_telefono_que_no_es_de_diez_digitos_se_rechaza_y_no_deja_nada(escrito):
    partida = borrador().partidas.get()
    antes = Anexo.objects.count()
    with pytest.raises(ValidationError) as error:
        _agregar(partida, telefono=escrito)
    assert error.value.message_dict == {"telefono": [TELEFONO]}
    assert Anexo.objects.count() == antes
    assert not Cotizacion.objects.exists()


@pytest.mark.parametrize(
    "domicilio",
    [
        DOMICILIO,
        "Av. Insurgentes Sur 1605, piso 10, Col. San José Insurgentes, Benito Juárez, C.P. 03900, "
        "Ciudad de México",
        "Calle 60 No. 491-A x 57 y 59, Centro, 97000 Mérida, Yuc.",
        "Carretera Federal 15 km 1234.5, Parque Industrial, 85000 Cd. Obregón, Son.",
    ],
)
def test_un_domicilio_de_empresa_se_acepta(domicilio):
    """The address refuses personal data (it may be published with the quote): a company's
    ordinary address, with its number, postal code and kilometre, is not one."""
    cotizacion = _agregar(borrador().partidas.get(), domicilio=domicilio)
    assert Cotizacion.objects.get(pk=cotizacion.pk).domicilio == domicilio


def test_un_domicilio_con_el_correo_de_una_persona_se_rechaza():
    partida = borrador().partidas.get()
    with pytest.raises(ValidationError) as error:
        _agregar(partida, domicilio=f"{DOMICILIO} Atención: juan.perez@correo.mx")
    assert list(error.value.message_dict) == ["domicilio"]
    assert not Cotizacion.objects.exists()


def test_de_quien_firma_se_guarda_la_huella_y_nunca_el_nombre():
    partida = borrador().partidas.get()
    cotizacion = _agregar(partida, firmante="Filiberta Quintanilla Zúñiga")
    guardada = Cotizacion.objects.get(pk=cotizacion.pk)
    assert guardada.firmante_huella == _oraculo("filiberta quintanilla zuniga")
    valores = Cotizacion.objects.filter(pk=cotizacion.pk).values().get()
    assert not any("quintanilla" in str(v).casefold() for v in valores.values())
    for evento in EventoAuditoria.objects.filter(solicitud=partida.solicitud):
        assert "Quintanilla" not in f"{evento.descripcion} {evento.datos}"
    # Without a name, no hash (two unsigned quotes are not «signed by the same person»).
    assert _agregar(partida, n=2).firmante_huella == ""


# --- The signs, recomputed by the quote's door ------------------------------------------------


def _prevenida():
    solicitud = presentada()
    etapas.admision_resolver(
        solicitud=solicitud, usuario=usuario("mesa"), admitir=False, faltantes="Cotizaciones."
    )
    solicitud.refresh_from_db()
    return solicitud


def _cobertura(solicitud):
    return Senal.objects.filter(solicitud=solicitud, codigo=CodigoSenal.COBERTURA).first()


def test_agregar_y_quitar_una_cotizacion_de_una_solicitud_presentada_recalcula_sus_senales():
    """Two suppliers, prices far apart, different files: only the phone they share (written
    two ways) makes the sign; removing one of them withdraws it."""
    solicitud = _prevenida()
    partida = solicitud.partidas.get()
    _agregar(partida, n=1, precio="9000", telefono="662 213 4567")
    assert _cobertura(solicitud) is None
    segunda = _agregar(partida, n=2, precio="15000", telefono="+52 (662) 213-45-67")
    senal = _cobertura(solicitud)
    assert senal is not None and senal.vigente
    assert "el mismo teléfono" in senal.texto
    cotizaciones.cotizacion_quitar(
        partida=partida, usuario=usuario("requirente.sh"), cotizacion_pk=segunda.pk
    )
    senal.refresh_from_db()
    assert (senal.vigente, senal.retirada_en is not None) == (False, True)


def test_la_misma_persona_firma_dos_cotizaciones_de_proveedores_distintos():
    solicitud = _prevenida()
    partida = solicitud.partidas.get()
    _agregar(partida, n=1, precio="9000", firmante="José Pérez")
    _agregar(partida, n=2, precio="15000", firmante="JOSÉ  PEREZ")
    assert "la misma persona firma" in _cobertura(solicitud).texto


def test_en_un_borrador_no_hay_senales():
    partida = borrador().partidas.get()
    _agregar(partida, n=1, precio="9000", telefono="6622134567")
    _agregar(partida, n=2, precio="15000", telefono="6622134567")
    assert not Senal.objects.exists()


# --- The page ----------------------------------------------------------------------------------


def _post(cliente, solicitud, partida, **cambios):
    return cliente.post(
        reverse("solicitudes:partida_cotizacion_agregar", args=[solicitud.pk, partida.pk]),
        {
            "cot-proveedor": PROVEEDOR,
            "cot-domicilio": DOMICILIO,
            "cot-telefono": "662-213-4567",
            "cot-firmante": "Filiberta Quintanilla Zúñiga",
            "cot-precio_unitario": "9800",
            "cot-fecha": (HOY() - datetime.timedelta(days=3)).isoformat(),
            "cot-vigencia": (HOY() + datetime.timedelta(days=30)).isoformat(),
            "cot-archivo": pdf(),
            **cambios,
        },
    )


def test_la_pagina_pide_los_tres_y_muestra_domicilio_y_telefono_pero_no_a_quien_firma(como):
    solicitud = borrador()
    partida = solicitud.partidas.get()
    cliente = como("requirente.sh")
    url = reverse("solicitudes:partida", args=[solicitud.pk, partida.pk])
    formulario = cliente.get(url).content.decode()
    for campo, etiqueta in (
        ("domicilio", "Domicilio fiscal del proveedor"),
        ("telefono", "Teléfono del proveedor"),
        ("firmante", "Nombre de quien firma la cotización"),
    ):
        assert f'<label for="id_cot-{campo}">{etiqueta}</label>' in formulario, campo
    assert 'type="tel"' in formulario
    assert "El nombre no se guarda ni se muestra" in formulario

    assert _post(cliente, solicitud, partida).status_code == 302
    huella = Cotizacion.objects.get().firmante_huella
    for pagina in (
        cliente.get(url).content.decode(),
        cliente.get(
            reverse("solicitudes:partida_precio", args=[solicitud.pk, partida.pk])
        ).content.decode(),
    ):
        assert (
            f'<td data-etiqueta="Domicilio y teléfono">{DOMICILIO}<br>'
            '<span class="cotizacion-telefono">Teléfono 6622134567</span></td>'
        ) in pagina
        assert "Quintanilla" not in pagina and huella not in pagina


def test_un_telefono_mal_escrito_vuelve_con_el_error_junto_al_campo_y_lo_escrito(como):
    solicitud = borrador()
    partida = solicitud.partidas.get()
    r = _post(como("requirente.sh"), solicitud, partida, **{"cot-telefono": "662 213 45"})
    assert r.status_code == 400
    pagina = r.content.decode()
    assert f'<span class="error" id="id_cot-telefono_error">{TELEFONO}</span>' in pagina
    assert 'value="662 213 45"' in pagina
    assert f'value="{DOMICILIO}"' in pagina
    assert not Cotizacion.objects.exists()
