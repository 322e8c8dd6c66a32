package io.antpool.protocol.impl;

import io.antpool.AntPoolException;
import io.antpool.protocol.Dispatch;
import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.Message;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.Result;

/**
 * A message from the server that a task client or a worker refused for its size (see {@link ServerMessages}).
 *
 * @param bytes how much of it had come when it passed the limit: its size is at least this
 * @param limit the receiver's limit on one message
 * @param header the message's AntPool header, when its first fragments held one that could be read; else null
 */
public record OversizedMessage(long bytes, int limit, Message header) {

  /** The task the message was about (a result's or a dispatch's), or null when it was about none, or unknown. */
  public Long taskId() {
    if (header instanceof Result r) {
      return r.taskId();
    }
    if (header instanceof Dispatch d) {
      return d.taskId();
    }
    return null;
  }

  /**
   * The error to report, naming the message, the limit and what to do. {@code receiver} says who refused it
   * ("client", "worker").
   */
  public AntPoolException error(String receiver) {
    Long task = taskId();
    String what = header == null ? "a message" : "a " + header.getClass().getSimpleName()
        + (task == null ? "" : " of task " + task);
    String smaller = header instanceof Dispatch ? "submit tasks that capture less data (pass a file name or a key"
        + " instead of the data)" : header instanceof Result ? "return less data from the task" : "send less data";
    return new AntPoolException(ErrorCode.TOO_LARGE, "the AntPool server sent this " + receiver + " " + what
        + " of at least " + bytes + " bytes, more than the " + limit + " bytes a " + receiver + " accepts in one"
        + " message. A server sends that much only when its maxFrameBytes is set at or near the protocol's ceiling ("
        + Protocol.MAX_FRAME_BYTES + " bytes, the most any AntPool peer accepts, which no option raises): " + smaller
        + ", or lower maxFrameBytes in the server's configuration, so that the server refuses such a message where"
        + " it is made");
  }
}
