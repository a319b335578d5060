package io.nql.planner.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.nql.planner.result.ProgressListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema of several files is the schema of one file holding all their rows: checked against the
 * inference of their concatenation, a plain oracle.
 */
class DirectorySchemaTest {
  @TempDir Path dir;

  private String inferSplit(String... columns) throws Exception {
    List<SourceFile> files = new ArrayList<>();
    StringBuilder all = new StringBuilder("c\n");
    for (int i = 0; i < columns.length; i++) {
      Path f = Files.writeString(dir.resolve("f" + i + ".csv"), "c\n" + columns[i]);
      files.add(SourceFile.of(f, f.getFileName().toString(), null));
      all.append(columns[i]);
    }
    Schema split =
        SchemaInference.inferSchema(files, CopyOptions.defaults(), 2, ProgressListener.NONE);
    Path one = Files.writeString(dir.resolve("all.csv"), all);
    Schema whole = SchemaInference.inferSchema(one, CopyOptions.defaults());
    assertThat(split.asStruct()).isEqualTo(whole.asStruct());
    return split.columns().get(0).type().toString();
  }

  @Test
  void valuesSplitOverFilesInferTheTypeOfOneFile() throws Exception {
    assertThat(inferSplit("1\n2\n", "1.5\n")).isEqualTo("decimal(2, 1)");
    assertThat(inferSplit("1\n", "\n\n", "300\n")).isEqualTo("long");
    assertThat(inferSplit("\n", "true\n")).isEqualTo("boolean");
    assertThat(inferSplit("\n", "\n")).isEqualTo("string");
    assertThat(inferSplit("2026-01-01\n", "2026-01-01T10:00:00\n")).isEqualTo("string");
    assertThat(inferSplit("007\n", "8\n")).isEqualTo("string");
    assertThat(inferSplit("1e3\n", "12345.678\n")).isEqualTo("double");
    assertThat(inferSplit("2026-01-01T10:00:00Z\n", "2026-01-02T10:00:00+02:00\n"))
        .isEqualTo("timestamptz");
  }

  @Test
  void declaredTypesWidenAsOneFilesValuesWould() {
    assertThat(InferredColumns.widen(Types.IntegerType.get(), Types.LongType.get()))
        .isEqualTo(Types.LongType.get());
    assertThat(InferredColumns.widen(Types.LongType.get(), Types.DecimalType.of(4, 2)))
        .isEqualTo(Types.DecimalType.of(21, 2));
    assertThat(InferredColumns.widen(Types.DecimalType.of(4, 2), Types.DecimalType.of(10, 1)))
        .isEqualTo(Types.DecimalType.of(11, 2));
    assertThat(InferredColumns.widen(Types.DecimalType.of(38, 0), Types.DecimalType.of(10, 5)))
        .isEqualTo(Types.DoubleType.get());
    assertThat(InferredColumns.widen(Types.FloatType.get(), Types.LongType.get()))
        .isEqualTo(Types.DoubleType.get());
    assertThat(InferredColumns.widen(Types.DateType.get(), Types.TimestampType.withoutZone()))
        .isEqualTo(Types.StringType.get());
    assertThat(InferredColumns.widen(Types.BooleanType.get(), Types.LongType.get()))
        .isEqualTo(Types.StringType.get());
  }
}
