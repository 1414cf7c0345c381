package io.kubeactor.controlplane.security.audit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events on one thread of its own, fed by a bounded queue, so that requests never wait
 * for the disk: when the queue is full an event is dropped and counted, as upstream's batch backend
 * drops what its buffer cannot take, and the count is logged with one WARN a minute at most; a
 * failed write is counted and reported the same way, never with a stack trace.
 */
final class AuditLogWriter implements Consumer<AuditEvent>, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AuditLogWriter.class);
  private static final long REPORT_EVERY_NANOS = Duration.ofMinutes(1).toNanos();
  private static final int BATCH = 400;

  /** Where lines go: the rotating file, or standard output. */
  interface Target extends AutoCloseable {
    void write(byte[] line) throws IOException;

    void flush() throws IOException;

    @Override
    void close() throws IOException;
  }

  /** Put behind the last event by close(). */
  private static final Object STOP = new Object();

  private final BlockingQueue<Object> queue;
  private final int queueSize;
  private final Target target;
  private final String name;
  private final Thread thread;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean closing;
  // the writer thread's own
  private long droppedReported;
  private long failedReported;
  private String lastFailure = "";
  private long lastReport = System.nanoTime() - REPORT_EVERY_NANOS;

  AuditLogWriter(Target target, String name, int queueSize) {
    this.queue = new ArrayBlockingQueue<>(queueSize + 1);
    this.queueSize = queueSize;
    this.target = target;
    this.name = name;
    this.thread = new Thread(this::run, "audit-log-writer");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The writer the settings name.
   *
   * @throws IllegalArgumentException when the log file cannot be created or opened
   */
  static AuditLogWriter open(AuditSettings settings) {
    if (settings.toStandardOutput()) return new AuditLogWriter(standardOutput(), "standard output", settings.queueSize());
    Path path = Path.of(settings.logPath());
    try {
      return new AuditLogWriter(RotatingFile.open(path, settings.maxSizeMegabytes(), settings.maxBackups()),
          path.toString(), settings.queueSize());
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot open the audit log " + path + ": open " + FileErrors.path(e, path) + ": "
          + FileErrors.reason(e));
    }
  }

  /** Queues the event, or drops and counts it when the writer is this far behind. Never blocks. */
  @Override
  public void accept(AuditEvent event) {
    if (closing || queue.size() >= queueSize || !queue.offer(event)) dropped.incrementAndGet();
  }

  /** Events dropped so far because the queue was full. */
  long dropped() {
    return dropped.get();
  }

  /** Writes what is queued, then stops the thread and closes the file. */
  @Override
  public void close() throws InterruptedException {
    if (closing) return;
    closing = true;
    // the queue keeps one place free for this
    queue.put(STOP);
    thread.join(TimeUnit.SECONDS.toMillis(10));
  }

  private void run() {
    List<Object> batch = new ArrayList<>(BATCH);
    try {
      boolean stopped = false;
      while (!stopped) {
        Object first;
        try {
          first = queue.poll(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          return;
        }
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
          for (Object item : batch) {
            if (item == STOP) stopped = true;
            else write((AuditEvent) item);
          }
          batch.clear();
          // flushed when the queue runs dry, so a quiet log is on disk at once and a busy one in large writes
          if (queue.isEmpty()) flush();
        }
        report(stopped);
      }
    } finally {
      flush();
      try {
        target.close();
      } catch (IOException e) {
        log.warn("audit log: closing {} failed: {}", name, e.getMessage());
      }
    }
  }

  private void write(AuditEvent event) {
    try {
      target.write(event.toJsonLine());
    } catch (IOException | RuntimeException e) {
      failed.incrementAndGet();
      lastFailure = String.valueOf(e.getMessage());
    }
  }

  private void flush() {
    try {
      target.flush();
    } catch (IOException e) {
      failed.incrementAndGet();
      lastFailure = String.valueOf(e.getMessage());
    }
  }

  private void report(boolean now) {
    long at = System.nanoTime();
    if (!now && at - lastReport < REPORT_EVERY_NANOS) return;
    long lost = dropped.get() - droppedReported;
    long broken = failed.get() - failedReported;
    if (lost == 0 && broken == 0) return;
    lastReport = at;
    droppedReported += lost;
    failedReported += broken;
    if (lost > 0) {
      log.warn("audit log: {} events dropped since the last report: the writer to {} could not keep up (queue of {} full)",
          lost, name, queueSize);
    }
    if (broken > 0) log.warn("audit log: {} events could not be written to {}: {}", broken, name, lastFailure);
  }

  private static Target standardOutput() {
    PrintStream stdout = System.out;
    return new Target() {
      @Override
      public void write(byte[] line) {
        stdout.write(line, 0, line.length);
      }

      @Override
      public void flush() {
        stdout.flush();
      }

      @Override
      public void close() {
        stdout.flush();
      }
    };
  }
}
