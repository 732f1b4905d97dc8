"""Output formats. Each module renders an engine Report."""

FORMATS = ("text", "concise", "json", "github", "gitlab", "sarif")
