"""Reads of the procedure: who may see or act (access), actions and steps, history, decisions,
tracks, prices and substitutions."""
