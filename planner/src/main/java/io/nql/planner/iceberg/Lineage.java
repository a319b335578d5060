package io.nql.planner.iceberg;

import java.util.List;
import java.util.Set;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.types.Types;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Row lineage (Iceberg format v3): every row of a dataset has a <em>row id</em>, assigned when the
 * row is first committed and kept when a copy-on-write {@code DELETE} or {@code UPDATE} rewrites it
 * into a new file (the rewrite writes the id, and the sequence number of the row's last update, as
 * two columns of the new file; a row written for the first time inherits its id from its file's
 * first row id and its position). Ids grow with every commit, so the rows committed after a
 * snapshot are exactly those whose id is at least the table's next row id as of that snapshot
 * ({@link #nextRowId}): that is how {@code DELTA} reads tell new rows from old ones whatever the
 * owner rewrote in between.
 *
 * <p>Datasets are created in format v3; tables of older versions are upgraded when the warehouse
 * opens ({@link #upgrade}).
 */
public final class Lineage {
  private Lineage() {}

  /** The row id column, as Iceberg names it (a metadata column: field id outside the schema's). */
  public static final String ROW_ID = MetadataColumns.ROW_ID.name();

  /** The column with the data sequence number of a row's last update. */
  public static final String LAST_UPDATED = MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER.name();

  /** Column names a dataset cannot have: the lineage columns the files may hold. */
  public static final Set<String> RESERVED = Set.of(ROW_ID, LAST_UPDATED);

  /** The format version that has row lineage. */
  public static final int FORMAT_VERSION = 3;

  /** The snapshot summary's {@code nql.operation} of the commit that assigns ids on upgrade. */
  static final String UPGRADE_OPERATION = "row-lineage";

  /** The metadata field of a lineage column ({@link #ROW_ID} or {@link #LAST_UPDATED}). */
  static Types.NestedField field(String name) {
    return name.equals(ROW_ID)
        ? MetadataColumns.ROW_ID
        : MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER;
  }

  /** Whether a table's rows have ids: format v3 or later, and no column of a reserved name. */
  public static boolean tracked(Table table) {
    return TableUtil.formatVersion(table) >= FORMAT_VERSION && !hasReservedColumn(table.schema());
  }

  private static boolean hasReservedColumn(Schema schema) {
    for (Types.NestedField f : schema.columns()) {
      if (RESERVED.contains(f.name())) {
        return true;
      }
    }
    return false;
  }

  /** {@code schema} and the two lineage columns after its own: how a rewrite writes its files. */
  public static Schema withLineage(Schema schema) {
    return MetadataColumns.schemaWithRowLineage(schema);
  }

  /**
   * The next row id of a table as of a snapshot: every row committed by the snapshot or before has
   * a smaller id, every row committed after a larger one; null for a snapshot committed before the
   * table had lineage.
   */
  public static @Nullable Long nextRowId(Snapshot snapshot) {
    Long first = snapshot.firstRowId();
    Long added = snapshot.addedRows();
    return first == null || added == null ? null : first + added;
  }

  /**
   * Upgrades a table of an older format to row lineage, in one transaction: the format version,
   * then (when the table has rows) an append without files, whose manifest list gives every
   * existing data file its first row id. A table with a column of a reserved name stays as it is.
   *
   * @return whether the table was upgraded
   */
  public static boolean upgrade(Table table) {
    if (TableUtil.formatVersion(table) >= FORMAT_VERSION || hasReservedColumn(table.schema())) {
      return false;
    }
    Transaction tx = table.newTransaction();
    tx.updateProperties()
        .set(TableProperties.FORMAT_VERSION, Integer.toString(FORMAT_VERSION))
        .commit();
    if (table.currentSnapshot() != null) {
      AppendFiles assign = tx.newAppend();
      assign.set("nql.operation", UPGRADE_OPERATION);
      assign.commit();
    }
    tx.commitTransaction();
    return true;
  }

  /** The names of a scan's lineage columns among {@code names}, in order. */
  static List<String> among(List<String> names) {
    return names.stream().filter(RESERVED::contains).toList();
  }
}
