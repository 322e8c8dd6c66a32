package io.antpool.bench;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.memberselector.MemberSelectors;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.antpool.SerializableCallable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Hazelcast's distributed executor ({@link IExecutorService}) as a {@link Target}: the baseline issue 10 compares
 * AntPool's throughput and round trip with. Two child JVMs are Hazelcast data members ({@link HazelcastMember}),
 * the counterparts of AntPool's two worker JVMs; this JVM joins their cluster as a lite member and submits every
 * task with {@link MemberSelectors#NON_LOCAL_MEMBER_SELECTOR}, so it runs on one of the two children (Hazelcast
 * picks one at random for each task), never here.
 *
 * <p>Why a lite member: the harness plays AntPool's client, which submits and runs nothing. A lite member holds
 * no partitions, so the two children own all the cluster's data and nothing migrates to or from the harness;
 * like any member it sends each task straight to the member that runs it (one hop each way, where AntPool's
 * task crosses the server: two hops each way).
 *
 * <p>Hazelcast does not ship classes: a task's class must be on the executing member's class path. The children
 * get the bench jar on theirs (AntPool's workers, by contrast, get only {@code antpool.jar} and fetch the task
 * classes from the client).
 */
final class HazelcastBaseline implements Target, AutoCloseable {
  /**
   * The JDK internals Hazelcast asks for, as {@code dist/target/antpool.jar}'s manifest opens them for
   * {@code java -jar}; a {@code java -cp} launch must give them on the command line, or Hazelcast warns and does
   * without (its operating-system metrics).
   */
  static final List<String> JVM_ARGS = List.of(
      "--add-opens", "java.base/java.lang=ALL-UNNAMED",
      "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED");
  private static final Pattern READY = Pattern.compile("hazelcast member ready at (\\S+)");
  private static final int MEMBERS = 2;

  private final String name;
  private final Path workDir;
  private final List<ChildJvm> children;
  private final HazelcastInstance local;
  private final IExecutorService executor;

  private HazelcastBaseline(String name, Path workDir, List<ChildJvm> children, HazelcastInstance local) {
    this.name = name;
    this.workDir = workDir;
    this.children = children;
    this.local = local;
    this.executor = local.getExecutorService(HazelcastCluster.EXECUTOR);
  }

  /**
   * Starts the two data members one after the other (each joined before the next starts, so they cannot form
   * two clusters), then joins them from this JVM as a lite member. On failure, stops whatever it started.
   *
   * @param classPath the children's class path: Hazelcast and the task classes ({@code antpool.jar} and the
   *     bench jar)
   * @param executorThreads threads of the executor on each member
   * @param echo whether to copy the children's output to this JVM's standard error
   * @throws IllegalStateException if a member does not start within {@code readyTimeout}, or the cluster is not
   *     the expected three members
   */
  static HazelcastBaseline start(String name, String classPath, int executorThreads, Duration readyTimeout,
      boolean echo) throws IOException, InterruptedException {
    HazelcastMember.quietLogging();
    HazelcastCluster cluster = HazelcastCluster.fresh(executorThreads);
    Path workDir = Files.createTempDirectory("antpool-hazelcast-");
    List<ChildJvm> children = new ArrayList<>();
    HazelcastInstance local = null;
    try {
      for (int i = 1; i <= MEMBERS; i++) {
        ChildJvm child = ChildJvm.startMain("hazelcast-" + i, JVM_ARGS, classPath, HazelcastMember.class.getName(),
            workDir, cluster.args(), READY, echo);
        children.add(child);
        child.awaitReady(readyTimeout);
      }
      local = Hazelcast.newHazelcastInstance(cluster.config(true));
      checkMembers(local);
      return new HazelcastBaseline(name, workDir, children, local);
    } catch (IOException | InterruptedException | RuntimeException e) {
      stop(local, children, workDir);
      throw e;
    }
  }

