package io.migrationgate.runner;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.api.ResourceProvider;
import org.flywaydb.core.api.resource.LoadableResource;

/**
 * Serves Flyway the script texts that were digested, from memory.
 *
 * <p>Letting Flyway rescan the directory would open a window in which the mounted files could
 * change (a ConfigMap volume is updated in place) between the digest check and the migration; the
 * text in memory is the text that was checked.
 */
final class DigestedScriptsProvider implements ResourceProvider {

  private final List<LoadableResource> resources = new ArrayList<>();

  DigestedScriptsProvider(MountedScripts scripts) {
    for (Map.Entry<String, String> script : scripts.contentByName().entrySet()) {
      resources.add(
          new ScriptText(
              script.getKey(), scripts.directory().resolve(script.getKey()).toString(), script.getValue()));
    }
  }

  @Override
  public LoadableResource getResource(String name) {
    for (LoadableResource resource : resources) {
      if (resource.getRelativePath().equals(name)) {
        return resource;
      }
    }
    return null;
  }

  @Override
  public Collection<LoadableResource> getResources(String prefix, String[] suffixes) {
    List<LoadableResource> matching = new ArrayList<>();
    for (LoadableResource resource : resources) {
      String name = resource.getFilename();
      if (!name.startsWith(prefix)) {
        continue;
      }
      for (String suffix : suffixes) {
        if (name.endsWith(suffix)) {
          matching.add(resource);
          break;
        }
      }
    }
    return matching;
  }
}
