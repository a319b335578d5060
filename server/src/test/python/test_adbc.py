"""adbc_driver_flightsql against the gateway's Flight SQL endpoint, as a notebook user runs it."""

import datetime
import decimal
import json
import os
import pathlib
import uuid

import adbc_driver_manager
import pandas as pd
import pyarrow as pa
import pytest

from conftest import BUYER, connect


def sqlstate_of(error):
    """The SQLSTATE the gateway attached to an ADBC error: the `x-nql-sqlstate` detail."""
    for key, value in getattr(error, "details", None) or []:
        if key in (b"x-nql-sqlstate", "x-nql-sqlstate"):
            return value.decode() if isinstance(value, bytes) else value
    return None


def assert_clean_message(error):
    text = str(error)
    for leak in ("Exception", "java.", "io.nql", "\tat ", "org.apache"):
        assert leak not in text, f"error text leaks {leak!r}: {text}"


def test_connect_with_user_and_password(buyer):
    with buyer.cursor() as cur:
        cur.execute("SELECT 1 + 1 AS two")
        assert cur.fetchall() == [(2,)]
    info = buyer.adbc_get_info()
    assert info["vendor_name"] == "NQL Gateway"
    # the rest of what ADBC's GetInfo reads from GetSqlInfo
    assert info["vendor_version"].startswith("0.1")
    assert info["vendor_arrow_version"][:1].isdigit()


@pytest.mark.parametrize("password", ["wrong-password", ""])
def test_wrong_password_is_refused_without_detail(uri, password):
    with pytest.raises(adbc_driver_manager.Error) as caught:
        conn = connect(uri, BUYER[0], password)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT 1")
        finally:
            conn.close()
    assert caught.value.status_code == adbc_driver_manager.AdbcStatusCode.UNAUTHENTICATED
    assert_clean_message(caught.value)
    assert "buyer-demo-pw" not in str(caught.value)


def test_get_objects_lists_exactly_what_the_buyer_may_query(buyer):
    objects = buyer.adbc_get_objects(depth="all").read_all().to_pylist()
    tables = {}
    for catalog in objects:
        for schema in catalog["catalog_db_schemas"] or []:
            for table in schema["db_schema_tables"] or []:
                columns = [c["column_name"] for c in table["table_columns"] or []]
                tables[(schema["db_schema_name"], table["table_name"])] = columns
    # The three demo rules shared with buyer_co, under their providers' slugs.
    assert ("acme", "mobile_events_us") in tables
    assert ("acme", "mobile_events_sample") in tables
    assert ("globex", "purchases_5usd_plus") in tables
    # Datasets behind the rules and unshared data never appear.
    assert ("acme", "mobile_events") not in tables
    assert ("globex", "purchases") not in tables
    assert ("globex", "web_visits") not in tables
    # A rule's columns are its select list (plus pseudo-columns): no raw e-mail.
    us = tables[("acme", "mobile_events_us")]
    assert us[:6] == ["maid", "email_sha256", "country", "sex", "event_ts", "app_category"]
    assert "email" not in us
    assert "email" not in tables[("acme", "mobile_events_sample")]


def test_query_to_pandas(buyer):
    with buyer.cursor() as cur:
        cur.execute(
            "SELECT country, sex, event_ts, app_category FROM acme.mobile_events_sample"
            " ORDER BY event_ts, country LIMIT 500"
        )
        df = cur.fetch_df()
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ["country", "sex", "event_ts", "app_category"]
    assert len(df) == 500
    assert pd.api.types.is_datetime64_any_dtype(df["event_ts"])
    # event_ts is a timestamptz: tz-aware, in UTC
    assert str(df["event_ts"].dt.tz) == "UTC"
    # The rule's filter: one day of events only.
    assert df["event_ts"].max() < pd.Timestamp("2026-10-02 00:00:00", tz="UTC")
    assert df["event_ts"].is_monotonic_increasing


