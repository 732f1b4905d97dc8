"""Output formats. Each module renders an engine Report."""

FORMATS = ("text", "json")
