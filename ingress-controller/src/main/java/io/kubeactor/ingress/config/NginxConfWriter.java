package io.kubeactor.ingress.config;

import io.kubeactor.ingress.config.IngressAnnotations.Affinity;
import io.kubeactor.ingress.config.IngressAnnotations.BackendProtocol;
import io.kubeactor.ingress.config.IngressAnnotations.Canary;
import io.kubeactor.ingress.config.Location.CanaryBackend;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes nginx.conf from the routes, after ingress-nginx's template
 * (rootfs/etc/nginx/template/nginx.tmpl) but in plain nginx without Lua: upstream blocks hold the
 * endpoints (so each change of endpoints is a reload), a location's upstream is chosen in a
 * variable, canaries with map and split_clients in balancer.lua's order, cookie affinity with a
 * consistent hash on the cookie.
 */
final class NginxConfWriter {

  static final String DEFAULT_UPSTREAM = "upstream-default-backend";
  // ConfigMap defaults (internal/ingress/controller/config/config.go)
  private static final String HSTS = "max-age=31536000; includeSubDomains";
  private static final int KEEPALIVE_CONNECTIONS = 320;
  // the headers ingress-nginx sets towards backends (nginx.tmpl, use-forwarded-headers false)
  private static final Map<String, String> BACKEND_HEADERS = new LinkedHashMap<>();

  static {
    BACKEND_HEADERS.put("Host", "$best_http_host");
    BACKEND_HEADERS.put("X-Request-ID", "$req_id");
    BACKEND_HEADERS.put("X-Real-IP", "$remote_addr");
    BACKEND_HEADERS.put("X-Forwarded-For", "$remote_addr");
    BACKEND_HEADERS.put("X-Forwarded-Host", "$best_http_host");
    BACKEND_HEADERS.put("X-Forwarded-Port", "$pass_port");
    BACKEND_HEADERS.put("X-Forwarded-Proto", "$pass_access_scheme");
    BACKEND_HEADERS.put("X-Forwarded-Scheme", "$pass_access_scheme");
    BACKEND_HEADERS.put("X-Scheme", "$pass_access_scheme");
    BACKEND_HEADERS.put("X-Original-URI", "$request_uri");
  }

  private static final Set<String> NO_TLS_REDIRECT_LOCATIONS = Set.of("/.well-known/acme-challenge");

  private final ControllerSettings settings;
  private final StringBuilder maps = new StringBuilder();
  private final Map<String, Integer> affinityKeys = new TreeMap<>();
  private int canaries;
  private int cookies;

  private NginxConfWriter(ControllerSettings settings) {
    this.settings = settings;
  }

  static String write(Routes routes, ControllerSettings settings) {
    return new NginxConfWriter(settings).write(routes);
  }

  /** Paths under the run directory, as nginx.conf names them. */
  static Path runPath(ControllerSettings settings, String relative) {
    return settings.runDirectory().toAbsolutePath().resolve(relative);
  }

