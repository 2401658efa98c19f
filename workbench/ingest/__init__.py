"""Readers for every transcript and feedback format, and ``read_study`` to read a whole study.

Takes in: a study folder (transcripts, feedback exports, ``participants.csv``, ``study.toml``).
Gives out: segments (one row per speaker turn or feedback item), participants and an
``IngestReport`` that lists every file read, every row skipped and why.
"""
