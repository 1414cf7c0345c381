package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * PersistentVolumes: NAME CAPACITY ACCESS MODES RECLAIM POLICY STATUS CLAIM STORAGECLASS
 * VOLUMEATTRIBUTESCLASS REASON AGE | VOLUMEMODE (printPersistentVolume).
 */
final class PersistentVolumePrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
      Column.string("Access Modes", "accessModes contains all ways the volume can be mounted."),
      Column.string("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a"
          + " persistent volume when released from its claim."),
      Column.string("Status", "phase indicates if a volume is available, bound to a claim, or"
          + " released by a claim."),
      Column.string("Claim", "claimRef is part of a bi-directional binding between"
          + " PersistentVolume and PersistentVolumeClaim."),
      Column.string("StorageClass", "StorageClass of the pv"),
      Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
      Column.string("Reason", "reason is a brief CamelCase string that describes any failure and is"
          + " meant for machine parsing and tidy display in the CLI."),
      Column.AGE,
      Column.string("VolumeMode", "volumeMode defines if a volume is intended to be used with a"
          + " formatted filesystem or to remain in raw block state.").wide());

  /** The beta annotation that still overrides spec.storageClassName. */
  static final String BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class";

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode pv) {
    JsonNode spec = pv.path("spec");
    JsonNode status = pv.path("status");
    JsonNode claimRef = spec.path("claimRef");
    String claim = claimRef.isObject() ? text(claimRef, "namespace") + "/" + text(claimRef, "name") : "";
    // phase, reclaim policy and volume mode as the API server defaults them
    String phase = Cells.isDeleting(pv) ? "Terminating" : text(status, "phase", "Pending");
    return List.of(Cells.name(pv), Cells.quantity(spec.path("capacity").path("storage")),
        Cells.accessModes(spec.path("accessModes")), text(spec, "persistentVolumeReclaimPolicy", "Retain"),
        phase, claim, storageClass(pv), text(spec, "volumeAttributesClassName", "<unset>"),
        text(status, "reason"), Cells.age(pv), text(spec, "volumeMode", "Filesystem"));
  }

  /** The beta annotation if present, else spec.storageClassName. */
  static String storageClass(JsonNode volumeOrClaim) {
    JsonNode annotation = volumeOrClaim.path("metadata").path("annotations").path(BETA_STORAGE_CLASS);
    return annotation.isTextual() ? annotation.asText() : text(volumeOrClaim.path("spec"), "storageClassName");
  }
}
