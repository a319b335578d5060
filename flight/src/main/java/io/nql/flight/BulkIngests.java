package io.nql.flight;

import io.nql.planner.engine.IngestRequest;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.sql.JDBCType;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.arrow.flight.FlightStream;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandStatementIngest.TableDefinitionOptions;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;

/**
 * Flight SQL bulk ingestion ({@code CommandStatementIngest}, what ADBC's {@code adbc_ingest} and
 * {@code FlightSqlClient.executeIngest} send): the command and the Arrow stream translated into an
 * {@link IngestRequest} and rows for {@code NqlSession.ingest}.
 */
final class BulkIngests {
  private BulkIngests() {}

  /** The request of a command whose rows have {@code stream}'s schema. */
  static IngestRequest request(CommandStatementIngest command, FlightStream stream) {
    if (command.getTemporary()) {
      throw NqlException.of(
          ErrorCode.NOT_SUPPORTED,
          "Cannot ingest into %s: temporary tables are not supported",
          command.getTable());
    }
    if (command.hasTransactionId()) {
      throw NqlException.of(
          ErrorCode.NOT_SUPPORTED,
          "Cannot ingest into %s: transactions are not supported (each load is one snapshot)",
          command.getTable());
    }
    if (command.getTable().isEmpty()) {
      throw NqlException.of(ErrorCode.INVALID_NAME, "Cannot ingest rows: no table was named");
    }
    TableDefinitionOptions options = command.getTableDefinitionOptions();
    IngestRequest.IfMissing ifMissing =
        switch (options.getIfNotExist()) {
          case TABLE_NOT_EXIST_OPTION_CREATE -> IngestRequest.IfMissing.CREATE;
          default -> IngestRequest.IfMissing.FAIL;
        };
    IngestRequest.IfExists ifExists =
        switch (options.getIfExists()) {
          case TABLE_EXISTS_OPTION_APPEND -> IngestRequest.IfExists.APPEND;
          case TABLE_EXISTS_OPTION_REPLACE -> IngestRequest.IfExists.REPLACE;
          default -> IngestRequest.IfExists.FAIL;
        };
    List<IngestRequest.Column> columns = new ArrayList<>();
    for (Field f : stream.getSchema().getFields()) {
      columns.add(column(f, stream));
    }
    return new IngestRequest(
        command.hasSchema() ? command.getSchema() : null,
        command.getTable(),
        columns,
        ifMissing,
        ifExists);
  }

  private static IngestRequest.Column column(Field field, FlightStream stream) {
    ArrowType type = field.getType();
    DictionaryEncoding encoding = field.getDictionary();
    if (encoding != null) { // the values' type is the dictionary's
      Dictionary dictionary = stream.getDictionaryProvider().lookup(encoding.getId());
      if (dictionary != null) {
        type = dictionary.getVectorType();
      }
    }
    String name = field.getName();
    return switch (type.getTypeID()) {
      case Bool -> new IngestRequest.Column(name, JDBCType.BOOLEAN, 0, 0, "bool");
      case Int -> {
        ArrowType.Int i = (ArrowType.Int) type;
        JDBCType jdbc =
            i.getBitWidth() < 32 || i.getBitWidth() == 32 && i.getIsSigned()
                ? JDBCType.INTEGER
                : i.getBitWidth() == 64 && !i.getIsSigned() ? JDBCType.DECIMAL : JDBCType.BIGINT;
        yield new IngestRequest.Column(
            name,
            jdbc,
            jdbc == JDBCType.DECIMAL ? 20 : 0,
            0,
            (i.getIsSigned() ? "int" : "uint") + i.getBitWidth());
      }
      case FloatingPoint ->
          ((ArrowType.FloatingPoint) type).getPrecision() == FloatingPointPrecision.DOUBLE
              ? new IngestRequest.Column(name, JDBCType.DOUBLE, 0, 0, "double")
              : new IngestRequest.Column(name, JDBCType.REAL, 0, 0, "float");
      case Decimal -> {
        ArrowType.Decimal d = (ArrowType.Decimal) type;
        yield new IngestRequest.Column(
            name, JDBCType.DECIMAL, d.getPrecision(), d.getScale(), "decimal");
      }
      case Utf8, LargeUtf8, Utf8View ->
          new IngestRequest.Column(name, JDBCType.VARCHAR, 0, 0, "string");
      case Binary, LargeBinary, FixedSizeBinary, BinaryView ->
          new IngestRequest.Column(name, JDBCType.VARBINARY, 0, 0, "binary");
      case Date -> new IngestRequest.Column(name, JDBCType.DATE, 0, 0, "date");
      case Time -> new IngestRequest.Column(name, JDBCType.TIME, 0, 0, "time");
      case Timestamp ->
          ((ArrowType.Timestamp) type).getTimezone() == null
              ? new IngestRequest.Column(name, JDBCType.TIMESTAMP, 0, 0, "timestamp")
              : new IngestRequest.Column(
                  name, JDBCType.TIMESTAMP_WITH_TIMEZONE, 0, 0, "timestamp with time zone");
      default ->
          new IngestRequest.Column(
              name,
              JDBCType.OTHER,
              0,
              0,
              type.getTypeID().name().toLowerCase(java.util.Locale.ROOT));
    };
  }

  /** The stream's rows as Java values, batch by batch (dictionary-encoded columns decoded). */
  static Rows rows(FlightStream stream) {
    return new Rows(stream);
  }

  /** The rows of a stream; closing it frees the decoded dictionary columns. */
  static final class Rows implements Iterator<Object[]>, AutoCloseable {
    private final FlightStream stream;
    private final List<ValueVector> decoded = new ArrayList<>();
    private List<FieldVector> vectors;
    private int row;
    private int count;
    private boolean done;

    Rows(FlightStream stream) {
      this.stream = stream;
    }

    @Override
    public boolean hasNext() {
      while (!done && (vectors == null || row >= count)) {
        close();
        if (!stream.next()) {
          done = true;
          vectors = null;
          break;
        }
        VectorSchemaRoot root = stream.getRoot();
        List<FieldVector> batch = new ArrayList<>();
        for (FieldVector v : root.getFieldVectors()) {
          DictionaryEncoding encoding = v.getField().getDictionary();
          if (encoding == null) {
            batch.add(v);
          } else {
            Dictionary dictionary = stream.getDictionaryProvider().lookup(encoding.getId());
            FieldVector values = (FieldVector) DictionaryEncoder.decode(v, dictionary);
            decoded.add(values);
            batch.add(values);
          }
        }
        vectors = batch;
        row = 0;
        count = root.getRowCount();
      }
      return !done;
    }

    @Override
    public Object[] next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      List<FieldVector> batch = vectors;
      Object[] out = new Object[batch.size()];
      for (int c = 0; c < out.length; c++) {
        out[c] = ParameterValues.value(batch.get(c), row);
      }
      row++;
      return out;
    }

    @Override
    public void close() {
      decoded.forEach(ValueVector::close);
      decoded.clear();
    }
  }
}
