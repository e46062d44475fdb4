"""The registry's pages, one module per area (the URL says which: clusters/urls.py names them)."""
