package io.antpool.protocol;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Parses the server addresses people type: {@code ws://host:port}, {@code wss://host:port}, {@code host:port}, {@code host}. */
public final class ServerAddress {
  private ServerAddress() {
  }

  /**
   * Normalizes an address to a {@code ws}/{@code wss} URI with an explicit port (8086 when none is given).
   *
   * @throws IllegalArgumentException with an example of a valid address
   */
  public static URI parse(String address) {
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("the server address is empty; write it as ws://HOST:PORT, e.g. ws://127.0.0.1:8086");
    }
    String text = address.contains("://") ? address : "ws://" + address;
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("server address " + address
          + " is not valid; write it as ws://HOST:PORT, e.g. ws://192.168.1.10:8086", e);
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("ws") && !scheme.equals("wss")) {
      throw new IllegalArgumentException("server address " + address + " must start with ws:// or wss://");
    }
    if (uri.getHost() == null && uri.getAuthority() != null && uri.getAuthority().contains("_")) {
      throw new IllegalArgumentException("server address " + address + ": a host name with '_' is not valid in a"
          + " URL; use the machine's IP address or a name without '_'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("server address " + address + " has no host; write ws://HOST:PORT");
    }
    try {
      return new URI(scheme, null, uri.getHost(), uri.getPort() == -1 ? Protocol.DEFAULT_PORT : uri.getPort(),
          null, null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("server address " + address + " is not valid: " + e.getMessage(), e);
    }
  }
}
