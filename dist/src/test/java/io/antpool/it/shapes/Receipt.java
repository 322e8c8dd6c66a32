package io.antpool.it.shapes;

import java.io.Serializable;
import java.util.List;

/** A result type made on the worker and used on the client. */
public final class Receipt implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String customer;
  private final List<Money> lines;
  private final Money discount;
  private final String issuedBy;

  public Receipt(String customer, List<Money> lines, Money discount, String issuedBy) {
    this.customer = customer;
    this.lines = List.copyOf(lines);
    this.discount = discount;
    this.issuedBy = issuedBy;
  }

  public String customer() {
    return customer;
  }

  public int lineCount() {
    return lines.size();
  }

  public Money total() {
    Money sum = new Money(discount.currency(), -discount.cents());
    for (Money m : lines) {
      sum = sum.plus(m);
    }
    return sum;
  }

  /** The name of the class loader the receipt was made in. */
  public String issuedBy() {
    return issuedBy;
  }

  public String summary() {
    return customer + ": " + lineCount() + " lines, " + total().format();
  }
}
