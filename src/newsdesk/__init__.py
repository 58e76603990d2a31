"""newsdesk: a self-hosted industry-insights engine.

Importing the package is deliberately cheap: stages, the CLI and the web app are
imported only where they are used.
"""

__version__ = "0.1.0.dev0"
