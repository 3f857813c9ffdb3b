package io.migrationgate.operator.lifecycle;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** A request by namespace and name: how the queue and the plan Job line tell requests apart. */
public record RequestKey(String namespace, String name) implements Comparable<RequestKey> {

  public static RequestKey of(HasMetadata request) {
    return new RequestKey(request.getMetadata().getNamespace(), request.getMetadata().getName());
  }

  @Override
  public int compareTo(RequestKey other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
