package io.antpool.it.shapes;

/** A user enum, with a constant that has a body of its own (a class {@code Planet$1}). */
public enum Planet {
  MERCURY(3.303e+23, 2.4397e6),
  VENUS(4.869e+24, 6.0518e6),
  EARTH(5.976e+24, 6.37814e6),
  MARS(6.421e+23, 3.3972e6) {
    @Override
    public String nickname() {
      return "the red planet";
    }
  };

  private static final double G = 6.67300E-11;
  private final double mass;
  private final double radius;

  Planet(double mass, double radius) {
    this.mass = mass;
    this.radius = radius;
  }

  public double surfaceGravity() {
    return G * mass / (radius * radius);
  }

  public String nickname() {
    return name().toLowerCase();
  }

  /** The planet with the strongest surface gravity. */
  public static Planet heaviestPull() {
    Planet best = MERCURY;
    for (Planet p : values()) {
      if (p.surfaceGravity() > best.surfaceGravity()) {
        best = p;
      }
    }
    return best;
  }
}
