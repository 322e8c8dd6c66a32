package io.antpool.task.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.SerializableCallable;
import io.antpool.task.impl.SerializationPath.Kind;
import io.antpool.task.impl.SerializationPath.Step;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@link SerializationPath}: from a task to the object serialization refused, through fields (superclass ones
 * too), array and collection elements, map entries, a lambda's captured values and writeReplace; cycles, long
 * chains and what it may not read end the search without an exception.
 */
class SerializationPathTest {
  /** Cannot travel. */
  static final class Database {
  }

  /** Cannot travel either, but is not what serialization complained about. */
  static final class Socketish {
  }

  static final class Report implements Callable<Integer>, Serializable {
    private static final long serialVersionUID = 1L;
    private static final Database STATIC_IS_NOT_WRITTEN = new Database();
    private final String title = "monthly";
    private final int pages = 3;
    private transient Database cache = new Database();
    private final Database db;

    Report(Database db) {
      this.db = db;
    }

    @Override
    public Integer call() {
      return pages + title.length() + (cache == null ? 0 : 1) + db.hashCode() + STATIC_IS_NOT_WRITTEN.hashCode();
    }
  }

  /** Holds the field in its superclass. */
  static class Base implements Serializable {
    private static final long serialVersionUID = 1L;
    Object inherited;
  }

  static final class Derived extends Base {
    private static final long serialVersionUID = 1L;
    Object own = "fine";
  }

  /** Links for chains and cycles. */
  static final class Node implements Serializable {
    private static final long serialVersionUID = 1L;
    Object next;
    Object payload;
  }

  /** Serializes as something else. */
  static final class Proxied implements Serializable {
    private static final long serialVersionUID = 1L;
    private final transient Database hidden = new Database();

    private Object writeReplace() throws ObjectStreamException {
      Node n = new Node();
      n.payload = hidden;
      return n;
    }
  }

  /** A writeReplace that fails: the walk must not. */
  static final class Exploding implements Serializable {
    private static final long serialVersionUID = 1L;

    private Object writeReplace() {
      throw new IllegalStateException("boom");
    }
  }

  private static Step only(SerializationPath path) {
    assertEquals(1, path.steps().size(), path.toString());
    return path.steps().get(0);
  }

  @Test
  void aFieldIsNamedWithTheClassItHolds() {
    Report task = new Report(new Database());

    SerializationPath path = SerializationPath.find(task, Database.class.getName()).orElseThrow();

    assertEquals(new Step(Kind.FIELD, "db", Database.class, false), only(path));
    assertEquals("task " + Report.class.getName() + " -> field 'db' (" + Database.class.getName() + ")",
        path.describe("task"));
  }

  @Test
  void theRootItselfIsAPathWithoutSteps() {
    Database root = new Database();

    SerializationPath path = SerializationPath.find(root, Database.class.getName()).orElseThrow();

    assertTrue(path.steps().isEmpty());
    assertEquals(Optional.empty(), path.last());
    assertEquals("result " + Database.class.getName(), path.describe("result"));
  }

  @Test
  void superclassFieldsAreFollowed() {
    Derived task = new Derived();
    task.inherited = new Database();

    SerializationPath path = SerializationPath.find(task, Database.class.getName()).orElseThrow();

    assertEquals(new Step(Kind.FIELD, "inherited", Database.class, false), only(path));
  }

  @Test
  void arraysCollectionsAndMapsAreFollowed() {
    Node task = new Node();
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("a", 1);
    map.put("b", List.of("x", new Database())); // List.of: the JDK's fields are closed, its API is not
    task.payload = new Object[] {"zero", new ArrayList<>(List.of(map))};

    SerializationPath path = SerializationPath.find(task, Database.class.getName()).orElseThrow();

    assertEquals("task " + Node.class.getName()
        + " -> field 'payload' ([Ljava.lang.Object;)"
        + " -> element [1] (java.util.ArrayList)"
        + " -> element [0] (java.util.LinkedHashMap)"
        + " -> value of entry [1] (" + List.of(1, 2).getClass().getName() + ")"
        + " -> element [1] (" + Database.class.getName() + ")", path.describe("task"));
  }

  @Test
  void aMapKeyIsNamed() {
    Node task = new Node();
    task.payload = new LinkedHashMap<>(Map.of(new Database(), "v"));

    SerializationPath path = SerializationPath.find(task, Database.class.getName()).orElseThrow();

    assertEquals(new Step(Kind.MAP_KEY, "0", Database.class, false), path.last().orElseThrow());
  }

  @Test
  void aLambdasCapturedValueIsNumberedFromOne() {
    String label = "fine";
    Database db = new Database();
    SerializableCallable<Integer> task = () -> label.length() + db.hashCode();

    SerializationPath path = SerializationPath.find(task, Database.class.getName()).orElseThrow();

    assertEquals(new Step(Kind.CAPTURED_VALUE, "2", Database.class, false), only(path));
    assertTrue(path.describe("task").endsWith(" -> captured value #2 (" + Database.class.getName() + ")"),
        path.describe("task"));
  }

