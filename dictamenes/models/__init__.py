"""Every model of the procedure lives in the dictamenes app, whose label carries the
permission codenames that viewflow and guardian store and the migrations. Split by concern;
import them from here."""

from dictamenes.models.auditoria import Aviso, Consecutivo, EventoAuditoria
from dictamenes.models.base import (
    CURP,
    ERROR_PERFIL_ENTE_Y_AREAS,
    RFC_PERSONA_FISICA,
    EtiquetasEnCache,
    Resultado,
    TipoOperacion,
)
from dictamenes.models.cambios import CambioPendiente
from dictamenes.models.capacidad import Ausencia, PlanGuardado, Refuerzo
from dictamenes.models.catalogos import Area, DiaInhabil, Ente, Perfil, PlazoEtapa, Sustitucion
from dictamenes.models.condiciones import Condicion, EvidenciaCondicion
from dictamenes.models.contratos import Contrato
from dictamenes.models.dictamenes import Dictamen, PdfAnterior, _ruta_dictamen
from dictamenes.models.encuestas import InvitacionEncuesta, RespuestaEncuesta, RespuestaEnEspera
from dictamenes.models.entes import EnteNombre
from dictamenes.models.huellas import EntregaOCDS, EntregaOCDSHistorica, HuellaConjunto
from dictamenes.models.identidad import AccesoPendiente, CuentaEmergencia
from dictamenes.models.operacion import CorridaPeriodica
from dictamenes.models.planeacion import LineaPrograma, ProgramaAnual
from dictamenes.models.precios import (
    CentroLey,
    Cotizacion,
    MetodoPrecio,
    PrecioObservado,
    ReferenciaPrecio,
    UnidadPrecio,
)
from dictamenes.models.senales import CodigoSenal, Entrega, Senal, SenalProveedor
from dictamenes.models.solicitudes import (
    Anexo,
    OpinionPartida,
    Partida,
    PeticionInformacion,
    ProcesoDictamen,
    RevisionArea,
    Solicitud,
    _ruta_anexo,
)
from dictamenes.models.textos import TextosInstitucionales
from dictamenes.models.vias import ConfiguracionVias, DecisionPartida, MotivoRechazo, Via

__all__ = [
    "CodigoSenal",
    "Entrega",
    "Senal",
    "SenalProveedor",
    "AccesoPendiente",
    "Ausencia",
    "CuentaEmergencia",
    "ERROR_PERFIL_ENTE_Y_AREAS",
    "CURP",
    "RFC_PERSONA_FISICA",
    "Anexo",
    "Area",
    "Aviso",
    "CambioPendiente",
    "ConfiguracionVias",
    "Cotizacion",
    "CentroLey",
    "MetodoPrecio",
    "PrecioObservado",
    "ReferenciaPrecio",
    "UnidadPrecio",
    "DecisionPartida",
    "MotivoRechazo",
    "Via",
    "Condicion",
    "Consecutivo",
    "Contrato",
    "CorridaPeriodica",
    "DiaInhabil",
    "Dictamen",
    "PdfAnterior",
    "PlanGuardado",
    "Ente",
    "EnteNombre",
    "EtiquetasEnCache",
    "EventoAuditoria",
    "EvidenciaCondicion",
    "HuellaConjunto",
    "EntregaOCDS",
    "EntregaOCDSHistorica",
    "InvitacionEncuesta",
    "RespuestaEncuesta",
    "RespuestaEnEspera",
    "LineaPrograma",
    "OpinionPartida",
    "Partida",
    "Perfil",
    "PeticionInformacion",
    "PlazoEtapa",
    "Refuerzo",
    "TextosInstitucionales",
    "ProcesoDictamen",
    "ProgramaAnual",
    "Resultado",
    "RevisionArea",
    "Solicitud",
    "Sustitucion",
    "TipoOperacion",
    "_ruta_anexo",
    "_ruta_dictamen",
]
