package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.migrationgate.contract.JdbcUrl;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSpec {

  public static final String DEFAULT_USERNAME_KEY = "username";
  public static final String DEFAULT_PASSWORD_KEY = "password";

  // The pieces of the CEL rules on url; the allow-lists themselves come from JdbcUrl only.
  private static final String REFUSED_PARAMETER = "'parameter ' + self.substring(size(self.find('";
  private static final String ALLOWED_FOR = "'))).find('^[^=&]*') + ' is not allowed in database.url; allowed for '"
      + " + self.find('^jdbc:[a-z]+').substring(5) + ': ";
  // The list stays as written: CEL prices split/join on it beyond the CRD's budget.
  private static final String LIST = ", each with a plain value (letters, digits, . _ -)'";

  @Required
  @Size(max = 1024)
  @Pattern(JdbcUrl.SCHEME_PATTERN)
  @ValidationRule(
      value = "!self.matches(r'''" + JdbcUrl.CREDENTIAL_PARAMETER + "''')",
      message = "database.url must not carry credentials (user=/password=): put them in credentialsSecret")
  @ValidationRule(
      value = "!self.matches('" + JdbcUrl.USERINFO + "')",
      message = "database.url must not carry credentials (user:password@host): put them in credentialsSecret")
  @ValidationRule(
      value = "self.matches('" + JdbcUrl.SHAPE + "')",
      message = "database.url must look like " + JdbcUrl.SHAPE_HINT
          + " (host names or IPv4 addresses; a database name of letters, digits, _, $ and -)")
  @ValidationRule(
      value = "!self.startsWith('jdbc:" + JdbcUrl.POSTGRESQL + ":') || self.matches('" + JdbcUrl.POSTGRESQL_QUERY + "')",
      messageExpression =
          REFUSED_PARAMETER + JdbcUrl.POSTGRESQL_ALLOWED_PREFIX + ALLOWED_FOR + JdbcUrl.POSTGRESQL_PARAMETERS + LIST)
  @ValidationRule(
      value = "!(self.startsWith('jdbc:" + JdbcUrl.MYSQL + ":') || self.startsWith('jdbc:" + JdbcUrl.MARIADB + ":')) "
          + "|| self.matches('" + JdbcUrl.MARIADB_QUERY + "')",
      messageExpression =
          REFUSED_PARAMETER + JdbcUrl.MARIADB_ALLOWED_PREFIX + ALLOWED_FOR + JdbcUrl.MARIADB_PARAMETERS + LIST)
  @JsonPropertyDescription(
      "JDBC URL without credentials, e.g. jdbc:postgresql://orders-db:5432/orders?sslmode=require. "
          + "PostgreSQL, MySQL and MariaDB are supported; URL parameters are limited to TLS and timeouts "
          + "(see docs/runner.md).")
  public String url;

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Secret with the migrator's username and password: in the operator's namespace "
      + "for a MigrationTarget, in the request's namespace for an inline database.")
  public String credentialsSecret;

  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key of the username in credentialsSecret (default: username).")
  public String usernameKey;

  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key of the password in credentialsSecret (default: password).")
  public String passwordKey;
}
