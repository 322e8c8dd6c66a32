package io.antpool.server;

import java.util.Locale;

/** Who may connect to the server ({@code auth} in {@link ServerOptions}). */
public enum AuthMode {
  /**
   * One random token, made on first start and kept in a file only the server's user can read; it holds every
   * role. Peers on the server's machine read the file; others are given the token.
   */
  TOKEN,
  /** Named users with salted password hashes and roles ({@code submit}, {@code work}, {@code admin}). */
  USERS,
  /** Anybody who reaches the port: only on loopback, unless {@code allowUnauthenticatedPublicBind} says so. */
  NONE;

  /** @throws IllegalArgumentException naming the value and the choices */
  public static AuthMode parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("auth \"" + value + "\" is unknown; use token (the default), users or"
          + " none");
    }
  }
}
