"""What a gunicorn worker does once it has loaded the site and before it takes its first
request (gunicorn.conf.py's post_worker_init hook): the work that would otherwise fall on
its first requests, and a garbage collector that no longer walks what never goes away.

- Every template of the project's own is compiled into the cached loader, the URL
  patterns are read and the release is hashed. Without this a new worker's first page
  took about 150 ms.
- gc.freeze(): the objects made so far (Django, the settings, the compiled templates)
  are set aside, so that a full collection walks only what requests have left behind.
  Full collections had paused a worker for 45–90 ms three to five times in a 30-second
  load run (measured in bench/README.md, under the pauses in warm requests).

Neither reads the database, so a worker starts while it is down (/healthz says so).
"""

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError
from django.template.loader import get_template
from django.urls import reverse

from .http_cache import release

logger = logging.getLogger(__name__)


def project_templates() -> list[str]:
    """The names of the templates in the project's templates/ folder."""
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(path.relative_to(root).as_posix() for path in root.rglob("*.html"))


def compile_templates(names: list[str]) -> int:
    """Compile each template into the cached loader; the number compiled. A template
    that does not compile is logged and left to fail on its own page, as it would have
    without this: one broken page must not keep every page from being served."""
    compiled = 0
    for name in names:
        try:
            get_template(name)
        except TemplateSyntaxError:
            logger.exception("Template %s does not compile", name)
        else:
            compiled += 1
    return compiled


def prepare_worker() -> None:
    compiled = compile_templates(project_templates())
    reverse("inspections:timeline")  # reads every URL pattern, once
    release()
    gc.collect()
    gc.freeze()
    logger.info(
        "Worker ready: %d templates compiled, %d objects set aside from the garbage collector",
        compiled,
        gc.get_freeze_count(),
    )
