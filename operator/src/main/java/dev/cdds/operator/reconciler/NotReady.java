package dev.cdds.operator.reconciler;

/** Why a job can't run as it is: a CamelCase reason and a message saying what to do. */
record NotReady(String reason, String message) {}
