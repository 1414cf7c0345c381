package io.kubeactor.controlplane.apiserver.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubernetes.client.proto.Runtime.Unknown;
import java.util.Arrays;

/**
 * Request bodies in Kubernetes' protobuf encoding ({@value #MEDIA_TYPE}), as kubectl's typed
 * clients send them (create namespace, configmap, secret, deployment, job, ...).
 *
 * <p>The framing is apimachinery's runtime/serializer/protobuf: the magic bytes {@code "k8s\0"},
 * then a {@code runtime.Unknown} whose typeMeta names apiVersion and kind and whose raw bytes are
 * the object's own message from the generated.proto files. The store keeps JSON, so the object
 * becomes exactly the JSON tree Kubernetes writes for it.
 */
public final class ProtobufBodies {
  private ProtobufBodies() {}

  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  private static final byte[] MAGIC = {'k', '8', 's', 0};

  /**
   * The JSON tree of a protobuf-encoded request body, with apiVersion and kind from its envelope.
   *
   * @throws ApiException 400 BadRequest for a body that is not Kubernetes protobuf; 415
   *     UnsupportedMediaType for a kind without a protobuf schema here, or a field the schema does
   *     not know (the client should send JSON instead)
   */
  public static ObjectNode decode(byte[] body) {
    if (body == null || body.length == 0) throw ApiException.badRequest("empty protobuf body");
    if (!isProtobuf(body)) {
      throw ApiException.badRequest(
          "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (\"k8s\\0\")");
    }
    if (body.length == MAGIC.length) throw ApiException.badRequest("empty protobuf body after the k8s prefix");

    Unknown envelope;
    try {
      envelope = Unknown.parseFrom(Arrays.copyOfRange(body, MAGIC.length, body.length));
    } catch (InvalidProtocolBufferException e) {
      throw ApiException.badRequest("malformed protobuf envelope (runtime.Unknown): " + e.getMessage());
    }
    String apiVersion = envelope.getTypeMeta().getApiVersion();
    String kind = envelope.getTypeMeta().getKind();
    if (kind.isEmpty()) throw ApiException.badRequest("Object 'Kind' is missing in the protobuf envelope");
    if (apiVersion.isEmpty()) {
      throw ApiException.badRequest("Object 'apiVersion' is missing in the protobuf envelope");
    }

    Descriptor type = KindSchemas.find(apiVersion, kind).orElseThrow(() -> new ApiException(415,
        "UnsupportedMediaType",
        "no protobuf schema for kind " + kind + " of " + apiVersion + " on this server: send it as application/json",
        group(apiVersion), kind, null, null));
    DynamicMessage object;
    try {
      object = DynamicMessage.parseFrom(type, envelope.getRaw());
    } catch (InvalidProtocolBufferException e) {
      throw ApiException.badRequest("malformed protobuf " + kind + " of " + apiVersion + ": " + e.getMessage());
    }

    ObjectNode json = Json.object();
    json.put("kind", kind);
    json.put("apiVersion", apiVersion);
    json.setAll(MessageToJson.object(object, ""));
    return json;
  }

  /** Whether {@code data} starts with Kubernetes' protobuf magic bytes. */
  static boolean isProtobuf(byte[] data) {
    return data.length >= MAGIC.length && Arrays.equals(data, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
  }

  private static String group(String apiVersion) {
    int slash = apiVersion.lastIndexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
