package io.kubeactor.controlplane.apiserver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Connection;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.util.ByteString;

/** JSON answers and Kubernetes Status errors. */
public final class Responses {
  private Responses() {}

  public static HttpResponse json(int code, JsonNode body) {
    return HttpResponse.create()
        .withStatus(StatusCodes.get(code))
        .withEntity(ContentTypes.APPLICATION_JSON, Json.bytes(body));
  }

  public static HttpResponse json(JsonNode body) {
    return json(200, body);
  }

  /**
   * An object with one more field last, an array of JSON values given as their bytes (a list's
   * stored items, sent as they are stored): {@code {...body, "items": [a, b]}}.
   */
  public static HttpResponse json(int code, ObjectNode body, String arrayField, List<ByteString> elements) {
    return json(code, Json.withArray(body, arrayField, elements));
  }

  /** A JSON answer already written as bytes. */
  public static HttpResponse json(int code, ByteString body) {
    return HttpResponse.create().withStatus(StatusCodes.get(code)).withEntity(ContentTypes.APPLICATION_JSON, body);
  }

  /** Warnings travel as RFC 7234 Warning headers with code 299, as kube-apiserver sends them. */
  public static HttpResponse withWarnings(HttpResponse response, List<String> warnings) {
    HttpResponse r = response;
    for (String w : warnings) {
      r = r.addHeader(RawHeader.create("Warning", "299 - \"" + w.replace("\"", "\\\"") + "\""));
    }
    return r;
  }

  public static HttpResponse error(ApiException e) {
    HttpResponse r = json(e.code, status(e));
    // the unread rest of an oversized body leaves the connection unusable: say it closes
    return e.code == 413 ? r.addHeader(Connection.create("close")) : r;
  }

  private static final ObjectMapper YAML_WRITER = new ObjectMapper(YAMLFactory.builder()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .build());

  private static final ContentType YAML = ContentTypes.create(MediaTypes.applicationBinary("yaml", true));

  /**
   * A JSON answer re-encoded as YAML, for a client whose Accept header asks for application/yaml.
   * Streams (watches) are left alone: they are JSON only.
   */
  public static HttpResponse asYaml(HttpResponse response) {
    if (!(response.entity() instanceof HttpEntity.Strict strict)
        || !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
      return response;
    }
    return response.withEntity(YAML, yaml(Json.parse(strict.getData().toArray())));
  }

  /** A JSON tree written as YAML, as kube-apiserver writes application/yaml. */
  public static byte[] yaml(JsonNode tree) {
    try {
      return YAML_WRITER.writeValueAsBytes(tree);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** A metav1.Status describing a failure. */
  public static ObjectNode status(ApiException e) {
    ObjectNode s = Json.object();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Failure");
    s.put("message", e.getMessage());
    if (e.reason != null && !e.reason.isEmpty()) s.put("reason", e.reason);
    if (e.name != null || e.kind != null || !e.causes.isEmpty()) {
      ObjectNode d = s.putObject("details");
      if (e.name != null && !e.name.isEmpty()) d.put("name", e.name); // omitempty, as in Go
      if (e.group != null && !e.group.isEmpty()) d.put("group", e.group);
      if (e.kind != null && !e.kind.isEmpty()) d.put("kind", e.kind);
      if (!e.causes.isEmpty()) {
        ArrayNode causes = d.putArray("causes");
        for (ApiException.Cause c : e.causes) {
          ObjectNode cn = causes.addObject();
          if (c.reason() != null) cn.put("reason", c.reason());
          if (c.message() != null) cn.put("message", c.message());
          if (c.field() != null) cn.put("field", c.field());
        }
      }
    }
    s.put("code", e.code);
    return s;
  }

  /** A metav1.Status reporting success, as deletecollection and some deletes answer. */
  public static ObjectNode success(String group, String kind, String name, String uid) {
    ObjectNode s = Json.object();
    s.put("kind", "Status").put("apiVersion", "v1");
    s.putObject("metadata");
    s.put("status", "Success");
    ObjectNode d = s.putObject("details");
    if (name != null) d.put("name", name);
    if (group != null && !group.isEmpty()) d.put("group", group);
    d.put("kind", kind);
    if (uid != null) d.put("uid", uid);
    return s;
  }
}
