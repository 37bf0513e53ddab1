"""The Kyrgyz language core: alphabet, normalisation, morphology, answer checking, Latin input
and speech. Pure Python; it imports nothing from Flask or the database."""
