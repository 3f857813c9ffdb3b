package io.migrationgate.localcluster.planload;

import com.fasterxml.jackson.databind.JsonNode;
import io.migrationgate.localcluster.LocalPostgres;
import io.migrationgate.localcluster.Processes;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a load run's watches and the databases say once it is over: the figures, printed beside the
 * minimal controller's, and the problems that fail the run (spurious failures, requests not applied,
 * run Jobs overlapping on one database, plan Jobs above the chart's limits).
 */
final class PlanLoadChecks {

  /** The run's clock readings, in seconds, with the load average when each was taken. */
  record Timings(double createsSeconds, double plannedSeconds, String plannedLoad, double succeededSeconds,
      String succeededLoad, double floorSeconds) {}

  private final LocalPostgres postgres;
  private final PrintStream out;
  private final List<String> problems;
  private final List<String> lines = new ArrayList<>();

  /** {@code problems}: those the run already found; the checks add theirs. */
  PlanLoadChecks(LocalPostgres postgres, PrintStream out, List<String> problems) {
    this.postgres = postgres;
    this.out = out;
    this.problems = problems;
  }

  PlanLoadReport report(List<LoadRequest> requests, RequestStates states, JobActivity jobs,
      ConnectionSampler connections, Timings timings, JsonNode planValues) throws SQLException {
    List<String> keys = requests.stream().map(LoadRequest::key).toList();
    List<String> failures = states.failures(keys).stream().map(RequestStates.Failure::line).sorted().toList();
    int succeeded = (int) keys.stream().filter(k -> states.phase(k).equals(PlanLoadRun.SUCCEEDED)).count();
    List<String> unapplied = unapplied(requests.stream()
        .filter(r -> states.phase(r.key()).equals(PlanLoadRun.SUCCEEDED)).toList());
    OptionalInt planMax = limit(planValues, "maxConcurrent");
    OptionalInt planPerDatabase = limit(planValues, "maxPerDatabase");
    Peak planPeak = jobs.peakTotal(JobActivity.PLAN);
    Peak planPeakPerDatabase = jobs.peakPerDatabase(JobActivity.PLAN);
    Peak runPeakPerDatabase = jobs.peakPerDatabase(JobActivity.RUN);

    figure(String.format(Locale.ROOT, "spurious failures: %d of %d (must be 0)", failures.size(), keys.size()),
        Processes.loadAverage());
    failures.forEach(f -> lines.add("  " + f));
    figure(String.format(Locale.ROOT, "time until all AwaitingApproval: %.2f s from the first create (the %d creates"
        + " took %.2f s) | minimal controller, which has no plan (the floor): %.2f s", timings.plannedSeconds(),
        keys.size(), timings.createsSeconds(), timings.floorSeconds()), timings.plannedLoad());
    figure(String.format(Locale.ROOT, "peak concurrent plan Jobs: %d in total, %d on one database (limits: %s) |"
        + " minimal controller: none, it has no plan", planPeak.value(), planPeakPerDatabase.value(),
        limits(planMax, planPerDatabase)), planPeak.load());
    figure(String.format(Locale.ROOT, "plan Jobs created: %d for %d requests", jobs.created(JobActivity.PLAN),
        keys.size()), Processes.loadAverage());
    figure(String.format(Locale.ROOT, "peak database connections: %d in total, %d on one database (sampled every"
        + " %d ms) | minimal controller: none, it never connects", connections.total().value(),
        connections.onOneDatabase().value(), ConnectionSampler.INTERVAL.toMillis()), connections.total().load());
    figure(String.format(Locale.ROOT, "time until all Succeeded: %.2f s from the first approval (%d of %d Succeeded)"
        + " | minimal controller: none, its Jobs run nothing", timings.succeededSeconds(), succeeded, keys.size()),
        timings.succeededLoad());
    figure(String.format(Locale.ROOT, "peak run Jobs per database: %d (must be <= 1); run Jobs created: %d",
        runPeakPerDatabase.value(), jobs.created(JobActivity.RUN)), runPeakPerDatabase.load());
    jobs.runOverlaps().forEach(o -> lines.add("  overlap: " + o));
    figure("Ready reasons seen (requests that showed each): " + states.reasonsSeen(keys), Processes.loadAverage());
    lines.forEach(out::println);

    if (!failures.isEmpty()) {
      problems.add(failures.size() + " spurious failure(s)");
    }
    if (runPeakPerDatabase.value() > 1) {
      problems.add("run Jobs overlapped on one database: " + jobs.runOverlaps());
    }
    if (succeeded != keys.size()) {
      problems.add(succeeded + " of " + keys.size() + " requests Succeeded");
    }
    unapplied.forEach(u -> problems.add("Succeeded but not applied: " + u));
    if (planMax.isPresent() && planPeak.value() > planMax.getAsInt()) {
      problems.add("plan Jobs peaked at " + planPeak.value() + ", above databasePlan.maxConcurrent "
          + planMax.getAsInt());
    }
    if (planPerDatabase.isPresent() && planPeakPerDatabase.value() > planPerDatabase.getAsInt()) {
      problems.add("plan Jobs on one database peaked at " + planPeakPerDatabase.value()
          + ", above databasePlan.maxPerDatabase " + planPerDatabase.getAsInt());
    }
    if (connections.error() != null) {
      problems.add("pg_stat_activity sampling stopped early: " + connections.error());
    }
    problems.forEach(p -> out.println("PROBLEM: " + p));
    return new PlanLoadReport(keys.size(), succeeded, failures, planPeak.value(), planPeakPerDatabase.value(),
        jobs.created(JobActivity.PLAN), runPeakPerDatabase.value(), jobs.runOverlaps(), connections.total().value(),
        planMax, planPerDatabase, states.reasonsSeen(keys), List.copyOf(lines), List.copyOf(problems));
  }

  private void figure(String text, String load) {
    lines.add(text + " | load " + load);
  }

  private static OptionalInt limit(JsonNode planValues, String name) {
    return planValues.path(name).isInt() ? OptionalInt.of(planValues.path(name).asInt()) : OptionalInt.empty();
  }

  private static String limits(OptionalInt max, OptionalInt perDatabase) {
    if (max.isEmpty() && perDatabase.isEmpty()) {
      return "none: the chart has neither databasePlan.maxConcurrent nor databasePlan.maxPerDatabase";
    }
    return (max.isPresent() ? max.getAsInt() : "unset") + " in total, "
        + (perDatabase.isPresent() ? perDatabase.getAsInt() : "unset") + " per database";
  }

  /** Succeeded requests whose schema's history does not hold V1 and V2, each applied successfully once. */
  private List<String> unapplied(List<LoadRequest> succeeded) throws SQLException {
    List<String> missing = new ArrayList<>();
    Set<String> databases = new TreeSet<>();
    succeeded.forEach(r -> databases.add(r.database()));
    for (String database : databases) {
      try (Connection db = postgres.connect(database); Statement statement = db.createStatement()) {
        for (LoadRequest r : succeeded) {
          if (!r.database().equals(database)) {
            continue;
          }
          try (ResultSet rows = statement.executeQuery("select string_agg(version, ',' order by installed_rank)"
              + " from " + r.schema() + ".flyway_schema_history where success and version is not null")) {
            rows.next();
            if (!"1,2".equals(rows.getString(1))) {
              missing.add(r.key() + " (history of " + database + "." + r.schema() + ": " + rows.getString(1) + ")");
            }
          } catch (SQLException e) {
            missing.add(r.key() + " (" + database + "." + r.schema() + ": " + e.getMessage().strip() + ")");
          }
        }
      }
    }
    return missing;
  }
}
