package io.nql.planner.engine;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.iceberg.Lineage;
import io.nql.planner.iceberg.RowIds;
import io.nql.planner.ingest.postgres.PostgresTables;
import io.nql.planner.ingest.postgres.PostgresUrl;
import io.nql.planner.parser.SqlCreatePlaneDataset;
import io.nql.planner.plane.PlaneCredentials;
import io.nql.planner.policy.PseudoColumns;
import io.nql.planner.store.Company;
import io.nql.planner.store.Dataset;
import io.nql.planner.store.PlaneSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Datasets whose rows rest in a table of a data plane: {@code CREATE DATASET "x" IN DATA PLANE p
 * TABLE 'schema.table'} (the columns and primary key read from the table once, as the dataset's
 * company), and the refusal of every statement that would need the rows as Iceberg files.
 */
final class PlaneDatasets {
  private PlaneDatasets() {}

  /**
   * Creates the dataset: opens the caller's company's plane, reads the table's description as
   * {@link PostgresTables#describe} does and stores it.
   *
   * @throws NqlException NOT_SUPPORTED for a clause of embedded datasets; INVALID_PARAMETER_VALUE
   *     for a TABLE text that is not {@code [schema.]table}; UNDEFINED_OBJECT for a plane the
   *     company does not have (another company's too); INVALID_NAME for a column name a dataset
   *     cannot have; as {@link PostgresTables#describe} for the table
   */
  static StatementResult create(
      NqlEngine engine, Company company, String statementId, SqlCreatePlaneDataset n) {
    String name = n.getSimpleName();
    String what = "create dataset " + name;
    if (!n.getEmbeddedClauses().isEmpty()) {
      throw NqlException.of(
          ErrorCode.NOT_SUPPORTED,
          "Cannot %s: %s does not apply to a dataset in a data plane (its rows rest in the"
              + " plane's table)",
          what,
          String.join(", ", n.getEmbeddedClauses()));
    }
    List<String> table = tableName(name, n.getTable());
    String plane = n.getPlaneName();
    PlaneCredentials credentials = engine.dataPlanes().open(company.id(), plane, "use");
    PostgresUrl url = PostgresUrl.parse(credentials.url()); // checked when the plane was made
    List<PostgresTables.Column> described =
        PostgresTables.describe(
            url,
            credentials.user(),
            credentials.password(),
            engine.postgresHosts(),
            "data plane " + plane,
            table.get(0),
            table.get(1),
            what);
    List<PlaneSource.Column> columns = new ArrayList<>();
    for (PostgresTables.Column c : described) {
      checkColumnName(what, c.name());
      columns.add(
          new PlaneSource.Column(c.name(), c.sourceType(), c.type(), c.nullable(), c.key()));
    }
    engine
        .store()
        .createPlaneDataset(
            company.id(),
            name,
            new PlaneSource(plane, table.get(0), table.get(1), columns),
            d -> {});
    engine.dataChanged();
    return StatementResults.count(statementId, 0);
  }

  /**
   * The schema and table a TABLE text names: {@code schema.table} or {@code table} (schema {@code
   * public}); a part in double quotes is taken exactly (a doubled quote is one quote), an unquoted
   * one folded to lower case as PostgreSQL folds it.
   *
   * @throws NqlException INVALID_PARAMETER_VALUE for any other text
   */
  static List<String> tableName(String dataset, String text) {
    List<String> parts = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (true) {
      StringBuilder part = new StringBuilder();
      if (i < n && text.charAt(i) == '"') {
        i++;
        while (true) {
          if (i >= n) {
            throw badTable(dataset, "a quoted name is not closed");
          }
          char c = text.charAt(i++);
          if (c == '"') {
            if (i < n && text.charAt(i) == '"') {
              i++;
            } else {
              break;
            }
          }
          part.append(c == '"' ? '"' : c);
        }
        if (part.isEmpty() || part.indexOf("\0") >= 0) {
          throw badTable(dataset, "a quoted name is empty or holds a NUL character");
        }
      } else {
        int start = i;
        while (i < n && text.charAt(i) != '.') {
          char c = text.charAt(i);
          if (!(Character.isLetterOrDigit(c) || c == '_' || c == '$')
              || i == start && (Character.isDigit(c) || c == '$')) {
            throw badTable(
                dataset,
                "an unquoted name has letters, digits, _ and $ only (quote other names in double"
                    + " quotes)");
          }
          i++;
        }
        if (i == start) {
          throw badTable(dataset, "a name is empty");
        }
        part.append(fold(text.substring(start, i)));
      }
      parts.add(part.toString());
      if (i >= n) {
        break;
      }
      if (text.charAt(i) != '.') {
        throw badTable(dataset, "a quoted name is followed by something other than '.'");
      }
      i++;
    }
    if (parts.size() > 2) {
      throw badTable(dataset, "it names more than a schema and a table");
    }
    return parts.size() == 1 ? List.of("public", parts.get(0)) : List.copyOf(parts);
  }

  /** PostgreSQL folds the ASCII letters of an unquoted name only. */
  private static String fold(String name) {
    StringBuilder out = new StringBuilder(name.length());
    for (char c : name.toCharArray()) {
      out.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
    }
    return out.toString();
  }

  private static NqlException badTable(String dataset, String reason) {
    return NqlException.of(
        ErrorCode.INVALID_PARAMETER_VALUE,
        "Cannot create dataset %s: TABLE must be 'schema.table' or 'table' (either part may be in"
            + " double quotes); %s",
        dataset,
        reason);
  }

  /** Refuses the names the gateway gives columns of its own (lineage, row ids, pseudo-columns). */
  private static void checkColumnName(String what, String column) {
    boolean reserved =
        Stream.concat(
                Stream.concat(Lineage.RESERVED.stream(), PseudoColumns.ALL.stream()),
                Stream.of(RowIds.COLUMN))
            .anyMatch(r -> r.equalsIgnoreCase(column));
    if (reserved) {
      throw NqlException.of(
          ErrorCode.INVALID_NAME,
          "Cannot %s: column name %s is reserved for a column of the gateway's own (row"
              + " lineage, row ids, pseudo-columns); rename it in the source table",
          what,
          column);
    }
  }

  /** The source table as PostgreSQL names it, each part in double quotes: {@code "s"."t"}. */
  static String sourceTable(PlaneSource source) {
    return quoted(source.schema()) + "." + quoted(source.table());
  }

  private static String quoted(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /**
   * Refuses a statement that needs the rows of {@code dataset} as Iceberg files, before it does
   * anything, when the dataset rests in a data plane.
   *
   * @param verb what the statement does, e.g. {@code insert into}, {@code optimize}
   * @throws NqlException NOT_SUPPORTED naming the dataset, the plane and the statement
   */
  static void refuseInPlane(Dataset dataset, String verb) {
    if (dataset.inPlane()) {
      throw NqlException.of(
          ErrorCode.NOT_SUPPORTED,
          "Cannot %s dataset %s: it rests in data plane %s, whose table the gateway reads but does"
              + " not write or maintain",
          verb,
          dataset.name(),
          dataset.plane().plane());
    }
  }
}
