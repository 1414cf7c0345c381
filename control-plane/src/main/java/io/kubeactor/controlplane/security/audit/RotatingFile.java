package io.kubeactor.controlplane.security.audit;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An append-only log file rotated by size, as the lumberjack logger behind kube-apiserver's
 * --audit-log-path: a write that would take the file past its maximum first renames it to
 * {@code name-2006-01-02T15-04-05.000.ext} (UTC) beside it and starts a new one; of the renamed
 * files the newest maxBackups are kept (0: all). Writes are whole lines, so no line is split
 * across files. Files are created readable by their owner only (upstream's 0600). Not thread-safe:
 * one writer thread owns it.
 */
final class RotatingFile implements AuditLogWriter.Target {

  private static final long MEGABYTE = 1024L * 1024L;
  private static final DateTimeFormatter BACKUP_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss.SSS").withZone(ZoneOffset.UTC);

  private final Path file;
  private final long maxBytes;
  private final int maxBackups;
  private final Clock clock;
  private final String prefix;
  private final String extension;
  private OutputStream out;
  private long size;

  /** @param maxSizeMegabytes 0 for lumberjack's default of 100 */
  static RotatingFile open(Path file, int maxSizeMegabytes, int maxBackups) throws IOException {
    return new RotatingFile(file, (maxSizeMegabytes == 0 ? 100 : maxSizeMegabytes) * MEGABYTE, maxBackups,
        Clock.systemUTC());
  }

  RotatingFile(Path file, long maxBytes, int maxBackups, Clock clock) throws IOException {
    this.file = file.toAbsolutePath();
    this.maxBytes = maxBytes;
    this.maxBackups = maxBackups;
    this.clock = clock;
    String name = this.file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    this.prefix = (dot < 0 ? name : name.substring(0, dot)) + "-";
    this.extension = dot < 0 ? "" : name.substring(dot);
    // fail at start, not at the first request, when the file cannot be created (upstream's ensureLogFile)
    Path dir = this.file.getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      setOwnerOnly(dir, "rwx------");
    }
    openExisting();
  }

  /** Appends one line, rotating first if it would not fit. */
  @Override
  public void write(byte[] line) throws IOException {
    if (line.length > maxBytes) {
      throw new IOException("write length " + line.length + " exceeds maximum file size " + maxBytes);
    }
    if (out == null) openExisting();
    if (size + line.length > maxBytes) rotate();
    out.write(line);
    size += line.length;
  }

  @Override
  public void flush() throws IOException {
    if (out != null) out.flush();
  }

  @Override
  public void close() throws IOException {
    if (out != null) {
      OutputStream o = out;
      out = null;
      o.close();
    }
  }

  private void openExisting() throws IOException {
    boolean created = !Files.exists(file);
    // a FileOutputStream, not a channel: an interrupt of the writer thread must not close the file
    out = new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 64 * 1024);
    if (created) setOwnerOnly(file, "rw-------");
    size = Files.size(file);
  }

  private void rotate() throws IOException {
    close();
    Path backup = file.resolveSibling(prefix + BACKUP_TIME.format(clock.instant()) + extension);
    Files.move(file, backup, StandardCopyOption.REPLACE_EXISTING);
    openExisting();
    removeOldBackups();
  }

  private void removeOldBackups() throws IOException {
    if (maxBackups == 0) return;
    List<Backup> backups = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(file.getParent(), globOf(prefix) + "*" + globOf(extension))) {
      for (Path p : dir) {
        String n = p.getFileName().toString();
        String stamp = n.substring(prefix.length(), n.length() - extension.length());
        try {
          backups.add(new Backup(p, Instant.from(BACKUP_TIME.parse(stamp))));
        } catch (DateTimeParseException notOurs) {
          // another file that merely shares the prefix
        }
      }
    }
    backups.sort(Comparator.comparing(Backup::time).reversed());
    for (Backup old : backups.subList(Math.min(maxBackups, backups.size()), backups.size())) {
      Files.deleteIfExists(old.path());
    }
  }

  private record Backup(Path path, Instant time) {}

  private static String globOf(String literal) {
    return literal.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
  }

  private static void setOwnerOnly(Path path, String permissions) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    }
  }
}
