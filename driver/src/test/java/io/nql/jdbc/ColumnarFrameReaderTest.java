package io.nql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.nql.planner.meta.ColumnarFrame;
import io.nql.planner.result.ResultColumn;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.junit.jupiter.api.Test;

/**
 * The driver's side of the columnar frame format: it takes for columnar exactly the results the
 * gateway sends that way, never a standard frame, refuses a frame it cannot read, and asks for
 * columnar frames only where they can travel.
 */
class ColumnarFrameReaderTest {

  private static List<Integer> jdbcTypes() throws IllegalAccessException {
    List<Integer> types = new ArrayList<>();
    for (Field f : Types.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
        types.add(f.getInt(null));
      }
    }
    return types;
  }

  private static ColumnMetaData column(int type) {
    return ColumnMetaData.dummy(ColumnMetaData.scalar(type, "T", ColumnMetaData.Rep.OBJECT), true);
  }

  private static ResultColumn result(int type) {
    return new ResultColumn("c", type, "T", 0, 0, true);
  }

  @Test
  void theDriverTakesForColumnarExactlyWhatTheGatewaySendsThatWay() throws Exception {
    for (int type : jdbcTypes()) {
      assertThat(ColumnarFrameReader.supports(List.of(column(type))))
          .as("type %d alone", type)
          .isEqualTo(ColumnarFrame.supports(List.of(result(type))));
      for (int other : new int[] {Types.BIGINT, Types.VARBINARY, Types.ARRAY}) {
        assertThat(ColumnarFrameReader.supports(List.of(column(type), column(other))))
            .as("types %d, %d", type, other)
            .isEqualTo(ColumnarFrame.supports(List.of(result(type), result(other))));
      }
    }
    // a lone binary column's standard frame could look like a columnar one
    assertThat(ColumnarFrameReader.supports(List.of(column(Types.VARBINARY)))).isFalse();
    assertThat(ColumnarFrameReader.supports(List.of(column(Types.VARCHAR)))).isTrue();
  }

  /** A header: "NQLF", the version, the column count, a result number. */
  private static byte[] payload(int version, int columns, int... rest) {
    byte[] p = new byte[17 + rest.length];
    p[0] = 'N';
    p[1] = 'Q';
    p[2] = 'L';
    p[3] = 'F';
    p[4] = (byte) version;
    p[5] = (byte) columns;
    p[9] = 42;
    for (int i = 0; i < rest.length; i++) {
      p[17 + i] = (byte) rest[i];
    }
    return p;
  }

  @Test
  void aStandardFrameIsNeverTakenForAColumnarOne() {
    byte[] mark = payload(1, 2);
    assertThat(ColumnarFrameReader.payload(Meta.Frame.EMPTY)).isNull();
    assertThat(ColumnarFrameReader.payload(frame(List.of(List.of("NQLF-text"))))).isNull();
    assertThat(ColumnarFrameReader.payload(frame(List.of(Arrays.asList(mark, 1L))))).isNull();
    assertThat(ColumnarFrameReader.payload(frame(List.of(List.of(mark), List.of(mark))))).isNull();
    assertThat(ColumnarFrameReader.payload(frame(List.of(List.of(new byte[] {1, 2, 3}))))).isNull();
    assertThat(ColumnarFrameReader.payload(frame(List.of(List.of(mark))))).isSameAs(mark);
  }

  @Test
  void aFrameThatDoesNotMatchItsResultIsRefused() throws Exception {
    List<ColumnMetaData> two = List.of(column(Types.BIGINT), column(Types.VARCHAR));
    assertMalformed(payload(2, 2), two, "version 2");
    assertMalformed(payload(1, 1), two, "1 columns");
    // a chunk cut short: 3 rows of BIGINT (kind 5) announced, 8 bytes given
    assertMalformed(
        payload(1, 1, 3, 0, 0, 0, 5, 0, 1, 2, 3, 4, 5, 6, 7, 8),
        List.of(column(Types.BIGINT)),
        "ends inside a chunk");
    // INT64 values for a VARCHAR column
    assertMalformed(payload(1, 1, 0, 0, 0, 0, 5, 0), List.of(column(Types.VARCHAR)), "kind 5");
    // a whole frame: its result number and one row
    ColumnarFrameReader.Decoded d =
        ColumnarFrameReader.decode(
            frame(List.of(List.of(payload(1, 1, 1, 0, 0, 0, 5, 0, 7, 0, 0, 0, 0, 0, 0, 0)))),
            List.of(column(Types.BIGINT)));
    assertThat(d.result()).isEqualTo(42);
    assertThat(d.rows()).isEqualTo(1);
  }

  private static void assertMalformed(byte[] payload, List<ColumnMetaData> columns, String why) {
    assertThatThrownBy(() -> ColumnarFrameReader.decode(frame(List.of(List.of(payload))), columns))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("08P01"))
        .hasMessageContaining(why);
  }

  @Test
  void columnarFramesAreAskedForOverProtobufAndInProcessUnlessStandardIsChosen() throws Exception {
    assertThat(ConnectionProperties.columnar(url("jdbc:nql://h:1"))).isTrue();
    assertThat(ConnectionProperties.columnar(url("jdbc:nql://h:1?serialization=protobuf")))
        .isTrue();
    assertThat(ConnectionProperties.columnar(url("jdbc:nql:embedded:/tmp/wh"))).isTrue();
    assertThat(ConnectionProperties.columnar(url("jdbc:nql://h:1?serialization=json"))).isFalse();
    assertThat(ConnectionProperties.columnar(url("jdbc:nql://h:1?frame_encoding=standard")))
        .isFalse();
    assertThat(ConnectionProperties.columnar(url("jdbc:nql://h:1?frame_encoding=COLUMNAR")))
        .isTrue();
    assertThat(ConnectionProperties.sessionProperties(url("jdbc:nql://h:1?user=u")))
        .containsEntry("frame_encoding", "columnar-v1");
    assertThat(
            ConnectionProperties.sessionProperties(
                url("jdbc:nql://h:1?user=u&frame_encoding=standard")))
        .doesNotContainKey("frame_encoding");
    assertThatThrownBy(() -> ConnectionProperties.columnar(url("jdbc:nql://h:1?frame_encoding=x")))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("22023"));
    // no fetch size unless the application sets one: frames are sized by the gateway
    assertThat(ConnectionProperties.toAvatica(url("jdbc:nql://h:1")).getProperty("fetch_size"))
        .isEqualTo("0");
  }

  private static NqlUrl url(String url) throws SQLException {
    return NqlUrl.parse(url, new Properties());
  }

  private static Meta.Frame frame(List<Object> rows) {
    return new Meta.Frame(0, true, new ArrayList<>(rows));
  }
}
