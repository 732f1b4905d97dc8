"""Django templates read as text with the template language's own grammar, never rendered:
which variables each `{% for %}` loop reads per row (lexer.py), for DJR101."""
