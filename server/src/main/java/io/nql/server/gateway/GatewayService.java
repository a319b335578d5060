package io.nql.server.gateway;

import io.nql.planner.meta.ColumnarFrame;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.remote.LocalService;

/**
 * Avatica's service over the engine's Meta, which answers a statement's first frame as the Meta
 * made it: Avatica's own copies it into a plain frame, whose protobuf form would carry a columnar
 * frame's payload four times over (see {@link ColumnarFrame}).
 */
final class GatewayService extends LocalService {
  GatewayService(Meta meta) {
    super(meta);
  }

  @Override
  public ResultSetResponse toResponse(Meta.MetaResultSet resultSet) {
    ResultSetResponse response = super.toResponse(resultSet);
    if (resultSet.firstFrame instanceof ColumnarFrame frame && response.firstFrame != null) {
      return new ResultSetResponse(
          response.connectionId,
          response.statementId,
          response.ownStatement,
          response.signature,
          frame,
          response.updateCount,
          response.rpcMetadata);
    }
    return response;
  }
}
