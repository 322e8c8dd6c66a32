package io.antpool.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.client.AntPoolExecutor;
import io.antpool.it.shapes.Basket;
import io.antpool.it.shapes.Money;
import io.antpool.it.shapes.Pair;
import io.antpool.it.shapes.Planet;
import io.antpool.it.shapes.PrimeCount;
import io.antpool.it.shapes.Receipt;
import io.antpool.it.shapes.late.LateLoadingTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Code mobility: every shape of Java code a user can hand to {@link AntPoolExecutor} runs on a worker JVM whose
 * class path holds antpool.jar only, so each class below reaches the worker through AntPool's class shipping.
 * Results come back as this JVM's own classes.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TaskShapesIT {
  private static final String TASK_LOADER = "antpool-task-";
  private static ChildJvm server;
  private static SharedPool shared;
  private static AntPoolExecutor pool;

  @BeforeAll
  static void startPool() throws Exception {
    shared = SharedPool.start(2);
    server = shared.server;
    pool = shared.executor;
  }

  @AfterAll
  static void stopPool() {
    if (shared != null) {
      shared.close();
    }
  }

  private static <T> T await(java.util.concurrent.Future<T> f) throws Exception {
    return f.get(60, TimeUnit.SECONDS);
  }

  @Test
  void aTopLevelClass() throws Exception {
    assertEquals(9592, await(pool.submit(new PrimeCount(100_000))), "primes below 100,000");
  }

  /** A static nested task class taking user objects as arguments and returning one. */
  static final class Checkout implements Callable<Receipt>, Serializable {
    private static final long serialVersionUID = 1L;
    private final Basket basket;
    private final Money discount;

    Checkout(Basket basket, Money discount) {
      this.basket = basket;
      this.discount = discount;
    }

    @Override
    public Receipt call() {
      return new Receipt(basket.owner(), basket.items(), discount, getClass().getClassLoader().getName());
    }
  }

  @Test
  void aStaticNestedClassWithUserTypesAsArgumentsAndResult() throws Exception {
    Basket basket = new Basket("ada", List.of(new Money("EUR", 1_999), new Money("EUR", 501)));
    Receipt receipt = await(pool.submit(new Checkout(basket, new Money("EUR", 500))));
    assertSame(Receipt.class, receipt.getClass(), "the result is an instance of this JVM's own class");
    assertSame(TaskShapesIT.class.getClassLoader(), receipt.getClass().getClassLoader());
    assertTrue(receipt.issuedBy().startsWith(TASK_LOADER), "made on a worker: " + receipt.issuedBy());
    assertEquals("ada", receipt.customer());
    assertEquals(2, receipt.lineCount());
    assertEquals(new Money("EUR", 2_000), receipt.total());
    assertEquals("ada: 2 lines, EUR 20.00", receipt.summary());
  }

  /** Made in a static method: an anonymous class in an instance method would capture the test instance. */
  private static Callable<String> anonymousTask(int times, Money each) {
    return new SerializableCallable<>() {
      @Override
      public String call() {
        return each.times(times).format() + " by " + getClass().getName() + " in "
            + getClass().getClassLoader().getName();
      }
    };
  }

  @Test
  void anAnonymousClassCapturingItsArguments() throws Exception {
    Callable<String> task = anonymousTask(3, new Money("USD", 125));
    String answer = await(pool.submit(task));
    assertTrue(answer.startsWith("USD 3.75 by " + task.getClass().getName() + " in " + TASK_LOADER), answer);
  }

  @Test
  void aSerializableLambdaCapturingLocalsARecordAndAClassWithFields() throws Exception {
    int quantity = 3;
    String label = "order";
    Money price = new Money("EUR", 250);
    Basket basket = new Basket("grace", List.of(new Money("EUR", 100), new Money("EUR", 150)));
    String answer = await(pool.submit(() -> label + ":" + basket.owner() + ":"
        + basket.total().plus(price.times(quantity)).format() + ":" + Money.class.getClassLoader().getName()));
    assertTrue(answer.startsWith("order:grace:EUR 10.00:" + TASK_LOADER), answer);
  }

  @Test
  void methodReferencesBoundStaticAndUnbound() throws Exception {
    Basket basket = new Basket("alan", List.of(new Money("GBP", 300), new Money("GBP", 45)));
    SerializableCallable<String> bound = basket::describe;
    String described = await(pool.submit(bound));
    assertTrue(described.startsWith("alan has 2 items worth GBP 3.45 (described by " + TASK_LOADER), described);

    SerializableCallable<Integer> staticRef = PrimeCount::primesBelowHundred;
    assertEquals(25, await(pool.submit(staticRef)));

    // an unbound instance method as a function over user-typed arguments, results in input order
    List<Money> doubled = pool.map(Money::doubled, List.of(new Money("EUR", 1), new Money("EUR", 20),
        new Money("EUR", 300))).toList();
    assertEquals(List.of(new Money("EUR", 2), new Money("EUR", 40), new Money("EUR", 600)), doubled);
    doubled.forEach(m -> assertSame(Money.class, m.getClass()));
  }

  /** A record as the task itself. */
  record Rectangle(int width, int height) implements Callable<String>, Serializable {
    @Override
    public String call() {
      return width * height + " " + this + " " + getClass().getClassLoader().getName();
    }
  }

  @Test
  void aRecordTask() throws Exception {
    String answer = await(pool.submit(new Rectangle(6, 7)));
    assertTrue(answer.startsWith("42 Rectangle[width=6, height=7] " + TASK_LOADER), answer);
  }

  @Test
  void anEnumUsedInATaskComesBackAsTheClientsOwnConstant() throws Exception {
    Planet mars = Planet.MARS;
    SerializableCallable<Planet> heaviest = () -> {
      if (!mars.nickname().equals("the red planet") || !Planet.class.getClassLoader().getName()
          .startsWith(TASK_LOADER)) {
        throw new IllegalStateException("not the worker's own Planet: " + Planet.class.getClassLoader());
      }
      return Planet.heaviestPull();
    };
    Planet earth = await(pool.submit(heaviest));
    assertSame(Planet.EARTH, earth, "an enum deserializes to the canonical constant");

    // a constant with a body of its own is a subclass (Planet$1); it too comes back as the constant
    SerializableCallable<Planet> red = () -> Planet.valueOf("MARS");
    Planet back = await(pool.submit(red));
    assertSame(Planet.MARS, back);
    assertEquals("the red planet", back.nickname());
  }

  @Test
  void aGenericClassTask() throws Exception {
    Pair<String, Money> pair = new Pair<>("tip", new Money("EUR", 42));
    Pair<Money, String> swapped = await(pool.submit(pair));
    assertEquals(new Pair<>(new Money("EUR", 42), "tip"), swapped);
    assertSame(Money.class, swapped.first().getClass());
    assertEquals("EUR 0.42", swapped.first().format());

    Pair<Pair<Integer, Planet>, List<String>> nested = new Pair<>(new Pair<>(1, Planet.VENUS), List.of("a", "b"));
    Pair<List<String>, Pair<Integer, Planet>> nestedSwapped = await(pool.submit(nested));
    assertEquals(List.of("a", "b"), nestedSwapped.first());
    assertSame(Planet.VENUS, nestedSwapped.second().second());
  }

  @Test
  void userTypesAsArgumentsAndResultsAreUsableOnTheClient() throws Exception {
    List<Money> prices = List.of(new Money("CHF", 1_000), new Money("CHF", 250), new Money("CHF", 5));
    Money discount = new Money("CHF", 55);
    SerializableCallable<Receipt> checkout = () -> new Receipt("linus", prices, discount,
        Receipt.class.getClassLoader().getName());
    Receipt receipt = await(pool.submit(checkout));
    assertSame(Receipt.class, receipt.getClass());
    assertTrue(receipt.issuedBy().startsWith(TASK_LOADER), receipt.issuedBy());
    assertEquals(new Money("CHF", 1_200), receipt.total());
    assertEquals("linus: 3 lines, CHF 12.00", receipt.summary());
    assertEquals(new Money("CHF", 2_400), receipt.total().doubled(), "its methods work here as any object's");
  }

  /**
   * Defines the classes of one package itself (so the executor serves that package's classes and resources
   * through it) and records every path the executor asks it for, i.e. every fetch a worker makes.
   */
  static final class RecordingLoader extends ClassLoader {
    private final String prefix;
    final List<String> served = Collections.synchronizedList(new ArrayList<>());

    RecordingLoader(String packageName, ClassLoader parent) {
      super("recording", parent);
      this.prefix = packageName + ".";
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(prefix)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
            if (in == null) {
              throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      served.add(name);
      return super.getResourceAsStream(name);
    }
  }

  @Test
  void classesAreFetchedAsTheTaskRunsNotAllWhenItIsDecoded() throws Exception {
    String pkg = LateLoadingTask.class.getPackageName();
    String dir = pkg.replace('.', '/') + "/";
    RecordingLoader loader = new RecordingLoader(pkg, TaskShapesIT.class.getClassLoader());
    @SuppressWarnings("unchecked")
    Callable<String> task = (Callable<String>) loader.loadClass(LateLoadingTask.class.getName())
        .getConstructor(int.class).newInstance(42);
    assertSame(loader, task.getClass().getClassLoader());
    try (AntPoolExecutor fresh = new AntPoolExecutor(Pool.url(server))) {
      String answer = await(fresh.submit(task));
      assertTrue(answer.startsWith("42 squared is 1764 in " + TASK_LOADER), answer);
    }
    List<String> served = List.copyOf(loader.served);
    int taskClass = served.indexOf(dir + "LateLoadingTask.class");
    int checkpoint = served.indexOf(dir + LateLoadingTask.CHECKPOINT);
    int helper = served.indexOf(dir + "LateHelper.class");
    int detail = served.indexOf(dir + "LateDetail.class");
    assertTrue(taskClass >= 0 && checkpoint > taskClass && helper > checkpoint && detail > helper,
        "the task class is fetched to decode the task; the helper only after call() began (after its"
            + " checkpoint resource), and the helper's own dependency after the helper: " + served);
    assertFalse(served.contains(dir + "NeverLoadedHelper.class"),
        "the branch not taken never loads its class: " + served);
  }
}
