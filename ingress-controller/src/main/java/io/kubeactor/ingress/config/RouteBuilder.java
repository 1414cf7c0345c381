package io.kubeactor.ingress.config;

import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBackend;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.IngressTLS;
import io.kubeactor.ingress.config.IngressAnnotations.Affinity;
import io.kubeactor.ingress.config.Location.CanaryBackend;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds servers, locations and upstreams from the served Ingresses, as ingress-nginx's
 * getBackendServers (internal/ingress/controller/controller.go): Ingresses are taken oldest first,
 * the first Ingress naming a host creates its server (root location: its defaultBackend or the
 * default backend); on the same host, path and pathType the oldest Ingress wins (upstream drops the
 * newer location and logs it at V(3); its admission webhook would have refused the newer Ingress);
 * canary Ingresses only add an alternative upstream to the main Ingress's location of the same host,
 * path and pathType.
 */
final class RouteBuilder {

  // Kubernetes' DNS-1123 subdomain, optionally a "*." wildcard (validation of Ingress hosts)
  private static final Pattern HOST =
      Pattern.compile("^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");
  // ingress-nginx's strict path validation of Exact and Prefix paths (internal/ingress/inspector/rules.go)
  private static final Pattern STRICT_PATH = Pattern.compile("^/[A-Za-z0-9_\\-/]*$");

  static final String INVALID_PATH = "InvalidPath";
  static final String INVALID_HOST = "InvalidHost";
  static final String BACKEND = "ServiceNotFound";
  static final String TLS = "InvalidCertificate";
  static final String CANARY = "CanaryNotMerged";

  private final BackendResolver backends;
  private final TlsCertificates certificates;
  private final Set<IngressEvent> events;
  private final Map<String, Server> servers = new TreeMap<>();
  private final Map<String, Upstream> upstreams = new TreeMap<>();
  private final Map<String, BackendResolver.Backend> resolved = new HashMap<>();

  RouteBuilder(BackendResolver backends, TlsCertificates certificates, Set<IngressEvent> events) {
    this.backends = backends;
    this.certificates = certificates;
    this.events = events;
  }

  /** @param ingresses the served Ingresses, oldest first, with their parsed annotations */
  Routes build(LinkedHashMap<Ingress, IngressAnnotations> ingresses) {
    Server catchAll = new Server(Server.CATCH_ALL);
    catchAll.put(root(null, IngressAnnotations.DEFAULTS, null));
    servers.put(Server.CATCH_ALL, catchAll);

    Map<Ingress, IngressAnnotations> main = new LinkedHashMap<>();
    Map<Ingress, IngressAnnotations> canaries = new LinkedHashMap<>();
    ingresses.forEach((ingress, annotations) -> (annotations.canary() == null ? main : canaries).put(ingress, annotations));

    main.forEach(this::createServers);
    main.forEach(this::addLocations);
    if (!main.isEmpty()) {
      canaries.forEach(this::mergeCanary);
    }
    servers.values().forEach(this::dropWhatIsNoRegex);

    List<Server> ordered = new ArrayList<>();
    ordered.add(servers.remove(Server.CATCH_ALL));
    ordered.addAll(servers.values());
    return new Routes(ordered, upstreams);
  }

  /** Files of the certificates the servers use, by path relative to the run directory. */
  static Map<String, byte[]> certificateFiles(Routes routes) {
    Map<String, byte[]> files = new TreeMap<>();
    for (Server server : routes.servers()) {
      if (server.certificate != null) {
        files.put(server.certificate.file(), server.certificate.pem());
      }
    }
    return files;
  }

  private void createServers(Ingress ingress, IngressAnnotations annotations) {
    IngressRef ref = IngressRef.of(ingress);
    var spec = ingress.getSpec();
    IngressBackend defaultBackend = spec.getDefaultBackend();
    List<IngressRule> rules = spec.getRules() == null ? List.of() : spec.getRules();
    if (defaultBackend != null && rules.isEmpty()) {
      // "defines a backend but no rule. Using it to configure the catch-all server": the oldest wins
      Server catchAll = servers.get(Server.CATCH_ALL);
      if (catchAll.location("/", false).defaultBackend()) {
        catchAll.put(new Location("/", false, ref, annotations, upstream(ref, annotations, defaultBackend), false, null));
      }
    }
    for (IngressRule rule : rules) {
      String host = host(ref, rule);
      if (host == null || servers.containsKey(host)) {
        continue;
      }
      Server server = new Server(host);
      String rootUpstream = defaultBackend == null ? null : upstream(ref, annotations, defaultBackend);
      server.put(root(ref, annotations, rootUpstream));
      servers.put(host, server);
    }
    for (IngressRule rule : rules) {
      String host = host(ref, rule);
      if (host != null && !host.equals(Server.CATCH_ALL)) {
        configureTls(servers.get(host), ingress, ref);
      }
    }
  }

  private static Location root(IngressRef ref, IngressAnnotations annotations, String upstream) {
    return new Location("/", false, ref, annotations, upstream, true, null);
  }

