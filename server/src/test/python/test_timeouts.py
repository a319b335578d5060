"""Timeouts end a statement with an error, never with a short or empty result, and stop its work.

PythonClientsIT runs the gateway in its own JVM (NQL_GATEWAY_PID) with a statement timeout of
NQL_STATEMENT_TIMEOUT seconds. Each test runs a statement that computes for far longer — while it is
planned (the join orders of a hundred four-table joins) or before its first row (an aggregate over a cross join) —
and then checks that the gateway process stops computing: its CPU time over a window after the
error grows at a small fraction of the rate it grew at while the statement ran.
"""

import os
import time

import adbc_driver_manager
import psutil
import pytest

from test_adbc import assert_clean_message, sqlstate_of

# A hundred four-table chains: each is below the gateway's heuristic join-ordering threshold, so the
# optimizer searches every join order of each, seconds in all (one ten-table chain plans in
# milliseconds with the heuristic ordering). A new text per run keeps the plan cache out of it.
PLANNING = " UNION ALL ".join(
    f"SELECT t0.maid, {time.time_ns()} AS run FROM "
    + ", ".join(f"company_data.mobile_events t{i}" for i in range(4))
    + " WHERE "
    + " AND ".join(
        f"t{i}.event_ts = t{i + 1}.event_ts + INTERVAL '{b % 7 + 1}' SECOND" for i in range(3)
    )
    for b in range(100)
)
CROSS_JOIN_COUNT = (
    "SELECT COUNT(*) FROM company_data.mobile_events a CROSS JOIN company_data.mobile_events b"
)
GRACE_SECONDS = 1.0
WINDOW_SECONDS = 1.5


def statement_timeout():
    return float(os.environ["NQL_STATEMENT_TIMEOUT"])


def gateway_cpu():
    """CPU seconds the gateway's process has used so far."""
    times = psutil.Process(int(os.environ["NQL_GATEWAY_PID"])).cpu_times()
    return times.user + times.system


def assert_gateway_stops(cpu_before, started):
    """After a grace period the gateway computes at a tenth of its rate during the statement."""
    cpu_at_error, at_error = gateway_cpu(), time.monotonic()
    rate_during = (cpu_at_error - cpu_before) / (at_error - started)
    time.sleep(GRACE_SECONDS)
    cpu_from = gateway_cpu()
    time.sleep(WINDOW_SECONDS)
    rate_after = (gateway_cpu() - cpu_from) / WINDOW_SECONDS
    assert rate_during > 0.2, f"the statement hardly computed: {rate_during:.2f} of a core"
    assert rate_after < max(0.05, rate_during / 10), (
        f"the gateway still computes: {rate_after:.2f} of a core after the error,"
        f" {rate_during:.2f} while the statement ran"
    )


def next_statement_answers(conn):
    started = time.monotonic()
    with conn.cursor() as cur:
        cur.execute("SELECT COUNT(*) FROM company_data.mobile_events")
        assert cur.fetchall() == [(700_000,)]
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("sql", [PLANNING, CROSS_JOIN_COUNT], ids=["planning", "aggregate"])
def test_statement_timeout_is_57014_and_stops_the_work(provider, sql):
    cpu_before, started = gateway_cpu(), time.monotonic()
    with provider.cursor() as cur:
        with pytest.raises(adbc_driver_manager.Error) as caught:
            cur.execute(sql)
            cur.fetchall()
    elapsed = time.monotonic() - started
    assert sqlstate_of(caught.value) == "57014", str(caught.value)
    assert "statement timeout" in str(caught.value)
    assert_clean_message(caught.value)
    assert elapsed < statement_timeout() + 10
    assert_gateway_stops(cpu_before, started)
    next_statement_answers(provider)


def test_a_call_deadline_stops_the_work(provider):
    cpu_before, started = gateway_cpu(), time.monotonic()
    with provider.cursor() as cur:
        # the client gives up after 2 s: its own error, and the gateway learns the call is gone
        cur.adbc_statement.set_options(**{"adbc.flight.sql.rpc.timeout_seconds.fetch": "2"})
        with pytest.raises(adbc_driver_manager.Error) as caught:
            cur.execute(CROSS_JOIN_COUNT)
            cur.fetchall()
    assert caught.value.status_code == adbc_driver_manager.AdbcStatusCode.TIMEOUT, str(caught.value)
    assert_gateway_stops(cpu_before, started)
    next_statement_answers(provider)