  private String write(Routes routes) {
    for (Upstream upstream : routes.upstreams().values()) {
      if (upstream.affinity() != null) {
        affinityKeys.putIfAbsent(upstream.affinity().cookieName(), 0);
      }
    }
    int index = 0;
    for (Map.Entry<String, Integer> key : affinityKeys.entrySet()) {
      key.setValue(index++);
    }

    StringBuilder servers = new StringBuilder(64 * 1024);
    int longestHost = 1;
    for (Server server : routes.servers()) {
      writeServer(servers, server, routes.upstreams());
      longestHost = Math.max(longestHost, server.host.length());
    }

    StringBuilder out = new StringBuilder(servers.length() + maps.length() + 16 * 1024);
    out.append("# Rendered by kubeactor's ingress controller from the cluster's Ingresses; do not edit.\n");
    if (settings.user() != null) {
      out.append("user ").append(settings.user()).append(";\n");
    }
    out.append("pid ").append(q(runPath(settings, "nginx.pid").toString())).append(";\n");
    out.append("worker_processes auto;\n");
    // ingress-nginx's worker-shutdown-timeout: a reload lets old workers finish their requests
    out.append("worker_shutdown_timeout 240s;\n");
    out.append("error_log stderr notice;\n\n");
    out.append("events {\n    multi_accept on;\n    worker_connections 16384;\n}\n\n");
    out.append("http {\n");
    for (String temp : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
      out.append("    ").append(temp).append("_temp_path ").append(q(runPath(settings, temp + "-temp").toString())).append(";\n");
    }
    out.append(
        """
            default_type text/html;
            sendfile on;
            tcp_nopush on;
            tcp_nodelay on;
            keepalive_timeout 75s;
            keepalive_requests 1000;
            server_tokens off;
            reset_timedout_connection on;
        """);
    out.append("    server_names_hash_bucket_size ").append(powerOfTwoAtLeast(Math.max(64, longestHost + 16))).append(";\n");
    out.append("    server_names_hash_max_size ").append(powerOfTwoAtLeast(Math.max(1024, routes.servers().size() * 4))).append(";\n");
    out.append("    variables_hash_bucket_size 256;\n");
    out.append("    variables_hash_max_size ").append(powerOfTwoAtLeast(Math.max(2048, (canaries * 6 + cookies) * 4))).append(";\n");
    out.append("    map_hash_bucket_size 256;\n");
    out.append("    proxy_headers_hash_bucket_size 128;\n    proxy_headers_hash_max_size 1024;\n\n");
    out.append(
        """
            log_format upstreaminfo '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer" "$http_user_agent" $request_length $request_time [$proxy_upstream_name] $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id';
            access_log /dev/stdout upstreaminfo;

            ssl_protocols TLSv1.2 TLSv1.3;
            ssl_session_cache shared:SSL:10m;
            ssl_session_timeout 10m;
        """);
    out.append("    # the default certificate: unknown names, hosts without a (usable) certificate\n");
    out.append("    ssl_certificate ").append(q(settings.defaultCertificate().toAbsolutePath().toString())).append(";\n");
    out.append("    ssl_certificate_key ").append(q(settings.defaultKey().toAbsolutePath().toString())).append(";\n\n");
    out.append(
        """
            # the headers ingress-nginx sets towards backends (use-forwarded-headers false)
            map $http_upgrade $connection_upgrade {
                default upgrade;
                '' '';
            }
            map $http_x_request_id $req_id {
                default $http_x_request_id;
                '' $request_id;
            }
            map $http_host $best_http_host {
                default $http_host;
                '' $host;
            }
            map '' $pass_access_scheme {
                default $scheme;
            }
        """);
    out.append("    map $server_port $pass_port {\n");
    if (settings.httpsPort() != 443) {
      out.append("        ").append(settings.httpsPort()).append(" 443;\n");
    }
    out.append("        default $server_port;\n    }\n");
    out.append(
        """
            # HSTS on https responses (hsts, hsts-max-age, hsts-include-subdomains)
            map $scheme $hsts_header {
                https "%s";
                default "";
            }
            add_header Strict-Transport-Security $hsts_header always;
            # ssl-redirect drops a trailing slash (lua_ingress.lua, preserve-trailing-slash false)
            map $request_uri $redirect_uri {
                "~^(?<redirect_path>.*)/$" $redirect_path;
                default $request_uri;
            }
            map $scheme $affinity_secure {
                https "; Secure";
                default "";
            }

            proxy_http_version 1.1;
            # the defaults of proxy-body-size and the proxy-*-timeout annotations (ConfigMap defaults)
            client_max_body_size %s;
            proxy_connect_timeout %ds;
            proxy_send_timeout %ds;
            proxy_read_timeout %ds;
            grpc_connect_timeout %ds;
            grpc_send_timeout %ds;
            grpc_read_timeout %ds;
            proxy_buffering off;
            proxy_request_buffering on;
            proxy_redirect off;
            proxy_next_upstream error timeout;
            proxy_next_upstream_tries 3;
            proxy_ssl_server_name on;

        """
            .formatted(
                HSTS,
                IngressAnnotations.DEFAULTS.proxyBodySize(),
                IngressAnnotations.DEFAULTS.proxyConnectTimeout(),
                IngressAnnotations.DEFAULTS.proxySendTimeout(),
                IngressAnnotations.DEFAULTS.proxyReadTimeout(),
                IngressAnnotations.DEFAULTS.proxyConnectTimeout(),
                IngressAnnotations.DEFAULTS.proxySendTimeout(),
                IngressAnnotations.DEFAULTS.proxyReadTimeout()));
    BACKEND_HEADERS.forEach((header, value) -> out.append("    proxy_set_header ").append(header).append(' ').append(value).append(";\n"));
    out.append("    proxy_set_header Upgrade $http_upgrade;\n    proxy_set_header Connection $connection_upgrade;\n");
    out.append("    proxy_set_header Proxy \"\";\n");
    BACKEND_HEADERS.forEach((header, value) -> out.append("    grpc_set_header ").append(header).append(' ').append(value).append(";\n"));
    out.append('\n');
    for (Map.Entry<String, Integer> key : affinityKeys.entrySet()) {
      // the cookie (its first 32 hex digits: $request_id of the request that set it) picks the endpoint
      out.append("    map $http_cookie $affinity_key_").append(key.getValue()).append(" {\n");
      out.append("        ")
          .append(q("~(^|;\\s*)" + escapeRegex(key.getKey()) + "=(?<affinity_" + key.getValue() + ">[0-9a-f]{32})"))
          .append(" $affinity_").append(key.getValue()).append(";\n");
      out.append("        default $request_id;\n    }\n");
    }
    out.append(maps);
    for (Upstream upstream : routes.upstreams().values()) {
      if (!upstream.available()) {
        continue;
      }
      out.append("    upstream ").append(upstream.name()).append(" {\n");
      if (upstream.affinity() != null) {
        out.append("        hash $affinity_key_").append(affinityKeys.get(upstream.affinity().cookieName())).append(" consistent;\n");
      }
      for (String server : upstream.servers()) {
        out.append("        server ").append(server).append(" max_fails=0;\n");
      }
      out.append("        keepalive ").append(KEEPALIVE_CONNECTIONS).append(";\n");
      out.append("        keepalive_timeout 60s;\n        keepalive_requests 10000;\n    }\n");
    }
    out.append('\n').append(servers);
    writeHealthServer(out);
    out.append("}\n");
    return out.toString();
  }

