"""Holds every model of the domain (its app label carries the stored permissions and migrations)
and, around them, one package per capability."""
