package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.MigrationRequestSpec;
import io.migrationgate.api.v1alpha1.VerifySpec;
import io.migrationgate.contract.Durations;
import io.migrationgate.contract.JdbcUrl;
import io.migrationgate.contract.PinnedImage;
import io.migrationgate.contract.SingleStatement;
import io.migrationgate.contract.SqlIdentifier;
import io.migrationgate.contract.VerifyQuery;
import io.migrationgate.contract.Versions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CRD schema rejects bad specs at admission; this re-checks the same rules in the operator
 * because a request can reach it without them (an older CRD, a cluster without CEL, a mock API
 * server), and a request that slipped through must fail with a reason, never launch.
 */
public final class SpecValidator {

  private SpecValidator() {}

  /** Every problem found, each naming the field and the fix; empty when the spec is usable. */
  public static Optional<String> problems(MigrationRequestSpec spec) {
    if (spec == null) {
      return Optional.of("spec is missing");
    }
    List<String> problems = new ArrayList<>();
    if (blank(spec.workOrder)) {
      problems.add("spec.workOrder is required (the change ticket, e.g. WO-1234)");
    }
    if ((spec.migrationTargetName == null) == (spec.database == null)) {
      problems.add("set exactly one of spec.migrationTargetName (a MigrationTarget: kubectl get migrationtargets) and "
          + "spec.database");
    } else if (spec.database == null) {
      if (spec.runner != null && spec.runner.serviceAccountName != null) {
        problems.add("spec.runner.serviceAccountName cannot be set with spec.migrationTargetName");
      }
    } else if (blank(spec.database.url)) {
      problems.add("spec.database.url is required");
    } else {
      if (!JdbcUrl.hasSupportedScheme(spec.database.url)) {
        problems.add("spec.database.url must start with " + JdbcUrl.SCHEME_HINT);
      } else if (JdbcUrl.carriesCredentials(spec.database.url)) {
        problems.add("spec.database.url must not carry credentials: put them in credentialsSecret");
      } else {
        JdbcUrl.problem(spec.database.url).ifPresent(problem -> problems.add("spec.database.url: " + problem));
      }
    }
    if (spec.database != null && blank(spec.database.credentialsSecret)) {
      problems.add("spec.database.credentialsSecret is required");
    }
    if (spec.migrations == null || (spec.migrations.configMap == null) == (spec.migrations.image == null)) {
      problems.add("spec.migrations needs exactly one source: configMap or image");
    } else if (spec.migrations.configMap != null && blank(spec.migrations.configMap.name)) {
      problems.add("spec.migrations.configMap.name is required");
    } else if (spec.migrations.image != null && !PinnedImage.isPinned(spec.migrations.image.ref)) {
      problems.add("spec.migrations.image.ref must be " + PinnedImage.HINT);
    }
    if (spec.target != null && !Versions.isTarget(spec.target)) {
      problems.add("spec.target must be " + Versions.TARGET_HINT);
    }
    if (spec.flyway != null && spec.flyway.baselineVersion != null && !Versions.isVersion(spec.flyway.baselineVersion)) {
      problems.add("spec.flyway.baselineVersion must be a version such as 1 or 2.1");
    }
    if (spec.timeout != null) {
      timeoutProblem(spec.timeout).ifPresent(problems::add);
    }
    if (spec.flyway != null && spec.flyway.schemas != null) {
      spec.flyway.schemas.stream()
          .filter(schema -> !SqlIdentifier.isIdentifier(schema))
          .findFirst()
          .ifPresent(schema -> problems.add("spec.flyway.schemas: '" + schema + "' is not " + SqlIdentifier.HINT));
    }
    if (spec.flyway != null && spec.flyway.table != null && !SqlIdentifier.isIdentifier(spec.flyway.table)) {
      problems.add("spec.flyway.table: '" + spec.flyway.table + "' is not " + SqlIdentifier.HINT);
    }
    if (spec.verify != null) {
      for (VerifySpec query : spec.verify) {
        if (blank(query.name) || blank(query.sql) || query.expect == null) {
          problems.add("every spec.verify entry needs name, sql and expect");
        } else {
          SingleStatement.problem(query.sql)
              .ifPresent(problem -> problems.add("spec.verify '" + query.name + "': " + problem));
        }
      }
      VerifyQuery.repeatedName(spec.verify.stream().map(query -> query.name).filter(name -> !blank(name)).toList())
          .ifPresent(name -> problems.add("spec.verify names must be unique: '" + name + "' appears twice"));
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  private static Optional<String> timeoutProblem(String timeout) {
    try {
      Durations.jobTimeout(timeout);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("spec.timeout " + timeout + " " + e.getMessage());
    }
  }


  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
