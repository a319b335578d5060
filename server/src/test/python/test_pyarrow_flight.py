"""pyarrow.flight as a raw client: the Basic handshake, a bearer token, Flight SQL commands by hand.

pyarrow has no Flight SQL messages, so the commands are encoded here from the Flight SQL protocol
(FlightSql.proto): a google.protobuf.Any whose value is CommandStatementQuery { string query = 1 }.
"""

import json

import pyarrow.flight as flight
import pytest

from conftest import BUYER

COMMAND_STATEMENT_QUERY = "type.googleapis.com/arrow.flight.protocol.sql.CommandStatementQuery"


def _varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number, payload):
    """A length-delimited protobuf field (wire type 2)."""
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def statement_query(sql):
    inner = _field(1, sql.encode("utf-8"))
    return _field(1, COMMAND_STATEMENT_QUERY.encode()) + _field(2, inner)


@pytest.fixture()
def client(uri):
    c = flight.FlightClient(uri)
    yield c
    c.close()


def token_options(client, user, password):
    header = client.authenticate_basic_token(user, password)
    return flight.FlightCallOptions(headers=[header])


def run(client, options, sql):
    """Runs a statement; returns its table and the app metadata of every batch."""
    info = client.get_flight_info(flight.FlightDescriptor.for_command(statement_query(sql)), options)
    batches, metadata = [], []
    for endpoint in info.endpoints:
        reader = client.do_get(endpoint.ticket, options)
        while True:
            try:
                chunk = reader.read_chunk()
            except StopIteration:
                break
            if chunk.data is not None and chunk.data.num_rows:
                batches.append(chunk.data)
            if chunk.app_metadata is not None:
                metadata.append(chunk.app_metadata.to_pybytes())
    return info.schema, batches, metadata


def test_handshake_returns_a_bearer_token(client):
    key, value = client.authenticate_basic_token(*BUYER)
    assert key.lower() == b"authorization"
    assert value.startswith(b"Bearer ")
    assert len(value) > len(b"Bearer ") + 16


def test_wrong_password_is_unauthenticated(client):
    with pytest.raises(flight.FlightUnauthenticatedError):
        client.authenticate_basic_token(BUYER[0], "not-the-password")


def test_no_credentials_no_access(client):
    with pytest.raises(flight.FlightUnauthenticatedError):
        client.get_flight_info(flight.FlightDescriptor.for_command(statement_query("SELECT 1")))


def test_forged_token_is_refused(client):
    options = flight.FlightCallOptions(headers=[(b"authorization", b"Bearer not-a-real-token")])
    with pytest.raises(flight.FlightUnauthenticatedError):
        client.get_flight_info(
            flight.FlightDescriptor.for_command(statement_query("SELECT 1")), options
        )


def test_query_with_token(client):
    options = token_options(client, *BUYER)
    schema, batches, _ = run(
        client,
        options,
        "SELECT country, COUNT(*) AS events FROM acme.mobile_events_sample"
        " GROUP BY country ORDER BY country",
    )
    assert schema.names == ["country", "events"]
    rows = [r for b in batches for r in b.to_pylist()]
    assert len(rows) > 5
    assert [r["country"] for r in rows] == sorted(r["country"] for r in rows)


def test_budget_cut_is_reported_in_the_final_batch_metadata(client):
    options = token_options(client, *BUYER)
    _, batches, metadata = run(
        client, options, "SELECT maid FROM acme.mobile_events_us LIMIT 0.15 USD"
    )
    assert sum(b.num_rows for b in batches) == 100
    assert metadata, "the result carries no app metadata"
    summary = json.loads(metadata[-1])
    warnings = summary["warnings"]
    assert any(w["sqlstate"] == "01N01" and "0.15 USD" in w["message"] for w in warnings)
    assert summary["budget_cut"] is True
    assert summary["charge"] == {"rows": 100, "usd": "0.150000"}
