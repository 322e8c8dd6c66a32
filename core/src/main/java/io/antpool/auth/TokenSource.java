package io.antpool.auth;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a client or a worker finds the server's token, first found wins: the option given explicitly
 * ({@code --token}, {@code token} in worker.json, {@code AntPoolOptions.setToken}), then the environment
 * variable {@value #ENV}, then the token file the server wrote on this machine ({@link TokenFile#defaultPath()}).
 */
public final class TokenSource {
  /** The environment variable holding the token. */
  public static final String ENV = "ANTPOOL_TOKEN";

  private TokenSource() {
  }

  /** The token to send, or null when none is known (the server then answers {@code AUTH_REQUIRED}). */
  public static String resolve(String explicit) {
    return resolve(explicit, System.getenv(), TokenFile.defaultPath());
  }

  /** {@link #resolve(String)} with the environment and the token file given, for tests. */
  public static String resolve(String explicit, Map<String, String> env, Path tokenFile) {
    if (explicit != null && !explicit.isBlank()) {
      return explicit.strip();
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    return TokenFile.read(tokenFile).orElse(null);
  }
}
