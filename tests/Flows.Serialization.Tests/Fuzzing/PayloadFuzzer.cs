using Flows.Graph;

namespace Flows.Serialization.Tests;

/// <summary>What one fuzzing run saw.</summary>
/// <param name="Cases">Payloads read.</param>
/// <param name="Accepted">Payloads that read without error (mutations that still made sense).</param>
/// <param name="Refused">Payloads refused with <see cref="FlowSerializationException"/>.</param>
/// <param name="MaxAllocatedPerByte">The largest allocation per payload byte seen in one read of a payload of 64 bytes or more.</param>
internal sealed record FuzzReport(long Cases, long Accepted, long Refused, double MaxAllocatedPerByte);

/// <summary>
/// Feeds a codec random payloads and mutations of valid ones, and fails on anything but a clean
/// read or a <see cref="FlowSerializationException"/>: another exception, or an allocation larger
/// than the payload can justify. Shared by the bounded CI test and the Flows.Fuzz console runner.
/// </summary>
internal static class PayloadFuzzer
{
    /// <summary>The most one read may allocate: a fixed allowance plus a bounded factor of its length.</summary>
    public static long AllocationBound(int payloadLength) => (1 << 20) + (256L * payloadLength);

    /// <summary>
    /// Reads <paramref name="cases"/> payloads: as the task's whole arguments, as its result
    /// (<paramref name="result"/>), or as its single input at <paramref name="position"/>.
    /// </summary>
    public static FuzzReport Run(ITaskCodec codec, IReadOnlyList<byte[]> seeds, long cases, int seed, bool result = false, int? position = null)
    {
        var random = new Random(seed);
        long accepted = 0, refused = 0;
        double maxPerByte = 0;
        for (long i = 0; i < cases; i++)
        {
            var payload = i % 2 == 0 ? Mutate(random, seeds[random.Next(seeds.Count)]) : RandomPayload(random);
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                if (result)
                {
                    codec.ReadResult(payload);
                }
                else if (position is { } at)
                {
                    codec.ReadArgument(at, payload);
                }
                else
                {
                    codec.ReadArguments(payload);
                }

                accepted++;
            }
            catch (FlowSerializationException)
            {
                refused++;
            }
            catch (Exception e)
            {
                throw new InvalidOperationException(
                    $"Case {i} (seed {seed}) threw {e.GetType().Name} instead of FlowSerializationException. Payload: {Convert.ToHexString(payload)}", e);
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > AllocationBound(payload.Length))
            {
                throw new InvalidOperationException(
                    $"Case {i} (seed {seed}) allocated {allocated} bytes for a {payload.Length}-byte payload. Payload: {Convert.ToHexString(payload)}");
            }

            if (payload.Length >= 64)
            {
                maxPerByte = Math.Max(maxPerByte, allocated / (double)payload.Length);
            }
        }

        return new FuzzReport(cases, accepted, refused, maxPerByte);
    }

    /// <summary>A random payload, usually with the right version byte so that it gets past the header.</summary>
    private static byte[] RandomPayload(Random random)
    {
        var payload = new byte[random.Next(0, 96)];
        random.NextBytes(payload);
        if (payload.Length > 0 && random.Next(8) != 0)
        {
            payload[0] = WireFormat.Version;
        }

        // Small values and markers are where the format's decisions are.
        for (var i = 1; i < payload.Length; i++)
        {
            if (random.Next(3) == 0)
            {
                payload[i] = (byte)random.Next(4);
            }
        }

        return payload;
    }

    private static readonly byte[] s_interesting = { 0x00, 0x01, 0x02, 0x7F, 0x80, 0xFF, 0xFE, 0x40 };

    /// <summary>A valid payload with one to four edits: bit flips, interesting bytes, cuts, insertions, copies.</summary>
    private static byte[] Mutate(Random random, byte[] valid)
    {
        var bytes = new List<byte>(valid);
        var edits = random.Next(1, 5);
        for (var e = 0; e < edits; e++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = s_interesting[random.Next(s_interesting.Length)];
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.Insert(at, s_interesting[random.Next(s_interesting.Length)]);
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 9), bytes.Count - at));
                    break;
                case 5 when bytes.Count > 4:
                    // A forged varint length: up to 2^32-1.
                    var forged = new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, (byte)random.Next(0x10) };
                    bytes.InsertRange(at, forged.Take(random.Next(1, 6)));
                    break;
                default:
                    if (bytes.Count > 2)
                    {
                        var start = random.Next(bytes.Count);
                        var count = Math.Min(random.Next(1, 16), bytes.Count - start);
                        bytes.InsertRange(at, bytes.GetRange(start, count));
                    }

                    break;
            }
        }

        return bytes.ToArray();
    }
}
