"""The licence of all the open data (CC BY 4.0), named by the DCAT catalogue (catalogo) and
the OCDS packages (ocds.paquetes) alike. Below both, so that neither imports the other."""

URL = "https://creativecommons.org/licenses/by/4.0/"
TITULO = "Creative Commons Attribution"
