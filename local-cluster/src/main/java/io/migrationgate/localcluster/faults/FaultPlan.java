package io.migrationgate.localcluster.faults;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Everything a run does that can be decided in advance, from one seed: the requests (namespace,
 * database, how long their first script sleeps), the faults that strike while they are planned,
 * the waves they are approved in, and which fault hits which wave or request, when and for how
 * long. The same seed gives the same plan; the timing of the processes it meets is not replayed.
 */
public record FaultPlan(long seed, List<PlannedRequest> requests, List<ProcessFault> planning, List<Wave> waves) {

  static final int TEAM_NAMESPACES = 4;
  /** Long enough that a target queued behind it is still queued when its revocation lands. */
  static final int BLOCKER_SLEEP_SECONDS = 8;
  static final int TARGET_SLEEP_SECONDS = 3;

  /** What the harness does to a request besides approving it. */
  public enum Role { PLAIN, BLOCKER, JOB_DELETE, POD_DELETE, NAMESPACE_PRODUCTION, REJECTION, PLAN_POD_DELETE }

  /**
   * Request {@code r<index>}: its own schema (so requests sharing a database keep separate Flyway
   * histories while sharing the database's queue); {@code blocker} is the request it waits behind.
   */
  public record PlannedRequest(int index, String namespace, String database, int sleepSeconds, Role role,
      int wave, int blocker) {
    public String name() {
      return "r" + index;
    }

    public String schema() {
      return name();
    }

    /** Approved by the fault thread, after its blocker runs, not with its wave. */
    public boolean approvedLate() {
      return role == Role.NAMESPACE_PRODUCTION || role == Role.REJECTION;
    }
  }

  /**
   * When a leader kill strikes: at its moment, or once a launch is seen inside one of its windows
   * (of a run Job, or of a plan Job).
   */
  public enum Aim { ANY_MOMENT, MARKER_WINDOW, UID_WINDOW, PLAN_MARKER_WINDOW, PLAN_UID_WINDOW }

  /** What the leader kills of the waves aim at, in turn; those of the planning aim at the plan's windows. */
  static final List<Aim> WAVE_AIMS = List.of(Aim.ANY_MOMENT, Aim.MARKER_WINDOW, Aim.UID_WINDOW);
  static final List<Aim> PLANNING_AIMS = List.of(Aim.PLAN_MARKER_WINDOW, Aim.PLAN_UID_WINDOW);

  /**
   * A fault on a process. {@code delayMs} after the previous one of its wave (the first: after the
   * wave's approvals began) or of the planning (the first: after the operators started);
   * {@code downtimeMs} how long the process stays down or stopped.
   */
  public record ProcessFault(FaultKind kind, long delayMs, long downtimeMs, Aim aim) {}

  public record Wave(int index, List<Integer> requests, List<ProcessFault> faults) {}

