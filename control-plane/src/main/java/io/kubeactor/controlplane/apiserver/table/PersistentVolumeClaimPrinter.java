package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * PersistentVolumeClaims: NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS
 * VOLUMEATTRIBUTESCLASS AGE | VOLUMEMODE (printPersistentVolumeClaim).
 */
final class PersistentVolumeClaimPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Status", "phase represents the current phase of PersistentVolumeClaim."),
      Column.string("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
      Column.string("Capacity", "capacity represents the actual resources of the underlying volume."),
      Column.string("Access Modes", "accessModes contains the actual access modes the volume backing"
          + " the PVC has."),
      Column.string("StorageClass", "StorageClass of the pvc"),
      Column.string("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
      Column.AGE,
      Column.string("VolumeMode", "volumeMode defines what type of volume is required by the claim.").wide());

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode pvc) {
    JsonNode spec = pvc.path("spec");
    JsonNode status = pvc.path("status");
    String phase = Cells.isDeleting(pvc) ? "Terminating" : text(status, "phase", "Pending");
    String volume = text(spec, "volumeName");
    // capacity and access modes are the bound volume's, shown once the claim names one
    String capacity = volume.isEmpty() ? "" : Cells.quantity(status.path("capacity").path("storage"));
    String accessModes = volume.isEmpty() ? "" : Cells.accessModes(status.path("accessModes"));
    return List.of(Cells.name(pvc), phase, volume, capacity, accessModes,
        PersistentVolumePrinter.storageClass(pvc), text(spec, "volumeAttributesClassName", "<unset>"),
        Cells.age(pvc), text(spec, "volumeMode", "Filesystem"));
  }
}
