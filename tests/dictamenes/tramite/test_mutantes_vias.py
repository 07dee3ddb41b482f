"""The folios a split purchase names, as the reason of the track reads them (issue 79, item
5: a mutant of lista_de_folios that no test told apart). Written out by hand."""

from decimal import Decimal as D

from dictamenes.models import ConfiguracionVias
from dictamenes.models.vias import CriterioFraccion, Via
from dictamenes.tramite.reglas.vias import (
    FAMILIA,
    INACTIVA,
    Fraccion,
    Hermana,
    PartidaParaVia,
    familias_de,
    lista_de_folios,
    via_evaluar,
    via_que_corresponde,
)
from estandares.cumplimiento import Veredicto


def test_los_folios_de_un_fraccionamiento_se_leen_en_espanol():
    assert lista_de_folios([]) == ""
    assert lista_de_folios(["SOL-2026-0001"]) == "SOL-2026-0001"
    assert lista_de_folios(["SOL-2026-0001", "SOL-2026-0007"]) == "SOL-2026-0001 y SOL-2026-0007"
    assert lista_de_folios(["A-1", "A-2", "A-3"]) == "A-1, A-2 y A-3"


def test_la_via_que_guarda_la_simulacion_dice_el_fraccionamiento_con_la_solicitud_hermana():
    # $400,000.00 of laptops here and $200,000.00 of laptops in SOL-1 add up to $600,000.00,
    # past the $500,000.00 threshold: a possible split purchase, so the full track, and the
    # last reason names SOL-1. Without SOL-1 the request would go by the fast track.
    config = ConfiguracionVias(**ConfiguracionVias.objects.iniciales())
    mia = PartidaParaVia("Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, importe=D(400000))
    otra = PartidaParaVia("Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, importe=D(200000))
    via, razones = via_que_corresponde(
        partidas=[mia], config=config, hermanas=[Hermana("SOL-1", otra)]
    )
    assert via == Via.COMPLETA
    assert len(razones) == 4 and "SOL-1" in razones[3] and "$600,000.00" in razones[3]
    assert via_que_corresponde(partidas=[mia], config=config)[0] == Via.RAPIDA


def test_una_categoria_sin_hermana_no_oculta_el_fraccionamiento_de_la_siguiente():
    # Laptops ($100,000.00, no other request has any) come first; servers ($100,000.00 here,
    # $450,000.00 in SOL-9) add up to $550,000.00, past the threshold.
    config = ConfiguracionVias(**ConfiguracionVias.objects.iniciales())
    laptops = PartidaParaVia(
        "Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, importe=D(100000)
    )
    servidores = PartidaParaVia(
        "Servidores", "servidor", "Servidor", True, Veredicto.CUMPLE, importe=D(100000)
    )
    otra = PartidaParaVia(
        "Servidores", "servidor", "Servidor", True, Veredicto.CUMPLE, importe=D(450000)
    )
    via, razones = via_que_corresponde(
        partidas=[laptops, servidores], config=config, hermanas=[Hermana("SOL-9", otra)]
    )
    assert via == Via.COMPLETA and "SOL-9" in razones[3] and "$550,000.00" in razones[3]


def test_por_perfil_dos_perfiles_de_la_misma_categoria_no_se_suman():
    # The agency compares by technical profile: $400,000.00 of basic laptops here and
    # $200,000.00 of workstation laptops in SOL-3 are two profiles of one category, so they do
    # not add up to the $500,000.00 threshold (by category they would): the fast track.
    config = ConfiguracionVias(**ConfiguracionVias.objects.iniciales())
    config.fraccion_criterio = CriterioFraccion.PERFIL
    mia = PartidaParaVia(
        "Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, "basica", "Básica", D(400000)
    )
    otra = PartidaParaVia(
        "Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, "estacion", "Estación", D(200000)
    )
    assert (
        via_que_corresponde(partidas=[mia], config=config, hermanas=[Hermana("SOL-3", otra)])[0]
        == Via.RAPIDA
    )
    # The same profile in SOL-3 does add up.
    igual = PartidaParaVia(
        "Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, "basica", "Básica", D(200000)
    )
    via, razones = via_que_corresponde(
        partidas=[mia], config=config, hermanas=[Hermana("SOL-3", igual)]
    )
    assert via == Via.COMPLETA and "SOL-3" in razones[3] and "Básica" in razones[3]


def test_el_fraccionamiento_dice_que_ata_las_solicitudes_segun_su_criterio():
    # The reason on the request's page names what ties the requests: the category, the
    # technical profile, or the family of categories (issue 59, item 5), each in its words.
    def razon(criterio, nombre):
        fraccion = Fraccion(criterio=criterio, nombre=nombre, folios=("SH-1",), suma=D("600000"))
        return fraccion.razon(umbral="$500,000.00")

    assert razon(CriterioFraccion.CATEGORIA, "Cómputo") == (
        "Posible fraccionamiento: con SH-1, de la misma categoría «Cómputo», suman $600,000.00, "
        "que no es menor al umbral de $500,000.00 de la vía rápida."
    )
    assert "del mismo perfil técnico «Laptop»," in razon(CriterioFraccion.PERFIL, "Laptop")
    assert "de la misma familia de categorías «Equipo»," in razon(FAMILIA, "Equipo")


def test_con_la_via_rapida_inactiva_toda_solicitud_va_a_la_completa_y_lo_dice():
    config = ConfiguracionVias(**ConfiguracionVias.objects.iniciales())
    config.rapida_activa = False
    mia = PartidaParaVia("Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, importe=D(1000))
    decidida = via_evaluar(partidas=[mia], config=config)
    assert (decidida.via, decidida.razones) == (Via.COMPLETA, [str(INACTIVA)])


def test_una_partida_sin_autoevaluacion_se_dice_con_una_raya():
    # An item whose self-evaluation is missing (no verdict the standards know) keeps the fast
    # track away, and the reason says «—» for its verdict.
    config = ConfiguracionVias(**ConfiguracionVias.objects.iniciales())
    sin = PartidaParaVia("Laptops", "laptop", "Laptop", True, "", importe=D(1000))
    via, razones = via_que_corresponde(partidas=[sin], config=config)
    assert via == Via.COMPLETA
    assert "La autoevaluación de la partida «Laptops» da «—»." in razones[1]


def test_las_familias_de_categorias_se_leen_de_la_version_de_las_vias():
    config = ConfiguracionVias(**ConfiguracionVias.objects.iniciales())
    config.fraccion_familias = [{"nombre": "Equipo", "categorias": ["laptop", "servidor"]}]
    assert familias_de(config) == {"laptop": "Equipo", "servidor": "Equipo"}
    config.fraccion_familias = None
    assert familias_de(config) == {}


def _familia(criterio):
    config = ConfiguracionVias(**ConfiguracionVias.objects.iniciales())
    config.fraccion_criterio = criterio
    config.fraccion_familias = [{"nombre": "Equipo", "categorias": ["laptop", "servidor"]}]
    return config


def test_dos_categorias_de_una_familia_se_suman_y_la_razon_nombra_la_familia():
    # $300,000.00 of laptops here, $250,000.00 of servers in SOL-5: one family (issue 59,
    # item 5), $550,000.00 past the $500,000.00 threshold; the reason names the family.
    mia = PartidaParaVia("Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, importe=D(300000))
    otra = PartidaParaVia(
        "Servidores", "servidor", "Servidor", True, Veredicto.CUMPLE, importe=D(250000)
    )
    config = _familia(CriterioFraccion.CATEGORIA)
    via, razones = via_que_corresponde(
        partidas=[mia], config=config, hermanas=[Hermana("SOL-5", otra)]
    )
    assert via == Via.COMPLETA
    assert razones[3] == (
        "Posible fraccionamiento: con SOL-5, de la misma familia de categorías «Equipo», suman "
        "$550,000.00, que no es menor al umbral de $500,000.00 de la vía rápida."
    )
    # By technical profile the families do not apply: a laptop and a server are two profiles.
    por_perfil = _familia(CriterioFraccion.PERFIL)
    assert via_que_corresponde(
        partidas=[mia], config=por_perfil, hermanas=[Hermana("SOL-5", otra)]
    ) == (Via.RAPIDA, via_que_corresponde(partidas=[mia], config=por_perfil)[1])


def test_las_partidas_propias_de_una_categoria_se_suman_todas():
    # Two items of laptops here ($200,000.00 and $150,000.00) and $200,000.00 in SOL-2:
    # $550,000.00, past the threshold.
    config = ConfiguracionVias(**ConfiguracionVias.objects.iniciales())
    una = PartidaParaVia("Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, importe=D(200000))
    dos = PartidaParaVia("Laptops B", "laptop", "Laptop", True, Veredicto.CUMPLE, importe=D(150000))
    otra = PartidaParaVia("Laptops", "laptop", "Laptop", True, Veredicto.CUMPLE, importe=D(200000))
    via, razones = via_que_corresponde(
        partidas=[una, dos], config=config, hermanas=[Hermana("SOL-2", otra)]
    )
    assert via == Via.COMPLETA and "suman $550,000.00" in razones[3]
