"""Issue 48, item 3: every public output masks personal data in every published field, for
what was stored before the fields refused it.

Each published field gets its own personal data, written straight into the database (as
text stored before the rule was): an RFC or CURP whose masked form is unique to the field
(so the test sees the field is published, masked, in each output that carries it) and an
e-mail address or a telephone number (which must not show anywhere). The outputs: the OCDS
packages and records, the register's CSV and JSON, the register's page and its API, the
«motivos» data set, and the public verification page of each dictamen.
"""

import contextlib
import json
from decimal import Decimal
from unittest import mock

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dictamenes.emision.services import rectificacion
from dictamenes.models import DecisionPartida, Dictamen, MotivoRechazo, Partida, Solicitud
from dictamenes.seguimiento.services import contratos
from estandares import identidad
from estandares.datos_personales import SinDatosPersonales
from publico.ocds import estandar
from tests.dictamenes.flujo_utils import (
    credencial,
    decidir,
    en_firma,
    firmar,
    revisada,
    usuario,
)

pytestmark = pytest.mark.django_db

# field -> (what is stored, what every output that carries it shows, what none may show)
CAMPOS = {
    "titulo": (
        "Equipo de TITU800101AB1, titulo.persona@correo.example.mx",
        "TITU*********",
        ["TITU800101AB1", "titulo.persona@correo.example.mx"],
    ),
    "justificacion": (
        "Responsable JUST800101AB1, tel. 662 111 2233.",
        "JUST*********",
        ["JUST800101AB1", "662 111 2233"],
    ),
    "descripcion": (
        "Laptops DESC800101AB1 desc.persona@correo.example.mx",
        "DESC*********",
        ["DESC800101AB1", "desc.persona@correo.example.mx"],
    ),
    "decision": (
        "Hable con DECI800101HSRRPN09 al 662 333 4455",
        "DECI**************",
        ["DECI800101HSRRPN09", "662 333 4455"],
    ),
    "motivo": (
        "Sobredimensionada MOTI800101AB1 motivo.persona@correo.example.mx",
        "MOTI*********",
        ["MOTI800101AB1", "motivo.persona@correo.example.mx"],
    ),
    "motivo_descripcion": (
        "Pregunte a MODE800101AB1 en mode.persona@correo.example.mx",
        "MODE*********",
        ["MODE800101AB1", "mode.persona@correo.example.mx"],
    ),
    "proveedor": (
        "Juan Pérez PROV800101AB1, +52 662 444 5566",
        "PROV*********",
        ["PROV800101AB1", "+52 662 444 5566"],
    ),
    "numero": (
        "CONT800101AB1 numero.persona@correo.example.mx",
        "CONT*********",
        ["CONT800101AB1", "numero.persona@correo.example.mx"],
    ),
    "cancelacion": (
        "Lo pidió CANC800101AB1, canc.persona@correo.example.mx",
        "CANC*********",
        ["CANC800101AB1", "canc.persona@correo.example.mx"],
    ),
}

# Where each field is published.
SALIDAS = {
    "titulo": ["ocds", "csv", "json", "api", "verificar"],
    "justificacion": ["ocds"],
    "descripcion": ["ocds", "verificar"],
    "decision": ["ocds", "verificar"],
    "motivo": ["ocds", "verificar", "motivos"],
    "motivo_descripcion": ["motivos"],
    "proveedor": ["ocds"],
    "numero": ["ocds"],
    "cancelacion": ["verificar_cancelado"],
}


@contextlib.contextmanager
def _antes_de_la_regla():
    """The fields' refusal switched off: the services store what was typed, as before (and
    a supplier's name with an RFC in it, as before issue 88)."""
    with (
        mock.patch.object(SinDatosPersonales, "__call__", lambda self, valor: None),
        mock.patch.object(identidad, "rfc_en_el_nombre", lambda nombre: ""),
    ):
        yield


def _texto(cliente: Client, url: str) -> str:
    respuesta = cliente.get(url)
    assert respuesta.status_code == 200, url
    contenido = getattr(respuesta, "streaming_content", None)
    datos = b"".join(contenido) if contenido is not None else respuesta.content
    return datos.decode("utf-8-sig")


def _ruta(url: str) -> str:
    return url.removeprefix(estandar.settings.DICTAMENES_URL_PUBLICA.rstrip("/"))


