package io.kubeactor.agent.probe;

/** The three probes a container may have; their names as kubelet's events spell them. */
public enum ProbeKind {
  LIVENESS("Liveness"), READINESS("Readiness"), STARTUP("Startup");

  public final String title;

  ProbeKind(String title) {
    this.title = title;
  }
}
