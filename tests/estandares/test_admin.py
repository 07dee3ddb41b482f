import pytest
from django.urls import reverse

from estandares.models import Publicacion
from tests.conftest import entrar

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, demo, contrasena_demo):
    entrar(client, "admin", contrasena_demo)
    return client


@pytest.fixture
def borrador_demo(demo):
    from estandares import services
    from tests.estandares.conftest import EDICION_2024

    return services.publicacion_importar(texto=EDICION_2024, version="2026.1")


def _pedir_publicacion(client, borrador, fecha):
    return client.post(
        reverse("cuentas:ediciones"),
        {
            "publicacion": borrador.pk,
            f"b{borrador.pk}-vigente_desde": fecha,
            f"b{borrador.pk}-motivo": "Boletín oficial",
        },
    )


def _aprobar_como_admin2():
    from django.test import Client

    from dictamenes.models import CambioPendiente
    from tests.conftest import entrar

    otra = Client()
    entrar(otra, "admin2")
    cambio = CambioPendiente.objects.get(tipo="edicion", estado="pendiente")
    return otra.post(reverse("cuentas:cambio_resolver", args=[cambio.pk]), {"accion": "aprobar"})


def test_publicar_pide_la_aprobacion_de_otra_persona_y_usa_el_servicio(admin_client, borrador_demo):
    """The admin's «Publicar» sends to the page that asks for it (issue 48): the edition is
    published only when a second administrator approves."""
    url = reverse("admin:estandares_publicacion_publicar", args=[borrador_demo.pk])
    assert admin_client.get(url).url == reverse("cuentas:ediciones")
    pagina = admin_client.get(reverse("cuentas:ediciones"))
    assert "Borrador 2026.1" in pagina.content.decode()
    assert _pedir_publicacion(admin_client, borrador_demo, "2026-01-15").status_code == 302
    borrador_demo.refresh_from_db()
    assert borrador_demo.es_borrador  # asking is not publishing
    assert _aprobar_como_admin2().status_code == 302
    borrador_demo.refresh_from_db()
    assert borrador_demo.estado == Publicacion.Estado.VIGENTE
    # The demo edition it replaces is kept, derogada from that date.
    anterior = Publicacion.objects.get(version="2024.1")
    assert anterior.estado == Publicacion.Estado.DEROGADA
    assert str(anterior.vigente_hasta) == "2026-01-14"


def test_publicar_con_fecha_invalida_explica_el_motivo(admin_client, borrador_demo):
    from dictamenes.models import CambioPendiente

    response = _pedir_publicacion(admin_client, borrador_demo, "2020-01-01")
    assert response.status_code == 400
    assert "debe entrar en vigor después del 2024-08-30" in response.content.decode()
    assert not CambioPendiente.objects.exists()
    borrador_demo.refresh_from_db()
    assert borrador_demo.es_borrador


def test_una_edicion_publicada_es_de_solo_lectura_en_el_admin(admin_client):
    vigente = Publicacion.objects.get(version="2024.1")
    url = reverse("admin:estandares_publicacion_change", args=[vigente.pk])
    pagina = admin_client.get(url).content.decode()
    assert 'name="titulo"' not in pagina  # shown, not editable
    response = admin_client.post(url, {"titulo": "Cambiado", "version": "2024.1"})
    assert response.status_code == 403
    vigente.refresh_from_db()
    assert "Cambiado" not in vigente.titulo


def test_redactar_nueva_version_desde_el_admin(admin_client):
    vigente = Publicacion.objects.get(version="2024.1")
    url = reverse("admin:estandares_publicacion_nueva_version", args=[vigente.pk])
    response = admin_client.post(url, {"version": "2025.1", "titulo": ""})
    nueva = Publicacion.objects.get(version="2025.1")
    assert response.status_code == 302
    assert nueva.es_borrador
    assert nueva.categorias.count() == vigente.categorias.count()
    pagina = admin_client.get(reverse("admin:estandares_publicacion_change", args=[nueva.pk]))
    assert 'name="titulo"' in pagina.content.decode()
    # Drafting an edition is an admin write like any other: it is in the audit chain.
    from dictamenes.models import EventoAuditoria

    assert EventoAuditoria.objects.filter(tipo="admin_alta", datos__objeto=str(nueva.pk)).exists()


def test_un_requirente_no_administra_estandares(client, demo, contrasena_demo):
    entrar(client, "requirente.sh", contrasena_demo)
    vigente = Publicacion.objects.get(version="2024.1")
    url = reverse("admin:estandares_publicacion_nueva_version", args=[vigente.pk])
    assert client.post(url, {"version": "x"}).status_code == 302
    assert not Publicacion.objects.filter(version="x").exists()


def test_publicar_queda_en_la_cadena_de_auditoria_con_quien_publico(admin_client, borrador_demo):
    from dictamenes.comun.auditoria import cadena_verificar
    from dictamenes.models import EventoAuditoria

    antes = EventoAuditoria.objects.count()
    _pedir_publicacion(admin_client, borrador_demo, "2026-01-15")
    _aprobar_como_admin2()

    tipos = list(EventoAuditoria.objects.order_by("numero").values_list("tipo", flat=True))[antes:]
    assert tipos == ["cambio_pedido", "estandares_publicacion", "cambio_aprobado"]
    evento = EventoAuditoria.objects.filter(tipo="estandares_publicacion").latest("numero")
    assert evento.usuario.username == "admin"  # who asked; admin2's approval is its own event
    assert "2026.1" in evento.descripcion and "2026-01-15" in evento.descripcion
    assert evento.datos["derogadas"] == ["2024.1"]
    assert cadena_verificar().integra


def test_una_publicacion_que_falla_no_deja_evento(admin_client, borrador_demo):
    from dictamenes.models import EventoAuditoria

    antes = EventoAuditoria.objects.count()
    _pedir_publicacion(admin_client, borrador_demo, "2020-01-01")
    assert EventoAuditoria.objects.count() == antes