  private void writeServer(StringBuilder out, Server server, Map<String, Upstream> upstreams) {
    boolean catchAll = server.host.equals(Server.CATCH_ALL);
    out.append("    ## start server ").append(server.host).append('\n');
    out.append("    server {\n");
    out.append("        server_name ").append(serverName(server)).append(";\n");
    String defaultServer = catchAll ? " default_server reuseport" : "";
    out.append("        listen ").append(listen(settings.httpPort())).append(defaultServer).append(";\n");
    // http2 in the listen directive: Debian bookworm's nginx 1.22 has no "http2 on"
    out.append("        listen ").append(listen(settings.httpsPort())).append(defaultServer).append(" ssl http2;\n");
    out.append("        set $proxy_upstream_name \"-\";\n");
    if (server.certificate != null) {
      String file = runPath(settings, server.certificate.file()).toString();
      out.append("        # sha256 ").append(server.certificate.sha256()).append('\n');
      out.append("        ssl_certificate ").append(q(file)).append(";\n");
      out.append("        ssl_certificate_key ").append(q(file)).append(";\n");
    }
    boolean regex = server.locations().stream().anyMatch(Location::regexMode);
    for (NginxLocation location : nginxLocations(server, regex)) {
      writeLocation(out, server, location, regex, upstreams);
    }
    out.append("    }\n    ## end server ").append(server.host).append("\n\n");
  }

  /** A location as nginx gets it: its matching (exact or prefix; all regular expressions in regex mode) and path. */
  private record NginxLocation(boolean exact, String path, Location source) {}

  /**
   * ctrl/location.go updateServerLocations: outside regex mode a Prefix path /foo becomes the prefix
   * /foo/ and the exact /foo (Kubernetes' Prefix: /foo, /foo/ and /foo/bar, not /foobar). Longest
   * first: in regex mode nginx takes the first matching regular expression.
   */
  private static List<NginxLocation> nginxLocations(Server server, boolean regex) {
    Set<String> exactPaths = new HashSet<>();
    for (Location location : server.locations()) {
      if (location.exact()) {
        exactPaths.add(location.path());
      }
    }
    Map<String, NginxLocation> result = new LinkedHashMap<>();
    for (Location location : server.locations()) {
      List<NginxLocation> forms = new ArrayList<>(2);
      if (!location.exact() && !location.path().equals("/") && !location.regexMode()) {
        String prefix = location.path().endsWith("/") ? location.path() : location.path() + "/";
        forms.add(new NginxLocation(false, prefix, location));
        if (!exactPaths.contains(location.path())) {
          forms.add(new NginxLocation(true, location.path(), location));
        }
      } else {
        forms.add(new NginxLocation(location.exact(), location.path(), location));
      }
      for (NginxLocation form : forms) {
        // the first (oldest Ingress's) of two that nginx would see as the same location
        result.putIfAbsent((regex ? "~" : form.exact() ? "=" : "^") + form.path(), form);
      }
    }
    List<NginxLocation> sorted = new ArrayList<>(result.values());
    sorted.sort(
        Comparator.comparingInt((NginxLocation l) -> -l.path().length())
            .thenComparing(NginxLocation::path, Comparator.reverseOrder()));
    return sorted;
  }

