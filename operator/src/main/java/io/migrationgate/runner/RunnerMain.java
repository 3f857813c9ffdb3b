package io.migrationgate.runner;

import ch.qos.logback.classic.LoggerContext;
import io.migrationgate.contract.BadArgumentsException;
import io.migrationgate.contract.JdbcUrl;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunReport;
import io.migrationgate.contract.RunReport.AppliedMigration;
import io.migrationgate.contract.RunReport.PendingMigration;
import io.migrationgate.contract.RunReport.VerificationResult;
import io.migrationgate.contract.RunnerCommand;
import io.migrationgate.contract.RunnerCommandParser;
import io.migrationgate.contract.RunnerOptions;
import io.migrationgate.runner.ConnectionProbe.DatabaseIdentity;
import io.migrationgate.runner.review.ScriptReview;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The programs inside the Jobs: {@code run} (digest check, connect, info, stale-plan check,
 * validate, data checks, migrate, verify, info, report) and {@code plan} (digest check, connect
 * read-only, info, validate, review of the pending scripts with its data checks, report; see {@link PlanMain};
 * for an image source, without opening it: {@link ImagePlan}). Both share everything up to a connected database. Each step that
 * can fail owns one {@link Outcome}, and so one exit code; whatever happens, a report is written
 * before the process ends, because the operator records evidence from it.
 */
public final class RunnerMain {

  /**
   * Which program this process is: the migration, the read-only look before approval, or the
   * read-only connection check of a MigrationTarget's status.
   */
  enum Program { RUN, PLAN, CHECK }

  /** What both programs have once the approved scripts are read and the database answered. */
  private record Connected(RunnerCommand command, MountedScripts scripts, TimeboxedDataSource dataSource,
      DatabaseIdentity database) {}

  private final Program program;
  private final Clock clock;
  private final PrintStream out;
  private final Progress progress;
  private final RunReport.Builder report = RunReport.builder();

  private Optional<Path> reportFile = Optional.of(RunnerCommand.DEFAULT_REPORT_FILE);
  // Closed when the program ends, whatever happened: the plan's holds its one connection open.
  private TimeboxedDataSource dataSource;
  // The exit code an unexpected exception is charged to: the step that was running.
  private Outcome currentStep = Outcome.BAD_ARGUMENTS;

  private RunnerMain(Program program, Clock clock, PrintStream out, PrintStream err) {
    this.program = program;
    this.clock = clock;
    this.out = out;
    this.progress = new Progress(err, System::currentTimeMillis);
  }

  public static void main(String[] args) {
    start(Program.RUN, args);
  }

  static void start(Program program, String[] args) {
    // Driver and library logs must not reach stdout, which carries the report line. A
    // configuration file given with -Dlogback.configurationFile is left to logback.
    if (System.getProperty("logback.configurationFile") == null) {
      RunnerLogging.configure((LoggerContext) LoggerFactory.getILoggerFactory());
    }
    // The JVM's default console charset follows the locale, which is ASCII in most images; the
    // report and the database's messages are not.
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    System.exit(run(program, args, System.getenv(), out, err));
  }

