import textwrap

import pytest

from estandares import services
from estandares.models import Publicacion

EDICION_2024 = textwrap.dedent(
    """\
    publicacion:
      titulo: Estándares de prueba
      version: "2024.1"
      fecha_boletin: 2024-08-29
      vigente_desde: 2024-08-30
      notas: Solo para pruebas.
    categorias:
      - clave: computadora-escritorio
        nombre: Computadora de escritorio
        area: computo
        descripcion: Equipo de escritorio.
        perfiles:
          - clave: basico
            nombre: Básico
            descripcion: Ofimática.
            requisitos:
              - clave: ram
                nombre: Memoria RAM
                tipo: numero
                unidad: GB
                minimo: 16
                obligatorio: true
                fundamento: Numeral 1.1.2
              - clave: almacenamiento
                nombre: Tipo de almacenamiento
                tipo: opcion
                opciones: [SSD, NVMe]
                obligatorio: true
                fundamento: Numeral 1.1.3
              - clave: monitor
                nombre: Tamaño del monitor
                tipo: numero
                unidad: pulgadas
                minimo: 21
                maximo: 27.5
                obligatorio: false
                fundamento: Numeral 1.1.4
                ayuda: Diagonal visible.
      - clave: desarrollo-software
        nombre: Desarrollo de software
        area: software
        perfiles:
          - clave: institucional
            nombre: Sistema institucional
            requisitos:
              - clave: codigo_fuente
                nombre: El código fuente se entrega al Estado
                tipo: booleano
                obligatorio: true
                fundamento: Numeral 13.1.1
              - clave: garantia
                nombre: Descripción de la garantía
                tipo: declaracion
                obligatorio: true
                fundamento: Numeral 13.1.2
    """
)


@pytest.fixture
def areas(demo):
    """The demo's areas (computo and software among them) and no edition of the standards:
    these tests import, publish and compare editions of their own, starting with none."""
    Publicacion.objects.all().delete()


@pytest.fixture
def borrador(areas):
    return services.publicacion_importar(texto=EDICION_2024)


@pytest.fixture
def edicion_2024(borrador):
    return services.publicacion_publicar(publicacion=borrador)
