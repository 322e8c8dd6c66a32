package io.antpool.server.impl;

import io.antpool.server.ServerOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides, before the upgrade, whether a request for a WebSocket on {@code /ws} (v2 and v1 peers alike) may
 * become one, and counts the connections that did.
 *
 * <ul>
 *   <li>Origin: a browser sends the origin of the page that opens a WebSocket, and lets any page open one to any
 *   server, cookies or not; without this check any web site the user visits could connect to a pool on the
 *   user's machine or network and submit code to its workers (cross-site WebSocket hijacking). An upgrade with
 *   an {@code Origin} is allowed only from the server's own origin (the dashboard's: the request's scheme and
 *   {@code Host}) and from {@link ServerOptions#getAllowedOrigins()}; one without (clients, workers, Python
 *   peers: programs, not web pages) is allowed. Refused: 403, logged once per origin.</li>
 *   <li>Connections: beyond {@link ServerOptions#getMaxConnections()} open ones, an upgrade is refused with 503
 *   and the reason, logged once each time the limit is reached.</li>
 * </ul>
 *
 * Confined to the server verticle's event loop, like the rest of the server.
 */
final class UpgradeGate {
  private static final Logger log = LoggerFactory.getLogger(UpgradeGate.class);
  /** Refused origins are logged once each; past this many, no more are remembered (or logged). */
  private static final int MAX_LOGGED_ORIGINS = 1_000;

  private final ServerOptions options;
  private final Set<String> loggedOrigins = new HashSet<>();
  private int open;
  private boolean fullLogged;

  UpgradeGate(ServerOptions options) {
    this.options = options;
  }

  /**
   * Admits {@code request} or answers it with the refusal. An admitted request counts as an open connection
   * until {@link #closed()} is called for it.
   *
   * @return true if the request may be upgraded
   */
  boolean admit(HttpServerRequest request) {
    String origin = request.getHeader(HttpHeaders.ORIGIN);
    if (origin != null && !allowedOrigin(origin, request)) {
      if (loggedOrigins.size() < MAX_LOGGED_ORIGINS && loggedOrigins.add(origin)) {
        log.warn("refused a WebSocket connection from {} opened by a web page of origin {}: only the dashboard's"
            + " own origin and allowedOrigins may connect (this warning is logged once per origin)",
            request.remoteAddress(), origin);
      }
      request.response().setStatusCode(403).end("WebSocket connections from web pages of origin " + origin
          + " are refused: only this server's own origin and its allowedOrigins (server.json) may connect");
      return false;
    }
    if (open >= options.getMaxConnections()) {
      if (!fullLogged) {
        fullLogged = true;
        log.warn("{} WebSocket connections are open, the server's maxConnections: refusing new ones (503) until"
            + " some close; raise maxConnections in server.json if the pool needs more", open);
      }
      request.response().setStatusCode(503).end("the AntPool server holds its maximum of "
          + options.getMaxConnections() + " connections (maxConnections); try again later, or ask its operator"
          + " to raise maxConnections");
      return false;
    }
    open++;
    return true;
  }

  /** An admitted connection closed, or its upgrade failed: room for another. */
  void closed() {
    open--;
    fullLogged = fullLogged && open >= options.getMaxConnections();
  }

  /** The number of WebSocket connections open or being opened. */
  int open() {
    return open;
  }

  private boolean allowedOrigin(String origin, HttpServerRequest request) {
    String normalized = Origins.normalize(origin);
    if (normalized == null) {
      return false; // "null" (a sandboxed page or a file), or garbage
    }
    String host = request.getHeader(HttpHeaders.HOST);
    if (host != null && normalized.equals(Origins.normalize((request.isSSL() ? "https://" : "http://") + host))) {
      return true;
    }
    return options.getAllowedOrigins().contains(normalized);
  }
}
