"""The development server loads search's analyser, lexicon and encoder as it starts (make demo's
first search used to wait ~10 s for them); other commands do not."""

import threading

from django.apps import apps


def _started_warming(monkeypatch, argv) -> bool:
    called = threading.Event()
    monkeypatch.setattr("sys.argv", argv)
    monkeypatch.setattr("seoulhub.radar.search.service.warm", called.set)
    apps.get_app_config("radar").ready()
    return called.wait(timeout=5)


def test_runserver_warms_search_in_the_background(monkeypatch):
    assert _started_warming(monkeypatch, ["seoulhub", "runserver", "--noreload", "127.0.0.1:8000"])


def test_other_commands_do_not(monkeypatch):
    started = []
    monkeypatch.setattr("sys.argv", ["seoulhub", "migrate"])
    monkeypatch.setattr("seoulhub.radar.apps.threading.Thread", lambda *args, **kwargs: started.append(kwargs))
    apps.get_app_config("radar").ready()
    assert started == []
