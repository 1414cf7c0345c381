package io.kubeactor.controlplane.controller.nodeipam;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Node;
import io.kubeactor.common.Json;
import io.kubeactor.controlplane.client.Informer;
import io.kubeactor.controlplane.controller.ControllerContext;
import io.kubeactor.controlplane.controller.Reconciler;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * kube-controller-manager's node IPAM controller with the range allocator: every Node gets a PodCIDR
 * of its own (spec.podCIDR and spec.podCIDRs), cut from the cluster CIDR, which its pods take their
 * addresses from; a deleted Node's block is free again. Keys are node names.
 */
public final class NodeIpamController implements Reconciler {

  private final ControllerContext context;
  private final Informer<Node> nodes;
  private final CidrSet cidrs;
  /** Blocks handed out whose write the informer does not show yet, by node: never given twice meanwhile. */
  private final Map<String, String> pending = new ConcurrentHashMap<>();

  public NodeIpamController(ControllerContext context) {
    this.context = context;
    this.nodes = context.informers().nodes();
    this.cidrs = new CidrSet(context.settings().clusterCidr(), context.settings().nodeCidrMaskSize());
  }

  @Override
  public String name() {
    return "node-ipam-controller";
  }

  @Override
  public void start(Queue queue) {
    queue.watch(nodes, e -> {
      String name = e.object().getMetadata().getName();
      if (e.type() == Informer.EventType.DELETED) {
        pending.remove(name);
        return List.of();
      }
      return podCidr(e.object()).isEmpty() ? List.of(name) : List.of();
    });
  }

  @Override
  public Collection<String> keys() {
    return nodes.list().stream().filter(n -> podCidr(n).isEmpty()).map(n -> n.getMetadata().getName()).toList();
  }

  @Override
  public CompletionStage<Result> reconcile(String name) {
    Node node = nodes.get(name);
    if (node == null || node.getMetadata().getDeletionTimestamp() != null || !podCidr(node).isEmpty()) {
      pending.remove(name);
      return CompletableFuture.completedFuture(Result.done());
    }
    String cidr = pending.get(name);
    if (cidr == null) {
      List<String> taken = new ArrayList<>(pending.values());
      for (Node n : nodes.list()) taken.add(podCidr(n));
      Optional<String> next = cidrs.next(taken);
      if (next.isEmpty()) {
        context.events().record(Json.toTree(node), "Normal", "CIDRNotAvailable",
            "Node " + name + " status is now: CIDRNotAvailable", "cidrAllocator", null);
        return CompletableFuture.completedFuture(Result.requeueAfter(java.time.Duration.ofSeconds(30)));
      }
      cidr = next.get();
      pending.put(name, cidr);
    }
    ObjectNode patch = Json.object();
    ObjectNode spec = patch.putObject("spec");
    spec.put("podCIDR", cidr);
    spec.putArray("podCIDRs").add(cidr);
    String assigned = cidr;
    return context.writer().patch(Node.class, null, name, "application/merge-patch+json", patch)
        .handle((written, error) -> {
          if (error != null) {
            pending.remove(name, assigned);
            context.events().record(Json.toTree(node), "Warning", "CIDRAssignmentFailed",
                "Node " + name + " status is now: CIDRAssignmentFailed", "cidrAllocator", null);
            throw error instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(error);
          }
          pending.remove(name, assigned);
          return Result.done();
        });
  }

  private static String podCidr(Node n) {
    return n.getSpec() == null || n.getSpec().getPodCIDR() == null ? "" : n.getSpec().getPodCIDR();
  }
}
