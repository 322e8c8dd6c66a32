package io.antpool.config;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.transport.Transport;

/**
 * The network transport of the Vert.x instances AntPool makes (the server's and the worker's launchers, an
 * embedded pool, an {@code AntPoolExecutor} that makes its own Vert.x): Netty's native transport where it loads
 * (epoll on Linux x86-64, whose library AntPool ships), else Java NIO. The native transport saves a few
 * microseconds of system-call and selector work per message on each of a task's network hops.
 *
 * <p>It is preferred, not required: where the native library does not load (another operating system or
 * processor, a {@code /tmp} mounted {@code noexec}), Vert.x uses NIO and nothing else changes; {@link #describe}
 * says which one a Vert.x uses and why. {@code -D}{@value #PROPERTY}{@code =false} turns it off for the JVM.
 */
public final class NativeTransport {
  /** The system property that turns the native transport off ({@code false}); {@code true} is the default. */
  public static final String PROPERTY = "antpool.nativeTransport";

  private NativeTransport() {
  }

  /**
   * Whether this JVM's AntPool Vert.x instances prefer the native transport: the value of {@value #PROPERTY}.
   *
   * @throws IllegalArgumentException when the property is set to anything but {@code true} or {@code false}
   */
  public static boolean preferred() {
    String value = System.getProperty(PROPERTY);
    if (value == null || value.trim().equalsIgnoreCase("true")) {
      return true;
    }
    if (value.trim().equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " is neither true nor false; give false to"
        + " use Java NIO instead of Netty's native transport, or leave it out");
  }

  /** {@code options} set to {@linkplain #preferred() prefer} the native transport or not; returns them. */
  public static VertxOptions prefer(VertxOptions options) {
    return options.setPreferNativeTransport(preferred());
  }

  /** A plain Vert.x with default options but the transport: {@code Vertx.vertx()}, as AntPool makes it. */
  public static Vertx vertx() {
    return Vertx.builder().with(prefer(new VertxOptions())).build();
  }

  /**
   * The transport {@code vertx} uses, for a log line: {@code epoll} (the native one's name), or {@code nio} and
   * why not the native one.
   */
  public static String describe(Vertx vertx) {
    if (vertx.isNativeTransportEnabled()) {
      Transport name = Transport.nativeTransport();
      return name != null ? name.name() : "native";
    }
    Throwable cause = vertx.unavailableNativeTransportCause();
    return cause != null ? "nio (the native transport is unavailable: " + cause + ")"
        : "nio (the native transport is " + (preferred() ? "not preferred by this Vert.x" : "off: -D" + PROPERTY
        + "=false") + ")";
  }

  /**
   * The transport a Vert.x made with {@link #prefer} in this JVM uses, as {@link #describe(Vertx)} says it, found
   * without making one.
   */
  public static String describe() {
    Transport transport = Transport.nativeTransport();
    if (!preferred()) {
      return "nio (the native transport is off: -D" + PROPERTY + "=false)";
    }
    if (transport == null) {
      return "nio (no native transport for this platform)";
    }
    return transport.available() ? transport.name()
        : "nio (the native transport is unavailable: " + transport.unavailabilityCause() + ")";
  }
}
