package io.nql.planner.engine;

import java.sql.JDBCType;
import java.util.List;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A bulk load of rows into a dataset of the caller's company (Flight SQL's {@code
 * CommandStatementIngest}, ADBC's {@code adbc_ingest}): see {@link NqlSession#ingest}.
 *
 * @param schema the namespace the client named: null, empty or {@code company_data}
 * @param dataset the dataset's name
 * @param columns the columns of the rows, in row order
 * @param ifMissing what to do when the dataset does not exist
 * @param ifExists what to do when it does
 */
public record IngestRequest(
    @Nullable String schema,
    String dataset,
    List<Column> columns,
    IfMissing ifMissing,
    IfExists ifExists) {

  public IngestRequest {
    columns = List.copyOf(columns);
  }

  /** When the dataset does not exist: create it from the columns, or fail (42P01). */
  public enum IfMissing {
    CREATE,
    FAIL
  }

  /**
   * When the dataset exists: fail (42P07), append the rows, or replace its rows by them (one
   * snapshot either way; replacing keeps the dataset, its rules and its schema).
   */
  public enum IfExists {
    FAIL,
    APPEND,
    REPLACE
  }

  /**
   * A column of the rows.
   *
   * @param name its name, matched exactly against an existing dataset's columns
   * @param type its type; {@link JDBCType#OTHER} for a type datasets do not hold (refused with
   *     0A000 naming the column)
   * @param precision digits of a DECIMAL
   * @param scale digits after the point of a DECIMAL
   * @param typeName the client's name of the type, in errors
   */
  public record Column(String name, JDBCType type, int precision, int scale, String typeName) {}

  /** The statement as the query log records it (no values). */
  String describe() {
    String mode =
        ifMissing == IfMissing.CREATE
            ? ifExists == IfExists.FAIL ? "create" : "create or " + ifExists.name().toLowerCase()
            : ifExists.name().toLowerCase();
    return "INGEST INTO "
        + Names.written(
            new org.apache.calcite.sql.SqlIdentifier(
                List.of(io.nql.planner.catalog.Namespaces.COMPANY_DATA, dataset),
                org.apache.calcite.sql.parser.SqlParserPos.ZERO))
        + " ("
        + mode
        + ", "
        + columns.size()
        + " columns)";
  }
}