def test_arrow_types_round_trip(provider):
    with provider.cursor() as cur:
        cur.execute(
            "SELECT CAST(12.34 AS DECIMAL(12, 2)) AS d, DATE '2026-10-01' AS dt,"
            " TIMESTAMP '2026-10-01 12:34:56.789' AS ts, TRUE AS b,"
            " CAST(42 AS BIGINT) AS i, 'Zoë 東京 😀' AS s, CAST(NULL AS VARCHAR) AS n"
        )
        table = cur.fetch_arrow_table()
    schema = table.schema
    assert schema.field("d").type == pa.decimal128(12, 2)
    assert schema.field("dt").type == pa.date32()
    assert pa.types.is_timestamp(schema.field("ts").type)
    assert schema.field("b").type == pa.bool_()
    assert schema.field("i").type == pa.int64()
    assert pa.types.is_string(schema.field("s").type) or pa.types.is_large_string(
        schema.field("s").type
    )
    row = table.to_pylist()[0]
    assert row["d"] == decimal.Decimal("12.34")
    assert row["dt"] == datetime.date(2026, 10, 1)
    assert row["ts"].replace(tzinfo=None) == datetime.datetime(2026, 10, 1, 12, 34, 56, 789000)
    assert row["b"] is True
    assert row["i"] == 42
    assert row["s"] == "Zoë 東京 😀"
    assert row["n"] is None


def test_timestamptz_round_trip(provider):
    """COPY INTO infers timestamptz from offsets; the values come back as tz-aware UTC timestamps
    with their microseconds, equal to what was loaded (read as stored: the vector path)."""
    loaded = {
        1: "2026-10-01T08:00:00.123456Z",
        2: "2026-10-01T10:00:00.000001+02:00",
        3: "1969-12-31T23:59:59.999999Z",
        4: "2026-03-29 03:30:00.5-04:00",
    }
    name = f"tz_round_trip_{uuid.uuid4().hex[:12]}"
    area = pathlib.Path(os.environ["NQL_INGEST_ROOT"]) / "acme"
    area.mkdir(parents=True, exist_ok=True)
    csv = area / f"{name}.csv"
    csv.write_text("id,ts\n" + "".join(f"{i},{t}\n" for i, t in loaded.items()) + "5,\n")
    expected = {
        i: datetime.datetime.fromisoformat(t.replace("Z", "+00:00")).astimezone(
            datetime.timezone.utc
        )
        for i, t in loaded.items()
    }
    with provider.cursor() as cur:
        cur.execute(f"COPY INTO company_data.{name} FROM '{csv}' HEADER = TRUE")
        try:
            cur.execute(f"SELECT id, ts FROM company_data.{name}")
            table = cur.fetch_arrow_table()
            cur.execute(f"SELECT id, ts FROM company_data.{name} WHERE id = 1")
            df = cur.fetch_df()
        finally:
            cur.execute(f'DROP DATASET "{name}"')
    assert table.schema.field("ts").type == pa.timestamp("us", tz="UTC")
    got = {row["id"]: row["ts"] for row in table.to_pylist()}
    assert got.pop(5) is None
    assert set(got) == set(expected)
    for i, want in expected.items():
        assert got[i].utcoffset() == datetime.timedelta(0), got[i]
        assert got[i] == want
        assert got[i].microsecond == want.microsecond
    # the raw Arrow values: epoch microseconds, exactly
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    ids = table.column("id").to_pylist()
    micros = dict(zip(ids, table.column("ts").cast(pa.int64()).to_pylist()))
    for i, want in expected.items():
        assert micros[i] == (want - epoch) // datetime.timedelta(microseconds=1)
    # pandas: a tz-aware column in UTC, microseconds kept
    assert isinstance(df["ts"].dtype, pd.DatetimeTZDtype)
    assert str(df["ts"].dt.tz) == "UTC"
    assert df["ts"].iloc[0] == pd.Timestamp("2026-10-01 08:00:00.123456", tz="UTC")
    assert df["ts"].iloc[0].microsecond == 123456


def test_prepared_statement_with_parameters(buyer, provider):
    sql = "SELECT COUNT(*) AS n FROM acme.mobile_events_sample WHERE country = ?"
    with buyer.cursor() as cur:
        counts = {}
        for country in ("USA", "DEU", "XXX"):
            cur.execute(sql, (country,))
            counts[country] = cur.fetchone()[0]
    # The same counts through the provider's own table and the rule's filter written out.
    with provider.cursor() as cur:
        for country, n in counts.items():
            cur.execute(
                "SELECT COUNT(*) FROM company_data.mobile_events"
                f" WHERE event_ts < TIMESTAMP '2026-10-02 00:00:00' AND country = '{country}'"
            )
            assert cur.fetchone()[0] == n
    assert counts["USA"] > 0
    assert counts["XXX"] == 0


