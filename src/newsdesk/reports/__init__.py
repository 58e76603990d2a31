"""Pro analysis: weekly sector briefings and entity dossiers drafted from the store, every claim
cited (HTML, PDF, email and the site's report pages).

``draft`` (pure) turns the store's rows (domain.reports.ReportData) into a Report; ``render``
writes it as HTML or text, ``pdf`` as a PDF (the optional ``pdf`` extra); ``build`` is the edge
that reads the store. Imported lazily by the CLI and bootstrap: importing this package loads
neither Jinja nor WeasyPrint.
"""
