package io.kubeactor.controlplane.registry.admission;

import static io.kubeactor.controlplane.registry.admission.Nodes.objects;
import static io.kubeactor.controlplane.registry.admission.Nodes.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.Syntax;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The containers of a pod spec (validateContainers, validateInitContainers,
 * validateContainerCommon, validateProbe, validateHandler, ValidateEnv, ValidateVolumeMounts).
 */
final class ContainerValidation {
  private ContainerValidation() {}

  private static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
  private static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");
  private static final List<String> TERMINATION_MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
  private static final List<String> PROBES = List.of("livenessProbe", "readinessProbe", "startupProbe");
  private static final String INIT_WITHOUT_RESTART = "may not be set for init containers without restartPolicy=Always";
  private static final List<String> ENV_FIELD_PATHS = List.of("metadata.name", "metadata.namespace", "metadata.uid",
      "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs");
  private static final Set<String> DOWNWARD_API_LABELS = Set.of("metadata.annotations", "metadata.labels", "metadata.name",
      "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.restartPolicy", "spec.serviceAccountName",
      "spec.schedulerName", "status.phase", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs");
  private static final List<String> RESOURCE_FIELD_PATHS = List.of("limits.cpu", "limits.ephemeral-storage",
      "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory");

  static void containers(JsonNode spec, Map<String, String> volumes, Long gracePeriod, FieldPath path, FieldErrors errors) {
    List<ObjectNode> containers = objects(spec, "containers");
    if (containers.isEmpty()) {
      errors.required(path, "");
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < containers.size(); i++) {
      ObjectNode container = containers.get(i);
      FieldPath idx = path.index(i);
      containerCommon(container, volumes, idx, errors);
      String name = text(container, "name");
      if (!names.add(name)) errors.duplicate(idx.child("name"), name);
      lifecycleAndProbes(container, gracePeriod, idx, errors);
      if (Nodes.has(container, "restartPolicy")) errors.forbidden(idx.child("restartPolicy"), "may not be set for non-init containers");
    }
    hostPortConflicts(containers, path, errors);
  }

  static void initContainers(JsonNode spec, Map<String, String> volumes, Long gracePeriod, FieldPath path, FieldErrors errors) {
    Set<String> names = new HashSet<>();
    objects(spec, "containers").forEach(c -> names.add(text(c, "name")));
    List<ObjectNode> containers = objects(spec, "initContainers");
    for (int i = 0; i < containers.size(); i++) {
      ObjectNode container = containers.get(i);
      FieldPath idx = path.index(i);
      containerCommon(container, volumes, idx, errors);
      boolean restartAlways = false;
      if (Nodes.has(container, "restartPolicy")) {
        String policy = text(container, "restartPolicy");
        if (!policy.equals("Always")) errors.notSupported(idx.child("restartPolicy"), policy, List.of("Always"));
        restartAlways = policy.equals("Always");
      }
      String name = text(container, "name");
      if (names.contains(name)) errors.duplicate(idx.child("name"), name);
      else if (!name.isEmpty()) names.add(name);
      // Init containers run one at a time, so each is checked for host port conflicts alone.
      hostPortConflicts(List.of(container), path, errors);
      if (restartAlways) {
        lifecycleAndProbes(container, gracePeriod, idx, errors);
      } else {
        for (String field : List.of("lifecycle", "livenessProbe", "readinessProbe", "startupProbe")) {
          if (Nodes.has(container, field)) errors.forbidden(idx.child(field), INIT_WITHOUT_RESTART);
        }
      }
    }
  }

  /**
   * Fields of an ephemeral container that upstream's allow list (allowedEphemeralContainerFields)
   * leaves out, in the order of the Container struct: a debugging container must not take part in
   * the pod's serving, health or resources.
   */
  private static final List<String> NOT_FOR_EPHEMERAL = List.of("ports", "resources", "resizePolicy", "restartPolicy",
      "livenessProbe", "readinessProbe", "startupProbe", "lifecycle");
  private static final String NOT_FOR_EPHEMERAL_DETAIL = "cannot be set for an Ephemeral Container";

  /**
   * validateEphemeralContainers: each as any container, with a name unique among all the pod's
   * containers, a target that is one of its containers or init containers, and none of the fields
   * the allow list leaves out; no subPath mounts (their bind mounts would outlive the container).
   */
  static void ephemeralContainers(JsonNode spec, Map<String, String> volumes, FieldPath path, FieldErrors errors) {
    Set<String> others = new HashSet<>();
    for (String list : List.of("containers", "initContainers")) objects(spec, list).forEach(c -> others.add(text(c, "name")));
    Set<String> names = new HashSet<>(others);
    List<ObjectNode> containers = objects(spec, "ephemeralContainers");
    for (int i = 0; i < containers.size(); i++) {
      ObjectNode container = containers.get(i);
      FieldPath idx = path.index(i);
      containerCommon(container, volumes, idx, errors);
      String image = text(container, "image");
      if (!image.equals(image.strip())) errors.invalid(idx.child("image"), image, "must not have leading or trailing whitespace");
      String name = text(container, "name");
      if (!names.add(name)) errors.duplicate(idx.child("name"), name);
      String target = text(container, "targetContainerName");
      if (!target.isEmpty() && !others.contains(target)) errors.notFound(idx.child("targetContainerName"), target);
      for (String field : NOT_FOR_EPHEMERAL) {
        if (setToNonZero(container.get(field))) errors.forbidden(idx.child(field), NOT_FOR_EPHEMERAL_DETAIL);
      }
      List<ObjectNode> mounts = objects(container, "volumeMounts");
      for (int m = 0; m < mounts.size(); m++) {
        for (String field : List.of("subPath", "subPathExpr")) {
          if (!text(mounts.get(m), field).isEmpty()) {
            errors.forbidden(idx.child("volumeMounts").index(m).child(field), NOT_FOR_EPHEMERAL_DETAIL);
          }
        }
      }
    }
  }

  /** Whether a field holds more than its Go zero value (an empty struct or list counts as unset). */
  private static boolean setToNonZero(JsonNode value) {
    if (Nodes.absent(value)) return false;
    if (value.isContainerNode()) return value.size() > 0;
    return true;
  }

  /** validateContainerCommon. */
  private static void containerCommon(ObjectNode c, Map<String, String> volumes, FieldPath path, FieldErrors errors) {
    String name = text(c, "name");
    if (name.isEmpty()) errors.required(path.child("name"), "");
    else errors.invalidEach(path.child("name"), name, Syntax.dns1123Label(name));
    if (text(c, "image").isEmpty()) errors.required(path.child("image"), "");
    String policy = text(c, "terminationMessagePolicy");
    if (policy.isEmpty()) errors.required(path.child("terminationMessagePolicy"), "");
    else if (!TERMINATION_MESSAGE_POLICIES.contains(policy)) {
      errors.notSupported(path.child("terminationMessagePolicy"), policy, TERMINATION_MESSAGE_POLICIES);
    }
    ports(c, path.child("ports"), errors);
    env(c, path.child("env"), errors);
    envFrom(c, path.child("envFrom"), errors);
    volumeMounts(c, volumes, path.child("volumeMounts"), errors);
    volumeDevices(c, volumes, path.child("volumeDevices"), errors);
    PodSpecValidation.securityProfiles(c.get("securityContext"), path.child("securityContext"), errors);
    String pull = text(c, "imagePullPolicy");
    if (pull.isEmpty()) errors.required(path.child("imagePullPolicy"), "");
    else if (!PULL_POLICIES.contains(pull)) errors.notSupported(path.child("imagePullPolicy"), pull, PULL_POLICIES);
    ResourceValidation.containerResources(c.path("resources"), path.child("resources"), errors);
  }

  private static void ports(ObjectNode c, FieldPath path, FieldErrors errors) {
    Set<String> names = new HashSet<>();
    List<ObjectNode> ports = objects(c, "ports");
    for (int i = 0; i < ports.size(); i++) {
      ObjectNode port = ports.get(i);
      FieldPath idx = path.index(i);
      String name = text(port, "name");
      if (!name.isEmpty()) {
        List<String> msgs = Syntax.portName(name);
        if (!msgs.isEmpty()) errors.invalidEach(idx.child("name"), name, msgs);
        else if (!names.add(name)) errors.duplicate(idx.child("name"), name);
      }
      long containerPort = Nodes.number(port, "containerPort");
      if (containerPort == 0) errors.required(idx.child("containerPort"), "");
      else errors.invalidEach(idx.child("containerPort"), containerPort, Syntax.portNumber(containerPort));
      long hostPort = Nodes.number(port, "hostPort");
      if (hostPort != 0) errors.invalidEach(idx.child("hostPort"), hostPort, Syntax.portNumber(hostPort));
      String protocol = text(port, "protocol");
      if (protocol.isEmpty()) errors.required(idx.child("protocol"), "");
      else if (!PROTOCOLS.contains(protocol)) errors.notSupported(idx.child("protocol"), protocol, PROTOCOLS);
    }
  }

  private static void env(ObjectNode c, FieldPath path, FieldErrors errors) {
    List<ObjectNode> vars = objects(c, "env");
    for (int i = 0; i < vars.size(); i++) {
      ObjectNode var = vars.get(i);
      FieldPath idx = path.index(i);
      String name = text(var, "name");
      if (name.isEmpty()) errors.required(idx.child("name"), "");
      else errors.invalidEach(idx.child("name"), name, Syntax.envVarName(name));
      valueFrom(var, idx.child("valueFrom"), errors);
    }
  }

  private static void valueFrom(ObjectNode var, FieldPath path, FieldErrors errors) {
    JsonNode from = var.get("valueFrom");
    if (Nodes.absent(from)) return;
    int sources = 0;
    JsonNode fieldRef = from.get("fieldRef");
    if (!Nodes.absent(fieldRef)) {
      sources++;
      objectFieldSelector(fieldRef, path.child("fieldRef"), errors);
    }
    JsonNode resourceFieldRef = from.get("resourceFieldRef");
    if (!Nodes.absent(resourceFieldRef)) {
      sources++;
      String resource = text(resourceFieldRef, "resource");
      FieldPath resourcePath = path.child("resourceFieldRef").child("resource");
      if (resource.isEmpty()) errors.required(resourcePath, "");
      else if (!RESOURCE_FIELD_PATHS.contains(resource) && !resource.startsWith("requests.hugepages-")
          && !resource.startsWith("limits.hugepages-")) {
        errors.notSupported(resourcePath, resource, RESOURCE_FIELD_PATHS);
      }
    }
    for (String ref : List.of("configMapKeyRef", "secretKeyRef")) {
      JsonNode selector = from.get(ref);
      if (Nodes.absent(selector)) continue;
      sources++;
      FieldPath refPath = path.child(ref);
      String name = text(selector, "name");
      errors.invalidEach(refPath.child("name"), name, Syntax.dns1123Subdomain(name));
      String key = text(selector, "key");
      if (key.isEmpty()) errors.required(refPath.child("key"), "");
      else errors.invalidEach(refPath.child("key"), key, Syntax.configMapKey(key));
    }
    if (sources == 0) {
      errors.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
    } else if (!text(var, "value").isEmpty()) {
      errors.invalid(path, "", "may not be specified when `value` is not empty");
    } else if (sources > 1) {
      errors.invalid(path, "", "may not have more than one field specified at a time");
    }
  }

  private static void objectFieldSelector(JsonNode selector, FieldPath path, FieldErrors errors) {
    if (text(selector, "apiVersion").isEmpty()) {
      errors.required(path.child("apiVersion"), "");
      return;
    }
    String fieldPath = text(selector, "fieldPath");
    if (fieldPath.isEmpty()) {
      errors.required(path.child("fieldPath"), "");
      return;
    }
    int bracket = fieldPath.indexOf('[');
    String base = bracket >= 0 ? fieldPath.substring(0, bracket) : fieldPath;
    if (!DOWNWARD_API_LABELS.contains(base)) {
      errors.invalid(path.child("fieldPath"), fieldPath, "error converting fieldPath: field label not supported: " + fieldPath);
      return;
    }
    Optional<String> subscript = subscript(fieldPath);
    if (subscript.isPresent()) {
      String key = base.equals("metadata.annotations") ? subscript.get().toLowerCase() : subscript.get();
      switch (base) {
        case "metadata.annotations", "metadata.labels" -> errors.invalidEach(path, key, Syntax.qualifiedName(key));
        default -> errors.invalid(path, base, "does not support subscript");
      }
    } else if (!ENV_FIELD_PATHS.contains(fieldPath)) {
      errors.notSupported(path.child("fieldPath"), fieldPath, ENV_FIELD_PATHS);
    }
  }

  /** The key of "metadata.labels['key']". */
  private static Optional<String> subscript(String fieldPath) {
    int open = fieldPath.indexOf("['");
    if (open < 0 || !fieldPath.endsWith("']")) return Optional.empty();
    return Optional.of(fieldPath.substring(open + 2, fieldPath.length() - 2));
  }

  private static void envFrom(ObjectNode c, FieldPath path, FieldErrors errors) {
    List<ObjectNode> sources = objects(c, "envFrom");
    for (int i = 0; i < sources.size(); i++) {
      ObjectNode source = sources.get(i);
      FieldPath idx = path.index(i);
      String prefix = text(source, "prefix");
      if (!prefix.isEmpty()) errors.invalidEach(idx.child("prefix"), prefix, Syntax.envVarName(prefix));
      int count = 0;
      for (String ref : List.of("configMapRef", "secretRef")) {
        JsonNode refNode = source.get(ref);
        if (Nodes.absent(refNode)) continue;
        count++;
        String name = text(refNode, "name");
        if (name.isEmpty()) errors.required(idx.child(ref).child("name"), "");
        else errors.invalidEach(idx.child(ref).child("name"), name, Syntax.NameRule.DNS1123_SUBDOMAIN.check(name, true));
      }
      if (count == 0) errors.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`");
      else if (count > 1) errors.invalid(path, "", "may not have more than one field specified at a time");
    }
  }

  private static void volumeMounts(ObjectNode c, Map<String, String> volumes, FieldPath path, FieldErrors errors) {
    Set<String> mountPoints = new HashSet<>();
    List<ObjectNode> mounts = objects(c, "volumeMounts");
    for (int i = 0; i < mounts.size(); i++) {
      ObjectNode mount = mounts.get(i);
      FieldPath idx = path.index(i);
      String name = text(mount, "name");
      if (name.isEmpty()) errors.required(idx.child("name"), "");
      if (!volumes.containsKey(name)) errors.notFound(idx.child("name"), name);
      String mountPath = text(mount, "mountPath");
      if (mountPath.isEmpty()) errors.required(idx.child("mountPath"), "");
      if (!mountPoints.add(mountPath)) errors.invalid(idx.child("mountPath"), mountPath, "must be unique");
      for (String field : List.of("subPath", "subPathExpr")) {
        String sub = text(mount, field);
        if (sub.isEmpty()) continue;
        if (field.equals("subPathExpr") && !text(mount, "subPath").isEmpty()) {
          errors.invalid(idx.child("subPathExpr"), sub, "subPathExpr and subPath are mutually exclusive");
        }
        // Kubernetes reports these on the list's path, not the mount's.
        localDescendingPath(sub, path.child(field), errors);
      }
    }
  }

  /** ValidateVolumeDevices: raw block devices from claims, each at a path of its own that no mount uses. */
  private static void volumeDevices(ObjectNode c, Map<String, String> volumes, FieldPath path, FieldErrors errors) {
    Map<String, String> mounts = new HashMap<>(); // mount path -> volume name
    for (ObjectNode mount : objects(c, "volumeMounts")) mounts.put(text(mount, "mountPath"), text(mount, "name"));
    Set<String> paths = new HashSet<>();
    Set<String> names = new HashSet<>();
    List<ObjectNode> devices = objects(c, "volumeDevices");
    for (int i = 0; i < devices.size(); i++) {
      FieldPath idx = path.index(i);
      String name = text(devices.get(i), "name");
      String devicePath = text(devices.get(i), "devicePath");
      String source = volumes.get(name);
      if (name.isEmpty()) errors.required(idx.child("name"), "");
      if (names.contains(name)) errors.invalid(idx.child("name"), name, "must be unique");
      if (source != null && !source.equals("persistentVolumeClaim") && !source.equals("ephemeral")) {
        errors.invalid(idx.child("name"), name, "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode");
      }
      if (source == null) errors.notFound(idx.child("name"), name);
      if (devicePath.isEmpty()) errors.required(idx.child("devicePath"), "");
      if (paths.contains(devicePath)) errors.invalid(idx.child("devicePath"), devicePath, "must be unique");
      if (!devicePath.isEmpty() && List.of(devicePath.split("/")).contains("..")) {
        errors.invalid(idx.child("devicePath"), devicePath, "can not contain backsteps ('..')");
      } else {
        paths.add(devicePath);
      }
      if (mounts.containsValue(name)) errors.invalid(idx.child("name"), name, "must not already exist in volumeMounts");
      if (mounts.containsKey(devicePath)) {
        errors.invalid(idx.child("devicePath"), devicePath, "must not already exist as a path in volumeMounts");
      }
      if (!name.isEmpty()) names.add(name);
    }
  }

  private static void localDescendingPath(String target, FieldPath path, FieldErrors errors) {
    if (target.startsWith("/")) errors.invalid(path, target, "must be a relative path");
    for (String part : target.split("/")) {
      if (part.equals("..")) {
        errors.invalid(path, target, "must not contain '..'");
        break;
      }
    }
  }

  private static void lifecycleAndProbes(ObjectNode c, Long gracePeriod, FieldPath path, FieldErrors errors) {
    JsonNode lifecycle = c.get("lifecycle");
    if (!Nodes.absent(lifecycle)) {
      for (String hook : List.of("postStart", "preStop")) {
        JsonNode handler = lifecycle.get(hook);
        if (!Nodes.absent(handler)) handler(handler, gracePeriod, path.child("lifecycle").child(hook), errors);
      }
    }
    for (String kind : PROBES) {
      JsonNode probe = c.get(kind);
      if (Nodes.absent(probe)) continue;
      FieldPath probePath = path.child(kind);
      probe(probe, gracePeriod, probePath, errors);
      if (!kind.equals("readinessProbe") && Nodes.number(probe, "successThreshold") != 1) {
        errors.invalid(probePath.child("successThreshold"), Nodes.number(probe, "successThreshold"), "must be 1");
      }
      if (kind.equals("readinessProbe") && Nodes.has(probe, "terminationGracePeriodSeconds")) {
        errors.invalid(probePath.child("terminationGracePeriodSeconds"), Nodes.number(probe, "terminationGracePeriodSeconds"),
            "must not be set for readinessProbes");
      }
    }
  }

  private static void probe(JsonNode probe, Long gracePeriod, FieldPath path, FieldErrors errors) {
    handler(probe, gracePeriod, path, errors);
    for (String field : List.of("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold")) {
      long value = Nodes.number(probe, field);
      if (value < 0) errors.invalid(path.child(field), value, Syntax.IS_NEGATIVE);
    }
    if (Nodes.has(probe, "terminationGracePeriodSeconds") && Nodes.number(probe, "terminationGracePeriodSeconds") <= 0) {
      errors.invalid(path.child("terminationGracePeriodSeconds"), Nodes.number(probe, "terminationGracePeriodSeconds"),
          "must be greater than 0");
    }
  }

  /** validateHandler: exactly one of exec, httpGet, tcpSocket, grpc, sleep. */
  private static void handler(JsonNode handler, Long gracePeriod, FieldPath path, FieldErrors errors) {
    int count = 0;
    for (String type : List.of("exec", "httpGet", "tcpSocket", "grpc", "sleep")) {
      JsonNode action = handler.get(type);
      if (Nodes.absent(action)) continue;
      FieldPath actionPath = path.child(type);
      if (count++ > 0) {
        errors.forbidden(actionPath, "may not specify more than 1 handler type");
        continue;
      }
      switch (type) {
        case "exec" -> {
          if (Nodes.size(action, "command") == 0) errors.required(actionPath.child("command"), "");
        }
        case "httpGet" -> {
          if (text(action, "path").isEmpty()) errors.required(actionPath.child("path"), "");
          portNumberOrName(action.get("port"), actionPath.child("port"), errors);
          String scheme = text(action, "scheme");
          if (!scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
            errors.notSupported(actionPath.child("scheme"), scheme, List.of("HTTP", "HTTPS"));
          }
          for (ObjectNode header : objects(action, "httpHeaders")) {
            String name = text(header, "name");
            errors.invalidEach(actionPath.child("httpHeaders"), name, Syntax.httpHeaderName(name));
          }
        }
        case "tcpSocket" -> portNumberOrName(action.get("port"), actionPath.child("port"), errors);
        case "grpc" -> {
          long port = Nodes.number(action, "port");
          errors.invalidEach(actionPath.child("port"), port, Syntax.portNumber(port));
        }
        case "sleep" -> {
          long seconds = Nodes.number(action, "seconds");
          if (gracePeriod != null && (seconds <= 0 || seconds > gracePeriod)) {
            errors.invalid(actionPath, seconds, "must be greater than 0 and less than terminationGracePeriodSeconds ("
                + gracePeriod + "). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.");
          }
        }
        default -> { }
      }
    }
    if (count == 0) errors.required(path, "must specify a handler type");
  }

  /** An IntOrString port: a number in range, or an IANA service name. */
  static void portNumberOrName(JsonNode port, FieldPath path, FieldErrors errors) {
    if (port != null && port.isTextual()) {
      errors.invalidEach(path, port.asText(), Syntax.portName(port.asText()));
    } else {
      long number = Nodes.absent(port) ? 0 : port.asLong();
      errors.invalidEach(path, number, Syntax.portNumber(number));
    }
  }

  private static void hostPortConflicts(List<ObjectNode> containers, FieldPath path, FieldErrors errors) {
    Set<String> seen = new HashSet<>();
    for (int ci = 0; ci < containers.size(); ci++) {
      List<ObjectNode> ports = objects(containers.get(ci), "ports");
      for (int pi = 0; pi < ports.size(); pi++) {
        ObjectNode port = ports.get(pi);
        long hostPort = Nodes.number(port, "hostPort");
        if (hostPort == 0) continue;
        String key = text(port, "protocol") + "/" + text(port, "hostIP") + "/" + hostPort;
        if (!seen.add(key)) errors.duplicate(path.index(ci).child("ports").index(pi).child("hostPort"), key);
      }
    }
  }
}
