package io.kubeactor.agent.network;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Which agent owns a host's kernel rules. Several agents may share one host (one network
 * namespace): the service rules, masquerading and routes are the host's, so exactly one of them
 * writes them, the one holding a lock named after the network namespace; the others stand by and
 * one takes over when the owner's process ends (the kernel releases its lock, even after kill -9).
 * Agents in other network namespaces (other hosts, or containers with a network of their own) own
 * theirs. Held for the process's life.
 */
public final class HostOwnership {

  private final Path lockFile;
  private FileChannel channel;
  private FileLock lock;

  public HostOwnership(Path runDir) {
    this.lockFile = runDir.resolve("host-network-" + networkNamespace() + ".lock");
  }

  /** Takes the host's rules if no other agent has them; true while this process owns them. */
  public synchronized boolean tryAcquire() {
    if (lock != null) return true;
    try {
      Files.createDirectories(lockFile.getParent());
      if (channel == null) channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      lock = channel.tryLock();
      return lock != null;
    } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
      return false;
    }
  }

  /** The network namespace's identity: the inode of /proc/self/ns/net ("net:[4026531840]"). */
  static String networkNamespace() {
    try {
      String link = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
      return link.replaceAll("[^0-9]", "");
    } catch (IOException | UnsupportedOperationException e) {
      return "default";
    }
  }
}
