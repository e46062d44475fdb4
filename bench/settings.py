"""The production settings plus what the benchmarks need: a floor view and a timing header.

Only ``bench/run.py`` uses this module (DJANGO_SETTINGS_MODULE=bench.settings); the site never does.
"""

from config.settings import *  # noqa: F403
from config.settings import BASE_DIR, MIDDLEWARE, TEMPLATES

ROOT_URLCONF = "bench.urls"
# First, so that the time covers every other middleware too.
MIDDLEWARE = ["bench.timing.ServerTimingMiddleware", *MIDDLEWARE]
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
