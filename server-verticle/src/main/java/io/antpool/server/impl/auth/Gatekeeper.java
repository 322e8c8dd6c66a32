package io.antpool.server.impl.auth;

import io.antpool.auth.TokenFile;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Role;
import io.antpool.server.AuthMode;
import io.antpool.server.ServerOptions;
import io.antpool.server.auth.UserRole;
import io.antpool.server.auth.UsersFile;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides who gets in: AntPool peers by the credential in their hello, the dashboard by address or HTTP Basic,
 * legacy v1 peers by address or their {@code LOGIN}'s user and password. Every refusal is a
 * {@link ProtocolException} with an auth {@link ErrorCode} whose message says what to do and never contains a
 * credential. Failed logins are counted per address ({@link LoginLimiter}) and logged once per address and
 * minute. Used on the server's event loop.
 */
public final class Gatekeeper {
  private static final Logger log = LoggerFactory.getLogger(Gatekeeper.class);

  private final AuthMode mode;
  private final Authenticator authenticator;
  private final Networks trusted;
  private final LoginLimiter limiter;
  private final Path tokenFile;
  private final String token;

  Gatekeeper(AuthMode mode, Authenticator authenticator, Networks trusted, LoginLimiter limiter, Path tokenFile,
      String token) {
    this.mode = mode;
    this.authenticator = authenticator;
    this.trusted = trusted;
    this.limiter = limiter;
    this.tokenFile = tokenFile;
    this.token = token;
  }

  /**
   * The gatekeeper {@code options} describe: reads (or makes) the token file, or reads the users file. Blocks on
   * file I/O: call it off the event loop.
   *
   * @throws IllegalArgumentException when the options cannot work: {@code none} on a public address without
   *     {@code allowUnauthenticatedPublicBind}, {@code users} without a readable users file
   */
  public static Gatekeeper create(Vertx vertx, ServerOptions options) {
    Networks trusted = Networks.parse(options.getTrustedNetworks());
    LoginLimiter limiter = new LoginLimiter(System::currentTimeMillis);
    return switch (options.getAuth()) {
      case TOKEN -> {
        Path file = tokenFile(options);
        String token = TokenFile.readOrCreate(file);
        yield new Gatekeeper(AuthMode.TOKEN, new TokenAuthenticator(token), trusted, limiter, file, token);
      }
      case USERS -> {
        if (options.getUsersFile() == null) {
          throw new IllegalArgumentException("auth users needs a users file: set usersFile in server.json, and add"
              + " users with: antpool user add NAME --role submit --file FILE");
        }
        UsersFile users = UsersFile.read(Path.of(options.getUsersFile()));
        yield new Gatekeeper(AuthMode.USERS, new UsersAuthenticator(vertx, users), trusted, limiter, null, null);
      }
      case NONE -> {
        if (!isLoopback(options.getHost()) && !options.isAllowUnauthenticatedPublicBind()) {
          throw new IllegalArgumentException("auth none on " + options.getHost() + " would let anybody who reaches"
              + " this port run code on every worker; bind 127.0.0.1 (--host 127.0.0.1), use auth token (the"
              + " default), or if that is really intended set allowUnauthenticatedPublicBind to true");
        }
        log.warn("auth none: anybody who can reach {}:{} can run any code on every worker", options.getHost(),
            options.getPort());
        yield new Gatekeeper(AuthMode.NONE, new OpenAuthenticator(), trusted, limiter, null, null);
      }
    };
  }

  /** The token file a server with {@code options} uses. */
  public static Path tokenFile(ServerOptions options) {
    return options.getTokenFile() == null ? TokenFile.defaultPath() : Path.of(options.getTokenFile());
  }

  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public AuthMode mode() {
    return mode;
  }

  /** Whether {@code address} is on the trusted networks (or the server is open to all). */
  public boolean trusted(String address) {
    return authenticator.open() || trusted.contains(address);
  }

