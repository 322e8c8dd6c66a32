package io.antpool.server.impl;

/**
 * The original AntPool's policy: the free slot with the highest CPU score first; among equals, the one that
 * joined first. Total over distinct slots (the arrival sequence is unique), as a sorted set requires.
 */
final class FastestFirst implements SlotPolicy {
  @Override
  public int compare(WorkerSlot a, WorkerSlot b) {
    int byScore = Double.compare(b.peer.cpuScore(), a.peer.cpuScore());
    return byScore != 0 ? byScore : Long.compare(a.seq, b.seq);
  }
}
