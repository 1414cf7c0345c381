package io.kubeactor.controlplane.apiserver.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What Kubernetes' Go types add to the protobuf schema when an object is written as JSON.
 *
 * <p>The generated.proto files cannot say it: client-go (gogo protobuf) writes every non-pointer
 * field, zero or not, so a field present on the wire may still be absent from Kubernetes' JSON,
 * and some message fields are inlined or renamed there. The facts below were read from the struct
 * fields and tags of the Kubernetes v1.32 API types (the Go type data of kubectl 1.32), for the
 * proto packages in {@link KindSchemas}.
 */
final class GoFieldRules {
  private GoFieldRules() {}

  /**
   * Scalar fields whose zero value Kubernetes' JSON keeps: Go pointers ({@code replicas: 0} differs
   * from unset) and fields without {@code omitempty} ({@code containerPort}). Every other scalar
   * field is left out when zero, as {@code omitempty} does. Lines: a proto package, then its
   * messages, each followed by such fields.
   */
  private static final String ZERO_KEEPING_FIELDS = """
      k8s.io.api.apps.v1
        ControllerRevision revision
        DaemonSetCondition type status
        DaemonSetSpec revisionHistoryLimit
        DaemonSetStatus currentNumberScheduled numberMisscheduled desiredNumberScheduled numberReady
        DaemonSetStatus collisionCount
        DeploymentCondition type status
        DeploymentSpec replicas revisionHistoryLimit progressDeadlineSeconds
        DeploymentStatus collisionCount
        ReplicaSetCondition type status
        ReplicaSetSpec replicas
        ReplicaSetStatus replicas
        RollingUpdateStatefulSetStrategy partition
        StatefulSetCondition type status
        StatefulSetOrdinals start
        StatefulSetSpec replicas serviceName revisionHistoryLimit
        StatefulSetStatus replicas collisionCount availableReplicas
      k8s.io.api.authentication.v1
        TokenRequestSpec expirationSeconds
        TokenRequestStatus token
      k8s.io.api.authorization.v1
        SubjectAccessReviewStatus allowed
        SubjectRulesReviewStatus incomplete
      k8s.io.api.autoscaling.v1
        ContainerResourceMetricSource name targetAverageUtilization container
        ContainerResourceMetricStatus name currentAverageUtilization container
        CrossVersionObjectReference kind name
        ExternalMetricSource metricName
        ExternalMetricStatus metricName
        HorizontalPodAutoscalerCondition type status
        HorizontalPodAutoscalerSpec minReplicas maxReplicas targetCPUUtilizationPercentage
        HorizontalPodAutoscalerStatus observedGeneration currentReplicas desiredReplicas
        HorizontalPodAutoscalerStatus currentCPUUtilizationPercentage
        MetricSpec type
        MetricStatus type
        ObjectMetricSource metricName
        ObjectMetricStatus metricName
        PodsMetricSource metricName
        PodsMetricStatus metricName
        ResourceMetricSource name targetAverageUtilization
        ResourceMetricStatus name currentAverageUtilization
        ScaleStatus replicas
      k8s.io.api.batch.v1
        CronJobSpec schedule timeZone startingDeadlineSeconds suspend successfulJobsHistoryLimit
        CronJobSpec failedJobsHistoryLimit
        JobCondition type status
        JobSpec parallelism completions activeDeadlineSeconds backoffLimit backoffLimitPerIndex
        JobSpec maxFailedIndexes manualSelector ttlSecondsAfterFinished completionMode suspend
        JobSpec podReplacementPolicy managedBy
        JobStatus terminating failedIndexes ready
        PodFailurePolicyOnExitCodesRequirement containerName operator
        PodFailurePolicyOnPodConditionsPattern type status
        PodFailurePolicyRule action
        SuccessPolicyRule succeededIndexes succeededCount
      k8s.io.api.certificates.v1
        CertificateSigningRequestCondition type status
        CertificateSigningRequestSpec signerName expirationSeconds
      k8s.io.api.core.v1
        AWSElasticBlockStoreVolumeSource volumeID
        AppArmorProfile type localhostProfile
        AttachedVolume name devicePath
        AzureDiskVolumeSource diskName diskURI cachingMode fsType readOnly kind
        AzureFilePersistentVolumeSource secretName shareName secretNamespace
        AzureFileVolumeSource secretName shareName
        CSIPersistentVolumeSource driver volumeHandle
        CSIVolumeSource driver readOnly fsType
        CinderPersistentVolumeSource volumeID
        CinderVolumeSource volumeID
        ClientIPConfig timeoutSeconds
        ClusterTrustBundleProjection name signerName optional path
        ComponentCondition type status
        ConfigMap immutable
        ConfigMapEnvSource optional
        ConfigMapKeySelector key optional
        ConfigMapNodeConfigSource namespace name kubeletConfigKey
        ConfigMapProjection optional
        ConfigMapVolumeSource defaultMode optional
        Container name restartPolicy
        ContainerPort containerPort
        ContainerResizePolicy resourceName restartPolicy
        ContainerStateTerminated exitCode
        ContainerStatus name ready restartCount image imageID started
        DaemonEndpoint Port
        DownwardAPIVolumeFile path mode
        DownwardAPIVolumeSource defaultMode
        EndpointAddress ip nodeName
        EndpointPort port appProtocol
        EnvVar name
        EphemeralContainerCommon name restartPolicy
        Event reportingComponent reportingInstance
        FCVolumeSource lun
        FlexPersistentVolumeSource driver
        FlexVolumeSource driver
        GCEPersistentDiskVolumeSource pdName
        GRPCAction port service
        GitRepoVolumeSource repository
        GlusterfsPersistentVolumeSource endpoints path endpointsNamespace
        GlusterfsVolumeSource endpoints path
        HTTPHeader name value
        HostAlias ip
        HostIP ip
        HostPathVolumeSource path type
        ISCSIPersistentVolumeSource targetPortal iqn lun initiatorName
        ISCSIVolumeSource targetPortal iqn lun initiatorName
        KeyToPath key path mode
        LimitRangeItem type
        LoadBalancerIngress ipMode
        LocalVolumeSource path fsType
        ModifyVolumeStatus status
        NFSVolumeSource server path
        NamespaceCondition type status
        NodeAddress type address
        NodeCondition type status
        NodeRuntimeHandler name
        NodeRuntimeHandlerFeatures recursiveReadOnlyMounts
        NodeSelectorRequirement key operator
        NodeSystemInfo machineID systemUUID bootID kernelVersion osImage containerRuntimeVersion
        NodeSystemInfo kubeletVersion kubeProxyVersion operatingSystem architecture
        ObjectFieldSelector fieldPath
        PersistentVolumeClaimCondition type status
        PersistentVolumeClaimSpec storageClassName volumeMode volumeAttributesClassName
        PersistentVolumeClaimStatus currentVolumeAttributesClassName
        PersistentVolumeClaimVolumeSource claimName
        PersistentVolumeSpec volumeMode volumeAttributesClassName
        PhotonPersistentDiskVolumeSource pdID
        PodAffinityTerm topologyKey
        PodCondition type status
        PodDNSConfigOption value
        PodIP ip
        PodLogOptions sinceSeconds tailLines limitBytes
        PodOS name
        PodReadinessGate conditionType
        PodResourceClaim name
        PodResourceClaimStatus name resourceClaimName
        PodSchedulingGate name
        PodSecurityContext runAsUser runAsGroup runAsNonRoot fsGroup fsGroupChangePolicy
        PodSpec terminationGracePeriodSeconds activeDeadlineSeconds automountServiceAccountToken
        PodSpec shareProcessNamespace priority runtimeClassName enableServiceLinks preemptionPolicy
        PodSpec setHostnameAsFQDN hostUsers
        PortStatus port protocol error
        PortworxVolumeSource volumeID
        Preconditions uid
        PreferredSchedulingTerm weight
        Probe terminationGracePeriodSeconds
        ProjectedVolumeSource defaultMode
        QuobyteVolumeSource registry volume
        RBDPersistentVolumeSource image
        RBDVolumeSource image
        RangeAllocation range
        ReplicationControllerCondition type status
        ReplicationControllerSpec replicas
        ReplicationControllerStatus replicas
        ResourceClaim name
        ResourceFieldSelector resource
        ScaleIOPersistentVolumeSource gateway system
        ScaleIOVolumeSource gateway system
        ScopedResourceSelectorRequirement scopeName operator
        SeccompProfile type localhostProfile
        Secret immutable
        SecretEnvSource optional
        SecretKeySelector key optional
        SecretProjection optional
        SecretVolumeSource defaultMode optional
        SecurityContext privileged runAsUser runAsGroup runAsNonRoot readOnlyRootFilesystem
        SecurityContext allowPrivilegeEscalation procMount
        ServiceAccount automountServiceAccountToken
        ServiceAccountTokenProjection expirationSeconds path
        ServicePort appProtocol port
        ServiceSpec ipFamilyPolicy allocateLoadBalancerNodePorts loadBalancerClass
        ServiceSpec internalTrafficPolicy trafficDistribution
        SleepAction seconds
        Sysctl name value
        Taint key effect
        Toleration tolerationSeconds
        TopologySelectorLabelRequirement key
        TopologySpreadConstraint maxSkew topologyKey whenUnsatisfiable minDomains nodeAffinityPolicy
        TopologySpreadConstraint nodeTaintsPolicy
        TypedLocalObjectReference apiGroup kind name
        TypedObjectReference apiGroup kind name namespace
        Volume name
        VolumeDevice name devicePath
        VolumeMount name recursiveReadOnly mountPath mountPropagation
        VolumeMountStatus name mountPath recursiveReadOnly
        VsphereVirtualDiskVolumeSource volumePath
        WeightedPodAffinityTerm weight
        WindowsSecurityContextOptions gmsaCredentialSpecName gmsaCredentialSpec runAsUserName
        WindowsSecurityContextOptions hostProcess
      k8s.io.api.networking.v1
        HTTPIngressPath pathType
        IPBlock cidr
        IngressClassParametersReference aPIGroup kind name scope namespace
        IngressPortStatus port protocol error
        IngressServiceBackend name
        IngressSpec ingressClassName
        NetworkPolicyPort protocol endPort
      k8s.io.api.policy.v1
        PodDisruptionBudgetSpec unhealthyPodEvictionPolicy
        PodDisruptionBudgetStatus disruptionsAllowed currentHealthy desiredHealthy expectedPods
      k8s.io.api.rbac.v1
        RoleRef apiGroup kind name
        Subject kind name
      k8s.io.api.scheduling.v1
        PriorityClass value preemptionPolicy
      k8s.io.api.storage.v1
        CSIDriverSpec attachRequired podInfoOnMount storageCapacity fsGroupPolicy requiresRepublish
        CSIDriverSpec seLinuxMount
        CSINodeDriver name nodeID
        CSIStorageCapacity storageClassName
        StorageClass provisioner reclaimPolicy allowVolumeExpansion volumeBindingMode
        TokenRequest audience expirationSeconds
        VolumeAttachmentSource persistentVolumeName
        VolumeAttachmentSpec attacher nodeName
        VolumeAttachmentStatus attached
        VolumeNodeResources count
      k8s.io.apimachinery.pkg.apis.meta.v1
        APIGroup name
        APIResource name singularName namespaced kind
        APIResourceList groupVersion
        ApplyOptions force fieldManager
        Condition type status reason message
        DeleteOptions gracePeriodSeconds orphanDependents propagationPolicy
        GroupKind group kind
        GroupResource group resource
        GroupVersion group version
        GroupVersionForDiscovery groupVersion version
        GroupVersionKind group version kind
        GroupVersionResource group version resource
        LabelSelectorRequirement key operator
        ListMeta remainingItemCount
        ListOptions timeoutSeconds sendInitialEvents
        ObjectMeta deletionGracePeriodSeconds
        OwnerReference apiVersion kind name uid controller blockOwnerDeletion
        PatchOptions force
        Preconditions uid resourceVersion
        ServerAddressByClientCIDR clientCIDR serverAddress
        Timestamp seconds nanos
        WatchEvent type
      """;

