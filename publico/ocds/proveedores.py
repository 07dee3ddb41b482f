"""The supplier in the OCDS releases (publico.ocds.entregas): its id, its name as published,
and, issue 88, a company's RFC as its identifier."""

import hashlib

from estandares.identidad import es_rfc_de_empresa
from publico.datos_personales import texto_publicable


def id_proveedor(nombre: str) -> str:
    """A supplier's id without a company's RFC: a digest of its published (masked) name; the
    same supplier has the same id in every process."""
    normal = " ".join(nombre.upper().split())
    return "MX-PROV-" + hashlib.sha256(normal.encode()).hexdigest()[:16]


# Issue 88: a company's RFC is its identifier, in org-id.guide's scheme for Mexico's SAT.
ESQUEMA_RFC = "MX-RFC"


def proveedor_de(datos: dict) -> tuple[dict, dict]:
    """The supplier an event names, as its reference (id and name: awards, payees) and its
    party. A company's RFC (12 characters) is its identifier and its id, so that one supplier
    written two ways is one party; a person's RFC is never published, nor is its name's digest
    made from it."""
    nombre = texto_publicable(datos.get("proveedor", ""))
    rfc = datos.get("proveedor_rfc", "")
    if es_rfc_de_empresa(rfc):
        ref = {"id": f"{ESQUEMA_RFC}-{rfc}", "name": nombre}
        identificador = {"scheme": ESQUEMA_RFC, "id": rfc, "legalName": nombre}
        return ref, {**ref, "identifier": identificador, "roles": ["supplier"]}
    ref = {"id": id_proveedor(nombre), "name": nombre}
    return ref, {**ref, "roles": ["supplier"]}


def id_de_parte(parte: dict) -> str:
    """A supplier party's id, worked out again from what it publishes (enmascarar)."""
    identificador = parte.get("identifier") or {}
    if identificador.get("scheme") == ESQUEMA_RFC and es_rfc_de_empresa(identificador.get("id")):
        return f"{ESQUEMA_RFC}-{identificador['id']}"
    return id_proveedor(parte["name"])
