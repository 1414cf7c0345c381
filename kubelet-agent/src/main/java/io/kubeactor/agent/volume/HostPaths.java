package io.kubeactor.agent.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** hostPath volumes: the checks and creations their type asks for, with kubelet's messages. */
final class HostPaths {
  private HostPaths() {}

  static Path check(Path path, String type) throws VolumeManager.MountFailed, IOException {
    String t = type == null ? "" : type;
    switch (t) {
      case "", "Unset" -> {
        // no check: Docker creates a missing path as a directory
      }
      case "DirectoryOrCreate" -> {
        if (!Files.exists(path)) {
          Files.createDirectories(path);
          VolumeManager.setMode(path, 0755);
        } else if (!Files.isDirectory(path)) {
          throw notA(path, "directory");
        }
      }
      case "Directory" -> {
        if (!Files.exists(path)) throw new VolumeManager.MountFailed("hostPath type check failed: " + path + " is not a directory");
        if (!Files.isDirectory(path)) throw notA(path, "directory");
      }
      case "FileOrCreate" -> {
        if (!Files.exists(path)) {
          Files.createDirectories(path.getParent());
          Files.createFile(path);
          VolumeManager.setMode(path, 0644);
        } else if (!Files.isRegularFile(path)) {
          throw notA(path, "file");
        }
      }
      case "File" -> {
        if (!Files.isRegularFile(path)) throw notA(path, "file");
      }
      case "Socket", "CharDevice", "BlockDevice" -> {
        if (!Files.exists(path) || Files.isDirectory(path) || Files.isRegularFile(path)) {
          throw notA(path, switch (t) {
            case "Socket" -> "socket";
            case "CharDevice" -> "character device";
            default -> "block device";
          });
        }
      }
      default -> throw new VolumeManager.MountFailed("hostPath type \"" + t + "\" is not supported");
    }
    return path;
  }

  private static VolumeManager.MountFailed notA(Path path, String what) {
    return new VolumeManager.MountFailed("hostPath type check failed: " + path + " is not a " + what);
  }
}
