package io.kubeactor.controlplane.api.apiextensions;

import java.util.List;

/**
 * What a CustomResourceDefinition says about one served version of its kind, beyond where it lives
 * in the REST tree: the structural schema objects are pruned, defaulted and validated against, the
 * subresources and the columns {@code kubectl get} prints.
 *
 * @param definition the CRD's name ("crontabs.stable.example.com")
 * @param schema the version's openAPIV3Schema
 * @param statusSubresource whether .status is written only through /status
 * @param scale the /scale subresource's paths, or null
 * @param printerColumns additionalPrinterColumns (empty: NAME and AGE)
 * @param terminating the CRD is being deleted: no new objects, its objects go
 */
public record CustomResource(String definition, StructuralSchema schema, boolean statusSubresource,
    ScaleSubresource scale, List<PrinterColumn> printerColumns, boolean terminating) {

  /** The finalizer a CRD's deletion adds, which keeps it until its objects are gone. */
  public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

  /** Where a custom resource keeps what its autoscaling/v1 Scale shows, as JSON paths (".spec.replicas"). */
  public record ScaleSubresource(String specReplicasPath, String statusReplicasPath, String labelSelectorPath) {}

  /** One of additionalPrinterColumns: a column of {@code kubectl get} filled from a JSONPath. */
  public record PrinterColumn(String name, String type, String format, String description, int priority,
      String jsonPath) {}
}
