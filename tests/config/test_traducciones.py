"""The site's language answers gettext from one dict (config.traducciones): the same answer
the catalogue chain gives, for every string, and without walking the chain."""

import gettext as gettext_module

from django.utils import translation
from django.utils.translation import trans_real

from config import traducciones


def _cadena():
    """A translation built now, as Django builds it, and never flattened: the oracle."""
    return trans_real.DjangoTranslation("es-mx")


def test_cada_texto_de_cada_catalogo_se_traduce_igual_que_con_la_cadena():
    oraculo = _cadena()
    plana = _cadena()
    traducciones.aplanar(plana)
    textos = traducciones._msgids(oraculo)
    # Spanish texts of the site (in no catalogue), a context, an empty string's neighbours.
    textos |= {
        "Solicitudes pendientes de revisión",
        "Ayuda",
        "abbrev. month\x04May",
        "no existe\x04Mayo",
        "This field is required.",
        " ",
    }
    assert len(textos) > 1000
    distintos = {t: (plana.gettext(t), oraculo.gettext(t)) for t in textos}
    distintos = {t: par for t, par in distintos.items() if par[0] != par[1]}
    assert distintos == {}
    # A few answers checked by eye: a catalogue's, a fallback's (es), and one in none.
    assert plana.gettext("This field is required.") == "Este campo es requerido."
    assert plana.gettext("Ayuda") == "Ayuda"
    # Plural forms still come from the chain.
    for n in (0, 1, 2, 5, 1_000_000):
        assert plana.ngettext("%(num)d minute", "%(num)d minutes", n) == oraculo.ngettext(
            "%(num)d minute", "%(num)d minutes", n
        )


def test_la_pagina_traduce_con_la_traduccion_plana():
    """What a request's templates use: a text in no catalogue does not go down the chain."""
    llamadas = []
    original = gettext_module.GNUTranslations.gettext

    def contar(self, message):
        llamadas.append(message)
        return original(self, message)

    gettext_module.GNUTranslations.gettext = contar
    try:
        with translation.override("es-mx"):
            assert translation.gettext("Solicitudes pendientes de revisión") == (
                "Solicitudes pendientes de revisión"
            )
            assert translation.gettext("This field is required.") == "Este campo es requerido."
            assert translation.pgettext("abbrev. month", "May") == "Mayo"
    finally:
        gettext_module.GNUTranslations.gettext = original
    assert llamadas == []
