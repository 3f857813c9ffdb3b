package io.migrationgate.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;

/**
 * Runs an Argo CD health check (a {@code health.lua}) the way Argo CD does: the resource as the
 * global {@code obj}, decoded from its JSON, and a table with {@code status} and {@code message}
 * returned. Argo CD is not available here; this is its contract, held to its strictest default.
 */
final class ArgoCdHealth {

  /** The directory laid out as in Argo CD's {@code resource_customizations/<group>/<kind>/}. */
  static final Path CUSTOMIZATION = Path.of("gitops", "argocd", "migrationgate.io", "MigrationRequest");
  /** The {@code argocd-cm} key Argo CD reads the check from. */
  static final String CM_KEY = "resource.customizations.health.migrationgate.io_MigrationRequest";

  /** The health statuses Argo CD accepts from a script; anything else is an error there. */
  static final Set<String> STATUSES = Set.of("Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown");

  /** What the request's phase must read as in Argo CD: the mapping the health check promises. */
  static final Map<String, String> EXPECTED = Map.of(
      "Pending", "Progressing",
      "AwaitingApproval", "Suspended",
      "Queued", "Progressing",
      "Running", "Progressing",
      "Succeeded", "Healthy",
      "Failed", "Degraded",
      "Rejected", "Degraded",
      "Blocked", "Degraded");

  record Health(String status, String message) {}

  private final String script;
  private final String source;

  ArgoCdHealth(String script, String source) {
    this.script = script;
    this.source = source;
  }

  static Path committedFile() {
    return ChartRelease.repo().resolve(CUSTOMIZATION).resolve("health.lua");
  }

  /** The committed {@code health.lua} of the repository under test. */
  static ArgoCdHealth committed() throws IOException {
    return new ArgoCdHealth(Files.readString(committedFile()), committedFile().toString());
  }

  /**
   * What the check must say of {@code request}: its phase's status, and "phase reason: message"
   * from the Ready condition (the reason left out where it repeats the phase), as the request's
   * evidence writes its outcome.
   */
  static Health expected(JsonNode request) {
    JsonNode status = request.path("status");
    if (!status.hasNonNull("phase")) {
      return new Health("Progressing", "Waiting for the Migration Gate operator to record a status");
    }
    String phase = status.get("phase").asText();
    JsonNode ready = MissingNode.getInstance();
    for (JsonNode c : status.path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        ready = c;
      }
    }
    StringBuilder message = new StringBuilder(phase);
    if (ready.hasNonNull("reason") && !ready.get("reason").asText().equals(phase)) {
      message.append(' ').append(ready.get("reason").asText());
    }
    if (!ready.path("message").asText().isEmpty()) {
      message.append(": ").append(ready.get("message").asText());
    }
    return new Health(EXPECTED.getOrDefault(phase, "Progressing"), message.toString());
  }

  Health evaluate(JsonNode resource) {
    Globals globals = new Globals();
    // Argo CD opens only these unless an admin sets resource.customizations.useOpenLibs: a check
    // that calls string.format works in its own tests and fails in a default installation.
    globals.load(new JseBaseLib());
    globals.load(new PackageLib());
    globals.load(new TableLib());
    LoadState.install(globals);
    LuaC.install(globals);
    globals.set("obj", toLua(resource));
    LuaValue returned;
    try {
      returned = globals.load(script, source).call();
    } catch (LuaError e) {
      throw new IllegalStateException(source + " failed on " + resource.at("/metadata/name").asText()
          + ": " + e.getMessage(), e);
    }
    if (!returned.istable()) {
      throw new IllegalStateException(source + " returned " + returned.typename()
          + " instead of a table with status and message");
    }
    String status = returned.get("status").optjstring(null);
    if (!STATUSES.contains(status)) {
      throw new IllegalStateException(source + " returned status " + status + "; Argo CD accepts only " + STATUSES);
    }
    return new Health(status, returned.get("message").optjstring(""));
  }

  /** JSON as Argo CD hands it to Lua: objects and arrays as tables (arrays from 1), nulls absent. */
  static LuaValue toLua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        table.set(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }
}
