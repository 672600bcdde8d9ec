"""nap: National Action Plan tables from PDF to clean, validated datasets."""

__version__ = "0.1.0"
