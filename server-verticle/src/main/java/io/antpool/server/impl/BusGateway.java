package io.antpool.server.impl;

import io.antpool.protocol.ErrorCode;
import io.antpool.protocol.ErrorReply;
import io.antpool.protocol.Fetch;
import io.antpool.protocol.Drain;
import io.antpool.protocol.Frame;
import io.antpool.protocol.Hello;
import io.antpool.protocol.Progress;
import io.antpool.protocol.Recalled;
import io.antpool.protocol.Protocol;
import io.antpool.protocol.ProtocolException;
import io.antpool.protocol.Result;
import io.antpool.protocol.Role;
import io.antpool.protocol.Welcome;
import io.antpool.protocol.impl.ClusterNode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;

/**
 * The event-bus side of the server, for workers that live on the bus: in the server's own Vert.x, or in other
 * JVMs of its Vert.x cluster (those name their cluster member in header {@link Protocol#BUS_NODE_HEADER}). They speak the same frames as WebSocket workers; the slot address travels in the message
 * header {@link Protocol#BUS_SLOT_HEADER}.
 *
 * <p>Trust: the hello a bus worker registers with carries no credential and is not checked. The boundary is the
 * cluster's membership: a JVM that could join the Vert.x cluster could read and send any bus message anyway
 * (dispatches, results), so a token on the bus would protect nothing; the cluster's own network settings do
 * (docs/protocol.md, "Event bus").
 */
public final class BusGateway {
  private static final String SLOT_HEADER = Protocol.BUS_SLOT_HEADER;

  private final ServerContext server;

  BusGateway(ServerContext server) {
    this.server = server;
  }

  Future<Void> start() {
    List<MessageConsumer<Buffer>> consumers = List.of(
        server.bus().<Buffer>consumer(Protocol.BUS_REGISTER, this::onRegister),
        server.bus().<Buffer>consumer(Protocol.BUS_RESULTS, this::onResult),
        server.bus().<Buffer>consumer(Protocol.BUS_FETCH, this::onFetch),
        server.bus().<Buffer>consumer(Protocol.BUS_LEAVE, this::onLeave),
        server.bus().<Buffer>consumer(Protocol.BUS_PING, this::onPing));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList()).mapEmpty();
  }

  private void onRegister(Message<Buffer> msg) {
    String slot = msg.headers().get(SLOT_HEADER);
    try {
      Frame frame = Frame.decode(msg.body());
      if (slot == null || !(frame.header() instanceof Hello hello) || hello.role() != Role.WORKER
          || hello.peer() == null) {
        throw new ProtocolException(ErrorCode.BAD_HELLO, "a worker registers on " + Protocol.BUS_REGISTER
            + " with a worker hello and its slot address in header " + SLOT_HEADER);
      }
      if (hello.protocolVersion() != Protocol.VERSION) {
        throw new ProtocolException(ErrorCode.UNSUPPORTED_VERSION, "this server speaks AntPool protocol "
            + Protocol.VERSION + " but the worker speaks " + hello.protocolVersion());
      }
      msg.reply(Frame.of(new Welcome(slot, Protocol.VERSION, Protocol.ANTPOOL_VERSION)).encode());
      String node = msg.headers().get(Protocol.BUS_NODE_HEADER);
      if (node == null || node.equals(ClusterNode.idOf(server.vertx()))) {
        server.scheduler().addSlot(slot, hello.peer(), "local", WorkerKind.EMBEDDED);
      } else {
        // its address: the host its cluster member gave for the event bus (a message does not tell where it came
        // from), or, failing that, the one it reports
        Context loop = server.vertx().getOrCreateContext();
        ClusterNode.hostOf(server.vertx(), node).otherwise(e -> null).onComplete(ar -> loop.runOnContext(v -> {
          String host = ar.result() != null ? ar.result() : hello.peer().ip();
          server.scheduler().addSlot(slot, hello.peer(), host, WorkerKind.CLUSTERED).node = node;
        }));
      }
    } catch (ProtocolException e) {
      msg.reply(Frame.of(e.toReply(null)).encode());
    }
  }

  private void onResult(Message<Buffer> msg) {
    String slot = msg.headers().get(SLOT_HEADER);
    server.stats().bytesIn += msg.body().length();
    try {
      Frame frame = Frame.decode(msg.body());
      if (slot != null && frame.header() instanceof Result result) {
        server.scheduler().onResult(slot, result, frame.payload());
      } else if (slot != null && frame.header() instanceof Progress p && p.problem() == null) {
        server.scheduler().onProgress(slot, p.taskId(), p.value()); // figures out of range: dropped, as malformed
      } else if (slot != null && frame.header() instanceof Recalled answer) {
        server.scheduler().onRecalled(slot, answer);
      } else if (slot != null && frame.header() instanceof Drain) {
        server.scheduler().drainSlot(slot);
      }
    } catch (ProtocolException ignored) {
      // a malformed result cannot be matched to a task; the slot's task is rerun if the slot leaves
    }
  }

  private void onFetch(Message<Buffer> msg) {
    server.stats().bytesIn += msg.body().length();
    Frame frame;
    try {
      frame = Frame.decode(msg.body());
    } catch (ProtocolException e) {
      msg.reply(Frame.of(e.toReply(null)).encode());
      return;
    }
    if (!(frame.header() instanceof Fetch fetch)) {
      msg.reply(Frame.of(new ErrorReply(ErrorCode.BAD_FRAME, "expected a fetch on " + Protocol.BUS_FETCH, null))
          .encode());
      return;
    }
    server.fetches().fetch(fetch).onSuccess(reply -> {
      Buffer encoded = reply.encode();
      server.stats().bytesOut += encoded.length();
      msg.reply(encoded);
    });
  }

  /** A bus slot asks whether this server holds it; one that restarted does not, and the slot registers again. */
  private void onPing(Message<Buffer> msg) {
    String slot = msg.headers().get(SLOT_HEADER);
    boolean held = slot != null && server.scheduler().holdsSlot(slot);
    msg.reply(Buffer.buffer(1).appendByte((byte) (held ? 1 : 0)));
  }

  private void onLeave(Message<Buffer> msg) {
    String slot = msg.headers().get(SLOT_HEADER);
    if (slot != null) {
      server.scheduler().removeSlot(slot, "it left");
    }
    msg.reply(Buffer.buffer(0));
  }
}
