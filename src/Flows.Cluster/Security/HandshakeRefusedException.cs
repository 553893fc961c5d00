namespace Flows.Cluster.Security;

/// <summary>A peer that did not prove the cluster's secret; the message says how it failed.</summary>
internal sealed class HandshakeRefusedException(string reason) : Exception(reason);
