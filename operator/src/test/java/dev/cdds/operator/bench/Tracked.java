package dev.cdds.operator.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.Set;
import java.util.function.Predicate;

/** Keeps in a set the names of the objects that pass a test, as an informer sees them. */
final class Tracked<T extends HasMetadata> implements ResourceEventHandler<T> {
  private final Set<String> names;
  private final Predicate<T> test;

  Tracked(Set<String> names, Predicate<T> test) {
    this.names = names;
    this.test = test;
  }

  @Override
  public void onAdd(T object) {
    onUpdate(null, object);
  }

  @Override
  public void onUpdate(T old, T object) {
    if (test.test(object)) {
      names.add(object.getMetadata().getName());
    } else {
      names.remove(object.getMetadata().getName());
    }
  }

  @Override
  public void onDelete(T object, boolean unknownFinalState) {
    names.remove(object.getMetadata().getName());
  }
}
