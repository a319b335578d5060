"""ADBC benchmark (issue 15: "ADBC from Python on the demo: >= 3 M rows/s"; see bench/README.md).

Reads every row of the demo's access rule acme.mobile_events_us as the demo buyer through the
gateway's Arrow Flight SQL endpoint with adbc_driver_flightsql, as a notebook does: once into an
Arrow table (cursor.fetch_arrow_table()) and once into pandas (cursor.fetch_df()). Baseline in the
same run: DuckDB in-process reading the same rows straight from the dataset's Parquet data files in
the gateway's warehouse, with the rule's filter and columns written in SQL. The row counts and
checksums of the answers must agree, or the program stops with status 1.

bench/adbc starts the gateway and runs this program; to run it against a gateway already started
with `nql serve --demo`:

    .venv/bin/python bench/adbc_bench.py --uri grpc://127.0.0.1:32010 --warehouse demo-warehouse
"""

import argparse
import glob
import json
import os
import platform
import statistics
import sys
import time
from urllib.parse import unquote, urlparse

import adbc_driver_flightsql
import adbc_driver_flightsql.dbapi as flight_sql
import duckdb
import pandas
import pyarrow
import pyarrow.compute as pc
import pyarrow.parquet as pq

PROG = "bench/adbc_bench.py"
BUYER = ("buyer_user", "buyer-demo-pw")

# The rule as acme publishes it (planner/.../demo/DemoMarketplace.java):
#   CREATE ACCESS RULE "mobile_events_us" PRICE_CPM_USD = 1.50 SHARE WITH COMPANIES (buyer_co)
#   AS SELECT e.maid, e.email_sha256, e.country, e.sex, e.event_ts, e.app_category
#   FROM company_data.mobile_events e WHERE e.country = 'USA'
# It is priced, so the buyer's statement carries NO LIMIT (without a budget clause the session
# budget of 0 buys no row). The rule's six columns are named: SELECT * would add the three
# pseudo-columns (_price_cpm_usd, _source_company_id, _access_rule_id), which DuckDB lacks.
COLUMNS = "maid, email_sha256, country, sex, event_ts, app_category"
RULE = "acme.mobile_events_us"
ADBC_SQL = f"SELECT {COLUMNS} FROM {RULE} NO LIMIT"
DATASET_TAG = "mobile_events"  # the snapshot summary's nql.demo of acme's dataset
DUCKDB_SQL = f"SELECT {COLUMNS} FROM read_parquet($files) WHERE country = 'USA'"

GOAL_ROWS_PER_SECOND = 3_000_000


class Failure(Exception):
    """Stops the run with status 1 and a one-line reason."""


class Parser(argparse.ArgumentParser):
    def error(self, message):
        # One line and status 2, instead of argparse's usage block.
        sys.stderr.write(f"{PROG}: {message} (see --help)\n")
        sys.exit(2)


def whole_number(minimum):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: '{text}'") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be {minimum} or more, not {value}")
        return value

    return parse


def parse_args(argv):
    p = Parser(
        prog=PROG,
        description="ADBC (Flight SQL) read of acme.mobile_events_us as the demo buyer, against"
        " DuckDB over the same Parquet files. bench/adbc starts the gateway and runs this.",
    )
    p.add_argument("--uri", required=True, help="the gateway's Flight SQL URI, grpc://host:port")
    p.add_argument(
        "--warehouse", required=True, help="the gateway's warehouse directory (for DuckDB)"
    )
    p.add_argument("--runs", type=whole_number(1), default=5, help="timed runs (default: 5)")
    p.add_argument(
        "--warmup", type=whole_number(0), default=1, help="untimed runs first (default: 1)"
    )
    p.add_argument(
        "--gateway-pid",
        type=whole_number(1),
        default=None,
        help="the gateway's process id, to report its CPU seconds per read (Linux /proc)",
    )
    p.add_argument("--load-before-gateway", default=None, help=argparse.SUPPRESS)
    return p.parse_args(argv)


# --- the data files of the dataset ------------------------------------------------------------


def current_metadata(table_dir):
    """The table's newest metadata file (Iceberg numbers them 00000-, 00001-, ...), parsed."""
    files = glob.glob(os.path.join(table_dir, "metadata", "*.metadata.json"))
    if not files:
        return None
    newest = max(files, key=lambda f: int(os.path.basename(f).split("-", 1)[0]))
    with open(newest, encoding="utf-8") as f:
        return json.load(f)


