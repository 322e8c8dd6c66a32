package io.antpool.it.shapes;

import java.io.Serializable;
import java.util.Objects;
import java.util.concurrent.Callable;

/** A generic task: swaps its two halves. */
public final class Pair<A, B> implements Callable<Pair<B, A>>, Serializable {
  private static final long serialVersionUID = 1L;
  private final A first;
  private final B second;

  public Pair(A first, B second) {
    this.first = first;
    this.second = second;
  }

  public A first() {
    return first;
  }

  public B second() {
    return second;
  }

  @Override
  public Pair<B, A> call() {
    return new Pair<>(second, first);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Pair<?, ?> p && Objects.equals(first, p.first) && Objects.equals(second, p.second);
  }

  @Override
  public int hashCode() {
    return Objects.hash(first, second);
  }

  @Override
  public String toString() {
    return "(" + first + ", " + second + ")";
  }
}
