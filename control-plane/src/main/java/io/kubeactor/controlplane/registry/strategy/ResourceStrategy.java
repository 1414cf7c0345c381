package io.kubeactor.controlplane.registry.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.controlplane.api.ApiException;
import io.kubeactor.controlplane.api.ResourceType;
import io.kubeactor.controlplane.api.Syntax;
import io.kubeactor.controlplane.registry.admission.AdmissionSettings;
import io.kubeactor.controlplane.registry.admission.FieldErrors;
import io.kubeactor.controlplane.registry.admission.MetadataValidation;
import io.kubeactor.controlplane.registry.service.ServiceStorage;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import java.time.Instant;
import java.util.List;

/**
 * What one kind adds to the generic registry's create, update and delete, as kube-apiserver's
 * rest.RESTCreateStrategy, RESTUpdateStrategy and RESTGracefulDeleteStrategy, the kind's status
 * strategy, its admission plugins and its REST storage's hooks. Every method has the default of a
 * kind without rules of its own ({@link DefaultStrategy}); a kind with rules overrides what it
 * needs. Strategies are stateless singletons: what they need of the cluster comes as arguments.
 * Whether a kind is namespaced, and which subresources it has, is its {@link ResourceType}'s.
 *
 * <p>The registry calls them in this order. Create: {@link #prepareForCreate}, {@link
 * #applyDefaults}, {@link #admit}, {@link #beginCreate}, {@link #fieldErrors}, {@link
 * #completeCreate}. Update of the object: the change (keeping the status if {@link
 * #updateKeepsStatus}), {@link #applyDefaults}, {@link #beginUpdate}, {@link #fieldErrors}, the
 * generation ({@link #countsAsNewGeneration}), {@link #completeUpdate}. Update of the status or
 * another subresource: the change ({@link #prepareSubresourceUpdate}), {@link #applyDefaults} if {@link
 * #defaultsStatusUpdates}, {@link
 * #statusFieldErrors}, the generation, {@link #completeUpdate}.
 */
public interface ResourceStrategy {

  /** Whether metadata.generation counts the changes of the spec: 1 on create, one more per change. */
  default boolean tracksGeneration() {
    return false;
  }

  /** The kind's ValidateNameFunc: what metadata.name (and generateName) must be. */
  default Syntax.NameRule nameRule() {
    return Syntax.NameRule.DNS1123_SUBDOMAIN;
  }

  // ---- create ----

  /**
   * PrepareForCreate: what a client may not set on a new object. By default its status goes, if
   * the status is a subresource (set by controllers, not by the object's creator).
   */
  default void prepareForCreate(ResourceType type, ObjectNode object) {
    if (type.hasSubresource("status")) object.remove("status");
  }

  /**
   * PrepareForCreate of a kind that records its creator (a CertificateSigningRequest's
   * spec.username); {@code user} is null when unknown. By default the user plays no part.
   */
  default void prepareForCreate(ResourceType type, ObjectNode object, UserInfo user) {
    prepareForCreate(type, object);
  }

  /**
   * The kind's defaults (pkg/apis/GROUP/v1/defaults.go), applied to every created and updated
   * object after decoding; {@code type} is the version the object is written in.
   */
  default void applyDefaults(ResourceType type, ObjectNode object, AdmissionSettings settings) {}

  /**
   * The mutating admission plugins that act on a new object of the kind, after defaulting and
   * before validation, as kube-apiserver runs them.
   */
  default void admit(ObjectNode object, AdmissionReads cluster) {}

  /** {@link #admit(ObjectNode, AdmissionReads)} for the plugins that the cluster's admission settings switch. */
  default void admit(ObjectNode object, AdmissionReads cluster, AdmissionSettings settings) {
    admit(object, cluster);
  }

  /**
   * The REST storage's BeginCreate: what is allocated for a new object before it is validated,
   * held until the write is answered (the registry closes it).
   */
  default ServiceStorage.Allocation beginCreate(ObjectNode object, boolean dryRun, ServiceStorage services) {
    return ServiceStorage.Allocation.NONE;
  }

  /** Validate: the kind's rules for a new object, past those of its metadata. */
  default void validate(ObjectNode object, FieldErrors errors) {}

  /**
   * WarningsOnCreate and WarningsOnUpdate (old null on create): what the client is told of a valid
   * object, as Warning headers (kubectl prints "Warning: ...").
   */
  default List<String> warnings(ObjectNode object, ObjectNode old) {
    return List.of();
  }

  /** What the kind derives once a new object is admitted, just before it is stored. */
  default void completeCreate(ObjectNode object) {}

  // ---- update ----

  /**
   * Whether an update of the object (not of its status) keeps the stored status, as a status
   * subresource's kinds do: what the client sent as status is ignored.
   */
  default boolean updateKeepsStatus(ResourceType type) {
    return type.hasSubresource("status");
  }

