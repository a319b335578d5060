package io.nql.planner.ingest;

import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The columns inferred from one file, or from several merged, before they become a schema: the
 * normalized names, and for each the evidence of its type: the values seen (CSV, JSON lines) or the
 * type the file declares (Parquet).
 *
 * <p>Files merge when they have the same columns, in any order (the first file's order is kept).
 * Values seen in text files merge as if they were one file; a declared type merges with another
 * type by the rules of one file (numbers widen to the type that holds both, other kinds give
 * VARCHAR); a column a file holds only NULLs in takes the other file's type.
 */
final class InferredColumns {
  private final String file;
  private final List<String> names;
  private final List<ColumnGuess> guesses;
  private final List<Type> types;

  private InferredColumns(
      String file, List<String> names, List<ColumnGuess> guesses, List<Type> types) {
    this.file = file;
    this.names = names;
    this.guesses = guesses;
    this.types = types;
  }

  /** Columns whose types are guessed from their values. */
  static InferredColumns guessed(String file, List<String> names, List<ColumnGuess> guesses) {
    List<Type> types = new ArrayList<>();
    names.forEach(n -> types.add(null));
    return new InferredColumns(file, names, new ArrayList<>(guesses), types);
  }

  /** Columns of declared types (normalized names, every column nullable). */
  static InferredColumns typed(String file, List<String> names, List<Type> declared) {
    List<ColumnGuess> guesses = new ArrayList<>();
    names.forEach(n -> guesses.add(null));
    return new InferredColumns(file, names, guesses, new ArrayList<>(declared));
  }

  /** The schema: field ids 1..n in column order, every column nullable. */
  Schema schema() {
    List<Types.NestedField> fields = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      fields.add(Types.NestedField.optional(i + 1, names.get(i), type(i)));
    }
    return new Schema(fields);
  }

  /**
   * Merges the columns of another file into these.
   *
   * @throws NqlException {@link ErrorCode#UNKNOWN_COLUMN} when the other file's columns are not the
   *     same as these, naming both files and the differences
   */
  void merge(InferredColumns other) {
    List<String> extra = new ArrayList<>();
    for (String n : other.names) {
      if (!names.contains(n)) {
        extra.add("'" + n + "'");
      }
    }
    List<String> missing = new ArrayList<>();
    Set<String> theirs = new HashSet<>(other.names);
    for (String n : names) {
      if (!theirs.contains(n)) {
        missing.add("'" + n + "'");
      }
    }
    if (!extra.isEmpty() || !missing.isEmpty()) {
      throw NqlException.of(
          ErrorCode.UNKNOWN_COLUMN,
          "Cannot load '%s': its columns differ from those of '%s' (%s%s%s); every file must have"
              + " the same columns to infer the dataset's schema: create the dataset first to load"
              + " files whose columns differ",
          other.file,
          file,
          extra.isEmpty() ? "" : "not in '" + file + "': " + String.join(", ", extra),
          extra.isEmpty() || missing.isEmpty() ? "" : "; ",
          missing.isEmpty() ? "" : "missing: " + String.join(", ", missing));
    }
    for (int j = 0; j < other.names.size(); j++) {
      int i = names.indexOf(other.names.get(j));
      ColumnGuess mine = guesses.get(i);
      ColumnGuess theirGuess = other.guesses.get(j);
      if (mine != null && theirGuess != null) {
        mine.merge(theirGuess);
      } else if (mine != null && !mine.sawValue()) {
        guesses.set(i, null);
        types.set(i, other.type(j));
      } else if (theirGuess == null || theirGuess.sawValue()) {
        types.set(i, widen(type(i), other.type(j)));
        guesses.set(i, null);
      }
    }
  }

  private Type type(int i) {
    return guesses.get(i) != null ? guesses.get(i).type() : types.get(i);
  }

  /** The narrowest type holding values of both types, by the rules of one file's inference. */
  static Type widen(Type a, Type b) {
    if (a.equals(b)) {
      return a;
    }
    if (!isNumber(a) || !isNumber(b)) {
      return Types.StringType.get();
    }
    if (isIntegral(a) && isIntegral(b)) {
      return Types.LongType.get();
    }
    if (!isExact(a) || !isExact(b)) {
      return Types.DoubleType.get();
    }
    int scale = Math.max(scale(a), scale(b));
    int integerDigits = Math.max(integerDigits(a), integerDigits(b));
    return integerDigits + scale <= 38
        ? Types.DecimalType.of(integerDigits + scale, scale)
        : Types.DoubleType.get();
  }

  private static boolean isNumber(Type t) {
    return isExact(t) || t.typeId() == Type.TypeID.FLOAT || t.typeId() == Type.TypeID.DOUBLE;
  }

  private static boolean isIntegral(Type t) {
    return t.typeId() == Type.TypeID.INTEGER || t.typeId() == Type.TypeID.LONG;
  }

  private static boolean isExact(Type t) {
    return isIntegral(t) || t.typeId() == Type.TypeID.DECIMAL;
  }

  private static int scale(Type t) {
    return t instanceof Types.DecimalType d ? d.scale() : 0;
  }

  private static int integerDigits(Type t) {
    if (t instanceof Types.DecimalType d) {
      return d.precision() - d.scale();
    }
    return t.typeId() == Type.TypeID.INTEGER ? 10 : 19;
  }
}
