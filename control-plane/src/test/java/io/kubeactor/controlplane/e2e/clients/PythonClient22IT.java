package io.kubeactor.controlplane.e2e.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.e2e.PythonClient;
import io.kubeactor.controlplane.e2e.ScriptClient;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;

/**
 * The scenario driven by the official Python client as Debian ships it (python3-kubernetes 22.6.0).
 * Its typed patch methods send a list as a JSON patch and anything else as a strategic merge patch;
 * merge and apply patches go through its ApiClient with their content type. It has no informer: its
 * watch, which starts with every object as ADDED and resumes from the last resourceVersion it saw,
 * plays that part.
 */
@DisplayName("Kubernetes Python client (Debian's python3-kubernetes) 22.6.0")
class PythonClient22IT extends ClientScenario implements ClientScenario.InformerSteps {

  private ScriptClient python;

  @Override
  void startClient() throws Exception {
    python = PythonClient.forKubeconfig(kubeconfig);
    assertThat(python.run("import kubernetes; print(kubernetes.__version__)").outOrFail().strip()).isEqualTo("22.6.0");
  }

  /** Reads the kubeconfig and the namespace's name; v1, apps, raw(answer) and the objects' makers. */
  static final String PRELUDE = """
      import json, sys, time
      from kubernetes import client, config, watch
      from kubernetes.stream import stream
      config.load_kube_config(config_file=sys.argv[1])
      ns = sys.argv[2]
      v1 = client.CoreV1Api()
      apps = client.AppsV1Api()

      def raw(response):
          # the object as the server sent it (_preload_content=False)
          return json.loads(response.data)

      def config_map(name, app, data):
          return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name, labels={"app": app}), data=data)

      def web():
          container = client.V1Container(name="web", image="nginx:1.14.2", ports=[client.V1ContainerPort(container_port=80)])
          return client.V1Deployment(
              metadata=client.V1ObjectMeta(name="web", labels={"app": "matrix"}),
              spec=client.V1DeploymentSpec(replicas=2, selector=client.V1LabelSelector(match_labels={"app": "web"}),
                  template=client.V1PodTemplateSpec(metadata=client.V1ObjectMeta(labels={"app": "web"}),
                      spec=client.V1PodSpec(containers=[container]))))

      def event(kind, cm):
          return "%s %s %s" % (kind, cm.metadata.name, cm.data["color"])
      """;

  /** {@link #PRELUDE}, and the namespace made. */
  static final String IN_A_NEW_NAMESPACE = PRELUDE + """
      v1.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=ns)))
      """;

  @Override
  Created createGetAndList(String ns) throws Exception {
    return answer(python.run(IN_A_NEW_NAMESPACE + """
        v1.create_namespaced_config_map(ns, config_map("settings", "matrix", {"color": "blue"}))
        v1.create_namespaced_config_map(ns, config_map("other", "other", {"color": "red"}))
        apps.create_namespaced_deployment(ns, web())
        print(json.dumps({
            "configMap": raw(v1.read_namespaced_config_map("settings", ns, _preload_content=False)),
            "deployment": raw(apps.read_namespaced_deployment("web", ns, _preload_content=False)),
            "labelSelected": [c.metadata.name for c in v1.list_namespaced_config_map(ns, label_selector="app=matrix").items],
            "fieldSelected": [c.metadata.name for c in v1.list_namespaced_config_map(ns, field_selector="metadata.name=other").items],
        }))
        """, ns), Created.class);
  }

  @Override
  List<String> watchFromAListsResourceVersion(String ns) throws Exception {
    return Arrays.asList(answer(python.run(IN_A_NEW_NAMESPACE + """
        rv = v1.list_namespaced_config_map(ns, label_selector="app=matrix").metadata.resource_version
        v1.create_namespaced_config_map(ns, config_map("watched", "matrix", {"color": "blue"}))
        v1.patch_namespaced_config_map("watched", ns, {"data": {"color": "green"}})
        events = []
        w = watch.Watch()
        for e in w.stream(v1.list_namespaced_config_map, ns, label_selector="app=matrix", resource_version=rv, timeout_seconds=30):
            events.append(event(e["type"], e["object"]))
            if len(events) == 2:
                w.stop()
        print(json.dumps(events))
        """, ns), String[].class));
  }

