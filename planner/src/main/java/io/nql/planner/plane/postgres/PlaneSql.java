package io.nql.planner.plane.postgres;

import io.nql.planner.store.PlaneSource;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlDynamicParam;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.dialect.PostgresqlSqlDialect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.iceberg.types.Type;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The SQL a {@link PostgresPlaneScan} sends to its plane: {@code SELECT} of the columns it reads
 * from the source table, {@code WHERE} the conjuncts pushed into it. The statement is built as a
 * Calcite {@link SqlSelect} and unparsed with the PostgreSQL dialect with every identifier quoted,
 * so a schema, table or column name is never read as SQL; every value — a literal of the query or a
 * {@code ?} parameter — is a bind parameter of the prepared statement, never text.
 *
 * <p>A conjunct is pushed only when PostgreSQL evaluates it exactly as the engine does for every
 * row, so that the plane returns exactly the rows the engine's filter (which stays above the scan
 * and checks them again) keeps: comparisons of integer, numeric, date and boolean columns with
 * values; {@code =}, {@code <>} and {@code LIKE} (a pattern without backslash) of {@code text} and
 * {@code varchar} columns — not {@code <} or {@code >} of text, which PostgreSQL orders by its
 * collation; {@code IS [NOT] NULL} of columns whose values are all read as themselves; a boolean
 * column as a condition; {@code AND}, {@code OR}, {@code NOT} of those. Floating-point and
 * timestamp comparisons are not pushed (NaN's order and the engine's millisecond timestamps differ
 * from PostgreSQL's).
 */
final class PlaneSql {
  private static final SqlParserPos POS = SqlParserPos.ZERO;

  /** Most bind parameters one pushed filter may have (PostgreSQL allows 65,535 per statement). */
  static final int MAX_BINDS = 10_000;

  private static final Set<String> TEXT = Set.of("text", "varchar");

  private PlaneSql() {}

  /**
   * A value bound to one {@code ?} of the statement: a literal's value, or the statement's
   * parameter {@code parameter}.
   *
   * @param parameter the statement parameter's index, or -1 for a literal
   * @param value the literal's value (Java value: Long, BigDecimal, String, Boolean, LocalDate)
   * @param type the value's SQL type
   */
  record Bind(int parameter, @Nullable Object value, SqlTypeName type) {}

  /** A statement and its bind parameters, in the order of their {@code ?}. */
  record Query(String sql, List<Bind> binds) {}

  /**
   * The statement reading {@code columns} of the source table where every one of {@code conjuncts}
   * holds.
   *
   * @param conjuncts pushable conjuncts (see {@link #pushable}) over the table's columns
   */
  static Query select(
      RexBuilder rex, PlaneSource source, List<String> columns, List<RexNode> conjuncts) {
    List<Bind> binds = new ArrayList<>();
    SqlNodeList selectList = new SqlNodeList(POS);
    for (String c : columns) {
      selectList.add(new SqlIdentifier(c, POS));
    }
    SqlNode where = null;
    for (RexNode conjunct : conjuncts) {
      SqlNode sql = new Translator(source, binds).translate(expand(rex, conjunct));
      if (sql == null) {
        throw new IllegalStateException("conjunct not pushable: " + conjunct);
      }
      where = where == null ? sql : SqlStdOperatorTable.AND.createCall(POS, where, sql);
    }
    SqlSelect select =
        new SqlSelect(
            POS,
            null,
            selectList,
            new SqlIdentifier(List.of(source.schema(), source.table()), POS),
            where,
            null,
            null,
            null,
            null,
            null,
            null,
            null,
            null);
    String sql =
        select
            .toSqlString(
                c ->
                    c.withDialect(PostgresqlSqlDialect.DEFAULT)
                        .withQuoteAllIdentifiers(true)
                        .withAlwaysUseParentheses(true)
                        .withIndentation(0)
                        .withLineFolding(org.apache.calcite.sql.SqlWriterConfig.LineFolding.WIDE)
                        .withSelectListItemsOnSeparateLines(false)
                        .withClauseStartsLine(false))
            .getSql();
    return new Query(sql.replaceAll("\\s+", " ").trim(), List.copyOf(binds));
  }

  /** Whether a conjunct over the table's columns can be pushed (see the class comment). */
  static boolean pushable(RexBuilder rex, PlaneSource source, RexNode conjunct) {
    List<Bind> binds = new ArrayList<>();
    return new Translator(source, binds).translate(expand(rex, conjunct)) != null
        && binds.size() <= MAX_BINDS;
  }

  private static RexNode expand(RexBuilder rex, RexNode e) {
    return RexUtil.expandSearch(rex, null, e);
  }

  /** Translates one expression over the table's columns, collecting its binds; null if it can't. */
  private static final class Translator {
    private final PlaneSource source;
    private final List<Bind> binds;

    Translator(PlaneSource source, List<Bind> binds) {
      this.source = source;
      this.binds = binds;
    }

    @Nullable SqlNode translate(RexNode e) {
      if (e instanceof RexInputRef ref) {
        // a boolean column as a condition
        PlaneSource.Column c = source.columns().get(ref.getIndex());
        return c.type().typeId() == Type.TypeID.BOOLEAN ? new SqlIdentifier(c.name(), POS) : null;
      }
      if (!(e instanceof RexCall call)) {
        return null;
      }
      switch (call.getKind()) {
        case AND:
        case OR:
          {
            SqlOperator op =
                call.getKind() == SqlKind.AND ? SqlStdOperatorTable.AND : SqlStdOperatorTable.OR;
            SqlNode out = null;
            for (RexNode operand : call.getOperands()) {
              SqlNode s = translate(operand);
              if (s == null) {
                return null;
              }
              out = out == null ? s : op.createCall(POS, out, s);
            }
            return out;
          }
        case NOT:
          {
            SqlNode s = translate(call.getOperands().get(0));
            return s == null ? null : SqlStdOperatorTable.NOT.createCall(POS, s);
          }
        case IS_NULL:
        case IS_NOT_NULL:
          {
            PlaneSource.Column c = column(call.getOperands().get(0));
            if (c == null || !readExactly(c)) {
              return null;
            }
            SqlOperator op =
                call.getKind() == SqlKind.IS_NULL
                    ? SqlStdOperatorTable.IS_NULL
                    : SqlStdOperatorTable.IS_NOT_NULL;
            return op.createCall(POS, new SqlIdentifier(c.name(), POS));
          }
        case EQUALS:
        case NOT_EQUALS:
        case LESS_THAN:
        case LESS_THAN_OR_EQUAL:
        case GREATER_THAN:
        case GREATER_THAN_OR_EQUAL:
          return comparison(call);
        case LIKE:
          return like(call);
        default:
          return null;
      }
    }

    private @Nullable SqlNode comparison(RexCall call) {
      RexNode left = call.getOperands().get(0);
      RexNode right = call.getOperands().get(1);
      SqlKind kind = call.getKind();
      PlaneSource.Column c = column(left);
      RexNode value = right;
      if (c == null) {
        c = column(right);
        value = left;
        kind = kind.reverse();
      }
      if (c == null || !comparable(c, kind)) {
        return null;
      }
      int before = binds.size();
      SqlNode param = bind(value);
      if (param == null) {
        return null;
      }
      if (isText(c) && !textValue(binds.get(before))) {
        binds.remove(before);
        return null;
      }
      return operator(kind).createCall(POS, new SqlIdentifier(c.name(), POS), param);
    }

    private @Nullable SqlNode like(RexCall call) {
      if (call.getOperands().size() != 2) {
        return null; // an ESCAPE clause
      }
      PlaneSource.Column c = column(call.getOperands().get(0));
      if (c == null
          || !isText(c)
          || !(call.getOperands().get(1) instanceof RexLiteral pattern)
          || pattern.isNull()) {
        return null;
      }
      String text = pattern.getValueAs(String.class);
      if (text == null || text.indexOf('\\') >= 0 || text.indexOf('\0') >= 0) {
        return null; // PostgreSQL's LIKE escapes with a backslash by default; the engine's does not
      }
      binds.add(new Bind(-1, text, SqlTypeName.VARCHAR));
      return SqlStdOperatorTable.LIKE.createCall(
          POS, new SqlIdentifier(c.name(), POS), new SqlDynamicParam(binds.size() - 1, POS));
    }

    /** The source column an expression reads, unchanged or widened to a larger exact type. */
    private PlaneSource.@Nullable Column column(RexNode e) {
      if (e instanceof RexInputRef ref) {
        return source.columns().get(ref.getIndex());
      }
      if (e.getKind() == SqlKind.CAST
          && ((RexCall) e).getOperands().get(0) instanceof RexInputRef ref
          && widening(ref, e)) {
        return source.columns().get(ref.getIndex());
      }
      return null;
    }

    /** A bind for a literal or a bare parameter of a pushable type, or null. */
    private @Nullable SqlNode bind(RexNode value) {
      SqlTypeName type = value.getType().getSqlTypeName();
      if (value instanceof RexDynamicParam p) {
        if (!bindable(type)) {
          return null;
        }
        binds.add(new Bind(p.getIndex(), null, type));
      } else if (value instanceof RexLiteral literal && !literal.isNull()) {
        Object v = literalValue(literal, type);
        if (v == null) {
          return null;
        }
        binds.add(new Bind(-1, v, type));
      } else {
        return null;
      }
      return new SqlDynamicParam(binds.size() - 1, POS);
    }
  }

  private static boolean isText(PlaneSource.Column c) {
    return c.type().typeId() == Type.TypeID.STRING && TEXT.contains(c.sourceType());
  }

  /** Whether a text value can be compared in PostgreSQL as the engine compares it. */
  private static boolean textValue(Bind b) {
    if (b.parameter() >= 0) {
      return b.type() == SqlTypeName.VARCHAR;
    }
    String s = (String) b.value();
    // A CHAR literal compares ignoring trailing spaces; PostgreSQL has no NUL in text.
    return !s.endsWith(" ") && s.indexOf('\0') < 0;
  }

  /**
   * Whether every value of the column is read as itself: a numeric NaN and an infinite date or
   * timestamp read as NULL (see {@link PlaneScanSpec}), so {@code IS NULL} of such a column is not
   * pushed. (Comparisons may be: the engine's filter, for which such a value is NULL, keeps a
   * subset of what PostgreSQL keeps, as three-valued logic is monotone without {@code IS NULL}.)
   */
  private static boolean readExactly(PlaneSource.Column c) {
    return switch (c.type().typeId()) {
      case DECIMAL, DATE, TIMESTAMP -> false;
      default -> true;
    };
  }

  private static boolean comparable(PlaneSource.Column c, SqlKind kind) {
    return switch (c.type().typeId()) {
      case INTEGER, LONG, DECIMAL, DATE -> true;
      case BOOLEAN -> kind == SqlKind.EQUALS || kind == SqlKind.NOT_EQUALS;
      case STRING -> isText(c) && (kind == SqlKind.EQUALS || kind == SqlKind.NOT_EQUALS);
      default -> false;
    };
  }

  private static boolean widening(RexInputRef ref, RexNode cast) {
    SqlTypeName from = ref.getType().getSqlTypeName();
    SqlTypeName to = cast.getType().getSqlTypeName();
    int fromDigits =
        switch (from) {
          case SMALLINT -> 5;
          case INTEGER -> 10;
          case BIGINT -> 19;
          case DECIMAL -> ref.getType().getPrecision() - ref.getType().getScale();
          default -> -1;
        };
    if (fromDigits < 0) {
      return false;
    }
    return switch (to) {
      case INTEGER -> from == SqlTypeName.SMALLINT || from == SqlTypeName.INTEGER;
      case BIGINT -> from != SqlTypeName.DECIMAL;
      case DECIMAL ->
          cast.getType().getPrecision() - cast.getType().getScale() >= fromDigits
              && (from != SqlTypeName.DECIMAL
                  || cast.getType().getScale() >= ref.getType().getScale());
      default -> false;
    };
  }

  private static boolean bindable(SqlTypeName type) {
    return switch (type) {
      case TINYINT, SMALLINT, INTEGER, BIGINT, DECIMAL, VARCHAR, CHAR, BOOLEAN, DATE -> true;
      default -> false;
    };
  }

  private static @Nullable Object literalValue(RexLiteral literal, SqlTypeName type) {
    return switch (type) {
      case TINYINT, SMALLINT, INTEGER, BIGINT -> literal.getValueAs(Long.class);
      case DECIMAL -> literal.getValueAs(BigDecimal.class);
      case CHAR, VARCHAR -> literal.getValueAs(String.class);
      case BOOLEAN -> literal.getValueAs(Boolean.class);
      case DATE -> java.time.LocalDate.ofEpochDay(literal.getValueAs(Integer.class));
      default -> null;
    };
  }

  private static SqlOperator operator(SqlKind kind) {
    return switch (kind) {
      case EQUALS -> SqlStdOperatorTable.EQUALS;
      case NOT_EQUALS -> SqlStdOperatorTable.NOT_EQUALS;
      case LESS_THAN -> SqlStdOperatorTable.LESS_THAN;
      case LESS_THAN_OR_EQUAL -> SqlStdOperatorTable.LESS_THAN_OR_EQUAL;
      case GREATER_THAN -> SqlStdOperatorTable.GREATER_THAN;
      case GREATER_THAN_OR_EQUAL -> SqlStdOperatorTable.GREATER_THAN_OR_EQUAL;
      default -> throw new IllegalArgumentException(kind.toString());
    };
  }

  /**
   * A bind's value for one execution, as the driver takes it.
   *
   * @param parameters the statement's parameter values (Calcite internal values)
   */
  static @Nullable Object value(Bind b, java.util.function.IntFunction<Object> parameters) {
    if (b.parameter() < 0) {
      return b.value();
    }
    Object v = parameters.apply(b.parameter());
    if (v == null) {
      return null;
    }
    return switch (b.type()) {
      case TINYINT, SMALLINT, INTEGER, BIGINT -> ((Number) v).longValue();
      case DECIMAL -> v instanceof BigDecimal d ? d : new BigDecimal(v.toString());
      case DATE -> java.time.LocalDate.ofEpochDay(((Number) v).longValue());
      default -> v;
    };
  }
}
