package io.antpool.it.shapes;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** A user class with fields (not a record), only on the client's class path. */
public final class Basket implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String owner;
  private final ArrayList<Money> items;

  public Basket(String owner, List<Money> items) {
    this.owner = owner;
    this.items = new ArrayList<>(items);
  }

  public String owner() {
    return owner;
  }

  public List<Money> items() {
    return List.copyOf(items);
  }

  public Money total() {
    Money sum = new Money(items.get(0).currency(), 0);
    for (Money m : items) {
      sum = sum.plus(m);
    }
    return sum;
  }

  /** For a bound method reference: {@code basket::describe}. */
  public String describe() {
    return owner + " has " + items.size() + " items worth " + total().format() + " (described by "
        + getClass().getClassLoader().getName() + ")";
  }
}