def dataset_files(warehouse):
    """The Parquet data files of acme's mobile_events: the Iceberg table whose current snapshot
    the demo tagged nql.demo = mobile_events, checked against the snapshot's file and row totals."""
    found = []
    for table_dir in sorted(glob.glob(os.path.join(warehouse, "data", "*", "*"))):
        meta = current_metadata(table_dir)
        if meta is None:
            continue
        current = meta.get("current-snapshot-id")
        snap = next((s for s in meta.get("snapshots", []) if s["snapshot-id"] == current), None)
        if snap and snap.get("summary", {}).get("nql.demo") == DATASET_TAG:
            found.append((table_dir, meta, snap["summary"]))
    if len(found) != 1:
        raise Failure(
            f"expected one Iceberg table tagged nql.demo={DATASET_TAG} under {warehouse}/data,"
            f" found {len(found)}"
        )
    table_dir, meta, summary = found[0]
    location = urlparse(meta["location"])
    root = unquote(location.path) if location.scheme == "file" else table_dir
    files = sorted(glob.glob(os.path.join(root, "data", "**", "*.parquet"), recursive=True))
    rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
    want_files, want_rows = int(summary["total-data-files"]), int(summary["total-records"])
    if summary.get("total-delete-files", "0") != "0":
        raise Failure(f"{root} has delete files; reading its data files alone would be wrong")
    if len(files) != want_files or rows != want_rows:
        raise Failure(
            f"{root}/data holds {len(files)} Parquet files and {rows} rows, its current snapshot"
            f" {want_files} files and {want_rows} rows"
        )
    return root, files, rows


# --- timing -------------------------------------------------------------------------------------


class Timing:
    """One figure's reads: the last answer, wall seconds of warm-up and timed reads, and the CPU
    seconds this process (Python and the ADBC driver's threads, or DuckDB) spent in the timed
    reads."""

    def __init__(self):
        self.result = None
        self.warm = []
        self.times = []
        self.cpu = []
        self.gateway_cpu = []


