package io.kubeactor.agent.pod;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * A pod's resolver configuration, as kubelet forms it (pkg/kubelet/network/dns): by dnsPolicy,
 * ClusterFirst (the default) gives the cluster DNS as the only nameserver, the search path
 * {@code <ns>.svc.<domain> svc.<domain> <domain>} followed by the host's, and {@code ndots:5};
 * ClusterFirstWithHostNet the same for a host-network pod; ClusterFirst on the host network and
 * Default the host's own resolv.conf; None nothing but spec.dnsConfig. spec.dnsConfig is merged into
 * the others (nameservers and searches appended without duplicates, options replacing those of the
 * same name), then kubelet's limits apply: 3 nameservers, 32 search domains of at most 253
 * characters and 2048 characters in all, each cut recorded as a DNSConfigForming warning.
 */
public final class PodDns {
  private PodDns() {}

  static final int MAX_NAMESERVERS = 3;
  static final int MAX_SEARCH_PATHS = 32;
  static final int MAX_SEARCH_CHARS = 2048;
  static final int MAX_SEARCH_PATH_LENGTH = 253;
  private static final List<String> DEFAULT_OPTIONS = List.of("ndots:5");

  /** kubelet's --cluster-dns (the kube-dns Service's ClusterIPs) and --cluster-domain. */
  public record Settings(List<String> clusterDns, String clusterDomain) {}

  /** A warning event for the pod (reason, message), as kubelet records them. */
  public record Event(String reason, String message) {}

  /** The host's resolver configuration (kubelet's --resolv-conf, parsed as kubelet parses it). */
  public record HostConfig(List<String> nameservers, List<String> searches, List<String> options) {

    public static HostConfig read(Path resolvConf) throws IOException {
      return parse(Files.readString(resolvConf, StandardCharsets.UTF_8));
    }

    /** "nameserver" lines accumulate; the last "search" and "options" lines win; trailing dots of search domains go. */
    public static HostConfig parse(String text) {
      List<String> nameservers = new ArrayList<>();
      List<String> searches = new ArrayList<>();
      List<String> options = new ArrayList<>();
      for (String line : text.split("\n")) {
        String trimmed = line.trim();
        if (trimmed.startsWith("#")) continue;
        String[] f = trimmed.split("\\s+");
        if (f.length == 0 || f[0].isEmpty()) continue;
        switch (f[0]) {
          case "nameserver" -> {
            if (f.length >= 2) nameservers.add(f[1]);
          }
          case "search" -> {
            searches = new ArrayList<>();
            for (int i = 1; i < f.length; i++) searches.add(f[i].endsWith(".") ? f[i].substring(0, f[i].length() - 1) : f[i]);
          }
          case "options" -> options = new ArrayList<>(List.of(f).subList(1, f.length));
          default -> {
            // other lines (domain, sortlist) are not carried into pods, as kubelet's parser ignores them
          }
        }
      }
      return new HostConfig(List.copyOf(nameservers), List.copyOf(searches), List.copyOf(options));
    }
  }

  /** A pod's resolv.conf and the warnings recorded while forming it. */
  public record Config(List<String> nameservers, List<String> searches, List<String> options, List<Event> events) {

    /** The file as kubelet's runtimes write it. */
    public String render() {
      StringBuilder sb = new StringBuilder();
      for (String ns : nameservers) sb.append("nameserver ").append(ns).append('\n');
      if (!searches.isEmpty()) sb.append("search ").append(String.join(" ", searches)).append('\n');
      if (!options.isEmpty()) sb.append("options ").append(String.join(" ", options)).append('\n');
      return sb.toString();
    }
  }

  private enum Type { CLUSTER, HOST, NONE }

  /** kubelet's GetPodDNS. */
  public static Config forPod(Pod pod, Settings settings, HostConfig host) {
    List<Event> events = new ArrayList<>();
    List<String> nameservers = new ArrayList<>(host.nameservers());
    List<String> searches = new ArrayList<>(host.searches());
    List<String> options = new ArrayList<>(host.options());
    switch (type(pod)) {
      case NONE -> {
        nameservers.clear();
        searches.clear();
        options.clear();
      }
      case CLUSTER -> {
        if (!settings.clusterDns().isEmpty()) {
          nameservers = new ArrayList<>(settings.clusterDns());
          searches = clusterSearches(pod, settings.clusterDomain(), host.searches());
          options = new ArrayList<>(DEFAULT_OPTIONS);
        } else {
          // no cluster DNS known: the pod gets the host's configuration, with a warning
          events.add(new Event("MissingClusterDNS", "pod: \"" + pod.getMetadata().getName() + "_"
              + pod.getMetadata().getNamespace() + "(" + pod.getMetadata().getUid() + ")\". kubelet does not have "
              + "ClusterDNS IP configured and cannot create Pod using \"ClusterFirst\" policy. Falling back to "
              + "\"Default\" policy."));
        }
      }
      case HOST -> {
        // the host's nameservers, search path and options
      }
    }
    PodDNSConfig extra = pod.getSpec().getDnsConfig();
    if (extra != null) {
      nameservers = distinct(nameservers, extra.getNameservers());
      searches = distinct(searches, extra.getSearches());
      options = mergeOptions(options, extra.getOptions());
    }
    return new Config(fitNameservers(nameservers, events), fitSearches(searches, events), List.copyOf(options),
        List.copyOf(events));
  }

