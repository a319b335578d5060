package io.nql.planner.ingest.postgres;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import io.nql.planner.ingest.LoadResult;
import io.nql.planner.ingest.RowAppender;
import io.nql.planner.ingest.TextValues;
import io.nql.planner.result.ProgressListener;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * One {@code COPY INTO … FROM POSTGRES}: a PostgreSQL table or query, opened (connected, its cursor
 * declared, its columns known) by {@link #open}, then loaded into a dataset's table by {@link
 * #loadInto} as one snapshot, all or nothing. Close it in any case. Not thread-safe.
 */
public final class PostgresImport implements AutoCloseable {
  /** Rows between two progress reports (each of which may stop the import at a cancel). */
  private static final int PROGRESS_ROWS = 1000;

  private final PostgresSource source;
  private final PostgresUrl url;
  private final String what;

  private PostgresImport(PostgresSource source, PostgresUrl url, String what) {
    this.source = source;
    this.url = url;
    this.what = what;
  }

  /**
   * Connects and opens the source: {@code table} (a name of one or two parts, schema first, read
   * whole) or {@code query}, exactly one of them not null.
   *
   * @param secret the secret's name, for messages
   * @param hosts the servers imports may reach
   * @param cancel the statement's cancel flag: set, it stops the server's work too
   * @throws NqlException INSUFFICIENT_PRIVILEGE when {@code hosts} does not allow the URL's host
   *     and port; as {@link PostgresSource#open} otherwise
   */
  public static PostgresImport open(
      PostgresUrl url,
      String user,
      String password,
      String secret,
      List<String> table,
      String query,
      PostgresHosts hosts,
      AtomicBoolean cancel) {
    hosts.check(url, "secret " + secret);
    String select;
    String what;
    if (table != null) {
      what = "table " + quoted(table);
      select = "SELECT * FROM " + quoted(table);
    } else {
      what = "query";
      select = withoutTrailingSemicolons(query);
      if (!isQuery(select)) {
        // PostgreSQL would refuse it in the cursor too, less clearly ("syntax error at DELETE")
        throw NqlException.of(
            ErrorCode.SYNTAX_ERROR,
            "Cannot import from PostgreSQL query: QUERY must be a SELECT, VALUES, TABLE or WITH"
                + " query");
      }
    }
    PostgresSource source =
        PostgresSource.open(url, user, password, secret, select, what, table != null, cancel);
    return new PostgresImport(source, url, what);
  }

  /** A PostgreSQL name in double quotes, embedded ones doubled: always read as a name. */
  static String quoted(List<String> parts) {
    List<String> out = new ArrayList<>();
    for (String p : parts) {
      out.add('"' + p.replace("\"", "\"\"") + '"');
    }
    return String.join(".", out);
  }

  /** Whether the first word, after blanks, comments and parentheses, starts a query. */
  static boolean isQuery(String sql) {
    int i = 0;
    int n = sql.length();
    while (i < n) {
      char c = sql.charAt(i);
      if (Character.isWhitespace(c) || c == '(') {
        i++;
      } else if (sql.startsWith("--", i)) {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end + 1;
      } else if (sql.startsWith("/*", i)) {
        int end = sql.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else {
        break;
      }
    }
    int end = i;
    while (end < n && Character.isLetter(sql.charAt(end))) {
      end++;
    }
    return Set.of("select", "with", "values", "table")
        .contains(sql.substring(i, end).toLowerCase(java.util.Locale.ROOT));
  }

  private static String withoutTrailingSemicolons(String query) {
    String q = query.strip();
    while (q.endsWith(";")) {
      q = q.substring(0, q.length() - 1).strip();
    }
    return q;
  }

  /**
   * The schema of a new dataset for the source: its columns as named and in order, every one
   * nullable, of the types {@link PostgresColumn} maps.
   *
   * @throws NqlException DUPLICATE_COLUMN when two columns have one name
   */
  public Schema schema() {
    List<Types.NestedField> fields = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    int id = 1;
    for (PostgresColumn c : source.columns()) {
      if (!seen.add(c.name())) {
        throw NqlException.of(
            ErrorCode.DUPLICATE_COLUMN,
            "Cannot import from PostgreSQL %s: two columns are named '%s'; name them apart (AS)"
                + " in a QUERY",
            what,
            c.name());
      }
      fields.add(Types.NestedField.optional(id++, c.name(), c.type()));
    }
    return new Schema(fields);
  }

  /**
   * Reads every row into {@code table} and commits them as one snapshot. Source columns match the
   * table's columns by name (exactly, else ignoring case), and each must fit its column's type
   * without loss; a table column the source lacks is NULL.
   *
   * @param displayName the table as the user names it, in messages
   * @param progress rows read so far (total unknown: -1); may stop the import by throwing
   * @throws NqlException UNKNOWN_COLUMN, DATATYPE_MISMATCH or DUPLICATE_COLUMN when the columns do
   *     not match; a value's error as {@link RowAppender#appendAs}; the source's errors. The table
   *     is unchanged after any of them.
   */
  public LoadResult loadInto(Table table, String displayName, ProgressListener progress) {
    List<Types.NestedField> fields = table.schema().columns();
    List<PostgresColumn> columns = source.columns();
    int[] targets = match(columns, fields, displayName);
    long[] rows = {0};
    progress.progress(0, -1);
    return RowAppender.appendAs(
        table,
        "import into " + displayName,
        targets,
        () -> {
          Object[] row = source.next();
          if (row != null && ++rows[0] % PROGRESS_ROWS == 0) {
            progress.progress(rows[0], -1);
          }
          return row;
        },
        Map.of(
            "nql.operation",
            "copy-into",
            "nql.source",
            "postgresql://" + url.hostAndPort() + "/" + url.database() + " " + what));
  }

  private int[] match(List<PostgresColumn> columns, List<Types.NestedField> fields, String name) {
    int[] targets = new int[columns.size()];
    boolean[] used = new boolean[fields.size()];
    List<String> unknown = new ArrayList<>();
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < columns.size(); i++) {
        if (pass == 1 && targets[i] > 0) {
          continue;
        }
        String col = columns.get(i).name();
        for (int t = 0; t < fields.size(); t++) {
          String f = fields.get(t).name();
          if (!used[t] && (pass == 0 ? f.equals(col) : f.equalsIgnoreCase(col))) {
            used[t] = true;
            targets[i] = t + 1;
            break;
          }
        }
        if (pass == 1 && targets[i] == 0) {
          unknown.add("'" + col + "'");
        }
      }
    }
    if (!unknown.isEmpty()) {
      throw NqlException.of(
          ErrorCode.UNKNOWN_COLUMN,
          "Cannot import into %s: %s %s not in the dataset",
          name,
          unknown.size() == 1 ? "column" : "columns",
          String.join(", ", unknown) + (unknown.size() == 1 ? " is" : " are"));
    }
    for (int i = 0; i < targets.length; i++) {
      targets[i]--;
      PostgresColumn c = columns.get(i);
      Type target = fields.get(targets[i]).type();
      if (!fits(c.type(), target)) {
        throw NqlException.of(
            ErrorCode.DATATYPE_MISMATCH,
            "Cannot import into %s: column '%s' is %s, which cannot hold the source's %s values"
                + " (%s)",
            name,
            fields.get(targets[i]).name(),
            TextValues.sqlName(target),
            c.sourceType(),
            TextValues.sqlName(c.type()));
      }
    }
    return targets;
  }

  /** Whether every value of {@code source} has a value of {@code target} that equals it. */
  static boolean fits(Type source, Type target) {
    if (source.equals(target)) {
      return true;
    }
    Type.TypeID s = source.typeId();
    return switch (target.typeId()) {
      case LONG -> s == Type.TypeID.INTEGER;
      case DOUBLE -> s == Type.TypeID.FLOAT || s == Type.TypeID.INTEGER;
      case DECIMAL -> {
        Types.DecimalType d = (Types.DecimalType) target;
        int digits = d.precision() - d.scale();
        yield s == Type.TypeID.INTEGER && digits >= 10
            || s == Type.TypeID.LONG && digits >= 19
            || s == Type.TypeID.DECIMAL
                && ((Types.DecimalType) source).scale() <= d.scale()
                && ((Types.DecimalType) source).precision() - ((Types.DecimalType) source).scale()
                    <= digits;
      }
      case STRING -> s != Type.TypeID.BINARY;
      default -> false;
    };
  }

  @Override
  public void close() {
    source.close();
  }
}
