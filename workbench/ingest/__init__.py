"""Readers for every transcript and feedback format, and ``read_study`` to read a whole study."""