  private void writeLocation(
      StringBuilder out, Server server, NginxLocation nginxLocation, boolean regex, Map<String, Upstream> upstreams) {
    Location location = nginxLocation.source();
    IngressAnnotations a = location.annotations();
    out.append("        location ");
    if (regex) {
      out.append("~* ").append(q("^" + nginxLocation.path()));
    } else if (nginxLocation.exact()) {
      out.append("= ").append(q(nginxLocation.path()));
    } else {
      out.append(q(nginxLocation.path()));
    }
    out.append(" {\n");
    String i = "            ";
    if (location.ingress() != null && !location.defaultBackend()) {
      out.append(i).append(comment("# Ingress " + location.ingress() + ", path " + location.path()))
          .append(location.exact() ? " (Exact)\n" : " (Prefix)\n");
    } else if (location.ingress() != null && location.upstream() != null) {
      out.append(i).append(comment("# defaultBackend of Ingress " + location.ingress())).append('\n');
    }
    Upstream upstream = location.upstream() == null ? null : upstreams.get(location.upstream());
    out.append(i).append("set $proxy_upstream_name ").append(q(upstream == null ? DEFAULT_UPSTREAM : upstream.name())).append(";\n");
    // no-tls-redirect-locations: ACME's HTTP challenges stay on http
    boolean redirectable = !NO_TLS_REDIRECT_LOCATIONS.contains(location.path());
    if (redirectable && (a.forceSslRedirect() || (a.sslRedirect() && server.tls))) {
      out.append(i).append("if ($scheme = http) {\n");
      out.append(i).append("    return 308 https://$host$redirect_uri;\n");
      out.append(i).append("}\n");
    }
    if (a.allowlistInvalid()) {
      out.append(i).append("# Location denied. Reason: ")
          .append(q("annotation nginx.ingress.kubernetes.io/allowlist-source-range contains invalid value")).append('\n');
      out.append(i).append("return 503;\n        }\n");
      return;
    }
    if (a.allowSourceRange() != null) {
      for (String cidr : a.allowSourceRange()) {
        out.append(i).append("allow ").append(cidr).append(";\n");
      }
      out.append(i).append("deny all;\n");
    }
    if (upstream == null) {
      // the default backend: ingress-nginx's built-in one answers 404 for whatever it gets
      out.append(i).append("return 404;\n        }\n");
      return;
    }
    if (!upstream.available()) {
      // no ready endpoint: balancer.lua finds no balancer and answers 503
      out.append(i).append("return 503;\n        }\n");
      return;
    }
    // the defaults are set once in http{}: a location says only what its annotations change
    IngressAnnotations d = IngressAnnotations.DEFAULTS;
    if (!a.proxyBodySize().equals(d.proxyBodySize())) {
      out.append(i).append("client_max_body_size ").append(a.proxyBodySize()).append(";\n");
    }
    for (String module : List.of("proxy", "grpc")) {
      if (a.proxyConnectTimeout() != d.proxyConnectTimeout()) {
        out.append(i).append(module).append("_connect_timeout ").append(a.proxyConnectTimeout()).append("s;\n");
      }
      if (a.proxySendTimeout() != d.proxySendTimeout()) {
        out.append(i).append(module).append("_send_timeout ").append(a.proxySendTimeout()).append("s;\n");
      }
      if (a.proxyReadTimeout() != d.proxyReadTimeout()) {
        out.append(i).append(module).append("_read_timeout ").append(a.proxyReadTimeout()).append("s;\n");
      }
    }

    String target = "$proxy_upstream_name";
    CanaryBackend canary = location.canary();
    Upstream canaryUpstream = canary == null ? null : upstreams.get(canary.upstream());
    String canaryVariable = null;
    if (canaryUpstream != null && canaryUpstream.available()) {
      canaryVariable = canaryMaps(upstream, canaryUpstream, canary.policy());
      target = "$" + canaryVariable;
    }
    if (upstream.affinity() != null) {
      String cookie = affinityCookie(upstream.affinity(), location, canaryVariable, canaryUpstream);
      out.append(i).append("add_header Set-Cookie $").append(cookie).append(";\n");
      out.append(i).append("add_header Strict-Transport-Security $hsts_header always;\n");
    }
    if (a.rewriteTarget() != null && !a.rewriteTarget().equals(location.path())) {
      out.append(i).append("rewrite ").append(q("(?i)" + location.path())).append(' ').append(a.rewriteTarget()).append(" break;\n");
    }
    String pass =
        switch (a.backendProtocol()) {
          case HTTP -> "proxy_pass http://";
          case HTTPS -> "proxy_pass https://";
          case AUTO_HTTP -> "proxy_pass $scheme://";
          case GRPC -> "grpc_pass grpc://";
          case GRPCS -> "grpc_pass grpcs://";
        };
    out.append(i).append(pass).append(target).append(";\n        }\n");
  }