  public static FaultPlan generate(long seed, int requestCount, int waveSize) {
    if (requestCount < 10 || waveSize < 4) {
      throw new IllegalArgumentException("a plan needs 10 requests or more and waves of 4 or more "
          + "(a revoked request and its blocker share a wave)");
    }
    Random random = new Random(seed);
    int waveCount = (requestCount + waveSize - 1) / waveSize;
    int databases = Math.max(3, requestCount / 5);
    Role[] roles = new Role[requestCount];
    int[] blockers = new int[requestCount];
    java.util.Arrays.fill(roles, Role.PLAIN);
    java.util.Arrays.fill(blockers, -1);
    List<Integer> free = new ArrayList<>(IntStream.range(0, requestCount).boxed().toList());
    Collections.shuffle(free, random);
    for (FaultKind kind : FaultKind.values()) {
      if (!kind.targetsRequest()) {
        continue;
      }
      for (int n = 0; n < kind.count(requestCount) && !free.isEmpty(); n++) {
        int target = free.remove(free.size() - 1);
        roles[target] = Role.valueOf(kind.name());
        if (kind.revokes()) {
          int wave = target / waveSize;
          Integer blocker = free.stream().filter(i -> i / waveSize == wave).findFirst().orElse(null);
          if (blocker == null) {
            roles[target] = Role.PLAIN;
            continue;
          }
          free.remove(blocker);
          roles[blocker] = Role.BLOCKER;
          blockers[target] = blocker;
        }
      }
    }
    List<PlannedRequest> requests = new ArrayList<>();
    int productionNamespaces = 0;
    for (int i = 0; i < requestCount; i++) {
      String namespace = roles[i] == Role.NAMESPACE_PRODUCTION
          ? "fi-prod-" + productionNamespaces++
          : "fi-team-" + random.nextInt(TEAM_NAMESPACES);
      String database = "fi_db_" + random.nextInt(databases);
      int sleep = switch (roles[i]) {
        case BLOCKER -> BLOCKER_SLEEP_SECONDS;
        case JOB_DELETE, POD_DELETE -> TARGET_SLEEP_SECONDS;
        default -> random.nextInt(3) == 0 ? 1 : 0;
      };
      requests.add(new PlannedRequest(i, namespace, database, sleep, roles[i], i / waveSize, blockers[i]));
    }
    for (int i = 0; i < requestCount; i++) {
      if (blockers[i] >= 0) {
        PlannedRequest target = requests.get(i);
        requests.set(i, new PlannedRequest(i, target.namespace(), requests.get(blockers[i]).database(),
            target.sleepSeconds(), target.role(), target.wave(), blockers[i]));
      }
    }
    List<List<ProcessFault>> faultsPerWave = new ArrayList<>();
    IntStream.range(0, waveCount).forEach(w -> faultsPerWave.add(new ArrayList<>()));
    List<ProcessFault> planning = new ArrayList<>();
    for (FaultKind kind : FaultKind.values()) {
      if (kind.targetsRequest()) {
        continue;
      }
      for (int n = 0; n < kind.count(requestCount); n++) {
        Aim aim = switch (kind) {
          case LEADER_KILL -> WAVE_AIMS.get(n % WAVE_AIMS.size());
          case PLAN_LEADER_KILL -> PLANNING_AIMS.get(n % PLANNING_AIMS.size());
          default -> Aim.ANY_MOMENT;
        };
        (kind.planning() ? planning : faultsPerWave.get(random.nextInt(waveCount))).add(processFault(kind, aim, random));
      }
    }
    // the planning's kills aim at plan launches, which are in flight from the start
    Collections.shuffle(planning, random);
    planning.sort(java.util.Comparator.comparing(f -> f.aim() == Aim.ANY_MOMENT));
    List<Wave> waves = new ArrayList<>();
    for (int w = 0; w < waveCount; w++) {
      int wave = w;
      Collections.shuffle(faultsPerWave.get(w), random);
      // a kill aimed at a launch window needs launches in flight: they come right after the approvals
      faultsPerWave.get(w).sort(java.util.Comparator.comparing(f -> f.aim() == Aim.ANY_MOMENT));
      waves.add(new Wave(w, IntStream.range(0, requestCount).filter(i -> i / waveSize == wave).boxed().toList(),
          List.copyOf(faultsPerWave.get(w))));
    }
    return new FaultPlan(seed, List.copyOf(requests), List.copyOf(planning), List.copyOf(waves));
  }

  private static ProcessFault processFault(FaultKind kind, Aim aim, Random random) {
    long delay = kind == FaultKind.LEADER_KILL || kind == FaultKind.PLAN_LEADER_KILL ? random.nextInt(1500)
        : random.nextInt(4000);
    long downtime = switch (kind) {
      // past the lease's 10 s renew deadline, so the leader loses its Lease while stopped
      case API_SERVER_STALL -> 11_000 + random.nextInt(3000);
      // how long the API server keeps ending watches early before it is restarted with defaults
      case WATCH_DISCONNECTS -> 15_000 + random.nextInt(15_000);
      default -> 500 + random.nextInt(2500);
    };
    return new ProcessFault(kind, delay, downtime, aim);
  }

  /** How many faults of each kind the plan holds. */
  public Map<FaultKind, Integer> counts() {
    Map<FaultKind, Integer> counts = new EnumMap<>(FaultKind.class);
    planning.forEach(f -> counts.merge(f.kind(), 1, Integer::sum));
    waves.forEach(w -> w.faults().forEach(f -> counts.merge(f.kind(), 1, Integer::sum)));
    requests.forEach(r -> {
      if (r.role() != Role.PLAIN && r.role() != Role.BLOCKER) {
        counts.merge(FaultKind.valueOf(r.role().name()), 1, Integer::sum);
      }
    });
    return counts;
  }
}
