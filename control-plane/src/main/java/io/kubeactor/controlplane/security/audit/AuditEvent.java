package io.kubeactor.controlplane.security.audit;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.security.audit.AuditPolicy.Level;
import io.kubeactor.controlplane.security.audit.AuditPolicy.Stage;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One audit.k8s.io/v1 Event, as kube-apiserver's log backend writes it: one JSON line with the
 * fields in upstream's order (apis/audit/v1/types.go), empty optional ones left out, timestamps in
 * microseconds, maps with sorted keys and {@code <>&} escaped as Go's encoder does.
 *
 * <p>The bodies are kept as the bytes the request and response carried and are read only when the
 * line is written, on the log's writer thread: requestObject from Request on, responseObject at
 * RequestResponse, without metadata.managedFields when the policy says so.
 *
 * @param user who authenticated; null for a request that failed authentication ({@code "user":{}})
 * @param impersonatedUser who the request ran as, null without impersonation
 * @param objectRef the object of a resource request, null for a non-resource one
 * @param responseStatus the Status part of the answer, in upstream's field order; null before one exists
 * @param requestBody the request's body from Request on, or null; not copied, so never changed afterwards
 * @param responseBody the response's body at RequestResponse, or null; not copied either
 */
public record AuditEvent(Level level, String auditId, Stage stage, String requestUri, String verb, UserInfo user,
    UserInfo impersonatedUser, List<String> sourceIps, String userAgent, ObjectRef objectRef, ObjectNode responseStatus,
    byte[] requestBody, byte[] responseBody, boolean omitManagedFields, Instant requestReceived, Instant stageTimestamp,
    SortedMap<String, String> annotations) {

  /** audit.k8s.io/v1 ObjectReference; "" for what is not known. */
  public record ObjectRef(String resource, String namespace, String name, String uid, String apiGroup, String apiVersion,
      String resourceVersion, String subresource) {

    /**
     * Upstream's LogRequestObject: what the path did not name is taken from the body's metadata
     * (a create's new name, an update's uid and resourceVersion). The body is read only as far as
     * its metadata, which clients write near the start; one that is neither JSON nor YAML changes
     * nothing.
     */
    ObjectRef completedFrom(byte[] body) {
      Map<String, String> m = metadataStrings(Json.MAPPER.getFactory(), body);
      // a client may send YAML (which every JSON document also is)
      if (m == null) m = metadataStrings(Json.YAML.getFactory(), body);
      if (m == null) return this;
      return new ObjectRef(resource, or(namespace, m.get("namespace")), or(name, m.get("name")), or(uid, m.get("uid")),
          apiGroup, apiVersion, or(resourceVersion, m.get("resourceVersion")), subresource);
    }

    /** The string fields of the body's metadata, or null for a body the factory cannot read. */
    private static Map<String, String> metadataStrings(JsonFactory format, byte[] body) {
      Map<String, String> m = new HashMap<>();
      try (JsonParser p = format.createParser(body)) {
        if (p.nextToken() != JsonToken.START_OBJECT) return m;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken value = p.nextToken();
          if (!field.equals("metadata") || value != JsonToken.START_OBJECT) {
            p.skipChildren();
            continue;
          }
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            if (p.nextToken() == JsonToken.VALUE_STRING) m.put(key, p.getText());
            else p.skipChildren();
          }
          break;
        }
        return m;
      } catch (IOException | RuntimeException unreadable) {
        return null;
      }
    }

    private static String or(String known, String fromObject) {
      return known.isEmpty() && fromObject != null ? fromObject : known;
    }
  }

  private static final DateTimeFormatter MICRO_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final JsonFactory JSON = Json.MAPPER.getFactory().copy().setCharacterEscapes(new GoEscapes());

  public AuditEvent {
    sourceIps = List.copyOf(sourceIps);
    annotations = annotations.isEmpty() ? new TreeMap<>() : new TreeMap<>(annotations);
  }

  /** The event as one line of JSON, newline included. */
  public byte[] toJsonLine() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.setCodec(Json.MAPPER);
      write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private void write(JsonGenerator g) throws IOException {
    JsonNode requestObject = requestBody != null && level.atLeast(Level.REQUEST) ? body(requestBody) : null;
    g.writeStartObject();
    g.writeStringField("kind", "Event");
    g.writeStringField("apiVersion", "audit.k8s.io/v1");
    g.writeStringField("level", level.text());
    g.writeStringField("auditID", auditId);
    g.writeStringField("stage", stage.text());
    g.writeStringField("requestURI", requestUri);
    g.writeStringField("verb", verb);
    g.writeFieldName("user");
    writeUser(g, user);
    if (impersonatedUser != null) {
      g.writeFieldName("impersonatedUser");
      writeUser(g, impersonatedUser);
    }
    if (!sourceIps.isEmpty()) {
      g.writeArrayFieldStart("sourceIPs");
      for (String ip : sourceIps) g.writeString(ip);
      g.writeEndArray();
    }
    writeIfSet(g, "userAgent", userAgent);
    if (objectRef != null) {
      ObjectRef ref = objectRef;
      g.writeObjectFieldStart("objectRef");
      writeIfSet(g, "resource", ref.resource());
      writeIfSet(g, "namespace", ref.namespace());
      writeIfSet(g, "name", ref.name());
      writeIfSet(g, "uid", ref.uid());
      writeIfSet(g, "apiGroup", ref.apiGroup());
      writeIfSet(g, "apiVersion", ref.apiVersion());
      writeIfSet(g, "resourceVersion", ref.resourceVersion());
      writeIfSet(g, "subresource", ref.subresource());
      g.writeEndObject();
    }
    if (responseStatus != null) {
      g.writeFieldName("responseStatus");
      g.writeTree(responseStatus);
    }
    if (requestObject != null) {
      g.writeFieldName("requestObject");
      g.writeTree(withoutManagedFields(requestObject));
    }
    JsonNode responseObject = responseBody != null && level.atLeast(Level.REQUEST_RESPONSE) ? body(responseBody) : null;
    if (responseObject != null) {
      g.writeFieldName("responseObject");
      g.writeTree(withoutManagedFields(responseObject));
    }
    g.writeStringField("requestReceivedTimestamp", microTime(requestReceived));
    g.writeStringField("stageTimestamp", microTime(stageTimestamp));
    if (!annotations.isEmpty()) {
      g.writeObjectFieldStart("annotations");
      for (Map.Entry<String, String> a : annotations.entrySet()) g.writeStringField(a.getKey(), a.getValue());
      g.writeEndObject();
    }
    g.writeEndObject();
  }

  /** authentication.k8s.io/v1 UserInfo, every field optional. */
  private static void writeUser(JsonGenerator g, UserInfo u) throws IOException {
    g.writeStartObject();
    if (u != null) {
      writeIfSet(g, "username", u.name());
      writeIfSet(g, "uid", u.uid());
      if (!u.groups().isEmpty()) {
        g.writeArrayFieldStart("groups");
        for (String group : u.groups()) g.writeString(group);
        g.writeEndArray();
      }
      if (!u.extra().isEmpty()) {
        g.writeObjectFieldStart("extra");
        for (Map.Entry<String, List<String>> e : new TreeMap<>(u.extra()).entrySet()) {
          g.writeArrayFieldStart(e.getKey());
          for (String v : e.getValue()) g.writeString(v);
          g.writeEndArray();
        }
        g.writeEndObject();
      }
    }
    g.writeEndObject();
  }

  private static void writeIfSet(JsonGenerator g, String field, String value) throws IOException {
    if (value != null && !value.isEmpty()) g.writeStringField(field, value);
  }

  /** metav1.MicroTime: RFC 3339 in UTC with six fractional digits. */
  static String microTime(Instant t) {
    return MICRO_TIME.format(t.truncatedTo(ChronoUnit.MICROS));
  }

  /**
   * A body as a JSON object or array (a JSON patch is one), also when a client sent it as YAML; null
   * for an empty body or anything else (protobuf), which is not logged.
   */
  private static JsonNode body(byte[] bytes) {
    JsonNode tree;
    try {
      tree = Json.MAPPER.readTree(bytes);
    } catch (IOException notJson) {
      try {
        tree = Json.YAML.readTree(bytes);
      } catch (IOException | RuntimeException neither) {
        return null;
      }
    }
    return tree != null && tree.isContainerNode() ? tree : null;
  }

  /** The object, each item of a list and each row of a Table without metadata.managedFields (copyWithoutManagedFields). */
  private JsonNode withoutManagedFields(JsonNode object) {
    if (!omitManagedFields || !object.isObject()) return object;
    dropManagedFields(object);
    for (JsonNode item : object.path("items")) dropManagedFields(item);
    if ("Table".equals(object.path("kind").asText())) {
      for (JsonNode row : object.path("rows")) dropManagedFields(row.path("object"));
    }
    return object;
  }

  private static void dropManagedFields(JsonNode object) {
    if (object.path("metadata") instanceof ObjectNode metadata) metadata.remove("managedFields");
  }

  /** Go's encoding/json escapes: {@code < > &} and U+2028/U+2029 as \\u, control characters in lower-case hex. */
  private static final class GoEscapes extends CharacterEscapes {
    private final int[] escapes;

    GoEscapes() {
      escapes = CharacterEscapes.standardAsciiEscapesForJSON();
      escapes['<'] = ESCAPE_CUSTOM;
      escapes['>'] = ESCAPE_CUSTOM;
      escapes['&'] = ESCAPE_CUSTOM;
      for (int c = 0; c < 0x20; c++) {
        if (c != '\n' && c != '\r' && c != '\t') escapes[c] = ESCAPE_CUSTOM;
      }
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return escapes;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return switch (ch) {
        case '\b' -> new SerializedString("\\b");
        case '\f' -> new SerializedString("\\f");
        default -> ch < 0x80 || ch == 0x2028 || ch == 0x2029
            ? new SerializedString(String.format("\\u%04x", ch)) : null;
      };
    }
  }
}
