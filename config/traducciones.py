"""One lookup per `{% translate %}` instead of seventeen.

The interface is written in Spanish, so most strings a template translates are in no
catalogue. Django builds the language's catalogue for es-mx as a `TranslationCatalog` of one
dict per application catalogue whose plural formula differs (eleven here: Django 5.2 compares
a code object to a function when it merges them, so it never merges), and Python's gettext
chains, as fallbacks, the `es` catalogue of each application that also ships `es_MX` (Django's
own, admin, auth, contenttypes, sessions, humanize: six). A string that is in none of them
went through the eleven dicts twice (the msgid, then the msgid as a plural's first form) and
then through each fallback in turn: seven `gettext` calls and about thirty dict lookups, the
same for the sixty to two hundred strings of every page.

`aplanar()` asks that chain, once at start-up, for every msgid any catalogue of the chain
holds, keeps the answers in one dict, and lets the language's translation answer `gettext`
from it: a msgid the chain knows gets the chain's own answer, and one it does not know comes
back unchanged, as the chain would return it. Nothing else changes: the catalogue and its
fallbacks stay where they were for plural forms (`ngettext`, rare), the JavaScript catalogue
and anything else that reads them, and a language activated later (or again, after a test
changes the languages) simply walks the chain as before.
"""

from django.conf import settings
from django.utils.translation import trans_real


def _msgids(traduccion) -> set[str]:
    """Every msgid of the translation's catalogue and of its fallbacks, plural entries
    ((msgid, form) keys) included."""
    msgids: set[str] = set()
    actual = traduccion
    while actual is not None:
        catalogo = getattr(actual, "_catalog", None)
        if catalogo is not None:
            for clave in catalogo.keys():  # noqa: SIM118 (TranslationCatalog has no __iter__)
                msgids.add(clave[0] if isinstance(clave, tuple) else clave)
        actual = getattr(actual, "_fallback", None)
    return msgids


def aplanar(traduccion) -> None:
    """Answer `traduccion.gettext` from one dict holding the chain's own answers."""
    cadena = type(traduccion).gettext  # the chain: catalogue, then each fallback
    respuestas = {m: cadena(traduccion, m) for m in _msgids(traduccion)}
    buscar = respuestas.get

    def gettext(message):
        return buscar(message, message)

    traduccion.gettext = gettext


def aplanar_idiomas() -> None:
    """Flatten the site's languages (es-mx) once the applications' catalogues can be read."""
    for codigo, _nombre in settings.LANGUAGES:
        aplanar(trans_real.translation(codigo))
