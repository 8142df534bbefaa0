"""Open data on Vietnam's provincial digital transformation: ingest, extract, validate, release."""

__version__ = "0.1.0"
