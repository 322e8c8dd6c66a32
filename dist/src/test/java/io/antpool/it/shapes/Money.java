package io.antpool.it.shapes;

import java.io.Serializable;

/** A user record, only on the client's class path. */
public record Money(String currency, long cents) implements Serializable {
  public Money plus(Money other) {
    if (!currency.equals(other.currency)) {
      throw new IllegalArgumentException("cannot add " + other.currency + " to " + currency);
    }
    return new Money(currency, cents + other.cents);
  }

  public Money times(int factor) {
    return new Money(currency, cents * factor);
  }

  /** For an unbound method reference used as a function. */
  public Money doubled() {
    return times(2);
  }

  public String format() {
    return String.format("%s %d.%02d", currency, cents / 100, cents % 100);
  }
}