def test_prepared_statement_with_typed_parameters(provider):
    with provider.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*) FROM company_data.mobile_events WHERE event_ts >= ? AND event_ts < ?",
            (datetime.datetime(2026, 10, 1, 0, 0), datetime.datetime(2026, 10, 1, 6, 0)),
        )
        early = cur.fetchone()[0]
        cur.execute(
            "SELECT COUNT(*) FROM company_data.mobile_events"
            " WHERE event_ts >= TIMESTAMP '2026-10-01 00:00:00'"
            " AND event_ts < TIMESTAMP '2026-10-01 06:00:00'"
        )
        assert cur.fetchone()[0] == early
    assert early > 0


def test_error_carries_sqlstate_and_a_clean_message(buyer):
    with buyer.cursor() as cur:
        with pytest.raises(adbc_driver_manager.Error) as caught:
            cur.execute("SELECT * FROM acme.mobile_events")
    assert sqlstate_of(caught.value) == "42P01"
    assert "acme.mobile_events" in str(caught.value)
    assert_clean_message(caught.value)
    # The session stays usable.
    with buyer.cursor() as cur:
        cur.execute("SELECT 1")
        assert cur.fetchall() == [(1,)]


def test_syntax_error(buyer):
    with buyer.cursor() as cur:
        with pytest.raises(adbc_driver_manager.Error) as caught:
            cur.execute("SELEC 1")
    assert sqlstate_of(caught.value) == "42601"
    assert_clean_message(caught.value)


def test_budgeted_purchase_is_cut_and_charged(buyer):
    # 1.50 USD per 1,000 rows: a 0.15 USD budget buys exactly 100 rows.
    with buyer.cursor() as cur:
        cur.execute("SELECT maid, country FROM acme.mobile_events_us LIMIT 0.15 USD")
        df = cur.fetch_df()
    assert len(df) == 100
    assert set(df["country"]) == {"USA"}
    with buyer.cursor() as cur:
        cur.execute(
            "SELECT rows_delivered, amount_usd, status FROM company_data._ledger"
            " WHERE rule = 'mobile_events_us' ORDER BY created_at DESC LIMIT 1"
        )
        rows, amount, status = cur.fetchone()
    assert rows == 100
    assert decimal.Decimal(str(amount)) == decimal.Decimal("0.15")
    assert status == "final"


FORECAST_COLUMNS = [
    ("source", pa.string()),
    ("source_type", pa.string()),
    ("provider", pa.string()),
    ("price_cpm_usd", pa.decimal128(12, 2)),
    ("matching_rows", pa.int64()),
    ("estimated_rows", pa.int64()),
    ("rows_low", pa.int64()),
    ("rows_high", pa.int64()),
    ("estimated_cost_usd", pa.decimal128(20, 6)),
    ("cost_low_usd", pa.decimal128(20, 6)),
    ("cost_high_usd", pa.decimal128(20, 6)),
    ("budget_cut", pa.bool_()),
    ("statistics", pa.string()),
    ("result_schema", pa.string()),
    ("detail", pa.string()),
]


def _ledger_entries(conn):
    with conn.cursor() as cur:
        cur.execute(
            "SELECT COUNT(*), COALESCE(SUM(amount_micros), 0) FROM company_data._ledger"
        )
        return cur.fetchone()


