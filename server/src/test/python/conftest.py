"""Fixtures for the Python interop tests of the Flight SQL endpoint.

These tests are run by PythonClientsIT (server module), which starts a gateway with the demo
marketplace on free ports and passes its Flight URI in NQL_FLIGHT_URI, and the gateway's ingest root
(where a test stages files for COPY INTO, below its company's area) in NQL_INGEST_ROOT. The demo
users and passwords are the public demo credentials that `nql serve --demo` prints.
"""

import os

import adbc_driver_flightsql.dbapi as flight_sql
import pytest

BUYER = ("buyer_user", "buyer-demo-pw")
PROVIDER = ("acme_user", "acme-demo-pw")


@pytest.fixture(scope="session")
def uri():
    value = os.environ.get("NQL_FLIGHT_URI")
    if not value:
        pytest.fail("NQL_FLIGHT_URI is not set: run these tests through PythonClientsIT")
    return value


def connect(uri, user, password):
    # autocommit=True: the gateway has no transactions (every statement commits on its own), and
    # DB-API's default would ask to turn autocommit off and warn that it cannot.
    return flight_sql.connect(
        uri, db_kwargs={"username": user, "password": password}, autocommit=True
    )


@pytest.fixture()
def buyer(uri):
    conn = connect(uri, *BUYER)
    yield conn
    conn.close()


@pytest.fixture()
def provider(uri):
    conn = connect(uri, *PROVIDER)
    yield conn
    conn.close()
