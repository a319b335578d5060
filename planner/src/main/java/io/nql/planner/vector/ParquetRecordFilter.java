package io.nql.planner.vector;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.iceberg.Schema;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.And;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.BoundPredicate;
import org.apache.iceberg.expressions.BoundReference;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Literal;
import org.apache.iceberg.expressions.Or;
import org.apache.iceberg.types.Type;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.filter2.predicate.FilterApi;
import org.apache.parquet.filter2.predicate.FilterPredicate;
import org.apache.parquet.filter2.predicate.Operators;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.DecimalLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.IntLogicalTypeAnnotation;
import org.apache.parquet.schema.LogicalTypeAnnotation.TimeUnit;
import org.apache.parquet.schema.PrimitiveType;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A scan's pushed Iceberg filter as parquet-mr's record filter over one file's columns, which
 * parquet-mr uses to skip row groups (statistics, dictionaries, bloom filters) and pages (column
 * and offset indexes).
 *
 * <p>The contract is the pushed filter's, one-sided: every row the Iceberg expression accepts, the
 * Parquet predicate accepts, so skipping what it rules out never drops a row (rows are still
 * filtered above the scan). A part that cannot be converted exactly is left out of a conjunction
 * and makes a disjunction accept everything; in particular a predicate is converted only on a
 * column the reader reads from the file (parquet-mr takes a column outside the projection for one
 * of NULLs only), whose physical type and annotation compare as the Iceberg type does: signed
 * integers, dates, timestamps and times in microseconds, decimals at the column's scale in INT32 or
 * INT64, strings and binary in unsigned byte order, booleans. Floating-point columns, {@code <>},
 * {@code NOT IN} and prefix tests are not converted.
 */
final class ParquetRecordFilter {
  private final Map<Integer, ColumnDescriptor> columns;

  private ParquetRecordFilter(Map<Integer, ColumnDescriptor> columns) {
    this.columns = columns;
  }

  /**
   * Converts a filter.
   *
   * @param schema the schema the filter binds to (the table's)
   * @param filter the scan's filter
   * @param columns the file columns the reader reads, by Iceberg field id
   * @return the predicate, or null when no part of the filter converts
   */
  static @Nullable FilterPredicate of(
      Schema schema, Expression filter, Map<Integer, ColumnDescriptor> columns) {
    Expression bound;
    try {
      bound = Binder.bind(schema.asStruct(), Expressions.rewriteNot(filter), true);
    } catch (ValidationException | UnsupportedOperationException e) {
      return null;
    }
    return new ParquetRecordFilter(columns).convert(bound);
  }

  /**
   * The predicate of an expression, or null when it accepts every row (as far as Parquet knows).
   */
  private @Nullable FilterPredicate convert(Expression e) {
    switch (e.op()) {
      case AND -> {
        And and = (And) e;
        FilterPredicate left = convert(and.left());
        FilterPredicate right = convert(and.right());
        if (left == null) {
          return right;
        }
        return right == null ? left : FilterApi.and(left, right);
      }
      case OR -> {
        Or or = (Or) e;
        FilterPredicate left = convert(or.left());
        FilterPredicate right = left == null ? null : convert(or.right());
        return left == null || right == null ? null : FilterApi.or(left, right);
      }
      default -> {
        if (e instanceof BoundPredicate<?> p && p.term() instanceof BoundReference<?> ref) {
          ColumnDescriptor column = columns.get(ref.fieldId());
          // parquet-mr names a column by its dotted path: a name with a dot cannot be named
          if (column != null
              && column.getMaxRepetitionLevel() == 0
              && column.getPath().length == 1
              && column.getPath()[0].indexOf('.') < 0) {
            return predicate(p, ref.type(), column);
          }
        }
        // TRUE, FALSE (kept for simplicity: nothing is skipped), NOT (rewritten away), the rest
        return null;
      }
    }
  }

  private static @Nullable FilterPredicate predicate(
      BoundPredicate<?> p, Type type, ColumnDescriptor column) {
    PrimitiveType physical = column.getPrimitiveType();
    String path = column.getPath()[0];
    return switch (physical.getPrimitiveTypeName()) {
      case INT32 -> {
        Function<Object, Integer> value = int32(type, physical.getLogicalTypeAnnotation());
        yield value == null ? null : ordered(p, FilterApi.intColumn(path), value);
      }
      case INT64 -> {
        Function<Object, Long> value = int64(type, physical.getLogicalTypeAnnotation());
        yield value == null ? null : ordered(p, FilterApi.longColumn(path), value);
      }
      case BINARY -> {
        Function<Object, Binary> value = binary(type, physical.getLogicalTypeAnnotation());
        yield value == null ? null : ordered(p, FilterApi.binaryColumn(path), value);
      }
      case BOOLEAN ->
          type.typeId() == Type.TypeID.BOOLEAN
              ? equality(p, FilterApi.booleanColumn(path), v -> (Boolean) v)
              : null;
      default -> null;
    };
  }

  /** How an Iceberg value of {@code type} becomes an INT32 column's value, or null. */
  private static @Nullable Function<Object, Integer> int32(
      Type type, @Nullable LogicalTypeAnnotation logical) {
    return switch (type.typeId()) {
      case INTEGER, LONG ->
          signedInteger(logical)
              ? v -> {
                long l = ((Number) v).longValue();
                if (l != (int) l) {
                  throw new UnsupportedOperationException("beyond INT32: " + l);
                }
                return (int) l;
              }
              : null;
      case DATE ->
          logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
              ? v -> (Integer) v
              : null;
      case DECIMAL -> {
        int scale = decimalScale(type, logical);
        yield scale < 0 ? null : v -> unscaled(v, scale).intValueExact();
      }
      default -> null;
    };
  }

