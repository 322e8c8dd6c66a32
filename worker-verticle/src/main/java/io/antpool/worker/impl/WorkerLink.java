package io.antpool.worker.impl;

import io.antpool.protocol.Cancel;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Recall;
import io.vertx.core.Future;
import java.io.IOException;

/**
 * How a worker slot talks to the server: over a WebSocket ({@link WebSocketLink}) or directly on the event bus
 * ({@link BusLink}). Both deliver dispatches, cancels and recalls to the slot's {@link SlotHandler} and carry the same frames.
 */
public interface WorkerLink {

  /** Receives what the server sends to the slot, on the slot's event loop. */
  interface SlotHandler {
    /** A task to run: a frame whose header is a {@link io.antpool.protocol.Dispatch}. */
    void onDispatch(Frame dispatch);

    /** A task to stop; one the slot does not hold is ignored. */
    void onCancel(Cancel cancel);

    /** The server takes back a task the slot holds unstarted; answered with {@code Recalled} (see {@link #sendNotice}). */
    void onRecall(Recall recall);

    /**
     * The server refused the worker's credential: the link has stopped for good, since trying again with the
     * same credential cannot help; {@code refusal} says what to change.
     */
    void onRefused(io.antpool.AuthenticationException refusal);
  }

  /**
   * Starts registering with the server. Completes once the link is set up; when the server is not reachable
   * the link keeps retrying with backoff and the future still completes, so a worker may start before its
   * server.
   */
  Future<Void> start();

  /** Sends a task's outcome. Safe from any thread. An outcome produced on a connection since lost is dropped. */
  void sendResult(Frame result, long epoch);

  /**
   * Sends a frame about a task other than its result: a running task's progress report (a
   * {@link io.antpool.protocol.Progress} frame) or the answer to a recall ({@link io.antpool.protocol.Recalled}).
   * Call it on the slot's context, where results are sent, so that a report sent before a result reaches the
   * server before it. A frame produced on a connection since lost is dropped.
   */
  void sendNotice(Frame notice, long epoch);

  /** The current connection's number; results carry it so that none crosses a reconnect. */
  long epoch();

  /**
   * Fetches a class file or resource from a client session's class loader, blocking the calling worker thread.
   *
   * @param known digests of versions this worker already holds
   * @return the client's answer (possibly not found, or the digest alone when it is among {@code known})
   * @throws IOException when the server or the client cannot answer
   */
  SessionResources.Fetched fetch(String session, int loader, String path, java.util.List<String> known)
      throws IOException;

  /** Tells the server this slot is stopping gracefully: it must send no more tasks ({@code Drain}). */
  void drain();

  /** Leaves the server cleanly. */
  Future<Void> stop();
}
