"""Issue 59, item 4: the approver sees what changes. A state's profile shows every datum it
sets next to the one in force, texts in full, and the letterhead as images; a change of the
institution's texts shows its new image as an image, not as a hash."""

import io
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

from dictamenes.models import CambioPendiente
from dictamenes.operacion.services.cambios.tipos_perfil import PerfilEstado
from dictamenes.operacion.services.configuracion import configuracion_pedir
from dictamenes.operacion.services.perfil_estado import perfil_leer
from dictamenes.organizacion.selectors.textos import textos_vigentes
from tests.conftest import entrar
from tests.dictamenes.flujo_utils import usuario

pytestmark = pytest.mark.django_db

PERFIL = Path(__file__).resolve().parents[2] / "demo" / "perfiles" / "estado_de_anahuac.toml"


def _pedir_perfil():
    perfil = perfil_leer(PERFIL)
    return configuracion_pedir(
        tipo=CambioPendiente.Tipo.PERFIL,
        accion="cargar",
        pedido={
            **perfil,
            "membrete_imagen": PerfilEstado.guardar_imagen(perfil["membrete_imagen"]),
        },
        por=usuario("admin"),
        motivo="Adopción del estado de Anáhuac",
    )


def _filas(cambio) -> dict[str, dict]:
    return {f["campo"]: f for f in cambio.datos["filas"]}


def test_quien_aprueba_un_perfil_ve_cada_dato_junto_al_vigente(demo, client):
    vigentes = textos_vigentes()
    cambio = _pedir_perfil()
    filas = _filas(cambio)
    # Texts in full, next to the ones in force (read from the model, not from the change).
    institucion = filas["Nombre de la institución"]
    assert institucion["antes"] == vigentes.institucion
    assert institucion["despues"] == "Agencia de Gobierno Digital del Estado de Anáhuac"
    fundamentos = filas["Fundamento legal"]
    assert fundamentos["antes"] == vigentes.fundamentos
    assert fundamentos["despues"].count("\n") >= 1  # every line of the legal basis, in full
    # Nothing reads «—» as the value in force when there is one.
    assert not [c for c, f in filas.items() if f["antes"] == "—" and f["cambia"]], filas
    assert cambio.datos["acciones"]  # what it will do, apart from the data

    entrar(client, "admin2")
    pagina = client.get(reverse("cuentas:cambios")).content.decode()
    assert vigentes.institucion in pagina
    assert "Agencia de Gobierno Digital del Estado de Anáhuac" in pagina
    antes = reverse("cuentas:cambio_imagen", args=[cambio.pk, "antes"])
    despues = reverse("cuentas:cambio_imagen", args=[cambio.pk, "despues"])
    assert f'src="{despues}"' in pagina
    respuesta = client.get(despues)
    assert respuesta.status_code == 200 and respuesta["Content-Type"] == "image/png"
    contenido = b"".join(respuesta.streaming_content)
    assert contenido == (PERFIL.parent / "estado_de_anahuac_membrete.png").read_bytes()
    # The image in force, when there is one, is shown beside it.
    if vigentes.membrete_imagen:
        assert f'src="{antes}"' in pagina
        assert client.get(antes).status_code == 200
    else:
        assert client.get(antes).status_code == 404


def _png(ancho=40, alto=20) -> bytes:
    salida = io.BytesIO()
    Image.new("RGB", (ancho, alto), (0, 90, 60)).save(salida, format="PNG")
    return salida.getvalue()


def test_una_imagen_nueva_del_membrete_se_ve_como_imagen(demo, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dictamenes.organizacion.services import textos as textos_servicio

    vigentes = textos_vigentes()
    pedido = {c: getattr(vigentes, c) for c in textos_servicio.CAMPOS}
    png = _png()
    cambio = configuracion_pedir(
        tipo=CambioPendiente.Tipo.TEXTOS,
        pedido=pedido,
        por=usuario("admin"),
        motivo="Nuevo escudo",
        archivo=SimpleUploadedFile("escudo.png", png, content_type="image/png"),
    )
    entrar(client, "admin2")
    pagina = client.get(reverse("cuentas:cambios")).content.decode()
    despues = reverse("cuentas:cambio_imagen", args=[cambio.pk, "despues"])
    assert f'src="{despues}"' in pagina
    assert b"".join(client.get(despues).streaming_content) == png
    # Only administrators read it.
    for username in ("mesa", "auditor", "requirente.sh"):
        entrar(client, username)
        assert client.get(despues).status_code == 403
    # Another kind of change has no image.
    entrar(client, "admin2")
    otro = CambioPendiente.objects.create(
        tipo=CambioPendiente.Tipo.VIAS,
        pedido_por=usuario("admin"),
        motivo="Nuevo membrete del gobierno",
        datos={"titulo": "x", "filas": [], "pedido": {"imagen": cambio.datos["pedido"]["imagen"]}},
    )
    assert (
        client.get(reverse("cuentas:cambio_imagen", args=[otro.pk, "despues"])).status_code == 404
    )
