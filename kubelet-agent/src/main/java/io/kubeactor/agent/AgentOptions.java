package io.kubeactor.agent;

import io.kubeactor.common.Quantities;
import io.kubeactor.agent.bootstrap.NodeEnrollment;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URISyntaxException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The agent's command line, checked: a flag that makes no sense is refused with one line that says
 * what is wrong, before anything starts.
 */
record AgentOptions(String name, String controlPlaneHost, int controlPlanePort, Path dataDir, Map<String, String> labels,
    long milliCpu, long memoryBytes, int pods, String address, String bindHost, String dockerHost,
    NodeEnrollment.JoinSettings join) {

  static final String USAGE = "options: --name NAME --control-plane HOST:PORT --data-dir DIR --labels k=v,... "
      + "--cpu QUANTITY --memory QUANTITY --pods N --address IP --bind HOST --docker-host URL --api-server URL "
      + "--token TOKEN (or $KUBEACTOR_JOIN_TOKEN) --discovery-token-ca-cert-hash sha256:HEX --ca-cert FILE";

  /** A bootstrap token, as kubeadm's: [a-z0-9]{6}.[a-z0-9]{16}. */
  private static final Pattern TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");
  private static final Pattern CA_HASH = Pattern.compile("sha256:[0-9a-fA-F]{64}");

  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern LABEL_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");

  static final class Invalid extends Exception {
    Invalid(String message) {
      super(message);
    }
  }

  static AgentOptions parse(String[] args) throws Invalid {
    Map<String, String> v = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (!flag.startsWith("--")) throw new Invalid("unexpected argument " + flag + "; " + USAGE);
      String value;
      int eq = flag.indexOf('=');
      if (eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else {
        if (i + 1 >= args.length) throw new Invalid(flag + " needs a value");
        value = args[++i];
      }
      switch (flag) {
        case "--name", "--control-plane", "--data-dir", "--labels", "--cpu", "--memory", "--pods", "--address", "--bind",
            "--docker-host", "--api-server", "--token", "--discovery-token-ca-cert-hash", "--ca-cert" -> v.put(flag, value);
        default -> throw new Invalid("unknown option " + flag + "; " + USAGE);
      }
    }
    String name = v.getOrDefault("--name", hostname());
    if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      throw new Invalid("--name " + name + " is not a valid node name: lower-case letters, digits, '-' and '.', "
          + "starting and ending with a letter or digit");
    }
    String cp = v.getOrDefault("--control-plane", "127.0.0.1:7355");
    int colon = cp.lastIndexOf(':');
    int cpPort;
    try {
      cpPort = Integer.parseInt(cp.substring(colon + 1));
      if (colon <= 0 || cpPort <= 0 || cpPort > 65535) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new Invalid("--control-plane " + cp + " is not HOST:PORT (the control plane's cluster port, 7355 by default)");
    }
    Map<String, String> labels = labels(v.getOrDefault("--labels", ""));
    long milliCpu = v.containsKey("--cpu") ? positive("--cpu", v.get("--cpu"), 1000)
        : Runtime.getRuntime().availableProcessors() * 1000L;
    long memory = v.containsKey("--memory") ? positive("--memory", v.get("--memory"), 1)
        : ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
    int pods;
    try {
      pods = Integer.parseInt(v.getOrDefault("--pods", "110"));
      if (pods <= 0) throw new NumberFormatException();
    } catch (NumberFormatException e) {
      throw new Invalid("--pods " + v.get("--pods") + " is not a positive whole number");
    }
    Path dataDir = Path.of(v.getOrDefault("--data-dir",
        Path.of(System.getProperty("user.home"), ".kubeactor", "agents", name).toString())).toAbsolutePath();
    String dockerHost = v.getOrDefault("--docker-host",
        System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock"));
    return new AgentOptions(name, cp.substring(0, colon), cpPort, dataDir, labels, milliCpu, memory, pods,
        v.get("--address"), v.getOrDefault("--bind", "127.0.0.1"), dockerHost, join(v, cp.substring(0, colon)));
  }

  /** How the node gets its certificate: kubeadm join's --token and --discovery-token-ca-cert-hash, or the CA's file. */
  private static NodeEnrollment.JoinSettings join(Map<String, String> v, String controlPlaneHost) throws Invalid {
    String server = v.getOrDefault("--api-server", "https://" + (controlPlaneHost.contains(":") && !controlPlaneHost.startsWith("[")
        ? "[" + controlPlaneHost + "]" : controlPlaneHost) + ":6443");
    URI apiServer;
    try {
      apiServer = new URI(server);
      if (!"https".equals(apiServer.getScheme()) || apiServer.getHost() == null) throw new URISyntaxException(server, "not https");
    } catch (URISyntaxException e) {
      throw new Invalid("--api-server " + server + " is not an https:// URL (the API server, e.g. https://10.0.0.1:6443)");
    }
    String token = v.getOrDefault("--token", System.getenv("KUBEACTOR_JOIN_TOKEN"));
    if (token != null && !token.isBlank() && !TOKEN.matcher(token.trim()).matches()) {
      throw new Invalid("the join token is not a bootstrap token ([a-z0-9]{6}.[a-z0-9]{16}); ./kubeactor token create prints one");
    }
    String hash = v.get("--discovery-token-ca-cert-hash");
    if (hash != null && !CA_HASH.matcher(hash).matches()) {
      throw new Invalid("--discovery-token-ca-cert-hash " + hash + " is not sha256:<64 hex digits>");
    }
    Path ca = v.containsKey("--ca-cert") ? Path.of(v.get("--ca-cert")).toAbsolutePath() : null;
    if (ca != null && !java.nio.file.Files.isReadable(ca)) throw new Invalid("--ca-cert " + ca + " cannot be read");
    return new NodeEnrollment.JoinSettings(apiServer, token == null || token.isBlank() ? null : token.trim(), ca, hash);
  }

  private static Map<String, String> labels(String text) throws Invalid {
    Map<String, String> labels = new LinkedHashMap<>();
    if (text.isBlank()) return labels;
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) throw new Invalid("--labels " + text + ": \"" + pair + "\" is not key=value");
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1).trim();
      String name = key.contains("/") ? key.substring(key.indexOf('/') + 1) : key;
      String prefix = key.contains("/") ? key.substring(0, key.indexOf('/')) : null;
      if (name.length() > 63 || !LABEL_NAME.matcher(name).matches() || (prefix != null && !DNS_SUBDOMAIN.matcher(prefix).matches())) {
        throw new Invalid("--labels: \"" + key + "\" is not a valid label key");
      }
      if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
        throw new Invalid("--labels: \"" + value + "\" is not a valid label value (63 characters at most: letters, digits, '-', '_', '.')");
      }
      labels.put(key, value);
    }
    return labels;
  }

  /** A quantity (cpu "2", "500m"; memory "4Gi", "512Mi") scaled: cpu to millicores, memory to bytes. */
  private static long positive(String flag, String text, long scale) throws Invalid {
    BigDecimal value = Quantities.value(text).orElseThrow(() -> new Invalid(flag + " " + text
        + " is not a quantity (cpu: 2, 0.5, 500m; memory: 4Gi, 512Mi, 1G)"));
    long scaled = value.multiply(BigDecimal.valueOf(scale)).longValue();
    if (scaled <= 0) throw new Invalid(flag + " " + text + " must be more than zero");
    return scaled;
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName().toLowerCase(java.util.Locale.ROOT);
    } catch (Exception e) {
      return "node";
    }
  }
}