  /** kubelet's getPodDNSType: ClusterFirst on the host network falls back to Default; an unknown policy is ClusterFirst. */
  private static Type type(Pod pod) {
    String policy = pod.getSpec().getDnsPolicy() == null ? "ClusterFirst" : pod.getSpec().getDnsPolicy();
    boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
    return switch (policy) {
      case "None" -> Type.NONE;
      case "ClusterFirstWithHostNet" -> Type.CLUSTER;
      case "Default" -> Type.HOST;
      case "ClusterFirst" -> hostNetwork ? Type.HOST : Type.CLUSTER;
      default -> Type.CLUSTER;
    };
  }

  private static List<String> clusterSearches(Pod pod, String domain, List<String> hostSearches) {
    if (domain == null || domain.isEmpty()) return new ArrayList<>(hostSearches);
    List<String> cluster = new ArrayList<>(List.of(pod.getMetadata().getNamespace() + ".svc." + domain, "svc." + domain, domain));
    return distinct(cluster, hostSearches);
  }

  private static List<String> distinct(List<String> first, List<String> then) {
    LinkedHashSet<String> out = new LinkedHashSet<>(first);
    if (then != null) out.addAll(then);
    return new ArrayList<>(out);
  }

  /** Options by name; the pod's replace the base's of the same name ("ndots:5" and {name: ndots, value: "2"}). */
  private static List<String> mergeOptions(List<String> base, List<PodDNSConfigOption> pod) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (String op : base) {
      int colon = op.indexOf(':');
      if (colon >= 0) byName.put(op.substring(0, colon), op.substring(colon + 1));
      else byName.put(op, "");
    }
    if (pod != null) {
      for (PodDNSConfigOption op : pod) {
        if (op.getName() == null) continue;
        byName.put(op.getName(), op.getValue() == null ? "" : op.getValue());
      }
    }
    List<String> out = new ArrayList<>();
    byName.forEach((name, value) -> out.add(value.isEmpty() ? name : name + ":" + value));
    return out;
  }

  private static List<String> fitNameservers(List<String> nameservers, List<Event> events) {
    if (nameservers.size() <= MAX_NAMESERVERS) return List.copyOf(nameservers);
    List<String> kept = List.copyOf(nameservers.subList(0, MAX_NAMESERVERS));
    events.add(new Event("DNSConfigForming", "Nameserver limits were exceeded, some nameservers have been omitted, "
        + "the applied nameserver line is: " + String.join(" ", kept)));
    return kept;
  }

  /** kubelet's formDNSSearchFitsLimits: at most 32 domains, none over 253 characters, 2048 characters in all. */
  private static List<String> fitSearches(List<String> searches, List<Event> events) {
    boolean exceeded = false;
    List<String> out = new ArrayList<>(searches);
    if (out.size() > MAX_SEARCH_PATHS) {
      out = new ArrayList<>(out.subList(0, MAX_SEARCH_PATHS));
      exceeded = true;
    }
    if (out.removeIf(s -> s.length() > MAX_SEARCH_PATH_LENGTH)) exceeded = true;
    int length = String.join(" ", out).length();
    if (length > MAX_SEARCH_CHARS) {
      int cut = 0;
      int cutLength = 0;
      for (int i = out.size() - 1; i >= 0; i--) {
        cutLength += out.get(i).length() + 1;
        cut++;
        if (length - cutLength <= MAX_SEARCH_CHARS) break;
      }
      out = new ArrayList<>(out.subList(0, out.size() - cut));
      exceeded = true;
    }
    if (exceeded) {
      events.add(new Event("DNSConfigForming", "Search Line limits were exceeded, some search paths have been omitted, "
          + "the applied search line is: " + String.join(" ", out)));
    }
    return List.copyOf(out);
  }
}
