package dev.cdds.localcluster;

/** Where pods reach the API server, as in-cluster clients learn it from their environment. */
record ClusterEndpoint(String host, int port, String caCertificatePem) {}
