package io.nql.planner.rosetta.classify;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.QuoteMode;

/**
 * A labelled corpus of provider datasets: one CSV file per dataset ({@code <dataset>.csv}, a header
 * of column names, a SQL NULL as an empty unquoted field, every other value quoted so that
 * whitespace and empty text survive) and {@code labels.csv}: {@code dataset, column, sql_type,
 * label, note}, the label an attribute or {@code none}.
 */
record Corpus(List<Corpus.Dataset> datasets) {
  static final String NONE = "none";
  static final String LABELS = "labels.csv";

  /** One dataset: its columns with their values (all columns have the same number of rows). */
  record Dataset(String name, List<Column> columns) {
    List<ColumnSample> samples() {
      return columns.stream()
          .map(c -> new ColumnSample(c.name(), c.sqlType(), c.values()))
          .toList();
    }
  }

  /** One labelled column. */
  record Column(String name, String sqlType, String label, String note, List<Object> values) {
    boolean positive() {
      return !label.equals(NONE);
    }
  }

  private static final DateTimeFormatter TIMESTAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
  private static final DateTimeFormatter TIMESTAMP_TZ =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ssxxx", Locale.ROOT);

  private static final CSVFormat WRITE =
      CSVFormat.DEFAULT
          .builder()
          .setRecordSeparator('\n')
          .setNullString("")
          .setQuoteMode(QuoteMode.ALL_NON_NULL)
          .get();
  private static final CSVFormat READ =
      CSVFormat.DEFAULT.builder().setNullString("").setQuoteMode(QuoteMode.ALL_NON_NULL).get();

  List<Column> columns() {
    return datasets.stream().flatMap(d -> d.columns().stream()).toList();
  }

  /** Writes the corpus into {@code dir} (created if missing). */
  void write(Path dir) throws IOException {
    Files.createDirectories(dir);
    try (Writer w = Files.newBufferedWriter(dir.resolve(LABELS), StandardCharsets.UTF_8);
        CSVPrinter labels =
            new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get())) {
      labels.printRecord("dataset", "column", "sql_type", "label", "note");
      for (Dataset d : datasets) {
        for (Column c : d.columns()) {
          labels.printRecord(d.name(), c.name(), c.sqlType(), c.label(), c.note());
        }
      }
    }
    for (Dataset d : datasets) {
      try (Writer w =
              Files.newBufferedWriter(dir.resolve(d.name() + ".csv"), StandardCharsets.UTF_8);
          CSVPrinter out = new CSVPrinter(w, WRITE)) {
        out.printRecord(d.columns().stream().map(Column::name).toList());
        int rows = d.columns().get(0).values().size();
        for (int i = 0; i < rows; i++) {
          List<String> record = new ArrayList<>();
          for (Column c : d.columns()) {
            record.add(format(c.values().get(i)));
          }
          out.printRecord(record);
        }
      }
    }
  }

  /** Reads a corpus written by {@link #write}. */
  static Corpus read(Path dir) throws IOException {
    Map<String, List<String[]>> labels = new LinkedHashMap<>();
    try (Reader r = Files.newBufferedReader(dir.resolve(LABELS), StandardCharsets.UTF_8);
        CSVParser p =
            CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
      for (CSVRecord rec : p) {
        labels
            .computeIfAbsent(rec.get("dataset"), k -> new ArrayList<>())
            .add(
                new String[] {
                  rec.get("column"), rec.get("sql_type"), rec.get("label"), rec.get("note")
                });
      }
    }
    List<Dataset> datasets = new ArrayList<>();
    for (Map.Entry<String, List<String[]>> e : labels.entrySet()) {
      List<String[]> cols = e.getValue();
      List<List<Object>> values = new ArrayList<>();
      cols.forEach(c -> values.add(new ArrayList<>()));
      try (Reader r =
              Files.newBufferedReader(dir.resolve(e.getKey() + ".csv"), StandardCharsets.UTF_8);
          CSVParser p = READ.parse(r)) {
        boolean header = true;
        for (CSVRecord rec : p) {
          if (header) {
            for (int i = 0; i < cols.size(); i++) {
              if (!rec.get(i).equals(cols.get(i)[0])) {
                throw new IOException(
                    e.getKey()
                        + ".csv: column "
                        + i
                        + " is "
                        + rec.get(i)
                        + ", labels.csv says "
                        + cols.get(i)[0]);
              }
            }
            header = false;
            continue;
          }
          for (int i = 0; i < cols.size(); i++) {
            values.get(i).add(parse(rec.get(i), cols.get(i)[1]));
          }
        }
      }
      List<Column> columns = new ArrayList<>();
      for (int i = 0; i < cols.size(); i++) {
        String[] c = cols.get(i);
        columns.add(new Column(c[0], c[1], c[2], c[3], values.get(i)));
      }
      datasets.add(new Dataset(e.getKey(), columns));
    }
    return new Corpus(datasets);
  }

  static String format(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof LocalDateTime t) {
      return TIMESTAMP.format(t);
    }
    if (v instanceof Instant t) {
      return TIMESTAMP_TZ.format(t.atOffset(ZoneOffset.UTC));
    }
    if (v instanceof BigDecimal b) {
      return b.toPlainString();
    }
    return v.toString();
  }

  static Object parse(String text, String sqlType) {
    if (text == null) {
      return null;
    }
    return switch (sqlType) {
      case "VARCHAR" -> text;
      case "BIGINT" -> Long.parseLong(text);
      case "INTEGER" -> Integer.parseInt(text);
      case "DOUBLE" -> Double.parseDouble(text);
      case "DECIMAL" -> new BigDecimal(text);
      case "BOOLEAN" -> Boolean.parseBoolean(text);
      case "DATE" -> LocalDate.parse(text);
      case "TIMESTAMP" -> LocalDateTime.parse(text, TIMESTAMP);
      case "TIMESTAMP_WITH_LOCAL_TIME_ZONE" -> OffsetDateTime.parse(text, TIMESTAMP_TZ).toInstant();
      default -> throw new IllegalArgumentException("unknown type " + sqlType);
    };
  }
}