def test_explain_forecasts_rows_and_cost_before_buying(buyer):
    before = _ledger_entries(buyer)
    purchase = "SELECT maid, event_ts FROM acme.mobile_events_us LIMIT 0.30 USD"
    with buyer.cursor() as cur:
        cur.execute("EXPLAIN " + purchase)
        table = cur.fetch_arrow_table()
    # the documented columns, in order, in their Arrow types (freshness: a timestamp)
    names = [f.name for f in table.schema]
    assert names[:12] == [n for n, _ in FORECAST_COLUMNS[:12]]
    assert names[12] == "freshness"
    assert pa.types.is_timestamp(table.schema.field("freshness").type)
    for name, arrow_type in FORECAST_COLUMNS:
        assert table.schema.field(name).type == arrow_type, name
    rows = table.to_pylist()
    assert [r["source"] for r in rows] == ["acme.mobile_events_us", "TOTAL"]
    rule, total = rows
    assert rule["source_type"] == "access rule"
    assert rule["provider"] == "acme"
    assert rule["price_cpm_usd"] == decimal.Decimal("1.50")
    # 1.50 USD per 1,000 rows: 0.30 USD buys 200 of the rule's rows, and the budget cuts
    assert rule["estimated_rows"] == 200
    assert rule["estimated_cost_usd"] == decimal.Decimal("0.300000")
    assert rule["matching_rows"] > 200
    assert rule["budget_cut"] is True
    assert rule["freshness"] is not None
    assert rule["detail"] is None
    assert total["estimated_cost_usd"] == decimal.Decimal("0.300000")
    assert total["rows_low"] <= total["estimated_rows"] <= total["rows_high"]
    assert total["budget_cut"] is True
    assert total["result_schema"].startswith("maid VARCHAR, event_ts ")
    for row in rows:
        for value in row.values():
            assert "USA" not in str(value), "the rule's predicate leaked into the forecast"
    # the same forecast as one JSON document
    with buyer.cursor() as cur:
        cur.execute("EXPLAIN (FORMAT JSON) " + purchase)
        (document,) = cur.fetchone()
    forecast = json.loads(document)
    assert [s["source"] for s in forecast["sources"]] == ["acme.mobile_events_us"]
    assert forecast["total"]["estimated_rows"] == total["estimated_rows"]
    assert decimal.Decimal(str(forecast["total"]["estimated_cost_usd"])) == decimal.Decimal("0.3")
    assert [c["name"] for c in forecast["result_schema"]] == ["maid", "event_ts"]
    # NO LIMIT: every matching row, no cut
    with buyer.cursor() as cur:
        cur.execute("EXPLAIN SELECT maid FROM acme.mobile_events_us NO LIMIT")
        unlimited = cur.fetch_arrow_table().to_pylist()[0]
    assert unlimited["estimated_rows"] == unlimited["matching_rows"] == rule["matching_rows"]
    assert unlimited["budget_cut"] is False
    # a forecast is never charged
    assert _ledger_entries(buyer) == before


def test_a_prepared_explain_describes_its_columns(buyer):
    with buyer.cursor() as cur:
        schema = cur.adbc_execute_schema("EXPLAIN SELECT maid FROM acme.mobile_events_us")
    assert schema.names[:3] == ["source", "source_type", "provider"]
    assert len(schema.names) == 16


def test_paid_data_without_budget_delivers_nothing_and_warns(buyer):
    # The session default budget is 0 USD: free data only.
    with buyer.cursor() as cur:
        cur.execute("SELECT maid FROM acme.mobile_events_us")
        assert cur.fetchall() == []


def _objects(conn):
    """(schema, table) -> column names, from ADBC's GetObjects (Flight SQL GetTables)."""
    tables = {}
    for catalog in conn.adbc_get_objects(depth="all").read_all().to_pylist():
        for schema in catalog["catalog_db_schemas"] or []:
            for table in schema["db_schema_tables"] or []:
                columns = [c["column_name"] for c in table["table_columns"] or []]
                tables[(schema["db_schema_name"], table["table_name"])] = columns
    return tables


def test_information_schema_agrees_with_get_objects(buyer):
    with buyer.cursor() as cur:
        cur.execute("SELECT table_schema, table_name FROM information_schema.tables")
        listed = {(s, t) for s, t in cur.fetchall()}
        cur.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns"
            " ORDER BY table_schema, table_name, ordinal_position"
        )
        columns = {}
        for s, t, c in cur.fetchall():
            columns.setdefault((s, t), []).append(c)
    objects = _objects(buyer)
    assert listed == set(objects)
    assert columns == {k: v for k, v in objects.items() if v}
    # what a buyer may not see is in neither
    assert ("acme", "mobile_events") not in listed
    assert "email" not in columns[("acme", "mobile_events_us")]


