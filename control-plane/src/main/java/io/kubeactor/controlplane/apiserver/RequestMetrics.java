package io.kubeactor.controlplane.apiserver;

import io.kubeactor.common.metrics.PrometheusText;
import io.kubeactor.controlplane.api.ResourceType;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import java.util.IdentityHashMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.pekko.http.javadsl.model.HttpResponse;

/**
 * kube-apiserver's request metrics, named and labelled as its endpoints/metrics package has them:
 * {@code apiserver_request_total} (verb, dry_run, group, version, resource, subresource, scope,
 * component, code), {@code apiserver_request_duration_seconds} (the same less code, upstream's
 * buckets) and {@code apiserver_current_inflight_requests} (request_kind). The request path pays for
 * a lookup of one {@link Series} and two atomic updates: each resource type keeps its series in an
 * array by verb, scope and subresource, and each series its counters by status code.
 */
final class RequestMetrics {

  /** The verbs as upstream reports them (its cleanVerb): upper case, LIST/WATCH apart, APPLY for server-side apply. */
  enum Verb { GET, LIST, WATCH, POST, PUT, PATCH, APPLY, DELETE, DELETECOLLECTION, CONNECT }

  /** CleanScope: "resource" for a named object (and a create), "namespace" and "cluster" for collections. */
  enum Scope {
    RESOURCE("resource"), NAMESPACE("namespace"), CLUSTER("cluster");

    final String label;

    Scope(String label) {
      this.label = label;
    }
  }

  private static final String COMPONENT = "apiserver";

  static final Counter REQUESTS = Counter.builder()
      .name("apiserver_request_total")
      .help("Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, "
          + "component, and HTTP response code.")
      .labelNames("verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component", "code")
      .withoutExemplars()
      .register(PrometheusText.registry());

  static final Histogram DURATIONS = Histogram.builder()
      .name("apiserver_request_duration_seconds")
      .help("Response latency distribution in seconds for each verb, dry run value, group, version, resource, "
          + "subresource, scope and component.")
      .labelNames("verb", "dry_run", "group", "version", "resource", "subresource", "scope", "component")
      .classicOnly()
      .classicUpperBounds(0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30,
          45, 60)
      .withoutExemplars()
      .register(PrometheusText.registry());

  static final Gauge INFLIGHT = Gauge.builder()
      .name("apiserver_current_inflight_requests")
      .help("Number of requests currently being served by this apiserver, per request kind (long-running ones, "
          + "watches and connections, are not counted).")
      .labelNames("request_kind")
      .withoutExemplars()
      .register(PrometheusText.registry());

  static final GaugeDataPoint READ_ONLY = INFLIGHT.labelValues("readOnly");
  static final GaugeDataPoint MUTATING = INFLIGHT.labelValues("mutating");

  private static final int VERBS = Verb.values().length;
  private static final int SCOPES = Scope.values().length;
  private static final int DRY_RUN = 2;

  /**
   * Each resource type's series: [dryRun][verb][scope][subresource index (0: none)]. By identity (the
   * registry's types are one instance each, and a record's hashCode walks all its fields), copied on
   * the rare write (once per type).
   */
  private static volatile IdentityHashMap<ResourceType, AtomicReferenceArray<Series>> byType = new IdentityHashMap<>();

  private RequestMetrics() {}

  /** The series of one kind of request; its counters by code are made when first needed. */
  static final class Series {
    private final String[] labels;
    final DistributionDataPoint duration;
    final boolean longRunning;
    final GaugeDataPoint inflight;
    private final AtomicReferenceArray<CounterDataPoint> byCode = new AtomicReferenceArray<>(600);

    private Series(Verb verb, boolean dryRun, String group, String version, String resource, String subresource,
        String scope) {
      this.labels = new String[] {verb.name(), dryRun ? "All" : "", group, version, resource, subresource, scope, COMPONENT};
      this.duration = DURATIONS.labelValues(labels);
      this.longRunning = verb == Verb.WATCH || verb == Verb.CONNECT;
      this.inflight = switch (verb) {
        case GET, LIST, WATCH -> READ_ONLY;
        default -> MUTATING;
      };
    }

