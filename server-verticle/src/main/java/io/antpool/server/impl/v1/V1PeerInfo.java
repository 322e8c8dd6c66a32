package io.antpool.server.impl.v1;

/**
 * What a v1 resource client says of its machine in {@code REG}: its platform text, total and free memory in
 * MiB, and its CPU score (an integer from a small timing loop; larger is faster).
 */
public record V1PeerInfo(String platform, long totalMemoryMb, long freeMemoryMb, long cpuScore) {
}