  /**
   * The host's certificate from the first (oldest) Ingress listing it in spec.tls; else, as
   * upstream's createServers, the first of the Ingress's TLS Secrets whose certificate covers it.
   */
  private void configureTls(Server server, Ingress ingress, IngressRef ref) {
    if (server.tls || ingress.getSpec().getTls() == null) {
      return;
    }
    for (IngressTLS tls : ingress.getSpec().getTls()) {
      boolean listed =
          tls.getHosts() != null && tls.getHosts().stream().anyMatch(h -> h != null && h.equalsIgnoreCase(server.host));
      if (listed) {
        server.tls = true;
        if (tls.getSecretName() != null && !tls.getSecretName().isEmpty()) {
          useCertificate(server, ref, tls.getSecretName(), true);
        }
        return;
      }
    }
    for (IngressTLS tls : ingress.getSpec().getTls()) {
      if (tls.getSecretName() != null && !tls.getSecretName().isEmpty()) {
        var result = certificates.load(ref.namespace(), tls.getSecretName());
        if (result.loaded() != null && TlsCertificates.covers(result.loaded().certificate(), server.host)) {
          server.tls = true;
          useCertificate(server, ref, tls.getSecretName(), false);
          return;
        }
      }
    }
  }

  private void useCertificate(Server server, IngressRef ref, String secretName, boolean checkHost) {
    var result = certificates.load(ref.namespace(), secretName);
    if (result.problem() != null) {
      events.add(IngressEvent.warning(ref, TLS, result.problem()));
      return;
    }
    if (checkHost && !TlsCertificates.covers(result.loaded().certificate(), server.host)) {
      // upstream (createServers) checks the name too and falls back to the default certificate
      events.add(
          IngressEvent.warning(
              ref,
              TLS,
              "SSL certificate \"" + ref.namespace() + "/" + secretName
                  + "\" does not contain a Common Name or Subject Alternative Name for server \"" + server.host
                  + "\". Using default certificate"));
      return;
    }
    server.certificate = result.loaded();
  }

  private void addLocations(Ingress ingress, IngressAnnotations annotations) {
    IngressRef ref = IngressRef.of(ingress);
    for (IngressPath p : paths(ingress, ref)) {
      if (!validPath(ref, annotations, p.path(), p.pathType())) {
        continue;
      }
      Server server = servers.get(p.host());
      String upstream = upstream(ref, annotations, p.backend());
      Location existing = server.location(p.path(), p.exact());
      if (existing == null || existing.defaultBackend()) {
        server.put(new Location(p.path(), p.exact(), ref, annotations, upstream, false, null));
      }
    }
  }

  /** A path of an Ingress rule: its host ("_" when none), path ("/" when empty), pathType and backend. */
  private record IngressPath(String host, String path, String pathType, IngressBackend backend) {
    boolean exact() {
      return "Exact".equals(pathType);
    }
  }

  /** The paths of an Ingress's rules with a valid host. */
  private List<IngressPath> paths(Ingress ingress, IngressRef ref) {
    List<IngressPath> paths = new ArrayList<>();
    List<IngressRule> rules = ingress.getSpec().getRules() == null ? List.of() : ingress.getSpec().getRules();
    for (IngressRule rule : rules) {
      String host = host(ref, rule);
      if (host == null || rule.getHttp() == null || rule.getHttp().getPaths() == null) {
        continue;
      }
      for (HTTPIngressPath httpPath : rule.getHttp().getPaths()) {
        String path = httpPath.getPath() == null || httpPath.getPath().isEmpty() ? "/" : httpPath.getPath();
        paths.add(new IngressPath(host, path, httpPath.getPathType(), httpPath.getBackend()));
      }
    }
    return paths;
  }

  private boolean validPath(IngressRef ref, IngressAnnotations annotations, String path, String pathType) {
    boolean strict = "Exact".equals(pathType) || "Prefix".equals(pathType);
    boolean valid;
    if (strict) {
      valid = STRICT_PATH.matcher(path).matches();
    } else {
      // ImplementationSpecific: anything nginx can take, a regular expression in regex mode
      valid =
          path.startsWith("/")
              && path.chars().noneMatch(c -> c == '"' || c == '\\' && !annotations.regexMode(path) || c < 0x20)
              && (!annotations.regexMode(path) || AnnotationParser.isRegex(path));
    }
    if (!valid) {
      events.add(
          IngressEvent.warning(
              ref,
              INVALID_PATH,
              "ingress contains invalid paths: path " + path + " cannot be used with pathType "
                  + (pathType == null ? "ImplementationSpecific" : pathType)));
    }
    return valid;
  }

  /**
   * In regex mode every location of a host is a regular expression, also the paths of Ingresses
   * that did not ask for it: one that does not compile would fail the whole configuration.
   */
  private void dropWhatIsNoRegex(Server server) {
    if (server.locations().stream().noneMatch(Location::regexMode)) {
      return;
    }
    for (Location location : server.locations()) {
      if (!AnnotationParser.isRegex(location.path())) {
        server.remove(location);
        events.add(
            IngressEvent.warning(
                location.ingress(),
                INVALID_PATH,
                "ingress contains invalid paths: path " + location.path() + " is no regular expression, and the locations of host "
                    + server.host + " are (use-regex or rewrite-target)"));
      }
    }
  }

