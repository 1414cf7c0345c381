package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ResourceRegistry;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.apiserver.options.MediaTypes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/**
 * Discovery, how kubectl and client libraries learn which kinds, verbs and short names the server
 * has: the legacy documents (/api, /apis, /apis/{group}, each group/version's APIResourceList), the
 * aggregated ones client-go asks /api and /apis for first (apidiscovery.k8s.io v2 and v2beta1
 * APIGroupDiscoveryList: every group/version's resources in one answer), and /version. All are
 * written from one {@link Catalog}, made again whenever the registry's kinds change.
 */
public final class Discovery {

  /** The Kubernetes release this server answers as; kubectl's dispatcher picks its client by it. */
  public static final String KUBERNETES_VERSION = "v1.32.4";

  /** What an Accept clause names (g, v, as) to ask for an aggregated document. */
  static final String AGGREGATED_GROUP = "apidiscovery.k8s.io";
  static final String AGGREGATED_KIND = "APIGroupDiscoveryList";
  static final List<String> AGGREGATED_VERSIONS = List.of("v2", "v2beta1");

  private final Supplier<List<ResourceType>> types;
  private final Supplier<Map<String, List<String>>> typeVersions;
  private final String serverAddress;
  private final List<ApiResource> unstored;
  /** The last catalog made: reused while the registry's kinds are the ones it was made of. */
  private volatile Catalog catalog;

  /**
   * @param unstored the kinds served beside the registry's and never stored (reviews, metrics); their
   *     groups are listed after the registry's
   */
  Discovery(ResourceRegistry registry, String serverAddress, List<ApiResource> unstored) {
    this(registry::all, registry::groupVersions, serverAddress, unstored);
  }

  /** As above, with the registry's kinds and group/versions as they are asked for: a test changes them. */
  Discovery(Supplier<List<ResourceType>> types, Supplier<Map<String, List<String>>> typeVersions, String serverAddress,
      List<ApiResource> unstored) {
    this.types = types;
    this.typeVersions = typeVersions;
    this.serverAddress = serverAddress;
    this.unstored = List.copyOf(unstored);
  }

  public ObjectNode version() {
    ObjectNode v = Json.object();
    v.put("major", "1").put("minor", "32").put("gitVersion", KUBERNETES_VERSION + "+kubeactor")
        .put("gitCommit", "kubeactor").put("gitTreeState", "clean").put("buildDate", "2026-01-01T00:00:00Z")
        .put("goVersion", "java" + Runtime.version().feature()).put("compiler", "javac")
        .put("platform", "linux/amd64");
    return v;
  }

  /** GET /api: the core group's aggregated document if the Accept header asks for one, else APIVersions. */
  HttpResponse api(HttpRequest request) {
    Catalog c = catalog();
    return negotiated(request, c.core(), () -> apiVersions(c));
  }

  /** GET /apis: every other group's aggregated document if the Accept header asks for one, else the APIGroupList. */
  HttpResponse apis(HttpRequest request) {
    Catalog c = catalog();
    return negotiated(request, c.groups(), () -> apiGroupList(c));
  }

  /** The APIGroup of /apis/{name}. */
  Optional<ObjectNode> apiGroup(String name) {
    List<String> versions = catalog().groupVersions().get(name);
    if (versions == null || name.isEmpty()) return Optional.empty();
    return Optional.of(group(name, versions).put("kind", "APIGroup").put("apiVersion", "v1"));
  }

  /** The APIResourceList of one group/version ("" for core): each resource followed by its subresources. */
  Optional<ObjectNode> resourceList(String group, String version) {
    String groupVersion = ApiResource.groupVersion(group, version);
    List<ApiResource> resources = catalog().resources().get(groupVersion);
    if (resources == null) return Optional.empty();
    ObjectNode list = Json.object();
    list.put("kind", "APIResourceList").put("apiVersion", "v1").put("groupVersion", groupVersion);
    ArrayNode entries = list.putArray("resources");
    for (ApiResource r : resources) {
      ObjectNode o = entries.addObject();
      o.put("name", r.resource()).put("singularName", r.singular()).put("namespaced", r.namespaced())
          .put("kind", r.kind());
      o.set("verbs", Json.MAPPER.valueToTree(r.verbs()));
      if (!r.shortNames().isEmpty()) o.set("shortNames", Json.MAPPER.valueToTree(r.shortNames()));
      if (!r.categories().isEmpty()) o.set("categories", Json.MAPPER.valueToTree(r.categories()));
      if (r.storageVersionHash() != null) o.put("storageVersionHash", r.storageVersionHash());
      for (ApiResource.Subresource s : r.subresources()) {
        ObjectNode so = entries.addObject();
        so.put("name", r.resource() + "/" + s.name()).put("singularName", "").put("namespaced", r.namespaced());
        if (!s.group().isEmpty()) so.put("group", s.group());
        if (!s.version().isEmpty()) so.put("version", s.version());
        so.put("kind", s.kind());
        so.set("verbs", Json.MAPPER.valueToTree(s.verbs()));
      }
    }
    return Optional.of(list);
  }