  /**
   * The canary decision of balancer.lua's route_to_alternative_balancer, in its order, as maps:
   * the affinity cookie, then the header (value, pattern, or "always"/"never"), then the cookie
   * ("always"/"never"), then the weight. Each step yields an upstream or "" (no decision); the first
   * decision wins. Returns the variable holding the chosen upstream.
   */
  private String canaryMaps(Upstream primary, Upstream canary, Canary policy) {
    int n = canaries++;
    String p = q(primary.name());
    String c = q(canary.name());
    String var = "canary_" + n;
    List<String> steps = new ArrayList<>();
    maps.append("    # canary ").append(canary.name()).append(" of ").append(primary.name()).append('\n');
    if (primary.affinity() != null) {
      String cookie = escapeRegex(primary.affinity().cookieName());
      maps.append("    map $http_cookie $").append(var).append("_affinity {\n");
      maps.append("        ").append(q("~(^|;\\s*)" + cookie + "=[0-9a-f]{32}-canary(;|$)")).append(' ').append(c).append(";\n");
      maps.append("        ").append(q("~(^|;\\s*)" + cookie + "=[0-9a-f]{32}(;|$)")).append(' ').append(p).append(";\n");
      maps.append("        default \"\";\n    }\n");
      steps.add("$" + var + "_affinity");
    }
    if (!policy.header().isEmpty()) {
      String header = "$http_" + policy.header().toLowerCase(Locale.ROOT).replace('-', '_');
      maps.append("    map ").append(header).append(" $").append(var).append("_header {\n");
      if (!policy.headerValue().isEmpty()) {
        maps.append("        ").append(q("~^" + escapeRegex(policy.headerValue()) + "$")).append(' ').append(c).append(";\n");
      } else if (!policy.headerPattern().isEmpty()) {
        // only a header that is present is matched
        maps.append("        \"\" \"\";\n");
        maps.append("        ").append(q("~" + policy.headerPattern())).append(' ').append(c).append(";\n");
      } else {
        maps.append("        \"~^always$\" ").append(c).append(";\n");
        maps.append("        \"~^never$\" ").append(p).append(";\n");
      }
      maps.append("        default \"\";\n    }\n");
      steps.add("$" + var + "_header");
    }
    if (!policy.cookie().isEmpty()) {
      String cookie = escapeRegex(policy.cookie());
      maps.append("    map $http_cookie $").append(var).append("_cookie {\n");
      maps.append("        ").append(q("~(^|;\\s*)" + cookie + "=always(;|$)")).append(' ').append(c).append(";\n");
      maps.append("        ").append(q("~(^|;\\s*)" + cookie + "=never(;|$)")).append(' ').append(p).append(";\n");
      maps.append("        default \"\";\n    }\n");
      steps.add("$" + var + "_cookie");
    }
    // math.random(weightTotal) <= weight, weightTotal only when above 100
    int total = policy.weightTotal() > 100 ? policy.weightTotal() : 100;
    if (policy.weight() <= 0) {
      steps.add(primary.name());
    } else if (policy.weight() >= total) {
      steps.add(canary.name());
    } else {
      BigDecimal percent =
          BigDecimal.valueOf(policy.weight() * 100L).divide(BigDecimal.valueOf(total), 2, RoundingMode.HALF_UP)
              .max(new BigDecimal("0.01"));
      maps.append("    split_clients \"$request_id\" $").append(var).append("_weight {\n");
      maps.append("        ").append(percent.toPlainString()).append("% ").append(c).append(";\n");
      maps.append("        * ").append(p).append(";\n    }\n");
      steps.add("$" + var + "_weight");
    }
    maps.append("    map ").append(q(String.join("|", steps))).append(" $").append(var).append(" {\n");
    maps.append("        ").append(q("~^\\|*(?<" + var + "_choice>[^|]+)")).append(" $").append(var).append("_choice;\n");
    maps.append("        default ").append(p).append(";\n    }\n");
    return var;
  }

