namespace Flows.Cluster.Protocol;

/// <summary>
/// One result fetched from another worker (<see cref="IWorkerGrain.FetchNear"/>): its bytes, or, when the
/// fetching worker shares this machine's memory and the value is large, the shared-memory file that
/// holds them (<c>SharedMemory</c>): the fetcher maps it and decodes in place, and the bytes never
/// travel through Orleans' sockets.
/// </summary>
[GenerateSerializer, Immutable]
internal sealed class FetchedValue
{
    /// <summary>The value as its producer's codec writes it; null when <see cref="Path"/> names a file instead.</summary>
    [Id(0)] public byte[]? Bytes { get; init; }

    /// <summary>The file in the owner's shared-memory folder; it lives until the result is released.</summary>
    [Id(1)] public string? Path { get; init; }

    /// <summary>The length of the bytes in <see cref="Path"/>.</summary>
    [Id(2)] public long Length { get; init; }
}
