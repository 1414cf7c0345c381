package io.kubeactor.controlplane.apiserver.table;

import static io.kubeactor.controlplane.apiserver.table.Cells.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * StorageClasses: NAME PROVISIONER RECLAIMPOLICY VOLUMEBINDINGMODE ALLOWVOLUMEEXPANSION AGE; the
 * default class is named "standard (default)" (printStorageClass).
 */
final class StorageClassPrinter implements TablePrinter {

  private static final List<Column> COLUMNS = List.of(
      Column.NAME,
      Column.string("Provisioner", "provisioner indicates the type of the provisioner."),
      Column.string("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically"
          + " provisioned PersistentVolumes of this storage class. Defaults to Delete."),
      Column.string("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims"
          + " should be provisioned and bound. When unset, VolumeBindingImmediate is used."),
      Column.string("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class"
          + " allow volume expand."),
      Column.AGE);

  private static final List<String> DEFAULT_CLASS_ANNOTATIONS = List.of(
      "storageclass.kubernetes.io/is-default-class", "storageclass.beta.kubernetes.io/is-default-class");

  @Override
  public List<Column> columns() {
    return COLUMNS;
  }

  @Override
  public List<Object> cells(JsonNode storageClass) {
    JsonNode annotations = storageClass.path("metadata").path("annotations");
    boolean isDefault = DEFAULT_CLASS_ANNOTATIONS.stream().anyMatch(a -> text(annotations, a).equals("true"));
    String name = Cells.name(storageClass) + (isDefault ? " (default)" : "");
    return List.of(name, text(storageClass, "provisioner"), text(storageClass, "reclaimPolicy", "Delete"),
        text(storageClass, "volumeBindingMode", "Immediate"),
        storageClass.path("allowVolumeExpansion").asBoolean(false), Cells.age(storageClass));
  }
}
