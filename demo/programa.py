"""Demo annual programmes for the current year: what the agencies planned, month by month,
so that the consolidation page and the linking of requests have something to show."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from dictamenes.models import ProgramaAnual
from dictamenes.planeacion.services import programa

# agency requirente, [(category, profile, description, qty, amount, chapter, partida, month)]
PROGRAMAS = {
    "requirente.sh": [
        (
            "firewall-nueva-generacion",
            "",
            "Firewall perimetral con licenciamiento",
            2,
            "2100000",
            "5000",
            "51501",
            3,
        ),
        (
            "servicio-internet",
            "",
            "Enlaces dedicados para oficinas regionales",
            12,
            "960000",
            "3000",
            "31701",
            2,
        ),
        (
            "licencia-software",
            "",
            "Licencias de correo institucional",
            220,
            "410000",
            "3000",
            "32701",
            5,
        ),
        (
            "licencia-software",
            "",
            "Licencias de antivirus con consola",
            600,
            "420000",
            "3000",
            "32701",
            11,
        ),
        (
            "impresora-multifuncional",
            "",
            "Servicio de impresión departamental",
            25,
            "380000",
            "3000",
            "32301",
            6,
        ),
        (
            "servicio-centro-datos",
            "",
            "Servicio integral de centro de datos",
            1,
            "5400000",
            "3000",
            "31904",
            4,
        ),
        (
            "computadora-portatil",
            "",
            "Portátiles para personal de campo",
            40,
            "1000000",
            "5000",
            "51501",
            12,
        ),
        (
            "punto-acceso",
            "",
            "Puntos de acceso para oficinas regionales",
            30,
            "450000",
            "5000",
            "51501",
            12,
        ),
    ],
    "requirente.rc": [
        (
            "computadora-escritorio",
            "basico",
            "Computadoras para ventanillas",
            90,
            "1350000",
            "5000",
            "51501",
            7,
        ),
        (
            "licencia-software",
            "",
            "Licencias de correo institucional",
            350,
            "630000",
            "3000",
            "32701",
            8,
        ),
        ("desarrollo-software", "", "Sistema de citas en línea", 1, "850000", "3000", "33301", 9),
        ("telefonia-ip", "", "Teléfonos IP para una dirección", 60, "240000", "5000", "51501", 10),
        (
            "servicio-internet",
            "",
            "Enlaces para oficialías municipales",
            20,
            "600000",
            "3000",
            "31701",
            12,
        ),
    ],
}


def cargar() -> int:
    anio = timezone.localdate().year
    User = get_user_model()
    creados = 0
    for username, lineas in PROGRAMAS.items():
        usuario = User.objects.get(username=username)
        ente = usuario.perfil.ente
        if ProgramaAnual.objects.filter(ente=ente, ejercicio=anio).exists():
            continue
        texto = (
            ",".join(programa.NOMBRES)
            + "\n"
            + "".join(",".join(str(v) for v in linea) + "\n" for linea in lineas)
        )
        programa.programa_importar(
            ente=ente,
            ejercicio=anio,
            usuario=usuario,
            nombre="programa.csv",
            contenido=texto.encode(),
        )
        creados += 1
    return creados
