package io.migrationgate.contract;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A read-only query run after migrating, whose first column of the first row must equal expect. */
public record VerifyQuery(String name, String sql, String expect) {

  /** The CRD's CEL rule on the list: each name appears once. */
  public static final String UNIQUE_NAMES_RULE = "self.all(q, self.exists_one(o, o.name == q.name))";

  /** The first name that appears a second time: evidence names each query, so names are unique. */
  public static Optional<String> repeatedName(List<String> names) {
    Set<String> seen = new HashSet<>();
    return names.stream().filter(name -> !seen.add(name)).findFirst();
  }
}
