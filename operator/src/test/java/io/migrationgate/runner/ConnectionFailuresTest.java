package io.migrationgate.runner;

import static org.assertj.core.api.Assertions.assertThat;

import io.migrationgate.contract.CredentialsSource;
import io.migrationgate.contract.Outcome;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.util.Optional;
import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;
import org.postgresql.util.ServerErrorMessage;

/**
 * The drivers' exceptions as they throw them (PostgreSQL's PSQLException with its states, MariaDB's
 * JDBC subclasses with state and vendor code), each carrying the input a real refusal quotes: the
 * fixed words name keys and codes, never that input. PostgresRunnerTest and MariaDbRunnerTest
 * prove the same against the real servers.
 */
class ConnectionFailuresTest {

  private static final String PASSWORD = "hunter2-used-as-user";
  private static final String URL = "jdbc:postgresql://orders-db:5432/orders";
  private static final Optional<CredentialsSource> KEYS =
      Optional.of(new CredentialsSource("orders-db", "password", "password"));

  @Test
  void aRefusedLoginOfEitherDriverNamesTheKeysAndNotTheUser() {
    Throwable postgres = new PSQLException(
        "FATAL: password authentication failed for user \"" + PASSWORD + "\"", PSQLState.INVALID_PASSWORD);
    Throwable mariaDb = new SQLInvalidAuthorizationSpecException(
        "(conn=7) Access denied for user '" + PASSWORD + "'@'localhost' (using password: YES)", "28000", 1045);

    for (Throwable refusal : new Throwable[] {postgres, mariaDb}) {
      RunnerFailure failure = ConnectionFailures.atConnect(refusal, URL, KEYS);
      assertThat(failure.outcome()).isEqualTo(Outcome.CREDENTIALS_REFUSED);
      assertThat(failure.getMessage()).doesNotContain(PASSWORD)
          .startsWith("cannot log in to " + URL + ": the database refused the login of the user in key password"
              + " of Secret orders-db (SQL state 28")
          .contains("check that key password holds the database user's name and key password its password");
    }
    assertThat(ConnectionFailures.atConnect(mariaDb, URL, KEYS).getMessage()).contains("(SQL state 28000, error 1045)");
  }

  @Test
  void withoutTheSecretsNamesARefusedLoginNamesTheVariables() {
    RunnerFailure failure = ConnectionFailures.atConnect(new PSQLException(
        "FATAL: no pg_hba.conf entry for host \"10.0.0.9\", user \"" + PASSWORD + "\"", PSQLState.INVALID_AUTHORIZATION_SPECIFICATION),
        URL, Optional.empty());

    assertThat(failure.getMessage()).doesNotContain(PASSWORD)
        .contains("the user in MG_DB_USERNAME (SQL state 28000)")
        .contains("check that MG_DB_USERNAME holds the database user's name and MG_DB_PASSWORD its password");
  }

  @Test
  void anUnreachableHostSaysWhatFailedOnTheNetworkWithoutTheDriversWords() {
    PSQLException refused = new PSQLException("Connection to orders-db:5432 refused.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
        new ConnectException("Connection refused"));
    PSQLException unknown = new PSQLException("The connection attempt failed.", PSQLState.CONNECTION_UNABLE_TO_CONNECT,
        new UnknownHostException("orders-db"));
    SQLNonTransientConnectionException mariaDb = new SQLNonTransientConnectionException(
        "Socket fail to connect to address=(host=orders-db)(port=3306)(type=primary). Connection refused", "08000");

    assertThat(ConnectionFailures.atConnect(refused, URL, KEYS).getMessage())
        .isEqualTo("cannot reach the database at " + URL + ": the connection was refused (nothing listens on that port,"
            + " or a firewall refuses it) (SQL state 08001); check the host, port, TLS parameters and network policy");
    assertThat(ConnectionFailures.atConnect(unknown, URL, KEYS).getMessage()).contains("the host name does not resolve");
    RunnerFailure failure = ConnectionFailures.atConnect(mariaDb, URL, KEYS);
    assertThat(failure.outcome()).as("may pass by itself, so a plan is tried again").isEqualTo(Outcome.CONNECTION_FAILED);
    assertThat(failure.getMessage()).doesNotContain("Socket fail").contains("(SQL state 08000)");
  }

  @Test
  void aMissingDatabaseOrAnyOtherRefusalAtConnectCopiesNoTextEither() {
    SQLSyntaxErrorException denied = new SQLSyntaxErrorException(
        "(conn=9) Access denied for user '" + PASSWORD + "'@'%' to database 'orders'", "42000", 1044);
    SQLException tooMany = new SQLException("FATAL: sorry, too many clients already", "53300");

    assertThat(ConnectionFailures.atConnect(denied, URL, KEYS).getMessage()).doesNotContain(PASSWORD)
        .contains("the database named in the URL does not exist, or the user in key password of Secret orders-db may"
            + " not use it (SQL state 42000, error 1044)");
    assertThat(ConnectionFailures.atConnect(tooMany, URL, KEYS).getMessage()).doesNotContain("too many clients")
        .contains("the database refused the connection (SQL state 53300)");
    assertThat(ConnectionFailures.atConnect(new IllegalStateException("user " + PASSWORD), URL, KEYS).getMessage())
        .isEqualTo("cannot connect to " + URL + ": the driver failed to connect (IllegalStateException); the"
            + " database's log at the time of this Job says why");
  }

  @Test
  void aLaterStepKeepsTheDatabasesWordsUnlessAConnectionOrLoginFailed() {
    FlywayException lostLogin = new FlywayException("Unable to obtain connection from database: FATAL: password"
        + " authentication failed for user \"" + PASSWORD + "\"",
        new PSQLException("FATAL: password authentication failed for user \"" + PASSWORD + "\"", PSQLState.INVALID_PASSWORD));
    SQLException scriptError = new PSQLException("ERROR: relation \"orders\" already exists", PSQLState.UNEXPECTED_ERROR);

    assertThat(ConnectionFailures.safeMessage(lostLogin)).doesNotContain(PASSWORD)
        .isEqualTo("the database refused a new login (SQL state 28P01) after accepting the first one: the credentials"
            + " or the user changed during the run");
    assertThat(ConnectionFailures.safeMessage(scriptError)).isEqualTo("ERROR: relation \"orders\" already exists");
    assertThat(ConnectionFailures.isConnectionFailure(scriptError)).isFalse();
  }

  @Test
  void aSessionEndedByAServerRestartIsAConnectionFailureSoThePlanIsRetried() {
    // As pgjdbc reports a backend ended by pg_terminate_backend or a fast shutdown: state 57P01.
    Throwable ended = new PSQLException(new ServerErrorMessage(
        "SFATAL\0C57P01\0Mterminating connection due to administrator command\0"));
    Throwable missingTable = new PSQLException(new ServerErrorMessage(
        "SERROR\0C42P01\0Mrelation \"orders\" does not exist\0"));

    assertThat(ConnectionFailures.outcomeOfRead(ended, Outcome.VALIDATION_FAILED)).isEqualTo(Outcome.CONNECTION_FAILED);
    assertThat(ConnectionFailures.outcomeOfRead(missingTable, Outcome.VALIDATION_FAILED))
        .isEqualTo(Outcome.VALIDATION_FAILED);
  }
}
