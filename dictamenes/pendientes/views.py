"""The home page: what anyone sees before entering, and each person's pending work and panels
after."""

import datetime

from django.shortcuts import render
from django.utils import timezone

from dictamenes.comun import cache
from dictamenes.organizacion.selectors import usuarios
from dictamenes.organizacion.selectors.revisores import revisores_sin_area
from dictamenes.pendientes import selectors as pendientes
from dictamenes.roles import Rol
from dictamenes.seguimiento.selectors.contratos import senalados_recientes

# Who is told the year's cut-off date: those who present requests, and the mesa de control
# that receives them.
VEN_EL_CORTE = {Rol.REQUIRENTE, Rol.MESA_CONTROL}
# Who reads the contracts signalled lately on their home (issue 61: the signer and the
# administrators as well as the strategic reviewer and the auditor), and how far back.
VEN_CONTRATOS_SENALADOS = {Rol.REVISOR_ESTRATEGICO, Rol.FIRMANTE, Rol.AUDITOR, Rol.ADMINISTRADOR}
DIAS_CONTRATOS_SENALADOS = 30


def inicio(request):
    """Home: the public front door, or the person's pending work («Pendientes») and one panel
    per role they hold. Requirentes and the mesa also read the year's cut-off date, after
    which a request may not be dictaminated this fiscal year, and whether it has passed; those
    told of signalled contracts read the latest ones."""
    if not request.user.is_authenticated:
        return render(request, "inicio_publico.html")
    # The data's version read once for everything kept by it on this page.
    with cache.version_fija():
        return _inicio(request)


def _inicio(request):
    from dictamenes.planeacion.services.programa import fecha_corte

    roles = set(usuarios.roles_de(usuario=request.user))
    contexto = {
        "paneles": usuarios.paneles_de_inicio(usuario=request.user),
        "pendientes": pendientes.pendientes_de(usuario=request.user) if roles else [],
        "sin_pendientes": pendientes.NADA,
    }
    if Rol.ADMINISTRADOR in roles:
        # Reviewers who can review nothing (issue 60): the administrators give them an area.
        contexto["sin_area"] = revisores_sin_area()
    if roles & VEN_CONTRATOS_SENALADOS:
        # Since the start of the day DIAS_CONTRATOS_SENALADOS days back: the same panel all
        # day, kept per version of the data (a contract is recorded through its door, which
        # writes an event): two queries on the first visit after a change, none after.
        desde = datetime.datetime.combine(
            timezone.localdate() - datetime.timedelta(days=DIAS_CONTRATOS_SENALADOS),
            datetime.time.min,
            tzinfo=timezone.get_current_timezone(),
        )
        contexto["contratos_senalados"] = cache.memorizar(
            "contratos-senalados",
            desde.isoformat(),
            calcular=lambda: senalados_recientes(desde=desde),
        )
        contexto["dias_contratos_senalados"] = DIAS_CONTRATOS_SENALADOS
    if roles & VEN_EL_CORTE:
        contexto["corte"] = fecha_corte()
        contexto["corte_paso"] = timezone.localdate() > contexto["corte"]
    return render(request, "inicio.html", contexto)
