"""Hand-written source items for the Skylark Travel sample feedback exports.

Every text in these modules was written by hand; ``make_feedback.py`` only adds ids,
dates and (for the survey) scores and default customer names with a fixed seed.
"""
