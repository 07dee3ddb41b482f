"""The dictamen of a signed request: its folio, its content's hash, its cadena original and a
real seal with the demo firmante's e.firma (the signed PDF is one shared placeholder)."""

import hashlib
import json

from dateutil.relativedelta import relativedelta
from django.conf import settings

from demo.historico.contexto import PDF_MUESTRA, Contexto
from dictamenes.emision.documentos import efirma
from dictamenes.emision.services import firma
from dictamenes.models import Dictamen

MOTIVOS = "Decisión con base en las opiniones de las áreas y la alineación al programa."


class Sello(Contexto):
    def _dictamen(self, lote, solicitud, resultado, condiciones, firmante, momento) -> Dictamen:
        anio = momento.astimezone(self.zona).year
        self.folios_dictamen[anio] = self.folios_dictamen.get(anio, 0) + 1
        folio = self.textos.folio_dictamen.format(anio=anio, numero=self.folios_dictamen[anio])
        contenido = json.dumps(
            {
                "solicitud": solicitud.folio,
                "ente": solicitud.ente.siglas,
                "resultado": resultado,
                "condiciones": condiciones,
                "monto": str(solicitud.monto_estimado),
            },
            ensure_ascii=False,
            sort_keys=True,
            separators=(",", ":"),
        ).encode()
        contenido_sha256 = hashlib.sha256(contenido).hexdigest()
        cadena = firma.cadena_original(
            folio=folio,
            momento=momento.astimezone(self.zona),
            ente=solicitud.ente.siglas,
            resultado=resultado,
            contenido_sha256=contenido_sha256,
            rfc=self.credencial.rfc,
            numero=self.credencial.numero,
        )
        dictamen = Dictamen(
            id=self.ids(Dictamen),
            solicitud_id=solicitud.pk,
            folio=folio,
            textos=self.textos,
            resultado=resultado,
            condiciones=condiciones,
            motivos=MOTIVOS,
            vigencia_hasta=momento.astimezone(self.zona).date()
            + relativedelta(months=settings.DICTAMENES_VIGENCIA_MESES),
            firmado_por=firmante,
            firmante_nombre=firmante.get_full_name(),
            firmante_cargo=firmante.perfil.cargo,
            emitido_en=momento,
            contenido_sha256=contenido_sha256,
            cadena_original=cadena,
            sello=efirma.sellar(credencial=self.credencial, cadena=cadena),
            certificado_numero=self.credencial.numero,
            certificado_rfc=self.credencial.rfc,
            certificado_pem=self.certificado_pem,
            pdf=PDF_MUESTRA,
            pdf_sha256=self.pdf_sha256,
        )
        lote.dictamenes.append(dictamen)
        return dictamen
