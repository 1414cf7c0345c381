package io.kubeactor.controlplane.scheduler;

/** A preferred pod (anti-)affinity term and its weight (1..100). */
record WeightedAffinityTerm(AffinityTerm term, int weight) {}
