"""A gunicorn worker's start (ofsted_tracker/worker_start.py): every template compiled
before the first request, a broken one logged without stopping the worker, and what was
made at start set aside from the garbage collector."""

import gc
import logging
import runpy
from pathlib import Path

import pytest
from django.test import override_settings

from ofsted_tracker import worker_start

ROOT = Path(__file__).resolve().parents[2]


def templates_in(folder: Path) -> list[dict]:
    return [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [folder],
            "APP_DIRS": False,
        }
    ]


def test_the_project_templates_are_listed_by_the_names_pages_use():
    names = worker_start.project_templates()
    assert "base.html" in names
    assert "inspections/timeline/timeline.html" in names
    assert "inspections/timeline/partials/timeline_item.html" in names
    assert all(not name.startswith("/") for name in names)


def test_a_template_that_does_not_compile_is_logged_and_the_others_are_compiled(tmp_path, caplog):
    (tmp_path / "fine.html").write_text("<p>{{ council.name }}</p>")
    (tmp_path / "broken.html").write_text("{% if %}<p>never closed")
    with override_settings(TEMPLATES=templates_in(tmp_path)), caplog.at_level(logging.ERROR):
        compiled = worker_start.compile_templates(["broken.html", "fine.html"])
    assert compiled == 1
    assert "Template broken.html does not compile" in caplog.text


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_a_prepared_worker_has_compiled_every_template_and_set_objects_aside(caplog, unfrozen):
    frozen_before = gc.get_freeze_count()
    with caplog.at_level(logging.INFO, logger="ofsted_tracker.worker_start"):
        worker_start.prepare_worker()
    assert gc.get_freeze_count() > frozen_before
    # Every one of the project's templates compiles: none is left to fail on its page.
    count = len(worker_start.project_templates())
    assert f"Worker ready: {count} templates compiled" in caplog.text


def test_gunicorn_prepares_each_worker_once_it_has_loaded_the_site(monkeypatch):
    prepared = []
    monkeypatch.setattr(worker_start, "prepare_worker", lambda: prepared.append(True))
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config["post_worker_init"](worker=None)
    assert prepared == [True]
