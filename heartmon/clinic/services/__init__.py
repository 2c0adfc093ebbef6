"""Writes with rules for the clinic: one module per resource."""
