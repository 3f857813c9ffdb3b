package io.migrationgate.runner.review;

import java.util.Locale;
import org.flywaydb.core.api.configuration.Configuration;
import org.flywaydb.core.internal.parser.Parser;
import org.flywaydb.core.internal.parser.ParsingContext;
import org.flywaydb.database.mysql.MySQLParser;
import org.flywaydb.database.mysql.mariadb.MariaDBParser;
import org.flywaydb.database.postgresql.PostgreSQLParser;

/** The database family a script is reviewed for; it decides which rules apply and how Flyway splits it. */
public enum Dialect {
  POSTGRESQL,
  MYSQL,
  MARIADB;

  /** From the product name the JDBC driver reports ("PostgreSQL", "MySQL", "MariaDB"). */
  public static Dialect ofProduct(String product) {
    String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
    if (name.contains("postgres")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb")) {
      return MARIADB;
    }
    if (name.contains("mysql")) {
      return MYSQL;
    }
    throw new IllegalArgumentException("no script review for the database product '" + product
        + "': the review knows PostgreSQL, MySQL and MariaDB");
  }

  public boolean postgres() {
    return this == POSTGRESQL;
  }

  /**
   * Flyway's own statement splitter for this database, so that the statements and lines reviewed
   * are the ones Flyway will execute, and its verdict on which statements cannot run in a
   * transaction is the one the run will act on.
   */
  Parser flywayParser(Configuration configuration) {
    return switch (this) {
      case POSTGRESQL -> new PostgreSQLParser(configuration, new ParsingContext());
      case MYSQL -> new MySQLParser(configuration, new ParsingContext());
      case MARIADB -> new MariaDBParser(configuration, new ParsingContext());
    };
  }
}
