package io.antpool.protocol;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a task client or a worker checks the certificate of a {@code wss://} server: against the certificates of
 * a PEM file ({@code trustCertFile}: the server's self-signed certificate, or the CA that signed it), against
 * the JVM's default trust store (neither set), or not at all ({@code trustAll}: for tests with throw-away
 * certificates only, since anyone on the path can then impersonate the server; every connection logs a warning).
 * Ignored for {@code ws://} servers.
 */
public record ClientTls(String trustCertFile, boolean trustAll) {
  /** The JVM's default trust store. */
  public static final ClientTls DEFAULT = new ClientTls(null, false);

  /**
   * @throws IllegalArgumentException when both a trust file and trust-all are given, or the file is unreadable
   */
  public ClientTls {
    if (trustCertFile != null && trustAll) {
      throw new IllegalArgumentException("give either a certificate file to trust (trustCertFile, --ca-file) or"
          + " trustAll (--insecure), not both");
    }
    if (trustCertFile != null) {
      requireReadable(trustCertFile);
    }
  }

  /**
   * The warning to log before connecting to {@code server}, or null: with trust-all, a {@code wss://} connection
   * does not know whom it talks to.
   */
  public String insecureWarning(URI server) {
    if (!trustAll || !"wss".equalsIgnoreCase(server.getScheme())) {
      return null;
    }
    return "INSECURE: connecting to " + server + " without checking its TLS certificate (trustAll / --insecure):"
        + " anyone on the network path can pose as this server; use it for tests only, and trust the server's"
        + " certificate with trustCertFile / --ca-file instead";
  }

  /** @throws IllegalArgumentException naming the file and how to get one, when it cannot be read */
  public static void requireReadable(String trustCertFile) {
    Path file = Path.of(trustCertFile);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new IllegalArgumentException("the certificate file to trust " + file.toAbsolutePath() + " does not"
          + " exist or cannot be read; copy the server's certificate (its sslCert, e.g. cacert.csr) or the CA"
          + " certificate that signed it (PEM) to this machine and name it with --ca-file / trustCertFile");
    }
  }
}
