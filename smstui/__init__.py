"""smstui: a terminal workbench for operating accounts on a Chinese SMS gateway."""

__version__ = "0.1.0"
