"""A marker for translatable strings in the Flask-free language core."""


def N_(message: str) -> str:
    """Mark `message` for extraction by Babel; the web layer translates it when rendering."""
    return message
