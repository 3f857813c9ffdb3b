package io.migrationgate.operator.lifecycle;

import io.migrationgate.api.v1alpha1.MigrationRequestStatus;

/** A decision: the status the request should have, and the one action to perform next. */
public record Step(MigrationRequestStatus status, Action action) {}
