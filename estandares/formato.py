"""The YAML layout of an edition, with line numbers kept for error messages.

    publicacion: {titulo, version, fecha_boletin, vigente_desde, notas}
    categorias:
      - {clave, nombre, area, descripcion, perfiles: [
          {clave, nombre, descripcion, requisitos: [
            {clave, nombre, tipo, unidad, minimo, maximo, opciones, obligatorio, fundamento,
             ayuda}]}]}

See estandares/datos/estandares_2024_ejemplo.yaml for a full example.
"""

from decimal import Decimal

import yaml

CAMPOS_PUBLICACION = ("titulo", "version", "fecha_boletin", "vigente_desde", "notas")
CAMPOS_CATEGORIA = ("clave", "nombre", "area", "descripcion", "perfiles")
CAMPOS_PERFIL = ("clave", "nombre", "descripcion", "requisitos")
CAMPOS_REQUISITO = (
    "clave",
    "nombre",
    "tipo",
    "unidad",
    "minimo",
    "maximo",
    "opciones",
    "obligatorio",
    "fundamento",
    "ayuda",
)


class Mapa(dict):
    """A YAML mapping that remembers the line of itself and of each key (1-based)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.linea = 0
        self.lineas: dict = {}

    def linea_de(self, campo) -> int:
        return self.lineas.get(campo, self.linea)


class _Cargador(yaml.SafeLoader):
    pass


def _construir_mapa(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Mapa:
    loader.flatten_mapping(node)
    mapa = Mapa()
    mapa.linea = node.start_mark.line + 1
    for nodo_clave, nodo_valor in node.value:
        clave = loader.construct_object(nodo_clave, deep=True)
        mapa[clave] = loader.construct_object(nodo_valor, deep=True)
        mapa.lineas[clave] = nodo_clave.start_mark.line + 1
    return mapa


_Cargador.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construir_mapa)


def leer(texto: str):
    """Parse YAML into Mapa/list/scalars. Raises yaml.YAMLError with a mark on bad syntax."""
    return yaml.load(texto, Loader=_Cargador)  # noqa: S506 - a SafeLoader subclass


def _numero(valor: Decimal | None):
    if valor is None:
        return None
    valor = valor.normalize()
    return int(valor) if valor == valor.to_integral_value() else float(valor)


def escribir(publicacion, categorias) -> str:
    """Serialise an edition; `categorias` come with perfiles and requisitos prefetched."""
    datos = {
        "publicacion": {
            "titulo": publicacion.titulo,
            "version": publicacion.version,
            "fecha_boletin": publicacion.fecha_boletin,
            "vigente_desde": publicacion.vigente_desde,
            "notas": publicacion.notas,
        },
        "categorias": [],
    }
    for categoria in categorias:
        datos_categoria = {
            "clave": categoria.clave,
            "nombre": categoria.nombre,
            "area": categoria.area.clave,
            "descripcion": categoria.descripcion,
            "perfiles": [],
        }
        for perfil in categoria.perfiles.all():
            datos_perfil = {
                "clave": perfil.clave,
                "nombre": perfil.nombre,
                "descripcion": perfil.descripcion,
                "requisitos": [],
            }
            for req in perfil.requisitos.all():
                datos_req = {"clave": req.clave, "nombre": req.nombre, "tipo": req.tipo}
                if req.tipo == "numero":
                    datos_req["unidad"] = req.unidad
                    if req.minimo is not None:
                        datos_req["minimo"] = _numero(req.minimo)
                    if req.maximo is not None:
                        datos_req["maximo"] = _numero(req.maximo)
                if req.tipo == "opcion":
                    datos_req["opciones"] = list(req.opciones)
                datos_req["obligatorio"] = req.obligatorio
                datos_req["fundamento"] = req.fundamento
                if req.ayuda:
                    datos_req["ayuda"] = req.ayuda
                datos_perfil["requisitos"].append(datos_req)
            datos_categoria["perfiles"].append(datos_perfil)
        datos["categorias"].append(datos_categoria)
    return yaml.safe_dump(datos, allow_unicode=True, sort_keys=False, width=100)