  /** Runs once and returns the process exit code; never calls System.exit, so tests can call it. */
  public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return run(Program.RUN, args, env, out, err);
  }

  static int run(Program program, String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    return new RunnerMain(program, Clock.systemUTC(), out, err).execute(args, env);
  }

  private int execute(String[] args, Map<String, String> env) {
    report.startedAt(timestamp(clock.instant()));
    report.flywayVersion(FlywaySteps.flywayVersion());
    if (program == Program.PLAN) {
      report.program(RunReport.PLAN_PROGRAM);
    }
    if (RunnerOptions.wantsHelp(Arrays.asList(args))) {
      progress.bare(RunnerOptions.usage());
      return Outcome.SUCCEEDED.exitCode();
    }
    try {
      String message = switch (program) {
        case PLAN -> plan(args, env);
        case CHECK -> check(args, env);
        case RUN -> migrate(args, env);
      };
      return finish(Outcome.SUCCEEDED, message);
    } catch (BadArgumentsException e) {
      return finish(Outcome.BAD_ARGUMENTS, "bad arguments: " + e.getMessage());
    } catch (RunnerFailure e) {
      return finish(e.outcome(), e.getMessage());
    } catch (RuntimeException | LinkageError e) {
      return finish(
          currentStep, "unexpected runner error: " + unexpected(e) + at(e));
    } finally {
      closeDataSource();
    }
  }

  private void closeDataSource() {
    if (dataSource == null) {
      return;
    }
    try {
      dataSource.close();
    } catch (SQLException e) {
      progress.note("could not close the database connection: " + ConnectionFailures.safeMessage(e));
    }
  }

  /** Arguments, scripts, digest and the first connection: the same steps for both programs. */
  private Connected connect(String[] args, Map<String, String> env)
      throws BadArgumentsException, RunnerFailure {
    reportFile = RunnerCommandParser.reportFileDespiteBadArguments(Arrays.asList(args), env);
    RunnerCommand command = RunnerCommandParser.parse(Arrays.asList(args), env, program != Program.CHECK);
    reportFile = command.reportFile();
    report.target(command.target());
    command.expectedDigest().ifPresent(report::expectedDigest);

    MountedScripts scripts = program == Program.CHECK ? MountedScripts.none()
        : command.scriptsDir().isPresent() ? approvedScripts(command, command.scriptsDir().get())
        : imageNotOpened(command.scriptsImage().orElseThrow());

    currentStep = Outcome.CONNECTION_FAILED;
    String printableUrl = JdbcUrl.printable(command.url());
    DatabaseCredentials credentials = DatabaseCredentials.fromEnvironment(env);
    boolean readOnly = program != Program.RUN;
    dataSource =
        new TimeboxedDataSource(
            command.url(),
            credentials.username(),
            credentials.password(),
            command.connectTimeout(),
            readOnly);
    long connectStart = progress.elapsedMillis();
    DatabaseIdentity database = ConnectionProbe.connect(dataSource, printableUrl, command.credentialsSecret());
    report.databaseProduct(database.product());
    report.databaseVersion(database.version());
    progress.note(
        "connected to "
            + database.product()
            + " "
            + database.version()
            + " at "
            + printableUrl
            + (readOnly ? " (read-only)" : "")
            + " in "
            + (progress.elapsedMillis() - connectStart)
            + " ms; first database connection "
            + millisSinceProcessStart()
            + " ms after process start");
    return new Connected(command, scripts, dataSource, database);
  }

  /** The mounted scripts, read once and checked against the approved digest. */
  private MountedScripts approvedScripts(RunnerCommand command, Path directory)
      throws BadArgumentsException, RunnerFailure {
    MountedScripts scripts = MountedScripts.read(directory);
    report.scriptCount(scripts.contentByName().size());
    currentStep = Outcome.DIGEST_MISMATCH;
    String digest = ScriptsDigestCheck.digestOf(scripts);
    report.scriptsDigest(digest);
    ScriptsDigestCheck.requireApproved(scripts, digest, command.expectedDigest());
    int count = scripts.contentByName().size();
    progress.note(count + (count == 1 ? " script in " : " scripts in ") + directory + ", digest " + digest
        + (command.expectedDigest().isPresent() ? " matches the approved digest" : " (no --expected-digest given: not checked)"));
    return scripts;
  }

  /** A plan of an image source: the image is not opened before approval, so there are no scripts to read. */
  private MountedScripts imageNotOpened(String image) throws BadArgumentsException {
    if (program == Program.RUN) {
      throw new BadArgumentsException("--scripts-image is for the plan program only: run applies the scripts mounted"
          + " with --scripts (the run Job copies them out of the approved image first)");
    }
    progress.note(ImagePlan.scriptsLine(image));
    return MountedScripts.none();
  }

  private String plan(String[] args, Map<String, String> env) throws BadArgumentsException, RunnerFailure {
    Connected connected = connect(args, env);
    currentStep = Outcome.VALIDATION_FAILED;
    FlywaySteps flyway = new FlywaySteps(connected.command(), connected.dataSource(), connected.scripts(), false);
    if (connected.command().scriptsImage().isPresent()) {
      return ImagePlan.read(flyway, connected.dataSource(), connected.command(), report).describe(connected.database());
    }
    LivePlan plan = LivePlan.read(flyway, connected.dataSource(), connected.command());
    report.historyTableExists(plan.historyTableExists())
        .plannedState(plan.state().toString())
        .schemaVersionBefore(plan.state().currentVersion())
        .history(plan.history())
        .pending(plan.pending())
        .findings(plan.findings());
    ScriptReview.Review review = checkedReview(connected, plan.pending()).review();
    report.risk(review.level(), review.digest(), review.findings());
    return plan.describe(connected.database()) + PlanReview.describe(review);
  }

  /** The check: a read-only connection and nothing else; its outcome is the connection's. */
  private String check(String[] args, Map<String, String> env) throws BadArgumentsException, RunnerFailure {
    DatabaseIdentity database = connect(args, env).database();
    return "reached " + database.product() + " " + database.version() + " read-only";
  }

  /** The review of the pending scripts with the live data's answers in its findings. */
  private PlanReview.Checked checkedReview(Connected connected, List<PendingMigration> pending) throws RunnerFailure {
    ScriptReview.Review review =
        PlanReview.of(connected.scripts(), pending, connected.command(), connected.database().product());
    long start = progress.elapsedMillis();
    PlanReview.Checked checked = PlanReview.withLiveData(review, connected.dataSource(), connected.command(),
        connected.database().product(), LiveDataChecks.CHECK_TIMEOUT);
    if (!checked.answers().isEmpty()) {
      progress.note(PlanReview.describeChecks(checked, progress.elapsedMillis() - start));
    }
    return checked;
  }

  private String migrate(String[] args, Map<String, String> env)
      throws BadArgumentsException, RunnerFailure {
    Connected connected = connect(args, env);
    RunnerCommand command = connected.command();
    TimeboxedDataSource dataSource = connected.dataSource();

    currentStep = Outcome.VALIDATION_FAILED;
    FlywaySteps flyway = new FlywaySteps(command, dataSource, connected.scripts(), true);
    HistorySnapshot before = flyway.history();
    report.schemaVersionBefore(before.currentVersion());
    progress.note("schema version before: " + RunMessages.version(before.currentVersion()));
    if (command.expectedState().isPresent()) {
      StalePlan.requireUnchanged(command.expectedState().get(), before);
      progress.note("the database is still in the planned state " + command.expectedState().get());
    }
    flyway.validate();
    progress.note("validated the schema history against the scripts");
    if (command.expectedState().isPresent()) {
      StalePlan.requireDataChecksPass(checkedReview(connected, before.pending()));
    }

    currentStep = Outcome.MIGRATION_FAILED;
    HistorySnapshot after;
    try {
      flyway.migrate();
    } catch (RunnerFailure failure) {
      after = historyAfterFailure(flyway);
      List<AppliedMigration> applied = after.appliedSince(before);
      report.applied(applied);
      report.schemaVersionAfter(after.currentVersion());
      if (failure.outcome() != Outcome.MIGRATION_FAILED) {
        throw failure;
      }
      throw new RunnerFailure(
          failure.outcome(),
          failure.getMessage() + RunMessages.aftermath(after, applied, command.table()),
          failure.getCause());
    }
    after = flyway.history();
    List<AppliedMigration> applied = after.appliedSince(before);
    report.applied(applied);
    report.schemaVersionAfter(after.currentVersion());

    currentStep = Outcome.VERIFICATION_FAILED;
    List<VerificationResult> verification =
        VerificationQueries.run(dataSource, command.verifyQueries(), command.verifyTimeout());
    report.verification(verification);
    List<VerificationResult> failed =
        verification.stream().filter(result -> !result.passed()).toList();
    if (!failed.isEmpty()) {
      throw new RunnerFailure(
          Outcome.VERIFICATION_FAILED, RunMessages.verificationFailure(failed, verification, after));
    }
    return RunMessages.success(before, after, applied, verification, command.target());
  }

  private HistorySnapshot historyAfterFailure(FlywaySteps flyway) {
    try {
      return flyway.history();
    } catch (RunnerFailure | RuntimeException e) {
      progress.note("could not read the schema history after the failure: " + ConnectionFailures.safeMessage(e));
      return HistorySnapshot.UNKNOWN;
    }
  }

  private int finish(Outcome outcome, String text) {
    String message = OneLine.of(text);
    report.outcome(outcome).message(message).finishedAt(timestamp(clock.instant()));
    if (outcome.succeeded()) {
      progress.note(message);
    } else {
      progress.bare(message);
    }
    ReportWriter.write(report.build(), out, reportFile, progress);
    return outcome.exitCode();
  }

  /** An exception no step expected, by its class and words; a connection failure's words are the fixed ones. */
  private static String unexpected(Throwable e) {
    return ConnectionFailures.isConnectionFailure(e)
        ? e.getClass().getName() + ": " + ConnectionFailures.safeMessage(e)
        : OneLine.of(String.valueOf(e));
  }

  private static String at(Throwable e) {
    StackTraceElement[] frames = e.getStackTrace();
    return frames.length == 0 ? "" : " at " + frames[0];
  }

  private static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  /**
   * The JVM's own uptime: the process start time the OS reports (ProcessHandle) is derived from
   * boot time in whole seconds and can be off by up to a second.
   */
  private static long millisSinceProcessStart() {
    return ManagementFactory.getRuntimeMXBean().getUptime();
  }
}
