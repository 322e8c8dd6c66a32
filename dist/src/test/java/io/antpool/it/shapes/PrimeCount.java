package io.antpool.it.shapes;

import java.io.Serializable;
import java.util.concurrent.Callable;

/** A task written as an ordinary top-level class: counts the primes below a bound. */
public final class PrimeCount implements Callable<Integer>, Serializable {
  private static final long serialVersionUID = 1L;
  private final int below;

  public PrimeCount(int below) {
    this.below = below;
  }

  @Override
  public Integer call() {
    return count(below);
  }

  /** For a static method reference: there are 25 primes below 100. */
  public static int primesBelowHundred() {
    return count(100);
  }

  private static int count(int below) {
    int found = 0;
    for (int n = 2; n < below; n++) {
      boolean prime = true;
      for (int d = 2; (long) d * d <= n; d++) {
        if (n % d == 0) {
          prime = false;
          break;
        }
      }
      if (prime) {
        found++;
      }
    }
    return found;
  }
}
