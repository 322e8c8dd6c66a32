package io.antpool.server.impl.auth;

import io.antpool.server.auth.PasswordHash;
import io.antpool.server.auth.UserRole;
import io.antpool.server.auth.UsersFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mode {@code users}: a user's password checked against its PBKDF2 hash, off the event loop (it costs a tenth
 * of a second of CPU on purpose). A credential verified once is remembered for {@link #REMEMBER_MILLIS} as a
 * SHA-256 digest of name and password (never the password), so a browser that sends HTTP Basic with every
 * dashboard request, or a client reconnecting, does not pay the hash each time.
 */
final class UsersAuthenticator implements Authenticator {
  static final long REMEMBER_MILLIS = 5 * 60_000;
  private final Vertx vertx;
  private final UsersFile users;
  private final Map<String, Long> verified = new ConcurrentHashMap<>();

  UsersAuthenticator(Vertx vertx, UsersFile users) {
    this.vertx = vertx;
    this.users = users;
  }

  @Override
  public Future<Optional<Set<UserRole>>> check(String user, String secret) {
    UsersFile.User known = users.user(user);
    if (known == null || secret == null) {
      return Future.succeededFuture(Optional.empty());
    }
    String digest = digest(user, secret);
    Long at = verified.get(digest);
    long now = System.currentTimeMillis();
    if (at != null && now - at < REMEMBER_MILLIS) {
      return Future.succeededFuture(Optional.of(known.roles()));
    }
    return vertx.executeBlocking(() -> {
      char[] password = secret.toCharArray();
      try {
        return PasswordHash.verify(password, known.hash());
      } finally {
        PasswordHash.wipe(password);
      }
    }, false).map(right -> {
      if (!right) {
        return Optional.empty();
      }
      if (verified.size() > 10_000) {
        verified.clear();
      }
      verified.put(digest, now);
      return Optional.of(known.roles());
    });
  }

  @Override
  public String credentialName() {
    return "a user name and password";
  }

  private static String digest(String user, String secret) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(user.getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      return HexFormat.of().formatHex(sha.digest(secret.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
