"""Issue 76, item 5: the law's price tests in the state's profile: an optional [precios] table
sets the central value, the two thresholds and the article cited, as a new version of the
tracks' rules through their door, after a second administrator approves the profile."""

import pytest
from django.core.management import CommandError

from dictamenes.models import ConfiguracionVias, EventoAuditoria
from tests.dictamenes.operacion.test_perfil_estado import PERFIL, cargar

pytestmark = pytest.mark.django_db

PRECIOS = """
[precios]
centro = "media"
no_aceptable_pct = 15
no_conveniente_pct = 35
fundamento = "Ley de Adquisiciones del Estado de Anáhuac, artículo 41"
"""


def _perfil(tmp_path, extra: str):
    (tmp_path / "estado_de_anahuac_membrete.png").write_bytes(
        (PERFIL.parent / "estado_de_anahuac_membrete.png").read_bytes()
    )
    archivo = tmp_path / "perfil.toml"
    texto = PERFIL.read_text(encoding="utf-8")
    # A table after the last [[areas]] would belong to it: [precios] goes before [plazos].
    archivo.write_text(texto.replace("[plazos]", extra.strip() + "\n\n[plazos]", 1), "utf-8")
    return archivo


def test_el_perfil_fija_las_pruebas_de_precio_de_la_ley(demo, tmp_path):
    antes = ConfiguracionVias.objects.vigentes()
    salida = cargar(_perfil(tmp_path, PRECIOS))
    vigente = ConfiguracionVias.objects.vigentes()
    assert vigente.version == antes.version + 1
    assert (
        vigente.ley_centro,
        vigente.ley_no_aceptable_pct,
        vigente.ley_no_conveniente_pct,
        vigente.ley_articulo,
    ) == ("media", 15, 35, "Ley de Adquisiciones del Estado de Anáhuac, artículo 41")
    # Everything else of the tracks' rules stays as it was.
    assert (vigente.umbral_monto, vigente.precio_senal_pct, vigente.contrato_tolerancia_pct) == (
        antes.umbral_monto,
        antes.precio_senal_pct,
        antes.contrato_tolerancia_pct,
    )
    # What the approver compared: each datum next to the one in force.
    assert "Ley de Adquisiciones del Estado de Anáhuac, artículo 41" in salida
    evento = EventoAuditoria.objects.filter(tipo="vias_revision").latest("numero")
    assert evento.descripcion == f"Vías de revisión: versión {vigente.version}"
    # Loaded again, nothing changes.
    cargar(_perfil(tmp_path, PRECIOS))
    assert ConfiguracionVias.objects.vigentes().version == vigente.version


@pytest.mark.parametrize(
    ("extra", "mensaje"),
    [
        (
            PRECIOS.replace('"media"', '"moda"'),
            "No se cargó nada. Elija como valor central de la investigación de mercado la media "
            "o la mediana de las cotizaciones válidas.",
        ),
        (
            PRECIOS + "tope = 3\n",
            "No se cargó nada. La clave «precios.tope» no existe; las claves son: centro, "
            "no_aceptable_pct, no_conveniente_pct, fundamento.",
        ),
        (
            PRECIOS.replace("no_aceptable_pct = 15", 'no_aceptable_pct = "15"'),
            "No se cargó nada. La clave «precios.no_aceptable_pct» debe ser un número entero.",
        ),
    ],
    ids=["centro", "clave", "tipo"],
)
def test_un_precio_malo_del_perfil_no_carga_nada(demo, tmp_path, extra, mensaje):
    antes = ConfiguracionVias.objects.vigentes().version
    with pytest.raises(CommandError) as error:
        cargar(_perfil(tmp_path, extra))
    assert str(error.value) == mensaje
    assert ConfiguracionVias.objects.vigentes().version == antes
