package io.migrationgate.runner;

import io.migrationgate.contract.CredentialsSource;
import io.migrationgate.contract.Outcome;
import io.migrationgate.contract.RunnerCommand;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Failures to reach or to log in to the database, told in fixed words. The drivers' own messages
 * for them repeat what they were given: PostgreSQL's {@code password authentication failed for user
 * "<name>"} and {@code no pg_hba.conf entry for host ..., user "<name>"}, MariaDB's {@code Access
 * denied for user '<name>'@'<host>'}; with a Secret's keys mixed up, that name is the password.
 *
 * <p>The report reaches the request's status, its Events and its evidence ConfigMaps, and stderr
 * the pod's log and the evidence's log tail, all of which the requester reads. The operator copies
 * them as the runner wrote them and never reads a Secret, so this class is the one place that keeps
 * credentials out: a failure of this kind is described by its SQL state, the vendor's error code,
 * the kind of network error and the names (never the values) of the Secret's keys.
 */
final class ConnectionFailures {

  /** SQL state classes of a connection exception (08) and of invalid authorization (28). */
  private static final Set<String> CONNECTION_CLASSES = Set.of("08", "28");
  /**
   * PostgreSQL ending the session as the server stops or restarts (57P01 admin shutdown, 57P02 crash
   * shutdown, 57P03 cannot connect now): pgjdbc reports them as plain SQL errors, yet the
   * connection is gone as in class 08, and a later attempt may pass.
   */
  private static final Set<String> SERVER_GONE_STATES = Set.of("57P01", "57P02", "57P03");
  /**
   * PostgreSQL's "database does not exist" and "permission denied", MariaDB's "Unknown database" and
   * "Access denied ... to database" (42000): at connect time they are about the URL's database.
   */
  private static final Set<String> DATABASE_STATES = Set.of("3D000", "42000", "42501");

  private ConnectionFailures() {}

  /** Whether {@code failure} or one of its causes is the network or the database refusing a connection or a login. */
  static boolean isConnectionFailure(Throwable failure) {
    for (Throwable t : causes(failure)) {
      if (t instanceof SQLInvalidAuthorizationSpecException || t instanceof SQLNonTransientConnectionException
          || t instanceof SQLTransientConnectionException || t instanceof SocketException
          || t instanceof UnknownHostException || t instanceof SocketTimeoutException || t instanceof SSLException) {
        return true;
      }
      if (t instanceof SQLException sql && (stateClass(sql).filter(CONNECTION_CLASSES::contains).isPresent()
          || SERVER_GONE_STATES.contains(sql.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The outcome of a step that read the database and failed: {@link Outcome#CONNECTION_FAILED} when
   * the connection went away under it (nothing was applied, a later attempt may pass, and a plan is
   * retried), else the step's own {@code outcome}.
   */
  static Outcome outcomeOfRead(Throwable failure, Outcome outcome) {
    return isConnectionFailure(failure) ? Outcome.CONNECTION_FAILED : outcome;
  }

  /**
   * Why the first connection failed, in fixed words whatever the failure: nothing a driver said is
   * copied, since at this step any of it may repeat the user name. A refused login is
   * {@link Outcome#CREDENTIALS_REFUSED}, which only a corrected Secret fixes; anything else may pass.
   */
  static RunnerFailure atConnect(Throwable failure, String printableUrl, Optional<CredentialsSource> source) {
    Optional<SQLException> sql = first(failure, SQLException.class);
    String codes = codes(failure);
    if (refusedLogin(failure)) {
      String user = source.map(s -> "key " + s.usernameKey() + " of Secret " + s.secret())
          .orElse(RunnerCommand.USERNAME_ENV);
      String fix = source.map(s -> "check that key " + s.usernameKey() + " holds the database user's name and key "
              + s.passwordKey() + " its password")
          .orElse("check that " + RunnerCommand.USERNAME_ENV + " holds the database user's name and "
              + RunnerCommand.PASSWORD_ENV + " its password");
      return new RunnerFailure(Outcome.CREDENTIALS_REFUSED, "cannot log in to " + printableUrl
          + ": the database refused the login of the user in " + user + codes + "; " + fix
          + ", and that the user exists and may connect from the cluster", failure);
    }
    if (isConnectionFailure(failure)) {
      return new RunnerFailure(Outcome.CONNECTION_FAILED, "cannot reach the database at " + printableUrl + ": "
          + networkReason(failure) + codes + "; check the host, port, TLS parameters and network policy", failure);
    }
    if (sql.isPresent() && sql.get().getSQLState() != null && DATABASE_STATES.contains(sql.get().getSQLState())) {
      String user = source.map(s -> "the user in key " + s.usernameKey() + " of Secret " + s.secret())
          .orElse("the user");
      return new RunnerFailure(Outcome.CONNECTION_FAILED, "cannot connect to " + printableUrl
          + ": the database named in the URL does not exist, or " + user + " may not use it" + codes
          + "; check the database name and the user's grants", failure);
    }
    return new RunnerFailure(Outcome.CONNECTION_FAILED, "cannot connect to " + printableUrl
        + (sql.isPresent() ? ": the database refused the connection" : ": the driver failed to connect") + codes
        + "; the database's log at the time of this Job says why", failure);
  }

  /**
   * What may be printed of a failure at a step after the first connection: its own words, unless it
   * is a connection or login failure (the run opens new connections, and a database restarted or a
   * password rotated under it refuses one), which gets fixed words instead.
   */
  static String safeMessage(Throwable failure) {
    if (!isConnectionFailure(failure)) {
      return OneLine.of(failure.getMessage());
    }
    return refusedLogin(failure)
        ? "the database refused a new login" + codes(failure) + " after accepting the first one: the"
            + " credentials or the user changed during the run"
        : "the connection to the database failed: " + networkReason(failure) + codes(failure);
  }

  private static boolean refusedLogin(Throwable failure) {
    return causes(failure).stream().anyMatch(t -> t instanceof SQLInvalidAuthorizationSpecException
        || t instanceof SQLException sql && stateClass(sql).filter("28"::equals).isPresent());
  }

  private static String networkReason(Throwable failure) {
    if (first(failure, UnknownHostException.class).isPresent()) {
      return "the host name does not resolve";
    }
    if (first(failure, ConnectException.class).isPresent()) {
      return "the connection was refused (nothing listens on that port, or a firewall refuses it)";
    }
    if (first(failure, SocketTimeoutException.class).isPresent()) {
      return "no answer in time";
    }
    if (first(failure, SSLException.class).isPresent()) {
      return "the TLS handshake failed";
    }
    return "the database did not accept the connection, or closed it (down, restarting or out of connections)";
  }

  /** " (SQL state 28P01, error 1045)": the numbers a database's documentation explains; no text. */
  private static String codes(Throwable failure) {
    Optional<SQLException> sql = first(failure, SQLException.class);
    if (sql.isEmpty() || sql.get().getSQLState() == null) {
      return first(failure, Exception.class).filter(e -> !(e instanceof SQLException))
          .map(e -> " (" + e.getClass().getSimpleName() + ")").orElse("");
    }
    return " (SQL state " + sql.get().getSQLState()
        + (sql.get().getErrorCode() != 0 ? ", error " + sql.get().getErrorCode() : "") + ")";
  }

  private static Optional<String> stateClass(SQLException sql) {
    String state = sql.getSQLState();
    return state == null || state.length() < 2 ? Optional.empty() : Optional.of(state.substring(0, 2));
  }

  private static <T extends Throwable> Optional<T> first(Throwable failure, Class<T> type) {
    return causes(failure).stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  private static List<Throwable> causes(Throwable failure) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }
}