  private void mergeCanary(Ingress ingress, IngressAnnotations annotations) {
    IngressRef ref = IngressRef.of(ingress);
    var spec = ingress.getSpec();
    if (spec.getDefaultBackend() != null && spec.getDefaultBackend().getService() != null) {
      // a canary's defaultBackend is an alternative for the catch-all server's locations
      String upstream = BackendResolver.upstreamName(ref.namespace(), spec.getDefaultBackend().getService());
      Server catchAll = servers.get(Server.CATCH_ALL);
      for (Location location : catchAll.locations()) {
        if (canMerge(location, upstream)) {
          upstream(ref, annotations, spec.getDefaultBackend());
          inheritAffinity(location.upstream(), upstream);
          catchAll.put(location.withCanary(new CanaryBackend(upstream, ref, annotations.canary())));
        }
      }
    }
    for (IngressPath p : paths(ingress, ref)) {
      if (p.backend() == null || p.backend().getService() == null) {
        continue;
      }
      String upstream = BackendResolver.upstreamName(ref.namespace(), p.backend().getService());
      Server server = servers.get(p.host());
      if (server == null) {
        events.add(
            IngressEvent.warning(
                ref, CANARY, "cannot merge alternative backend " + upstream + " into hostname " + p.host() + " that does not exist"));
        continue;
      }
      Location location = server.location(p.path(), p.exact());
      String primaryElsewhere = primaryLocation(upstream);
      if (primaryElsewhere != null) {
        events.add(
            IngressEvent.warning(
                ref,
                CANARY,
                "alternative upstream " + upstream + " in Ingress " + ref + " is primary upstream in Other Ingress for location "
                    + primaryElsewhere + "!"));
      } else if (location != null && canMerge(location, upstream)) {
        upstream(ref, annotations, p.backend());
        inheritAffinity(location.upstream(), upstream);
        server.put(location.withCanary(new CanaryBackend(upstream, ref, annotations.canary())));
      } else if (location == null || location.canary() == null) {
        events.add(
            IngressEvent.warning(ref, CANARY, "unable to find real backend for alternative backend " + upstream + ". Deleting."));
      }
    }
  }

  /** The canary's upstream takes its primary's cookie affinity (affinity-canary-behavior "sticky", the default). */
  private void inheritAffinity(String primary, String canary) {
    Upstream primaryUpstream = upstreams.get(primary);
    Upstream canaryUpstream = upstreams.get(canary);
    if (primaryUpstream.affinity() != null && canaryUpstream.affinity() == null) {
      upstreams.put(canary, new Upstream(canary, canaryUpstream.servers(), primaryUpstream.affinity()));
    }
  }

  /** canMergeBackend: the location proxies to a real upstream (not the default backend), other than the canary's. */
  private static boolean canMerge(Location location, String canaryUpstream) {
    return location.upstream() != null && !location.upstream().equals(canaryUpstream) && location.canary() == null;
  }

  /** host + path of a location whose primary upstream this is, or null. */
  private String primaryLocation(String upstream) {
    for (Server server : servers.values()) {
      for (Location location : server.locations()) {
        if (upstream.equals(location.upstream())) {
          return server.host + location.path();
        }
      }
    }
    return null;
  }

  /** The upstream of a backend (resolved once per name), or null for a non-Service backend (the default backend). */
  private String upstream(IngressRef ref, IngressAnnotations annotations, IngressBackend backend) {
    if (backend == null || backend.getService() == null) {
      return null;
    }
    BackendResolver.Backend resolvedBackend =
        resolved.computeIfAbsent(
            BackendResolver.upstreamName(ref.namespace(), backend.getService()),
            name -> backends.resolve(ref.namespace(), backend.getService()));
    if (resolvedBackend.problem() != null) {
      events.add(IngressEvent.warning(ref, BACKEND, resolvedBackend.problem()));
    }
    Upstream existing = upstreams.get(resolvedBackend.upstream());
    Affinity affinity = annotations.canary() == null ? annotations.affinity() : null;
    if (existing == null) {
      upstreams.put(resolvedBackend.upstream(), new Upstream(resolvedBackend.upstream(), resolvedBackend.servers(), affinity));
    } else if (existing.affinity() == null && affinity != null) {
      upstreams.put(existing.name(), new Upstream(existing.name(), existing.servers(), affinity));
    }
    return resolvedBackend.upstream();
  }

  /** The rule's host ("_" when empty), or null when it is not a valid host name. */
  private String host(IngressRef ref, IngressRule rule) {
    String host = rule.getHost();
    if (host == null || host.isEmpty()) {
      return Server.CATCH_ALL;
    }
    host = host.toLowerCase(Locale.ROOT);
    if (!HOST.matcher(host).matches()) {
      events.add(IngressEvent.warning(ref, INVALID_HOST, "host " + rule.getHost() + " is not a valid host name"));
      return null;
    }
    return host;
  }
}
