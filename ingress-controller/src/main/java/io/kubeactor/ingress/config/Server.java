package io.kubeactor.ingress.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server block: one host (or "_", the catch-all) with its locations in the order the Ingresses
 * (oldest first) defined them, and its certificate.
 */
final class Server {

  static final String CATCH_ALL = "_";

  final String host;
  private final Map<String, Location> locations = new LinkedHashMap<>();
  /** Listed in an Ingress's TLS section: http redirects to https (ssl-redirect). */
  boolean tls;
  /** The host's certificate; null: the default certificate. */
  TlsCertificates.Loaded certificate;

  Server(String host) {
    this.host = host;
  }

  Location location(String path, boolean exact) {
    return locations.get(key(path, exact));
  }

  void put(Location location) {
    locations.put(key(location.path(), location.exact()), location);
  }

  void remove(Location location) {
    locations.remove(key(location.path(), location.exact()));
  }

  List<Location> locations() {
    return new ArrayList<>(locations.values());
  }

  boolean wildcard() {
    return host.startsWith("*.");
  }

  private static String key(String path, boolean exact) {
    return (exact ? "=" : "^") + path;
  }
}
