package io.antpool.server.auth;

import java.util.Locale;

/** What a credential allows. A token holds all three; a user holds those the users file gives it. */
public enum UserRole {
  /** Connect as a client and submit tasks. */
  SUBMIT,
  /** Connect as a worker and run tasks. */
  WORK,
  /** Open the dashboard, its API and {@code /metrics} from outside the trusted networks. */
  ADMIN;

  /** @throws IllegalArgumentException naming the value and the choices */
  public static UserRole parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("role \"" + value + "\" is unknown; use submit, work or admin");
    }
  }

  /** The name as written in the users file and on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
