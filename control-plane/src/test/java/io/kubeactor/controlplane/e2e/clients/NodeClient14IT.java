package io.kubeactor.controlplane.e2e.clients;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubeactor.controlplane.e2e.NodeClient;
import io.kubeactor.controlplane.e2e.ScriptClient;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;

/**
 * The scenario driven by the official JavaScript client, @kubernetes/client-node 1.4.0 from npm, on
 * Node.js (scripts/ensure-node-client.sh installs it). Its informer stops at an error of its watch
 * and is started again by its user, as the client's documentation shows; it then lists again.
 */
@DisplayName("Kubernetes JavaScript client (@kubernetes/client-node) 1.4.0")
class NodeClient14IT extends ClientScenario implements ClientScenario.InformerSteps {

  private ScriptClient node;

  @Override
  void startClient() throws Exception {
    node = NodeClient.forKubeconfig(kubeconfig, "1.4.0");
  }

  /** Reads the kubeconfig and the namespace's name; v1, apps, patchAs(strategy) and the objects' makers. */
  static final String PRELUDE = """
      import * as k8s from '@kubernetes/client-node';
      import { Writable } from 'node:stream';
      const kc = new k8s.KubeConfig();
      kc.loadFromFile(process.argv[2]);
      const ns = process.argv[3];
      const v1 = kc.makeApiClient(k8s.CoreV1Api);
      const apps = kc.makeApiClient(k8s.AppsV1Api);
      const patchAs = (strategy) => k8s.setHeaderOptions('Content-Type', strategy);
      const configMap = (name, app, data) => ({ metadata: { name, labels: { app } }, data });
      const web = () => ({
        metadata: { name: 'web', labels: { app: 'matrix' } },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'web', image: 'nginx:1.14.2', ports: [{ containerPort: 80 }] }] },
          },
        },
      });
      const event = (type, cm) => `${type} ${cm.metadata.name} ${cm.data.color}`;
      const names = (list) => list.items.map((i) => i.metadata.name);
      """;

  /** {@link #PRELUDE}, and the namespace made. */
  static final String IN_A_NEW_NAMESPACE = PRELUDE + """
      await v1.createNamespace({ body: { metadata: { name: ns } } });
      """;

  @Override
  Created createGetAndList(String ns) throws Exception {
    return answer(node.run(IN_A_NEW_NAMESPACE + """
        await v1.createNamespacedConfigMap({ namespace: ns, body: configMap('settings', 'matrix', { color: 'blue' }) });
        await v1.createNamespacedConfigMap({ namespace: ns, body: configMap('other', 'other', { color: 'red' }) });
        await apps.createNamespacedDeployment({ namespace: ns, body: web() });
        console.log(JSON.stringify({
          configMap: await v1.readNamespacedConfigMap({ name: 'settings', namespace: ns }),
          deployment: await apps.readNamespacedDeployment({ name: 'web', namespace: ns }),
          labelSelected: names(await v1.listNamespacedConfigMap({ namespace: ns, labelSelector: 'app=matrix' })),
          fieldSelected: names(await v1.listNamespacedConfigMap({ namespace: ns, fieldSelector: 'metadata.name=other' })),
        }));
        """, ns), Created.class);
  }

  @Override
  List<String> watchFromAListsResourceVersion(String ns) throws Exception {
    return Arrays.asList(answer(node.run(IN_A_NEW_NAMESPACE + """
        const rv = (await v1.listNamespacedConfigMap({ namespace: ns, labelSelector: 'app=matrix' })).metadata.resourceVersion;
        await v1.createNamespacedConfigMap({ namespace: ns, body: configMap('watched', 'matrix', { color: 'blue' }) });
        await v1.patchNamespacedConfigMap({ name: 'watched', namespace: ns, body: { data: { color: 'green' } } },
          patchAs(k8s.PatchStrategy.MergePatch));
        const events = [];
        await new Promise((resolve, reject) => {
          const watching = new k8s.Watch(kc).watch(`/api/v1/namespaces/${ns}/configmaps`,
            { labelSelector: 'app=matrix', resourceVersion: rv },
            (type, cm) => {
              events.push(event(type, cm));
              if (events.length === 2) watching.then((controller) => controller.abort()).then(resolve);
            },
            (err) => { if (events.length < 2) reject(err ?? new Error('the watch ended')); });
          watching.catch(reject);
        });
        console.log(JSON.stringify(events));
        """, ns), String[].class));
  }

  @Override
  public Informed inform(String ns, Cut cut) throws Exception {
    return informByScript(node, IN_A_NEW_NAMESPACE + """
        await v1.createNamespacedConfigMap({ namespace: ns, body: configMap('first', 'matrix', { color: 'blue' }) });
        const events = [];
        let seen = () => {};
        const informer = k8s.makeInformer(kc, `/api/v1/namespaces/${ns}/configmaps`,
          () => v1.listNamespacedConfigMap({ namespace: ns, labelSelector: 'app=matrix' }), 'app=matrix');
        for (const type of ['add', 'update', 'delete']) {
          const name = { add: 'ADDED', update: 'MODIFIED', delete: 'DELETED' }[type];
          informer.on(type, (cm) => { events.push(event(name, cm)); seen(); });
        }
        // the informer stops at an error of its watch (its connection cut): start it again, once the
        // server answers; its own stop is an error too (the watch aborted)
        let stopped = false;
        const restart = () => stopped || informer.start().catch(() => setTimeout(restart, 200));
        informer.on('error', (err) => {
          if (stopped) return;
          console.error('cut:', err?.message);
          setTimeout(restart, 200);
        });
        const eventsSeen = (n) => new Promise((resolve) => {
          seen = () => { if (events.length >= n) resolve(); };
          seen();
        });
        await informer.start();
        const synced = informer.list().map((cm) => cm.metadata.name).sort();
        console.log('SYNCED');
        await eventsSeen(3);
        await v1.deleteNamespacedConfigMap({ name: 'first', namespace: ns });
        await eventsSeen(4);
        stopped = true;
        await informer.stop();
        console.log(JSON.stringify({ synced, events, cached: informer.list().map((cm) => cm.metadata.name).sort() }));
        """, ns, cut);
  }

