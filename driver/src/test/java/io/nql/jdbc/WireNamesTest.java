package io.nql.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.calcite.avatica.proto.Common;
import org.junit.jupiter.api.Test;

/** The protobuf message renaming the self-contained (relocated) driver jar relies on. */
class WireNamesTest {

  @Test
  void unrelocatedDriverSendsAvaticasNamesAsTheyAre() {
    assertThat(RemoteServiceFactory.WireNames.WIRE).isEqualTo("org.apache.calcite.avatica.proto.");
    assertThat(RemoteServiceFactory.WireNames.RELOCATED).isFalse();
  }

  @Test
  void renamesOnlyMessagesOfTheGivenPackage() throws Exception {
    String wire = "org.apache.calcite.avatica.proto.";
    String local = "io.nql.jdbc.shaded.org.apache.calcite.avatica.proto.";
    byte[] relocated = message(local + "Requests$CatalogsRequest");
    Common.WireMessage sent =
        Common.WireMessage.parseFrom(RemoteServiceFactory.WireNames.rename(relocated, local, wire));
    assertThat(sent.getName()).isEqualTo(wire + "Requests$CatalogsRequest");
    assertThat(sent.getWrappedMessage().toStringUtf8()).isEqualTo("payload");

    byte[] other = message("something.Else");
    assertThat(RemoteServiceFactory.WireNames.rename(other, local, wire)).isSameAs(other);
  }

  private static byte[] message(String name) {
    return Common.WireMessage.newBuilder()
        .setName(name)
        .setWrappedMessage(com.google.protobuf.ByteString.copyFromUtf8("payload"))
        .build()
        .toByteArray();
  }
}
