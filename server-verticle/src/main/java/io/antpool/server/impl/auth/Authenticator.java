package io.antpool.server.impl.auth;

import io.antpool.server.auth.UserRole;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.Set;

/** Checks a credential, one strategy per {@link io.antpool.server.AuthMode}. */
interface Authenticator {
  /**
   * The roles {@code secret} (a token, or {@code user}'s password) holds; empty when the credential is wrong.
   * Completes on the caller's context. Never logs the secret.
   */
  Future<Optional<Set<UserRole>>> check(String user, String secret);

  /** What a peer must send, for the messages that say what to do: "the token", "a user and password". */
  String credentialName();

  /** Whether a request with no credential at all is let in (mode {@code none}). */
  default boolean open() {
    return false;
  }
}
