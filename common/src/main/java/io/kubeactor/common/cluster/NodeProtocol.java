package io.kubeactor.common.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubeactor.common.CborSerializable;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The messages between the control plane's NodeGateway and the node agents, over Pekko Cluster.
 * API objects travel as JSON trees (the store's form); every message is CBOR-serialized.
 */
public final class NodeProtocol {
  private NodeProtocol() {}

  /** The cluster role of the control-plane process. */
  public static final String CONTROL_PLANE_ROLE = "control-plane";
  /** The cluster role of node agents. */
  public static final String KUBELET_ROLE = "kubelet";

  /** Under this key the control plane's gateway is found through the receptionist. */
  public static final ServiceKey<ToGateway> GATEWAY = ServiceKey.create(ToGateway.class, "node-gateway");

  /** What agents send to the gateway. */
  /** Not sealed: the gateway adds messages of its own (local ones, never sent between processes). */
  public interface ToGateway extends CborSerializable {}

  /**
   * An agent (re)joins: its Node object (metadata, spec and status as the agent sees them), where it
   * serves logs and exec, where pods for it go, and the identity of the data directory it runs from
   * (the same for a restarted agent of the node), and its proof that it is the node (its certificate
   * and signature, see {@link NodeProof}). Answered with {@link Registered}, then with
   * {@link PodsAssigned}; or with {@link Refused} while another live agent has joined under the name,
   * or when the proof fails.
   */
  public record RegisterNode(ObjectNode node, AgentEndpoint endpoint, ActorRef<ToAgent> agent, String dataDirId,
      byte[] certificate, byte[] signature) implements ToGateway {}

  /** Every few seconds: the node's status (conditions with fresh heartbeat times, capacity, images). */
  public record NodeHeartbeat(String nodeName, ObjectNode status) implements ToGateway {}

  /** A pod's status changed on its node. */
  public record PodStatusReport(String namespace, String name, String uid, ObjectNode status) implements ToGateway {}

  /** A pod that was being deleted has no containers left: the gateway completes the deletion. */
  public record PodTerminated(String namespace, String name, String uid) implements ToGateway {}

  /** An event to record (a core/v1 Event without name or timestamps: the gateway completes them). */
  public record EventReport(ObjectNode event) implements ToGateway {}

  /**
   * CPU and memory in use: the node's, measured over {@code windowMillis}, and each running
   * pod's, over the pod's own window (the time since its previous sample, as kubelet's resolution).
   */
  public record UsageReport(String nodeName, long timestampMillis, long windowMillis, Usage node, List<PodUsage> pods)
      implements ToGateway {}

  /** cpu in nanocores, memory in bytes (working set). */
  public record Usage(long nanoCores, long memoryBytes) {}

  public record ContainerUsage(String name, Usage usage) {}

  public record PodUsage(String namespace, String name, long windowMillis, List<ContainerUsage> containers) {}

  /** Reads an object a pod refers to (ConfigMap, Secret, PersistentVolumeClaim, PersistentVolume). */
  public record ReadObject(String kind, String namespace, String name, ActorRef<ObjectRead> replyTo) implements ToGateway {}

  /** The object read, or null when there is none. */
  public record ObjectRead(ObjectNode object) implements CborSerializable {}

  /**
   * A TokenRequest (authentication.k8s.io/v1) for a ServiceAccount, bound to a pod of this node: what
   * kubelet's token manager asks for a projected serviceAccountToken volume.
   */
  public record RequestToken(String namespace, String serviceAccount, ObjectNode tokenRequest, ActorRef<TokenIssued> replyTo)
      implements ToGateway {}

  /** The TokenRequest with its status (token, expirationTimestamp), or why none was issued. */
  public record TokenIssued(ObjectNode tokenRequest, String error) implements CborSerializable {}

  /**
   * Keep {@code subscriber} told of every object of a kind ("Node", "Service", "EndpointSlice"), as
   * a list-and-watch would: {@link ObjectsListed} with all of them now, then {@link ObjectChanged}
   * and {@link ObjectDeleted} in order. A node's own agent needs its Node (its PodCIDR), the service
   * proxy all three kinds. Lasts as long as the subscriber lives.
   */
  public record Subscribe(String kind, ActorRef<ToAgent> subscriber) implements ToGateway {}

  /** What the gateway sends to agents. */
  public sealed interface ToAgent extends CborSerializable {}

  /**
   * The registration took; the gateway watches this agent from now on. {@code session} is where the
   * agent sends everything else: an actor of this node's alone, whose unguessable name only this agent
   * learns (over the cluster's TLS), so that what arrives there is this node's and is held to what a
   * node may do (upstream's Node authorizer and NodeRestriction).
   */
  public record Registered(String nodeName, ActorRef<ToGateway> session) implements ToAgent {}

  /** The node is joined already by another live agent (from another data directory): this one must not run it. */
  public record Refused(String nodeName, String reason) implements ToAgent {}

  /** Every pod bound to the node: sent after registration; the agent reconciles its containers to it. */
  public record PodsAssigned(List<ObjectNode> pods) implements ToAgent {}

  /** A pod bound to the node was created or changed (including its deletion being requested). */
  public record PodAssigned(ObjectNode pod) implements ToAgent {}

  /** A pod is gone from the store: its containers go too. */
  public record PodUnassigned(String namespace, String name, String uid) implements ToAgent {}

  /** Every object of the kind subscribed to, as the store holds them now. */
  public record ObjectsListed(String kind, List<ObjectNode> objects) implements ToAgent {}

  /** An object of a subscribed kind was created or changed. */
  public record ObjectChanged(String kind, ObjectNode object) implements ToAgent {}

  /** An object of a subscribed kind was deleted (its last state). */
  public record ObjectDeleted(String kind, ObjectNode object) implements ToAgent {}

  /**
   * An actor name no other cluster member can guess (128 random bits), for the actors only the
   * control plane and one agent may talk to: the cluster lets every member address every actor whose
   * path it knows, and these paths travel only between the two, over the cluster's TLS.
   */
  public static String unguessableName(String prefix) {
    byte[] random = new byte[16];
    RANDOM.nextBytes(random);
    return prefix + "-" + java.util.HexFormat.of().formatHex(random);
  }

  private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
}
