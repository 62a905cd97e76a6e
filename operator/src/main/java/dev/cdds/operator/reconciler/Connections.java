package dev.cdds.operator.reconciler;

import java.util.Optional;

/** Where a job's pods read from and write to: names of Secrets and claims, never their contents. */
record Connections(String sourceSecret, Optional<String> claim, Optional<String> s3Secret) {}
