using System.Collections.Immutable;

namespace Flows.Serialization.Tests;

/// <summary>Values of the test shapes: a fixed full one, and random ones from a seeded <see cref="Random"/>.</summary>
internal static class Samples
{
    public static Everything Full() => new Random(42).Everything(full: true);

    public static Everything Everything(this Random random, bool full = false)
    {
        bool Some() => full || random.Next(4) != 0;
        return new Everything(
            random.Next(2) == 1,
            (byte)random.Next(256),
            (sbyte)random.Next(-128, 128),
            (short)random.Next(short.MinValue, short.MaxValue),
            (ushort)random.Next(ushort.MaxValue),
            (char)random.Next(0xD800),
            random.Next(int.MinValue, int.MaxValue),
            (uint)random.NextInt64(uint.MaxValue),
            random.NextInt64(long.MinValue, long.MaxValue),
            (ulong)random.NextInt64(long.MaxValue) * 2,
            (float)random.NextDouble(),
            random.NextDouble() * 1e300,
            new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 1, (byte)random.Next(29)),
            Some() ? random.Text() : null,
            new DateTime(random.NextInt64(DateTime.MaxValue.Ticks), (DateTimeKind)random.Next(3)),
            new DateTimeOffset(random.NextInt64(DateTime.MinValue.Ticks + TimeSpan.TicksPerDay, DateTime.MaxValue.Ticks - TimeSpan.TicksPerDay), TimeSpan.FromMinutes(random.Next(-840, 841))),
            TimeSpan.FromTicks(random.NextInt64()),
            new Guid(random.Bytes(16)),
            (Color)random.Next(3),
            random.Next(2) == 0 ? Big.Min : Big.Max,
            Some() ? random.Next() : null,
            Some() ? random.Point() : null,
            Some() ? random.Array(r => r.Next()) : null,
            random.Array(r => (Color)r.Next(3)),
            random.Array(r => new Guid(r.Bytes(16))),
            random.Array(r => Some() ? r.Text() : null),
            random.Array(r => r.Array(q => q.Next())),
            random.Array(r => r.Point()).ToList(),
            random.Array(r => r.NextInt64()).ToHashSet(),
            random.Array(r => r.Text()).Distinct().ToDictionary(s => s, s => random.Array(r => r.Next()).ToList()),
            random.Array(r => r.Next()).Distinct().ToDictionary(i => i, i => Some() ? random.Point() : null),
            random.Array(r => r.Text()),
            random.Array(r => r.Next()),
            random.Array(r => r.Text()).Distinct().ToDictionary(s => s, s => random.NextDouble()),
            random.Array(r => r.Next()).ToImmutableArray(),
            random.Array(r => r.Text()).ToImmutableList(),
            random.Array(r => r.Next()).ToImmutableHashSet(),
            random.Array(r => r.Text()).Distinct().ToImmutableDictionary(s => s, s => random.Point()),
            (random.Next(), random.Text()),
            (random.Next(), random.NextDouble(), random.Text()),
            Some() ? Tuple.Create(random.Next(), random.Text()) : null,
            new ValueTuple<int>(random.Next()),
            new Vector { X = (float)random.NextDouble(), Y = -1, Z = float.NaN },
            new Money(random.Next(), "EUR"),
            default,
            Some() ? new Settings { Name = random.Text(), Level = random.Next(), Timeout = Some() ? TimeSpan.FromSeconds(random.Next()) : null, Flags = random.Array(r => r.Text()).ToHashSet() } : null,
            Some() ? new Mixed(random.Text(), random.NextInt64()) { When = Some() ? DateTimeOffset.UnixEpoch.AddSeconds(random.Next()) : null } : null,
            Some() ? random.Chain(random.Next(10)) : null,
            Some() ? new Animal { Name = random.Text() } : null);
    }

    public static Order Order(this Random random, int lines = 8, int samples = 32) => new(
        new Guid(random.Bytes(16)),
        random.Text(),
        new DateTime(random.NextInt64(DateTime.MaxValue.Ticks), DateTimeKind.Utc),
        new decimal(random.NextDouble() * 10000),
        Enumerable.Range(0, lines).Select(_ => new OrderLine(random.Text(), random.Next(100), random.NextDouble(), (Color)random.Next(3))).ToList(),
        Enumerable.Range(0, 4).ToDictionary(i => "counter" + i, _ => random.Next()),
        random.Array(r => r.Text()),
        Enumerable.Range(0, samples).Select(_ => random.NextDouble()).ToArray());

    public static Point Point(this Random random) => new(random.Next(), random.Next());

    public static Node Chain(this Random random, int length)
    {
        var head = new Node { Value = random.Next() };
        for (var i = 0; i < length; i++)
        {
            head = new Node { Value = random.Next(), Next = head };
        }

        return head;
    }

    public static string Text(this Random random)
    {
        // ASCII, accents, CJK and an astral character: every UTF-8 width.
        const string alphabet = "abcXYZ 019éü€中文🙂";
        var length = random.Next(0, 60);
        var builder = new System.Text.StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var index = random.Next(alphabet.Length);
            if (char.IsSurrogate(alphabet[index]))
            {
                builder.Append("🙂");
            }
            else
            {
                builder.Append(alphabet[index]);
            }
        }

        return builder.ToString();
    }

    public static T[] Array<T>(this Random random, Func<Random, T> item)
    {
        var length = random.Next(0, 6);
        var array = new T[length];
        for (var i = 0; i < length; i++)
        {
            array[i] = item(random);
        }

        return array;
    }

    public static byte[] Bytes(this Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
