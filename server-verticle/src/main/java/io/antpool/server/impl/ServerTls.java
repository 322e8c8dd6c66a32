package io.antpool.server.impl;

import io.antpool.server.ServerOptions;
import java.nio.file.Files;
import java.nio.file.Path;

/** The server's TLS files: checked before listening, so a missing one is a start error that says what to do. */
final class ServerTls {
  private ServerTls() {
  }

  /** @throws IllegalStateException naming the file that cannot be read and how to make a key and certificate */
  static void requireFiles(ServerOptions options) {
    for (String[] file : new String[][] {{"private key", "sslKey", options.getSslKey()},
        {"certificate", "sslCert", options.getSslCert()}}) {
      Path path = Path.of(file[2]);
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw new IllegalStateException("TLS (/s, --ssl) needs the server's " + file[0] + " in PEM, but "
            + path.toAbsolutePath() + " does not exist or cannot be read; name yours with \"" + file[1]
            + "\" in server.json, or make a self-signed pair in the working folder with: openssl req -x509"
            + " -newkey rsa:2048 -nodes -days 365 -keyout privkey.key -out cacert.csr -subj /CN=HOST -addext"
            + " subjectAltName=DNS:HOST,IP:ADDRESS (HOST and ADDRESS: the name and IP workers and clients use)");
      }
    }
  }
}
