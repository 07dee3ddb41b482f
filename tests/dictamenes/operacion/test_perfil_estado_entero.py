"""Issue 61: a second state's profile carries the whole state. The signers' post (and the
dictamen signed after it prints it), no password in the pending change or any event, the
time zone said to the operator, and the checks of the new keys."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from dictamenes.models import CambioPendiente, EventoAuditoria
from dictamenes.operacion.services import configuracion
from tests.dictamenes.flujo_utils import en_firma, firmar, usuario
from tests.dictamenes.operacion.test_perfil_estado import PERFIL, ZONA, cargar
from tests.dictamenes.organizacion.test_textos_institucionales import texto_pdf

pytestmark = pytest.mark.django_db

CARGO = "Titular de la Agencia de Gobierno Digital"


def pedir(archivo=PERFIL) -> CambioPendiente:
    call_command("cargar_perfil_estado", str(archivo), usuario="admin", stdout=StringIO())
    return CambioPendiente.objects.get(tipo="perfil", estado="pendiente")


def otro_perfil(carpeta: Path, quitar: str, poner: str) -> Path:
    imagen = "estado_de_anahuac_membrete.png"
    (carpeta / imagen).write_bytes((PERFIL.parent / imagen).read_bytes())
    texto = PERFIL.read_text(encoding="utf-8")
    assert quitar in texto
    otro = carpeta / "perfil.toml"
    otro.write_text(texto.replace(quitar, poner, 1), encoding="utf-8")
    return otro


def test_quien_firma_recibe_el_cargo_del_perfil_y_el_dictamen_lo_imprime(demo):
    solicitud = en_firma(areas=("redes",))
    cambio = pedir()
    filas = {f["campo"]: f for f in cambio.datos["filas"]}
    assert filas["Cargo de quien firma"] == {
        "campo": "Cargo de quien firma",
        "antes": "Subsecretario de Gobierno Digital (demo)",
        "despues": CARGO,
        "cambia": True,
    }
    assert (
        "Cargo de Alejandro Gastélum Torres (firmante), quien firma: «Subsecretario de Gobierno "
        f"Digital (demo)» → «{CARGO}»"
    ) in cambio.datos["acciones"]
    configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin2"))

    assert usuario("firmante").perfil.cargo == CARGO
    (evento,) = EventoAuditoria.objects.filter(tipo="cargo_cambiado")
    assert (evento.usuario.username, evento.datos["a"]) == ("admin", CARGO)
    # The dictamen signed now prints the new post under the signer's name.
    dictamen = firmar(solicitud)
    assert dictamen.firmante_cargo == CARGO
    pdf = texto_pdf(dictamen)
    assert CARGO in pdf
    assert "Subsecretario de Gobierno Digital (demo)" not in pdf


def test_ni_el_cambio_pendiente_ni_un_evento_guardan_una_contrasena(demo):
    antes = EventoAuditoria.objects.order_by("-pk").values_list("pk", flat=True).first()
    cambio = pedir()
    configuracion.cambio_aprobar(cambio=cambio, por=usuario("admin2"))

    escrito = json.dumps(CambioPendiente.objects.get(pk=cambio.pk).datos, ensure_ascii=False)
    for evento in EventoAuditoria.objects.filter(pk__gt=antes):
        escrito += evento.descripcion + evento.motivo
        escrito += json.dumps(evento.datos, ensure_ascii=False)
    revisora = get_user_model().objects.get(username="revisor.conectividad")
    assert EventoAuditoria.objects.filter(pk__gt=antes, tipo="revisor_demo_creado").count() == 3
    assert settings.DICTAMENES_CONTRASENA_DEMO not in escrito
    assert "contrasena" not in escrito
    assert revisora.password.split("$")[-1] not in escrito  # nor its hash
    # The demo reviewer still enters with the demo's public password.
    assert revisora.check_password(settings.DICTAMENES_CONTRASENA_DEMO)


def test_sin_contrasena_de_demostracion_la_cuenta_no_tiene_una_usable(demo, settings):
    settings.DICTAMENES_CONTRASENA_DEMO = ""
    cargar()
    assert not get_user_model().objects.get(username="revisor.bienes").has_usable_password()


def test_una_zona_horaria_distinta_se_dice_a_quien_opera(demo, settings):
    cambio = pedir()
    assert cambio.datos["acciones"][-1] == ZONA
    filas = {f["campo"]: f for f in cambio.datos["filas"]}
    zona = filas["Zona horaria (DJANGO_ZONA_HORARIA)"]
    assert (zona["antes"], zona["despues"]) == ("America/Hermosillo", "America/Mexico_City")
    cambio.delete()

    settings.TIME_ZONE = "America/Mexico_City"
    assert ZONA not in pedir().datos["acciones"]


@pytest.mark.parametrize(
    ("quitar", "poner", "mensaje"),
    [
        (
            'revisores = ["revisor.computo"]',
            'revisores = ["revisor.computo", "revisor.nadie"]',
            "No se cargó nada. «areas[3].revisores»: no existe la cuenta «revisor.nadie» (el "
            "área «Bienes Informáticos» nombra por su usuario a quienes ya revisan).",
        ),
        (
            'revisores = ["revisor.computo"]',
            'revisores = ["mesa"]',
            "No se cargó nada. «areas[3].revisores»: «mesa» no tiene el rol Revisor técnico; el "
            "perfil solo da un área a quien ya revisa (el rol se otorga en «Personas y roles»).",
        ),
        (
            'zona_horaria = "America/Mexico_City"',
            'zona_horaria = "America/Texcoco"',
            "No se cargó nada. La zona horaria «America/Texcoco» no existe; use un nombre IANA, "
            "como America/Mexico_City.",
        ),
        (
            'unidad_firma_articulo = "la"',
            'unidad_firma_articulo = "lo"',
            "No se cargó nada. La clave «institucion.unidad_firma_articulo» debe ser uno de: la, "
            "el, las, los.",
        ),
    ],
    ids=["cuenta_desconocida", "no_es_revisor", "zona", "articulo"],
)
def test_una_clave_nueva_mala_no_carga_y_dice_por_que(demo, tmp_path, quitar, poner, mensaje):
    with pytest.raises(CommandError) as error:
        pedir(otro_perfil(tmp_path, quitar, poner))
    assert str(error.value) == mensaje
    assert not CambioPendiente.objects.filter(tipo="perfil").exists()
