package io.migrationgate.localcluster.planload;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * What a load test measured. {@code spuriousFailures}: one line per request that ended Failed,
 * Rejected or Blocked, with its Ready reason and message. {@code planJobsMax} and
 * {@code planJobsPerDatabase}: the chart's databasePlan.maxConcurrent and maxPerDatabase, where it has them.
 * {@code readyReasonsSeen}: for each Ready reason, how many requests showed it at least once.
 * {@code lines}: the figures as printed. {@code problems}: why the run failed; empty when it passed.
 */
public record PlanLoadReport(int requests, int succeeded, List<String> spuriousFailures, int peakPlanJobs,
    int peakPlanJobsPerDatabase, int planJobsCreated, int peakRunJobsPerDatabase, List<String> runOverlaps,
    int peakConnections, OptionalInt planJobsMax, OptionalInt planJobsPerDatabase, Map<String, Long> readyReasonsSeen,
    List<String> lines, List<String> problems) {}
