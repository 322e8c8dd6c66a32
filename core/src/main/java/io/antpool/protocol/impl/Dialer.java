package io.antpool.protocol.impl;

import io.antpool.AntPoolException;
import io.antpool.protocol.ClientTls;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Protocol;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLException;

/** Opens {@code antpool.v2} WebSockets to a server, for task clients and workers alike. */
public final class Dialer {
  private Dialer() {
  }

  /** A WebSocket client whose limits match the server's, trusting the JVM's default trust store for wss://. */
  public static WebSocketClient client(Vertx vertx) {
    return client(vertx, ClientTls.DEFAULT);
  }

  /** As {@link #client(Vertx, ClientTls, boolean)}, masking every frame as RFC 6455 asks of a client. */
  public static WebSocketClient client(Vertx vertx, ClientTls tls) {
    return client(vertx, tls, true);
  }

  /**
   * A WebSocket client whose limits match the server's (frames of at most 1 MiB, messages of at most
   * {@link ServerMessages#MAX_BYTES}), checking wss:// servers' certificates as {@code tls} says. The message limit
   * set here applies only to Vert.x's own message handlers; {@link ServerMessages}, which clients and workers
   * receive through, applies the same one.
   *
   * <p>{@code masked} false sends frames unmasked (Vert.x's {@code sendUnmaskedFrames}), which RFC 6455 asks of
   * a client only to protect proxies that read WebSocket traffic as HTTP; an AntPool server accepts them (see
   * {@code docs/protocol.md}, "Masking"). It saves the sender a pass over every byte it sends: most of a worker's
   * CPU for a large result.
   */
  public static WebSocketClient client(Vertx vertx, ClientTls tls, boolean masked) {
    WebSocketClientOptions options = new WebSocketClientOptions()
        .setMaxFrameSize(1024 * 1024)
        .setMaxMessageSize(ServerMessages.MAX_BYTES)
        .setSendUnmaskedFrames(!masked);
    if (tls.trustAll()) {
      options.setTrustAll(true).setVerifyHost(false);
    } else if (tls.trustCertFile() != null) {
      options.setTrustOptions(new PemTrustOptions().addCertPath(tls.trustCertFile()));
    }
    return vertx.createWebSocketClient(options);
  }

  /** As {@link #connect(WebSocketClient, URI, ClientTls)} with the JVM's default trust store. */
  public static Future<WebSocket> connect(WebSocketClient client, URI server) {
    return connect(client, server, ClientTls.DEFAULT);
  }

  /**
   * Connects to {@code server}'s {@code /ws} asking for {@link Protocol#SUBPROTOCOL}. Fails, with a message
   * saying what is at the other end, when the server is unreachable or does not speak the subprotocol; with an
   * {@link AntPoolException} of code {@link ErrorCode#TLS_FAILED} when the TLS handshake fails (most often: the
   * server's certificate is not trusted), which trying again does not cure. {@code tls} must be the one
   * {@code client} was made with; callers log {@link ClientTls#insecureWarning} at every connect.
   */
  public static Future<WebSocket> connect(WebSocketClient client, URI server, ClientTls tls) {
    boolean secure = "wss".equalsIgnoreCase(server.getScheme());
    WebSocketConnectOptions options = new WebSocketConnectOptions()
        .setHost(server.getHost())
        .setPort(server.getPort())
        .setSsl(secure)
        .setURI(Protocol.WS_PATH)
        .addSubProtocol(Protocol.SUBPROTOCOL);
    return client.connect(options)
        .recover(e -> Future.failedFuture(secure && isTls(e) ? tlsFailure(server, tls, e)
            : new IllegalStateException("cannot reach the AntPool server at " + server + " (" + why(e) + ")")))
        .compose(ws -> {
          if (Protocol.SUBPROTOCOL.equals(ws.subProtocol())) {
            return Future.succeededFuture(ws);
          }
          ws.close();
          return Future.failedFuture(server + " did not accept WebSocket subprotocol " + Protocol.SUBPROTOCOL
              + "; is it an AntPool for Java server of the same version?");
        });
  }

  /** The server's own words when it refused the upgrade (e.g. 503: its maxConnections), else the error's. */
  private static String why(Throwable e) {
    if (e instanceof UpgradeRejectedException refused && refused.getBody() != null
        && refused.getBody().length() > 0) {
      return "it answered " + refused.getStatus() + ": " + refused.getBody().toString(StandardCharsets.UTF_8);
    }
    return e.getMessage();
  }

  private static boolean isTls(Throwable e) {
    return deepestTls(e) != null;
  }

  /** The innermost TLS error: the one that says why (e.g. "PKIX path building failed"), not just that. */
  private static SSLException deepestTls(Throwable e) {
    SSLException found = null;
    for (Throwable t = e; t != null && t != t.getCause(); t = t.getCause()) {
      if (t instanceof SSLException ssl) {
        found = ssl;
      }
    }
    return found;
  }

  private static AntPoolException tlsFailure(URI server, ClientTls tls, Throwable e) {
    String trusted = tls.trustCertFile() != null ? "the certificates in " + tls.trustCertFile()
        : "the JVM's default trust store";
    SSLException why = deepestTls(e);
    return new AntPoolException(ErrorCode.TLS_FAILED, "the TLS handshake with the AntPool server at " + server
        + " failed (" + why.getMessage() + "). If its certificate is not vouched for by " + trusted + ", trust"
        + " the server's certificate or its CA with --ca-file / trustCertFile (for a throw-away test certificate"
        + " only: --insecure / trustAll); also check that the server serves TLS (started with /s) and that its"
        + " certificate names the host in the URL", e);
  }
}
