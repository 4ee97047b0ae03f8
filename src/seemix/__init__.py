"""seemix: the South-East European Migration Information eXchange."""

__version__ = "0.1.0"
