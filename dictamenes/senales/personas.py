"""Who signs a quote, without keeping who (issue 80): the sign of cover quotes looks for two
suppliers' quotes signed by the same person (Cardinal's R044, «business similarities between
suppliers»), and for that only a keyed hash of the name is kept (Cotizacion.firmante_huella).
The name itself is read once, by the quote's door (cotizaciones.services), and never
stored, logged or shown: the hash tells «the same person» and nothing else, and without the
server's key nobody can test a guess of a name against it."""

from django.utils.crypto import salted_hmac

from estandares.identidad import persona_canonica

SAL = "senales.firmante"


def huella_de_persona(nombre: str) -> str:
    """HMAC-SHA256 (hex, 64 characters) of the name in its canonical form
    (estandares.identidad.persona_canonica: «  José   PÉREZ » and «jose perez» are one), keyed
    with SECRET_KEY; "" for no name."""
    normalizado = persona_canonica(nombre)
    if not normalizado:
        return ""
    return salted_hmac(key_salt=SAL, value=normalizado, algorithm="sha256").hexdigest()
