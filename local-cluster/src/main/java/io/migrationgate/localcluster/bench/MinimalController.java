package io.migrationgate.localcluster.bench;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The yardstick: the least a controller could do to serve MigrationRequests, on fabric8 alone. It
 * watches the requests of one namespace; a new request gets one status patch (AwaitingApproval);
 * when {@code migrationgate.io/approved-by} appears it patches status once more and creates one
 * Job of about the operator's Job's size. Nothing else: no plan, no checks, no Events. It reads
 * the operator's own settings (MG_WATCH_NAMESPACES, one namespace; MG_PORT for /readyz;
 * MG_RUNNER_IMAGE), so the benchmark starts it exactly as it starts the operator.
 */
public final class MinimalController {

  static final String APPROVED_BY = "migrationgate.io/approved-by";
  static final ResourceDefinitionContext REQUESTS = new ResourceDefinitionContext.Builder()
      .withGroup("migrationgate.io").withVersion("v1alpha1").withKind("MigrationRequest")
      .withPlural("migrationrequests").withNamespaced(true).build();
  /** Writes run on a pool, as a controller framework's reconcile threads do, not on the watch thread. */
  private static final int WORKERS = 10;

  private final KubernetesClient client;
  private final String namespace;
  private final String image;
  private final ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
  private final Set<String> launched = ConcurrentHashMap.newKeySet();
  private SharedIndexInformer<GenericKubernetesResource> informer;

  private MinimalController(KubernetesClient client, String namespace, String image) {
    this.client = client;
    this.namespace = namespace;
    this.image = image;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> env = System.getenv();
    String namespace = env.getOrDefault("MG_WATCH_NAMESPACES", "");
    if (namespace.isBlank() || namespace.contains(",")) {
      System.err.println("MinimalController: set MG_WATCH_NAMESPACES to exactly one namespace (it is \""
          + namespace + "\")");
      System.exit(2);
    }
    int port = Integer.parseInt(env.getOrDefault("MG_PORT", "8080"));
    KubernetesClient client = new KubernetesClientBuilder().build();
    MinimalController controller = new MinimalController(client, namespace.strip(),
        env.getOrDefault("MG_RUNNER_IMAGE", "migration-gate:local"));
    HttpServer health = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    health.createContext("/readyz", exchange -> {
      boolean synced = controller.informer != null && controller.informer.hasSynced();
      byte[] body = (synced ? "ok " + controller.informer.getStore().list().size() : "syncing")
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(synced ? 200 : 503, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    health.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (controller.informer != null) {
        controller.informer.stop();
      }
      controller.workers.shutdown();
      awaitQuietly(controller.workers);
      health.stop(0);
      client.close();
      stopped.countDown();
    }, "shutdown"));
    controller.informer = client.genericKubernetesResources(REQUESTS).inNamespace(controller.namespace)
        .inform(new ResourceEventHandler<>() {
          @Override
          public void onAdd(GenericKubernetesResource request) {
            controller.workers.execute(() -> controller.serve(request));
          }

          @Override
          public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource request) {
            controller.workers.execute(() -> controller.serve(request));
          }

          @Override
          public void onDelete(GenericKubernetesResource request, boolean unknownFinalState) {
            controller.launched.remove(request.getMetadata().getUid());
          }
        });
    stopped.await();
  }

  private static void awaitQuietly(ExecutorService pool) {
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void serve(GenericKubernetesResource request) {
    String phase = phase(request);
    String approvedBy = request.getMetadata().getAnnotations() == null ? null
        : request.getMetadata().getAnnotations().get(APPROVED_BY);
    try {
      if (phase == null) {
        patchStatus(request, "{\"status\":{\"phase\":\"AwaitingApproval\"}}");
      } else if ("AwaitingApproval".equals(phase) && approvedBy != null && !approvedBy.isBlank()
          && launched.add(request.getMetadata().getUid())) {
        patchStatus(request, "{\"status\":{\"phase\":\"Running\",\"approval\":{\"approvedBy\":\""
            + approvedBy.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}}}");
        client.batch().v1().jobs().inNamespace(namespace).resource(job(request)).create();
      }
    } catch (KubernetesClientException e) {
      // 404: deleted meanwhile; 409: a second event for the same change. Neither needs a retry here.
      if (e.getCode() != 404 && e.getCode() != 409) {
        System.err.println("MinimalController: " + request.getMetadata().getName() + ": " + e.getMessage());
      }
    }
  }

  static String phase(GenericKubernetesResource request) {
    Object status = request.getAdditionalProperties().get("status");
    return status instanceof Map<?, ?> map && map.get("phase") instanceof String p ? p : null;
  }

  private void patchStatus(GenericKubernetesResource request, String patch) {
    client.genericKubernetesResources(REQUESTS).inNamespace(namespace).withName(request.getMetadata().getName())
        .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  /** One container of the runner image, owned by the request: the shape, not the content, of the operator's Job. */
  private Job job(GenericKubernetesResource request) {
    String name = request.getMetadata().getName();
    return new JobBuilder()
        .withNewMetadata().withName(name).withNamespace(namespace)
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(request.getApiVersion())
            .withKind(request.getKind()).withName(name).withUid(request.getMetadata().getUid())
            .withController(true).withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withNewSpec().withBackoffLimit(0)
        .withNewTemplate().withNewSpec().withRestartPolicy("Never").withAutomountServiceAccountToken(false)
        .addNewContainer().withName("migrate").withImage(image)
        .withCommand("java", "-jar", "/app/migration-gate.jar", "run")
        .endContainer()
        .endSpec().endTemplate().endSpec()
        .build();
  }
}
