package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSpec {

  public static final String DEFAULT_USERNAME_KEY = "username";
  public static final String DEFAULT_PASSWORD_KEY = "password";

  @Required
  @Size(max = 1024)
  @Pattern("^jdbc:(postgresql|mysql|mariadb)://.+")
  @ValidationRule(
      value = "!self.matches('(?i)[?&;]\\\\s*(password|pwd|user|username)\\\\s*=')",
      message = "database.url must not carry credentials (user=/password=): put them in credentialsSecret")
  @ValidationRule(
      value = "!self.matches('^jdbc:[a-z]+://[^/?]*@')",
      message = "database.url must not carry credentials (user:password@host): put them in credentialsSecret")
  @JsonPropertyDescription(
      "JDBC URL without credentials, e.g. jdbc:postgresql://orders-db:5432/orders. "
          + "PostgreSQL, MySQL and MariaDB are supported.")
  public String url;

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Secret (same namespace) with the migrator's username and password.")
  public String credentialsSecret;

  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key of the username in credentialsSecret (default: username).")
  public String usernameKey;

  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key of the password in credentialsSecret (default: password).")
  public String passwordKey;
}
