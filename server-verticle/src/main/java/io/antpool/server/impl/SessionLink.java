package io.antpool.server.impl;

import io.antpool.protocol.Frame;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Result;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a client session's frames go. States:
 *
 * <pre>
 *   ATTACHED(connection) ──connection closed──▶ DETACHED (frames held) ──client resumes──▶ ATTACHED(new one)
 *   ATTACHED(connection) ──client resumes on another connection──▶ ATTACHED(new one), the old one told so
 * </pre>
 *
 * While detached, everything the session is sent (results, class fetches) is held in order and handed to the
 * connection that resumes it, so nothing produced meanwhile is lost; of a task's progress reports only the
 * latest is held (in the place of the first held), since each supersedes the one before. What is held is bounded
 * by the session's open tasks. Touched only on the scheduler's event loop.
 */
final class SessionLink implements FrameSink {
  private Object owner;
  private FrameSink connection;
  private Runnable onReplaced;
  private List<Frame> held = new ArrayList<>();
  /** Where in {@link #held} each task's progress report is. */
  private final Map<Long, Integer> heldProgress = new HashMap<>();

  /** Attached to its first connection. */
  SessionLink(Object owner, FrameSink connection, Runnable onReplaced) {
    this.owner = owner;
    this.connection = connection;
    this.onReplaced = onReplaced;
  }

  @Override
  public void send(Frame frame) {
    if (connection != null) {
      connection.send(frame);
    } else if (frame.header() instanceof Progress progress) {
      Integer at = heldProgress.putIfAbsent(progress.taskId(), held.size());
      if (at == null) {
        held.add(frame);
      } else {
        held.set(at, frame);
      }
    } else {
      held.add(frame);
    }
  }

  boolean attached() {
    return connection != null;
  }

  /**
   * The connection {@code owner} closed. False if it was no longer this session's connection (the client had
   * resumed on another), so the session stays attached.
   */
  boolean detach(Object owner) {
    if (this.owner != owner) {
      return false;
    }
    this.owner = null;
    this.connection = null;
    this.onReplaced = null;
    return true;
  }

  /**
   * Moves the session to a new connection; a connection still attached is told it was replaced (the server had
   * not yet noticed that the client left it). Returns the frames held meanwhile, in order, for the caller to
   * send after its welcome.
   */
  List<Frame> attach(Object owner, FrameSink connection, Runnable onReplaced) {
    Runnable previous = this.onReplaced;
    this.owner = owner;
    this.connection = connection;
    this.onReplaced = onReplaced;
    if (previous != null) {
      previous.run();
    }
    List<Frame> frames = held;
    held = new ArrayList<>();
    heldProgress.clear();
    return frames;
  }

  /** The ids of the tasks whose results are held (a broadcast's, once per part held). */
  void collectHeldResults(Set<Long> into) {
    for (Frame f : held) {
      if (f.header() instanceof Result r) {
        into.add(r.taskId());
      }
    }
  }

  int heldCount() {
    return held.size();
  }
}