  /** Embedded Go structs ({@code json:",inline"}) whose fields Kubernetes' JSON lifts into the parent. */
  private static final Set<String> INLINED = Set.of(
      "k8s.io.api.core.v1.ConfigMapEnvSource.localObjectReference",
      "k8s.io.api.core.v1.ConfigMapKeySelector.localObjectReference",
      "k8s.io.api.core.v1.ConfigMapProjection.localObjectReference",
      "k8s.io.api.core.v1.ConfigMapVolumeSource.localObjectReference",
      "k8s.io.api.core.v1.EphemeralContainer.ephemeralContainerCommon",
      "k8s.io.api.core.v1.PersistentVolumeSpec.persistentVolumeSource",
      "k8s.io.api.core.v1.Probe.handler",
      "k8s.io.api.core.v1.SecretEnvSource.localObjectReference",
      "k8s.io.api.core.v1.SecretKeySelector.localObjectReference",
      "k8s.io.api.core.v1.SecretProjection.localObjectReference",
      "k8s.io.api.core.v1.Volume.volumeSource",
      "k8s.io.api.networking.v1.IngressRule.ingressRuleValue");

  /** The few fields whose JSON name is not their proto name. */
  private static final Map<String, String> RENAMED = Map.of(
      "k8s.io.api.authentication.v1.BoundObjectReference.uID", "uid",
      "k8s.io.api.networking.v1.IngressClassParametersReference.aPIGroup", "apiGroup");

