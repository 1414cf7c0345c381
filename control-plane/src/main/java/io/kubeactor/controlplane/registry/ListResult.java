package io.kubeactor.controlplane.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** One page of a list: the items, the resourceVersion they were read at, and the token for the next page (or null). */
public record ListResult(List<ObjectNode> items, long resourceVersion, String continueToken, long remainingItemCount) {}