  private static void checkMembers(HazelcastInstance local) {
    Set<Member> members = local.getCluster().getMembers();
    long data = members.stream().filter(m -> !m.isLiteMember()).count();
    if (members.size() != MEMBERS + 1 || data != MEMBERS) {
      throw new IllegalStateException("the Hazelcast cluster should be " + MEMBERS + " data members and this lite"
          + " member, but is " + members);
    }
  }

  @Override
  public String name() {
    return name;
  }

  /** The process ids of the data members, in start order. */
  List<Long> memberPids() {
    return children.stream().map(ChildJvm::pid).toList();
  }

  /** CPU time the two member JVMs have used so far, together, in nanoseconds (see {@link CpuUse}). */
  long memberCpuNanos() {
    return children.stream().mapToLong(ChildJvm::cpuNanos).sum();
  }

  /** The data members' addresses, as Hazelcast reports them. */
  List<String> memberAddresses() {
    return local.getCluster().getMembers().stream().filter(m -> !m.isLiteMember())
        .map(m -> m.getSocketAddress().getHostString() + ":" + m.getSocketAddress().getPort()).toList();
  }

  /**
   * Submits {@code task} to one of the two data members, picked at random by Hazelcast. The future is a plain
   * {@link CompletableFuture}, completed from Hazelcast's on the thread that receives the value (or the failure),
   * so what depends on it runs there, as on a Vert.x event loop for AntPool's futures.
   */
  @Override
  public <T> CompletableFuture<T> submit(SerializableCallable<T> task) {
    Future<T> submitted = executor.submit(task, MemberSelectors.NON_LOCAL_MEMBER_SELECTOR);
    if (!(submitted instanceof CompletionStage<?> stage)) {
      throw new IllegalStateException("Hazelcast's IExecutorService.submit returned a "
          + submitted.getClass().getName() + ", not a CompletionStage; this baseline is written for Hazelcast 5");
    }
    @SuppressWarnings("unchecked") // the stage of this very future: its value is the task's T
    CompletionStage<T> values = (CompletionStage<T>) stage;
    CompletableFuture<T> result = new CompletableFuture<>();
    // completed on Hazelcast's response thread, at once: whenComplete would hand the callback to Hazelcast's
    // default async executor, the common ForkJoinPool, or where that has a parallelism of 1 (2 cores) a new
    // thread per callback, which would cost Hazelcast a thread start per task here
    values.whenCompleteAsync((value, failure) -> {
      if (failure == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause() : failure);
      }
    }, Runnable::run);
    return result;
  }

  /**
   * Runs {@code tasks} tasks that return the id of the process they ran in, {@code window} at a time, and counts
   * them per process: a check that the tasks run on the two children, and how they are spread.
   *
   * @return tasks per process id, in the order of the ids
   */
  Map<Long, Integer> spread(int tasks) throws Exception {
    Map<Long, Integer> perPid = new TreeMap<>();
    for (int i = 0; i < tasks; i++) {
      perPid.merge(Measure.await(this, submit(BenchTasks.pidAfter(0))), 1, Integer::sum);
    }
    return perPid;
  }

  /**
   * Leaves the cluster (this member, gracefully), then stops the children one at a time, the last started first,
   * so each leaves a cluster that knows the others are gone (their shutdown hook leaves gracefully too, see
   * {@link HazelcastCluster#config}). A child still there after {@link ChildJvm#close()}'s grace period is killed.
   */
  @Override
  public void close() {
    stop(local, children, workDir);
  }

  private static void stop(HazelcastInstance local, List<ChildJvm> children, Path workDir) {
    try {
      if (local != null) {
        local.shutdown();
      }
    } finally {
      for (int i = children.size() - 1; i >= 0; i--) {
        children.get(i).close();
      }
      deleteQuietly(workDir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // a temporary folder left behind is harmless; the benchmark's figures are already printed
    }
  }
}