def process_cpu(pid):
    """CPU seconds (user + system) process pid has used so far, from /proc; None if unreadable."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    # After the command name: state is field 3 of stat(5), utime and stime fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_rounds(reads, runs, warmup, gateway_pid=None):
    """Runs every read of reads (name -> function) once per round, warmup + runs rounds:
    interleaved, so that the gateway's JIT warming up and the machine's load changing during the
    run weigh on every figure alike, and each round starting one read further on (a, b, c; b, c,
    a; ...), so that no figure always follows the same one. Returns name -> Timing."""
    out = {name: Timing() for name in reads}
    names = list(reads)
    for i in range(warmup + runs):
        shift = i % len(names)
        for name in names[shift:] + names[:shift]:
            read = reads[name]
            timing = out[name]
            timing.result = None  # free the previous answer before the next read
            gateway_cpu = process_cpu(gateway_pid)
            cpu = time.process_time()
            start = time.perf_counter()
            timing.result = read()
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu
            gateway_after = process_cpu(gateway_pid)
            if i < warmup:
                timing.warm.append(elapsed)
            else:
                timing.times.append(elapsed)
                timing.cpu.append(cpu)
                if gateway_cpu is not None and gateway_after is not None:
                    timing.gateway_cpu.append(gateway_after - gateway_cpu)
    return out


def checksum(table):
    """Row count, the sum of event_ts in microseconds, and the UTF-8 bytes of every string column:
    cheap and independent of row order; a missing or extra row, a changed timestamp or a changed
    string length shows."""
    micros = table.column("event_ts").cast(pyarrow.timestamp("us")).cast(pyarrow.int64())
    # Summed as a decimal: 240 k timestamps in microseconds overflow an int64 sum.
    ts = pc.sum(micros.cast(pyarrow.decimal128(38, 0)))
    text = 0
    for name in ("maid", "email_sha256", "country", "sex", "app_category"):
        text += pc.sum(pc.binary_length(table.column(name))).as_py() or 0
    return table.num_rows, int(ts.as_py() or 0), text


def load_average():
    try:
        return "%.2f" % os.getloadavg()[0]
    except OSError:
        return "unknown"


# --- report -------------------------------------------------------------------------------------


def rate(rows, seconds):
    return rows / seconds if seconds > 0 else float("inf")


def fmt_int(x):
    return f"{x:,.0f}"


def print_table(header, rows, aligns):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]

    def line(cells):
        out = []
        for cell, width, align in zip(cells, widths, aligns):
            out.append(str(cell).rjust(width) if align == "r" else str(cell).ljust(width))
        return "  ".join(out).rstrip()

    print(line(header))
    print("-" * len(line(["-" * w for w in widths])))
    for r in rows:
        print(line(r))


def seconds_list(values):
    return "[" + ", ".join(f"{v:.3f}" for v in values) + "]"


def main(argv):
    args = parse_args(argv)
    load_at_start = load_average()
    print(
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, load average"
        f" {args.load_before_gateway or 'unknown'} before the gateway started,"
        f" {load_at_start} at the benchmark's start"
    )
    print(
        f"Clients: Python {platform.python_version()}, adbc_driver_flightsql"
        f" {adbc_driver_flightsql.__version__}, pyarrow {pyarrow.__version__}, pandas"
        f" {pandas.__version__}, duckdb {duckdb.__version__}"
    )
    print(
        f"Runs: {args.warmup} warm-up and {args.runs} timed rounds (median reported), each round"
        " one read per figure (fetch_arrow_table, fetch_df, DuckDB), the order rotating"
    )
    print(f"ADBC:   {ADBC_SQL}   as {BUYER[0]} on {args.uri}")

    root, files, dataset_rows = dataset_files(args.warehouse)
    print(
        f"DuckDB: {DUCKDB_SQL.replace('$files', '<files>')}   over the {len(files)} Parquet files"
        f" ({dataset_rows:,} rows) of {root}"
    )
    print(flush=True)

    conn = flight_sql.connect(
        args.uri,
        db_kwargs={"username": BUYER[0], "password": BUYER[1]},
        autocommit=True,
    )
    duck = duckdb.connect()
    try:
        cur = conn.cursor()

        def read_arrow():
            cur.execute(ADBC_SQL)
            return cur.fetch_arrow_table()

        def read_pandas():
            cur.execute(ADBC_SQL)
            return cur.fetch_df()

        def read_duckdb():
            return duck.sql(DUCKDB_SQL, params={"files": files}).to_arrow_table()

        results = timed_rounds(
            {"arrow": read_arrow, "pandas": read_pandas, "duckdb": read_duckdb},
            args.runs,
            args.warmup,
            args.gateway_pid,
        )
        cur.close()
    finally:
        conn.close()
        duck.close()
    arrow_table = results["arrow"].result
    frame = results["pandas"].result
    duck_table = results["duckdb"].result

    # The answers must agree before any figure is trusted.
    adbc_sum, duck_sum = checksum(arrow_table), checksum(duck_table)
    if adbc_sum != duck_sum:
        raise Failure(
            f"ADBC and DuckDB disagree: (rows, sum of event_ts us, string bytes) {adbc_sum}"
            f" through the gateway, {duck_sum} from the Parquet files"
        )
    if len(frame) != arrow_table.num_rows:
        raise Failure(
            f"fetch_df returned {len(frame)} rows, fetch_arrow_table {arrow_table.num_rows}"
        )
    if arrow_table.num_rows == 0:
        raise Failure("the rule returned no rows: nothing to measure")

    rows = arrow_table.num_rows
    nbytes = arrow_table.nbytes
    figures = []
    for name, key in (
        ("ADBC fetch_arrow_table", "arrow"),
        ("ADBC fetch_df (pandas)", "pandas"),
        ("DuckDB in-process, Parquet files", "duckdb"),
    ):
        timing = results[key]
        median = statistics.median(timing.times)
        cpu = statistics.median(timing.cpu)
        figures.append(
            (name, key, median, rate(rows, median), nbytes / 1e6 / median, cpu, timing)
        )
    arrow_rate, pandas_rate, duck_rate = (f[3] for f in figures)

    met = arrow_rate >= GOAL_ROWS_PER_SECOND
    table = []
    for name, key, median, rows_per_s, mb_per_s, cpu, timing in figures:
        goal = ""
        if name == "ADBC fetch_arrow_table":
            goal = f">= {GOAL_ROWS_PER_SECOND:,} rows/s: {'met' if met else 'NOT met'}"
        table.append([f"{name}: rows/s", fmt_int(rows_per_s), goal])
        table.append([f"{name}: seconds (median)", f"{median:.3f}", ""])
        table.append([f"{name}: MB/s", f"{mb_per_s:,.1f}", ""])
        table.append([f"{name}: client CPU seconds (median)", f"{cpu:.3f}", ""])
        if timing.gateway_cpu and key != "duckdb":
            gateway_cpu = statistics.median(timing.gateway_cpu)
            table.append([f"{name}: gateway CPU seconds (median)", f"{gateway_cpu:.3f}", ""])
    table.append(["ADBC fetch_arrow_table / DuckDB, rows/s", f"{arrow_rate / duck_rate:.2f}",
                  "information"])
    table.append(["ADBC fetch_df / fetch_arrow_table, rows/s", f"{pandas_rate / arrow_rate:.2f}",
                  "information"])
    table.append(["rows", fmt_int(rows), "ADBC = DuckDB: met"])
    table.append(["Arrow table nbytes (ADBC)", fmt_int(nbytes), ""])
    print_table(["figure", "value", "goal"], table, ["l", "r", "l"])
    print(
        f"Checksum, equal for ADBC and DuckDB: {rows:,} rows, sum of event_ts {adbc_sum[1]} us,"
        f" {adbc_sum[2]:,} bytes of strings. MB/s: the ADBC Arrow table's nbytes / median seconds."
        " Client CPU: this process's CPU time per read (Python, the ADBC driver's threads, DuckDB);"
        " gateway CPU: the gateway JVM's, from /proc, during the same read."
    )
    print()
    print("Seconds per run (warm-up, then timed):")
    for name, *_, timing in figures:
        print(f"  {name:34s} {seconds_list(timing.warm)} {seconds_list(timing.times)}")
    print(f"Load average at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except Failure as e:
        sys.stderr.write(f"{PROG}: {e}\n")
        sys.exit(1)
