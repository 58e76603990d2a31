"""One module per resource, each exposing `router`; create_app includes them all.

HTML pages and their JSON API live in separate modules (e.g. articles.py, api_articles.py).
"""
