"""Thin handlers, one module per surface; they call the domain and render replies."""
