package io.antpool.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link ServerAddress#parse}: the forms people type are normalized to a {@code ws}/{@code wss} URI with an
 * explicit port (8086 by default), and anything else is refused with a message that shows a valid address.
 */
class ServerAddressTest {

  @ParameterizedTest(name = "\"{0}\" -> {1}")
  @CsvSource({
      "host,                    ws://host:8086",
      "host:9000,               ws://host:9000",
      "192.168.1.10,            ws://192.168.1.10:8086",
      "ws://host,               ws://host:8086",
      "ws://host:1234,          ws://host:1234",
      "wss://h:1,               wss://h:1",
      "wss://secure.example.org, wss://secure.example.org:8086",
      "WS://Host:9000,          ws://Host:9000",
      "ws://host:9000/ws,       ws://host:9000",
  })
  void normalizesTypedAddresses(String typed, String expected) {
    assertEquals(URI.create(expected), ServerAddress.parse(typed));
  }

  @Test
  void theDefaultPortIsTheProtocolDefault() {
    assertEquals(Protocol.DEFAULT_PORT, ServerAddress.parse("somewhere").getPort());
  }

  @Test
  void emptyAddressesAreRefusedWithAnExample() {
    for (String empty : new String[] {null, "", "   "}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse(empty));
      assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("ws://"), e.getMessage());
    }
  }

  @Test
  void otherSchemesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerAddress.parse("http://x"));

    assertTrue(e.getMessage().contains("http://x"), e.getMessage());
    assertTrue(e.getMessage().contains("must start with ws:// or wss://"), e.getMessage());
  }

  @Test
  void anAddressWithoutHostIsRefused() {
    for (String hostless : new String[] {"ws://", "ws://:8086", "wss:///ws"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> ServerAddress.parse(hostless), hostless);
      assertTrue(e.getMessage().contains(hostless) && e.getMessage().contains("ws://HOST:PORT"), e.getMessage());
    }
  }

  @Test
  void malformedAddressesAreRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ServerAddress.parse("ws://ho st:80"));

    assertTrue(e.getMessage().contains("ws://HOST:PORT"), e.getMessage());
  }
}
