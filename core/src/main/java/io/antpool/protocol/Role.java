package io.antpool.protocol;

/** What a peer does once connected: submit tasks ({@link #CLIENT}) or execute them ({@link #WORKER}). */
public enum Role {
  CLIENT,
  WORKER
}
