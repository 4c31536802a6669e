"""timeline: explore who said and did what, and when, in a news story."""

__version__ = "0.1.0"