  @Override
  public Informed inform(String ns, Cut cut) throws Exception {
    return informByScript(python, IN_A_NEW_NAMESPACE + """
        import urllib3
        v1.create_namespaced_config_map(ns, config_map("first", "matrix", {"color": "blue"}))
        events, cache, synced = [], {}, None
        w = watch.Watch()
        rv = None
        while len(events) < 4:
            kwargs = {"label_selector": "app=matrix"}
            if rv:
                kwargs["resource_version"] = rv
            try:
                for e in w.stream(v1.list_namespaced_config_map, ns, **kwargs):
                    rv = w.resource_version
                    cm = e["object"]
                    events.append(event(e["type"], cm))
                    if e["type"] == "DELETED":
                        cache.pop(cm.metadata.name, None)
                    else:
                        cache[cm.metadata.name] = cm
                    if synced is None:
                        synced = sorted(cache)
                        print("SYNCED", flush=True)
                    if len(events) == 3:
                        v1.delete_namespaced_config_map("first", ns)
                    if len(events) == 4:
                        w.stop()
            except (urllib3.exceptions.HTTPError, client.rest.ApiException) as cut:
                # the connection was cut: the watch goes on from the last resourceVersion it saw,
                # once the server answers again
                print("cut:", type(cut).__name__, file=sys.stderr, flush=True)
                time.sleep(0.2)
        print(json.dumps({"synced": synced, "events": events, "cached": sorted(cache)}))
        """, ns, cut);
  }

  @Override
  Patched patchEveryWay(String ns) throws Exception {
    return answer(python.run(IN_A_NEW_NAMESPACE + """
        apps.create_namespaced_deployment(ns, web())
        v1.create_namespaced_config_map(ns, config_map("settings", "matrix", {"color": "blue"}))
        # a list is sent as a JSON patch, a dict as a strategic merge patch
        apps.patch_namespaced_deployment("web", ns, [
            {"op": "replace", "path": "/spec/revisionHistoryLimit", "value": 3},
            {"op": "add", "path": "/metadata/labels/json", "value": "patched"}])
        api = client.ApiClient()
        def patch(path, content_type, body, **query):
            api.call_api(path, "PATCH", {"namespace": ns}, list(query.items()),
                {"Content-Type": content_type, "Accept": "application/json"}, body=body,
                auth_settings=["BearerToken"], _return_http_data_only=True)
        patch("/apis/apps/v1/namespaces/{namespace}/deployments/web", "application/merge-patch+json",
            {"metadata": {"labels": {"merge": "patched"}}, "spec": {"minReadySeconds": 5}})
        apps.patch_namespaced_deployment("web", ns,
            {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.16.1"}]}}}})
        patch("/api/v1/namespaces/{namespace}/configmaps/settings", "application/apply-patch+yaml",
            "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: settings}\\ndata: {size: large}\\n", fieldManager="matrix")
        patch("/api/v1/namespaces/{namespace}/configmaps/applied", "application/apply-patch+yaml",
            "apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: applied, labels: {app: matrix}}\\ndata: {source: apply}\\n",
            fieldManager="matrix")
        print(json.dumps({
            "deployment": raw(apps.read_namespaced_deployment("web", ns, _preload_content=False)),
            "settings": raw(v1.read_namespaced_config_map("settings", ns, _preload_content=False)),
            "applied": raw(v1.read_namespaced_config_map("applied", ns, _preload_content=False)),
        }))
        """, ns), Patched.class);
  }

  @Override
  Scaled scaleThroughTheSubresource(String ns) throws Exception {
    return answer(python.run(IN_A_NEW_NAMESPACE + """
        apps.create_namespaced_deployment(ns, web())
        apps.patch_namespaced_deployment_scale("web", ns, {"spec": {"replicas": 3}})
        print(json.dumps({
            "scale": raw(apps.read_namespaced_deployment_scale("web", ns, _preload_content=False)),
            "deployment": raw(apps.read_namespaced_deployment("web", ns, _preload_content=False)),
        }))
        """, ns), Scaled.class);
  }

  @Override
  JsonNode writeAndReadStatus(String ns) throws Exception {
    return answer(python.run(IN_A_NEW_NAMESPACE + """
        v1.create_namespaced_pod(ns, client.V1Pod(metadata=client.V1ObjectMeta(name="runner"),
            spec=client.V1PodSpec(node_name="node-1", containers=[client.V1Container(name="main", image="busybox")])))
        v1.patch_namespaced_pod_status("runner", ns, {"status": {"phase": "Running", "podIP": "10.0.0.7",
            "conditions": [{"type": "Ready", "status": "True"}]}})
        print(json.dumps(raw(v1.read_namespaced_pod_status("runner", ns, _preload_content=False))))
        """, ns), JsonNode.class);
  }

  @Override
  Streamed logsAndExec(String ns, String pod) throws Exception {
    return answer(python.run(PRELUDE + """
        pod = sys.argv[3]
        log = v1.read_namespaced_pod_log(pod, ns)
        def run(command):
            session = stream(v1.connect_get_namespaced_pod_exec, pod, ns, command=command,
                stdin=False, stdout=True, stderr=True, tty=False, _preload_content=False)
            session.run_forever(timeout=30)
            ran = (session.read_stdout(), session.read_stderr(), session.returncode)
            session.close()
            return ran
        echo_out, _, echo_exit = run(["echo", "hello"])
        fail_out, fail_err, fail_exit = run(["fail"])
        print(json.dumps({"log": log, "echoOut": echo_out, "echoExit": echo_exit,
            "failOut": fail_out, "failErr": fail_err, "failExit": fail_exit}))
        """, ns, pod), Streamed.class);
  }
}
