package io.antpool.server.impl;

import static io.antpool.server.impl.TaskState.CANCELLED;
import static io.antpool.server.impl.TaskState.CANCELLING;
import static io.antpool.server.impl.TaskState.DISPATCHED;
import static io.antpool.server.impl.TaskState.DONE;
import static io.antpool.server.impl.TaskState.FAILED;
import static io.antpool.server.impl.TaskState.QUEUED;
import static io.antpool.server.impl.TaskState.REQUEUED;
import static io.antpool.server.impl.TaskState.RUNNING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.antpool.protocol.PeerInfo;
import io.antpool.protocol.TaskKind;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link TaskState}: every one of the 64 (from, to) pairs is allowed or forbidden exactly as the diagram in
 * its javadoc draws it, the terminal states are DONE, FAILED and CANCELLED, and {@link TaskRecord#moveTo}
 * enforces the table.
 *
 * <p>The table below is the diagram transcribed by hand, not derived from the enum. The diagram's note
 * "client gone -> CANCELLED (also from REQUEUED; from DISPATCHED/RUNNING the result is discarded)" is read
 * as: CANCELLED is reachable from QUEUED, REQUEUED, DISPATCHED and RUNNING (the scheduler cancels a running
 * task of a departed client when its worker is lost). A client's cancel of a task a worker holds goes through
 * CANCELLING (from DISPATCHED or RUNNING), which only ends in CANCELLED: its result is discarded, it is never
 * rerun.
 */
class TaskStateTest {
  private static final Map<TaskState, Set<TaskState>> DIAGRAM = Map.of(
      QUEUED, EnumSet.of(DISPATCHED, CANCELLED, FAILED),
      DISPATCHED, EnumSet.of(RUNNING, DONE, FAILED, REQUEUED, CANCELLING, CANCELLED),
      RUNNING, EnumSet.of(DONE, FAILED, REQUEUED, CANCELLING, CANCELLED),
      REQUEUED, EnumSet.of(DISPATCHED, CANCELLED),
      CANCELLING, EnumSet.of(CANCELLED),
      DONE, EnumSet.noneOf(TaskState.class),
      FAILED, EnumSet.noneOf(TaskState.class),
      CANCELLED, EnumSet.noneOf(TaskState.class));

  static Stream<Arguments> allPairs() {
    List<Arguments> pairs = new ArrayList<>();
    for (TaskState from : TaskState.values()) {
      for (TaskState to : TaskState.values()) {
        pairs.add(Arguments.of(from, to, DIAGRAM.get(from).contains(to)));
      }
    }
    return pairs.stream();
  }

  @Test
  void theTableCoversEveryState() {
    assertEquals(EnumSet.allOf(TaskState.class), DIAGRAM.keySet());
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @MethodSource("allPairs")
  void transitionIsAllowedExactlyAsDrawn(TaskState from, TaskState to, boolean allowed) {
    assertEquals(allowed, from.canMoveTo(to));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(TaskState.class)
  void terminalStatesAreTheOnesWithoutSuccessors(TaskState state) {
    assertEquals(EnumSet.of(DONE, FAILED, CANCELLED).contains(state), state.isTerminal());
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @MethodSource("allPairs")
  void taskRecordEnforcesTheTable(TaskState from, TaskState to, boolean allowed) {
    TaskRecord task = recordIn(from);

    if (allowed) {
      task.moveTo(to);
      assertEquals(to, task.state());
    } else {
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> task.moveTo(to));
      assertTrue(e.getMessage().contains("cannot go from " + from + " to " + to), e.getMessage());
      assertEquals(from, task.state(), "a refused transition leaves the state alone");
    }
  }

  /** A record walked to {@code state} along allowed transitions only. */
  private static TaskRecord recordIn(TaskState state) {
    PeerInfo peer = new PeerInfo("client", "h", "127.0.0.1", "os", 1, 1, 1, 0, 1, "v");
    TaskRecord task = new TaskRecord(1, 1, new ClientSession("c-1", peer, "127.0.0.1", frame -> { }),
        TaskKind.CALLABLE, 0, 0, 0, Buffer.buffer());
    List<TaskState> path = switch (state) {
      case QUEUED -> List.of();
      case DISPATCHED -> List.of(DISPATCHED);
      case RUNNING -> List.of(DISPATCHED, RUNNING);
      case REQUEUED -> List.of(DISPATCHED, RUNNING, REQUEUED);
      case CANCELLING -> List.of(DISPATCHED, RUNNING, CANCELLING);
      case DONE -> List.of(DISPATCHED, RUNNING, DONE);
      case FAILED -> List.of(DISPATCHED, FAILED);
      case CANCELLED -> List.of(CANCELLED);
    };
    path.forEach(task::moveTo);
    assertEquals(state, task.state());
    return task;
  }
}
