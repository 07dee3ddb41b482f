import datetime

import pytest
from django.core.exceptions import ValidationError

from estandares import exceptions, selectors, services
from estandares.models import Categoria, EdicionPublicadaError, Perfil, Publicacion, Requisito

pytestmark = pytest.mark.django_db

D = datetime.date


def test_publicar_un_borrador_lo_pone_en_vigor(borrador):
    assert selectors.publicacion_vigente(fecha=D(2024, 9, 1)) is None
    services.publicacion_publicar(publicacion=borrador)
    borrador.refresh_from_db()
    assert borrador.estado == Publicacion.Estado.VIGENTE
    assert borrador.publicada_en is not None
    assert selectors.publicacion_vigente(fecha=D(2024, 9, 1)) == borrador
    assert selectors.publicacion_vigente(fecha=D(2024, 8, 29)) is None


@pytest.mark.parametrize(
    "escribir",
    [
        lambda p: Publicacion.objects.get(pk=p.pk).save(),
        lambda p: setattr(p, "titulo", "Otro") or p.save(update_fields=["titulo"]),
        lambda p: p.delete(),
        lambda p: Categoria.objects.filter(publicacion=p).first().save(),
        lambda p: Categoria.objects.filter(publicacion=p).first().delete(),
        lambda p: Perfil.objects.filter(categoria__publicacion=p).first().delete(),
        lambda p: Requisito.objects.filter(perfil__categoria__publicacion=p).first().save(),
        lambda p: Requisito.objects.create(
            perfil=Perfil.objects.filter(categoria__publicacion=p).first(),
            clave="nuevo",
            nombre="Nuevo",
            tipo="booleano",
            fundamento="x",
        ),
    ],
    ids=[
        "guardar-edicion",
        "cambiar-titulo",
        "borrar-edicion",
        "guardar-categoria",
        "borrar-categoria",
        "borrar-perfil",
        "guardar-requisito",
        "agregar-requisito",
    ],
)
def test_una_edicion_publicada_es_inmutable(edicion_2024, escribir):
    antes = selectors.publicacion_exportar(publicacion=edicion_2024)
    with pytest.raises(EdicionPublicadaError) as exc:
        escribir(edicion_2024)
    assert "ya está publicada y no puede modificarse" in exc.value.messages[0]
    despues = selectors.publicacion_exportar(
        publicacion=Publicacion.objects.get(pk=edicion_2024.pk)
    )
    assert despues == antes


def test_un_borrador_si_se_edita(borrador):
    requisito = Requisito.objects.get(clave="ram")
    requisito.minimo = 32
    requisito.save()
    assert Requisito.objects.get(clave="ram").minimo == 32


def test_nueva_version_copia_todo_y_se_publica_desde_una_fecha(edicion_2024):
    nueva = services.publicacion_nueva_version(base=edicion_2024, version="2025.1")
    assert nueva.es_borrador
    ram = Requisito.objects.get(clave="ram", perfil__categoria__publicacion=nueva)
    ram.minimo = 32
    ram.save()

    services.publicacion_publicar(publicacion=nueva, vigente_desde=D(2025, 3, 1))

    edicion_2024.refresh_from_db()
    assert edicion_2024.estado == Publicacion.Estado.DEROGADA
    assert edicion_2024.vigente_hasta == D(2025, 2, 28)
    # The old edition is kept, unchanged, and still judges dates before the new one.
    assert selectors.publicacion_vigente(fecha=D(2025, 2, 28)) == edicion_2024
    assert selectors.publicacion_vigente(fecha=D(2025, 3, 1)) == nueva
    assert (
        Requisito.objects.get(clave="ram", perfil__categoria__publicacion=edicion_2024).minimo == 16
    )
    assert Requisito.objects.filter(perfil__categoria__publicacion=nueva).count() == 5


def test_una_edicion_futura_no_desplaza_a_la_vigente_antes_de_su_fecha(edicion_2024):
    nueva = services.publicacion_nueva_version(base=edicion_2024, version="2030.1")
    services.publicacion_publicar(publicacion=nueva, vigente_desde=D(2030, 1, 1))
    assert selectors.publicacion_vigente(fecha=D(2029, 12, 31)) == edicion_2024
    assert selectors.publicacion_vigente(fecha=D(2030, 1, 1)) == nueva
    assert selectors.publicacion_vigente(fecha=D(2024, 1, 1)) is None


@pytest.mark.parametrize(
    ("fecha", "mensaje"),
    [
        (D(2024, 8, 30), "debe entrar en vigor después del 2024-08-30"),
        (D(2023, 1, 1), "debe entrar en vigor después del 2024-08-30"),
    ],
)
def test_no_se_publica_con_fecha_igual_o_anterior_a_la_vigente(edicion_2024, fecha, mensaje):
    nueva = services.publicacion_nueva_version(base=edicion_2024, version="2025.1")
    with pytest.raises(ValidationError, match=mensaje):
        services.publicacion_publicar(publicacion=nueva, vigente_desde=fecha)
    nueva.refresh_from_db()
    edicion_2024.refresh_from_db()
    assert nueva.es_borrador
    assert edicion_2024.estado == Publicacion.Estado.VIGENTE


def test_no_se_publica_dos_veces(edicion_2024):
    with pytest.raises(ValidationError) as exc:
        services.publicacion_publicar(publicacion=edicion_2024)
    assert str(exceptions.ERROR_NO_ES_BORRADOR) in exc.value.messages


def test_no_se_publica_un_perfil_sin_requisitos(borrador):
    Requisito.objects.filter(perfil__clave="institucional").delete()
    with pytest.raises(ValidationError, match="no tiene requisitos"):
        services.publicacion_publicar(publicacion=borrador)


def test_version_repetida(edicion_2024):
    with pytest.raises(ValidationError, match="Ya existe una edición con la versión 2024.1"):
        services.publicacion_nueva_version(base=edicion_2024, version="2024.1")


@pytest.mark.parametrize(
    ("campos", "error"),
    [
        ({"tipo": "numero", "unidad": "GB"}, "minimo"),
        ({"tipo": "numero", "minimo": 1}, "unidad"),
        ({"tipo": "numero", "unidad": "GB", "minimo": 9, "maximo": 1}, "maximo"),
        ({"tipo": "opcion", "opciones": ["SSD"]}, "opciones"),
        ({"tipo": "opcion", "opciones": ["SSD", "ssd"]}, "opciones"),
        ({"tipo": "booleano", "unidad": "GB"}, "unidad"),
        ({"tipo": "declaracion", "opciones": ["a", "b"]}, "opciones"),
    ],
)
def test_requisitos_mal_formados(borrador, campos, error):
    perfil = Perfil.objects.get(clave="basico")
    requisito = Requisito(perfil=perfil, clave="x", nombre="X", fundamento="f", **campos)
    with pytest.raises(ValidationError) as exc:
        requisito.full_clean()
    assert error in exc.value.message_dict