def test_pandas_read_sql_over_an_adbc_connection(buyer):
    df = pd.read_sql(
        "SELECT column_name, data_type, ordinal_position FROM information_schema.columns"
        " WHERE table_schema = 'acme' AND table_name = 'mobile_events_us'"
        " ORDER BY ordinal_position",
        buyer,
    )
    assert list(df.columns) == ["column_name", "data_type", "ordinal_position"]
    assert list(df["column_name"][:6]) == [
        "maid", "email_sha256", "country", "sex", "event_ts", "app_category"
    ]
    assert list(df["ordinal_position"]) == list(range(1, len(df) + 1))
    assert df.loc[df["column_name"] == "event_ts", "data_type"].item().startswith("timestamp")


def test_polars_read_database_over_an_adbc_connection(buyer):
    import polars as pl

    df = pl.read_database(
        "SELECT country, COUNT(*) AS n FROM acme.mobile_events_sample"
        " GROUP BY country ORDER BY country NO LIMIT",
        connection=buyer,
    )
    assert df.columns == ["country", "n"]
    assert df.height > 0
    assert df["n"].sum() > 0
    assert df["country"].to_list() == sorted(df["country"].to_list())


def test_duckdb_queries_an_arrow_stream_from_adbc(buyer):
    import duckdb

    with buyer.cursor() as cur:
        cur.execute(
            "SELECT country, sex FROM acme.mobile_events_sample NO LIMIT"
        )
        stream = cur.fetch_record_batch()  # a pyarrow RecordBatchReader: batches as they arrive
        local = duckdb.sql(
            "SELECT country, COUNT(*) AS n FROM stream GROUP BY country ORDER BY country"
        ).fetchall()
    with buyer.cursor() as cur:
        cur.execute(
            "SELECT country, COUNT(*) AS n FROM acme.mobile_events_sample"
            " GROUP BY country ORDER BY country NO LIMIT"
        )
        remote = cur.fetchall()
    assert len(local) > 1
    assert local == remote


def test_adbc_ingest_loads_a_dataframe_into_the_callers_dataset(provider):
    """cursor.adbc_ingest: a pandas frame (categorical, nullable, timestamps) in one load each."""
    name = "py_ingest_" + uuid.uuid4().hex[:12]
    frame = pd.DataFrame(
        {
            "id": pd.array(range(1, 2001), dtype="int64"),
            "segment": pd.Categorical(["gold" if i % 3 else "silver" for i in range(2000)]),
            "score": [None if i % 7 == 0 else i / 8 for i in range(2000)],
            "seen": pd.date_range("2026-01-01", periods=2000, freq="min", tz="UTC"),
        }
    )
    with provider.cursor() as cur:
        try:
            assert cur.adbc_ingest(name, frame, mode="create") == 2000
            cur.execute(
                f"SELECT COUNT(*), SUM(id), COUNT(score), MIN(seen) FROM company_data.{name}"
            )
            count, total, scores, first = cur.fetchone()
            assert (count, total, scores) == (2000, 2001000, 2000 - 286)
            assert first == datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
            cur.execute(f"SELECT segment, COUNT(*) FROM company_data.{name} GROUP BY segment ORDER BY 1")
            assert cur.fetchall() == [("gold", 1333), ("silver", 667)]
            # append, then replace: one load each
            assert cur.adbc_ingest(name, frame.head(10), mode="append") == 10
            assert cur.adbc_ingest(name, frame.head(3), mode="replace") == 3
            cur.execute(f"SELECT id FROM company_data.{name} ORDER BY id")
            assert [r[0] for r in cur.fetchall()] == [1, 2, 3]
            # create on an existing dataset fails with 42P07 and loads nothing
            with pytest.raises(adbc_driver_manager.Error) as caught:
                cur.adbc_ingest(name, frame, mode="create")
            assert sqlstate_of(caught.value) == "42P07"
            assert_clean_message(caught.value)
            cur.execute(f"SELECT COUNT(*) FROM company_data.{name}")
            assert cur.fetchone() == (3,)
        finally:
            # the warehouse is shared by the module's tests; some list the provider's datasets
            try:
                cur.execute(f'DROP DATASET "{name}"')
            except adbc_driver_manager.Error:
                pass  # never created: the test's own failure is the one to report
