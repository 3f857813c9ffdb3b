package io.migrationgate.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.migrationgate.contract.JdbcUrl.Host;
import io.migrationgate.contract.JdbcUrl.RefusedUrlException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcUrlTest {

  @Test
  void readsDriverHostsDefaultPortsDatabaseAndParameters() {
    JdbcUrl url = JdbcUrl.parse("jdbc:postgresql://db-1.shop:5433,db-2/orders?sslmode=require&connectTimeout=10");

    assertThat(url.driver()).isEqualTo("postgresql");
    assertThat(url.hosts()).containsExactly(new Host("db-1.shop", 5433), new Host("db-2", 5432));
    assertThat(url.database()).isEqualTo("orders");
    assertThat(url.parameters()).containsExactly(Map.entry("sslmode", "require"), Map.entry("connectTimeout", "10"));
    assertThat(JdbcUrl.parse("jdbc:mysql://10.0.0.7/shop").hosts()).containsExactly(new Host("10.0.0.7", 3306));
    assertThat(JdbcUrl.parse("jdbc:mariadb://db/shop").parameters()).isEmpty();
  }

  /** Code, SQL, class names, files, a second host and server settings, in each driver's spelling. */
  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:mariadb://db/shop?initSql=delete from orders",
      "jdbc:mariadb://db/shop?INITSQL=select 1",
      "jdbc:mariadb://db/shop?initsql=select 1",
      "jdbc:mysql://db/shop?sslMode=trust&allowMultiQueries=true",
      "jdbc:mariadb://db/shop?sessionVariables=sql_mode=x",
      "jdbc:mariadb://db/shop?trustServerCertificate=true",
      "jdbc:mariadb://db/shop?serverSslCert=/etc/passwd",
      "jdbc:mariadb://db/shop?allowPublicKeyRetrieval=true",
      "jdbc:mariadb://db/shop?permitMysqlScheme",
      "jdbc:postgresql://db/orders?options=-c%20default_transaction_read_only=off",
      "jdbc:postgresql://db/orders?socketFactory=org.example.Evil",
      "jdbc:postgresql://db/orders?sslfactory=org.example.Evil",
      "jdbc:postgresql://db/orders?sslrootcert=/etc/passwd",
      "jdbc:postgresql://db/orders?loggerFile=/tmp/x",
      "jdbc:postgresql://db/orders?preferQueryMode=simple",
      "jdbc:postgresql://db/orders?currentSchema=other",
      "jdbc:postgresql://db/orders?PGHOST=elsewhere",
      "jdbc:postgresql://db/orders?%6Fptions=x",
      "jdbc:postgresql://db/orders?sslMode=disable&useSsl=true",
      "jdbc:mariadb://db/shop?sslmode=disable&ssl=true",
      "jdbc:postgresql://db/orders?user=app",
      "jdbc:postgresql://db/orders?sslmode=require&"})
  void refusesEveryParameterOutsideTheDriversListNamingIt(String url) {
    String pair = url.substring(url.lastIndexOf(url.contains("&") ? '&' : '?') + 1);
    String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
    String driver = url.substring(5, url.indexOf(':', 5));

    assertThatThrownBy(() -> JdbcUrl.parse(url))
        .isInstanceOf(RefusedUrlException.class)
        .hasMessage("parameter " + (name.isEmpty() ? "''" : name) + " is not allowed; allowed for " + driver + ": "
            + String.join(", ", JdbcUrl.allowedParameters(driver)));
  }

  @Test
  void namesCompareIgnoringCaseAsConnectorJReadsThem() {
    assertThat(JdbcUrl.parse("jdbc:mariadb://db/shop?SSLMODE=verify-full&usessl=true").parameters())
        .containsExactly(Map.entry("SSLMODE", "verify-full"), Map.entry("usessl", "true"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:postgresql://db/orders?sslmode=require?options=x",
      "jdbc:postgresql://db/orders?ApplicationName=a%20b",
      "jdbc:postgresql://db/orders?connectTimeout=",
      "jdbc:postgresql://db/orders?connectTimeout",
      "jdbc:mariadb://db/shop?connectTimeout=10;initSql=x"})
  void refusesValuesThatAreNotPlainWords(String url) {
    assertThatThrownBy(() -> JdbcUrl.parse(url))
        .isInstanceOf(RefusedUrlException.class)
        .satisfiesAnyOf(
            e -> assertThat(e).hasMessageContaining("needs a plain value"),
            e -> assertThat(e).hasMessageStartingWith("must look like"))
        .message().doesNotContain("options=x", "initSql=x");
  }

  @Test
  void refusesARepeatedParameterAnApproverMightReadOnlyOnce() {
    assertThatThrownBy(() -> JdbcUrl.parse("jdbc:postgresql://db/orders?sslmode=require&SSLMODE=disable"))
        .hasMessage("parameter SSLMODE is given more than once");
  }

  /** Every place other than the query where a driver would read a host or a parameter. */
  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:mariadb://address=(host=elsewhere)(port=3306)/shop",
      "jdbc:mysql://db/shop;initSql=select 1",
      "jdbc:postgresql://db/orders;options=x",
      "jdbc:postgresql://app:secret@db/orders",
      "jdbc:postgresql://db/orders#x",
      "jdbc:postgresql://db",
      "jdbc:postgresql:///orders",
      "jdbc:postgresql://db/",
      "jdbc:postgresql:orders",
      "jdbc:mariadb:replication://db1,db2/shop",
      "jdbc:postgresql://[::1]:5432/orders",
      "jdbc:postgresql://db/or ders",
      "JDBC:POSTGRESQL://db/orders",
      "jdbc:oracle:thin:@db:1521/orders"})
  void refusesUrlsOutsideTheShape(String url) {
    assertThatThrownBy(() -> JdbcUrl.parse(url))
        .isInstanceOf(RefusedUrlException.class)
        .hasMessageStartingWith("must look like jdbc:<postgresql|mysql|mariadb>://host[:port]");
  }

  @Test
  void refusesAPortOutOfRange() {
    assertThatThrownBy(() -> JdbcUrl.parse("jdbc:postgresql://db:70000/orders"))
        .hasMessage("port 70000 of host db is not between 1 and 65535");
  }

  /**
   * The CRD's CEL rules use these patterns verbatim; whatever the parser refuses for a parameter,
   * they refuse too, and the prefix they use for the message ends right before the refused pair.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "jdbc:mariadb://db/shop?initSql=delete from orders",
      "jdbc:mariadb://db/shop?connectTimeout=5&INITSQL=select 1",
      "jdbc:mysql://db/shop?sslMode=trust&allowMultiQueries=true&socketTimeout=1",
      "jdbc:postgresql://db/orders?sslmode=require&options=-c%20x=y",
      "jdbc:postgresql://db/orders?PGHOST=elsewhere",
      "jdbc:postgresql://db/orders?%6Fptions=x",
      "jdbc:postgresql://db/orders?sslmode=re quire&ssl=true"})
  void theCelPatternsRefuseWhatTheParserRefusesAndFindTheRefusedName(String url) {
    String message = assertThrows(RefusedUrlException.class, () -> JdbcUrl.parse(url)).getMessage();
    boolean postgresql = url.startsWith("jdbc:postgresql:");
    Pattern query = Pattern.compile(postgresql ? JdbcUrl.POSTGRESQL_QUERY : JdbcUrl.MARIADB_QUERY);
    Matcher prefix = Pattern.compile(postgresql ? JdbcUrl.POSTGRESQL_ALLOWED_PREFIX : JdbcUrl.MARIADB_ALLOWED_PREFIX)
        .matcher(url);

    assertThat(query.matcher(url).matches()).isFalse();
    assertThat(prefix.lookingAt()).isTrue();
    String refusedName = url.substring(prefix.end()).replaceAll("[=&].*", "");
    assertThat(message).startsWith("parameter " + refusedName + " ");
  }

  @Test
  void theCelPatternsAcceptTheAllowedParametersInAnyCase() {
    for (String url : List.of(
        "jdbc:postgresql://db/orders",
        "jdbc:postgresql://db/orders?sslmode=require",
        "jdbc:postgresql://a,b:5433/orders?ssl=true&ApplicationName=orders-migration&targetServerType=primary",
        "jdbc:postgresql://db/orders?CONNECTTIMEOUT=10&loginTimeout=5&socketTimeout=0")) {
      JdbcUrl.parse(url);
      assertThat(Pattern.compile(JdbcUrl.SHAPE).matcher(url).matches()).as(url).isTrue();
      assertThat(Pattern.compile(JdbcUrl.POSTGRESQL_QUERY).matcher(url).matches()).as(url).isTrue();
    }
    String mariadb = "jdbc:mariadb://db/shop?useSSL=true&sslMode=verify-full&connectTimeout=10&SocketTimeout=0";
    JdbcUrl.parse(mariadb);
    assertThat(Pattern.compile(JdbcUrl.MARIADB_QUERY).matcher(mariadb).matches()).isTrue();
  }

  @Test
  void thePatternsCanBeQuotedVerbatimInCelStringLiterals() {
    assertThat(JdbcUrl.SHAPE + JdbcUrl.POSTGRESQL_QUERY + JdbcUrl.MARIADB_QUERY + JdbcUrl.POSTGRESQL_ALLOWED_PREFIX
            + JdbcUrl.MARIADB_ALLOWED_PREFIX + JdbcUrl.POSTGRESQL_PARAMETERS + JdbcUrl.MARIADB_PARAMETERS)
        .doesNotContain("\\", "'");
  }
}