  private final Database ownDb = new Database();

  @Test
  void aLambdaUsingAnInstanceFieldCapturesTheEnclosingInstance() {
    SerializableCallable<Integer> task = () -> ownDb.hashCode();

    SerializationPath path = SerializationPath.find(task, getClass().getName()).orElseThrow();

    assertEquals(new Step(Kind.CAPTURED_VALUE, "1", getClass(), true), only(path));
    assertTrue(path.describe("task").endsWith("captured value #1 (" + getClass().getName()
        + ", the enclosing instance)"), path.describe("task"));
  }

  @Test
  void anAnonymousClassInAnInstanceMethodHoldsTheEnclosingInstance() {
    SerializableCallable<Integer> task = new SerializableCallable<>() {
      @Override
      public Integer call() {
        return ownDb.hashCode();
      }
    };

    SerializationPath path = SerializationPath.find(task, getClass().getName()).orElseThrow();

    Step step = only(path);
    assertEquals(Kind.FIELD, step.kind());
    assertTrue(step.name().startsWith("this$"), step.name());
    assertTrue(step.enclosingInstance());
  }

  @Test
  void aNestedLambdaIsFollowedThroughItsOwnCapturedValues() {
    Database db = new Database();
    SerializableCallable<Integer> inner = () -> db.hashCode();
    Node task = new Node();
    task.payload = inner;

    SerializationPath path = SerializationPath.find(task, Database.class.getName()).orElseThrow();

    assertEquals(List.of(Kind.FIELD, Kind.CAPTURED_VALUE), path.steps().stream().map(Step::kind).toList());
  }

  @Test
  void writeReplaceIsFollowedAsSerializationWould() {
    Node task = new Node();
    task.payload = new Proxied();

    SerializationPath path = SerializationPath.find(task, Database.class.getName()).orElseThrow();

    assertEquals("task " + Node.class.getName() + " -> field 'payload' (" + Proxied.class.getName()
        + ") -> field 'payload' (" + Database.class.getName() + ")", path.describe("task"));
  }

  @Test
  void transientAndStaticFieldsAndOtherUnserializableClassesAreNotTheAnswer() {
    Report task = new Report(null);

    assertEquals(Optional.empty(), SerializationPath.find(task, Database.class.getName()));

    Node other = new Node();
    other.payload = new Socketish();
    assertEquals(Optional.empty(), SerializationPath.find(other, Database.class.getName()),
        "serialization stops at the first unserializable object, so the walk does not look past it");
  }

  @Test
  void withoutAClassNameTheFirstUnserializableObjectIsTheAnswer() {
    Node task = new Node();
    task.next = "fine";
    task.payload = new Socketish();

    assertEquals(Socketish.class, SerializationPath.find(task, null).orElseThrow().last().orElseThrow().type());
  }

  @Test
  void cyclesEnd() {
    Node a = new Node();
    Node b = new Node();
    a.next = b;
    b.next = a;
    a.payload = List.of(a, b);

    assertEquals(Optional.empty(), SerializationPath.find(a, Database.class.getName()));

    b.payload = new Database();
    assertEquals(List.of("next", "payload"),
        SerializationPath.find(a, Database.class.getName()).orElseThrow().steps().stream().map(Step::name).toList());
  }

  @Test
  void aChainLongerThanTheBoundGivesUpWithoutOverflowingTheStack() {
    Node head = chain(100_000);

    assertEquals(Optional.empty(), SerializationPath.find(head, Database.class.getName()));
  }

  @Test
  void aLongPathWithinTheBoundIsShownWithItsMiddleLeftOut() {
    Node head = chain(20);

    SerializationPath path = SerializationPath.find(head, Database.class.getName()).orElseThrow();

    assertEquals(20, path.steps().size(), "19 links, then the payload");
    String nodeStep = " -> field 'next' (" + Node.class.getName() + ")";
    assertEquals("task " + Node.class.getName() + nodeStep.repeat(4) + " -> ... (12 more)" + nodeStep.repeat(3)
        + " -> field 'payload' (" + Database.class.getName() + ")", path.describe("task"));
  }

  /** {@code n} nodes, the last one holding a Database. */
  private static Node chain(int n) {
    Node head = new Node();
    Node tail = head;
    for (int i = 1; i < n; i++) {
      Node next = new Node();
      tail.next = next;
      tail = next;
    }
    tail.payload = new Database();
    return head;
  }

  @Test
  void fieldsItMayNotReadEndTheSearchQuietly() {
    Node task = new Node();
    task.payload = new AtomicReference<>(new Database()); // java.base: not open to us, not a collection

    assertEquals(Optional.empty(), SerializationPath.find(task, Database.class.getName()));
  }

  @Test
  void aFailingWriteReplaceDoesNotEscape() {
    Node task = new Node();
    task.next = new Exploding();
    task.payload = new Database();

    assertFalse(SerializationPath.find(task, Database.class.getName()).isEmpty());
    assertEquals(Optional.empty(), SerializationPath.find(null, null));
  }
}
