package io.kubeactor.controlplane.security.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kubeactor.controlplane.security.audit.AuditPolicy.Level;
import io.kubeactor.controlplane.security.audit.AuditPolicy.Stage;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The writer thread: requests never wait for it, and what it cannot take is dropped and counted. */
class AuditLogWriterTest {

  private static AuditEvent event(String id) {
    return new AuditEvent(Level.METADATA, id, Stage.REQUEST_RECEIVED, "/healthz", "get", UserInfo.of("u"), null,
        List.of(), "", null, null, null, null, false, Instant.EPOCH, Instant.EPOCH, new TreeMap<>());
  }

  /** A target whose writes wait until released, as a stalled disk would. */
  private static final class StalledTarget implements AuditLogWriter.Target {
    final CountDownLatch release = new CountDownLatch(1);
    final List<String> written = new CopyOnWriteArrayList<>();
    volatile int writing;

    @Override
    public void write(byte[] line) throws IOException {
      writing++;
      try {
        release.await();
      } catch (InterruptedException e) {
        throw new IOException(e);
      }
      written.add(new String(line, StandardCharsets.UTF_8));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
    StalledTarget target = new StalledTarget();
    AuditLogWriter writer = new AuditLogWriter(target, "test", 2);
    writer.accept(event("first"));
    await().until(() -> target.writing == 1);

    // the writer holds "first"; the queue takes two more, the rest are dropped at once
    for (int i = 0; i < 5; i++) writer.accept(event("e" + i));
    assertThat(writer.dropped()).isEqualTo(3);

    target.release.countDown();
    writer.close();
    assertThat(target.written).hasSize(3);
    assertThat(target.written.get(0)).contains("\"auditID\":\"first\"");
    assertThat(target.written.get(2)).contains("\"auditID\":\"e1\"");
  }

  @Test
  void aFailingTargetDoesNotStopTheWriter() throws Exception {
    List<String> written = new CopyOnWriteArrayList<>();
    AuditLogWriter writer = new AuditLogWriter(new AuditLogWriter.Target() {
      @Override
      public void write(byte[] line) throws IOException {
        String s = new String(line, StandardCharsets.UTF_8);
        if (s.contains("\"bad\"")) throw new IOException("No space left on device");
        written.add(s);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    }, "test", 10);
    writer.accept(event("bad"));
    writer.accept(event("good"));
    writer.close();

    assertThat(written).singleElement().asString().contains("\"auditID\":\"good\"");
  }
}
