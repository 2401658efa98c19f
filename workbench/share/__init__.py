"""Results into files people open.

Takes in: a results folder (pain points, personas, journey, evidence).
Gives out: the findings report as self-contained HTML, Markdown or PDF (templates in
``templates/``), built from redacted text only.
"""
