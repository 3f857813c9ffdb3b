package io.migrationgate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlannedDatabase {

  @JsonPropertyDescription("postgresql, mysql or mariadb, as the URL names it.")
  public String driver;

  @JsonPropertyDescription("Where the driver connects, in order, with the default port filled in.")
  public List<Host> hosts = new ArrayList<>();

  @JsonPropertyDescription("The database the scripts run in.")
  public String database;

  @JsonPropertyDescription("Hosts and database in one line, host:port[,host:port]/database, as `kubectl get mr -o wide`"
      + " shows it; no parameters, never credentials.")
  public String address;

  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  @JsonPropertyDescription("The URL's parameters (TLS and timeouts only).")
  public Map<String, String> parameters = new LinkedHashMap<>();

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Host {

    @JsonPropertyDescription("Host name or IP address, as written in the URL.")
    public String host;

    @JsonPropertyDescription("Port; the driver's default (5432, 3306) when the URL has none.")
    public Integer port;
  }
}
