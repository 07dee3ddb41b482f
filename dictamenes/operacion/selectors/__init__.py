"""What the operator reads: the state of the system, item by item (estado.py)."""
