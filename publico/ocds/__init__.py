"""The planning data in the Open Contracting Data Standard (OCDS 1.1): each presented request
is a contracting process whose planning stage carries its dictamen."""
