"""shopstats: order analytics for a small web shop."""

__version__ = "0.3.1"

__all__ = ["__version__"]
