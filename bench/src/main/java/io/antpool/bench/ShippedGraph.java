package io.antpool.bench;

import io.antpool.SerializableCallable;
import java.util.List;

/**
 * The task of {@link ClassShippingBench} that brings ten classes of its own: a small object graph (an interface,
 * eight parts implementing it, and the assembly that builds and weighs them) which the task's {@code call()}
 * builds and walks. A JVM loads classes lazily, as code first uses them, so a worker fetches exactly the classes a
 * task runs, one request each; every class here is used by every task, so the first one on a fresh worker
 * fetches all ten (and this class, which captures the lambda).
 *
 * <p>As in {@link BenchTasks}: no static state or initialisation, and the lambda captures only a primitive. The
 * code also avoids string concatenation, enums in switches and records, which would spin or ship classes of
 * their own and blur the count.
 */
final class ShippedGraph {
  private ShippedGraph() {
  }

  /** The task: builds the assembly of {@code seed} and returns its weight. */
  static SerializableCallable<Long> task(int seed) {
    return () -> Assembly.of(seed).weight();
  }

  /**
   * The names of the ten classes a task needs beyond this one. Only the harness calls this (to check that the
   * worker fetched them); class literals are resolved when the code runs, so a worker never loads them here.
   */
  static List<String> classNames() {
    return List.of(Part.class.getName(), Assembly.class.getName(), Bolt.class.getName(), Nut.class.getName(),
        Washer.class.getName(), Gear.class.getName(), Shaft.class.getName(), Spring.class.getName(),
        Hinge.class.getName(), Panel.class.getName());
  }

  /** One piece of the assembly; each folds its weight into a running checksum in its own way. */
  interface Part {
    long weigh(long acc);
  }

  static final class Assembly {
    private final Part[] parts;

    private Assembly(Part[] parts) {
      this.parts = parts;
    }

    static Assembly of(int seed) {
      return new Assembly(new Part[] {new Bolt(seed), new Nut(seed), new Washer(seed), new Gear(seed),
          new Shaft(seed), new Spring(seed), new Hinge(seed), new Panel(seed)});
    }

    long weight() {
      long acc = 17;
      for (Part p : parts) {
        acc = p.weigh(acc);
      }
      return acc;
    }
  }

  static final class Bolt implements Part {
    private final long length;

    Bolt(int seed) {
      length = seed + 3L;
    }

    @Override
    public long weigh(long acc) {
      return acc * 31 + length;
    }
  }

  static final class Nut implements Part {
    private final long width;

    Nut(int seed) {
      width = (seed & 7) + 1L;
    }

    @Override
    public long weigh(long acc) {
      return acc ^ (width << 7);
    }
  }

  static final class Washer implements Part {
    private final long hole;

    Washer(int seed) {
      hole = seed % 5 + 2L;
    }

    @Override
    public long weigh(long acc) {
      return acc + hole * hole;
    }
  }

  static final class Gear implements Part {
    private final int teeth;

    Gear(int seed) {
      teeth = 12 + (seed & 15);
    }

    @Override
    public long weigh(long acc) {
      long sum = acc;
      for (int i = 0; i < teeth; i++) {
        sum = sum * 3 + i;
      }
      return sum;
    }
  }

  static final class Shaft implements Part {
    private final double radius;

    Shaft(int seed) {
      radius = 1.5 + seed % 3;
    }

    @Override
    public long weigh(long acc) {
      return acc + (long) (Math.PI * radius * radius * 100);
    }
  }

  static final class Spring implements Part {
    private final long coils;

    Spring(int seed) {
      coils = 5 + seed % 4;
    }

    @Override
    public long weigh(long acc) {
      return Long.rotateLeft(acc, (int) coils);
    }
  }

  static final class Hinge implements Part {
    private final long pins;

    Hinge(int seed) {
      pins = 2 + (seed & 1);
    }

    @Override
    public long weigh(long acc) {
      return acc - pins * 1_000_003L;
    }
  }

  static final class Panel implements Part {
    private final long area;

    Panel(int seed) {
      area = (seed + 10L) * (seed + 20L);
    }

    @Override
    public long weigh(long acc) {
      return acc * 1_000_000_007L + area;
    }
  }
}