def _solicitudes() -> tuple[Dictamen, Dictamen]:
    solicitud = revisada(areas=("computo",), titulo="Renovación de equipo")
    partida = solicitud.partidas.get()
    motivo = MotivoRechazo.objects.get(clave="sobredimensionada")
    decidir(
        solicitud,
        partidas={
            partida.pk: {
                "resultado": "reducida",
                "cantidad": 1,
                "motivo": motivo.clave,
                "texto": "Basta una.",
            }
        },
    )
    Solicitud.objects.filter(pk=solicitud.pk).update(
        titulo=CAMPOS["titulo"][0], justificacion=CAMPOS["justificacion"][0]
    )
    Partida.objects.filter(pk=partida.pk).update(descripcion=CAMPOS["descripcion"][0])
    DecisionPartida.objects.filter(partida=partida).update(texto=CAMPOS["decision"][0])
    MotivoRechazo.objects.filter(pk=motivo.pk).update(
        nombre=CAMPOS["motivo"][0], descripcion=CAMPOS["motivo_descripcion"][0]
    )
    solicitud.refresh_from_db()
    dictamen = firmar(solicitud)
    with _antes_de_la_regla():
        contratos.contrato_registrar(
            dictamen=dictamen,
            usuario=usuario("requirente.sh"),
            numero=CAMPOS["numero"][0],
            proveedor=CAMPOS["proveedor"][0],
            fecha=timezone.localdate(),
            monto=Decimal("1000.00"),
        )
    cancelado = firmar(en_firma(areas=("computo",), titulo="Equipo que se cancela"))
    rectificacion.dictamen_cancelar(
        dictamen=cancelado,
        usuario=usuario("firmante"),
        credencial=credencial(),
        motivo="Ya no procede.",
    )
    Dictamen.objects.filter(pk=cancelado.pk).update(motivo_cancelacion=CAMPOS["cancelacion"][0])
    return dictamen, cancelado


@pytest.fixture(scope="module")
def salidas(django_db_setup, django_db_blocker) -> dict[str, str]:
    """Every public output, fetched once as anyone (no session)."""
    from publico.ocds import publicacion

    with django_db_blocker.unblock(), transaction.atomic():
        dictamen, cancelado = _solicitudes()
        cliente = Client()
        ocds = [_texto(cliente, _ruta(m["url"])) for m in publicacion.meses()] + [
            _texto(cliente, _ruta(r["url"]))
            for lista in publicacion.registros_por_mes().values()
            for r in lista
        ]
        # JSON as the reader decodes it: "é", not "\u00e9".
        ocds = [json.dumps(json.loads(t), ensure_ascii=False) for t in ocds]
        textos = {
            "ocds": "\n".join(ocds),
            "csv": _texto(cliente, reverse("datos_csv")),
            "json": json.dumps(
                json.loads(_texto(cliente, reverse("datos_json"))), ensure_ascii=False
            ),
            "api": json.dumps(json.loads(_texto(cliente, "/api/v1/registro/")), ensure_ascii=False),
            "registro": _texto(cliente, reverse("registro")),
            "motivos": _texto(cliente, reverse("datos_conjunto", args=["motivos-no-aprobacion"])),
            "verificar": _texto(cliente, reverse("verificar_folio", args=[dictamen.folio])),
            "verificar_cancelado": _texto(
                cliente, reverse("verificar_folio", args=[cancelado.folio])
            ),
        }
        transaction.set_rollback(True)
    return textos


@pytest.mark.parametrize("campo", list(CAMPOS))
def test_cada_campo_publicado_sale_enmascarado_en_cada_salida(salidas, campo):
    _guardado, enmascarado, prohibidos = CAMPOS[campo]
    for salida in SALIDAS[campo]:
        assert enmascarado in salidas[salida], (campo, salida)
    for salida, texto in salidas.items():
        for dato in prohibidos:
            assert dato not in texto, (campo, salida, dato)


def test_los_correos_y_telefonos_se_ven_como_ocultos(salidas):
    assert "[correo oculto]" in salidas["csv"]
    assert "[teléfono oculto]" in salidas["ocds"]
    assert "[correo oculto]" in salidas["verificar_cancelado"]


def test_los_caracteres_de_formato_guardados_no_se_publican(salidas_con_formato):
    for salida, texto in salidas_con_formato.items():
        for caracter in FORMATO:
            assert caracter not in texto, (salida, f"U+{ord(caracter):04X}")
        assert "Equipo con invisibles" in texto, salida


FORMATO = "\u200b\ufeff\u2060\u180e\ufff9"


@pytest.fixture(scope="module")
def salidas_con_formato(django_db_setup, django_db_blocker) -> dict[str, str]:
    """A title and a justification stored with format characters (before they were
    removed at entry), as the OCDS record, the CSV and the verification page publish them."""
    from publico.ocds import publicacion

    with django_db_blocker.unblock(), transaction.atomic():
        solicitud = en_firma(areas=("computo",), titulo="Equipo con invisibles")
        titulo = "Equipo\u200b con\ufeff invisibles\u2060\u180e\ufff9"
        Solicitud.objects.filter(pk=solicitud.pk).update(
            titulo=titulo, justificacion=f"Justificación {FORMATO} pegada"
        )
        dictamen = firmar(Solicitud.objects.get(pk=solicitud.pk))
        cliente = Client()
        registros = [
            r["url"]
            for lista in publicacion.registros_por_mes().values()
            for r in lista
            if r["ocid"].endswith(solicitud.folio)
        ]
        textos = {
            "ocds": json.dumps(
                json.loads(_texto(cliente, _ruta(registros[0]))), ensure_ascii=False
            ),
            "csv": _texto(cliente, reverse("datos_csv")),
            "verificar": _texto(cliente, reverse("verificar_folio", args=[dictamen.folio])),
        }
        transaction.set_rollback(True)
    return textos
