package io.nql.jdbc;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.ConnectionConfig;
import org.apache.calcite.avatica.proto.Common;
import org.apache.calcite.avatica.remote.AvaticaHttpClient;
import org.apache.calcite.avatica.remote.ProtobufTranslation;
import org.apache.calcite.avatica.remote.ProtobufTranslationImpl;
import org.apache.calcite.avatica.remote.RemoteProtobufService;
import org.apache.calcite.avatica.remote.RemoteService;
import org.apache.calcite.avatica.remote.Service;

/**
 * Avatica service factory for {@code jdbc:nql://}: Avatica's own remote services (protobuf or JSON
 * over HTTP), with one difference that matters only in the self-contained driver jar.
 *
 * <p>Avatica's protobuf wire format names each message by its Java class ({@code
 * org.apache.calcite.avatica.proto.Requests$ExecuteRequest}). In {@code nql-jdbc-*-all.jar} Avatica
 * is relocated under {@code io.nql.jdbc.shaded}, so those names would change and the gateway would
 * not recognise them. {@link WireNames} maps them back: the canonical package is read from the
 * protobuf descriptor (which relocation leaves alone), the local one from the loaded class.
 */
public final class RemoteServiceFactory implements Service.Factory {

  @Override
  public Service create(AvaticaConnection connection) {
    ConnectionConfig config = connection.config();
    URL url;
    try {
      url = new URL(config.url());
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("Invalid gateway address '" + config.url() + "'", e);
    }
    AvaticaHttpClient client = config.httpClientFactory().getClient(url, config, null);
    if ("json".equalsIgnoreCase(config.serialization())) {
      return new RemoteService(client);
    }
    ProtobufTranslation translation = new ProtobufTranslationImpl();
    return new RemoteProtobufService(
        client, WireNames.RELOCATED ? new WireNames(translation) : translation);
  }

  /** Renames protobuf wire messages between the relocated and the canonical Avatica package. */
  static final class WireNames implements ProtobufTranslation {
    /**
     * The package Avatica's messages have on the wire: {@code org.apache.calcite.avatica.proto}.
     */
    static final String WIRE = Common.getDescriptor().getOptions().getJavaPackage() + ".";

    /** The package of the message classes as loaded here (relocated in the all-jar). */
    static final String LOCAL = Common.class.getPackageName() + ".";

    static final boolean RELOCATED = !WIRE.equals(LOCAL);

    private final ProtobufTranslation delegate;

    WireNames(ProtobufTranslation delegate) {
      this.delegate = delegate;
    }

    @Override
    public byte[] serializeResponse(Service.Response response) throws IOException {
      return rename(delegate.serializeResponse(response), LOCAL, WIRE);
    }

    @Override
    public byte[] serializeRequest(Service.Request request) throws IOException {
      return rename(delegate.serializeRequest(request), LOCAL, WIRE);
    }

    @Override
    public Service.Request parseRequest(byte[] bytes) throws IOException {
      return delegate.parseRequest(rename(bytes, WIRE, LOCAL));
    }

    @Override
    public Service.Response parseResponse(byte[] bytes) throws IOException {
      return delegate.parseResponse(rename(bytes, WIRE, LOCAL));
    }

    static byte[] rename(byte[] bytes, String from, String to) throws IOException {
      Common.WireMessage message = Common.WireMessage.parseFrom(bytes);
      String name = message.getName();
      if (!name.startsWith(from)) {
        return bytes;
      }
      return message.toBuilder().setName(to + name.substring(from.length())).build().toByteArray();
    }
  }
}
