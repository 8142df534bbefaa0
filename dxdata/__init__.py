"""Open data on Vietnam's provincial digital transformation: ingest, extract, validate, release."""

__version__ = "0.1.0"

# Before any engine module is imported: load the mypyc-compiled engine when a build matching the
# current sources exists (see dxdata/compiled.py), else the pure-Python one.
from dxdata.compiled import use_best_engine as _use_best_engine  # noqa: E402

_use_best_engine(__path__)