  /**
   * The REST storage's BeginUpdate and the strategy's PrepareForUpdate: what a change allocates,
   * held until the write is answered, and what it drops, before the object is validated.
   */
  default ServiceStorage.Allocation beginUpdate(ObjectNode object, ObjectNode old, boolean dryRun, ServiceStorage services) {
    return ServiceStorage.Allocation.NONE;
  }

  /** ValidateUpdate: the kind's rules for a changed object, past those of its metadata. */
  default void validateUpdate(ObjectNode object, ObjectNode old, FieldErrors errors) {
    validate(object, errors);
  }

  /**
   * Whether a change besides one of the spec or the start of the deletion counts as a new
   * generation (of a kind that {@link #tracksGeneration}).
   */
  default boolean countsAsNewGeneration(ObjectNode desired, ObjectNode current) {
    return false;
  }

  /** What the kind derives on every update (of the object or a subresource), once the generation is counted. */
  default void completeUpdate(ObjectNode desired, ObjectNode current) {}

  /** Whether an update of the status is defaulted as the object is (the status strategy's). */
  default boolean defaultsStatusUpdates() {
    return false;
  }

  /** {@link #defaultsStatusUpdates()} of a kind whose subresources are defaulted apart (a pod's ephemeral containers). */
  default boolean defaultsStatusUpdates(String subresource) {
    return defaultsStatusUpdates();
  }

  /**
   * The status strategy's ValidateUpdate: the field errors of a status update, empty if valid.
   * Most kinds' status has no rules, and their status updates allocate nothing here.
   */
  default List<ApiException.Cause> statusFieldErrors(ObjectNode object, ObjectNode old) {
    return List.of();
  }

  /**
   * {@link #statusFieldErrors(ObjectNode, ObjectNode)} of a kind whose subresources have rules of
   * their own (a CertificateSigningRequest's status and approval).
   */
  default List<ApiException.Cause> statusFieldErrors(String subresource, ObjectNode object, ObjectNode old) {
    return statusFieldErrors(object, old);
  }

  /**
   * The PrepareForUpdate of a subresource's strategy that the kind has of its own: the object an
   * update of {@code subresource} asks for, from the stored one and the request; null when the kind
   * leaves that subresource to the registry (a status replaced as sent).
   */
  default ObjectNode prepareSubresourceUpdate(String subresource, ObjectNode current, ObjectNode requested, Instant now) {
    return null;
  }

  /**
   * Subresources, besides status, that update a part of the object (a CertificateSigningRequest's
   * approval, a pod's resources and ephemeral containers).
   */
  default boolean hasUpdatableSubresource(String subresource) {
    return false;
  }

  /** A status strategy's ValidateUpdate of a kind with status rules: the metadata's update rules, then the kind's. */
  static List<ApiException.Cause> statusUpdateErrors(ObjectNode object, ObjectNode old,
      java.util.function.BiConsumer<JsonNode, FieldErrors> statusRules) {
    FieldErrors errors = new FieldErrors();
    MetadataValidation.update(object.path("metadata"), old.path("metadata"), errors);
    statusRules.accept(object, errors);
    return errors.causes();
  }

  // ---- validation of the whole object ----

  /**
   * The field errors of an object about to be stored (old null on create), in Kubernetes' order: its
   * metadata (under the kind's {@link #nameRule} on create), the kind's {@link #validate} or {@link
   * #validateUpdate}, then the owner references of a pod template it holds. Empty if valid. Kinds
   * add their rules through those two methods, not here.
   */
  default List<ApiException.Cause> fieldErrors(ResourceType type, ObjectNode object, ObjectNode old) {
    FieldErrors errors = new FieldErrors();
    JsonNode meta = object.path("metadata");
    if (old == null) {
      MetadataValidation.create(meta, type.namespaced(), nameRule(), errors);
      validate(object, errors);
    } else {
      MetadataValidation.update(meta, old.path("metadata"), errors);
      validateUpdate(object, old, errors);
    }
    MetadataValidation.templateOwnerReferences(object, errors);
    return errors.causes();
  }

  // ---- delete ----

  /**
   * CheckGracefulDelete: the grace period of a deletion, given the one the client asked for (null
   * if none). 0 deletes at once.
   */
  default long gracePeriodSeconds(ObjectNode current, Long requested) {
    return 0;
  }

  /**
   * A finalizer a deletion adds, which the kind's controller removes once what the object stands
   * for is gone (a CustomResourceDefinition's objects); null for most kinds.
   */
  default String finalizerOnDelete() {
    return null;
  }

  /** Whether deleting an object of the kind deletes everything it contains first, as a Namespace. */
  default boolean deletesContents() {
    return false;
  }

  /** Whether the Endpoints of the same name go with an object of the kind (the Service storage's AfterDelete). */
  default boolean deletesItsEndpoints() {
    return false;
  }
}
