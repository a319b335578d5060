package io.nql.planner.meta;

import com.google.protobuf.UnsafeByteOperations;
import io.nql.planner.result.ResultColumn;
import java.util.List;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.proto.Common;

/**
 * A frame whose rows travel column-wise in one byte string ({@link ColumnarFrameWriter} describes
 * the payload): to Avatica, a frame of one row of one {@code BYTE_STRING} value, whatever the rows
 * and columns it carries. Sent only to clients that asked for it when they connected (connection
 * property {@value #PROPERTY} = {@value #VERSION_1}, which the {@code jdbc:nql} driver sends),
 * because any other Avatica client would read that one value as the result.
 *
 * <p>Its protobuf form sets the value once, as bytes: Avatica's own {@link Meta.Frame#toProto}
 * would add the deprecated copy of every value and a base64 copy of every byte string, four times
 * the payload for a driver that reads neither.
 */
public final class ColumnarFrame extends Meta.Frame {
  /** The connection property by which a client asks for columnar frames. */
  public static final String PROPERTY = "frame_encoding";

  /** Its value for version 1 of the format. */
  public static final String VERSION_1 = "columnar-v1";

  private final byte[] payload;

  /**
   * Whether a result with these columns travels in columnar frames to a client that asked for them
   * (else in standard ones): the {@code jdbc:nql} driver applies the same rule.
   */
  public static boolean supports(List<ResultColumn> columns) {
    return ColumnarFrameWriter.supports(columns);
  }

  private final long rows;

  ColumnarFrame(long offset, boolean done, byte[] payload, long rows) {
    super(offset, done, List.of(List.of(payload)));
    this.payload = payload;
    this.rows = rows;
  }

  /** The rows the frame carries. */
  long rowCount() {
    return rows;
  }

  /** The encoded rows. */
  byte[] payload() {
    return payload;
  }

  @Override
  public Common.Frame toProto() {
    Common.TypedValue value =
        Common.TypedValue.newBuilder()
            .setType(Common.Rep.BYTE_STRING)
            .setBytesValue(UnsafeByteOperations.unsafeWrap(payload))
            .build();
    Common.ColumnValue column =
        Common.ColumnValue.newBuilder().setHasArrayValue(false).setScalarValue(value).build();
    return Common.Frame.newBuilder()
        .setOffset(offset)
        .setDone(done)
        .addRows(Common.Row.newBuilder().addValue(column))
        .build();
  }
}