    CounterDataPoint code(int status) {
      if (status < 0 || status >= byCode.length()) return withCode(Integer.toString(status));
      CounterDataPoint c = byCode.get(status);
      if (c == null) {
        c = withCode(Integer.toString(status));
        byCode.compareAndSet(status, null, c);
      }
      return c;
    }

    private CounterDataPoint withCode(String code) {
      String[] values = java.util.Arrays.copyOf(labels, labels.length + 1);
      values[labels.length] = code;
      return REQUESTS.labelValues(values);
    }

    /** A request begins: counted in flight unless it is long-running. */
    long started() {
      if (!longRunning) inflight.inc();
      return System.nanoTime();
    }

    /** The request has its response: counted by code, its time observed. */
    void finished(long startedNanos, HttpResponse response) {
      if (!longRunning) inflight.dec();
      code(response.status().intValue()).inc();
      duration.observe((System.nanoTime() - startedNanos) / 1e9);
    }

    /**
     * The response the stage completes with, or the failure's Status, counted and timed from
     * {@code startedNanos} (what {@link #started()} returned).
     */
    CompletionStage<HttpResponse> measure(long startedNanos, CompletionStage<HttpResponse> stage,
        Function<Throwable, HttpResponse> failure) {
      return stage.handle((response, e) -> {
        HttpResponse r = e == null ? response : failure.apply(e);
        finished(startedNanos, r);
        return r;
      });
    }
  }

  /** The series of a request for a resource type; {@code subresource} null for the object itself, else one of the type's. */
  static Series series(ResourceType type, Verb verb, Scope scope, String subresource, boolean dryRun) {
    int sub = subresource == null ? 0 : type.subresources().indexOf(subresource) + 1;
    if (sub == 0 && subresource != null) throw new IllegalArgumentException(type.plural() + " has no " + subresource);
    AtomicReferenceArray<Series> all = byType.get(type);
    if (all == null) all = seriesOf(type);
    int i = (((dryRun ? 1 : 0) * VERBS + verb.ordinal()) * SCOPES + scope.ordinal()) * (type.subresources().size() + 1) + sub;
    Series s = all.get(i);
    if (s == null) {
      s = new Series(verb, dryRun, type.group(), type.version(), type.plural(), subresource == null ? "" : subresource,
          scope.label);
      if (!all.compareAndSet(i, null, s)) s = all.get(i);
    }
    return s;
  }

  private static synchronized AtomicReferenceArray<Series> seriesOf(ResourceType type) {
    AtomicReferenceArray<Series> all = byType.get(type);
    if (all != null) return all;
    all = new AtomicReferenceArray<>(DRY_RUN * VERBS * SCOPES * (type.subresources().size() + 1));
    IdentityHashMap<ResourceType, AtomicReferenceArray<Series>> next = new IdentityHashMap<>(byType);
    next.put(type, all);
    byType = next;
    return all;
  }

  /** The verb upstream reports for a request on a resource (its installer's action verb, then cleanVerb). */
  static Verb verb(String method, String name, String subresource, boolean watch, boolean applyPatch) {
    if (subresource != null && (subresource.equals("proxy") || subresource.equals("exec") || subresource.equals("attach")
        || subresource.equals("portforward"))) {
      return Verb.CONNECT;
    }
    return switch (method) {
      case "GET", "HEAD" -> name != null ? Verb.GET : watch ? Verb.WATCH : Verb.LIST;
      case "POST" -> Verb.POST;
      case "PUT" -> Verb.PUT;
      case "PATCH" -> applyPatch ? Verb.APPLY : Verb.PATCH;
      case "DELETE" -> name != null ? Verb.DELETE : Verb.DELETECOLLECTION;
      default -> Verb.CONNECT;
    };
  }

  /** CleanScope: a named object or a create is "resource"; else the collection's namespace or cluster. */
  static Scope scope(String namespace, String name, Verb verb) {
    if (name != null || verb == Verb.POST) return Scope.RESOURCE;
    return namespace != null ? Scope.NAMESPACE : Scope.CLUSTER;
  }
}
