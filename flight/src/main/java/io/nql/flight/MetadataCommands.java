package io.nql.flight;

import com.google.protobuf.Message;
import io.nql.planner.engine.NqlSession;
import java.util.List;
import java.util.Map;
import org.apache.arrow.flight.FlightDescriptor;
import org.apache.arrow.flight.FlightInfo;
import org.apache.arrow.flight.FlightProducer.CallContext;
import org.apache.arrow.flight.FlightProducer.ServerStreamListener;
import org.apache.arrow.flight.sql.FlightSqlProducer.Schemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCatalogs;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetCrossReference;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetDbSchemas;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetExportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetImportedKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetPrimaryKeys;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetSqlInfo;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTableTypes;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetTables;
import org.apache.arrow.flight.sql.impl.FlightSql.CommandGetXdbcTypeInfo;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The Flight SQL metadata commands: a command's FlightInfo has its Flight SQL schema and the
 * command itself as ticket; its DoGet sends the rows ({@link MetadataResults}) as one batch, read
 * in a session of the caller opened for it. {@code GetSqlInfo} answers from {@link ServerInfo}
 * without a session.
 */
final class MetadataCommands {
  /** The schema of each command's result; GetTables has two ({@link #schema}). */
  private static final Map<Class<? extends Message>, Schema> SCHEMAS =
      Map.of(
          CommandGetSqlInfo.class, Schemas.GET_SQL_INFO_SCHEMA,
          CommandGetXdbcTypeInfo.class, Schemas.GET_TYPE_INFO_SCHEMA,
          CommandGetCatalogs.class, Schemas.GET_CATALOGS_SCHEMA,
          CommandGetDbSchemas.class, Schemas.GET_SCHEMAS_SCHEMA,
          CommandGetTableTypes.class, Schemas.GET_TABLE_TYPES_SCHEMA,
          CommandGetPrimaryKeys.class, Schemas.GET_PRIMARY_KEYS_SCHEMA,
          CommandGetExportedKeys.class, Schemas.GET_EXPORTED_KEYS_SCHEMA,
          CommandGetImportedKeys.class, Schemas.GET_IMPORTED_KEYS_SCHEMA,
          CommandGetCrossReference.class, Schemas.GET_CROSS_REFERENCE_SCHEMA);

  private final CallSessions calls;
  private final BufferAllocator allocator;
  private final ServerInfo info;

  MetadataCommands(CallSessions calls, BufferAllocator allocator, ServerInfo info) {
    this.calls = calls;
    this.allocator = allocator;
    this.info = info;
  }

  /** The FlightInfo of a metadata command of an authenticated caller. */
  FlightInfo flightInfo(Message command, CallContext context, FlightDescriptor descriptor) {
    CallSessions.caller(context);
    return Replies.flightInfo(schema(command), descriptor, Replies.pack(command));
  }

  /** Sends the rows of a metadata command, read in a session of the caller. */
  void stream(Message command, CallContext context, ServerStreamListener listener) {
    try {
      List<Map<String, Object>> rows = calls.withSession(context, s -> rows(s, command));
      MetadataResults.send(schema(command), rows, allocator, listener);
    } catch (RuntimeException e) {
      listener.error(FlightErrors.of(e));
    }
  }

  /** Sends the server's SqlInfo values the command asks for (all when it names none). */
  void sqlInfo(CommandGetSqlInfo command, CallContext context, ServerStreamListener listener) {
    CallSessions.caller(context);
    info.send(command.getInfoList(), allocator, listener);
  }

  private static Schema schema(Message command) {
    if (command instanceof CommandGetTables tables) {
      return MetadataResults.tablesSchema(tables);
    }
    Schema schema = SCHEMAS.get(command.getClass());
    if (schema == null) {
      throw new IllegalArgumentException("Not a metadata command: " + command.getClass());
    }
    return schema;
  }

  /** The rows of a command; the key commands have none, as NQL's datasets have no keys. */
  private static List<Map<String, Object>> rows(NqlSession session, Message command) {
    if (command instanceof CommandGetTables tables) {
      return MetadataResults.tables(session, tables);
    } else if (command instanceof CommandGetDbSchemas schemas) {
      return MetadataResults.schemas(session, schemas);
    } else if (command instanceof CommandGetXdbcTypeInfo types) {
      return MetadataResults.typeInfo(types.hasDataType() ? types.getDataType() : null);
    } else if (command instanceof CommandGetCatalogs) {
      return MetadataResults.catalogs();
    } else if (command instanceof CommandGetTableTypes) {
      return MetadataResults.tableTypes();
    }
    return List.of();
  }
}
