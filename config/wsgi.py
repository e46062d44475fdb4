import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()

# Everything loaded so far (Django, the apps, their modules) lives as long as the process: move it
# out of the garbage collector's sight, so that a collection during a request (an export of 100,000
# interviews triggers thousands) scans what the request made, not every object of the framework.
# Measured by bench/run.py: the wide export of 30,000 interviews took half the time.
gc.freeze()
