"""The dictamen's verification QR code, drawn as vector squares
(dictamenes.emision.documentos.pdf)."""

import segno
from reportlab.lib.rl_accel import fp_str
from reportlab.platypus import Flowable

# What reportlab's graphics renderer wrote for a Drawing of filled rectangles: its initial
# state (stroke and fill colour, line style, then the default font) and, for each rectangle,
# a saved and restored state with the fill and line settings. _Qr writes the same operators.
QR_ESTADO = (
    "1 0 0 1 0 0 cm",
    "0 0 0 RG",
    "1 w",
    "0 J",
    "0 j",
    "[] 0 d",
    "0 0 0 rg",
)
QR_MODULO = "q\n0 0 0 rg\n0 w\n0 J\n0 j\n[] 0 d\nn %s re f*\nQ"


class Qr(Flowable):
    """The verification QR as vector squares. segno encodes it (reportlab's own encoder took
    tens of milliseconds per dictamen choosing the mask); each run of dark modules in a row is
    one filled rectangle, inside the standard quiet zone of four modules.

    It used to be a reportlab Drawing with one Rect per run, and building those shapes and
    replaying the renderer's state machine for each was half the time of rendering the whole
    dictamen. The operators are now written directly, exactly as the renderer wrote them but
    for its default font, which drew nothing."""

    def __init__(self, url: str, lado: float):
        super().__init__()
        self.url = url
        self.width = self.height = lado

    def wrap(self, ancho_disponible, alto_disponible):
        return self.width, self.height

    def _rectangulos(self) -> list[str]:
        matriz = segno.make(self.url, error="m").matrix
        borde = 4
        lado = self.width
        modulo = lado / (len(matriz) + 2 * borde)
        # reportlab's number formatting (pure Python here) is memoised per coordinate: the
        # same few multiples of the module size repeat over the whole symbol.
        numeros: dict[float, str] = {}

        def numero(valor: float) -> str:
            texto = numeros.get(valor)
            if texto is None:
                texto = numeros[valor] = fp_str(valor)
            return texto

        rectangulos = []
        for y, fila in enumerate(matriz):
            x = 0
            while x < len(fila):
                if not fila[x]:
                    x += 1
                    continue
                inicio = x
                while x < len(fila) and fila[x]:
                    x += 1
                rectangulos.append(
                    QR_MODULO
                    % " ".join(
                        (
                            numero((borde + inicio) * modulo),
                            numero(lado - (borde + y + 1) * modulo),
                            numero((x - inicio) * modulo),
                            numero(modulo),
                        )
                    )
                )
        return rectangulos

    def draw(self):
        lienzo = self.canv
        lienzo.saveState()
        for operador in QR_ESTADO:
            lienzo.addLiteral(operador)
        # The renderer also set its default font here, Helvetica, which drew nothing but
        # named a font the PDF did not embed.
        lienzo.saveState()
        lienzo.addLiteral("1 0 0 1 0 0 cm")
        lienzo.addLiteral("\n".join(self._rectangulos()))
        lienzo.restoreState()
        lienzo.restoreState()
