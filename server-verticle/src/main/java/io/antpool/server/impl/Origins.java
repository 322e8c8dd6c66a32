package io.antpool.server.impl;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** Web origins as browsers send them in an {@code Origin} header: {@code scheme://host[:port]}. */
public final class Origins {
  private Origins() {
  }

  /**
   * {@code origin} as {@code scheme://host[:port]} in lower case without the scheme's default port, so equal
   * origins compare equal; null if it is not an origin with a host (such as the {@code null} a sandboxed page
   * sends) or has a path.
   */
  public static String normalize(String origin) {
    try {
      URI uri = new URI(origin.trim());
      if (uri.getScheme() == null || uri.getHost() == null || (uri.getPath() != null && !uri.getPath().isEmpty()
          && !uri.getPath().equals("/"))) {
        return null;
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80)
          || (scheme.equals("https") && port == 443);
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
