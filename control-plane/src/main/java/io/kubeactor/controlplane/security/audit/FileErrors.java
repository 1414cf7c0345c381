package io.kubeactor.controlplane.security.audit;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/** An I/O failure worded as Go's *PathError ends ("no such file or directory"), for one-line messages. */
final class FileErrors {
  private FileErrors() {}

  static String reason(IOException e) {
    if (e instanceof NoSuchFileException) return "no such file or directory";
    if (e instanceof AccessDeniedException) return "permission denied";
    // Files.createDirectories over a regular file
    if (e instanceof FileAlreadyExistsException) return "not a directory";
    if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason().toLowerCase(Locale.ROOT);
    return String.valueOf(e.getMessage());
  }

  /** The path the failure names, or the given one. */
  static String path(IOException e, Object fallback) {
    return e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : String.valueOf(fallback);
  }
}
