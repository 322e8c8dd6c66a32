package io.antpool.server.impl;

import io.antpool.protocol.Frame;

/** Where frames for one connected peer go (its WebSocket). */
@FunctionalInterface
interface FrameSink {
  void send(Frame frame);
}
