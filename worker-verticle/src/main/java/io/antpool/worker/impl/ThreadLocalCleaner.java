package io.antpool.worker.impl;

import io.antpool.task.TaskClassLoader;
import java.lang.ref.Reference;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes from a slot thread the thread-local values that tasks left behind. A library a task uses (Jackson's
 * buffer recycler, for one) may park an object of its own classes in a {@link ThreadLocal} of the slot thread;
 * that value keeps its task class loader, and every class it defined, alive for as long as the thread lives,
 * which is forever. After each task, entries whose key or value (or the referent of a value that is a
 * {@link Reference}) is an object of a task class are removed, as application servers do for web apps.
 *
 * <p>This reads {@code Thread}'s private thread-local map, which needs {@code java.base/java.lang} opened to
 * AntPool: {@code antpool.jar}'s manifest does it ({@code Add-Opens}); other launches need
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}. Without it nothing is cleaned, and a warning says so
 * once.
 */
final class ThreadLocalCleaner {
  private static final Logger log = LoggerFactory.getLogger(ThreadLocalCleaner.class);
  private static final Field THREAD_LOCALS;
  private static final Field INHERITABLE_THREAD_LOCALS;
  private static final Field TABLE;
  private static final Field VALUE;
  private static final Method REMOVE;
  private static final String UNAVAILABLE;

  static {
    Field threadLocals = null;
    Field inheritable = null;
    Field table = null;
    Field value = null;
    Method remove = null;
    String why = null;
    try {
      threadLocals = Thread.class.getDeclaredField("threadLocals");
      inheritable = Thread.class.getDeclaredField("inheritableThreadLocals");
      Class<?> map = Class.forName("java.lang.ThreadLocal$ThreadLocalMap");
      table = map.getDeclaredField("table");
      value = Class.forName("java.lang.ThreadLocal$ThreadLocalMap$Entry").getDeclaredField("value");
      remove = map.getDeclaredMethod("remove", ThreadLocal.class);
      for (java.lang.reflect.AccessibleObject o : new java.lang.reflect.AccessibleObject[] {
          threadLocals, inheritable, table, value, remove}) {
        o.setAccessible(true);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      why = e.toString();
    }
    THREAD_LOCALS = threadLocals;
    INHERITABLE_THREAD_LOCALS = inheritable;
    TABLE = table;
    VALUE = value;
    REMOVE = remove;
    UNAVAILABLE = why;
    if (why != null) {
      log.warn("task thread-locals cannot be cleared, so a task whose library keeps thread-local state ties"
          + " its classes to the worker thread: start the worker with --add-opens java.base/java.lang=ALL-UNNAMED"
          + " (java -jar antpool.jar does this by itself) [{}]", why);
    }
  }

  private ThreadLocalCleaner() {
  }

  /** Whether cleaning works in this JVM. */
  static boolean available() {
    return UNAVAILABLE == null;
  }

  /** Removes the current thread's thread-local entries that hold task objects. Never throws. */
  static void cleanCurrentThread() {
    if (UNAVAILABLE != null) {
      return;
    }
    Thread thread = Thread.currentThread();
    try {
      clean(THREAD_LOCALS.get(thread));
      clean(INHERITABLE_THREAD_LOCALS.get(thread));
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.debug("could not clear task thread-locals: {}", e.toString());
    }
  }

  private static void clean(Object map) throws ReflectiveOperationException {
    if (map == null) {
      return;
    }
    List<ThreadLocal<?>> doomed = new ArrayList<>();
    for (Object entry : (Object[]) TABLE.get(map)) {
      if (entry == null) {
        continue;
      }
      ThreadLocal<?> key = (ThreadLocal<?>) ((Reference<?>) entry).get();
      Object value = VALUE.get(entry);
      if (fromTask(key) || fromTask(value)) {
        if (key != null) {
          doomed.add(key);
        } else {
          VALUE.set(entry, null); // a stale entry: the map expunges it later
        }
      }
    }
    for (ThreadLocal<?> key : doomed) {
      REMOVE.invoke(map, key);
    }
  }

  private static boolean fromTask(Object o) {
    if (o == null) {
      return false;
    }
    if (o.getClass().getClassLoader() instanceof TaskClassLoader) {
      return true;
    }
    if (o instanceof Reference<?> ref) {
      Object referent = ref.get();
      return referent != null && referent.getClass().getClassLoader() instanceof TaskClassLoader;
    }
    return false;
  }
}
