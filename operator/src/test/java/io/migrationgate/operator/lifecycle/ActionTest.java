package io.migrationgate.operator.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every kind of action reaches a method of its own in every performer: the compiler holds a
 * performer to the Visitor, and this holds each kind to its own method.
 */
class ActionTest {

  @Test
  void eachKindOfActionIsAnsweredByTheVisitorMethodForItAlone() throws Exception {
    Class<?>[] kinds = Action.class.getPermittedSubclasses();
    Method[] methods = Action.Visitor.class.getDeclaredMethods();
    assertThat(methods).hasSameSizeAs(kinds);
    for (Class<?> kind : kinds) {
      List<Method> called = new ArrayList<>();
      Action.Visitor<?> recording = (Action.Visitor<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Action.Visitor.class}, (proxy, method, args) -> {
            called.add(method);
            return null;
          });

      instanceOf(kind).accept(recording);

      assertThat(called).as(kind.getSimpleName()).singleElement()
          .satisfies(m -> assertThat(m.getParameterTypes()).containsExactly(kind));
    }
  }

  private static Action instanceOf(Class<?> kind) throws Exception {
    Constructor<?> canonical = kind.getDeclaredConstructors()[0];
    Object[] nothing = Arrays.stream(canonical.getParameterTypes()).map(type -> null).toArray();
    return (Action) canonical.newInstance(nothing);
  }
}