  @Override
  Patched patchEveryWay(String ns) throws Exception {
    return answer(node.run(IN_A_NEW_NAMESPACE + """
        await apps.createNamespacedDeployment({ namespace: ns, body: web() });
        await v1.createNamespacedConfigMap({ namespace: ns, body: configMap('settings', 'matrix', { color: 'blue' }) });
        await apps.patchNamespacedDeployment({ name: 'web', namespace: ns, body: [
          { op: 'replace', path: '/spec/revisionHistoryLimit', value: 3 },
          { op: 'add', path: '/metadata/labels/json', value: 'patched' }] }, patchAs(k8s.PatchStrategy.JsonPatch));
        await apps.patchNamespacedDeployment({ name: 'web', namespace: ns,
          body: { metadata: { labels: { merge: 'patched' } }, spec: { minReadySeconds: 5 } } },
          patchAs(k8s.PatchStrategy.MergePatch));
        await apps.patchNamespacedDeployment({ name: 'web', namespace: ns,
          body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.16.1' }] } } } } },
          patchAs(k8s.PatchStrategy.StrategicMergePatch));
        await v1.patchNamespacedConfigMap({ name: 'settings', namespace: ns, fieldManager: 'matrix',
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { size: 'large' } } },
          patchAs(k8s.PatchStrategy.ServerSideApply));
        await v1.patchNamespacedConfigMap({ name: 'applied', namespace: ns, fieldManager: 'matrix',
          body: { apiVersion: 'v1', kind: 'ConfigMap', ...configMap('applied', 'matrix', { source: 'apply' }) } },
          patchAs(k8s.PatchStrategy.ServerSideApply));
        console.log(JSON.stringify({
          deployment: await apps.readNamespacedDeployment({ name: 'web', namespace: ns }),
          settings: await v1.readNamespacedConfigMap({ name: 'settings', namespace: ns }),
          applied: await v1.readNamespacedConfigMap({ name: 'applied', namespace: ns }),
        }));
        """, ns), Patched.class);
  }

  @Override
  Scaled scaleThroughTheSubresource(String ns) throws Exception {
    return answer(node.run(IN_A_NEW_NAMESPACE + """
        await apps.createNamespacedDeployment({ namespace: ns, body: web() });
        await apps.patchNamespacedDeploymentScale({ name: 'web', namespace: ns, body: { spec: { replicas: 3 } } },
          patchAs(k8s.PatchStrategy.MergePatch));
        console.log(JSON.stringify({
          scale: await apps.readNamespacedDeploymentScale({ name: 'web', namespace: ns }),
          deployment: await apps.readNamespacedDeployment({ name: 'web', namespace: ns }),
        }));
        """, ns), Scaled.class);
  }

  @Override
  JsonNode writeAndReadStatus(String ns) throws Exception {
    return answer(node.run(IN_A_NEW_NAMESPACE + """
        await v1.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'runner' },
          spec: { nodeName: 'node-1', containers: [{ name: 'main', image: 'busybox' }] } } });
        await v1.patchNamespacedPodStatus({ name: 'runner', namespace: ns, body: { status: { phase: 'Running',
          podIP: '10.0.0.7', conditions: [{ type: 'Ready', status: 'True' }] } } }, patchAs(k8s.PatchStrategy.MergePatch));
        console.log(JSON.stringify(await v1.readNamespacedPodStatus({ name: 'runner', namespace: ns })));
        """, ns), JsonNode.class);
  }

  @Override
  Streamed logsAndExec(String ns, String pod) throws Exception {
    return answer(node.run(PRELUDE + """
        const pod = process.argv[4];
        const log = await v1.readNamespacedPodLog({ name: pod, namespace: ns });
        const collect = () => {
          const sink = new Writable({ write(chunk, encoding, done) { sink.text += chunk; done(); } });
          sink.text = '';
          return sink;
        };
        // the exit code comes in the final Status: Success, or NonZeroExitCode with the code as its cause
        const run = (command) => new Promise((resolve, reject) => {
          const out = collect();
          const err = collect();
          new k8s.Exec(kc).exec(ns, pod, 'main', command, out, err, null, false, (status) => {
            const code = status.status === 'Success' ? 0
              : Number(status.details.causes.find((c) => c.reason === 'ExitCode').message);
            resolve({ out: out.text, err: err.text, code });
          }).catch(reject);
        });
        const echo = await run(['echo', 'hello']);
        const fail = await run(['fail']);
        console.log(JSON.stringify({ log, echoOut: echo.out, echoExit: echo.code,
          failOut: fail.out, failErr: fail.err, failExit: fail.code }));
        """, ns, pod), Streamed.class);
  }
}
