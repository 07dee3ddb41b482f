"""Files through the default storage into a real S3 API (moto's server on loopback)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.backends.servers import s3_storage

pytestmark = pytest.mark.s3

BUCKET = "expedientes-pruebas"


@pytest.fixture
def s3_storages(s3_server, monkeypatch, tmp_path):
    with s3_storage(
        s3_server.endpoint_url, BUCKET, monkeypatch=monkeypatch, media_root=tmp_path
    ) as client:
        yield client


def test_guarda_lee_y_borra_un_archivo_real_en_s3(s3_storages):
    contenido = "Oficio de solicitud: adquisición de 350 licencias de correo".encode()
    nombre = default_storage.save("expedientes/2026/SOL-0001/oficio.pdf", ContentFile(contenido))

    assert default_storage.__class__.__name__ == "S3Storage"
    objeto = s3_storages.get_object(Bucket=BUCKET, Key=nombre)
    assert objeto["Body"].read() == contenido
    with default_storage.open(nombre) as f:
        assert f.read() == contenido

    default_storage.delete(nombre)
    assert not default_storage.exists(nombre)
    assert s3_storages.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0) == 0


def test_no_sobrescribe_y_los_objetos_son_privados(s3_storages):
    ruta = "expedientes/2026/SOL-0002/cotizacion.pdf"
    primero = default_storage.save(ruta, ContentFile(b"version 1"))
    segundo = default_storage.save(ruta, ContentFile(b"version 2"))

    assert primero != segundo
    assert default_storage.open(primero).read() == b"version 1"
    acl = s3_storages.get_object_acl(Bucket=BUCKET, Key=primero)
    assert not [g for g in acl["Grants"] if "AllUsers" in str(g.get("Grantee", {}))]
    # Reads go through short-lived signed URLs (s3v4), never a bare public link.
    url = default_storage.url(primero)
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
