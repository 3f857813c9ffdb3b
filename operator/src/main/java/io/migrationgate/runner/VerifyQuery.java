package io.migrationgate.runner;

/** A read-only query run after migrating, whose first column of the first row must equal expect. */
public record VerifyQuery(String name, String sql, String expect) {}