  /** How an Iceberg value of {@code type} becomes an INT64 column's value, or null. */
  private static @Nullable Function<Object, Long> int64(
      Type type, @Nullable LogicalTypeAnnotation logical) {
    return switch (type.typeId()) {
      case LONG -> signedInteger(logical) ? v -> ((Number) v).longValue() : null;
      case TIMESTAMP ->
          logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation t
                  && t.getUnit() == TimeUnit.MICROS
              ? v -> (Long) v
              : null;
      case TIME ->
          logical instanceof LogicalTypeAnnotation.TimeLogicalTypeAnnotation t
                  && t.getUnit() == TimeUnit.MICROS
              ? v -> (Long) v
              : null;
      case DECIMAL -> {
        int scale = decimalScale(type, logical);
        yield scale < 0 ? null : v -> unscaled(v, scale).longValueExact();
      }
      default -> null;
    };
  }

  /** How an Iceberg value of {@code type} becomes a BINARY column's value, or null. */
  private static @Nullable Function<Object, Binary> binary(
      Type type, @Nullable LogicalTypeAnnotation logical) {
    return switch (type.typeId()) {
      case STRING ->
          logical == null || logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation
              ? v -> Binary.fromString(v.toString())
              : null;
      case BINARY -> logical == null ? v -> Binary.fromConstantByteArray(bytes(v)) : null;
      default -> null;
    };
  }

  private static byte[] bytes(Object v) {
    ByteBuffer b = ((ByteBuffer) v).duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static boolean signedInteger(@Nullable LogicalTypeAnnotation logical) {
    return logical == null || (logical instanceof IntLogicalTypeAnnotation i && i.isSigned());
  }

  /** The scale of a decimal column stored as an integer, or -1 when it is not the type's. */
  private static int decimalScale(Type type, @Nullable LogicalTypeAnnotation logical) {
    int scale = ((org.apache.iceberg.types.Types.DecimalType) type).scale();
    return logical instanceof DecimalLogicalTypeAnnotation d && d.getScale() == scale ? scale : -1;
  }

  private static java.math.BigInteger unscaled(Object v, int scale) {
    BigDecimal d = (BigDecimal) v;
    if (d.scale() != scale) {
      throw new UnsupportedOperationException("decimal " + d + " not at scale " + scale);
    }
    return d.unscaledValue();
  }

  /** A comparison or set test on an ordered column, or null when it does not convert. */
  private static <T extends Comparable<T>, C extends Operators.Column<T> & Operators.SupportsLtGt>
      @Nullable FilterPredicate ordered(BoundPredicate<?> p, C column, Function<Object, T> value) {
    try {
      return switch (p.op()) {
        case LT -> FilterApi.lt(column, value.apply(literal(p)));
        case LT_EQ -> FilterApi.ltEq(column, value.apply(literal(p)));
        case GT -> FilterApi.gt(column, value.apply(literal(p)));
        case GT_EQ -> FilterApi.gtEq(column, value.apply(literal(p)));
        default -> equality(p, column, value);
      };
    } catch (ArithmeticException | UnsupportedOperationException | ClassCastException e) {
      return null;
    }
  }

  /** {@code =}, {@code IN}, {@code IS [NOT] NULL}, or null for anything else. */
  private static <
          T extends Comparable<T>, C extends Operators.Column<T> & Operators.SupportsEqNotEq>
      @Nullable FilterPredicate equality(BoundPredicate<?> p, C column, Function<Object, T> value) {
    try {
      return switch (p.op()) {
        case IS_NULL -> FilterApi.eq(column, null);
        case NOT_NULL -> FilterApi.notEq(column, null);
        case EQ -> FilterApi.eq(column, value.apply(literal(p)));
        case IN -> {
          Set<T> values = new HashSet<>();
          for (Object v : p.asSetPredicate().literalSet()) {
            values.add(value.apply(v));
          }
          yield values.isEmpty() ? null : FilterApi.in(column, values);
        }
        default -> null;
      };
    } catch (ArithmeticException | UnsupportedOperationException | ClassCastException e) {
      return null;
    }
  }

  private static Object literal(BoundPredicate<?> p) {
    Literal<?> lit = p.asLiteralPredicate().literal();
    return lit.value();
  }

  /**
   * The field ids the scan filter reads (their columns are always read: the record filter and the
   * key filter work on them), or null when the filter does not bind (then every column is read).
   */
  static java.util.@Nullable Set<Integer> filterFields(Schema schema, @Nullable Expression filter) {
    if (filter == null) {
      return java.util.Set.of();
    }
    try {
      return Binder.boundReferences(schema.asStruct(), java.util.List.of(filter), true);
    } catch (RuntimeException e) {
      return null;
    }
  }

  static int topLevelIndex(org.apache.parquet.schema.MessageType schema, int fieldId) {
    java.util.List<org.apache.parquet.schema.Type> top = schema.getFields();
    for (int i = 0; i < top.size(); i++) {
      org.apache.parquet.schema.Type.ID id = top.get(i).getId();
      if (id != null && id.intValue() == fieldId) {
        return i;
      }
    }
    return -1;
  }
}
