package io.kubeactor.agent.runtime;

/**
 * The Docker labels on every container an agent creates, as dockershim set them: they name the pod
 * and container, so an agent rebuilds its view from Docker alone after a restart.
 */
public final class ContainerLabels {
  private ContainerLabels() {}

  /** The node (agent) that owns the container: several agents may share one Docker engine. */
  public static final String NODE = "io.kubeactor.node";
  public static final String POD_NAMESPACE = "io.kubernetes.pod.namespace";
  public static final String POD_NAME = "io.kubernetes.pod.name";
  public static final String POD_UID = "io.kubernetes.pod.uid";
  public static final String CONTAINER_NAME = "io.kubernetes.container.name";
  public static final String RESTART_COUNT = "io.kubernetes.container.restartCount";
  /** "podsandbox" for the pause container that owns the pod's network, "container" otherwise. */
  public static final String TYPE = "io.kubernetes.docker.type";
  public static final String TYPE_SANDBOX = "podsandbox";
  public static final String TYPE_CONTAINER = "container";
  /** The image as the pod's spec names it (Docker shows an id instead once the tag moves). */
  public static final String IMAGE = "io.kubeactor.container.image";
  /** What the container is to its pod: {@link #ROLE_INIT}, {@link #ROLE_EPHEMERAL}, or absent for a regular container. */
  public static final String ROLE = "io.kubeactor.container.role";
  public static final String ROLE_INIT = "init";
  public static final String ROLE_EPHEMERAL = "ephemeral";
}
