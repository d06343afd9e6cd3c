"""The template budgets (kit/templating.py) belong to one render, never to the process."""

from __future__ import annotations

import time

import pytest

from kit import templating


def test_budget_buiten_render_veilig_blijft_niet_hangen():
    """A template rendered outside render_veilig gets a budget for that call only: a budget kept
    for the process ran out after 60 s in kit batch and in the suite, and then every later render
    of the huisstijl failed with "na 60 seconden nog niet klaar"."""
    eerste = templating._budget()
    assert templating._BUDGET.get() is None
    assert templating._budget() is not eerste


def test_verlopen_budget_treft_alleen_die_render(monkeypatch):
    monkeypatch.setattr(templating, "MAX_SECONDEN", 0.0)
    verlopen = templating._budget()          # outside a render: expires at once, but is not kept
    time.sleep(0.01)
    with pytest.raises(templating.SjabloonFout):
        verlopen.tijd_nu()
    monkeypatch.setattr(templating, "MAX_SECONDEN", 60.0)
    assert templating.render_veilig(templating.jinja2.Template("{{ 1 + 1 }}"), {}) == "2"
