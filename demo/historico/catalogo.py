"""What a request of the history is about: its type of operation, its title and its result,
with the weights both histories draw them with (historico_anual's imported years and the
generated ones)."""

from dictamenes.models import Resultado, TipoOperacion

TIPOS = [
    (TipoOperacion.ADQUISICION, 45),
    (TipoOperacion.RENOVACION, 15),
    (TipoOperacion.SERVICIO, 15),
    (TipoOperacion.DESARROLLO, 12),
    (TipoOperacion.ARRENDAMIENTO, 8),
    (TipoOperacion.BAJA, 5),
]
RESULTADOS = [(Resultado.FAVORABLE, 70), (Resultado.CONDICIONADO, 20), (Resultado.NO_FAVORABLE, 10)]
TITULOS = {
    TipoOperacion.ADQUISICION: "Adquisición de equipo de cómputo",
    TipoOperacion.RENOVACION: "Renovación de licenciamiento",
    TipoOperacion.SERVICIO: "Contratación de servicio de enlace",
    TipoOperacion.DESARROLLO: "Desarrollo de sistema institucional",
    TipoOperacion.ARRENDAMIENTO: "Arrendamiento de equipo de impresión",
    TipoOperacion.BAJA: "Baja de bienes informáticos",
}


def elegir(azar, pares):
    return azar.choices([v for v, _ in pares], weights=[p for _, p in pares])[0]
