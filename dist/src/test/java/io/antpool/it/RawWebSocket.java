package io.antpool.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare TCP socket, so that a test can do what no WebSocket library lets it: send any
 * bytes (forged lengths, unmasked frames, invalid UTF-8), and stop reading entirely (a small receive buffer
 * and no reads: the server's writes really back up). Frames are masked with a zero key unless sent raw.
 */
final class RawWebSocket implements AutoCloseable {
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;
  static final int PING = 9;
  static final int PONG = 10;

  /** A frame from the server; for a close, {@link #closeCode()} and {@link #text()} give code and reason. */
  record WsFrame(int opcode, byte[] payload) {
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
    }

    String text() {
      int from = opcode == CLOSE ? Math.min(2, payload.length) : 0;
      return new String(payload, from, payload.length - from, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final String subprotocol;

  private RawWebSocket(Socket socket, DataInputStream in, String subprotocol) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = in;
    this.subprotocol = subprotocol;
  }

  /**
   * Opens {@code ws://127.0.0.1:port/ws}, asking for {@code subprotocol} unless null; {@code receiveBuffer}
   * above 0 shrinks the socket's receive buffer (a peer that will not read).
   */
  static RawWebSocket open(int port, String subprotocol, int receiveBuffer) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    socket.setSoTimeout(30_000);
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    String request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + (subprotocol == null ? "" : "Sec-WebSocket-Protocol: " + subprotocol + "\r\n") + "\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    String response = readHandshake(in);
    if (!response.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("the server refused the WebSocket upgrade: " + response);
    }
    String accepted = null;
    for (String line : response.split("\r\n")) {
      if (line.toLowerCase().startsWith("sec-websocket-protocol:")) {
        accepted = line.substring(line.indexOf(':') + 1).trim();
      }
    }
    return new RawWebSocket(socket, in, accepted);
  }

  /** The HTTP response head, up to the blank line; what follows stays in {@code in} for the frames. */
  private static String readHandshake(DataInputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the server closed during the WebSocket handshake: " + head);
      }
      head.append((char) b);
    }
    return head.toString();
  }

  /** The subprotocol the server accepted, or null. */
  String subprotocol() {
    return subprotocol;
  }

  void sendBinary(byte[] payload) throws IOException {
    sendFrame(BINARY, true, payload);
  }

  void sendText(byte[] utf8) throws IOException {
    sendFrame(TEXT, true, utf8);
  }

  /** One masked (zero key) frame with {@code opcode}, final or not. */
  void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
    int n = payload.length;
    byte[] head;
    if (n < 126) {
      head = new byte[] {(byte) ((fin ? 0x80 : 0) | opcode), (byte) (0x80 | n), 0, 0, 0, 0};
    } else if (n < 65536) {
      head = new byte[] {(byte) ((fin ? 0x80 : 0) | opcode), (byte) (0x80 | 126), (byte) (n >> 8), (byte) n,
          0, 0, 0, 0};
    } else {
      head = new byte[14];
      head[0] = (byte) ((fin ? 0x80 : 0) | opcode);
      head[1] = (byte) (0x80 | 127);
      for (int i = 0; i < 8; i++) {
        head[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
      }
    }
    synchronized (out) {
      out.write(head);
      out.write(payload);
    }
  }

  /** Bytes exactly as given, framing included: forged WebSocket headers. */
  void sendRaw(byte[] bytes) throws IOException {
    synchronized (out) {
      out.write(bytes);
    }
  }

  /**
   * The next frame from the server (continuations joined), or null at the end of the stream. Pings are answered
   * with pongs and skipped, as any WebSocket library does.
   */
  WsFrame read() throws IOException {
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    int opcode = -1;
    while (true) {
      int b0 = in.read();
      if (b0 < 0) {
        return null;
      }
      int b1 = in.readUnsignedByte();
      long len = b1 & 0x7f;
      if (len == 126) {
        len = in.readUnsignedShort();
      } else if (len == 127) {
        len = in.readLong();
      }
      byte[] payload = new byte[(int) len];
      in.readFully(payload);
      int op = b0 & 0x0f;
      if (op == PING) {
        sendFrame(PONG, true, payload);
        continue;
      }
      if (op >= 8) {
        return new WsFrame(op, payload); // control frames are never fragmented
      }
      if (op != 0) {
        opcode = op;
      }
      message.write(payload);
      if ((b0 & 0x80) != 0) {
        return new WsFrame(opcode, message.toByteArray());
      }
    }
  }

  /** Reads until the server's close frame or the end of the stream; the close code, or -1 without one. */
  int drainToClose() throws IOException {
    try {
      for (WsFrame f = read(); f != null; f = read()) {
        if (f.opcode() == CLOSE) {
          return f.closeCode();
        }
      }
    } catch (IOException e) {
      // a reset is an end too
    }
    return -1;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
