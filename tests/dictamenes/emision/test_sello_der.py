"""A timestamp token whose DER length ends in the byte 0x80 is embedded as it came, without
asn1crypto encoding it again at every dump (wbond/asn1crypto#249): the same bytes, once."""

import asyncio

import pytest
from asn1crypto import cms, core
from pyhanko.sign.general import simple_cms_attribute
from pyhanko.sign.timestamps.requests_client import RequestsHTTPTimeStamper

from dictamenes.emision.documentos import sello_tiempo


def _token_de_largo_0x80() -> bytes:
    """A ContentInfo whose length is 0x0180 (384 bytes): its header is 30 82 01 80."""
    token = cms.ContentInfo({"content_type": "data", "content": core.OctetString(b"x" * 365)})
    der = token.dump()
    assert der[:4] == bytes.fromhex("30820180")
    return der


@pytest.fixture
def tsa(settings, monkeypatch):
    """The TSA client of the settings, answering with that token (parsed, as pyHanko
    gives it), and a count of the times asn1crypto encodes a ContentInfo again."""
    settings.DICTAMENES_TSA = {**settings.DICTAMENES_TSA, "URL": "http://127.0.0.1:9/tsa"}
    der = _token_de_largo_0x80()

    async def responder(self, message_digest, md_algorithm):
        return cms.ContentInfo.load(der)

    monkeypatch.setattr(RequestsHTTPTimeStamper, "async_timestamp", responder)
    codificaciones = []
    original = cms.ContentInfo._set_contents

    def contar(self, force=False):
        codificaciones.append(force)
        return original(self, force=force)

    monkeypatch.setattr(cms.ContentInfo, "_set_contents", contar)
    return der, codificaciones


def test_el_sello_de_largo_0x80_se_incrusta_tal_cual_sin_codificarse_de_nuevo(tsa):
    der, codificaciones = tsa
    # asn1crypto alone encodes it again at every dump: what the signature paid.
    suelto = cms.ContentInfo.load(der)
    for _ in range(3):
        assert suelto.dump() == der
    assert len(codificaciones) == 3

    codificaciones.clear()
    token = asyncio.run(sello_tiempo.sellador().async_timestamp(b"\0" * 32, "sha256"))
    assert token.dump() == der
    atributo = simple_cms_attribute("signature_time_stamp_token", token)
    for _ in range(5):
        assert token.dump() == der
        assert der in atributo.dump()
    assert token.dump(force=True) == der  # forced, the library's DER: the same bytes
    # Once, when the client reads the token; never again for dumping it.
    assert len(codificaciones) == 2  # the client's first dump, and the forced one


def test_un_sello_cambiado_se_codifica_de_nuevo(tsa):
    der, _codificaciones = tsa
    token = asyncio.run(sello_tiempo.sellador().async_timestamp(b"\0" * 32, "sha256"))
    token["content"] = core.OctetString(b"y" * 365)
    assert token.dump() != der
    assert (
        token.dump()
        == cms.ContentInfo({"content_type": "data", "content": core.OctetString(b"y" * 365)}).dump()
    )