  /** Messages wrapping a Go string slice type ({@code Verbs}, {@code ExtraValue}): JSON arrays. */
  private static final Set<String> STRING_SLICES = Set.of(
      "k8s.io.apimachinery.pkg.apis.meta.v1.Verbs",
      "k8s.io.api.authentication.v1.ExtraValue",
      "k8s.io.api.authorization.v1.ExtraValue",
      "k8s.io.api.certificates.v1.ExtraValue");

  private static final Map<String, Set<String>> ZERO_KEEPING = parse(ZERO_KEEPING_FIELDS);

  static boolean keepsZero(FieldDescriptor field) {
    return ZERO_KEEPING.getOrDefault(field.getContainingType().getFullName(), Set.of()).contains(field.getName());
  }

  static boolean isInlined(FieldDescriptor field) {
    return INLINED.contains(field.getFullName());
  }

  static String jsonName(FieldDescriptor field) {
    return RENAMED.getOrDefault(field.getFullName(), field.getName());
  }

  static boolean isStringSlice(Descriptor message) {
    return STRING_SLICES.contains(message.getFullName());
  }

  /** Every field named by these rules, to check them against the schema. */
  static Set<String> namedFields() {
    Set<String> all = new HashSet<>(INLINED);
    all.addAll(RENAMED.keySet());
    ZERO_KEEPING.forEach((message, fields) -> fields.forEach(field -> all.add(message + "." + field)));
    return all;
  }

  private static Map<String, Set<String>> parse(String table) {
    Map<String, Set<String>> byMessage = new HashMap<>();
    String protoPackage = null;
    for (String line : table.lines().toList()) {
      if (line.isBlank()) continue;
      if (!line.startsWith(" ")) {
        protoPackage = line.strip();
        continue;
      }
      String[] words = line.strip().split(" ");
      Set<String> fields = byMessage.computeIfAbsent(protoPackage + "." + words[0], message -> new HashSet<>());
      for (int i = 1; i < words.length; i++) fields.add(words[i]);
    }
    return byMessage;
  }
}
