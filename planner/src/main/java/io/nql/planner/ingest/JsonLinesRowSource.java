package io.nql.planner.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nql.planner.error.ErrorCode;
import io.nql.planner.error.NqlException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * JSON lines: one object per line, blank lines skipped. Scalars become {@code String}, {@code
 * Boolean}, {@code Long} (integers that fit 64 bits), {@code BigDecimal} (other integers and plain
 * decimals, exactly as written) or {@code Double} (numbers with an exponent); nested objects and
 * arrays become {@link JsonText}; JSON {@code null} is NULL.
 */
final class JsonLinesRowSource implements RowSource {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private final Path file;
  private final TextInput input;
  private long lineNumber;

  JsonLinesRowSource(Path file) {
    this.file = file;
    this.input = TextInput.open(file);
  }

  @Override
  public SourceRow next() {
    String line;
    try {
      do {
        line = input.reader.readLine();
        lineNumber++;
      } while (line != null && line.isBlank());
    } catch (IOException e) {
      throw TextInput.readError(file, e);
    }
    if (line == null) {
      return null;
    }
    try (JsonParser parser = FACTORY.createParser(line)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw bad("expected a JSON object");
      }
      List<String> names = new ArrayList<>();
      List<Object> values = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String name = parser.currentName();
        if (!seen.add(name)) {
          throw bad("duplicate key '" + name + "'");
        }
        parser.nextToken();
        names.add(name);
        values.add(value(parser));
      }
      if (parser.nextToken() != null) {
        throw bad("unexpected text after the JSON object");
      }
      return new SourceRow(lineNumber, names, values.toArray());
    } catch (JsonProcessingException e) {
      throw new NqlException(
          ErrorCode.BAD_COPY_FILE_FORMAT,
          String.format(
              Locale.ROOT,
              "Cannot load '%s': line %d: invalid JSON",
              file.getFileName(),
              lineNumber),
          e);
    } catch (IOException e) {
      throw TextInput.readError(file, e);
    }
  }

  private static Object value(JsonParser parser) throws IOException {
    switch (parser.currentToken()) {
      case VALUE_NULL:
        return null;
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_STRING:
        return parser.getText();
      case VALUE_NUMBER_INT:
        return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
            ? new BigDecimal(parser.getText())
            : (Object) parser.getLongValue();
      case VALUE_NUMBER_FLOAT:
        String text = parser.getText();
        return text.indexOf('e') >= 0 || text.indexOf('E') >= 0
            ? (Object) parser.getDoubleValue()
            : new BigDecimal(text);
      case START_OBJECT:
      case START_ARRAY:
        return new JsonText(MAPPER.writeValueAsString(parser.readValueAsTree()));
      default:
        throw new JsonParseFailure();
    }
  }

  private NqlException bad(String reason) {
    return NqlException.of(
        ErrorCode.BAD_COPY_FILE_FORMAT,
        "Cannot load '%s': line %d: %s",
        file.getFileName(),
        lineNumber,
        reason);
  }

  @Override
  public String positionWord() {
    return "line";
  }

  @Override
  public long bytesRead() {
    return input.counter.count();
  }

  @Override
  public long totalBytes() {
    return input.totalBytes;
  }

  @Override
  public void close() {
    try {
      input.reader.close();
    } catch (IOException e) {
      // Closing a read-only file: nothing was lost.
    }
  }

  /** A token that cannot start a value. */
  private static final class JsonParseFailure extends JsonProcessingException {
    private static final long serialVersionUID = 1L;

    JsonParseFailure() {
      super("unexpected token");
    }
  }
}