  /**
   * The Set-Cookie of cookie affinity when the request has no affinity cookie yet (sticky.lua): the
   * value is the request's id, which the upstream's consistent hash maps to an endpoint; "-canary"
   * marks a request the canary served, so that it stays there. Returns the variable.
   */
  private String affinityCookie(Affinity affinity, Location location, String canaryVariable, Upstream canary) {
    String var = "affinity_cookie_" + cookies++;
    String path = affinity.cookiePath() != null ? affinity.cookiePath() : location.path();
    if (location.regexMode() || !path.matches("[A-Za-z0-9_./~:-]*")) {
      // a regular expression is no cookie path (upstream asks for session-cookie-path then)
      path = "/";
    }
    StringBuilder value = new StringBuilder(affinity.cookieName()).append("=$request_id");
    if (canaryVariable != null) {
      maps.append("    map $").append(canaryVariable).append(" $").append(canaryVariable).append("_side {\n");
      maps.append("        ").append(q(canary.name())).append(" \"-canary\";\n        default \"\";\n    }\n");
      value.append('$').append(canaryVariable).append("_side");
    }
    value.append("; Path=").append(path);
    Long maxAge = affinity.maxAge() != null ? affinity.maxAge() : affinity.expires();
    if (maxAge != null) {
      value.append("; Max-Age=").append(maxAge);
    }
    value.append("; HttpOnly$affinity_secure");
    maps.append("    map $http_cookie $").append(var).append(" {\n");
    maps.append("        ").append(q("~(^|;\\s*)" + escapeRegex(affinity.cookieName()) + "=")).append(" \"\";\n");
    maps.append("        default ").append(q(value.toString())).append(";\n    }\n");
    return var;
  }

  private void writeHealthServer(StringBuilder out) {
    out.append("    ## start server health\n    server {\n");
    out.append("        listen ").append(listen(settings.healthPort())).append(";\n");
    out.append("        set $proxy_upstream_name \"-\";\n");
    out.append("        access_log off;\n");
    out.append("        location = /healthz {\n            default_type text/plain;\n            return 200 \"ok\";\n        }\n");
    out.append("        location = /nginx_status {\n            allow 127.0.0.1;\n            allow ::1;\n            deny all;\n            stub_status;\n        }\n");
    out.append("        location / {\n            return 404;\n        }\n");
    out.append("    }\n    ## end server health\n");
  }

  private String listen(int port) {
    return settings.listenAddress() == null ? String.valueOf(port) : settings.listenAddress() + ":" + port;
  }

  /** buildServerName: a wildcard *.foo.com is exactly one label in place of the star. */
  private static String serverName(Server server) {
    if (server.wildcard()) {
      return q("~^(?<subdomain>[\\w-]+)" + escapeRegex(server.host.substring(1)) + "$");
    }
    return server.host;
  }

  /** A PCRE literal: every character that is not a letter or digit escaped. */
  static String escapeRegex(String text) {
    StringBuilder escaped = new StringBuilder(text.length() + 8);
    for (char ch : text.toCharArray()) {
      if (!Character.isLetterOrDigit(ch) && ch != '_' && ch != '-') {
        escaped.append('\\');
      }
      escaped.append(ch);
    }
    return escaped.toString();
  }

  /** A comment stays on its line. */
  private static String comment(String text) {
    return text.replaceAll("\\p{Cntrl}", "?");
  }

  /** An nginx string in double quotes (nginx's parser takes \\ and \" inside them). */
  static String q(String text) {
    return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
  }

  private static int powerOfTwoAtLeast(int n) {
    int p = 1;
    while (p < n) {
      p <<= 1;
    }
    return p;
  }
}
