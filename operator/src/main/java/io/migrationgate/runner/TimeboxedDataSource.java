package io.migrationgate.runner;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Hands Flyway connections whose opening can never hang: every driver timeout that covers the TCP
 * connect and the login handshake is set to the connect timeout.
 *
 * <p>Once a connection is open its read timeout is lifted again, because a migration statement
 * (an index build, a table rewrite) may legitimately run far longer than a connect should take;
 * the Job's activeDeadlineSeconds bounds the whole run instead.
 *
 * <p>A read-only source (the plan's) hands out connections on which the database itself refuses
 * every write: the JDBC read-only flag alone is a hint some drivers ignore, so the session's
 * transactions are made read-only too, before anyone else sees the connection. It also keeps one
 * connection for the whole plan: the probe, the catalog lookup and Flyway's info and validate
 * opened six between them, each a login (a scram exchange that a cold JVM computes slowly) and
 * a server process, 0.8-1.4 s of a 3-4 s plan (docs/benchmarks.md, "The plan program's cost").
 * A handle's {@code close()} leaves that connection open for the next step; {@link #close()} ends
 * it. The run, once per approved request, keeps a connection per step, so that its verify queries
 * have a session of their own.
 */
final class TimeboxedDataSource implements DataSource, AutoCloseable {

  private static final Executor SAME_THREAD = Runnable::run;

  private final String url;
  private final Properties properties;
  private final Duration connectTimeout;
  private final boolean readOnly;
  // The plan's one connection, opened by the first getConnection(); set by the probe's thread,
  // used by the main thread after it.
  private volatile Connection shared;

  TimeboxedDataSource(
      String url, Optional<String> username, Optional<String> password, Duration connectTimeout, boolean readOnly) {
    this.url = withMysqlSchemeAccepted(url);
    this.connectTimeout = connectTimeout;
    this.readOnly = readOnly;
    this.properties = new Properties();
    username.ifPresent(u -> properties.setProperty("user", u));
    password.ifPresent(p -> properties.setProperty("password", p));
    long seconds = Math.max(1, ceilSeconds(connectTimeout));
    long millis = Math.max(1, connectTimeout.toMillis());
    if (url.startsWith("jdbc:postgresql:")) {
      properties.setProperty("connectTimeout", Long.toString(seconds));
      properties.setProperty("loginTimeout", Long.toString(seconds));
      properties.setProperty("socketTimeout", Long.toString(seconds));
      properties.setProperty("tcpKeepAlive", "true");
      properties.setProperty("ApplicationName", "migration-gate-runner");
    } else {
      properties.setProperty("connectTimeout", Long.toString(millis));
      properties.setProperty("socketTimeout", Long.toString(millis));
      properties.setProperty("tcpKeepAlive", "true");
    }
  }

  /**
   * The MariaDB driver serves MySQL servers too but only accepts jdbc:mysql: URLs when asked to,
   * and no separate MySQL driver ships in the image.
   */
  static String withMysqlSchemeAccepted(String url) {
    if (!url.startsWith("jdbc:mysql:") || url.contains("permitMysqlScheme")) {
      return url;
    }
    return url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme";
  }

  Duration connectTimeout() {
    return connectTimeout;
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (!readOnly) {
      return open();
    }
    Connection connection = shared;
    if (connection == null || connection.isClosed()) {
      connection = open();
      shared = connection;
    }
    return keptOpen(connection);
  }

  /** Ends the plan's connection, if one was opened; a run's source holds none. */
  @Override
  public void close() throws SQLException {
    Connection connection = shared;
    shared = null;
    if (connection != null) {
      connection.close();
    }
  }

  private Connection open() throws SQLException {
    Connection connection = DriverManager.getConnection(url, properties);
    try {
      connection.setNetworkTimeout(SAME_THREAD, 0);
      if (readOnly) {
        makeReadOnly(connection);
      }
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
    return connection;
  }

  /** A handle on {@code connection} whose close() leaves it open; everything else goes through. */
  private static Connection keptOpen(Connection connection) {
    InvocationHandler handler = (proxy, method, args) -> {
      if (method.getName().equals("close") && method.getParameterCount() == 0) {
        return null;
      }
      try {
        return method.invoke(connection, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return (Connection) Proxy.newProxyInstance(
        Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
  }

  private static void makeReadOnly(Connection connection) throws SQLException {
    connection.setReadOnly(true);
    boolean postgres = connection.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).contains("postgres");
    try (Statement statement = connection.createStatement()) {
      statement.execute(postgres
          ? "SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY"
          : "SET SESSION TRANSACTION READ ONLY");
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials come from MG_DB_USERNAME/MG_DB_PASSWORD");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {}

  @Override
  public void setLoginTimeout(int seconds) {}

  @Override
  public int getLoginTimeout() {
    return (int) Math.min(Integer.MAX_VALUE, ceilSeconds(connectTimeout));
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper for " + iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  static long ceilSeconds(Duration duration) {
    long seconds = duration.getSeconds();
    return duration.getNano() > 0 ? seconds + 1 : seconds;
  }
}
