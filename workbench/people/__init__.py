"""The people behind the pain points: personas and the journey map.

Takes in: segments, participants, passages and pain-point assignments.
Gives out: persona cards (``personas``) and the stage × touchpoint journey map (``journey``).
"""
