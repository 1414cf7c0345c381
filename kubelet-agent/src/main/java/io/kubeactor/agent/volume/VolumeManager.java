package io.kubeactor.agent.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.kubeactor.agent.pod.DownwardApi;
import io.kubeactor.agent.pod.ObjectReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Sets up a pod's volumes as directories on this host, to be bind-mounted into its containers, as
 * kubelet's volume plugins do: emptyDir, hostPath (with its type checks), configMap and secret
 * (their keys written as files) and persistentVolumeClaim (the bound local or hostPath volume; a
 * local-path volume's directory is made on first use, open to every user).
 */
public final class VolumeManager {

  /** A volume cannot be set up; the message is kubelet's FailedMount wording. */
  public static final class MountFailed extends Exception {
    public MountFailed(String message) {
      super(message);
    }
  }

  /** The provisioner of the control plane's default class, whose volumes are directories of their node. */
  static final String LOCAL_PATH_PROVISIONER = "rancher.io/local-path";
  static final String PROVISIONED_BY = "pv.kubernetes.io/provisioned-by";

  private final Path podsDir;
  private final TokenManager tokens;

  public VolumeManager(Path dataDir, TokenManager tokens) {
    this.podsDir = dataDir.resolve("pods");
    this.tokens = tokens;
  }

  /** Sets up every volume of the pod; returns volume name → host path. */
  public Map<String, Path> setUp(Pod pod, ObjectReader reader) throws MountFailed {
    Map<String, Path> paths = new LinkedHashMap<>();
    List<Volume> volumes = pod.getSpec().getVolumes();
    if (volumes == null) return paths;
    for (Volume v : volumes) {
      try {
        paths.put(v.getName(), setUp(pod, v, reader));
      } catch (MountFailed e) {
        throw new MountFailed("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + e.getMessage());
      } catch (IOException e) {
        throw new MountFailed("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + e);
      }
    }
    return paths;
  }

  private Path setUp(Pod pod, Volume v, ObjectReader reader) throws MountFailed, IOException {
    String uid = pod.getMetadata().getUid();
    String ns = pod.getMetadata().getNamespace();
    if (v.getEmptyDir() != null) {
      Path dir = volumeDir(uid, "kubernetes.io~empty-dir", v.getName());
      Files.createDirectories(dir);
      setMode(dir, 0777);
      return dir;
    }
    if (v.getHostPath() != null) {
      return HostPaths.check(Path.of(v.getHostPath().getPath()), v.getHostPath().getType());
    }
    if (v.getConfigMap() != null) {
      var src = v.getConfigMap();
      ObjectNode cm = read(reader, "ConfigMap", ns, src.getName());
      if (cm == null) {
        if (Boolean.TRUE.equals(src.getOptional())) return writeFiles(volumeDir(uid, "kubernetes.io~configmap", v.getName()), Map.of(), 0644);
        throw new MountFailed("configmap \"" + src.getName() + "\" not found");
      }
      return writeFiles(volumeDir(uid, "kubernetes.io~configmap", v.getName()),
          select(configMapData(cm), src.getItems(), "configmap", src.getName(), src.getOptional()), mode(src.getDefaultMode(), 0644));
    }
    if (v.getSecret() != null) {
      var src = v.getSecret();
      ObjectNode secret = read(reader, "Secret", ns, src.getSecretName());
      if (secret == null) {
        if (Boolean.TRUE.equals(src.getOptional())) return writeFiles(volumeDir(uid, "kubernetes.io~secret", v.getName()), Map.of(), 0644);
        throw new MountFailed("secret \"" + src.getSecretName() + "\" not found");
      }
      Map<String, byte[]> data = new LinkedHashMap<>();
      secret.path("data").properties().forEach(e -> data.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText())));
      return writeFiles(volumeDir(uid, "kubernetes.io~secret", v.getName()),
          select(data, src.getItems(), "secret", src.getSecretName(), src.getOptional()), mode(src.getDefaultMode(), 0644));
    }
    if (v.getPersistentVolumeClaim() != null) {
      String claim = v.getPersistentVolumeClaim().getClaimName();
      ObjectNode pvc = read(reader, "PersistentVolumeClaim", ns, claim);
      if (pvc == null) throw new MountFailed("persistentvolumeclaim \"" + claim + "\" not found");
      String pvName = pvc.path("spec").path("volumeName").asText("");
      if (pvName.isEmpty() || !pvc.path("status").path("phase").asText("").equals("Bound")) {
        throw new MountFailed("persistentvolumeclaim \"" + claim + "\" is not bound");
      }
      ObjectNode pv = read(reader, "PersistentVolume", null, pvName);
      if (pv == null) throw new MountFailed("persistentvolume \"" + pvName + "\" not found");
      JsonNode spec = pv.path("spec");
      if (spec.path("local").hasNonNull("path")) {
        Path path = Path.of(spec.path("local").path("path").asText());
        if (!Files.exists(path)) throw new MountFailed("path \"" + path + "\" does not exist");
        return path;
      }
      if (spec.path("hostPath").hasNonNull("path")) {
        Path path = Path.of(spec.path("hostPath").path("path").asText());
        boolean localPath = LOCAL_PATH_PROVISIONER.equals(pv.path("metadata").path("annotations").path(PROVISIONED_BY).asText());
        if (localPath && !Files.exists(path)) {
          // as the provisioner's setup (mkdir -m 0777): writable by a container running as any user
          Files.createDirectories(path);
          setMode(path, 0777);
        }
        return HostPaths.check(path, spec.path("hostPath").path("type").asText(null));
      }
      throw new MountFailed("persistentvolume \"" + pvName + "\" is neither a local nor a hostPath volume, which this node cannot mount");
    }
    if (v.getProjected() != null) return projected(pod, v, reader);
    throw new MountFailed("volume type not supported on this node (emptyDir, hostPath, configMap, secret, projected and "
        + "persistentVolumeClaim are)");
  }

  /**
   * Writes the pod's projected volumes again where they hold a ServiceAccount token, so that a
   * running pod reads a fresh token before the old one expires (the token manager asks for one only
   * when the old is 80% through its life). Files are replaced by rename: a reader never sees half a file.
   */
  public void refreshTokens(Pod pod, ObjectReader reader) throws MountFailed {
    List<Volume> volumes = pod.getSpec().getVolumes();
    if (volumes == null) return;
    for (Volume v : volumes) {
      if (v.getProjected() == null || v.getProjected().getSources() == null
          || v.getProjected().getSources().stream().noneMatch(src -> src.getServiceAccountToken() != null)) continue;
      try {
        projected(pod, v, reader);
      } catch (MountFailed e) {
        throw new MountFailed("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + e.getMessage());
      } catch (IOException e) {
        throw new MountFailed("MountVolume.SetUp failed for volume \"" + v.getName() + "\" : " + e);
      }
    }
  }

  /**
   * A projected volume (kubelet's volume/projected): the files of its secret, configMap,
   * downwardAPI and serviceAccountToken sources in one directory, as the ServiceAccount admission's
   * kube-api-access-* volume uses them (token, ca.crt, namespace).
   */
  private Path projected(Pod pod, Volume v, ObjectReader reader) throws MountFailed, IOException {
    String ns = pod.getMetadata().getNamespace();
    var projected = v.getProjected();
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (var src : projected.getSources() == null ? List.<io.fabric8.kubernetes.api.model.VolumeProjection>of()
        : projected.getSources()) {
      if (src.getSecret() != null) {
        var secretSource = src.getSecret();
        ObjectNode secret = read(reader, "Secret", ns, secretSource.getName());
        if (secret == null) {
          if (Boolean.TRUE.equals(secretSource.getOptional())) continue;
          throw new MountFailed("secret \"" + secretSource.getName() + "\" not found");
        }
        Map<String, byte[]> data = new LinkedHashMap<>();
        secret.path("data").properties().forEach(e -> data.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText())));
        files.putAll(select(data, secretSource.getItems(), "secret", secretSource.getName(), secretSource.getOptional()));
      } else if (src.getConfigMap() != null) {
        var cmSource = src.getConfigMap();
        ObjectNode cm = read(reader, "ConfigMap", ns, cmSource.getName());
        if (cm == null) {
          if (Boolean.TRUE.equals(cmSource.getOptional())) continue;
          throw new MountFailed("configmap \"" + cmSource.getName() + "\" not found");
        }
        files.putAll(select(configMapData(cm), cmSource.getItems(), "configmap", cmSource.getName(), cmSource.getOptional()));
      } else if (src.getDownwardAPI() != null) {
        for (var item : src.getDownwardAPI().getItems()) {
          if (item.getFieldRef() == null) {
            throw new MountFailed("downwardAPI item \"" + item.getPath() + "\": only fieldRef is supported on this node");
          }
          String value;
          try {
            String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
            String hostIp = pod.getStatus() == null ? null : pod.getStatus().getHostIP();
            value = DownwardApi.field(pod, item.getFieldRef().getFieldPath(), ip, hostIp);
          } catch (IllegalArgumentException e) {
            throw new MountFailed(e.getMessage());
          }
          files.put(item.getPath(), (value == null ? "" : value).getBytes(StandardCharsets.UTF_8));
        }
      } else if (src.getServiceAccountToken() != null) {
        var tokenSource = src.getServiceAccountToken();
        String account = pod.getSpec().getServiceAccountName() == null || pod.getSpec().getServiceAccountName().isEmpty()
            ? "default" : pod.getSpec().getServiceAccountName();
        long seconds = tokenSource.getExpirationSeconds() == null ? 3600 : tokenSource.getExpirationSeconds();
        try {
          String token = tokens.token(ns, account, tokenSource.getAudience() == null ? "" : tokenSource.getAudience(), seconds,
              pod.getMetadata().getName(), pod.getMetadata().getUid());
          files.put(tokenSource.getPath(), token.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
          throw new MountFailed("failed to fetch token: " + e.getMessage());
        }
      } else {
        throw new MountFailed("projected volume source not supported on this node (secret, configMap, downwardAPI and "
            + "serviceAccountToken are)");
      }
    }
    return writeFilesByRename(volumeDir(pod.getMetadata().getUid(), "kubernetes.io~projected", v.getName()), files,
        mode(projected.getDefaultMode(), 0644));
  }

  private static Map<String, byte[]> configMapData(ObjectNode cm) {
    Map<String, byte[]> data = new LinkedHashMap<>();
    cm.path("data").properties().forEach(e -> data.put(e.getKey(), e.getValue().asText().getBytes(StandardCharsets.UTF_8)));
    cm.path("binaryData").properties().forEach(e -> data.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText())));
    return data;
  }

  /** As {@link #writeFiles}, each file written beside and renamed over the old one, which a running container reads. */
  private static Path writeFilesByRename(Path dir, Map<String, byte[]> files, int mode) throws IOException {
    Files.createDirectories(dir);
    for (var e : files.entrySet()) {
      Path file = dir.resolve(e.getKey()).normalize();
      if (!file.startsWith(dir) || file.equals(dir)) continue; // validation forbids "..", never write outside the volume
      Files.createDirectories(file.getParent());
      if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && java.util.Arrays.equals(Files.readAllBytes(file), e.getValue())) {
        continue; // unchanged: each sync checks the token, few write it
      }
      Path next = file.resolveSibling("." + file.getFileName() + ".next");
      Files.write(next, e.getValue());
      setMode(next, mode);
      Files.move(next, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && !files.containsKey(dir.relativize(p).toString())) {
          Files.delete(p);
        }
      }
    }
    return dir;
  }

  /** Removes what the pod's volumes left on this host (not host paths, which belong to the host), and its tokens. */
  public void tearDown(String podUid) {
    tokens.forget(podUid);
    Path dir = podsDir.resolve(podUid);
    if (!Files.exists(dir)) return;
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort: a busy file stays until the next tear-down
        }
      });
    } catch (IOException ignored) {
      // nothing left to remove
    }
  }

  private Path volumeDir(String uid, String plugin, String name) {
    return podsDir.resolve(uid).resolve("volumes").resolve(plugin).resolve(name);
  }

  private static ObjectNode read(ObjectReader reader, String kind, String ns, String name) throws MountFailed {
    try {
      return reader.read(kind, ns, name);
    } catch (Exception e) {
      throw new MountFailed("cannot read " + kind + " \"" + name + "\": " + e.getMessage());
    }
  }

  private static Map<String, byte[]> select(Map<String, byte[]> data, List<KeyToPath> items, String kind, String name,
      Boolean optional) throws MountFailed {
    if (items == null || items.isEmpty()) return data;
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        if (Boolean.TRUE.equals(optional)) continue;
        throw new MountFailed("configuration of " + kind + " \"" + name + "\" has no key \"" + item.getKey() + "\"");
      }
      out.put(item.getPath(), value);
    }
    return out;
  }

  /** Writes the files afresh (a changed ConfigMap shows in a new pod's volume). */
  private static Path writeFiles(Path dir, Map<String, byte[]> files, int mode) throws IOException {
    Files.createDirectories(dir);
    try (Stream<Path> old = Files.list(dir)) {
      for (Path p : old.toList()) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) Files.delete(p);
      }
    }
    for (var e : files.entrySet()) {
      Path file = dir.resolve(e.getKey()).normalize();
      if (!file.startsWith(dir)) continue; // validation forbids "..", never write outside the volume
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
      setMode(file, mode);
    }
    return dir;
  }

  private static int mode(Integer mode, int fallback) {
    return mode == null ? fallback : mode;
  }

  static void setMode(Path path, int mode) throws IOException {
    Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] order = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int bit = 0; bit < 9; bit++) {
      if ((mode & (1 << bit)) != 0) perms.add(order[bit]);
    }
    Files.setPosixFilePermissions(path, perms);
  }
}
