"""The article that goes before a unit's name in a sentence (issue 61): «la Agencia… resolvió»,
«la persona titular del Instituto…». The institution's texts store it with each name
(TextosInstitucionales, `*_articulo`, beside this module); every page, e-mail, PDF and
message that writes one of those names after an article writes it here, so that «la
Instituto», «de el» and «a el» never appear. Templates use the `articulo` filter
(templatetags.institucion)."""

ARTICULOS = ("la", "el", "las", "los")
ARTICULO_INICIAL = "la"
# Spanish contracts these two, and only these: «del», «al».
CONTRACCIONES = {("de", "el"): "del", ("a", "el"): "al"}


class Nombre(str):
    """A name that knows its article: printed alone it is the bare name, as before."""

    articulo: str

    def __new__(cls, nombre: str, articulo: str = ARTICULO_INICIAL):
        nombre = super().__new__(cls, nombre)
        nombre.articulo = articulo if articulo in ARTICULOS else ARTICULO_INICIAL
        return nombre

    def __reduce__(self):
        return (Nombre, (str(self), self.articulo))


def con_articulo(nombre, preposicion: str = "", *, mayuscula: bool = False) -> str:
    """«la Agencia», «el Instituto»; after a preposition, contracted where Spanish contracts:
    «de la Agencia», «del Instituto», «al Instituto», «por el Instituto». The article is the
    one `nombre` carries (Nombre), else «la»; `mayuscula` for a sentence's start."""
    articulo = getattr(nombre, "articulo", ARTICULO_INICIAL)
    if articulo not in ARTICULOS:
        articulo = ARTICULO_INICIAL
    preposicion = preposicion.strip().lower()
    inicio = CONTRACCIONES.get((preposicion, articulo)) or " ".join(
        p for p in (preposicion, articulo) if p
    )
    texto = f"{inicio} {nombre}"
    return texto[:1].upper() + texto[1:] if mayuscula else texto
