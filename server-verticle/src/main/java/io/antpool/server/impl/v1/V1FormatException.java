package io.antpool.server.impl.v1;

/**
 * A v1 message the server cannot read. {@link #command()} and {@link #stamp()} are what could be read of it
 * (null if nothing), so the reply can still reach the request that caused it.
 */
public final class V1FormatException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String command;
  private final String stamp;

  V1FormatException(String message, String command, String stamp) {
    super(message);
    this.command = command;
    this.stamp = stamp;
  }

  public String command() {
    return command;
  }

  public String stamp() {
    return stamp;
  }
}
