package io.kubeactor.ingress;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kubeactor.ingress.NginxProcess.NginxException;
import io.kubeactor.ingress.config.ClusterState;
import io.kubeactor.ingress.config.ControllerSettings;
import io.kubeactor.ingress.config.NginxConfigRenderer;
import io.kubeactor.ingress.config.RenderedConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ingress-nginx's controller loop (internal/ingress/controller): informers on Ingresses,
 * IngressClasses, Services, EndpointSlices and Secrets; any change schedules one sync shortly after
 * (changes that come together are synced together); a sync renders nginx's configuration from the
 * informers' stores, and only when the text differs writes it (certificates first), checks it with
 * {@code nginx -t} and reloads. A configuration nginx refuses is not loaded: the running one keeps
 * serving, and the refusal is logged. All syncs run on one thread, one at a time.
 */
final class IngressController implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(IngressController.class);
  /** How long a change waits for the changes that come with it (a Deployment's rollout, a bulk apply). */
  private static final Duration COALESCE = Duration.ofMillis(100);

  private final KubernetesClient client;
  private final ControllerSettings settings;
  private final NginxProcess nginx;
  private final IngressEvents events;
  private final IngressStatusUpdater status;
  private final Duration statusPeriod;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ingress-sync");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean syncScheduled = new AtomicBoolean();
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  private SharedIndexInformer<Ingress> ingresses;
  private SharedIndexInformer<IngressClass> classes;
  private SharedIndexInformer<Service> services;
  private SharedIndexInformer<EndpointSlice> slices;
  private SharedIndexInformer<Secret> secrets;
  private volatile boolean leading;
  /** Set once every informer has its first list: a sync before that would see Services missing that exist. */
  private volatile boolean synced;
  private String loaded;
  private List<Ingress> served = List.of();

  IngressController(KubernetesClient client, ControllerSettings settings, NginxProcess nginx, IngressEvents events,
      IngressStatusUpdater status, Duration statusPeriod) {
    this.client = client;
    this.settings = settings;
    this.nginx = nginx;
    this.events = events;
    this.status = status;
    this.statusPeriod = statusPeriod;
  }

  /** Starts the informers, waits for their first lists, then syncs (nginx starts on the first configuration). */
  void start() {
    ingresses = watch(client.network().v1().ingresses().inAnyNamespace().runnableInformer(0), true);
    classes = watch(client.network().v1().ingressClasses().runnableInformer(0), false);
    services = watch(client.services().inAnyNamespace().runnableInformer(0), false);
    slices = watch(client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0), false);
    secrets = watch(client.secrets().inAnyNamespace().runnableInformer(0), false);
    informers.forEach(i -> i.start().toCompletableFuture().join());
    log.info("informers synced: {} Ingresses, {} IngressClasses, {} Services, {} EndpointSlices, {} Secrets",
        ingresses.getStore().list().size(), classes.getStore().list().size(), services.getStore().list().size(),
        slices.getStore().list().size(), secrets.getStore().list().size());
    synced = true;
    scheduleSync();
    loop.scheduleWithFixedDelay(this::updateStatus, statusPeriod.toMillis(), statusPeriod.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The leader writes the Ingresses' status (from the next sync on). */
  void leading(boolean leading) {
    this.leading = leading;
    if (leading) loop.execute(this::updateStatus);
  }

  private <T extends HasMetadata> SharedIndexInformer<T> watch(SharedIndexInformer<T> informer, boolean isIngress) {
    informer.addEventHandler(new ResourceEventHandler<T>() {
      @Override
      public void onAdd(T obj) {
        if (isIngress) scheduled((Ingress) obj);
        scheduleSync();
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        // a resync or a write that changed nothing: nothing to render
        if (Objects.equals(oldObj.getMetadata().getResourceVersion(), newObj.getMetadata().getResourceVersion())) return;
        if (isIngress) scheduled((Ingress) newObj);
        scheduleSync();
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        scheduleSync();
      }
    });
    informers.add(informer);
    return informer;
  }

  /** ingress-nginx's store says "Scheduled for sync" for each Ingress of its class that comes or changes. */
  private void scheduled(Ingress ingress) {
    if (synced && NginxConfigRenderer.serves(ingress, classes.getStore().list(), settings)) {
      events.record(ingress, "Normal", "Sync", "Scheduled for sync");
    }
  }

  private void scheduleSync() {
    if (synced && syncScheduled.compareAndSet(false, true)) loop.schedule(this::sync, COALESCE.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void sync() {
    syncScheduled.set(false);
    try {
      ClusterState state = new ClusterState(ingresses.getStore().list(), classes.getStore().list(),
          services.getStore().list(), slices.getStore().list(), secrets.getStore().list());
      long started = System.nanoTime();
      RenderedConfig rendered = NginxConfigRenderer.render(state, settings);
      served = rendered.served();
      try {
        if (!rendered.nginxConf().equals(loaded)) {
          load(rendered);
          log.info("configuration of {} Ingresses loaded in {} ms", served.size(), (System.nanoTime() - started) / 1_000_000);
        }
      } finally {
        // after the load: what an event reports is what nginx serves
        events.problems(rendered.events(), state.ingresses());
      }
      if (leading) status.update(served);
    } catch (NginxException e) {
      log.error("nginx refused the new configuration; the previous one keeps serving: {}", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | IOException e) {
      // one bad object or a failed write must not stop the loop: the next change syncs again
      log.error("sync failed", e);
    }
  }

  /** Certificates, then the configuration (checked by nginx first), then nginx started or reloaded. */
  private void load(RenderedConfig rendered) throws IOException, NginxException, InterruptedException {
    Path dir = settings.runDirectory();
    for (Map.Entry<String, byte[]> f : rendered.files().entrySet()) {
      Path target = dir.resolve(f.getKey());
      Files.createDirectories(target.getParent());
      if (Files.exists(target) && java.util.Arrays.equals(Files.readAllBytes(target), f.getValue())) continue;
      replace(target, f.getValue());
    }
    Path conf = dir.resolve("nginx.conf");
    Path candidate = dir.resolve("nginx.conf.new");
    Files.writeString(candidate, rendered.nginxConf());
    nginx.test(candidate);
    Files.move(candidate, conf, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    if (nginx.running()) nginx.reload();
    else nginx.start();
    loaded = rendered.nginxConf();
  }

  /** Written beside and renamed over, so that nginx never reads half a file. */
  private static void replace(Path target, byte[] content) throws IOException {
    Path temp = target.resolveSibling(target.getFileName() + ".new");
    Files.write(temp, content);
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void updateStatus() {
    if (!leading) return;
    try {
      status.update(served);
    } catch (RuntimeException e) {
      log.warn("status update failed: {}", e.getMessage());
    }
  }

  /** nginx stopped by itself: the container must end, so that its restart policy brings it back. */
  boolean nginxDied() {
    return loaded != null && !nginx.running();
  }

  @Override
  public void close() {
    loop.shutdownNow();
    informers.forEach(SharedIndexInformer::close);
    events.close();
  }
}
