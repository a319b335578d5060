package io.nql.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;

/** Loads a CSV file with a header line into a PostgreSQL table through pgjdbc's copy API. */
public final class PgCopy {
  private PgCopy() {}

  /**
   * {@code COPY table (columns) FROM STDIN (FORMAT csv, HEADER)} with the file's bytes: an unquoted
   * empty field is NULL, as in NQL's {@code COPY INTO}.
   *
   * @return rows copied
   */
  public static long csv(Connection c, String table, String columns, Path csv)
      throws SQLException, IOException {
    try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      return c.unwrap(PGConnection.class)
          .getCopyAPI()
          .copyIn("COPY " + table + " (" + columns + ") FROM STDIN (FORMAT csv, HEADER)", in);
    }
  }
}
