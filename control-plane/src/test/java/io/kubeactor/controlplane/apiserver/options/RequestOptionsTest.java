package io.kubeactor.controlplane.apiserver.options;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kubeactor.common.Json;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.DeleteOptions;
import io.kubeactor.controlplane.registry.WriteOptions;
import io.kubeactor.controlplane.registry.decoding.GoStrings;
import org.apache.pekko.http.javadsl.model.Uri;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Request options decoded and validated as kube-apiserver 1.32 does, with its codes and messages. */
class RequestOptionsTest {

  static QueryParameters query(String q) {
    return new QueryParameters(Uri.create("/api/v1/pods" + (q.isEmpty() ? "" : "?" + q)).query());
  }

  static void refused(ThrowingCallable call, int code, String reason, String message) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiException.class, e -> {
      assertThat(e.code).isEqualTo(code);
      assertThat(e.reason).isEqualTo(reason);
      assertThat(e.getMessage()).isEqualTo(message);
    });
  }

  // ---- Go's conversion of query parameters ----

  @Test
  void integersAreParsedAsStrconvParseInt() {
    assertThat(QueryParameters.parseInt64("42")).isEqualTo(42);
    assertThat(QueryParameters.parseInt64("+42")).isEqualTo(42);
    assertThat(QueryParameters.parseInt64("-7")).isEqualTo(-7);
    assertThat(QueryParameters.parseInt64("9223372036854775807")).isEqualTo(Long.MAX_VALUE);
    refused(() -> QueryParameters.parseInt64("abc"), 400, "BadRequest", "strconv.ParseInt: parsing \"abc\": invalid syntax");
    refused(() -> QueryParameters.parseInt64(""), 400, "BadRequest", "strconv.ParseInt: parsing \"\": invalid syntax");
    refused(() -> QueryParameters.parseInt64("1.5"), 400, "BadRequest", "strconv.ParseInt: parsing \"1.5\": invalid syntax");
    refused(() -> QueryParameters.parseInt64("9223372036854775808"), 400, "BadRequest",
        "strconv.ParseInt: parsing \"9223372036854775808\": value out of range");
  }

  @Test
  void booleansAreFalseOnlyWhenAbsentZeroOrFalse() {
    for (String t : new String[] {"true", "True", "TRUE", "1", "t", "yes", ""}) {
      assertThat(query("watch=" + t).flag("watch")).as(t).isTrue();
    }
    for (String f : new String[] {"false", "False", "FALSE", "fAlSe", "0"}) {
      assertThat(query("watch=" + f).flag("watch")).as(f).isFalse();
    }
    assertThat(query("").flag("watch")).isFalse();
    assertThat(query("watch").flag("watch")).isTrue();
  }

  // ---- ListOptions ----

  @Test
  void listOptionsAreDecoded() {
    ListOptions o = ListOptions.from(query("watch=True&allowWatchBookmarks=1&limit=5&timeoutSeconds=30&resourceVersion=12"));
    assertThat(o.watch()).isTrue();
    assertThat(o.allowWatchBookmarks()).isTrue();
    assertThat(o.limit()).isEqualTo(5);
    assertThat(o.timeoutSeconds()).isEqualTo(30);
    assertThat(o.resourceVersionNumber()).isEqualTo(12);
  }

  @Test
  void malformedListIntegersAreBadRequests() {
    refused(() -> ListOptions.from(query("limit=abc")), 400, "BadRequest", "strconv.ParseInt: parsing \"abc\": invalid syntax");
    refused(() -> ListOptions.from(query("watch=1&timeoutSeconds=0.1s")), 400, "BadRequest",
        "strconv.ParseInt: parsing \"0.1s\": invalid syntax");
  }

  @Test
  void resourceVersionMustBeAnUnsignedInteger() {
    refused(() -> ListOptions.from(query("resourceVersion=xyz")).resourceVersionNumber(), 400, "BadRequest",
        "invalid resource version: resourceVersion: Invalid value: \"xyz\": strconv.ParseUint: parsing \"xyz\": invalid syntax");
    refused(() -> ListOptions.parseResourceVersion("-1"), 400, "BadRequest",
        "invalid resource version: resourceVersion: Invalid value: \"-1\": strconv.ParseUint: parsing \"-1\": invalid syntax");
    assertThat(ListOptions.parseResourceVersion("0")).isNull();
    assertThat(ListOptions.parseResourceVersion("")).isNull();
  }

  @Test
  void resourceVersionMatchFollowsUpstreamRules() {
    refused(() -> ListOptions.from(query("resourceVersionMatch=NotOlderThan")), 422, "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided");
    refused(() -> ListOptions.from(query("resourceVersion=5&resourceVersionMatch=Bogus")), 422, "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\"");
    refused(() -> ListOptions.from(query("resourceVersion=0&resourceVersionMatch=Exact")), 422, "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"");
    refused(() -> ListOptions.from(query("sendInitialEvents=true")), 422, "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list");
    refused(() -> ListOptions.from(query("watch=1&resourceVersionMatch=NotOlderThan")), 422, "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
    refused(() -> ListOptions.from(query("watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan")), 422, "Invalid",
        "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled");
    assertThat(ListOptions.from(query("resourceVersion=5&resourceVersionMatch=NotOlderThan")).resourceVersionMatch())
        .isEqualTo("NotOlderThan");
  }

  @Test
  void invalidOptionsCarryTheirCauses() {
    assertThatThrownBy(() -> ListOptions.from(query("resourceVersion=5&resourceVersionMatch=Bogus")))
        .isInstanceOfSatisfying(ApiException.class, e -> {
          assertThat(e.group).isEqualTo("meta.k8s.io");
          assertThat(e.kind).isEqualTo("ListOptions");
          assertThat(e.name).isEmpty();
          assertThat(e.causes).containsExactly(new ApiException.Cause("FieldValueNotSupported",
              "Unsupported value: \"Bogus\": supported values: \"Exact\", \"NotOlderThan\", \"\"", "resourceVersionMatch"));
        });
  }

  @Test
  void continueTokensAreChecked() {
    refused(() -> ListOptions.from(query("continue=a.b")).checkContinue(), 400, "BadRequest",
        "invalid continue token: continue key is not valid: illegal base64 data at input byte 1");
    String other = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"v\":\"x/v9\",\"rv\":3,\"start\":\"a\"}".getBytes());
    refused(() -> ListOptions.from(query("continue=" + other)).checkContinue(), 400, "BadRequest",
        "invalid continue token: continue key is not valid: server does not recognize this encoded version x/v9");
    String good = java.util.Base64.getUrlEncoder().withoutPadding()
        .encodeToString("{\"v\":\"meta.k8s.io/v1\",\"rv\":3,\"start\":\"a\"}".getBytes());
    ListOptions.from(query("continue=" + good)).checkContinue();
    refused(() -> ListOptions.from(query("continue=" + good + "&resourceVersion=3")).checkContinue(), 400, "BadRequest",
        "specifying resource version is not allowed when using continue");
  }

  // ---- DeleteOptions ----

  static DeleteOptions deleteBody(String json) {
    return DeleteOptionsDecoder.decode(true, () -> Json.parse(json.getBytes()), query(""));
  }

  @Test
  void deleteOptionsFromABody() {
    DeleteOptions o = deleteBody("""
        {"kind":"DeleteOptions","apiVersion":"v1","gracePeriodSeconds":5,"propagationPolicy":"Foreground",
         "preconditions":{"uid":"u1","resourceVersion":"7"},"dryRun":["All"]}""");
    assertThat(o).isEqualTo(new DeleteOptions(5L, "Foreground", "u1", "7", true));
    assertThat(deleteBody("{\"apiVersion\":\"apps/v1\",\"kind\":\"DeleteOptions\",\"orphanDependents\":true}").propagationPolicy())
        .isEqualTo("Orphan");
  }

  @Test
  void aBodyOfTheWrongTypesIsABadRequest() {
    refused(() -> deleteBody("{\"gracePeriodSeconds\":\"abc\"}"), 400, "BadRequest",
        "json: cannot unmarshal string into Go struct field DeleteOptions.gracePeriodSeconds of type int64");
    refused(() -> deleteBody("{\"gracePeriodSeconds\":1.5}"), 400, "BadRequest",
        "json: cannot unmarshal number 1.5 into Go struct field DeleteOptions.gracePeriodSeconds of type int64");
    refused(() -> deleteBody("{\"dryRun\":\"All\"}"), 400, "BadRequest",
        "json: cannot unmarshal string into Go struct field DeleteOptions.dryRun of type []string");
    refused(() -> deleteBody("{\"preconditions\":{\"uid\":5}}"), 400, "BadRequest",
        "json: cannot unmarshal number into Go struct field Preconditions.preconditions.uid of type types.UID");
    refused(() -> deleteBody("{\"orphanDependents\":\"yes\"}"), 400, "BadRequest",
        "json: cannot unmarshal string into Go struct field DeleteOptions.orphanDependents of type bool");
  }

  @Test
  void aBodyOfAnotherKindIsABadRequest() {
    refused(() -> deleteBody("{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\"}"), 400, "BadRequest",
        "no kind \"ConfigMap\" is registered for version \"v1\" in scheme \"" + OptionBodies.META_SCHEME + "\"");
  }

  @Test
  void invalidDeleteOptionsAreInvalid() {
    refused(() -> deleteBody("{\"propagationPolicy\":\"Bogus\"}"), 422, "Invalid",
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Bogus\": supported values: "
            + "\"Foreground\", \"Background\", \"Orphan\", \"nil\"");
    refused(() -> deleteBody("{\"dryRun\":[\"Bogus\"]}"), 422, "Invalid",
        "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Bogus\"}: supported values: \"All\"");
    refused(() -> deleteBody("{\"orphanDependents\":false,\"propagationPolicy\":\"Orphan\"}"), 422, "Invalid",
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: \"Orphan\": "
            + "orphanDependents and deletionPropagation cannot be both set");
  }

  @Test
  void deleteOptionsFromTheQueryWhenThereIsNoBody() {
    DeleteOptions o = DeleteOptionsDecoder.decode(false, () -> { throw new AssertionError("no body"); },
        query("gracePeriodSeconds=0&propagationPolicy=Background&dryRun=All"));
    assertThat(o).isEqualTo(new DeleteOptions(0L, "Background", null, null, true));
    refused(() -> DeleteOptionsDecoder.decode(false, () -> null, query("gracePeriodSeconds=abc")), 400, "BadRequest",
        "strconv.ParseInt: parsing \"abc\": invalid syntax");
    refused(() -> DeleteOptionsDecoder.decode(false, () -> null, query("propagationPolicy=Bogus")), 422, "Invalid",
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: \"Bogus\": supported values: "
            + "\"Foreground\", \"Background\", \"Orphan\", \"nil\"");
    refused(() -> DeleteOptionsDecoder.decode(false, () -> null, query("dryRun=")), 422, "Invalid",
        "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"\"}: supported values: \"All\"");
  }

  @Test
  void withABodyTheQueryIsNotRead() {
    DeleteOptions o = DeleteOptionsDecoder.decode(true, () -> Json.parse("{}".getBytes()), query("gracePeriodSeconds=abc"));
    assertThat(o.gracePeriodSeconds()).isNull();
  }

  // ---- Create, Update, Patch options ----

  @Test
  void writeOptionsAreDecoded() {
    WriteOptions o = WriteOptionsDecoder.create(query("dryRun=All&fieldManager=kubectl-client-side-apply&fieldValidation=Strict"), WriteOptions.INTERNAL_USER, "");
    assertThat(o.dryRun()).isTrue();
    assertThat(o.fieldValidation()).isEqualTo(WriteOptions.FieldValidationMode.STRICT);
    assertThat(WriteOptionsDecoder.update(query(""), WriteOptions.INTERNAL_USER, "").fieldValidation()).isEqualTo(WriteOptions.FieldValidationMode.WARN);
  }

  @Test
  void invalidWriteOptionsAreInvalid() {
    refused(() -> WriteOptionsDecoder.create(query("fieldValidation=Bogus"), WriteOptions.INTERNAL_USER, ""), 422, "Invalid",
        "CreateOptions.meta.k8s.io \"\" is invalid: fieldValidation: Unsupported value: \"Bogus\": supported values: "
            + "\"\", \"Ignore\", \"Strict\", \"Warn\"");
    refused(() -> WriteOptionsDecoder.update(query("dryRun=Bogus"), WriteOptions.INTERNAL_USER, ""), 422, "Invalid",
        "UpdateOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Bogus\"}: supported values: \"All\"");
    refused(() -> WriteOptionsDecoder.create(query("fieldManager=" + "m".repeat(129)), WriteOptions.INTERNAL_USER, ""), 422, "Invalid",
        "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes");
    refused(() -> WriteOptionsDecoder.create(query("fieldManager=a%01b"), WriteOptions.INTERNAL_USER, ""), 422, "Invalid",
        "CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Invalid value: \"a\\x01b\": invalid character U+0001 (at position 1)");
  }

  @Test
  void patchOptionsFollowThePatchType() {
    refused(() -> WriteOptionsDecoder.patch(query(""), "application/apply-patch+yaml", WriteOptions.INTERNAL_USER, ""), 422, "Invalid",
        "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch");
    refused(() -> WriteOptionsDecoder.patch(query("force=false"), "application/merge-patch+json", WriteOptions.INTERNAL_USER, ""), 422, "Invalid",
        "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch");
    assertThat(WriteOptionsDecoder.patch(query("fieldManager=kubectl&force=true"), "application/apply-patch+yaml", WriteOptions.INTERNAL_USER, "").dryRun())
        .isFalse();
  }

  // ---- media types ----

  static final String BODY_415 = "the body of the request was in an unknown format - accepted media types include: "
      + "application/json, application/yaml, application/vnd.kubernetes.protobuf";

  @Test
  void bodiesMustBeJsonYamlOrProtobuf() {
    assertThat(MediaTypes.bodyType("application/json; charset=utf-8")).isEqualTo("application/json");
    assertThat(MediaTypes.bodyType("Application/YAML")).isEqualTo("application/yaml");
    assertThat(MediaTypes.bodyType("")).isEqualTo("application/json");
    assertThat(MediaTypes.bodyType("application/vnd.kubernetes.protobuf")).isEqualTo("application/vnd.kubernetes.protobuf");
    refused(() -> MediaTypes.bodyType("text/plain"), 415, "UnsupportedMediaType", BODY_415);
    refused(() -> MediaTypes.bodyType("application/json; charset"), 415, "UnsupportedMediaType", BODY_415);
    refused(() -> MediaTypes.bodyType("application/json; a=1; a=2"), 415, "UnsupportedMediaType", BODY_415);
    refused(() -> MediaTypes.bodyType("/json"), 415, "UnsupportedMediaType", BODY_415);
  }

  @Test
  void patchesMustBeOfAPatchType() {
    assertThat(MediaTypes.patchType("application/merge-patch+json; charset=utf-8")).isEqualTo("application/merge-patch+json");
    assertThat(MediaTypes.patchType("application/apply-patch+yaml")).isEqualTo("application/apply-patch+yaml");
    refused(() -> MediaTypes.patchType("application/json"), 415, "UnsupportedMediaType", "415: Unsupported Media Type");
    refused(() -> MediaTypes.patchType(""), 415, "UnsupportedMediaType", "415: Unsupported Media Type");
    refused(() -> MediaTypes.patchType("application/merge-patch+json ;charset=utf-8"), 415, "UnsupportedMediaType",
        "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, "
            + "application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml");
  }

  @Test
  void answersAreNegotiatedAsClientsAsk() {
    // kubectl get
    assertThat(MediaTypes.negotiate("application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;"
        + "g=meta.k8s.io,application/json", false)).isEqualTo(new MediaTypes.Answer("application/json", true));
    // client-go typed clients, fabric8, the Python client, client-node
    assertThat(MediaTypes.negotiate("application/vnd.kubernetes.protobuf, */*", false)).isEqualTo(MediaTypes.Answer.DEFAULT);
    assertThat(MediaTypes.negotiate("application/json, */*", false)).isEqualTo(MediaTypes.Answer.DEFAULT);
    assertThat(MediaTypes.negotiate("application/json", true)).isEqualTo(MediaTypes.Answer.DEFAULT);
    assertThat(MediaTypes.negotiate("*/*", false)).isEqualTo(MediaTypes.Answer.DEFAULT);
    assertThat(MediaTypes.negotiate("", false)).isEqualTo(MediaTypes.Answer.DEFAULT);
    // the metadata client's PartialObjectMetadata is not written here: its JSON fallback is
    assertThat(MediaTypes.negotiate("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json", false))
        .isEqualTo(MediaTypes.Answer.DEFAULT);
    assertThat(MediaTypes.negotiate("application/yaml", false)).isEqualTo(new MediaTypes.Answer("application/yaml", false));
    assertThat(MediaTypes.negotiate("application/yaml;q=0.5, application/json", false)).isEqualTo(MediaTypes.Answer.DEFAULT);
    assertThat(MediaTypes.negotiate("application/*", false)).isEqualTo(MediaTypes.Answer.DEFAULT);
  }

  @Test
  void anAcceptHeaderWithNothingServableIsNotAcceptable() {
    refused(() -> MediaTypes.negotiate("application/vnd.bogus", false), 406, "NotAcceptable",
        "only the following media types are accepted: application/json, application/yaml");
    refused(() -> MediaTypes.negotiate("text/html", false), 406, "NotAcceptable",
        "only the following media types are accepted: application/json, application/yaml");
    refused(() -> MediaTypes.negotiate("application/json;as=Table;g=meta.k8s.io;v=v2", false), 406, "NotAcceptable",
        "only the following media types are accepted: application/json, application/yaml");
    refused(() -> MediaTypes.negotiate("application/yaml", true), 406, "NotAcceptable",
        "only the following media types are accepted: application/json;stream=watch");
  }

  @Test
  void goQuotesAsStrconvQuote() {
    assertThat(GoStrings.quote("a\"b\\c")).isEqualTo("\"a\\\"b\\\\c\"");
    assertThat(GoStrings.quote("tab\there\u0001\u00a0é")).isEqualTo("\"tab\\there\\x01\\u00a0é\"");
  }
}