  /** Every group ("" for core) with its versions, the preferred first. */
  Map<String, List<String>> groupVersions() {
    return catalog().groupVersions();
  }

  private ObjectNode apiVersions(Catalog c) {
    ObjectNode v = Json.object();
    v.put("kind", "APIVersions");
    v.set("versions", Json.MAPPER.valueToTree(c.groupVersions().getOrDefault("", List.of())));
    ArrayNode addrs = v.putArray("serverAddressByClientCIDRs");
    addrs.addObject().put("clientCIDR", "0.0.0.0/0").put("serverAddress", serverAddress);
    return v;
  }

  private static ObjectNode apiGroupList(Catalog c) {
    ObjectNode list = Json.object();
    list.put("kind", "APIGroupList").put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    c.groupVersions().forEach((name, versions) -> {
      if (!name.isEmpty()) groups.add(group(name, versions));
    });
    return list;
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode g = Json.object();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) vs.addObject().put("groupVersion", name + "/" + v).put("version", v);
    g.putObject("preferredVersion").put("groupVersion", name + "/" + versions.get(0)).put("version", versions.get(0));
    return g;
  }

  /**
   * As kube-apiserver's discovery wrapper: the aggregated document when an Accept clause asks for
   * one, with its ETag (a matching If-None-Match is a 304) and a Content-Type naming what it is;
   * else the legacy document, in JSON or YAML; else 406.
   */
  private static HttpResponse negotiated(HttpRequest request, Aggregated aggregated, Supplier<ObjectNode> legacy) {
    String accept = request.getHeader("Accept").map(HttpHeader::value).orElse("");
    Optional<MediaTypes.Accepted> asked = MediaTypes.negotiate(accept, false, Discovery::aggregatedKind);
    if (asked.isEmpty()) {
      MediaTypes.Accepted plain = MediaTypes.negotiate(accept, false, Objects::isNull)
          .orElseThrow(() -> MediaTypes.notAcceptable(false));
      HttpResponse json = Responses.json(legacy.get());
      return plain.mediaType().equals(MediaTypes.YAML) ? Responses.asYaml(json) : json;
    }
    String etag = "\"" + aggregated.etag() + "\"";
    List<HttpHeader> headers = List.of(RawHeader.create("ETag", etag), RawHeader.create("Vary", "Accept"),
        RawHeader.create("Cache-Control", "public"));
    if (request.getHeader("If-None-Match").map(h -> h.value().equals(etag)).orElse(false)) {
      return HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED).withHeaders(headers);
    }
    String version = asked.get().conversion().version();
    boolean yaml = asked.get().mediaType().equals(MediaTypes.YAML);
    byte[] body = yaml ? Responses.yaml(aggregated.documents().get(version)) : aggregated.json().get(version);
    return HttpResponse.create().withHeaders(headers).withEntity(aggregatedType(yaml, version), body);
  }

  /**
   * The media type with the kind it holds, as upstream's: "application/json;g=apidiscovery.k8s.io;
   * v=v2;as=APIGroupDiscoveryList" (Pekko writes a space after each ';').
   */
  private static ContentType aggregatedType(boolean yaml, String version) {
    Map<String, String> kind = new LinkedHashMap<>();
    kind.put("g", AGGREGATED_GROUP);
    kind.put("v", version);
    kind.put("as", AGGREGATED_KIND);
    return yaml
        ? ContentTypes.create(org.apache.pekko.http.javadsl.model.MediaTypes.customBinary("application", "yaml", true,
            kind, false))
        : ContentTypes.create(org.apache.pekko.http.javadsl.model.MediaTypes.customWithFixedCharset("application",
            "json", HttpCharsets.UTF_8, kind, false));
  }

  /** upstream's IsAggregatedDiscoveryGVK: the one conversion /api and /apis make. */
  private static boolean aggregatedKind(MediaTypes.Conversion c) {
    return c != null && c.group().equals(AGGREGATED_GROUP) && AGGREGATED_VERSIONS.contains(c.version())
        && c.kind().equals(AGGREGATED_KIND);
  }

  /** The catalog of the registry's kinds now: the last one made if they have not changed since. */
  private Catalog catalog() {
    List<ResourceType> now = List.copyOf(types.get());
    Map<String, List<String>> versions = typeVersions.get();
    Catalog last = catalog;
    if (last != null && last.types().equals(now) && last.registryVersions().equals(versions)) return last;
    Catalog made = Catalog.of(now, versions, unstored);
    catalog = made;
    return made;
  }

  /**
   * What discovery lists while the registry holds {@code types} in {@code registryVersions}: every
   * group's versions (the preferred first), each group/version's resources sorted by name (as
   * kube-apiserver registers them), and the aggregated documents of the core group and of the rest.
   */
  private record Catalog(List<ResourceType> types, Map<String, List<String>> registryVersions,
      Map<String, List<String>> groupVersions, Map<String, List<ApiResource>> resources, Aggregated core,
      Aggregated groups) {

    static Catalog of(List<ResourceType> types, Map<String, List<String>> registryVersions,
        List<ApiResource> unstored) {
      Map<String, List<String>> groupVersions = new LinkedHashMap<>();
      registryVersions.forEach((group, versions) -> groupVersions.put(group, new ArrayList<>(versions)));
      for (ApiResource r : unstored) {
        List<String> versions = groupVersions.computeIfAbsent(r.group(), g -> new ArrayList<>());
        if (!versions.contains(r.version())) versions.add(r.version());
      }
      Map<String, List<ApiResource>> resources = Stream.concat(types.stream().map(ApiResource::of), unstored.stream())
          .sorted(Comparator.comparing(ApiResource::resource))
          .collect(Collectors.groupingBy(ApiResource::groupVersion, LinkedHashMap::new, Collectors.toList()));
      return new Catalog(types, registryVersions, groupVersions, resources,
          Aggregated.of(aggregatedList(groupVersions, resources, true)),
          Aggregated.of(aggregatedList(groupVersions, resources, false)));
    }
  }

  /**
   * The v2 APIGroupDiscoveryList of the core group or of all the others; a group/version without
   * resources is left out, as kube-apiserver skips one.
   */
  private static ObjectNode aggregatedList(Map<String, List<String>> groupVersions,
      Map<String, List<ApiResource>> resources, boolean core) {
    ObjectNode list = Json.object();
    list.put("kind", AGGREGATED_KIND).put("apiVersion", AGGREGATED_GROUP + "/v2");
    list.putObject("metadata");
    ArrayNode items = list.putArray("items");
    groupVersions.forEach((group, versions) -> {
      if (group.isEmpty() != core) return;
      List<List<ApiResource>> served = versions.stream()
          .map(version -> resources.getOrDefault(ApiResource.groupVersion(group, version), List.of()))
          .filter(listed -> !listed.isEmpty()).toList();
      if (served.isEmpty()) return;
      ObjectNode item = items.addObject();
      ObjectNode metadata = item.putObject("metadata");
      if (!group.isEmpty()) metadata.put("name", group);
      metadata.putNull("creationTimestamp");
      ArrayNode versionList = item.putArray("versions");
      for (List<ApiResource> versionResources : served) {
        ObjectNode v = versionList.addObject().put("version", versionResources.get(0).version());
        ArrayNode entries = v.putArray("resources");
        for (ApiResource r : versionResources) entries.add(aggregatedResource(r));
        v.put("freshness", "Current");
      }
    });
    return list;
  }

  /**
   * An APIResourceDiscovery: as upstream converts its APIResource, the response kinds of a resource
   * and of its own-kind subresources name no group and version.
   */
  private static ObjectNode aggregatedResource(ApiResource r) {
    ObjectNode o = Json.object();
    o.put("resource", r.resource());
    o.putObject("responseKind").put("group", "").put("version", "").put("kind", r.kind());
    o.put("scope", r.namespaced() ? "Namespaced" : "Cluster");
    o.put("singularResource", r.singular());
    o.set("verbs", Json.MAPPER.valueToTree(r.verbs()));
    if (!r.shortNames().isEmpty()) o.set("shortNames", Json.MAPPER.valueToTree(r.shortNames()));
    if (!r.categories().isEmpty()) o.set("categories", Json.MAPPER.valueToTree(r.categories()));
    if (!r.subresources().isEmpty()) {
      ArrayNode subresources = o.putArray("subresources");
      for (ApiResource.Subresource s : r.subresources()) {
        ObjectNode so = subresources.addObject().put("subresource", s.name());
        so.putObject("responseKind").put("group", s.group()).put("version", s.version()).put("kind", s.kind());
        so.set("verbs", Json.MAPPER.valueToTree(s.verbs()));
      }
    }
    return o;
  }

  /**
   * An aggregated document in each version it is served in (v2 and v2beta1 differ in apiVersion
   * only) and its ETag, as upstream's: the SHA-512 of the document in upper-case hex, whichever
   * version is asked for (the answer varies by Accept).
   */
  private record Aggregated(Map<String, ObjectNode> documents, Map<String, byte[]> json, String etag) {

    static Aggregated of(ObjectNode v2) {
      Map<String, ObjectNode> documents = new LinkedHashMap<>();
      Map<String, byte[]> json = new LinkedHashMap<>();
      for (String version : AGGREGATED_VERSIONS) {
        ObjectNode document = v2.deepCopy().put("apiVersion", AGGREGATED_GROUP + "/" + version);
        documents.put(version, document);
        json.put(version, Json.bytes(document));
      }
      return new Aggregated(documents, json, sha512(json.get("v2")));
    }

    private static String sha512(byte[] bytes) {
      try {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform has SHA-512", e);
      }
    }
  }
}
