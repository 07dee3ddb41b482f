"""The API's serializers of the standards catalogue and the self-assessment."""

from rest_framework import serializers

from estandares.models import Categoria, Perfil, Publicacion, Requisito


class PublicacionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Publicacion
        fields = [
            "version",
            "titulo",
            "estado",
            "fecha_boletin",
            "vigente_desde",
            "vigente_hasta",
            "notas",
        ]


class RequisitoSerializer(serializers.ModelSerializer):
    perfil = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Requisito
        fields = [
            "id",
            "perfil",
            "clave",
            "nombre",
            "tipo",
            "obligatorio",
            "unidad",
            "minimo",
            "maximo",
            "opciones",
            "fundamento",
            "ayuda",
        ]


class PerfilSerializer(serializers.ModelSerializer):
    categoria = serializers.SlugRelatedField(slug_field="clave", read_only=True)
    version = serializers.CharField(source="categoria.publicacion.version", read_only=True)
    requisitos = RequisitoSerializer(many=True, read_only=True)

    class Meta:
        model = Perfil
        fields = ["id", "version", "categoria", "clave", "nombre", "descripcion", "requisitos"]


class CategoriaSerializer(serializers.ModelSerializer):
    version = serializers.CharField(source="publicacion.version", read_only=True)
    area = serializers.SlugRelatedField(slug_field="clave", read_only=True)
    perfiles = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = Categoria
        fields = ["id", "version", "clave", "nombre", "area", "descripcion", "perfiles"]


class EvaluarSerializer(serializers.Serializer):
    especificaciones = serializers.DictField(
        help_text="{clave del requisito: valor}. Un número puede llevar unidad: «1 TB» o "
        '{"valor": 1, "unidad": "TB"}.',
        error_messages={"not_a_dict": "«especificaciones» debe ser un objeto {{clave: valor}}."},
    )


class ResultadoRequisitoSerializer(serializers.Serializer):
    clave = serializers.CharField()
    nombre = serializers.CharField()
    obligatorio = serializers.BooleanField()
    resultado = serializers.ChoiceField(choices=["cumple", "no_cumple", "no_aplica", "revision"])
    motivo = serializers.CharField()
    valor = serializers.CharField()


class EvaluacionSerializer(serializers.Serializer):
    perfil_id = serializers.IntegerField()
    version = serializers.CharField()
    veredicto = serializers.ChoiceField(
        choices=["cumple", "observaciones", "revision", "no_cumple"]
    )
    resultados = ResultadoRequisitoSerializer(many=True)
    claves_desconocidas = serializers.ListField(child=serializers.CharField())
