package io.kubeactor.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One agent per data directory, and the directory's identity across agents. */
class DataDirectoryLockTest {

  @TempDir
  Path dir;

  @Test
  void aSecondAgentIsRefusedWhileTheFirstHoldsTheDirectoryAndNamesItsPid() throws Exception {
    Path node = dir.resolve("node-a");
    DataDirectoryLock first = DataDirectoryLock.acquire(node);
    String pid = Long.toString(ProcessHandle.current().pid());
    assertThat(Files.readString(node.resolve(DataDirectoryLock.FILE)).strip()).isEqualTo(pid);

    assertThatThrownBy(() -> DataDirectoryLock.acquire(node))
        .isInstanceOf(DataDirectoryLock.Held.class)
        .hasMessage("the data directory " + node + " is in use by another agent (pid " + pid
            + "); stop that agent first, or give this one another --data-dir");
    assertThat(first.held()).isTrue();
    first.release();
  }

  @Test
  void theNextAgentTakesAReleasedDirectoryWithItsIdentityAndAnotherDirectoryHasAnother() throws Exception {
    DataDirectoryLock first = DataDirectoryLock.acquire(dir.resolve("node-a"));
    String id = first.id();
    first.release();

    DataDirectoryLock again = DataDirectoryLock.acquire(dir.resolve("node-a"));
    assertThat(again.id()).isEqualTo(id);
    DataDirectoryLock other = DataDirectoryLock.acquire(dir.resolve("node-b"));
    assertThat(other.id()).isNotEqualTo(id);
    again.release();
    other.release();
  }
}
