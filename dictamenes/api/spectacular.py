"""The one place that reaches inside drf-spectacular (issue 63). An extension that augments a
field's schema starts from what drf-spectacular would write for it, and only the private
`AutoSchema._map_serializer_field` gives that: drf-spectacular's own
OpenApiSerializerFieldExtension docstring names it for this very use, and no public method
does it. Should a release rename it or change its arguments,
tests/dictamenes/test_api_spectacular.py says so before the schema goes wrong."""


def esquema_de_spectacular(auto_schema, campo, direction, *, sin_extension: bool) -> dict:
    """The schema drf-spectacular writes for the serializer field `campo` in `direction`
    ("request" or "response"); `sin_extension`: as if no extension were registered for its
    class (the one asking, which would otherwise be asked again)."""
    return auto_schema._map_serializer_field(campo, direction, bypass_extensions=sin_extension)
