"""Executes docs/notebooks/quickstart.ipynb against the gateway and checks what its cells show."""

import decimal
import os
import pathlib
import re

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = pathlib.Path(__file__).resolve().parents[4] / "docs" / "notebooks" / "quickstart.ipynb"


def text_of(cell):
    """Everything a cell showed: stream output, and the text/plain or text/html of its results."""
    parts = []
    for out in cell.get("outputs", []):
        if out["output_type"] == "stream":
            parts.append(out["text"])
        elif out["output_type"] in ("execute_result", "display_data"):
            data = out.get("data", {})
            parts.append(data.get("text/plain", ""))
    return "".join(parts)


@pytest.fixture(scope="module")
def executed(uri):
    assert NOTEBOOK.is_file(), NOTEBOOK
    nb = nbformat.read(NOTEBOOK, as_version=4)
    os.environ["NQL_FLIGHT_URI"] = uri
    NotebookClient(nb, timeout=300, kernel_name="python3").execute()
    cells = {}
    for cell in nb.cells:
        if cell.cell_type == "code":
            errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
            assert not errors, f"cell {cell.metadata.get('tags')} failed: {errors}"
            for tag in cell.metadata.get("tags", []):
                cells[tag] = text_of(cell)
    return cells


def test_connects_to_the_gateway(executed):
    assert executed["connect"].startswith("NQL Gateway ")


def test_browse_shows_the_shared_rules_only(executed):
    browse = executed["browse"]
    for table in ("mobile_events_us", "mobile_events_sample", "purchases_5usd_plus"):
        assert table in browse
    for hidden in ("web_visits", "mobile_events ", "purchases "):
        assert hidden not in browse


def test_describe_lists_the_rule_columns(executed):
    described = executed["describe"]
    assert "email_sha256" in described
    assert "maid" in described
    assert " email " not in described


def test_explain_shows_the_rule_as_one_opaque_scan(executed):
    plan = executed["explain"]
    assert "RuleScan(rule=[acme.mobile_events_us]" in plan
    assert "USA" not in plan, "the provider's predicate leaked into the buyer's plan"
    assert "mobile_events," not in plan


def test_pandas_aggregates_the_free_sample(executed):
    top = executed["pandas"]
    assert "country" in top
    assert "USA" in top


def test_parameters(executed):
    assert executed["parameters"].startswith("US women in the sample: ")
    assert int(executed["parameters"].split(":")[1]) > 0


def test_forecast_shows_the_rule_and_the_total_within_the_budget(executed):
    forecast = executed["forecast"]
    assert "acme.mobile_events_us" in forecast
    assert "TOTAL" in forecast
    assert "USA" not in forecast, "the provider's predicate leaked into the buyer's forecast"
    first = forecast.splitlines()[0]
    match = re.fullmatch(r"Forecast: (\d+) rows for ([0-9.]+) USD", first)
    assert match, first
    rows, cost = int(match.group(1)), decimal.Decimal(match.group(2))
    # 1.50 USD per 1,000 rows: the 0.15 USD budget buys 100 rows, and never costs more
    assert rows == 100
    assert 0 < cost <= decimal.Decimal("0.15")


def test_forecast_adds_nothing_to_the_ledger(executed):
    line = executed["forecast_free"].strip()
    match = re.fullmatch(r"Ledger entries before and after the forecast: (\d+) (\d+)", line)
    assert match, line
    assert match.group(1) == match.group(2)


def test_budgeted_purchase_buys_what_the_budget_pays_for(executed):
    assert executed["purchase"].startswith("100 rows bought")


def test_ledger_shows_the_charge(executed):
    ledger = executed["ledger"]
    assert "mobile_events_us" in ledger
    assert "0.15" in ledger
    assert "100" in ledger


def test_rosetta_stone_reads_both_providers_through_their_rules(executed):
    out = executed["rosetta"]
    assert "providers: 2" in out, out
    assert "1.50" in out and "4.00" in out, out
