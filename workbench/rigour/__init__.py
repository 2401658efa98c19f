"""How far to trust the results.

Takes in: the analysis's tables (and the human coders' codes from the store).
Gives out: pain-point stability over seeds and resamples, saturation curves, inter-coder
agreement (kappa, Krippendorff's alpha), the model scored as a coder, and impact on ratings.
"""
