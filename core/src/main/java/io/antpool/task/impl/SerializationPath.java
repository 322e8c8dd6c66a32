package io.antpool.task.impl;

import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The chain of references from a task (or a result) to the object Java serialization refused, for error
 * messages: {@code task com.x.MyTask -> field 'db' (com.x.Database)}.
 *
 * <p>{@link java.io.NotSerializableException} names only the class of the refused object. {@link #find} walks
 * the object graph the way {@link java.io.ObjectOutputStream} does by default (the fields of each serializable
 * class, superclass first, non-static and non-transient only; array elements; the replacement a
 * {@code writeReplace} method returns, which for a serializable lambda is a {@link SerializedLambda} whose
 * captured values are followed) until it meets a non-serializable object of that class. Classes whose fields
 * cannot be read without {@code --add-opens} (the JDK's own, under strong encapsulation) are not looked into,
 * except that the elements of a {@link Collection} and the keys and values of a {@link Map} are reached
 * through their public API. A custom {@code writeObject} may write other things than the fields; the walk does
 * not know, so it may find nothing.
 *
 * <p>This is a diagnostic: it never throws. It gives up (an empty result) when it cannot read something, when
 * the path would be longer than {@value #MAX_DEPTH} references, or after visiting {@value #MAX_OBJECTS}
 * objects; cycles are visited once.
 */
public final class SerializationPath {
  static final int MAX_DEPTH = 100;
  static final int MAX_OBJECTS = 100_000;
  /** Longer paths are shown with their middle left out. */
  private static final int SHOWN_AT_EACH_END = 4;

  /** How one step reaches the next object. */
  public enum Kind {
    /** A field of an object: {@code field 'db'}. */
    FIELD,
    /** An element of an array, or of a collection in iteration order: {@code element [3]}. */
    ELEMENT,
    /** A value a serializable lambda captured, counted from 1: {@code captured value #1}. */
    CAPTURED_VALUE,
    /** A key of a map: {@code key of entry [2]}. */
    MAP_KEY,
    /** A value of a map: {@code value of entry [2]}. */
    MAP_VALUE
  }

  /**
   * One reference followed.
   *
   * @param name the field name, or the element, entry or captured value's number
   * @param type the class of the object reached
   * @param enclosingInstance the object reached is the enclosing instance an inner or anonymous class keeps
   *     ({@code this$0}), or the {@code this} a lambda captured because it uses the enclosing object's members
   */
  public record Step(Kind kind, String name, Class<?> type, boolean enclosingInstance) {
    @Override
    public String toString() {
      String what = switch (kind) {
        case FIELD -> "field '" + name + "'";
        case ELEMENT -> "element [" + name + "]";
        case CAPTURED_VALUE -> "captured value #" + name;
        case MAP_KEY -> "key of entry [" + name + "]";
        case MAP_VALUE -> "value of entry [" + name + "]";
      };
      return what + " (" + type.getName() + (enclosingInstance ? ", the enclosing instance" : "") + ")";
    }
  }

  private final Class<?> rootType;
  private final List<Step> steps;

  private SerializationPath(Class<?> rootType, List<Step> steps) {
    this.rootType = rootType;
    this.steps = List.copyOf(steps);
  }

  /**
   * Finds how {@code root} reaches a non-serializable object of class {@code culpritClassName} (any
   * non-serializable object when null). If {@code root} itself is the culprit the path has no steps.
   *
   * @return the path, or empty when none was found within the limits (never an exception)
   */
  public static Optional<SerializationPath> find(Object root, String culpritClassName) {
    if (root == null) {
      return Optional.empty();
    }
    try {
      Walk walk = new Walk(culpritClassName);
      return walk.visit(root, 0) ? Optional.of(new SerializationPath(root.getClass(), walk.path)) : Optional.empty();
    } catch (RuntimeException | LinkageError | StackOverflowError e) {
      return Optional.empty(); // a diagnostic must not replace the error it explains
    }
  }

  /** The references followed from the root, the last one reaching the culprit. */
  public List<Step> steps() {
    return steps;
  }

  /** The last step, or empty when the root itself is the culprit. */
  public Optional<Step> last() {
    return steps.isEmpty() ? Optional.empty() : Optional.of(steps.get(steps.size() - 1));
  }

  /**
   * The path as one line, starting with {@code rootLabel} and the root's class:
   * {@code task com.x.MyTask -> field 'db' (com.x.Database)}. Beyond {@code 2 x }{@value #SHOWN_AT_EACH_END}
   * steps the middle is left out.
   */
  public String describe(String rootLabel) {
    StringBuilder b = new StringBuilder(rootLabel).append(' ').append(rootType.getName());
    int n = steps.size();
    for (int i = 0; i < n; i++) {
      if (n > 2 * SHOWN_AT_EACH_END && i == SHOWN_AT_EACH_END) {
        b.append(" -> ... (").append(n - 2 * SHOWN_AT_EACH_END).append(" more)");
        i = n - SHOWN_AT_EACH_END - 1;
        continue;
      }
      b.append(" -> ").append(steps.get(i));
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return describe("root");
  }

  /** One search: the path so far (a stack) and the objects already seen. */
  private static final class Walk {
    private final String culprit;
    private final Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Deque<Step> stack = new ArrayDeque<>();
    private List<Step> path;

    Walk(String culprit) {
      this.culprit = culprit;
    }

    /** True when {@code o} is, or leads to, the culprit; {@link #path} then holds the way there. */
    boolean visit(Object o, int depth) {
      if (o == null || !seen.add(o)) {
        return false;
      }
      if (seen.size() > MAX_OBJECTS) {
        throw new GaveUp();
      }
      Class<?> type = o.getClass();
      if (!(o instanceof Serializable)) {
        if (culprit == null || type.getName().equals(culprit)) {
          path = new ArrayList<>(stack);
          Collections.reverse(path); // the deque is used as a stack: newest first
          return true;
        }
        return false; // serialization would have stopped here, not at the culprit
      }
      if (depth >= MAX_DEPTH || o instanceof String || o instanceof Enum<?> || o instanceof Class<?>
          || o instanceof ObjectStreamClass) {
        return false;
      }
      if (type.isArray()) {
        if (type.getComponentType().isPrimitive()) {
          return false;
        }
        Object[] array = (Object[]) o;
        for (int i = 0; i < array.length; i++) {
          if (follow(Kind.ELEMENT, Integer.toString(i), array[i], false, depth)) {
            return true;
          }
        }
        return false;
      }
      Object replacement = replacement(o);
      if (replacement instanceof SerializedLambda lambda) {
        String capturing = lambda.getCapturingClass().replace('/', '.');
        for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
          Object arg = lambda.getCapturedArg(i);
          boolean capturedThis = i == 0 && arg != null && arg.getClass().getName().equals(capturing)
              && lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic;
          if (follow(Kind.CAPTURED_VALUE, Integer.toString(i + 1), arg, capturedThis, depth)) {
            return true;
          }
        }
        return false;
      }
      if (replacement != o) {
        return visit(replacement, depth); // serialization writes the replacement in its place
      }
      return visitFields(o, depth);
    }

    private boolean visitFields(Object o, int depth) {
      List<Class<?>> levels = new ArrayList<>();
      for (Class<?> c = o.getClass(); c != null && Serializable.class.isAssignableFrom(c); c = c.getSuperclass()) {
        levels.add(0, c); // superclass data is written first
      }
      boolean opaqueLevel = false;
      for (Class<?> level : levels) {
        if (!readable(level)) {
          opaqueLevel = true;
          continue;
        }
        for (Field f : serialFields(level)) {
          if (!f.trySetAccessible()) {
            opaqueLevel = true;
            continue;
          }
          Object value;
          try {
            value = f.get(o);
          } catch (IllegalAccessException e) {
            continue;
          }
          if (follow(Kind.FIELD, f.getName(), value, f.getName().startsWith("this$"), depth)) {
            return true;
          }
        }
      }
      return opaqueLevel && visitContents(o, depth);
    }

    /** The JDK's collections keep their contents in fields we may not read; their public API shows them. */
    private boolean visitContents(Object o, int depth) {
      if (o instanceof Collection<?> collection) {
        int i = 0;
        for (Object element : collection) {
          if (follow(Kind.ELEMENT, Integer.toString(i++), element, false, depth)) {
            return true;
          }
        }
      } else if (o instanceof Map<?, ?> map) {
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          if (follow(Kind.MAP_KEY, Integer.toString(i), e.getKey(), false, depth)
              || follow(Kind.MAP_VALUE, Integer.toString(i), e.getValue(), false, depth)) {
            return true;
          }
          i++;
        }
      }
      return false;
    }

    private boolean follow(Kind kind, String name, Object value, boolean enclosing, int depth) {
      if (value == null) {
        return false;
      }
      stack.push(new Step(kind, name, value.getClass(), enclosing));
      if (visit(value, depth + 1)) {
        return true;
      }
      stack.pop();
      return false;
    }

    /** What serialization writes instead of {@code o}: the result of its writeReplace method, if it has one. */
    private static Object replacement(Object o) {
      Method method = writeReplace(o.getClass());
      if (method == null || !readable(method.getDeclaringClass()) || !method.trySetAccessible()) {
        return o;
      }
      try {
        Object replacement = method.invoke(o);
        return replacement == null ? o : replacement;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return o;
      }
    }

    /** As ObjectStreamClass looks it up: declared, or inherited unless private or from another package. */
    private static Method writeReplace(Class<?> type) {
      for (Class<?> c = type; c != null; c = c.getSuperclass()) {
        try {
          Method m = c.getDeclaredMethod("writeReplace");
          int mods = m.getModifiers();
          if (Modifier.isStatic(mods) || m.getReturnType() != Object.class) {
            return null;
          }
          boolean inherited = c != type;
          if (inherited && (Modifier.isPrivate(mods) || (!Modifier.isPublic(mods) && !Modifier.isProtected(mods)
              && !c.getPackageName().equals(type.getPackageName())))) {
            return null;
          }
          return m;
        } catch (NoSuchMethodException e) {
          // look in the superclass
        }
      }
      return null;
    }

    /** Fields serialization writes by default, in its order: non-static, non-transient, by name. */
    private static List<Field> serialFields(Class<?> c) {
      List<Field> fields = new ArrayList<>();
      for (Field f : c.getDeclaredFields()) {
        int mods = f.getModifiers();
        if (!Modifier.isStatic(mods) && !Modifier.isTransient(mods) && !f.getType().isPrimitive()) {
          fields.add(f);
        }
      }
      fields.sort(Comparator.comparing(Field::getName));
      return fields;
    }

    /** Whether the package of {@code c} is open to this class, so its members may be made accessible. */
    private static boolean readable(Class<?> c) {
      return c.getModule().isOpen(c.getPackageName(), Walk.class.getModule());
    }
  }

  /** Thrown inside a walk that visited too many objects. */
  private static final class GaveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GaveUp() {
      super(null, null, false, false);
    }
  }
}
