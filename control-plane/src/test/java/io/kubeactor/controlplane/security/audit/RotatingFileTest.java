package io.kubeactor.controlplane.security.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Size rotation as the lumberjack logger behind --audit-log-path does it. */
class RotatingFileTest {

  @TempDir Path dir;

  /** A clock one second further on each time it is read, so backups get distinct names. */
  private static final class Ticking extends Clock {
    private Instant now = Instant.parse("2026-12-07T05:00:00.5Z");

    @Override
    public Instant instant() {
      Instant t = now;
      now = now.plus(Duration.ofSeconds(1));
      return t;
    }

    @Override
    public ZoneId getZone() {
      return ZoneId.of("UTC");
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  private static byte[] line(int i) {
    return ("line-" + i + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private List<String> names() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aLineThatWouldNotFitStartsANewFileAndTheOldOneIsRenamedWithItsTime() throws Exception {
    Path log = dir.resolve("audit.log");
    try (RotatingFile f = new RotatingFile(log, 14, 0, new Ticking())) {
      for (int i = 1; i <= 5; i++) f.write(line(i));
    }

    assertThat(names()).containsExactly("audit-2026-12-07T05-00-00.500.log", "audit-2026-12-07T05-00-01.500.log",
        "audit.log");
    assertThat(Files.readString(dir.resolve("audit-2026-12-07T05-00-00.500.log"))).isEqualTo("line-1\nline-2\n");
    assertThat(Files.readString(dir.resolve("audit-2026-12-07T05-00-01.500.log"))).isEqualTo("line-3\nline-4\n");
    assertThat(Files.readString(log)).isEqualTo("line-5\n");
  }

  @Test
  void onlyTheNewestBackupsAreKept() throws Exception {
    Path log = dir.resolve("audit.log");
    Files.writeString(dir.resolve("audit-notes.log"), "not a backup");
    try (RotatingFile f = new RotatingFile(log, 7, 2, new Ticking())) {
      for (int i = 1; i <= 5; i++) f.write(line(i));
    }

    assertThat(names()).containsExactly("audit-2026-12-07T05-00-02.500.log", "audit-2026-12-07T05-00-03.500.log",
        "audit-notes.log", "audit.log");
    assertThat(Files.readString(dir.resolve("audit-2026-12-07T05-00-03.500.log"))).isEqualTo("line-4\n");
    assertThat(Files.readString(log)).isEqualTo("line-5\n");
  }

  @Test
  void anExistingFileIsAppendedToAndCountsTowardsTheSize() throws Exception {
    Path log = dir.resolve("audit.log");
    Files.writeString(log, "line-0\n");
    try (RotatingFile f = new RotatingFile(log, 14, 0, new Ticking())) {
      f.write(line(1));
      f.write(line(2));
    }

    assertThat(names()).containsExactly("audit-2026-12-07T05-00-00.500.log", "audit.log");
    assertThat(Files.readString(dir.resolve("audit-2026-12-07T05-00-00.500.log"))).isEqualTo("line-0\nline-1\n");
    assertThat(Files.readString(log)).isEqualTo("line-2\n");
  }

  @Test
  void aLineLargerThanAFileIsRefused() throws Exception {
    try (RotatingFile f = new RotatingFile(dir.resolve("audit.log"), 4, 0, new Ticking())) {
      assertThatThrownBy(() -> f.write(line(1))).hasMessage("write length 7 exceeds maximum file size 4");
    }
  }

  @Test
  void theFileAndItsNewDirectoryAreTheOwnersOnly() throws Exception {
    assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
    Path log = dir.resolve("logs/audit.log");
    new RotatingFile(log, 100, 0, new Ticking()).close();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log.getParent()))).isEqualTo("rwx------");
  }
}
