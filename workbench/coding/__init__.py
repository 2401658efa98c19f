"""Qualitative coding: humans' codes and the study, both ways.

Takes in: a codebook (YAML or REFI-QDA ``.qdc``), passages and the coders' actions.
Gives out: code assignments kept in the store, pain points as codes, and REFI-QDA
(``.qdpx``) exchange with other QDA tools.
"""
