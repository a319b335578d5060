package io.nql.planner.store;

import io.nql.planner.error.NqlException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One connection lent to a unit of work (see {@link Database}): each method prepares one statement,
 * binds {@code args} to its parameters in order and closes it. Arguments are bound with {@code
 * setObject}; an {@link Instant} is bound as a UTC timestamp, null as SQL NULL.
 */
final class Handle {
  static final String UNIQUE_VIOLATION = "23505";

  /** One row of a result set to a value. */
  @FunctionalInterface
  interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final Connection connection;
  private int statements;

  Handle(Connection connection) {
    this.connection = connection;
  }

  /** How many statements were sent on this handle's connection. */
  int statements() {
    return statements;
  }

  /** The first row of a query, if any. */
  <T> Optional<T> first(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args);
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? Optional.ofNullable(mapper.map(rs)) : Optional.empty();
    }
  }

  /** All rows of a query, in order. */
  <T> List<T> list(String sql, RowMapper<T> mapper, Object... args) throws SQLException {
    List<T> result = new ArrayList<>();
    try (PreparedStatement ps = prepare(sql, args);
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        result.add(mapper.map(rs));
      }
    }
    return List.copyOf(result);
  }

  /** Whether a query has a row. */
  boolean exists(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args);
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    }
  }

  /** Runs an INSERT, UPDATE or DELETE; the number of rows it changed. */
  int update(String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = prepare(sql, args)) {
      return ps.executeUpdate();
    }
  }

  /** Runs one INSERT, UPDATE or DELETE for each row of arguments, as one JDBC batch. */
  void batch(String sql, java.util.List<Object[]> rows) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    statements++;
    try (PreparedStatement ps = connection.prepareStatement(sql)) {
      for (Object[] args : rows) {
        bind(ps, args);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /**
   * Runs an INSERT; a unique violation becomes {@code duplicate}'s exception.
   *
   * @param duplicate the exception for a row that exists, given the violation as its cause
   */
  int insert(Function<SQLException, NqlException> duplicate, String sql, Object... args)
      throws SQLException {
    try {
      return update(sql, args);
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        throw duplicate.apply(e);
      }
      throw e;
    }
  }

  /** As {@link #insert}, returning the generated {@code id} of the new row. */
  long insertReturningId(Function<SQLException, NqlException> duplicate, String sql, Object... args)
      throws SQLException {
    statements++;
    try (PreparedStatement ps = connection.prepareStatement(sql, new String[] {"id"})) {
      bind(ps, args);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        if (!keys.next()) {
          throw new SQLException("no generated key", "XX000");
        }
        return keys.getLong(1);
      }
    } catch (SQLException e) {
      if (isUniqueViolation(e)) {
        throw duplicate.apply(e);
      }
      throw e;
    }
  }

  /** The next value of a sequence. */
  long nextval(String sequence) throws SQLException {
    return first("SELECT nextval('" + sequence + "')", rs -> rs.getLong(1)).orElseThrow();
  }

  /** Whether {@code e} says a row with the same unique key exists. */
  static boolean isUniqueViolation(SQLException e) {
    return UNIQUE_VIOLATION.equals(e.getSQLState());
  }

  private PreparedStatement prepare(String sql, Object... args) throws SQLException {
    statements++;
    PreparedStatement ps = connection.prepareStatement(sql);
    try {
      bind(ps, args);
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  private static void bind(PreparedStatement ps, Object... args) throws SQLException {
    for (int i = 0; i < args.length; i++) {
      Object arg = args[i];
      ps.setObject(i + 1, arg instanceof Instant t ? t.atOffset(ZoneOffset.UTC) : arg);
    }
  }
}