  /** The role a peer's hello asks for needs this credential role. */
  public static UserRole needed(Role role) {
    return role == Role.WORKER ? UserRole.WORK : UserRole.SUBMIT;
  }

  /**
   * Lets {@code user}/{@code secret} from {@code address} in with {@code role}, or fails with the reason.
   *
   * @param what what the peer is doing, for messages: "connect as a client"
   */
  public Future<Void> admit(String address, UserRole role, String user, String secret, String what) {
    if (authenticator.open()) {
      return Future.succeededFuture();
    }
    // Addresses on the trusted networks are not limited: their peers are trusted already (the dashboard, v1),
    // and a local process guessing must not lock every local worker and client out of the pool.
    boolean limited = !trusted.contains(address);
    if (limited && limiter.blocked(address)) {
      if (limiter.firstBlockedAttempt(address)) {
        log.warn("refusing logins from {} unchecked for {} s: too many failed logins", address,
            limiter.secondsLeft(address));
      }
      return Future.failedFuture(new ProtocolException(ErrorCode.TOO_MANY_FAILURES, "too many failed logins from "
          + address + " within a minute; wait " + limiter.secondsLeft(address) + " s, then try again with "
          + authenticator.credentialName() + " that is right"));
    }
    if (secret == null || secret.isEmpty()) {
      return Future.failedFuture(new ProtocolException(ErrorCode.AUTH_REQUIRED, required(what)));
    }
    return authenticator.check(user, secret).compose(roles -> decide(address, limited, role, user, roles, what));
  }

  private Future<Void> decide(String address, boolean limited, UserRole role, String user,
      Optional<Set<UserRole>> roles, String what) {
    if (roles.isEmpty()) {
      LoginLimiter.Failure failure = limiter.failed(address); // counted for logging even where not limited
      if (failure == LoginLimiter.Failure.FIRST_IN_WINDOW) {
        log.warn("failed login from {} to {}{}: the credential is wrong; further failures from this address"
            + " within the minute are counted, not logged", address, what, user == null ? "" : " as user " + user);
      } else if (failure == LoginLimiter.Failure.NOW_BLOCKED && limited) {
        log.warn("{} failed logins from {} within a minute: its logins are refused unchecked for {} s",
            LoginLimiter.MAX_FAILURES, address, limiter.secondsLeft(address));
      }
      return Future.failedFuture(new ProtocolException(ErrorCode.AUTH_FAILED, failed()));
    }
    if (!roles.get().contains(role)) {
      return Future.failedFuture(new ProtocolException(ErrorCode.ROLE_FORBIDDEN, "user " + user + " may not "
          + what + ": it lacks the role " + role.label() + "; use a credential that has it, or give the user the"
          + " role in the users file (antpool user add " + user + " --role " + role.label() + " ...)"));
    }
    return Future.succeededFuture();
  }

  private String required(String what) {
    if (mode == AuthMode.USERS) {
      return "this AntPool server requires a user name and password to " + what + " (auth users): pass them"
          + " (AntPoolOptions.setUser/setPassword, or user and password in worker.json); its administrator adds"
          + " users with: antpool user add NAME --role ROLE";
    }
    return "this AntPool server requires its token to " + what + " (auth token): on the server's machine clients"
        + " and workers read it from " + TokenFile.defaultPath() + " by themselves; elsewhere pass --token TOKEN,"
        + " set the environment variable ANTPOOL_TOKEN, or call AntPoolOptions.setToken (the server prints its"
        + " token when it starts)";
  }

  private String failed() {
    if (mode == AuthMode.USERS) {
      return "unknown user or wrong password (auth users); check both, or have the user added with: antpool user"
          + " add NAME --role ROLE";
    }
    return "the token is not this server's; use the one in the server's token file (it prints it when it starts),"
        + " and after a server's token file was replaced, the new one";
  }

  /** The server's token (mode {@code token} only): for the lines that tell how to join. */
  String token() {
    return token;
  }

  Path tokenFilePath() {
    return tokenFile;
  }
}
