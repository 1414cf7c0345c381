package io.kubeactor.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * One agent per node data directory: a lock on {@value #FILE} in it, held for the process's life.
 * The kernel drops the lock when the process ends, even by kill -9, so a restarted agent takes it
 * over at once while a second one beside a live agent is refused. The file holds the holder's pid,
 * where the launcher finds the agent that runs a node. Under the lock the directory also gets an
 * identity of its own ({@value #ID_FILE}), which the control plane uses to tell a restarted agent
 * of a node from a second agent under the same name.
 */
final class DataDirectoryLock {
  static final String FILE = "agent.lock";
  static final String ID_FILE = "data-dir-id";

  /** Another live process holds the directory; {@code holder} is its pid as it wrote it ("" if unknown). */
  static final class Held extends Exception {
    final String holder;

    Held(Path dataDir, String holder) {
      super("the data directory " + dataDir + " is in use by another agent" + (holder.isEmpty() ? "" : " (pid " + holder + ")")
          + "; stop that agent first, or give this one another --data-dir");
      this.holder = holder;
    }
  }

  private final FileChannel channel;
  private final FileLock lock;
  private final String id;

  private DataDirectoryLock(FileChannel channel, FileLock lock, String id) {
    this.channel = channel;
    this.lock = lock;
    this.id = id;
  }

  /** Takes the directory (created if missing) for this process, or fails with {@link Held} at once. */
  static DataDirectoryLock acquire(Path dataDir) throws Held, IOException {
    Files.createDirectories(dataDir);
    FileChannel channel = FileChannel.open(dataDir.resolve(FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // held by this very JVM
    }
    if (lock == null) {
      String holder = readHolder(channel);
      channel.close();
      throw new Held(dataDir, holder);
    }
    channel.truncate(0);
    channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
    channel.force(false);
    return new DataDirectoryLock(channel, lock, idOf(dataDir));
  }

  /** The directory's identity, made once: the same for every agent that runs from it, another for any other directory. */
  String id() {
    return id;
  }

  boolean held() {
    return lock.isValid();
  }

  /** Gives the directory up (the process's end does so too). */
  void release() throws IOException {
    channel.close();
  }

  private static String idOf(Path dataDir) throws IOException {
    Path file = dataDir.resolve(ID_FILE);
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
      if (!id.isEmpty()) return id;
    }
    String id = UUID.randomUUID().toString();
    Files.writeString(file, id + "\n", StandardCharsets.US_ASCII);
    return id;
  }

  private static String readHolder(FileChannel channel) {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(32);
      channel.read(buffer, 0);
      return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
