"""Seoul Digital Hub: a platform for Seoul's digital industry (radar, support, pilots, observatory)."""

__version__ = "0.1.0"
