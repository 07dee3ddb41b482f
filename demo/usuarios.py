"""Demo data for `make run`: invented people, the agencies named in the seeds, the areas.

Local only: the passwords below are published in the README.
"""

from pathlib import Path

from django.conf import settings

from dictamenes.models import Ente
from dictamenes.roles import Rol

# The public demo password, a setting: a state's demo profile (dictamenes.operacion) gives
# its demo reviewers the same one without importing the demo.
CONTRASENA_DEMO = settings.DICTAMENES_CONTRASENA_DEMO

# An example edition of the standards, marked as such in the file: not the official text.
CATALOGO_ESTANDARES = Path(settings.BASE_DIR) / "estandares/datos/estandares_2024_ejemplo.yaml"

AREAS = [
    ("infraestructura", "Infraestructura y centros de datos"),
    ("redes", "Redes y telecomunicaciones"),
    ("seguridad", "Seguridad informática"),
    ("software", "Software y desarrollo"),
    ("computo", "Equipo de cómputo e impresión"),
]

DEP, ENT, DES = Ente.Tipo.DEPENDENCIA, Ente.Tipo.ENTIDAD, Ente.Tipo.DESCONCENTRADO
ENTES = [
    ("Secretaría de Hacienda", "SH", DEP),
    ("Dirección General del Registro Civil", "RC", DES),
    ("Instituto Catastral y Registral del Estado de Sonora", "ICRESON", ENT),
    (
        "Instituto de Seguridad y Servicios Sociales de los Trabajadores del Estado de Sonora",
        "ISSSTESON",
        ENT,
    ),
    ("Instituto de Crédito Educativo del Estado de Sonora", "ICEES", ENT),
    ("Secretaría de Salud", "SSALUD", DEP),
    ("Secretaría de Educación y Cultura", "SEC", DEP),
    (
        "Secretaría de Agricultura, Ganadería, Recursos Hidráulicos, Pesca y Acuacultura",
        "SAGARHPA",
        DEP,
    ),
    ("Secretaría de Seguridad Pública", "SSP", DEP),
    ("Secretaría de la Contraloría General", "SECOG", DEP),
    ("Consejería Jurídica del Poder Ejecutivo", "CJ", DEP),
    ("Comisión Estatal de Mejora Regulatoria del Estado de Sonora", "CEMERSON", DES),
    ("Instituto de Movilidad y Transporte del Estado de Sonora", "IMTES", ENT),
    (
        "Centro de Control, Comando, Comunicación, Cómputo, Coordinación e Inteligencia",
        "C5I",
        DES,
    ),
    ("Telefonía Rural de Sonora", "TRS", ENT),
    ("Oficialía Mayor", "OM", DEP),
]

# username, first name, last names, RFC, position, roles, agency acronym, area keys
USUARIOS = [
    (
        "requirente.sh",
        "Ana Laura",
        "Méndez Ruiz",
        "MERA850312AB1",
        "Titular de la Unidad de TIC",
        [Rol.REQUIRENTE],
        "SH",
        [],
    ),
    (
        "requirente.rc",
        "Jorge",
        "Salazar Ochoa",
        "SAOJ790825K27",
        "Jefe de Informática",
        [Rol.REQUIRENTE],
        "RC",
        [],
    ),
    (
        "mesa",
        "Patricia",
        "Valenzuela Ibarra",
        "VAIP880130QW3",
        "Analista de mesa de control",
        [Rol.MESA_CONTROL],
        None,
        [],
    ),
    (
        "revisor.infraestructura",
        "Ricardo",
        "Durazo Lugo",
        "DULR820417HJ5",
        "Especialista en centros de datos",
        [Rol.REVISOR_TECNICO],
        None,
        ["infraestructura"],
    ),
    (
        "revisor.redes",
        "Mónica",
        "Félix Quintero",
        "FEQM900611TR8",
        "Especialista en telecomunicaciones",
        [Rol.REVISOR_TECNICO],
        None,
        ["redes"],
    ),
    (
        "revisor.seguridad",
        "Héctor",
        "Armenta Soto",
        "AESH870909PL2",
        "Especialista en seguridad informática",
        [Rol.REVISOR_TECNICO],
        None,
        ["seguridad"],
    ),
    (
        "revisor.software",
        "Lucía",
        "Peña Bojórquez",
        "PEBL930222MN4",
        "Especialista en desarrollo de software",
        [Rol.REVISOR_TECNICO],
        None,
        ["software"],
    ),
    (
        "revisor.computo",
        "Óscar",
        "Núñez Valdez",
        "NUVO860704XZ9",
        "Especialista en equipo de cómputo",
        [Rol.REVISOR_TECNICO],
        None,
        ["computo"],
    ),
    (
        "estrategico",
        "Claudia",
        "Romo Encinas",
        "ROEC810115GH6",
        "Directora de Gobernanza Tecnológica",
        [Rol.REVISOR_ESTRATEGICO],
        None,
        [],
    ),
    (
        "firmante",
        "Alejandro",
        "Gastélum Torres",
        "GATA750503SD1",
        "Subsecretario de Gobierno Digital (demo)",
        [Rol.FIRMANTE],
        None,
        [],
    ),
    (
        "auditor",
        "Beatriz",
        "Córdova Leyva",
        "COLB840828VB7",
        "Auditora del Órgano Interno de Control",
        [Rol.AUDITOR],
        None,
        [],
    ),
    (
        "admin",
        "Fernando",
        "Ibarra Moreno",
        "IAMF800919CX3",
        "Administrador del sistema",
        [Rol.ADMINISTRADOR],
        None,
        [],
    ),
    # A second administrator: granting a role of the procedure, or changing someone's e-mail,
    # RFC or CURP, takes one to ask and another to approve (issue 33).
    (
        "admin2",
        "Silvia",
        "Robles Acuña",
        "ROAS830214JK8",
        "Administradora del sistema",
        [Rol.ADMINISTRADOR],
        None,
        [],
    ),
]
