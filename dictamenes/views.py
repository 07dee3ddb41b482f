from django.shortcuts import render

from dictamenes import selectors


def inicio(request):
    """Home: the public front door, or one panel per role the person holds."""
    if not request.user.is_authenticated:
        return render(request, "inicio_publico.html")
    return render(
        request,
        "inicio.html",
        {"paneles": selectors.paneles_de_inicio(usuario=request.user)},
    )
