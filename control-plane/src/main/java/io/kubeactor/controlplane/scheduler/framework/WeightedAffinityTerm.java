package io.kubeactor.controlplane.scheduler.framework;

/** A preferred pod (anti-)affinity term and its weight (1..100). */
public record WeightedAffinityTerm(AffinityTerm term, int weight) {}
