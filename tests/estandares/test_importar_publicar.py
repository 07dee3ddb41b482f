"""Issue 59, item 3: `estandares_importar --publicar` imports the draft and asks to publish it
(a pending change of kind EDICION) in the name of `--usuario`; the edition in force stays in
force until a second administrator approves, and the publication's event names who asked.
Without an active administrator nothing is written, not even the draft."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from dictamenes.management.administrador import ERROR_NO_ADMINISTRADOR, ERROR_SIN_USUARIO
from dictamenes.models import CambioPendiente, EventoAuditoria
from dictamenes.operacion.services import configuracion
from estandares import exceptions
from estandares.models import Publicacion
from tests.estandares.conftest import EDICION_2024

pytestmark = pytest.mark.django_db

EDICION_2025 = EDICION_2024.replace('version: "2024.1"', 'version: "2025.1"').replace(
    "vigente_desde: 2024-08-30", "vigente_desde: 2025-03-01"
)


def persona(username):
    return get_user_model().objects.get(username=username)


def ediciones() -> list[tuple]:
    return sorted(
        Publicacion.objects.values_list("version", "estado", "vigente_desde", "vigente_hasta")
    )


def ultimo_evento() -> int:
    ultimo = EventoAuditoria.objects.order_by("-numero").first()
    return ultimo.numero if ultimo else 0


def eventos_desde(numero: int) -> list[tuple[str, str | None]]:
    return [
        (e.tipo, e.usuario.username if e.usuario else None)
        for e in EventoAuditoria.objects.filter(numero__gt=numero)
        .select_related("usuario")
        .order_by("numero")
    ]


def importar(tmp_path, texto, *opciones) -> str:
    archivo = tmp_path / "edicion.yaml"
    archivo.write_text(texto, encoding="utf-8")
    salida = io.StringIO()
    call_command("estandares_importar", str(archivo), *opciones, stdout=salida)
    return salida.getvalue()


def test_publicar_pide_el_cambio_y_la_vigente_sigue_vigente_hasta_aprobarlo(edicion_2024, tmp_path):
    desde = ultimo_evento()
    salida = importar(tmp_path, EDICION_2025, "--publicar", "--usuario", "admin")

    assert ediciones() == [
        ("2024.1", "vigente", datetime.date(2024, 8, 30), None),
        ("2025.1", "borrador", datetime.date(2025, 3, 1), None),
    ]
    (cambio,) = CambioPendiente.objects.all()
    assert (cambio.tipo, cambio.estado, cambio.pedido_por.username) == (
        "edicion",
        "pendiente",
        "admin",
    )
    assert cambio.motivo == "Edición 2025.1 importada de edicion.yaml"
    # The only event is the request, by admin: no publication yet, and none without a user.
    assert eventos_desde(desde) == [("cambio_pedido", "admin")]
    assert salida.splitlines()[-1] == (
        f"Publicación pedida (cambio n.º {cambio.pk}, a nombre de admin): la edición 2024.1 "
        "sigue vigente; nada tiene efecto hasta que otra persona administradora lo apruebe en "
        "«Cambios por aprobar» (/cuentas/cambios/)."
    )

    desde = ultimo_evento()
    configuracion.cambio_aprobar(cambio=cambio, por=persona("admin2"))

    assert ediciones() == [
        ("2024.1", "derogada", datetime.date(2024, 8, 30), datetime.date(2025, 2, 28)),
        ("2025.1", "vigente", datetime.date(2025, 3, 1), None),
    ]
    assert eventos_desde(desde) == [
        ("estandares_publicacion", "admin"),
        ("cambio_aprobado", "admin2"),
    ]


def test_publicar_con_motivo_lo_guarda(edicion_2024, tmp_path):
    importar(
        tmp_path, EDICION_2025, "--publicar", "--usuario", "admin", "--motivo", "Boletín oficial 12"
    )
    assert CambioPendiente.objects.get().motivo == "Boletín oficial 12"


@pytest.mark.parametrize(
    ("opciones", "mensaje"),
    [
        ((), str(ERROR_SIN_USUARIO)),
        (("--usuario", "mesa"), str(ERROR_NO_ADMINISTRADOR % {"usuario": "mesa"})),
        (("--usuario", "nadie"), str(ERROR_NO_ADMINISTRADOR % {"usuario": "nadie"})),
    ],
    ids=["sin_usuario", "no_administra", "no_existe"],
)
def test_publicar_sin_una_persona_administradora_no_escribe_nada(
    edicion_2024, tmp_path, opciones, mensaje
):
    antes, desde = ediciones(), ultimo_evento()
    with pytest.raises(CommandError) as error:
        importar(tmp_path, EDICION_2025, "--publicar", *opciones)
    assert str(error.value) == mensaje
    assert ediciones() == antes  # not even the draft
    assert not CambioPendiente.objects.exists()
    assert eventos_desde(desde) == []


def test_una_publicacion_que_no_podria_aplicarse_no_deja_ni_el_borrador(edicion_2024, tmp_path):
    """Asked against the edition in force: a date before its own is refused now, in Spanish,
    and the draft imported for it goes too (both or neither)."""
    anterior = EDICION_2025.replace("vigente_desde: 2025-03-01", "vigente_desde: 2024-01-01")
    antes, desde = ediciones(), ultimo_evento()
    with pytest.raises(CommandError) as error:
        importar(tmp_path, anterior, "--publicar", "--usuario", "admin")
    assert str(error.value) == f"{tmp_path / 'edicion.yaml'} no se importó: " + str(
        exceptions.ERROR_FECHA_ANTERIOR % {"fecha": "2024-08-30", "version": "2024.1"}
    )
    assert ediciones() == antes
    assert not CambioPendiente.objects.exists()
    assert eventos_desde(desde) == []


def test_sin_publicar_importa_el_borrador_sin_pedir_nada(edicion_2024, tmp_path):
    """A draft is in force for nobody: importing it alone asks no one (as drafting in /admin/)."""
    importar(tmp_path, EDICION_2025)
    assert ediciones() == [
        ("2024.1", "vigente", datetime.date(2024, 8, 30), None),
        ("2025.1", "borrador", datetime.date(2025, 3, 1), None),
    ]
    assert not CambioPendiente.objects.exists()
