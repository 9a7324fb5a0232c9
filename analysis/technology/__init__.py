"""One technology, all the evidence: survey adoption by wave beside its images' pulls and catalog figures.

A cross-domain package above `analysis.surveys`, `analysis.pulls` and `analysis.catalog`: it reads
the recipes of `data/technologies.csv` and asks each domain for its figures through their public
functions. The page, `python -m analysis technology` and the deck all call `evidence.technology_evidence`.
"""
