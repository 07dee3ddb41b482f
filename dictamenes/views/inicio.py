"""The home page: what anyone sees before entering, and each person's panels after."""

from django.shortcuts import render

from dictamenes.selectors import usuarios


def inicio(request):
    """Home: the public front door, or one panel per role the person holds. Both publish the
    year's cut-off date, after which a request may not be dictaminated this fiscal year."""
    from dictamenes.services.planeacion import fecha_corte

    corte = fecha_corte()
    if not request.user.is_authenticated:
        return render(request, "inicio_publico.html", {"corte": corte})
    return render(
        request,
        "inicio.html",
        {"paneles": usuarios.paneles_de_inicio(usuario=request.user), "corte": corte},
    )
