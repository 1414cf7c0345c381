package io.kubeactor.controlplane.security.rbac;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.kubeactor.controlplane.controller.ControllerFixture;
import io.kubeactor.controlplane.controller.clusterroleaggregation.ClusterRoleAggregationController;
import io.kubeactor.controlplane.security.authentication.UserInfo;
import io.kubeactor.controlplane.security.authorization.Attributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The table of authorization cases of the built-in roles: the v1.32 bootstrap policy is reconciled
 * into a real registry, the aggregation controller fills admin, edit and view, and the RBAC
 * authorizer reads it all through the informers, as the API server will. Expectations follow the
 * roles' rules upstream (bootstrappolicy/testdata) and its documented relationships: admin ⊇ edit ⊇
 * view, view without secrets or escalating subresources, the discovery roles for the authenticated.
 */
class BootstrapPolicyAuthorizationTest {

  private static ControllerFixture fixture;
  private static RbacAuthorizer rbac;

  private static final String NS = "team";
  private static final String OTHER_NS = "other";

  @BeforeAll
  static void reconcileThePolicy() throws Exception {
    fixture = new ControllerFixture();
    for (String ns : List.of("kube-public", NS, OTHER_NS)) {
      fixture.apply("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + ns + "\"}}");
    }
    var context = fixture.context;
    new BootstrapPolicyReconciler(context.writer(), context.fresh(), context.informers())
        .reconcile(BootstrapPolicy.load()).toCompletableFuture().get(30, TimeUnit.SECONDS);
    fixture.start(new ClusterRoleAggregationController(context));
    // users bound in the namespace "team" to the aggregated roles, as `kubectl create rolebinding` would
    for (String role : List.of("admin", "edit", "view")) {
      fixture.apply("""
          apiVersion: rbac.authorization.k8s.io/v1
          kind: RoleBinding
          metadata: {name: %1$s-binding, namespace: team}
          roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: %1$s}
          subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: %1$s-user}]
          """.formatted(role));
    }
    // system:node is bound to no one (the Node authorizer's job); this binding tests its rules
    fixture.apply("""
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRoleBinding
        metadata: {name: test-node-rules}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:node}
        subjects: [{apiGroup: rbac.authorization.k8s.io, kind: User, name: node-rules-user}]
        """);
    InformerPolicySource source = new InformerPolicySource(context.informers());
    rbac = new RbacAuthorizer(source);
    // aggregation is done when admin holds what edit and view gather (two rounds: view into edit into admin)
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      ClusterRole admin = source.clusterRole("admin");
      ClusterRole view = source.clusterRole("view");
      return admin != null && view != null && view.getRules().size() == 10 && admin.getRules().size() == 2 + 13 + 10
          && source.role("kube-system", "system::leader-locking-kube-scheduler") != null
          && context.informers().of(ClusterRoleBinding.class).list().size() >= 40
          && context.informers().of(RoleBinding.class).list(NS).size() == 3;
    });
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static final UserInfo MASTER = UserInfo.of("kubernetes-admin", UserInfo.SYSTEM_MASTERS, UserInfo.AUTHENTICATED);
  private static final UserInfo ADMIN = UserInfo.of("admin-user", UserInfo.AUTHENTICATED);
  private static final UserInfo EDIT = UserInfo.of("edit-user", UserInfo.AUTHENTICATED);
  private static final UserInfo VIEW = UserInfo.of("view-user", UserInfo.AUTHENTICATED);
  private static final UserInfo SOMEONE = UserInfo.of("someone", UserInfo.AUTHENTICATED);
  private static final UserInfo ANONYMOUS = UserInfo.of(UserInfo.ANONYMOUS, UserInfo.UNAUTHENTICATED);
  private static final UserInfo NODE = UserInfo.of("system:node:n1", "system:nodes", UserInfo.AUTHENTICATED);
  private static final UserInfo NODE_RULES = UserInfo.of("node-rules-user", UserInfo.AUTHENTICATED);
  private static final UserInfo SCHEDULER = UserInfo.of("system:kube-scheduler", UserInfo.AUTHENTICATED);
  private static final UserInfo CONTROLLER_MANAGER = UserInfo.of("system:kube-controller-manager", UserInfo.AUTHENTICATED);
  private static final UserInfo PROXY = UserInfo.of("system:kube-proxy", UserInfo.AUTHENTICATED);
  private static final UserInfo MONITOR = UserInfo.of("prometheus", "system:monitoring", UserInfo.AUTHENTICATED);
  private static final UserInfo KUBE_DNS = serviceAccount("kube-system", "kube-dns");
  private static final UserInfo DEPLOYMENT_CONTROLLER = serviceAccount("kube-system", "deployment-controller");
  private static final UserInfo HPA_CONTROLLER = serviceAccount("kube-system", "horizontal-pod-autoscaler");
  private static final UserInfo AGGREGATION_CONTROLLER = serviceAccount("kube-system", "clusterrole-aggregation-controller");
  private static final UserInfo NAMESPACE_CONTROLLER = serviceAccount("kube-system", "namespace-controller");

  private static UserInfo serviceAccount(String namespace, String name) {
    return UserInfo.of("system:serviceaccount:" + namespace + ":" + name, "system:serviceaccounts",
        "system:serviceaccounts:" + namespace, UserInfo.AUTHENTICATED);
  }

  /** user, verb, "group/resource[/subresource]" (core: "/pods"), namespace, name, expected. */
  private static Arguments can(UserInfo user, String verb, String resource, String namespace, String name, boolean allowed) {
    return Arguments.of(user.name(), user, verb, resource, namespace, name, allowed);
  }

  private static Arguments canGetPath(UserInfo user, String verb, String path, boolean allowed) {
    return Arguments.of(user.name(), user, verb, path, null, null, allowed);
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        // cluster-admin, through system:masters: everything
        can(MASTER, "delete", "/nodes", "", "n1", true),
        can(MASTER, "escalate", "rbac.authorization.k8s.io/clusterroles", "", "x", true),
        can(MASTER, "create", "/pods/exec", NS, "web", true),
        canGetPath(MASTER, "get", "/metrics", true),
        canGetPath(MASTER, "post", "/anything", true),
        // admin in its namespace: edit's rights plus roles, bindings and local access reviews
        can(ADMIN, "create", "rbac.authorization.k8s.io/rolebindings", NS, "", true),
        can(ADMIN, "delete", "rbac.authorization.k8s.io/roles", NS, "r", true),
        can(ADMIN, "create", "authorization.k8s.io/localsubjectaccessreviews", NS, "", true),
        can(ADMIN, "get", "/secrets", NS, "s", true),
        can(ADMIN, "create", "/pods/exec", NS, "web", true),
        can(ADMIN, "deletecollection", "apps/deployments", NS, "", true),
        can(ADMIN, "get", "/namespaces", NS, NS, true),
        can(ADMIN, "delete", "/namespaces", NS, NS, false),
        can(ADMIN, "update", "/resourcequotas", NS, "q", false),
        can(ADMIN, "get", "/pods", OTHER_NS, "web", false),
        can(ADMIN, "create", "rbac.authorization.k8s.io/clusterroles", "", "", false),
        can(ADMIN, "get", "/nodes", "", "n1", false),
        // edit: workloads, secrets and service accounts, but neither roles nor bindings
        can(EDIT, "create", "apps/deployments", NS, "", true),
        can(EDIT, "update", "apps/deployments/scale", NS, "web", true),
        can(EDIT, "patch", "/services", NS, "web", true),
        can(EDIT, "get", "/secrets", NS, "s", true),
        can(EDIT, "create", "/pods/portforward", NS, "web", true),
        can(EDIT, "create", "/pods/eviction", NS, "web", true),
        can(EDIT, "impersonate", "/serviceaccounts", NS, "default", true),
        can(EDIT, "create", "/serviceaccounts/token", NS, "default", true),
        can(EDIT, "create", "coordination.k8s.io/leases", NS, "", true),
        can(EDIT, "create", "networking.k8s.io/ingresses", NS, "", true),
        can(EDIT, "create", "rbac.authorization.k8s.io/roles", NS, "", false),
        can(EDIT, "create", "authorization.k8s.io/localsubjectaccessreviews", NS, "", false),
        can(EDIT, "create", "/resourcequotas", NS, "", false),
        // view: read-only, and nothing that reads secrets or runs in a pod
        can(VIEW, "get", "/pods", NS, "web", true),
        can(VIEW, "list", "apps/deployments", NS, "", true),
        can(VIEW, "watch", "/events", NS, "", true),
        can(VIEW, "get", "/pods/log", NS, "web", true),
        can(VIEW, "get", "apps/deployments/scale", NS, "web", true),
        can(VIEW, "list", "discovery.k8s.io/endpointslices", NS, "", true),
        can(VIEW, "get", "/secrets", NS, "s", false),
        can(VIEW, "list", "/secrets", NS, "", false),
        can(VIEW, "create", "/pods", NS, "", false),
        can(VIEW, "create", "/pods/exec", NS, "web", false),
        can(VIEW, "get", "/pods/exec", NS, "web", false),
        can(VIEW, "update", "apps/deployments/scale", NS, "web", false),
        can(VIEW, "list", "rbac.authorization.k8s.io/roles", NS, "", false),
        can(VIEW, "get", "/pods", OTHER_NS, "web", false),
        // system:basic-user and system:discovery: every authenticated user
        can(SOMEONE, "create", "authorization.k8s.io/selfsubjectaccessreviews", "", "", true),
        can(SOMEONE, "create", "authorization.k8s.io/selfsubjectrulesreviews", "", "", true),
        can(SOMEONE, "create", "authentication.k8s.io/selfsubjectreviews", "", "", true),
        can(SOMEONE, "create", "authorization.k8s.io/subjectaccessreviews", "", "", false),
        can(SOMEONE, "get", "/pods", NS, "web", false),
        can(SOMEONE, "list", "/namespaces", "", "", false),
        canGetPath(SOMEONE, "get", "/api", true),
        canGetPath(SOMEONE, "get", "/apis/apps/v1", true),
        canGetPath(SOMEONE, "get", "/openapi/v3", true),
        canGetPath(SOMEONE, "get", "/version", true),
        canGetPath(SOMEONE, "get", "/healthz", true),
        canGetPath(SOMEONE, "post", "/api", false),
        canGetPath(SOMEONE, "get", "/metrics", false),
        canGetPath(SOMEONE, "get", "/logs", false),
        // system:public-info-viewer: the unauthenticated see health and version only
        canGetPath(ANONYMOUS, "get", "/healthz", true),
        canGetPath(ANONYMOUS, "get", "/livez", true),
        canGetPath(ANONYMOUS, "get", "/version/", true),
        canGetPath(ANONYMOUS, "get", "/api", false),
        canGetPath(ANONYMOUS, "get", "/healthz/etcd", false),
        can(ANONYMOUS, "create", "authorization.k8s.io/selfsubjectaccessreviews", "", "", false),
        // system:node is bound to no one: a node gets nothing from RBAC ...
        can(NODE, "get", "/pods", NS, "web", false),
        can(NODE, "update", "/nodes/status", "", "n1", false),
        // ... and its rules, when bound, are the kubelet's
        can(NODE_RULES, "get", "/secrets", NS, "s", true),
        can(NODE_RULES, "patch", "/nodes/status", "", "n1", true),
        can(NODE_RULES, "create", "/pods/eviction", NS, "web", true),
        can(NODE_RULES, "update", "coordination.k8s.io/leases", "kube-node-lease", "n1", true),
        can(NODE_RULES, "create", "/serviceaccounts/token", NS, "default", true),
        can(NODE_RULES, "delete", "/nodes", "", "n1", false),
        can(NODE_RULES, "update", "/pods", NS, "web", false),
        can(NODE_RULES, "list", "/secrets", NS, "", true),
        // system:kube-scheduler and system:volume-scheduler
        can(SCHEDULER, "create", "/pods/binding", NS, "web", true),
        can(SCHEDULER, "create", "/bindings", NS, "", true),
        can(SCHEDULER, "delete", "/pods", NS, "web", true),
        can(SCHEDULER, "patch", "/pods/status", NS, "web", true),
        can(SCHEDULER, "patch", "/persistentvolumes", "", "pv1", true),
        can(SCHEDULER, "update", "coordination.k8s.io/leases", "default", "kube-scheduler", true),
        can(SCHEDULER, "update", "coordination.k8s.io/leases", "default", "kube-controller-manager", false),
        // ... and in kube-system the leader-locking Role, for any lease
        can(SCHEDULER, "update", "coordination.k8s.io/leases", "kube-system", "any-lease", true),
        can(SCHEDULER, "update", "/pods", NS, "web", false),
        can(SCHEDULER, "get", "/secrets", NS, "s", false),
        // system:kube-controller-manager
        can(CONTROLLER_MANAGER, "list", "apps/deployments", "", "", true),
        can(CONTROLLER_MANAGER, "watch", "anything.example.com/widgets", "", "", true),
        can(CONTROLLER_MANAGER, "create", "/serviceaccounts/token", NS, "default", true),
        can(CONTROLLER_MANAGER, "get", "/configmaps", "kube-system", "extension-apiserver-authentication", true),
        can(CONTROLLER_MANAGER, "delete", "/pods", NS, "web", false),
        can(CONTROLLER_MANAGER, "get", "/pods", NS, "web", false),
        // system:node-proxier, system:kube-dns, system:monitoring
        can(PROXY, "watch", "discovery.k8s.io/endpointslices", "", "", true),
        can(PROXY, "get", "/nodes", "", "n1", true),
        can(PROXY, "get", "/services", NS, "web", false),
        can(KUBE_DNS, "list", "/endpoints", NS, "", true),
        can(KUBE_DNS, "watch", "/services", "", "", true),
        can(KUBE_DNS, "get", "/services", NS, "web", false),
        canGetPath(MONITOR, "get", "/metrics", true),
        canGetPath(MONITOR, "get", "/readyz/etcd", true),
        canGetPath(MONITOR, "get", "/debug/pprof", false),
        // system:controller:* roles, bound to the controllers' ServiceAccounts in kube-system
        can(DEPLOYMENT_CONTROLLER, "create", "apps/replicasets", NS, "", true),
        can(DEPLOYMENT_CONTROLLER, "update", "apps/deployments/status", NS, "web", true),
        can(DEPLOYMENT_CONTROLLER, "create", "events.k8s.io/events", NS, "", true),
        can(DEPLOYMENT_CONTROLLER, "delete", "apps/deployments", NS, "web", false),
        can(DEPLOYMENT_CONTROLLER, "create", "/pods", NS, "", false),
        can(HPA_CONTROLLER, "update", "apps/deployments/scale", NS, "web", true),
        can(HPA_CONTROLLER, "get", "apps/statefulsets/scale", NS, "db", true),
        can(HPA_CONTROLLER, "list", "metrics.k8s.io/pods", NS, "", true),
        can(HPA_CONTROLLER, "update", "apps/deployments", NS, "web", false),
        can(AGGREGATION_CONTROLLER, "escalate", "rbac.authorization.k8s.io/clusterroles", "", "admin", true),
        can(AGGREGATION_CONTROLLER, "update", "rbac.authorization.k8s.io/clusterrolebindings", "", "x", false),
        can(NAMESPACE_CONTROLLER, "deletecollection", "apps/deployments", NS, "", true),
        can(NAMESPACE_CONTROLLER, "update", "/namespaces/finalize", "", NS, true),
        can(NAMESPACE_CONTROLLER, "create", "/pods", NS, "", false));
  }

  @ParameterizedTest(name = "{0} {2} {3} in \"{4}\" name \"{5}\": {6}")
  @MethodSource("cases")
  void bootstrapRoles(String who, UserInfo user, String verb, String target, String namespace, String name, boolean allowed) {
    Attributes request;
    if (namespace == null) {
      request = Attributes.nonResource(user, verb, target);
    } else {
      String[] parts = target.split("/", 3);
      request = Attributes.resource(user, verb, parts[0], parts[1], parts.length > 2 ? parts[2] : "", namespace, name);
    }
    assertThat(rbac.authorize(request).allowed()).as(rbac.authorize(request).reason()).isEqualTo(allowed);
  }
}
