"""Issue 59, item 6: an agency's name and a person's cargo are published (the buyer of each
OCDS process, the register; the signer's cargo on the dictamen and its verification page), so
every path that writes them refuses personal data, in the forms people type it, with the
same Spanish message as the other public texts; and ordinary names and cargos still pass."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from dictamenes.models import Ente, EventoAuditoria, Perfil
from dictamenes.personas.services import personas
from dictamenes.roles import Rol
from estandares.datos_personales import ERROR_DATOS_PERSONALES
from estandares.entradas import ERROR_CARACTERES
from tests.dictamenes.operacion.test_perfil_estado import PERFIL, foto

pytestmark = pytest.mark.django_db

# An e-mail address with the word for "@"; a CURP with dashes and Cyrillic letters; a
# telephone number with a word joiner and zero-width spaces; a telephone number in words.
NOMBRE_CON_CORREO = "Secretaría de Hacienda, enlace ana.lopez arroba sonora.gob.mx"
CURP_CIRILICA = "\u0420\u0415LJ-800101-\u041dSRRPN-09"
CARGO_CON_CURP = f"Jefa de Redes ({CURP_CIRILICA})"
TELEFONO_INVISIBLE = "662\u2060123\u200b4567"
CARGO_CON_TELEFONO = f"Enlace de TIC, tel. {TELEFONO_INVISIBLE}"
TELEFONO_EN_PALABRAS = "seis seis dos uno dos tres cuatro cinco seis siete"


def _mensaje(datos: str) -> str:
    return str(ERROR_DATOS_PERSONALES) % {"datos": datos}


@pytest.fixture
def superusuario(django_user_model):
    return django_user_model.objects.create_superuser(
        "raiz", "raiz@demo.invalid", "contrasena-de-raiz-2026"
    )


def test_ente_crear_rechaza_un_nombre_con_un_correo_escrito_con_arroba(demo):
    antes = Ente.objects.count()
    with pytest.raises(ValidationError) as error:
        personas.ente_crear(nombre=NOMBRE_CON_CORREO, siglas="SHX", tipo="dependencia")
    assert error.value.message_dict == {
        "nombre": [_mensaje("el correo «ana.lopez arroba sonora.gob.mx»")]
    }
    assert Ente.objects.count() == antes


def test_ente_crear_acepta_un_nombre_ordinario(demo):
    ente = personas.ente_crear(
        nombre="Secretaría de Seguridad Pública, C5i (Centro 2026)", siglas="C5X", tipo="entidad"
    )
    assert (
        Ente.objects.get(pk=ente.pk).nombre == "Secretaría de Seguridad Pública, C5i (Centro 2026)"
    )


def test_el_admin_rechaza_un_ente_con_datos_personales(demo, client, superusuario):
    client.force_login(superusuario)
    antes = Ente.objects.count()
    respuesta = client.post(
        reverse("admin:dictamenes_ente_add"),
        {"nombre": NOMBRE_CON_CORREO, "siglas": "SHX", "tipo": "dependencia", "activo": "on"},
    )
    assert respuesta.status_code == 200
    assert respuesta.context["adminform"].form.errors == {
        "nombre": [_mensaje("el correo «ana.lopez arroba sonora.gob.mx»")]
    }
    assert Ente.objects.count() == antes


def test_el_admin_rechaza_un_perfil_nuevo_con_un_cargo_con_una_curp_cirilica(
    demo, client, superusuario
):
    """The admin still adds a profile (its cargo read-only afterwards, issue 59)."""
    client.force_login(superusuario)
    cuenta = get_user_model().objects.create_user("sin.perfil", "sin.perfil@demo.invalid")
    respuesta = client.post(
        reverse("admin:dictamenes_perfil_add"),
        {"usuario": cuenta.pk, "rfc": "SIPE800101AB1", "cargo": CARGO_CON_CURP},
    )
    assert respuesta.status_code == 200
    assert respuesta.context["adminform"].form.errors == {
        "cargo": [_mensaje(f"la CURP «{CURP_CIRILICA}»")]
    }
    assert not Perfil.objects.filter(usuario=cuenta).exists()


def test_pedir_un_cargo_con_una_curp_cirilica_se_rechaza_y_no_pide_nada(demo, client):
    """The cargo changes on «Personas y roles», with a second administrator (issue 59): the
    same rule refuses it when asked."""
    from dictamenes.models import CambioPendiente
    from tests.conftest import entrar

    perfil = Perfil.objects.select_related("usuario").get(usuario__username="estrategico")
    entrar(client, "admin")
    respuesta = client.post(
        reverse("cuentas:rol_persona", args=[perfil.usuario_id]),
        {"accion": "cargo", "cargo-cargo": CARGO_CON_CURP, "cargo-motivo": "Nombramiento"},
    )
    assert respuesta.status_code == 400
    assert _mensaje(f"la CURP «{CURP_CIRILICA}»") in respuesta.content.decode()
    assert not CambioPendiente.objects.exists()


def test_usuario_crear_rechaza_un_cargo_con_un_telefono_con_invisibles(demo):
    usuarios_antes = get_user_model().objects.count()
    with pytest.raises(ValidationError) as error:
        personas.usuario_crear(
            username="nueva.enlace",
            password="una-contrasena-larga-2026",
            nombre="Ana",
            apellidos="López Ruiz",
            email="nueva.enlace@demo.invalid",
            rfc="LORA800101AB1",
            roles=[Rol.REQUIRENTE],
            ente=Ente.objects.get(siglas="SH"),
            cargo=CARGO_CON_TELEFONO,
        )
    # A single line refuses the invisible characters too, and says so after.
    assert error.value.message_dict == {
        "cargo": [
            _mensaje(f"el teléfono «{TELEFONO_INVISIBLE}»"),
            str(ERROR_CARACTERES) % {"caracteres": "U+2060, U+200B"},
        ]
    }
    assert get_user_model().objects.count() == usuarios_antes


def test_el_perfil_del_estado_rechaza_un_cargo_con_un_telefono_en_palabras(demo, tmp_path):
    texto = PERFIL.read_text(encoding="utf-8")
    cargo = 'cargo = "Especialista en conectividad"'
    assert cargo in texto
    (tmp_path / "estado_de_anahuac_membrete.png").write_bytes(
        (PERFIL.parent / "estado_de_anahuac_membrete.png").read_bytes()
    )
    malo = tmp_path / "perfil.toml"
    malo.write_text(
        texto.replace(cargo, f'cargo = "Especialista, tel. {TELEFONO_EN_PALABRAS}"', 1),
        encoding="utf-8",
    )
    antes = foto()
    with pytest.raises(CommandError) as error:
        call_command("cargar_perfil_estado", str(malo), usuario="admin", stdout=StringIO())
    assert str(error.value) == (
        "No se cargó nada. «areas[1].revisor_demo.cargo»: "
        + _mensaje(f"el teléfono «{TELEFONO_EN_PALABRAS}»")
    )
    assert foto() == antes
    assert not EventoAuditoria.objects.filter(tipo="revisor_demo_creado").exists()
