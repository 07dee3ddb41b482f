"""Issue 48, item 3: the free text that is published refuses personal data at entry (pages,
API, services), a realistic request full of numbers is still accepted, and amounts are
written with the digits 0-9 only."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from dictamenes.emision.services import rectificacion
from dictamenes.models import ConfiguracionVias, MotivoRechazo, Partida, Solicitud
from dictamenes.montos import ERROR_MONTO_DIGITOS, ERROR_MONTO_DIGITOS_MILES
from dictamenes.operacion.services import importacion
from dictamenes.seguimiento.services import contratos
from dictamenes.tramite.services import etapas
from estandares.datos_personales import ERROR_DATOS_PERSONALES
from estandares.identidad import ERROR_RFC_EN_EL_NOMBRE
from tests.dictamenes.dual_utils import aprobar_pendientes
from tests.dictamenes.flujo_utils import (
    borrador,
    credencial,
    en_firma,
    firmar,
    revisada,
    usuario,
)

pytestmark = pytest.mark.django_db

# The outside probe's justification (issue 48).
CONTACTO = (
    "Contacto: Juan Pérez López, juan.perez@sonora.gob.mx, tel. 662 123 4567, "
    "CURP PELJ800101HSRRPN09, RFC PELJ800101AB1"
)
MENSAJE_CONTACTO = str(ERROR_DATOS_PERSONALES) % {
    "datos": "el correo «juan.perez@sonora.gob.mx»; el teléfono «662 123 4567»; "
    "la CURP «PELJ800101HSRRPN09»; el RFC «PELJ800101AB1»"
}
# What real requests carry: folios, amounts, dates, model and part numbers, an IP address.
JUSTIFICACION_REAL = (
    "Conforme al oficio SGD/DT/2026/0001 del 15/01/2026 y a la solicitud SOL-2026-00012, se "
    "renuevan 20 × $24,000 = $480,000.00 en equipos Dell Latitude 5440 (parte 210-BDTD), con "
    "switch Cisco C9300-48P en la red 192.168.10.25/24; contrato 2026-0001-0002-0003, partida "
    "51501, capítulo 5000, ISO/IEC 27001:2022, 16 GB DDR5 4800 MHz, 1,000,000 de páginas."
)
DESCRIPCION_REAL = "Laptop Dell Latitude 5440, SKU 210-BDTD, 16 GB, serie 5CD1234567, 20 × $24,000"


def _mensaje(datos: str) -> str:
    return str(ERROR_DATOS_PERSONALES) % {"datos": datos}


def _solicitud(**cambios) -> dict:
    return {
        "tipo_operacion": "adquisicion",
        "titulo": "Adquisición de laptops para supervisores",
        "justificacion": JUSTIFICACION_REAL,
        "alineacion": "Eje 3: gobierno digital eficiente.",
        "monto_estimado": "480000.00",
        "ejercicio": timezone.localdate().year,
    } | cambios


def test_la_justificacion_con_datos_de_contacto_se_rechaza_en_la_pagina(como):
    pagina = como("requirente.sh").post(
        reverse("solicitudes:nueva"), _solicitud(justificacion=CONTACTO)
    )
    assert pagina.status_code == 400
    assert pagina.context["form"].errors["justificacion"] == [MENSAJE_CONTACTO]
    assert not Solicitud.objects.exists()


def test_el_titulo_con_un_correo_se_rechaza_en_la_pagina(como):
    pagina = como("requirente.sh").post(
        reverse("solicitudes:nueva"), _solicitud(titulo="Laptops, dudas a ana@sonora.gob.mx")
    )
    assert pagina.status_code == 400
    assert pagina.context["form"].errors["titulo"] == [_mensaje("el correo «ana@sonora.gob.mx»")]


def test_la_api_rechaza_la_justificacion_con_datos_de_contacto(demo):
    api = APIClient()
    api.force_authenticate(usuario("requirente.sh"))
    respuesta = api.post("/api/v1/solicitudes/", _solicitud(justificacion=CONTACTO), format="json")
    assert respuesta.status_code == 400
    assert respuesta.json() == {"justificacion": [MENSAJE_CONTACTO]}
    assert not Solicitud.objects.exists()


def test_la_pagina_rechaza_un_rfc_con_letras_cirilicas_y_guiones(como):
    """Issue 59: the forms people type or paste, at the page too."""
    rfc = "\u0420\u0415LJ-800101-\u0410\u04121"
    pagina = como("requirente.sh").post(
        reverse("solicitudes:nueva"), _solicitud(titulo=f"Laptops para {rfc}")
    )
    assert pagina.status_code == 400
    assert pagina.context["form"].errors["titulo"] == [_mensaje(f"el RFC «{rfc}»")]
    assert not Solicitud.objects.exists()


def test_la_api_rechaza_un_correo_con_arroba_y_un_telefono_en_palabras(demo):
    api = APIClient()
    api.force_authenticate(usuario("requirente.sh"))
    justificacion = (
        "Dudas con juan.perez (arroba) sonora punto gob punto mx o al seis seis dos, uno dos "
        "tres, cuatro cinco seis siete."
    )
    respuesta = api.post(
        "/api/v1/solicitudes/", _solicitud(justificacion=justificacion), format="json"
    )
    assert respuesta.status_code == 400
    assert respuesta.json() == {
        "justificacion": [
            _mensaje(
                "el correo «juan.perez (arroba) sonora punto gob punto mx»; el teléfono «seis "
                "seis dos, uno dos tres, cuatro cinco seis siete»"
            )
        ]
    }
    assert not Solicitud.objects.exists()


def test_una_solicitud_real_con_folios_montos_y_modelos_se_acepta(como):
    respuesta = como("requirente.sh").post(reverse("solicitudes:nueva"), _solicitud())
    assert respuesta.status_code == 302
    assert Solicitud.objects.get().justificacion == JUSTIFICACION_REAL
    partida = borrador().partidas.get()
    partida.descripcion = DESCRIPCION_REAL
    partida.full_clean()
    partida.save()
    assert Partida.objects.filter(descripcion=DESCRIPCION_REAL).count() == 1


def test_la_descripcion_de_una_partida_con_un_rfc_se_rechaza(como):
    solicitud = borrador()
    partida = solicitud.partidas.get()
    partida.descripcion = "Laptop para PELJ800101AB1"
    with pytest.raises(ValidationError) as error:
        partida.full_clean()
    assert error.value.message_dict == {"descripcion": [_mensaje("el RFC «PELJ800101AB1»")]}


def test_la_explicacion_de_una_decision_con_un_telefono_se_rechaza():
    solicitud = revisada(areas=("computo",))
    partida = solicitud.partidas.get()
    with pytest.raises(ValidationError) as error:
        etapas.solicitud_decidir(
            solicitud=solicitud,
            usuario=usuario("estrategico"),
            partidas={
                partida.pk: {
                    "resultado": "reducida",
                    "cantidad": 1,
                    "motivo": "sobredimensionada",
                    "texto": "Llame al 662 123 4567",
                }
            },
            motivos="Procede: cumple los estándares.",
        )
    assert error.value.message_dict == {"texto": [_mensaje("el teléfono «662 123 4567»")]}
    assert not Partida.objects.filter(decision__isnull=False).exists()


def test_las_condiciones_con_un_correo_se_rechazan():
    solicitud = revisada(areas=("computo",))
    with pytest.raises(ValidationError) as error:
        etapas.solicitud_decidir(
            solicitud=solicitud,
            usuario=usuario("estrategico"),
            partidas={p.pk: {"resultado": "aprobada"} for p in solicitud.partidas.all()},
            motivos="Procede: cumple los estándares.",
            condiciones="Cómputo: enviar la evidencia a ana@sonora.gob.mx",
        )
    assert error.value.messages == [_mensaje("el correo «ana@sonora.gob.mx»")]


def test_el_proveedor_con_su_rfc_se_rechaza():
    dictamen = firmar(en_firma(areas=("computo",)))
    with pytest.raises(ValidationError) as error:
        contratos.contrato_registrar(
            dictamen=dictamen,
            usuario=usuario("requirente.sh"),
            numero="SH-2026-001",
            proveedor="Juan Pérez López (RFC PELJ750503SD1)",
            fecha=timezone.localdate(),
            monto=1000,
        )
    # Why it may not be published, then where it goes (estandares.identidad.nombre_sin_rfc).
    assert error.value.message_dict == {
        "proveedor": [
            _mensaje("el RFC «PELJ750503SD1»"),
            str(ERROR_RFC_EN_EL_NOMBRE) % {"rfc": "PELJ750503SD1"},
        ]
    }


def test_el_motivo_de_una_cancelacion_con_un_correo_se_rechaza():
    dictamen = firmar(en_firma(areas=("computo",)))
    with pytest.raises(ValidationError) as error:
        rectificacion.dictamen_cancelar(
            dictamen=dictamen,
            usuario=usuario("firmante"),
            credencial=credencial(),
            motivo="Lo pidió ana@sonora.gob.mx",
        )
    assert error.value.messages == [_mensaje("el correo «ana@sonora.gob.mx»")]
    dictamen.refresh_from_db()
    assert dictamen.cancelado_en is None


def test_un_motivo_del_catalogo_con_un_telefono_se_rechaza():
    motivo = MotivoRechazo.objects.get(clave="sobredimensionada")
    motivo.descripcion = "Dudas al 662 123 4567"
    with pytest.raises(ValidationError) as error:
        motivo.full_clean()
    assert error.value.message_dict == {"descripcion": [_mensaje("el teléfono «662 123 4567»")]}


# --- Amounts: the digits 0-9 only ---------------------------------------------------------

OTRAS_CIFRAS = ["１０００", "١٠٠٠", "1_000", "1e3"]


@pytest.mark.parametrize("monto", OTRAS_CIFRAS)
def test_la_pagina_rechaza_un_monto_con_otras_cifras(como, monto):
    pagina = como("requirente.sh").post(
        reverse("solicitudes:nueva"), _solicitud(monto_estimado=monto)
    )
    assert pagina.status_code == 400
    assert pagina.context["form"].errors["monto_estimado"] == [str(ERROR_MONTO_DIGITOS)]
    assert not Solicitud.objects.exists()


@pytest.mark.parametrize("monto", OTRAS_CIFRAS)
def test_la_api_rechaza_un_monto_con_otras_cifras(demo, monto):
    api = APIClient()
    api.force_authenticate(usuario("requirente.sh"))
    respuesta = api.post("/api/v1/solicitudes/", _solicitud(monto_estimado=monto), format="json")
    assert respuesta.status_code == 400
    assert list(respuesta.json()) == ["monto_estimado"]
    assert not Solicitud.objects.exists()


@pytest.mark.parametrize("umbral", ["５００", "١٠٠٠", "1_000"])
def test_el_umbral_de_las_vias_con_otras_cifras_se_rechaza(como, umbral):
    from tests.dictamenes.tramite.test_vias_config import URL, _formulario

    respuesta = como("admin").post(URL, _formulario(umbral_monto=umbral))
    assert respuesta.status_code == 400
    assert respuesta.context["form"].errors["umbral_monto"] == [str(ERROR_MONTO_DIGITOS_MILES)]
    # «５００» was saved as $500.00.
    assert not ConfiguracionVias.objects.filter(umbral_monto__in=[500, 1000]).exists()


def test_el_umbral_con_comas_y_signo_de_pesos_se_sigue_aceptando(como):
    from tests.dictamenes.tramite.test_vias_config import URL, _formulario

    respuesta = como("admin").post(URL, _formulario(umbral_monto="$600,000.00"))
    assert respuesta.status_code == 302
    aprobar_pendientes()  # dual control (issue 48, 1)
    assert str(ConfiguracionVias.objects.latest("pk").umbral_monto) == "600000.00"


@pytest.mark.parametrize("monto", OTRAS_CIFRAS)
def test_la_importacion_historica_rechaza_un_monto_con_otras_cifras(demo, monto):
    fila = importacion._Fila.__new__(importacion._Fila)
    fila.numero, fila.errores = 2, []
    assert fila._monto(monto) is None
    assert fila.errores == ["fila 2, columna «monto»: debe ser un monto en pesos mayor que cero"]
    assert fila._monto("150000.50") is not None
