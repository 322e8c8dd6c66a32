package io.antpool.server.impl.auth;

import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ProtocolException;
import io.antpool.server.auth.UserRole;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Guards the dashboard, its API and {@code /metrics}: a request from a trusted network (default loopback, so a
 * person on the server's machine just opens the page) passes; any other needs the role {@code admin} through
 * HTTP Basic (mode {@code users}: an admin user; mode {@code token}: any user name with the token as password),
 * else it is answered 401 with {@code WWW-Authenticate}, and the browser asks for a login. Browsers send the
 * login again with every request to the same origin, the live feed's EventSource included.
 */
public final class AdminGuard implements Handler<RoutingContext> {
  static final String CHALLENGE = "Basic realm=\"AntPool\", charset=\"UTF-8\"";
  private final Gatekeeper gate;

  public AdminGuard(Gatekeeper gate) {
    this.gate = gate;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String address = ctx.request().remoteAddress() == null ? "?" : ctx.request().remoteAddress().hostAddress();
    if (gate.trusted(address)) {
      ctx.next();
      return;
    }
    String[] login = basic(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    gate.admit(address, UserRole.ADMIN, login[0], login[1], "open the dashboard")
        .onSuccess(v -> ctx.next())
        .onFailure(e -> refuse(ctx, e));
  }

  private static void refuse(RoutingContext ctx, Throwable e) {
    ErrorCode code = e instanceof ProtocolException p ? p.code() : ErrorCode.INTERNAL;
    int status = switch (code) {
      case ROLE_FORBIDDEN -> 403;
      case TOO_MANY_FAILURES -> 429;
      default -> 401;
    };
    String hint = code == ErrorCode.AUTH_REQUIRED ? "from outside the server's trusted networks the dashboard needs"
        + " a login with the role admin (auth token: any user name, the token as password; auth users: an admin"
        + " user)" : e.getMessage();
    ctx.response().setStatusCode(status)
        .putHeader("WWW-Authenticate", CHALLENGE)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(code + ": " + hint + "\n");
  }

  /** {@code [user, password]} of an HTTP Basic header, or two nulls. */
  static String[] basic(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return new String[2];
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new String[2];
    }
    int colon = decoded.indexOf(':');
    return colon < 0 ? new String[2] : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }
}
