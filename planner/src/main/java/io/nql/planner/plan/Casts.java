package io.nql.planner.plan;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlJdbcFunctionCall;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.sql.validate.SqlValidator;

/**
 * The conversions NQL runs, by {@code CAST} and by the JDBC escape {@code {fn CONVERT(value,
 * SQL_type)}}: for each type NQL values have (a {@link Types} code), the {@link Types} codes of the
 * types a value of it converts to. A pair is listed when the conversion runs on ordinary values of
 * the type (text that spells a value of the target, for strings); SqlSupportTest runs every pair.
 * Calcite's validator accepts some pairs its planner or runtime then cannot run ({@code CAST(1 AS
 * DATE)}); {@link #check} refuses every pair not listed, before planning, with {@code 42846}. Types
 * outside the table (intervals, arrays, NULL) are left to the validator.
 */
public final class Casts {
  private Casts() {}

  private static final Set<Integer> INTEGERS =
      Set.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT);

  private static final Set<Integer> FRACTIONAL = Set.of(Types.REAL, Types.DOUBLE, Types.DECIMAL);

  /** What a number converts to. */
  private static final Set<Integer> NUMBER_TARGETS =
      Set.of(
          Types.TINYINT,
          Types.SMALLINT,
          Types.INTEGER,
          Types.BIGINT,
          Types.REAL,
          Types.FLOAT,
          Types.DOUBLE,
          Types.DECIMAL,
          Types.NUMERIC,
          Types.BOOLEAN,
          Types.CHAR,
          Types.VARCHAR,
          Types.TIMESTAMP);

  private static final Map<Integer, Set<Integer>> CONVERSIONS = conversionsTable();

  private static Map<Integer, Set<Integer>> conversionsTable() {
    Map<Integer, Set<Integer>> m = new LinkedHashMap<>();
    Set<Integer> binaries = Set.of(Types.BINARY, Types.VARBINARY, Types.CHAR, Types.VARCHAR);
    Set<Integer> fromIntegers = union(NUMBER_TARGETS, Set.of(Types.BINARY, Types.VARBINARY));
    for (int t : INTEGERS) {
      m.put(t, fromIntegers);
    }
    for (int t : FRACTIONAL) {
      m.put(t, NUMBER_TARGETS);
    }
    m.put(Types.BOOLEAN, Set.of(Types.BOOLEAN, Types.CHAR, Types.VARCHAR));
    Set<Integer> fromStrings =
        union(
            NUMBER_TARGETS,
            Set.of(Types.DATE, Types.TIME, Types.BINARY, Types.VARBINARY, Types.BOOLEAN));
    m.put(Types.CHAR, fromStrings);
    m.put(Types.VARCHAR, fromStrings);
    m.put(Types.BINARY, binaries);
    m.put(Types.VARBINARY, binaries);
    m.put(Types.DATE, Set.of(Types.DATE, Types.TIMESTAMP, Types.CHAR, Types.VARCHAR));
    m.put(Types.TIME, Set.of(Types.TIME, Types.TIMESTAMP, Types.CHAR, Types.VARCHAR));
    Set<Integer> fromTimestamps =
        Set.of(
            Types.TIMESTAMP,
            Types.DATE,
            Types.TIME,
            Types.BIGINT,
            Types.REAL,
            Types.FLOAT,
            Types.DOUBLE,
            Types.DECIMAL,
            Types.NUMERIC,
            Types.CHAR,
            Types.VARCHAR);
    m.put(Types.TIMESTAMP, fromTimestamps);
    m.put(Types.TIMESTAMP_WITH_TIMEZONE, fromTimestamps);
    return Collections.unmodifiableMap(m);
  }

  private static Set<Integer> union(Set<Integer> a, Set<Integer> b) {
    Set<Integer> out = new HashSet<>(a);
    out.addAll(b);
    return Set.copyOf(out);
  }

  /** The conversions, from a type to the types its values convert to. */
  public static Map<Integer, Set<Integer>> conversions() {
    return CONVERSIONS;
  }

  /** Every type the table names, as a source or as a target. */
  private static final Set<Integer> KNOWN = known();

  private static Set<Integer> known() {
    Set<Integer> all = new HashSet<>(CONVERSIONS.keySet());
    CONVERSIONS.values().forEach(all::addAll);
    return Set.copyOf(all);
  }

  /**
   * Refuses a validated query's casts between types the table knows that it does not list.
   *
   * @throws NqlException {@code 42846} naming both types and the place of the cast
   */
  static void check(SqlValidator validator, SqlNode validated) {
    validated.accept(
        new SqlBasicVisitor<Void>() {
          @Override
          public Void visit(SqlCall call) {
            if (call.getKind() == SqlKind.UNION
                || call.getKind() == SqlKind.INTERSECT
                || call.getKind() == SqlKind.EXCEPT) {
              setOperation(validator, call);
            }
            if (call instanceof SqlCase c) {
              caseBranches(validator, c);
            }
            boolean cast = call.getKind() == SqlKind.CAST;
            // the escape's operator is named "{fn CONVERT}"
            boolean convert =
                call.getOperator() instanceof SqlJdbcFunctionCall f
                    && f.getName().equalsIgnoreCase("{fn CONVERT}");
            if ((cast || convert) && call.operandCount() >= 1) {
              RelDataType from = validator.getValidatedNodeTypeIfKnown(call.operand(0));
              RelDataType to = validator.getValidatedNodeTypeIfKnown(call);
              if (from != null && to != null && !converts(from, to)) {
                throw new NqlException(
                    ErrorCode.CANNOT_COERCE,
                    "Cannot cast " + name(from) + " to " + name(to) + at(call.getParserPosition()));
              }
            }
            return super.visit(call);
          }
        });
  }

  /**
   * The columns of a UNION, INTERSECT or EXCEPT: each branch's type must convert to the result's.
   * Calcite types {@code SELECT 1 UNION ALL SELECT DATE '2026-01-01'} as DATE and then reads the
   * number as a day count (a wrong answer, not an error).
   */
  private static void setOperation(SqlValidator validator, SqlCall call) {
    RelDataType result = validator.getValidatedNodeTypeIfKnown(call);
    if (result == null || !result.isStruct()) {
      return;
    }
    for (SqlNode branch : call.getOperandList()) {
      RelDataType type = validator.getValidatedNodeTypeIfKnown(branch);
      if (type == null || !type.isStruct() || type.getFieldCount() != result.getFieldCount()) {
        continue;
      }
      for (int i = 0; i < result.getFieldCount(); i++) {
        RelDataType from = type.getFieldList().get(i).getType();
        RelDataType to = result.getFieldList().get(i).getType();
        if (!converts(from, to)) {
          throw new NqlException(
              ErrorCode.DATATYPE_MISMATCH,
              call.getKind()
                  + " types "
                  + name(from)
                  + " and "
                  + name(to)
                  + " cannot be matched in column "
                  + (i + 1)
                  + at(call.getParserPosition()));
        }
      }
    }
  }

  /**
   * The results of a CASE (and of COALESCE, which the validator turns into one): each must convert
   * to the CASE's type. Calcite types {@code CASE WHEN … THEN n ELSE DATE '…' END} as DATE and
   * reads the number as a day count.
   */
  private static void caseBranches(SqlValidator validator, SqlCase c) {
    RelDataType to = validator.getValidatedNodeTypeIfKnown(c);
    if (to == null) {
      return;
    }
    List<SqlNode> results = new ArrayList<>(c.getThenOperands().getList());
    results.add(c.getElseOperand());
    for (SqlNode r : results) {
      RelDataType from = r == null ? null : validator.getValidatedNodeTypeIfKnown(r);
      if (from != null && !converts(from, to)) {
        throw new NqlException(
            ErrorCode.DATATYPE_MISMATCH,
            "CASE types "
                + name(from)
                + " and "
                + name(to)
                + " cannot be matched"
                + at(r.getParserPosition()));
      }
    }
  }

  private static boolean converts(RelDataType from, RelDataType to) {
    int f = from.getSqlTypeName().getJdbcOrdinal();
    int t = to.getSqlTypeName().getJdbcOrdinal();
    Set<Integer> targets = CONVERSIONS.get(f);
    return targets == null || !KNOWN.contains(t) || targets.contains(t);
  }

  /** A type as written in SQL, without its nullability. */
  static String name(RelDataType type) {
    return type.getFullTypeString().replace(" NOT NULL", "");
  }

  private static String at(SqlParserPos pos) {
    return pos == null || pos.getLineNum() <= 0
        ? ""
        : String.format(
            Locale.ROOT, " at line %d, column %d", pos.getLineNum(), pos.getColumnNum());
  }
}
