"""Django management commands of the domain (management/administrador.py: who asks with
--usuario)."""
