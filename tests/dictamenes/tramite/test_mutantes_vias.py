"""The folios a split purchase names, as the reason of the track reads them (issue 79, item
5: a mutant of lista_de_folios that no test told apart). Written out by hand."""

from dictamenes.tramite.reglas.vias import lista_de_folios


def test_los_folios_de_un_fraccionamiento_se_leen_en_espanol():
    assert lista_de_folios([]) == ""
    assert lista_de_folios(["SOL-2026-0001"]) == "SOL-2026-0001"
    assert lista_de_folios(["SOL-2026-0001", "SOL-2026-0007"]) == "SOL-2026-0001 y SOL-2026-0007"
    assert lista_de_folios(["A-1", "A-2", "A-3"]) == "A-1, A-2 y A-3"
