package io.antpool.server.impl.auth;

import io.antpool.server.auth.UserRole;
import io.vertx.core.Future;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Mode {@code none}: everybody holds every role, whatever they send. */
final class OpenAuthenticator implements Authenticator {
  private static final Set<UserRole> ALL = Set.copyOf(EnumSet.allOf(UserRole.class));

  @Override
  public Future<Optional<Set<UserRole>>> check(String user, String secret) {
    return Future.succeededFuture(Optional.of(ALL));
  }

  @Override
  public String credentialName() {
    return "nothing";
  }

  @Override
  public boolean open() {
    return true;
  }
}
