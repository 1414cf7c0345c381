package io.kubeactor.ingress.config;

import java.util.List;
import java.util.Map;

/** The routing nginx.conf is written from: servers (the catch-all first, then by host), upstreams by name. */
record Routes(List<Server> servers, Map<String, Upstream> upstreams) {}
